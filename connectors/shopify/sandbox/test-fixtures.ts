/** A small shop for the sandbox's own tests, and a GraphQL helper that talks to a running sandbox. */
import type { ShopifySandbox } from "./server";
import type { SandboxSeed } from "./seed";

export function smallSeed(): SandboxSeed {
  return {
    shop: { name: "Test Outfitters", currencyCode: "USD", ianaTimezone: "America/Los_Angeles" },
    locations: [
      { key: "west", name: "West Warehouse", address1: "4200 E Airport Dr", city: "Ontario", province: "CA", countryCode: "US", zip: "91761", latitude: 34.0559, longitude: -117.5972 },
      { key: "east", name: "East DC", address1: "100 Raritan Center Pkwy", city: "Edison", province: "NJ", countryCode: "US", zip: "08837", latitude: 40.5187, longitude: -74.3457 },
      { key: "la", name: "LA Store", kind: "store", offersPickup: true, address1: "8500 Melrose Ave", city: "Los Angeles", province: "CA", countryCode: "US", zip: "90069", latitude: 34.0812, longitude: -118.3763 },
      { key: "wholesale", name: "Wholesale DC", shipsOnlineOrders: false, city: "Dallas", province: "TX", countryCode: "US", zip: "75207" },
      { key: "fba", name: "Amazon FBA", readOnly: true },
    ],
    products: [
      { title: "Trail Tee", tags: ["apparel"], variants: [{ sku: "TEE-S", title: "S", price: 25 }, { sku: "TEE-M", title: "M", price: 25 }, { sku: "TEE-L", title: "L", price: 25 }] },
      { title: "Camp Cap", tags: ["accessories"], variants: [{ sku: "CAP", title: "Default", price: 19.5 }] },
      { title: "Two-Person Tent", tags: ["gear"], variants: [{ sku: "TENT-2P", title: "Default", price: 189 }] },
      { title: "Camp Kit", tags: ["kit"], variants: [{ sku: "CAMP-KIT", title: "Default", kit: [{ sku: "TENT-2P", quantity: 1 }] }] },
    ],
    levels: [
      { sku: "TEE-M", location: "west", available: 10 },
      { sku: "TEE-M", location: "east", available: 5, committed: 1 },
      { sku: "TEE-M", location: "la", available: 2 },
      { sku: "TEE-S", location: "west", available: 0 },
      { sku: "TEE-S", location: "east", available: 3 },
      { sku: "TEE-L", location: "east", available: 4, safetyStock: 1, damaged: 1 },
      { sku: "CAP", location: "west", available: 20, incoming: 24 },
      { sku: "CAP", location: "la", available: 5 },
      { sku: "TENT-2P", location: "east", available: 2 },
      { sku: "TENT-2P", location: "wholesale", available: 50 },
      { sku: "TENT-2P", location: "fba", available: 7 },
    ],
    companies: [{ key: "acme", name: "Acme Outfitters", externalId: "ACME-1", locations: [{ key: "acme-hq", name: "Acme HQ", externalId: "ACME-HQ" }] }],
  };
}

export interface GqlResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** POSTs a document to the sandbox as an app would (token header, JSON body). */
export function gqlClient(sandbox: ShopifySandbox, opts: { token?: string | null; version?: string } = {}) {
  return async (query: string, variables?: Record<string, unknown>): Promise<GqlResponse> => {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const token = opts.token === undefined ? sandbox.accessToken : opts.token;
    if (token) headers["X-Shopify-Access-Token"] = token;
    const url = opts.version ? `${sandbox.url}/admin/api/${opts.version}/graphql.json` : sandbox.graphqlUrl;
    const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: await res.json() };
  };
}

/** A mutable clock for the bucket and timestamps. */
export function fakeClock(start = Date.parse("2026-11-27T10:00:00Z")) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}
