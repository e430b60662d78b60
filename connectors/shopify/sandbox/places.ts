/**
 * US cities (city-centre coordinates) for generated orders, and the sandbox's stand-in for
 * Shopify's address geocoding: Shopify fills `MailingAddress.latitude/longitude` itself (orderCreate's
 * MailingAddressInput has no coordinates), so the sandbox looks the city up here.
 */
export interface Place {
  city: string;
  provinceCode: string;
  province: string;
  countryCode: string;
  zip: string;
  lat: number;
  lng: number;
}

export const US_PLACES: Place[] = [
  { city: "New York", provinceCode: "NY", province: "New York", countryCode: "US", zip: "10001", lat: 40.7506, lng: -73.9972 },
  { city: "Brooklyn", provinceCode: "NY", province: "New York", countryCode: "US", zip: "11201", lat: 40.6782, lng: -73.9442 },
  { city: "Los Angeles", provinceCode: "CA", province: "California", countryCode: "US", zip: "90012", lat: 34.0614, lng: -118.2385 },
  { city: "San Francisco", provinceCode: "CA", province: "California", countryCode: "US", zip: "94103", lat: 37.7725, lng: -122.4091 },
  { city: "San Diego", provinceCode: "CA", province: "California", countryCode: "US", zip: "92101", lat: 32.7157, lng: -117.1611 },
  { city: "Sacramento", provinceCode: "CA", province: "California", countryCode: "US", zip: "95814", lat: 38.5802, lng: -121.4949 },
  { city: "Seattle", provinceCode: "WA", province: "Washington", countryCode: "US", zip: "98101", lat: 47.6101, lng: -122.3344 },
  { city: "Portland", provinceCode: "OR", province: "Oregon", countryCode: "US", zip: "97204", lat: 45.5189, lng: -122.6793 },
  { city: "Phoenix", provinceCode: "AZ", province: "Arizona", countryCode: "US", zip: "85004", lat: 33.4515, lng: -112.0685 },
  { city: "Las Vegas", provinceCode: "NV", province: "Nevada", countryCode: "US", zip: "89101", lat: 36.1716, lng: -115.1391 },
  { city: "Denver", provinceCode: "CO", province: "Colorado", countryCode: "US", zip: "80202", lat: 39.7525, lng: -104.9995 },
  { city: "Salt Lake City", provinceCode: "UT", province: "Utah", countryCode: "US", zip: "84111", lat: 40.7608, lng: -111.891 },
  { city: "Austin", provinceCode: "TX", province: "Texas", countryCode: "US", zip: "78701", lat: 30.2711, lng: -97.7437 },
  { city: "Dallas", provinceCode: "TX", province: "Texas", countryCode: "US", zip: "75201", lat: 32.7876, lng: -96.7994 },
  { city: "Houston", provinceCode: "TX", province: "Texas", countryCode: "US", zip: "77002", lat: 29.7589, lng: -95.3677 },
  { city: "Chicago", provinceCode: "IL", province: "Illinois", countryCode: "US", zip: "60601", lat: 41.8853, lng: -87.6216 },
  { city: "Minneapolis", provinceCode: "MN", province: "Minnesota", countryCode: "US", zip: "55401", lat: 44.9836, lng: -93.2692 },
  { city: "Detroit", provinceCode: "MI", province: "Michigan", countryCode: "US", zip: "48226", lat: 42.3316, lng: -83.0466 },
  { city: "Atlanta", provinceCode: "GA", province: "Georgia", countryCode: "US", zip: "30303", lat: 33.7529, lng: -84.3925 },
  { city: "Miami", provinceCode: "FL", province: "Florida", countryCode: "US", zip: "33131", lat: 25.7663, lng: -80.1917 },
  { city: "Nashville", provinceCode: "TN", province: "Tennessee", countryCode: "US", zip: "37203", lat: 36.1512, lng: -86.7897 },
  { city: "Charlotte", provinceCode: "NC", province: "North Carolina", countryCode: "US", zip: "28202", lat: 35.2271, lng: -80.8431 },
  { city: "Washington", provinceCode: "DC", province: "District of Columbia", countryCode: "US", zip: "20001", lat: 38.9101, lng: -77.0147 },
  { city: "Philadelphia", provinceCode: "PA", province: "Pennsylvania", countryCode: "US", zip: "19103", lat: 39.9526, lng: -75.1652 },
  { city: "Boston", provinceCode: "MA", province: "Massachusetts", countryCode: "US", zip: "02108", lat: 42.3576, lng: -71.0636 },
  { city: "Columbus", provinceCode: "OH", province: "Ohio", countryCode: "US", zip: "43215", lat: 39.9623, lng: -83.0007 },
];

export const STREETS = ["Main St", "Oak Ave", "Maple St", "Cedar Ln", "Pine St", "Elm St", "Washington Ave", "Lake St", "Hill Rd", "Park Ave", "2nd St", "Market St", "Broadway", "Sunset Blvd", "River Rd"];
export const FIRST_NAMES = ["Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Priya", "Lucas", "Chloe", "Mateo", "Hana", "Owen", "Sofia", "Jamal", "Ines", "Leo", "Grace", "Omar", "Nina", "Kai"];
export const LAST_NAMES = ["Nguyen", "Garcia", "Smith", "Patel", "Kim", "Johnson", "Martinez", "Brown", "Lee", "Davis", "Lopez", "Wilson", "Chen", "Taylor", "Khan", "Moore", "Clark", "Rossi", "Walker", "Young"];

/** City-level coordinates for an address, or null when the city is unknown. */
export function geocode(a: { city?: string | null; provinceCode?: string | null; countryCode?: string | null }): { lat: number; lng: number } | null {
  if (!a.city) return null;
  const city = a.city.trim().toLowerCase();
  const hit = US_PLACES.find((p) => p.city.toLowerCase() === city && (!a.provinceCode || p.provinceCode === a.provinceCode) && (!a.countryCode || p.countryCode === a.countryCode));
  return hit ? { lat: hit.lat, lng: hit.lng } : null;
}
