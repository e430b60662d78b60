import type { CatalogLoad } from "#app/modules/inventory/index";
import type { Rule } from "#app/modules/routing/index";

/**
 * The demo shop "Demo Outfitters": the network of the seed article — a West Coast warehouse, an
 * East Coast fulfillment center, a Los Angeles store, a New York store, a European 3PL and a
 * wholesale DC, plus Amazon FBA (read-only) — ~500 SKUs with realistic stock, and six channels.
 * Deterministic (fixed-seed PRNG), so the demo and tests see the same numbers every time.
 */
export function demoCatalog(seed = 20261127): CatalogLoad {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const storeHours = { mon: [["10:00", "20:00"]], tue: [["10:00", "20:00"]], wed: [["10:00", "20:00"]], thu: [["10:00", "20:00"]], fri: [["10:00", "21:00"]], sat: [["10:00", "21:00"]], sun: [["11:00", "18:00"]] } as Record<string, [string, string][]>;
  const dcHours = { mon: [["06:00", "22:00"]], tue: [["06:00", "22:00"]], wed: [["06:00", "22:00"]], thu: [["06:00", "22:00"]], fri: [["06:00", "22:00"]] } as Record<string, [string, string][]>;
  const holidays = [{ date: "2026-12-25", closed: true }, { date: "2027-01-01", closed: true }, { date: "2026-12-24", hours: [["10:00", "15:00"]] as [string, string][] }];

  // The European 3PL ships cheaply inside Europe and at international rates beyond it.
  const euZones = {
    standard: [
      { maxKm: 300, costCents: 495, transitDays: 1 },
      { maxKm: 1500, costCents: 795, transitDays: 2 },
      { maxKm: 3000, costCents: 1295, transitDays: 4 },
      { maxKm: null, costCents: 3499, transitDays: 9 },
    ],
    expedited: [
      { maxKm: 1500, costCents: 1595, transitDays: 1 },
      { maxKm: null, costCents: 6999, transitDays: 4 },
    ],
  };

  const locations: CatalogLoad["locations"] = [
    { key: "west", name: "West Coast Warehouse", kind: "warehouse", address1: "4200 E Airport Dr", city: "Ontario", province: "CA", countryCode: "US", zip: "91761", latitude: 34.0559, longitude: -117.5972, timeZone: "America/Los_Angeles", openingHours: dcHours, hoursExceptions: holidays, handlingCostCents: 150, handlingDays: 1, routingPriority: 1 },
    { key: "east", name: "East Coast Fulfillment Center", kind: "warehouse", address1: "100 Raritan Center Pkwy", city: "Edison", province: "NJ", countryCode: "US", zip: "08837", latitude: 40.5187, longitude: -74.3457, timeZone: "America/New_York", openingHours: dcHours, hoursExceptions: holidays, handlingCostCents: 140, handlingDays: 1, routingPriority: 3 },
    { key: "la", name: "Los Angeles Store", kind: "store", address1: "8500 Melrose Ave", city: "Los Angeles", province: "CA", countryCode: "US", zip: "90069", latitude: 34.0812, longitude: -118.3763, timeZone: "America/Los_Angeles", openingHours: storeHours, hoursExceptions: holidays, offersPickup: true, shipsFromStore: true, dailyShipFromStoreCap: 40, handlingCostCents: 400, handlingDays: 1, routingPriority: 2, sameDayCutoffMinutes: 16 * 60 },
    { key: "ny", name: "New York Store", kind: "store", address1: "120 Spring St", city: "New York", province: "NY", countryCode: "US", zip: "10012", latitude: 40.7241, longitude: -73.9986, timeZone: "America/New_York", openingHours: storeHours, hoursExceptions: holidays, offersPickup: true, shipsFromStore: true, dailyShipFromStoreCap: 30, handlingCostCents: 450, handlingDays: 1, routingPriority: 4, sameDayCutoffMinutes: 16 * 60 },
    { key: "eu", name: "European 3PL", kind: "3pl", address1: "Celsiusweg 30", city: "Venlo", countryCode: "NL", zip: "5928 PR", latitude: 51.3704, longitude: 6.1724, timeZone: "Europe/Amsterdam", openingHours: dcHours, handlingCostCents: 250, handlingDays: 2, routingPriority: 5, shippingZones: euZones },
    // Regional 3PLs for expedited orders (open around the clock: no hours).
    { key: "3pl-reno", name: "Reno 3PL", kind: "3pl", address1: "1200 Kleppe Ln", city: "Sparks", province: "NV", countryCode: "US", zip: "89431", latitude: 39.5296, longitude: -119.8138, timeZone: "America/Los_Angeles", handlingCostCents: 200, handlingDays: 1, routingPriority: 6 },
    { key: "3pl-allentown", name: "Allentown 3PL", kind: "3pl", address1: "7355 William Ave", city: "Allentown", province: "PA", countryCode: "US", zip: "18106", latitude: 40.6023, longitude: -75.4714, timeZone: "America/New_York", handlingCostCents: 200, handlingDays: 1, routingPriority: 6 },
    { key: "wholesale", name: "Wholesale DC", kind: "wholesale_dc", address1: "2500 Irving Blvd", city: "Dallas", province: "TX", countryCode: "US", zip: "75207", latitude: 32.7995, longitude: -96.8372, timeZone: "America/Chicago", openingHours: dcHours, shipsOnlineOrders: false, handlingCostCents: 90, handlingDays: 2, routingPriority: 7 },
    { key: "fba", name: "Amazon FBA", kind: "marketplace", readOnly: true, countryCode: "US", timeZone: "America/Los_Angeles", shipsOnlineOrders: false },
  ];

  const families = [
    { name: "Trail Tee", tags: ["apparel", "tops"], sizes: ["S", "M", "L", "XL"], colors: ["Black", "Sand", "Pine", "Slate", "Rust"] },
    { name: "Summit Hoodie", tags: ["apparel", "tops"], sizes: ["S", "M", "L", "XL"], colors: ["Black", "Heather", "Navy", "Olive"] },
    { name: "Ridge Pant", tags: ["apparel", "bottoms"], sizes: ["30", "32", "34", "36"], colors: ["Khaki", "Black", "Moss"] },
    { name: "Merino Sock", tags: ["apparel", "accessories"], sizes: ["S", "M", "L", "XL"], colors: ["Grey", "Charcoal", "Blue", "Orange"] },
    { name: "Camp Cap", tags: ["accessories"], sizes: ["One size"], colors: ["Black", "Tan", "Green", "Red", "Blue", "White"] },
    { name: "Day Pack 20L", tags: ["gear", "bags"], sizes: ["20L"], colors: ["Black", "Orange", "Teal", "Grey"] },
    { name: "Rain Shell", tags: ["apparel", "outerwear"], sizes: ["S", "M", "L", "XL"], colors: ["Yellow", "Black", "Cobalt"] },
    { name: "Fleece Vest", tags: ["apparel", "outerwear"], sizes: ["S", "M", "L", "XL"], colors: ["Grey", "Black", "Forest"] },
  ];
  const products: CatalogLoad["products"] = [];
  let editions = 0;
  while (products.reduce((n, p) => n + p.variants.length, 0) < 480) {
    const f = families[editions % families.length]!;
    const edition = Math.floor(editions / families.length) + 1;
    for (const color of f.colors) {
      const code = `${f.name.replace(/[^A-Z]/g, "")}${edition}-${color.slice(0, 3).toUpperCase()}`;
      products.push({
        title: `${f.name} ${edition > 1 ? `v${edition} ` : ""}· ${color}`,
        vendor: "Demo Outfitters",
        tags: [...f.tags, ...(rnd() < 0.12 ? ["high-demand"] : []), ...(f.tags.includes("bags") ? ["bulky"] : [])],
        variants: f.sizes.map((size) => ({ sku: `${code}-${size.replace(/\s+/g, "").toUpperCase()}`, title: size })),
      });
    }
    editions++;
  }
  // Gear and two kits (a kit consumes its components' stock).
  products.push({ title: "Two-Person Tent", vendor: "Demo Outfitters", tags: ["gear", "bulky"], variants: [{ sku: "TENT-2P", title: "Default" }] });
  products.push({ title: "Tent Pegs (single)", vendor: "Demo Outfitters", tags: ["gear"], variants: [{ sku: "PEG-1", title: "Default" }] });
  products.push({ title: "LED Lantern", vendor: "Demo Outfitters", tags: ["gear"], variants: [{ sku: "LANTERN", title: "Default" }] });
  products.push({ title: "Camp Kit", vendor: "Demo Outfitters", tags: ["gear", "kit", "high-demand"], variants: [{ sku: "CAMP-KIT", title: "Default", kit: [{ sku: "TENT-2P", quantity: 1 }, { sku: "PEG-1", quantity: 8 }, { sku: "LANTERN", quantity: 1 }] }] });
  const firstTee = products[0]!.variants[1]!.sku;
  products.push({ title: "Trail Tee 3-Pack", vendor: "Demo Outfitters", tags: ["apparel", "kit"], variants: [{ sku: "TEE-3PACK", title: "Default", kit: [{ sku: firstTee, quantity: 3 }] }] });

  const levels: CatalogLoad["levels"] = [];
  for (const p of products) {
    for (const v of p.variants) {
      if (v.kit) continue;
      const hot = p.tags.includes("high-demand");
      for (const loc of ["west", "east", "la", "ny", "eu", "wholesale", "fba"]) {
        const base = { west: 60, east: 50, la: 12, ny: 10, eu: 25, wholesale: 120, fba: 20 }[loc]!;
        if (loc === "fba" && rnd() < 0.6) continue; // not every SKU is at FBA
        if ((loc === "la" || loc === "ny") && rnd() < 0.25) continue; // stores carry a subset
        let available = Math.round(base * (hot ? 1.8 : 1) * (0.2 + rnd() * 1.2));
        if (rnd() < 0.07) available = 0;
        if (loc === "ny" && rnd() < 0.03) available = -2; // oversold at the counter
        levels.push({ sku: v.sku, location: loc, available, committed: rnd() < 0.3 ? Math.floor(rnd() * 5) : 0, incoming: rnd() < 0.1 ? 24 : 0, safetyStock: loc === "west" && rnd() < 0.2 ? 5 : 0, damaged: rnd() < 0.03 ? 1 : 0 });
      }
    }
  }
  // The regional 3PLs hold a fast-moving subset, from a PRNG of their own so the other
  // locations' numbers stay what they were before the 3PLs were added.
  let s3 = seed + 3;
  const rnd3 = () => ((s3 = (s3 * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const p of products) {
    for (const v of p.variants) {
      if (v.kit) continue;
      for (const loc of ["3pl-reno", "3pl-allentown"]) {
        if (rnd3() < 0.3) continue;
        levels.push({ sku: v.sku, location: loc, available: Math.round(15 * (p.tags.includes("high-demand") ? 1.8 : 1) * (0.2 + rnd3() * 1.2)) });
      }
    }
  }
  // Kit components with deliberate shapes for the demo: pegs are the bottleneck at LA.
  for (const l of levels) if (l.sku === "PEG-1") l.available = l.location === "la" ? 12 : 400;

  const retail = ["west", "east", "la", "ny"];
  const channels: CatalogLoad["channels"] = [
    { code: "online", name: "Online Store", kind: "online_store", eligible: [...retail, "eu", "3pl-reno", "3pl-allentown"], hubHoldsStock: false },
    { code: "pos", name: "Point of Sale", kind: "pos", eligible: ["la", "ny"], hubHoldsStock: false },
    { code: "b2b", name: "Shopify B2B", kind: "shopify_b2b", eligible: ["wholesale", "west"], hubHoldsStock: false, bufferUnits: 10 },
    {
      code: "amazon-us",
      name: "Amazon US",
      kind: "amazon",
      eligible: ["west", "east"],
      hubHoldsStock: true,
      bufferPercent: 10,
      bufferUnits: 2,
      maxExposure: 100,
      holdTtlMinutes: 30,
      overrides: [{ tag: "high-demand", bufferPercent: 20 }, { sku: "CAMP-KIT", maxExposure: 5 }],
    },
    { code: "amazon-de", name: "Amazon DE", kind: "amazon", eligible: ["eu"], hubHoldsStock: true, bufferUnits: 3, holdTtlMinutes: 30 },
    { code: "portal", name: "Wholesale Portal (cXML)", kind: "b2b_portal", eligible: ["wholesale"], hubHoldsStock: true, bufferUnits: 12, zeroPolicy: "delist" },
  ];
  // Channel identifiers: Amazon seller SKUs with ASINs, the portal's item codes.
  const skus = products.flatMap((p) => p.variants.map((v) => v.sku));
  const asin = (i: number) => `B0${(0x4d2f00 + i * 7919).toString(36).toUpperCase().padStart(8, "0")}`;
  channels.find((c) => c.code === "amazon-us")!.listings = skus.map((sku, i) => ({ sku, externalSku: `DO-${sku}`, externalId: asin(i) }));
  channels.find((c) => c.code === "amazon-de")!.listings = skus.filter((_, i) => i % 3 === 0).map((sku, i) => ({ sku, externalSku: `DO-EU-${sku}`, externalId: asin(i + 5000) }));
  channels.find((c) => c.code === "portal")!.listings = skus.map((sku, i) => ({ sku, externalSku: `WH-${String(10000 + i)}` }));
  return { locations, products, levels, channels };
}

/**
 * The demo shop's routing rules: the routing fixture's profile (the seed article's scenarios) with
 * its location keys replaced by the shop's location ids.
 */
export function demoRoutingRules(rules: Rule[], idOf: (key: string) => string): Rule[] {
  const map = (ids?: string[]) => ids?.map(idOf);
  return rules.map((r) => ({
    ...r,
    candidateFilter: {
      ...r.candidateFilter,
      ...(r.candidateFilter.include ? { include: map(r.candidateFilter.include) } : {}),
      ...(r.candidateFilter.exclude ? { exclude: map(r.candidateFilter.exclude) } : {}),
    },
  }));
}

export interface DemoOrderSpec {
  externalOrderId: string;
  channel: string;
  speed?: "standard" | "expedited" | "same_day" | "pickup";
  /** Location key of the pickup store. */
  pickupAt?: string;
  destination: { countryCode: string; provinceCode?: string; zip?: string; city?: string; lat?: number; lng?: number };
  lines: { sku: string; quantity: number }[];
  hoursAgo: number;
  customerTags?: string[];
}

const PLACES = [
  { countryCode: "US", provinceCode: "CA", city: "San Diego", zip: "92101", lat: 32.7157, lng: -117.1611 },
  { countryCode: "US", provinceCode: "CA", city: "San Francisco", zip: "94103", lat: 37.7725, lng: -122.4091 },
  { countryCode: "US", provinceCode: "NY", city: "Brooklyn", zip: "11201", lat: 40.6782, lng: -73.9442 },
  { countryCode: "US", provinceCode: "PA", city: "Philadelphia", zip: "19103", lat: 39.9526, lng: -75.1652 },
  { countryCode: "US", provinceCode: "TX", city: "Austin", zip: "78701", lat: 30.2711, lng: -97.7437 },
  { countryCode: "US", provinceCode: "WA", city: "Seattle", zip: "98101", lat: 47.6101, lng: -122.3344 },
  { countryCode: "US", provinceCode: "IL", city: "Chicago", zip: "60601", lat: 41.8853, lng: -87.6216 },
  { countryCode: "US", provinceCode: "CO", city: "Denver", zip: "80202", lat: 39.7525, lng: -104.9995 },
  { countryCode: "DE", city: "Berlin", zip: "10115", lat: 52.532, lng: 13.3849 },
];

/**
 * A month of background orders (fixed seed) from the online store, POS pickups, Amazon and the
 * portal, for the order list and `oms simulate --shop … --days 30`.  SKUs come from `skus`.
 */
export function demoOrderStream(skus: string[], count = 48, seed = 7): DemoOrderSpec[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const out: DemoOrderSpec[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    const hoursAgo = Math.round(((count - i) / count) * 29 * 24) + 1;
    const lineCount = rnd() < 0.7 ? 1 : rnd() < 0.8 ? 2 : 3;
    const lines = [...new Set(Array.from({ length: lineCount }, () => pick(skus)))].map((sku) => ({ sku, quantity: rnd() < 0.85 ? 1 : 2 }));
    if (r < 0.6) {
      const dest = pick(PLACES.filter((p) => p.countryCode === "US"));
      out.push({ externalOrderId: `DEMO-ONL-${1001 + i}`, channel: "online", speed: rnd() < 0.15 ? "expedited" : "standard", destination: dest, lines, hoursAgo });
    } else if (r < 0.7) {
      const store = rnd() < 0.5 ? "la" : "ny";
      out.push({ externalOrderId: `DEMO-POS-${2001 + i}`, channel: "online", speed: "pickup", pickupAt: store, destination: store === "la" ? PLACES[0]! : PLACES[2]!, lines: lines.slice(0, 1), hoursAgo });
    } else if (r < 0.9) {
      out.push({ externalOrderId: `111-${String(4000000 + i * 7919).padStart(7, "0")}-${String(1000000 + i * 104729).slice(0, 7)}`, channel: "amazon-us", destination: pick(PLACES.filter((p) => p.countryCode === "US")), lines, hoursAgo });
    } else {
      out.push({ externalOrderId: `PO-${5001 + i}`, channel: "portal", destination: pick(PLACES.filter((p) => p.countryCode === "US")), lines: lines.map((l) => ({ ...l, quantity: l.quantity * 12 })), hoursAgo });
    }
  }
  return out;
}
