import { describe, expect, it } from "vitest";
import { DomainError } from "#app/platform/errors";
import { BROOKLYN, demoNetwork, demoProfile, location, order, PHILADELPHIA, profile, rule } from "./fixtures";
import { routeOrder, unroutableDecision } from "./route";
import { locationProblem } from "./validate";
import type { RoutingDecision, RoutingLocation, RoutingNetwork } from "./types";

const twoLines = [
  { lineKey: "L1", sku: "A", quantity: 1, tags: [] },
  { lineKey: "L2", sku: "B", quantity: 2, tags: [] },
];
/** "location: line×qty …" per shipment, or the status and reason. */
const shipped = (d: RoutingDecision) =>
  d.plan ? d.plan.shipments.map((s) => `${s.locationId}: ${s.lines.map((l) => `${l.lineKey}×${l.quantity}`).join(" ")}`) : [`${d.status}: ${d.reason}`];

/** The demo network with fields of one location changed. */
function tweak(network: RoutingNetwork, id: string, fields: Partial<RoutingLocation>): RoutingNetwork {
  return { ...network, locations: network.locations.map((l) => (l.id === id ? { ...l, ...fields } : l)) };
}

describe("routeOrder: the seed's scenarios", () => {
  it("a California customer ships from the West Coast warehouse (the whole decision)", () => {
    const decision = routeOrder(order(), demoNetwork({ west: { A: 5 }, la: { A: 3 } }), demoProfile());
    const california = 'rule "California: West Coast, else LA store, else split with the East Coast" (california)';
    expect(decision).toEqual({
      orderId: "o1",
      profileId: "demo",
      profileVersion: 3,
      status: "routed",
      ruleId: "california",
      queue: null,
      plan: {
        shipments: [{ locationId: "west", lines: [{ lineKey: "L1", sku: "A", quantity: 1 }], distanceKm: 154.4, costCents: 949, days: 3 }],
        totals: { shipments: 1, costCents: 949, maxDays: 3 },
      },
      reason: `${california}: 1 shipment from west; best of 2 plans (exact search)`,
      trace: {
        rules: [
          { ruleId: "b2b", matched: false, reasons: ["order is non-B2B, rule wants B2B"] },
          { ruleId: "pickup", matched: false, reasons: ["speed standard not in [pickup]"] },
          { ruleId: "expedited", matched: false, reasons: ["speed standard not in [expedited]"] },
          { ruleId: "high-demand", matched: false, reasons: ["no line in demand tier [high] (tiers: [none])"] },
          {
            ruleId: "california",
            matched: true,
            reasons: ["region US-CA in [US-CA]", "routed: 1 shipment from west; best of 2 plans (exact search)"],
            scoreKeys: ["shipments", "location priority (sum)"],
          },
        ],
        candidates: [
          { ruleId: "california", locationId: "3pl-allentown", accepted: false, reason: "not in the rule's include list" },
          { ruleId: "california", locationId: "3pl-reno", accepted: false, reason: "not in the rule's include list" },
          { ruleId: "california", locationId: "east", accepted: false, reason: "no stock for any line (A)" },
          { ruleId: "california", locationId: "eu", accepted: false, reason: "not in the rule's include list" },
          { ruleId: "california", locationId: "la", accepted: true, reason: "189.2 km, 1199¢, 3 days; stocks 1 of 1 lines" },
          { ruleId: "california", locationId: "ny", accepted: false, reason: "not in the rule's include list" },
          { ruleId: "california", locationId: "west", accepted: true, reason: "154.4 km, 949¢, 3 days; stocks 1 of 1 lines" },
          { ruleId: "california", locationId: "wholesale", accepted: false, reason: "not in the rule's include list" },
        ],
        plansCompared: [
          { ruleId: "california", locations: ["west"], score: [1, 1], chosen: true },
          { ruleId: "california", locations: ["la"], score: [1, 2], chosen: false },
        ],
        plansConsidered: 2,
        searchMode: "exact",
      },
    });
  });

  it("else the LA store", () => {
    const decision = routeOrder(order({ lines: twoLines }), demoNetwork({ west: { A: 5 }, la: { A: 1, B: 2 }, east: { A: 9, B: 9 } }), demoProfile());
    expect(shipped(decision)).toEqual(["la: L1×1 L2×2"]);
  });

  it("else split with the East Coast fulfillment center", () => {
    const decision = routeOrder(order({ lines: twoLines }), demoNetwork({ west: { A: 5 }, la: { A: 1, B: 1 }, east: { B: 9 } }), demoProfile());
    expect(shipped(decision)).toEqual(["east: L2×2", "west: L1×1"]);
    // East Coast to San Diego is beyond 3200 km: 2499¢ + 140¢ handling, 1 + 8 days.
    expect(decision.plan?.totals).toEqual({ shipments: 2, costCents: 949 + 2639, maxDays: 9 });
    expect(decision.trace.plansCompared.map((p) => [p.locations.join("+"), p.score])).toEqual([
      ["east+west", [2, 4]],
      ["east+la", [2, 5]],
    ]);
  });

  it("a full LA store (daily cap) is skipped", () => {
    const network = tweak(demoNetwork({ la: { A: 5 }, east: { A: 5 } }), "la", { usedToday: 40 });
    const decision = routeOrder(order(), network, demoProfile());
    expect(shipped(decision)).toEqual(["east: L1×1"]);
    expect(decision.trace.candidates.find((c) => c.locationId === "la")?.reason).toBe("daily ship-from-store cap reached (40/40)");
  });

  it("when none of the three can, the next rule (cheapest) takes over", () => {
    const decision = routeOrder(order(), demoNetwork({ ny: { A: 5 }, wholesale: { A: 5 } }), demoProfile());
    expect(shipped(decision)).toEqual(["ny: L1×1"]);
    expect(decision.ruleId).toBe("default");
    expect(decision.trace.rules.find((r) => r.ruleId === "california")?.reasons).toEqual([
      "region US-CA in [US-CA]",
      "no plan: no candidate location left; fallback: next rule",
    ]);
    // The wholesale DC does not ship consumer orders.
    expect(decision.trace.candidates.find((c) => c.ruleId === "default" && c.locationId === "wholesale")?.reason).toBe("does not ship online orders");
  });

  it("expedited goes to the nearest regional 3PL", () => {
    const stock = { "3pl-reno": { A: 5 }, "3pl-allentown": { A: 5 }, eu: { A: 5 }, west: { A: 5 } };
    expect(shipped(routeOrder(order({ speed: "expedited", destination: BROOKLYN }), demoNetwork(stock), demoProfile()))).toEqual(["3pl-allentown: L1×1"]);
    expect(shipped(routeOrder(order({ speed: "expedited" }), demoNetwork(stock), demoProfile()))).toEqual(["3pl-reno: L1×1"]);
  });

  it("a high-demand item ships from the location with the most stock", () => {
    const lines = [{ lineKey: "L1", sku: "A", quantity: 1, tags: [], demandTier: "high" }];
    const decision = routeOrder(order({ lines }), demoNetwork({ west: { A: 5 }, la: { A: 8 }, east: { A: 50 }, eu: { A: 500 } }), demoProfile());
    expect(shipped(decision)).toEqual(["east: L1×1"]);
    expect(decision.ruleId).toBe("high-demand");
  });

  it("a B2B portal order goes to the wholesale DC, though it ships no consumer orders", () => {
    const b2b = order({ channel: "b2b_portal", b2b: true, companyId: "acme", destination: PHILADELPHIA, lines: twoLines });
    const decision = routeOrder(b2b, demoNetwork({ wholesale: { A: 100, B: 100 }, east: { A: 100, B: 100 } }), demoProfile());
    expect(shipped(decision)).toEqual(["wholesale: L1×1 L2×2"]);
  });

  it("a B2B order the wholesale DC cannot fill is parked in the B2B queue", () => {
    const b2b = order({ channel: "b2b_portal", b2b: true, companyId: "acme", lines: twoLines });
    const decision = routeOrder(b2b, demoNetwork({ wholesale: { A: 100 }, east: { A: 100, B: 100 } }), demoProfile());
    expect(decision).toMatchObject({
      status: "queued",
      ruleId: "b2b",
      queue: "b2b-review",
      plan: null,
      reason: 'wholesale DC cannot fill the order (rule "B2B portal orders from the wholesale DC" (b2b) found no plan: not enough stock: B: 2 ordered, 0 in stock at the candidates)',
    });
  });
});

describe("routeOrder: pickup", () => {
  const pickup = order({ speed: "pickup", pickupLocationId: "la" });

  it("goes to the chosen store", () => {
    const decision = routeOrder(pickup, demoNetwork({ la: { A: 1 }, west: { A: 100 } }), demoProfile());
    expect(decision.plan).toEqual({
      shipments: [{ locationId: "la", lines: [{ lineKey: "L1", sku: "A", quantity: 1 }], distanceKm: 0, costCents: 400, days: 0 }],
      totals: { shipments: 1, costCents: 400, maxDays: 0 },
    });
  });

  it("still goes to the chosen store when it is closed now: ready when it opens, and the trace says so", () => {
    const network = tweak(demoNetwork({ la: { A: 1 } }), "la", { localTime: { weekday: "tue", minutes: 21 * 60, date: "2026-11-24" } });
    const decision = routeOrder(pickup, network, demoProfile());
    expect(decision).toMatchObject({ status: "routed", ruleId: "pickup" });
    expect(decision.trace.candidates.find((c) => c.locationId === "la")!.reason).toMatch(/closed now \(tue 21:00; tue hours 10:00-20:00\): ready for pickup when it opens$/);
  });

  it("fails when the store lacks stock, or is not in the network", () => {
    expect(routeOrder(pickup, demoNetwork({ west: { A: 1 } }), demoProfile()).reason).toMatch(/pickup store la: no stock for any line \(A\)\)$/);
    expect(routeOrder(order({ speed: "pickup", pickupLocationId: "sf" }), demoNetwork({ west: { A: 1 } }), demoProfile()).reason).toMatch(
      /pickup store sf is not in the network\)$/,
    );
  });
});

describe("routeOrder: same-day", () => {
  const nearLaStore = { countryCode: "US", provinceCode: "CA", zip: "90046", lat: 34.09, lng: -118.36 };
  it("ships from the open store within the same-day zone, before its cut-off", () => {
    const decision = routeOrder(order({ speed: "same_day", destination: nearLaStore }), demoNetwork({ la: { A: 1 }, west: { A: 1 } }), demoProfile());
    expect(shipped(decision)).toEqual(["la: L1×1"]);
    expect(decision.plan?.totals).toEqual({ shipments: 1, costCents: 1699, maxDays: 0 });
  });

  it("is backordered by the default rule after the cut-off", () => {
    const network = tweak(demoNetwork({ la: { A: 1 }, west: { A: 1 } }), "la", { localTime: { weekday: "tue", minutes: 16 * 60 + 30, date: "2026-11-24" } });
    const decision = routeOrder(order({ speed: "same_day", destination: nearLaStore }), network, demoProfile());
    expect(decision.status).toBe("backordered");
    expect(decision.trace.candidates.filter((c) => c.ruleId === "default" && ["la", "west"].includes(c.locationId))).toEqual([
      { ruleId: "default", locationId: "la", accepted: false, reason: "past same-day cut-off 16:00 (now tue 16:30)" },
      { ruleId: "default", locationId: "west", accepted: false, reason: "outside its same_day zone table (70.4 km > 40 km)" },
    ]);
  });
});

describe("routeOrder: fallbacks", () => {
  const network = { locations: [location("w", { stock: { A: 1 } })] };
  const big = order({ lines: [{ lineKey: "L1", sku: "A", quantity: 2, tags: [] }] });

  it("next rule: the following rule gets its chance", () => {
    const decision = routeOrder(order(), network, profile([rule("strict", { candidateFilter: { exclude: ["w"] } }), rule("any")]));
    expect(decision).toMatchObject({ status: "routed", ruleId: "any" });
    expect(decision.trace.rules[0]).toEqual({
      ruleId: "strict",
      matched: true,
      reasons: ["no conditions: matches every order", "no plan: no candidate location left; fallback: next rule"],
      scoreKeys: ["shipments"],
    });
  });

  it("queue: parked with the rule's reason", () => {
    const decision = routeOrder(big, network, profile([rule("r", { fallback: { kind: "queue", queue: "manual", reason: "needs a person" } })]));
    expect(decision).toMatchObject({
      status: "queued",
      ruleId: "r",
      queue: "manual",
      reason: 'needs a person (rule "r" (r) found no plan: not enough stock: A: 2 ordered, 1 in stock at the candidates)',
    });
  });

  it("backorder", () => {
    expect(routeOrder(big, network, profile([rule("r", { fallback: { kind: "backorder" } })]))).toMatchObject({ status: "backordered", ruleId: "r", plan: null });
  });

  it("unroutable: no rule matched, or the last rule fell through", () => {
    expect(routeOrder(order(), network, profile([rule("ny", { conditions: { destination: { regions: ["US-NY"] } } })]))).toMatchObject({
      status: "unroutable",
      ruleId: null,
      reason: "no rule matched the order",
      trace: { searchMode: null, rules: [{ ruleId: "ny", matched: false, reasons: ["region US-CA not in [US-NY]"] }] },
    });
    expect(routeOrder(big, network, profile([rule("r")])).reason).toBe(
      'no rule left after the last fallback to the next rule (rule "r" (r) found no plan: not enough stock: A: 2 ordered, 1 in stock at the candidates)',
    );
  });
});

describe("routeOrder: locations left out for their settings", () => {
  const unlocated = (id: string, fields: Partial<RoutingLocation> = {}) => location(id, { lat: null, lng: null, ...fields });
  const backorder = profile([rule("r", { fallback: { kind: "backorder" } })]);

  it("routes elsewhere, and names the left-out location only where it made the difference", () => {
    const network = { locations: [unlocated("bk", { stock: { A: 9 } }), location("west", { stock: { A: 1 } })] };
    expect(shipped(routeOrder(order(), network, backorder))).toEqual(["west: L1×1"]);
  });

  it("when a rule finds no plan, the fallback applies and the reason names what to fix", () => {
    const network = { locations: [unlocated("bk", { stock: { A: 9 } }), location("west", { stock: { A: 1 } })] };
    const decision = routeOrder(order({ lines: [{ lineKey: "L1", sku: "A", quantity: 2, tags: [] }] }), network, backorder);
    expect(decision).toMatchObject({ status: "backordered", ruleId: "r", plan: null });
    expect(decision.reason).toBe(
      'backordered: rule "r" (r) found no plan: not enough stock: A: 2 ordered, 1 in stock at the candidates; left out until their settings are fixed: bk (no coordinates — complete its address in Shopify, then resync)',
    );
  });

  it("is unroutable, whatever the fallback, when no location can ship: none has coordinates", () => {
    const network = { locations: [unlocated("bk", { stock: { A: 9 } })], excluded: [{ id: "aa", name: "Austin", reason: 'time zone "Central" is not an IANA zone' }] };
    const decision = routeOrder(order(), network, profile([rule("r", { fallback: { kind: "queue", queue: "review", reason: "needs a person" } })]));
    const why = 'no location can ship this order until its settings are fixed: aa (time zone "Central" is not an IANA zone); bk (no coordinates — complete its address in Shopify, then resync)';
    expect(decision).toEqual({
      orderId: "o1",
      profileId: "p1",
      profileVersion: 1,
      status: "unroutable",
      ruleId: null,
      queue: null,
      plan: null,
      reason: why,
      trace: {
        rules: [{ ruleId: "r", matched: true, reasons: ["no conditions: matches every order", `no plan: ${why}; unroutable until that is fixed (the fallback is not applied)`], scoreKeys: ["shipments"] }],
        candidates: [
          { ruleId: "r", locationId: "aa", accepted: false, reason: 'time zone "Central" is not an IANA zone', misconfigured: true },
          { ruleId: "r", locationId: "bk", accepted: false, reason: "no coordinates — complete its address in Shopify, then resync", misconfigured: true },
        ],
        plansCompared: [],
        plansConsidered: 0,
        searchMode: "exact",
      },
    });
  });

  it("is unroutable when the network is empty (no location is eligible for the channel)", () => {
    expect(routeOrder(order(), { locations: [] }, backorder)).toMatchObject({
      status: "unroutable",
      reason: "no location to ship from: the network is empty (no active location is eligible for the order's channel)",
    });
  });

  it("a pickup: routed at a store without coordinates; unroutable when the chosen store is excluded", () => {
    const pickup = order({ speed: "pickup", pickupLocationId: "bk" });
    const store = unlocated("bk", { kind: "store", offersPickup: true, stock: { A: 1 } });
    expect(shipped(routeOrder(pickup, { locations: [store] }, backorder))).toEqual(["bk: L1×1"]);
    const excluded = { locations: [location("west", { stock: { A: 1 } })], excluded: [{ id: "bk", name: "Brooklyn", kind: "store" as const, reason: "opening hours: not valid JSON" }] };
    expect(routeOrder(pickup, excluded, backorder)).toMatchObject({
      status: "unroutable",
      ruleId: null,
      reason: "pickup store bk is left out until its settings are fixed: opening hours: not valid JSON",
    });
  });

  it("a decision no rule made (routing could not run): unroutable with the reason and an empty trace", () => {
    expect(unroutableDecision("o9", null, "no active routing profile")).toEqual({
      orderId: "o9",
      profileId: "",
      profileVersion: 0,
      status: "unroutable",
      ruleId: null,
      queue: null,
      plan: null,
      reason: "no active routing profile",
      trace: { rules: [], candidates: [], plansCompared: [], plansConsidered: 0, searchMode: null },
    });
    expect(unroutableDecision("o9", { id: "default", version: 4 }, "x")).toMatchObject({ profileId: "default", profileVersion: 4 });
  });

  it("locationProblem: one location's settings, in the location's own terms", () => {
    expect(locationProblem(location("a"))).toBeNull();
    expect(locationProblem(unlocated("a"))).toBeNull();
    expect(locationProblem(location("a", { openingHours: { fri: [["22:00", "02:00"]] } }))).toBe("invalid openingHours.fri[0]: opens at 22:00, not before it closes at 02:00 — fix the location's settings");
    expect(locationProblem(location("a", { handlingDays: -1 }))).toBe("invalid handlingDays: must be a number >= 0 — fix the location's settings");
    expect(locationProblem(location("a"), { standard: [{ maxKm: null, costCents: 1, transitDays: 1 }, { maxKm: 5, costCents: 1, transitDays: 1 }] })).toBe(
      "invalid shippingZones.standard[0].maxKm: only the last band may be unbounded (null) — fix the location's settings",
    );
    // Settings read from a database may have any shape.
    expect(locationProblem(location("a", { openingHours: { mon: "9-5" } as never }))).toMatch(/^settings not in the expected format \(.+\) — fix the location's settings$/);
  });
});

describe("routeOrder: determinism and input", () => {
  it("gives the same decision whatever order the locations come in", () => {
    const network = demoNetwork({ west: { A: 5 }, la: { A: 1, B: 1 }, east: { B: 9 }, ny: { B: 3 } });
    const reversed = { ...network, locations: [...network.locations].reverse() };
    const input = order({ lines: twoLines });
    expect(routeOrder(input, reversed, demoProfile())).toEqual(routeOrder(input, network, demoProfile()));
  });

  it("uses the zone table of the location, else the network's default", () => {
    const table = { standard: [{ maxKm: null, costCents: 100, transitDays: 9 }] };
    const net = { locations: [location("a", { stock: { A: 1 } }), location("b", { stock: { A: 1 } })], zoneTables: { b: table } };
    const decision = routeOrder(order(), net, profile([rule("r", { sort: [{ by: "shipping_cost" }] })]));
    expect(decision.plan?.shipments[0]).toMatchObject({ locationId: "b", costCents: 100, days: 10 });
    const viaDefault = routeOrder(order(), { ...net, zoneTables: undefined, defaultZoneTable: table }, profile([rule("r")]));
    expect(viaDefault.plan?.shipments[0]).toMatchObject({ locationId: "a", costCents: 100 });
  });

  const invalid = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof DomainError) return `${e.kind} ${e.message}`;
      throw e;
    }
    return "no error";
  };
  const net = { locations: [location("a", { stock: { A: 1 } })] };
  const p = profile([rule("r")]);

  it.each([
    ["quantity", () => routeOrder(order({ lines: [{ lineKey: "L1", sku: "A", quantity: 0, tags: [] }] }), net, p), "INVALID order.lines[0].quantity: must be a whole number >= 1"],
    ["pickup store", () => routeOrder(order({ speed: "pickup" }), net, p), "INVALID order.pickupLocationId: is required for a pickup order"],
    ["duplicate line", () => routeOrder(order({ lines: [...twoLines, twoLines[0]!] }), net, p), 'INVALID order.lines.lineKey[2]: duplicate id "L1"'],
    ["duplicate location", () => routeOrder(order(), { locations: [location("a"), location("a")] }, p), 'INVALID network.locations.id[1]: duplicate id "a"'],
    ["hours", () => routeOrder(order(), { locations: [location("a", { openingHours: { mon: [["9:00", "18:00"]] } })] }, p), 'INVALID network.locations[0].openingHours.mon[0][0]: "9:00" is not a time HH:MM between 00:00 and 24:00'],
    ["overnight", () => routeOrder(order(), { locations: [location("a", { openingHours: { fri: [["22:00", "02:00"]] } })] }, p), "INVALID network.locations[0].openingHours.fri[0]: opens at 22:00, not before it closes at 02:00"],
    ["local time", () => routeOrder(order(), { locations: [location("a", { localTime: { weekday: "tue", minutes: 1440, date: "2026-11-24" } })] }, p), "INVALID network.locations[0].localTime.minutes: must be a whole number 0..1439"],
    ["zone bands", () => routeOrder(order(), { ...net, defaultZoneTable: { standard: [{ maxKm: null, costCents: 1, transitDays: 1 }, { maxKm: 5, costCents: 1, transitDays: 1 }] } }, p), "INVALID network.defaultZoneTable.standard[0].maxKm: only the last band may be unbounded (null)"],
    ["weight", () => routeOrder(order(), net, profile([rule("r", { sort: [{ by: "distance", weight: 0 }] })])), "INVALID profile.rules[0].sort[0].weight: must be a number > 0"],
    ["split n", () => routeOrder(order(), net, profile([rule("r", { splitPolicy: { kind: "max_shipments", n: 0 } })])), "INVALID profile.rules[0].splitPolicy.n: must be a whole number >= 1"],
    ["range", () => routeOrder(order(), net, profile([rule("r", { conditions: { orderValue: { min: 10, max: 5 } } })])), "INVALID profile.rules[0].conditions.orderValue: min 10 is above max 5"],
    ["half coordinates", () => routeOrder(order(), { locations: [location("a", { lng: null })] }, p), "INVALID network.locations[0].lng: must be a longitude between -180 and 180"],
    ["excluded twice", () => routeOrder(order(), { ...net, excluded: [{ id: "a", name: "A", reason: "x" }] }, p), 'INVALID network.excluded[0].id: duplicate id "a" (a location is either in the network or excluded from it, once)'],
    ["excluded reason", () => routeOrder(order(), { ...net, excluded: [{ id: "b", name: "B", reason: " " }] }, p), "INVALID network.excluded[0].reason: must be a non-empty string"],
  ])("rejects bad input: %s", (_name, fn, message) => {
    expect(invalid(fn)).toBe(message);
  });
});
