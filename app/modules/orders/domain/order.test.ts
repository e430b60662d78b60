import { describe, expect, it } from "vitest";
import { locate } from "./centroids";
import { planToAllocations, slotsFor, toRoutingOrder, type HubOrder } from "./order";

const plan = {
  shipments: [
    { locationId: "west", lines: [{ lineKey: "1", sku: "TEE", quantity: 2 }, { lineKey: "2", sku: "KIT", quantity: 1 }], distanceKm: 150, costCents: 900, days: 2 },
    { locationId: "la", lines: [{ lineKey: "2", sku: "KIT", quantity: 1 }], distanceKm: 190, costCents: 1200, days: 2 },
  ],
  totals: { shipments: 2, costCents: 2100, maxDays: 2 },
};

describe("planToAllocations", () => {
  it("turns shipments into per-line allocations, a kit into its components at the same location", () => {
    const reqs = new Map([
      ["TEE", [{ variantId: "v-tee", perUnit: 1 }]],
      ["KIT", [{ variantId: "v-peg", perUnit: 4 }, { variantId: "v-tent", perUnit: 1 }]],
    ]);
    expect(planToAllocations(plan, reqs)).toEqual([
      { lineKey: "1", allocations: [{ locationId: "west", variantId: "v-tee", quantity: 2 }] },
      {
        lineKey: "2",
        allocations: [
          { locationId: "west", variantId: "v-peg", quantity: 4 },
          { locationId: "west", variantId: "v-tent", quantity: 1 },
          { locationId: "la", variantId: "v-peg", quantity: 4 },
          { locationId: "la", variantId: "v-tent", quantity: 1 },
        ],
      },
    ]);
  });

  it("refuses a SKU it cannot resolve rather than reserve nothing", () => {
    expect(() => planToAllocations(plan, new Map([["TEE", [{ variantId: "v", perUnit: 1 }]]]))).toThrow("no stocked variants for SKU KIT");
  });
});

describe("slotsFor", () => {
  const caps = new Map<string, number | null>([["west", null], ["la", 40]]);
  const dates = new Map([["west", "2026-11-24"], ["la", "2026-11-24"]]);
  it("takes one slot per shipment from a capped location, on its local date", () => {
    expect(slotsFor(plan, "standard", caps, dates)).toEqual([{ locationId: "la", day: "2026-11-24", cap: 40 }]);
  });
  it("takes none for a pickup (collected, not shipped)", () => {
    expect(slotsFor(plan, "pickup", caps, dates)).toEqual([]);
  });
});

describe("toRoutingOrder", () => {
  it("adds each line's tags and demand tier from the catalog", () => {
    const hub: HubOrder = {
      id: "o1",
      channelCode: "online",
      b2b: false,
      companyId: null,
      speed: "standard",
      destination: { countryCode: "US", provinceCode: "CA", zip: "92101", lat: 32.7, lng: -117.2 },
      pickupLocationId: null,
      valueCents: 4800,
      customerTags: ["vip"],
      lines: [{ lineKey: "1", sku: "CAP", quantity: 1 }, { lineKey: "2", sku: "NEW", quantity: 1 }],
    };
    const info = new Map([["CAP", { tags: ["accessories", "high-demand"], demandTier: "high" }]]);
    expect(toRoutingOrder(hub, info).lines).toEqual([
      { lineKey: "1", sku: "CAP", quantity: 1, tags: ["accessories", "high-demand"], demandTier: "high" },
      { lineKey: "2", sku: "NEW", quantity: 1, tags: [] },
    ]);
    expect(toRoutingOrder(hub, info)).toMatchObject({ channel: "online", customerTags: ["vip"], pickupLocationId: null });
  });
});

describe("locate", () => {
  it("uses the address's own coordinates when given", () => {
    expect(locate({ countryCode: "US", provinceCode: "CA", lat: 32.7, lng: -117.2 })).toEqual({ lat: 32.7, lng: -117.2, source: "address" });
  });
  it("falls back to the US state centroid, then the country centroid", () => {
    expect(locate({ countryCode: "us", provinceCode: "ca" })).toEqual({ lat: 36.8, lng: -119.4, source: "region" });
    expect(locate({ countryCode: "DE", provinceCode: "BE" })).toEqual({ lat: 51.2, lng: 10.4, source: "country" });
  });
  it("gives up (null) for a country it does not know, so the caller can ask for coordinates", () => {
    expect(locate({ countryCode: "ZZ" })).toBeNull();
  });
});
