import type { CatalogLoad } from "#app/modules/inventory/index";

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

  const locations: CatalogLoad["locations"] = [
    { key: "west", name: "West Coast Warehouse", kind: "warehouse", address1: "4200 E Airport Dr", city: "Ontario", province: "CA", countryCode: "US", zip: "91761", latitude: 34.0559, longitude: -117.5972, timeZone: "America/Los_Angeles", openingHours: dcHours, hoursExceptions: holidays, handlingCostCents: 150, handlingDays: 1 },
    { key: "east", name: "East Coast Fulfillment Center", kind: "warehouse", address1: "100 Raritan Center Pkwy", city: "Edison", province: "NJ", countryCode: "US", zip: "08837", latitude: 40.5187, longitude: -74.3457, timeZone: "America/New_York", openingHours: dcHours, hoursExceptions: holidays, handlingCostCents: 140, handlingDays: 1 },
    { key: "la", name: "Los Angeles Store", kind: "store", address1: "8500 Melrose Ave", city: "Los Angeles", province: "CA", countryCode: "US", zip: "90069", latitude: 34.0812, longitude: -118.3763, timeZone: "America/Los_Angeles", openingHours: storeHours, hoursExceptions: holidays, offersPickup: true, shipsFromStore: true, dailyShipFromStoreCap: 40, handlingCostCents: 400, handlingDays: 1 },
    { key: "ny", name: "New York Store", kind: "store", address1: "120 Spring St", city: "New York", province: "NY", countryCode: "US", zip: "10012", latitude: 40.7241, longitude: -73.9986, timeZone: "America/New_York", openingHours: storeHours, hoursExceptions: holidays, offersPickup: true, shipsFromStore: true, dailyShipFromStoreCap: 30, handlingCostCents: 450, handlingDays: 1 },
    { key: "eu", name: "European 3PL", kind: "3pl", address1: "Celsiusweg 30", city: "Venlo", countryCode: "NL", zip: "5928 PR", latitude: 51.3704, longitude: 6.1724, timeZone: "Europe/Amsterdam", openingHours: dcHours, handlingCostCents: 250, handlingDays: 2 },
    { key: "wholesale", name: "Wholesale DC", kind: "wholesale_dc", address1: "2500 Irving Blvd", city: "Dallas", province: "TX", countryCode: "US", zip: "75207", latitude: 32.7995, longitude: -96.8372, timeZone: "America/Chicago", openingHours: dcHours, shipsOnlineOrders: false, handlingCostCents: 90, handlingDays: 2 },
    { key: "fba", name: "Amazon FBA (US)", kind: "marketplace", readOnly: true, countryCode: "US", timeZone: "America/Los_Angeles", shipsOnlineOrders: false },
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
  // Kit components with deliberate shapes for the demo: pegs are the bottleneck at LA.
  for (const l of levels) if (l.sku === "PEG-1") l.available = l.location === "la" ? 12 : 400;

  const retail = ["west", "east", "la", "ny"];
  const channels: CatalogLoad["channels"] = [
    { code: "online", name: "Online Store", kind: "online_store", eligible: [...retail, "eu"], hubHoldsStock: false },
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
