/**
 * Great-circle distance.  Haversine on a sphere of the mean Earth radius: within ~0.5 % of the
 * ellipsoidal distance, far finer than the zone bands it feeds.
 */

/** IUGG mean Earth radius. */
const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Distance in km between two points given in decimal degrees. */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = toRadians(lat2 - lat1);
  const dLng = toRadians(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2)) * Math.sin(dLng / 2) ** 2;
  // min() guards against a rounding overshoot past 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Distances are reported (and compared) to 0.1 km, so float noise cannot decide a tie. */
export function roundKm(km: number): number {
  return Math.round(km * 10) / 10;
}
