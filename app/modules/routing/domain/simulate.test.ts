import { describe, expect, it } from "vitest";
import { location, order, profile, rule } from "./fixtures";
import { simulate } from "./simulate";

const network = {
  locations: [
    location("a", { priority: 1, stock: { A: 2 } }),
    location("store", { kind: "store", shipsFromStore: true, priority: 2, dailyCap: 1, usedToday: 0, stock: { A: 10 } }),
  ],
};
const byPriority = profile([rule("r", { sort: [{ by: "location_priority" }], fallback: { kind: "backorder" } })]);

describe("simulate", () => {
  it("consumes stock and daily slots order by order without changing the input network", () => {
    const r = simulate(network, byPriority, ["o1", "o2", "o3", "o4"].map((id) => order({ id, lines: [{ lineKey: "1", sku: "A", quantity: 1, tags: [] }] })));
    expect(r.decisions.map((d) => d.plan?.shipments[0]?.locationId ?? d.status)).toEqual(["a", "a", "store", "backordered"]);
    expect(network.locations[0]!.stock.A).toBe(2);
    expect(network.locations[1]!.usedToday).toBe(0);
  });

  it("shows each order only its eligible locations, sharing the stock they take", () => {
    const r = simulate(network, byPriority, [order({ id: "x" }), order({ id: "y" })], { eligible: (o) => (o.id === "x" ? new Set(["store"]) : null) });
    expect(r.decisions.map((d) => d.plan?.shipments[0]?.locationId)).toEqual(["store", "a"]);
    expect(r.decisions[0]!.trace.candidates.map((c) => c.locationId)).toEqual(["store"]);
  });

  it("an excluded location shows only in the traces of orders it is eligible for", () => {
    const withExcluded = { ...network, excluded: [{ id: "bk", name: "Brooklyn", reason: "opening hours: not valid JSON" }] };
    const r = simulate(withExcluded, byPriority, [order({ id: "x" }), order({ id: "y" })], { eligible: (o) => (o.id === "x" ? new Set(["a"]) : new Set(["a", "bk"])) });
    expect(r.decisions.map((d) => d.trace.candidates.map((c) => c.locationId))).toEqual([["a"], ["a", "bk"]]);
    expect(r.decisions.map((d) => d.plan?.shipments[0]?.locationId)).toEqual(["a", "a"]);
  });

  it("with local times per order, a new local day starts the daily cap from zero", () => {
    const day = (date: string) => ({ weekday: "tue" as const, minutes: 600, date });
    const times: Record<string, string> = { o1: "2026-11-24", o2: "2026-11-24", o3: "2026-11-25" };
    const onlyStore = profile([rule("r", { candidateFilter: { include: ["store"] }, fallback: { kind: "backorder" } })]);
    const r = simulate(network, onlyStore, ["o1", "o2", "o3"].map((id) => order({ id })), {
      localTimes: (o) => ({ a: day(times[o.id]!), store: day(times[o.id]!) }),
    });
    expect(r.decisions.map((d) => d.status)).toEqual(["routed", "backordered", "routed"]);
    expect(r.decisions[1]!.trace.candidates.find((c) => c.locationId === "store")!.reason).toMatch(/daily ship-from-store cap reached \(1\/1\)/);
  });
});
