import { describe, expect, it } from "vitest";
import type { OrderListItem } from "#app/modules/orders/index";
import type { StoredDecision } from "#app/modules/routing/index";
import { money, geocodeNote } from "./format";
import { readable, searchNote, toDecisionView, toOrderListRow } from "./order-view.server";

const names = { "loc-west": "West Coast Warehouse", "loc-east": "East Coast Fulfillment Center", "loc-ny": "New York Store" };

function decision(over: Partial<StoredDecision> = {}): StoredDecision {
  return {
    id: "d1",
    orderId: "o1",
    sequence: 1,
    profileKey: "default",
    profileVersion: 3,
    status: "routed",
    ruleId: "california",
    queue: null,
    reason: "2 shipments from loc-east + loc-west",
    plan: {
      shipments: [
        { locationId: "loc-west", lines: [{ lineKey: "1", sku: "A", quantity: 1 }], distanceKm: 154.4, costCents: 949, days: 3 },
        { locationId: "loc-east", lines: [{ lineKey: "2", sku: "B", quantity: 2 }], distanceKm: 3878.9, costCents: 2639, days: 9 },
      ],
      totals: { shipments: 2, costCents: 3588, maxDays: 9 },
    },
    trace: {
      rules: [
        { ruleId: "b2b", matched: false, reasons: ["order is non-B2B, rule wants B2B"] },
        { ruleId: "california", matched: true, reasons: ["region US-CA in [US-CA]"], scoreKeys: ["shipments", "cost (sum)"] },
      ],
      candidates: [
        { ruleId: "california", locationId: "loc-west", accepted: true, reason: "154.4 km, 949¢, 3 days" },
        { ruleId: "california", locationId: "loc-ny", accepted: false, reason: "not in the rule's include list" },
        { ruleId: "california", locationId: "loc-gone", accepted: false, reason: "pickup at another store (loc-ny)" },
      ],
      plansCompared: [
        { ruleId: "california", locations: ["loc-east", "loc-west"], score: [2, 3588], chosen: true },
        { ruleId: "california", locations: ["loc-ny", "loc-west"], score: [2, 4100], chosen: false },
      ],
      plansConsidered: 7,
      searchMode: "exact",
    },
    trigger: "intake",
    actor: "system:seed",
    slots: [],
    createdAt: new Date("2026-12-02T07:59:33.621Z"),
    ...over,
  };
}

describe("order page view", () => {
  it("names locations and writes cents as dollars in the core's reasons", () => {
    expect(readable("pickup store loc-ny: closed; 2639¢ and -50¢", names)).toBe("pickup store New York Store: closed; $26.39 and -$0.50");
  });

  it("maps a decision: names in the plan, candidates and plans grouped by rule with the rule's score keys", () => {
    const v = toDecisionView(decision(), names);
    expect(v.createdAt).toBe("2026-12-02T07:59:33.621Z");
    expect(v.reason).toBe("2 shipments from East Coast Fulfillment Center + West Coast Warehouse");
    expect(v.plan?.shipments.map((s) => s.location)).toEqual(["West Coast Warehouse", "East Coast Fulfillment Center"]);
    expect(v.trace.rules.map((r) => [r.ruleId, r.matched])).toEqual([
      ["b2b", false],
      ["california", true],
    ]);
    expect(v.trace.candidates).toEqual([
      {
        ruleId: "california",
        candidates: [
          { locationId: "loc-west", location: "West Coast Warehouse", accepted: true, reason: "154.4 km, $9.49, 3 days" },
          { locationId: "loc-ny", location: "New York Store", accepted: false, reason: "not in the rule's include list" },
          // An id without a name (a deleted location) stays as it is.
          { locationId: "loc-gone", location: "loc-gone", accepted: false, reason: "pickup at another store (New York Store)" },
        ],
      },
    ]);
    expect(v.trace.plansCompared).toEqual([
      {
        ruleId: "california",
        scoreKeys: ["shipments", "cost (sum)"],
        plans: [
          { locations: ["East Coast Fulfillment Center", "West Coast Warehouse"], score: [2, 3588], chosen: true },
          { locations: ["New York Store", "West Coast Warehouse"], score: [2, 4100], chosen: false },
        ],
      },
    ]);
    expect(v.trace.searchNote).toMatch(/^exact search: every set of candidate locations was tried/);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v); // plain JSON: what the loader sends is what the page gets
  });

  it("keeps a queued decision's queue and no plan", () => {
    const v = toDecisionView(
      decision({ status: "queued", queue: "pickup-exceptions", plan: null, trace: { rules: [], candidates: [], plansCompared: [], plansConsidered: 0, searchMode: null } }),
      names
    );
    expect(v.plan).toBeNull();
    expect(v.queue).toBe("pickup-exceptions");
    expect(v.trace.searchNote).toBeNull();
    expect(searchNote("heuristic")).toMatch(/^heuristic search: more than \d+ candidates/);
  });

  it("gives a queued list row its queue, and names locations in its reason", () => {
    const item: OrderListItem = {
      id: "o2",
      name: "#2014",
      channel: { code: "pos", name: "Point of Sale" },
      status: "queued",
      speed: "pickup",
      b2b: false,
      destination: "Brooklyn, NY, 11201, US",
      lines: 1,
      units: 1,
      valueCents: 4800,
      currencyCode: "USD",
      placedAt: new Date("2026-11-11T03:17:33.621Z"),
      locations: [],
      rule: "pickup",
      reason: "pickup store loc-ny: closed now",
    };
    const row = toOrderListRow(item, names, new Map([["o2", "pickup-exceptions"]]));
    expect(row).toMatchObject({ queue: "pickup-exceptions", reason: "pickup store New York Store: closed now", placedAt: "2026-11-11T03:17:33.621Z", shipsFrom: [] });
    expect(toOrderListRow({ ...item, status: "routed" }, names, new Map([["o2", "stale"]])).queue).toBeNull();
  });
});

describe("order page formatting", () => {
  it("formats money and explains centroid coordinates", () => {
    expect(money(358800)).toBe("$3,588.00");
    expect(money(-949, "EUR")).toBe("-9.49 EUR");
    expect(geocodeNote("address")).toBeNull();
    expect(geocodeNote("region")).toMatch(/centroid of the region/);
    expect(geocodeNote("country")).toMatch(/centroid of the country/);
    expect(geocodeNote("redacted")).toMatch(/redacted/);
  });
});
