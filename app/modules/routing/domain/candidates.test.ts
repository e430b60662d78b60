import { describe, expect, it } from "vitest";
import { filterCandidates } from "./candidates";
import { DC_HOURS, location, order, rule, STORE_HOURS } from "./fixtures";
import type { CandidateFilter, RoutingLocation, RoutingOrder } from "./types";

const stocked = { A: 5 };
/** The one-location verdict: "accepted: ..." or the rejection reason. */
function verdict(loc: RoutingLocation, input: RoutingOrder = order(), filter: CandidateFilter = {}): string {
  const { trace } = filterCandidates(input, { locations: [loc] }, rule("r", { candidateFilter: filter }));
  const entry = trace[0];
  return entry ? `${entry.accepted ? "accepted: " : ""}${entry.reason}` : "missing";
}

describe("filterCandidates", () => {
  it("accepts a location with stock, and says what a shipment from it costs", () => {
    const west = location("west", { stock: stocked, handlingCostCents: 150 });
    const result = filterCandidates(order(), { locations: [west] }, rule("r"));
    // Ontario CA to San Diego: 154.4 km → default band ≤300 km: 799¢ + 150¢ handling, 1 + 2 days.
    expect(result.trace).toEqual([{ ruleId: "r", locationId: "west", accepted: true, reason: "154.4 km, 949¢, 3 days; stocks 1 of 1 lines" }]);
    expect(result.accepted[0]).toMatchObject({ distanceKm: 154.4, costCents: 949, days: 3, stock: { A: 5 }, remainingCap: null });
  });

  describe("rule filter", () => {
    it("location kinds", () => {
      expect(verdict(location("st", { kind: "store", shipsFromStore: true, stock: stocked }), order(), { locationKinds: ["warehouse", "3pl"] })).toBe(
        "kind store not allowed (rule allows warehouse, 3pl)",
      );
    });
    it("include list", () => {
      expect(verdict(location("x", { stock: stocked }), order(), { include: ["west"] })).toBe("not in the rule's include list");
      expect(verdict(location("west", { stock: stocked }), order(), { include: ["west"] })).toMatch(/^accepted/);
    });
    it("exclude list", () => {
      expect(verdict(location("x", { stock: stocked }), order(), { exclude: ["x"] })).toBe("excluded by the rule");
    });
    it("maximum distance", () => {
      expect(verdict(location("x", { stock: stocked }), order(), { maxDistanceKm: 100 })).toBe("too far: 154.4 km > 100 km");
    });
  });

  describe("location switches", () => {
    it("a location that does not ship online orders serves B2B orders only", () => {
      const dc = location("dc", { kind: "wholesale_dc", shipsOnline: false, stock: stocked });
      expect(verdict(dc)).toBe("does not ship online orders");
      expect(verdict(dc, order({ b2b: true, companyId: "acme" }))).toMatch(/^accepted/);
    });
    it("a store ships only with ship-from-store on", () => {
      expect(verdict(location("st", { kind: "store", shipsFromStore: false, stock: stocked }))).toBe("ship-from-store is off");
    });
  });

  it("zone table: same-day cannot reach beyond its last band", () => {
    expect(verdict(location("x", { stock: stocked }), order({ speed: "same_day" }))).toBe("outside its same_day zone table (154.4 km > 40 km)");
  });

  it("no stock for any line (negative stock counts as none)", () => {
    const input = order({ lines: [{ lineKey: "L1", sku: "A", quantity: 1, tags: [] }, { lineKey: "L2", sku: "B", quantity: 1, tags: [] }] });
    expect(verdict(location("x", { stock: { A: -2, C: 9 } }), input)).toBe("no stock for any line (A, B)");
    expect(verdict(location("x", { stock: { B: 1 } }), input)).toMatch(/stocks 1 of 2 lines$/);
  });

  it("ignores inherited keys: a SKU called constructor is not in stock", () => {
    const input = order({ lines: [{ lineKey: "L1", sku: "constructor", quantity: 1, tags: [] }] });
    expect(verdict(location("x", { stock: {} }), input)).toBe("no stock for any line (constructor)");
  });

  describe("hours and cut-offs (same-day only; a pickup only notes them)", () => {
    // A store 5 km from the customer, so same-day is within its zone.
    const store = (fields: Partial<RoutingLocation> = {}) =>
      location("st", { kind: "store", shipsFromStore: true, offersPickup: true, lat: 32.75, lng: -117.16, openingHours: STORE_HOURS, sameDayCutoffMinutes: 16 * 60, stock: stocked, ...fields });
    const sameDay = order({ speed: "same_day" });
    const pickup = order({ speed: "pickup", pickupLocationId: "st" });

    it("open during hours and before the cut-off", () => {
      expect(verdict(store(), sameDay)).toBe("accepted: 3.8 km, 1299¢, 0 days; stocks 1 of 1 lines");
    });
    it("closed before opening", () => {
      expect(verdict(store({ localTime: { weekday: "tue", minutes: 9 * 60 + 59, date: "2026-11-24" } }), sameDay)).toBe(
        "closed now (tue 09:59; tue hours 10:00-20:00)",
      );
    });
    it("closing time is exclusive", () => {
      expect(verdict(store({ localTime: { weekday: "tue", minutes: 20 * 60, date: "2026-11-24" } }), sameDay)).toBe(
        "closed now (tue 20:00; tue hours 10:00-20:00)",
      );
    });
    it("a weekday without hours is closed", () => {
      expect(verdict(store({ openingHours: DC_HOURS, localTime: { weekday: "sat", minutes: 720, date: "2026-11-28" } }), sameDay)).toBe("closed today (sat)");
    });
    it("a holiday exception closes an ordinary day", () => {
      const holiday = store({ localTime: { weekday: "fri", minutes: 720, date: "2026-12-25" }, exceptions: [{ date: "2026-12-25", closed: true }] });
      expect(verdict(holiday, sameDay)).toBe("closed today (exception 2026-12-25)");
    });
    it("a short-day exception replaces the weekday's hours", () => {
      const eve = (minutes: number) =>
        store({ localTime: { weekday: "thu", minutes, date: "2026-12-24" }, exceptions: [{ date: "2026-12-24", hours: [["10:00", "15:00"]] }], sameDayCutoffMinutes: undefined });
      expect(verdict(eve(14 * 60 + 59), sameDay)).toMatch(/^accepted/);
      expect(verdict(eve(15 * 60 + 30), sameDay)).toBe("closed now (thu 15:30; exception 2026-12-24 hours 10:00-15:00)");
    });
    it("a pickup at a closed store is still accepted, with a note: it is ready when the store opens", () => {
      expect(verdict(store({ localTime: { weekday: "tue", minutes: 21 * 60, date: "2026-11-24" } }), pickup)).toBe(
        "accepted: 0 km, 0¢, 0 days; stocks 1 of 1 lines; closed now (tue 21:00; tue hours 10:00-20:00): ready for pickup when it opens",
      );
    });
    it("an exception that neither closes nor gives hours keeps the weekday's", () => {
      expect(verdict(store({ exceptions: [{ date: "2026-11-24", closed: false }] }), sameDay)).toMatch(/^accepted/);
    });
    it("past the same-day cut-off", () => {
      expect(verdict(store({ localTime: { weekday: "tue", minutes: 16 * 60 + 5, date: "2026-11-24" } }), sameDay)).toBe(
        "past same-day cut-off 16:00 (now tue 16:05)",
      );
    });
    it("hours do not matter for standard shipping", () => {
      expect(verdict(store({ localTime: { weekday: "tue", minutes: 23 * 60, date: "2026-11-24" } }))).toMatch(/^accepted/);
    });
    it("no opening hours means no hours constraint", () => {
      expect(verdict(store({ openingHours: null, sameDayCutoffMinutes: undefined, localTime: { weekday: "sun", minutes: 180, date: "2026-11-29" } }), sameDay)).toMatch(
        /^accepted/,
      );
    });
  });

  describe("daily ship-from-store cap", () => {
    const capped = (usedToday: number) => location("st", { kind: "store", shipsFromStore: true, offersPickup: true, dailyCap: 30, usedToday, stock: stocked });
    it("rejects a location whose cap is used up", () => {
      expect(verdict(capped(30))).toBe("daily ship-from-store cap reached (30/30)");
    });
    it("keeps the remaining capacity of one that is not", () => {
      const result = filterCandidates(order(), { locations: [capped(29)] }, rule("r"));
      expect(result.accepted[0]?.remainingCap).toBe(1);
    });
    it("does not count pickups, which ship nothing", () => {
      expect(verdict(capped(30), order({ speed: "pickup", pickupLocationId: "st" }))).toMatch(/^accepted/);
    });
  });

  describe("pickup", () => {
    const pickup = order({ speed: "pickup", pickupLocationId: "la" });
    it("goes to the chosen store only, at no distance", () => {
      const network = { locations: [location("la", { kind: "store", offersPickup: true, stock: stocked, handlingCostCents: 400 }), location("west", { stock: stocked })] };
      expect(filterCandidates(pickup, network, rule("r")).trace).toEqual([
        { ruleId: "r", locationId: "la", accepted: true, reason: "0 km, 400¢, 0 days; stocks 1 of 1 lines" },
        { ruleId: "r", locationId: "west", accepted: false, reason: "pickup at another store (la)" },
      ]);
    });
    it("needs a store that offers pickup", () => {
      expect(verdict(location("la", { kind: "store", offersPickup: false, stock: stocked }), pickup)).toBe("does not offer pickup");
    });
  });

  describe("locations routing cannot use for their settings", () => {
    const unlocated = (id: string, fields: Partial<RoutingLocation> = {}) => location(id, { lat: null, lng: null, stock: stocked, ...fields });

    it("a location without coordinates ships nothing, whatever the rule sorts by, and the trace says what to fix", () => {
      for (const sort of [[], [{ by: "location_priority" as const }], [{ by: "distance" as const }]]) {
        const { accepted, trace } = filterCandidates(order(), { locations: [unlocated("bk")] }, rule("r", { sort }));
        expect(accepted).toEqual([]);
        expect(trace).toEqual([{ ruleId: "r", locationId: "bk", accepted: false, reason: "no coordinates — complete its address in Shopify, then resync", misconfigured: true }]);
      }
    });

    it("the rule's own filter and the location's switches speak first (the settings did not make the difference)", () => {
      expect(filterCandidates(order(), { locations: [unlocated("bk")] }, rule("r", { candidateFilter: { include: ["west"] } })).trace).toEqual([
        { ruleId: "r", locationId: "bk", accepted: false, reason: "not in the rule's include list" },
      ]);
      expect(verdict(unlocated("bk", { kind: "store", shipsFromStore: false }))).toBe("ship-from-store is off");
    });

    it("a store without coordinates still hands over a pickup: distance plays no part", () => {
      const store = unlocated("bk", { kind: "store", offersPickup: true, handlingCostCents: 200 });
      expect(verdict(store, order({ speed: "pickup", pickupLocationId: "bk" }))).toBe("accepted: 0 km, 200¢, 0 days; stocks 1 of 1 lines");
    });

    it("excluded locations are named in id order among the others, after the rule's filter", () => {
      const network = {
        locations: [location("a", { stock: stocked }), location("c", { stock: stocked })],
        excluded: [
          { id: "b", name: "Brooklyn", kind: "store" as const, reason: 'time zone "Pacific" is not an IANA zone' },
          { id: "d", name: "Dallas", reason: "opening hours: not valid JSON" },
        ],
      };
      expect(filterCandidates(order(), network, rule("r")).trace.map((t) => [t.locationId, t.accepted, t.reason, t.misconfigured ?? false])).toEqual([
        ["a", true, "154.4 km, 799¢, 3 days; stocks 1 of 1 lines", false],
        ["b", false, 'time zone "Pacific" is not an IANA zone', true],
        ["c", true, "154.4 km, 799¢, 3 days; stocks 1 of 1 lines", false],
        ["d", false, "opening hours: not valid JSON", true],
      ]);
      const kinds = filterCandidates(order(), network, rule("r", { candidateFilter: { locationKinds: ["warehouse"], exclude: ["d"] } })).trace;
      expect(kinds.filter((t) => !t.accepted).map((t) => [t.locationId, t.reason, t.misconfigured ?? false])).toEqual([
        ["b", "kind store not allowed (rule allows warehouse)", false],
        ["d", "excluded by the rule", false],
      ]);
      // A pickup elsewhere: the excluded store is simply another store.
      expect(filterCandidates(order({ speed: "pickup", pickupLocationId: "a" }), network, rule("r")).trace.find((t) => t.locationId === "b")?.reason).toBe("pickup at another store (a)");
    });
  });
});
