/**
 * Approximate centroids (lat, lng) for destinations that arrive without coordinates — Amazon and
 * portal orders carry a postal address but no geocode, and no geocoder is reachable offline.  A
 * region's centroid is good to a few hundred km, enough to rank a West Coast against an East Coast
 * location; the decision's trace says when a centroid was used.  Shopify orders carry the address's
 * own latitude/longitude (MailingAddress.latitude/longitude) and do not need this.
 */
export const US_STATE_CENTROIDS: Record<string, [number, number]> = {
  AL: [32.8, -86.8], AK: [61.4, -152.3], AZ: [34.2, -111.7], AR: [34.9, -92.4], CA: [36.8, -119.4], CO: [39.0, -105.5],
  CT: [41.6, -72.7], DE: [39.0, -75.5], DC: [38.9, -77.0], FL: [28.6, -82.4], GA: [32.7, -83.4], HI: [20.8, -156.3],
  ID: [44.4, -114.6], IL: [40.0, -89.2], IN: [39.9, -86.3], IA: [42.1, -93.5], KS: [38.5, -98.4], KY: [37.5, -85.3],
  LA: [31.1, -92.0], ME: [45.4, -69.2], MD: [39.0, -76.8], MA: [42.3, -71.8], MI: [44.3, -85.4], MN: [46.3, -94.3],
  MS: [32.7, -89.7], MO: [38.4, -92.5], MT: [47.0, -109.6], NE: [41.5, -99.8], NV: [39.3, -116.6], NH: [43.7, -71.6],
  NJ: [40.2, -74.7], NM: [34.4, -106.1], NY: [42.9, -75.5], NC: [35.6, -79.4], ND: [47.5, -100.5], OH: [40.3, -82.8],
  OK: [35.6, -97.5], OR: [43.9, -120.6], PA: [40.9, -77.8], RI: [41.7, -71.5], SC: [33.9, -80.9], SD: [44.4, -100.2],
  TN: [35.9, -86.4], TX: [31.5, -99.3], UT: [39.3, -111.7], VT: [44.1, -72.7], VA: [37.5, -78.9], WA: [47.4, -120.5],
  WV: [38.6, -80.6], WI: [44.6, -89.9], WY: [43.0, -107.6], PR: [18.2, -66.5],
};

export const COUNTRY_CENTROIDS: Record<string, [number, number]> = {
  US: [39.8, -98.6], CA: [56.1, -106.3], MX: [23.6, -102.6], GB: [54.0, -2.5], IE: [53.4, -8.2], FR: [46.2, 2.2],
  DE: [51.2, 10.4], NL: [52.1, 5.3], BE: [50.5, 4.5], LU: [49.8, 6.1], AT: [47.5, 14.6], CH: [46.8, 8.2],
  IT: [41.9, 12.6], ES: [40.5, -3.7], PT: [39.4, -8.2], DK: [56.3, 9.5], SE: [60.1, 18.6], NO: [60.5, 8.5],
  FI: [61.9, 25.7], PL: [51.9, 19.1], CZ: [49.8, 15.5], AU: [-25.3, 133.8], NZ: [-40.9, 174.9], JP: [36.2, 138.3],
  BR: [-14.2, -51.9], IN: [20.6, 79.0], SG: [1.35, 103.8], AE: [23.4, 53.8],
};

/** Coordinates for a destination: its own when given, else the region's, else the country's. */
export function locate(dest: { countryCode: string; provinceCode?: string | null; lat?: number | null; lng?: number | null }):
  | { lat: number; lng: number; source: "address" | "region" | "country" }
  | null {
  if (typeof dest.lat === "number" && typeof dest.lng === "number") return { lat: dest.lat, lng: dest.lng, source: "address" };
  const country = dest.countryCode.toUpperCase();
  const province = dest.provinceCode?.toUpperCase();
  if (country === "US" && province && US_STATE_CENTROIDS[province]) {
    const [lat, lng] = US_STATE_CENTROIDS[province]!;
    return { lat, lng, source: "region" };
  }
  const c = COUNTRY_CENTROIDS[country];
  return c ? { lat: c[0], lng: c[1], source: "country" } : null;
}
