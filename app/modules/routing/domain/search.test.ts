import { describe, expect, it } from "vitest";
import type { Candidate } from "./candidates";
import { location } from "./fixtures";
import { searchPlan, type SearchResult } from "./search";
import type { OrderLine, RoutingLocation, SortCriterion, SplitPolicy } from "./types";

interface CandidateFields {
  distanceKm?: number;
  costCents?: number;
  days?: number;
  remainingCap?: number | null;
  stock?: Record<string, number>;
  location?: Partial<RoutingLocation>;
}

/** A candidate 100 km away, 1000¢, 3 days, uncapped, 10 of A in stock. */
function cand(id: string, f: CandidateFields = {}): Candidate {
  return {
    location: location(id, f.location),
    distanceKm: f.distanceKm ?? 100,
    costCents: f.costCents ?? 1000,
    days: f.days ?? 3,
    stock: f.stock ?? { A: 10 },
    remainingCap: f.remainingCap ?? null,
  };
}

const line = (lineKey: string, sku: string, quantity: number): OrderLine => ({ lineKey, sku, quantity, tags: [] });
const oneA = [line("L1", "A", 1)];
const none: SplitPolicy = { kind: "none" };

function search(lines: OrderLine[], candidates: Candidate[], sort: SortCriterion[] = [], policy: SplitPolicy = none, exactUpTo?: number): SearchResult {
  return searchPlan(lines, candidates, policy, sort, exactUpTo === undefined ? {} : { exactUpTo });
}

/** Location ids of the winning plan, with the lines (key×qty) each ships. */
function winner(result: SearchResult, candidates: Candidate[], lines: OrderLine[] = oneA): string[] {
  const best = result.best;
  if (!best) return [`none: ${result.failure}`];
  return best.members.map((c) => {
    const taken = best.allocations.filter((a) => a.candidate === c).map((a) => `${lines[a.line]?.lineKey}×${a.quantity}`);
    return `${candidates[c]?.location.id}: ${taken.join(" ")}`;
  });
}

describe("searchPlan: sort criteria", () => {
  const cases: [string, SortCriterion[], Candidate[], string, number[]][] = [
    ["distance (nearest)", [{ by: "distance" }], [cand("a", { distanceKm: 100 }), cand("b", { distanceKm: 50 })], "b", [1, 50]],
    ["shipping cost (cheapest, even if farther)", [{ by: "shipping_cost" }], [cand("a", { costCents: 900, distanceKm: 900 }), cand("b", { costCents: 1200 })], "a", [1, 900]],
    ["delivery days (fastest)", [{ by: "delivery_days" }], [cand("a", { days: 5 }), cand("b", { days: 2 })], "b", [1, 2]],
    ["stock depth (most stock)", [{ by: "stock_depth" }], [cand("a", { stock: { A: 3 } }), cand("b", { stock: { A: 40 } })], "b", [1, -40]],
    [
      "weeks of supply (lasts longest)",
      [{ by: "weeks_of_supply" }],
      [cand("a", { stock: { A: 40 }, location: { weeklyDemand: { A: 20 } } }), cand("b", { stock: { A: 10 }, location: { weeklyDemand: { A: 1 } } })],
      "b",
      [1, -10],
    ],
    [
      "weeks of supply: no demand on record lasts indefinitely",
      [{ by: "weeks_of_supply" }],
      [cand("a", { stock: { A: 10 }, location: { weeklyDemand: { A: 1 } } }), cand("b", { stock: { A: 2 } })],
      "b",
      [1, -1000],
    ],
    ["remaining capacity (most left)", [{ by: "remaining_capacity" }], [cand("a", { remainingCap: 5 }), cand("b", { remainingCap: 20 })], "b", [1, -20]],
    ["remaining capacity: uncapped beats capped", [{ by: "remaining_capacity" }], [cand("a"), cand("b", { remainingCap: 500 })], "a", [1, -1000000]],
    ["location priority (lowest number)", [{ by: "location_priority" }], [cand("a", { location: { priority: 2 } }), cand("b", { location: { priority: 1 } })], "b", [1, 1]],
    [
      "lexicographic: the second criterion breaks a tie on the first",
      [{ by: "shipping_cost" }, { by: "delivery_days" }],
      [cand("a", { costCents: 900, days: 4 }), cand("b", { costCents: 900, days: 2 }), cand("c", { costCents: 950, days: 1 })],
      "b",
      [1, 900, 2],
    ],
    [
      "weights combine criteria into one (a day is worth 300¢)",
      [{ by: "shipping_cost", weight: 1 }, { by: "delivery_days", weight: 300 }],
      [cand("a", { costCents: 1000, days: 5 }), cand("b", { costCents: 1500, days: 3 })],
      "b",
      [1, 2400],
    ],
    ["no criteria: the location id decides", [], [cand("b"), cand("a")], "a", [1]],
    ["equal scores: the location id decides", [{ by: "shipping_cost" }], [cand("m"), cand("z"), cand("k", { costCents: 1001 })], "m", [1, 1000]],
  ];
  it.each(cases)("%s", (_name, sort, candidates, id, score) => {
    const result = search(oneA, candidates, sort);
    expect(winner(result, candidates)).toEqual([`${id}: L1×1`]);
    expect(result.best?.score).toEqual(score);
  });

  it("without weights the first criterion wins outright", () => {
    const candidates = [cand("a", { costCents: 1000, days: 5 }), cand("b", { costCents: 1500, days: 3 })];
    expect(winner(search(oneA, candidates, [{ by: "shipping_cost" }, { by: "delivery_days" }]), candidates)).toEqual(["a: L1×1"]);
  });

  it("names the score's parts", () => {
    expect(search(oneA, [cand("a")], [{ by: "distance" }, { by: "shipping_cost", weight: 1 }, { by: "delivery_days", weight: 300 }]).scoreKeys).toEqual([
      "shipments",
      "distance km (sum)",
      "weighted(1×shipping cost ¢ (sum) + 300×delivery days (max))",
    ]);
  });
});

describe("searchPlan: shipments and split policies", () => {
  const twoLines = [line("L1", "A", 2), line("L2", "B", 1)];
  const onlyA = cand("a", { stock: { A: 5 }, costCents: 500 });
  const onlyB = cand("b", { stock: { B: 5 }, costCents: 500 });
  const both = cand("z", { stock: { A: 5, B: 5 }, costCents: 5000, distanceKm: 4000 });

  it("fewest shipments come before every criterion", () => {
    const candidates = [onlyA, onlyB, both];
    const result = search(twoLines, candidates, [{ by: "shipping_cost" }], { kind: "max_shipments", n: 2 });
    expect(winner(result, candidates, twoLines)).toEqual(["z: L1×2 L2×1"]);
    expect(result.best?.score).toEqual([1, 5000]);
  });

  it("no split: fails, naming the candidate that comes closest", () => {
    const result = search(twoLines, [onlyA, onlyB], [], none);
    expect(result.best).toBeNull();
    expect(result.failure).toBe("split policy none: no single candidate holds the whole order (closest: a, 1 of 2 lines)");
  });

  it("up to N shipments: each line whole from one location", () => {
    const candidates = [onlyA, onlyB, cand("c", { stock: { B: 1 }, costCents: 400 })];
    const result = search(twoLines, candidates, [{ by: "shipping_cost" }], { kind: "max_shipments", n: 2 });
    expect(winner(result, candidates, twoLines)).toEqual(["a: L1×2", "c: L2×1"]);
    expect(result.best?.score).toEqual([2, 900]);
    expect(result.compared).toEqual([
      { locations: ["a", "c"], score: [2, 900] },
      { locations: ["a", "b"], score: [2, 1000] },
    ]);
  });

  it("up to N shipments never splits a line, even where splitting would be cheaper", () => {
    const lines = [line("L1", "A", 3), line("L2", "B", 1)];
    const candidates = [cand("x", { stock: { A: 2, B: 1 }, costCents: 100 }), cand("y", { stock: { A: 1 }, costCents: 100 }), cand("z", { stock: { A: 3 }, costCents: 900 })];
    expect(winner(search(lines, candidates, [{ by: "shipping_cost" }], { kind: "max_shipments", n: 2 }), candidates, lines)).toEqual(["x: L2×1", "z: L1×3"]);
    expect(winner(search(lines, candidates, [{ by: "shipping_cost" }], { kind: "split_lines" }), candidates, lines)).toEqual(["x: L1×2 L2×1", "y: L1×1"]);
  });

  it("up to N shipments: fails when more are needed", () => {
    const threeLines = [...twoLines, line("L3", "C", 1)];
    const result = search(threeLines, [onlyA, onlyB, cand("c", { stock: { C: 1 } })], [], { kind: "max_shipments", n: 2 });
    expect(result.failure).toBe("split policy max_shipments: no plan within 2 shipments, each line whole");
  });

  it("whole-line policies need a location holding each line whole", () => {
    const result = search([line("L1", "A", 6)], [cand("a", { stock: { A: 4 } }), cand("b", { stock: { A: 4 } })], [], { kind: "max_shipments", n: 3 });
    expect(result.failure).toBe("not enough stock: line L1 (A ×6) is not held whole by any candidate and the split policy keeps lines whole");
  });

  it("split lines: one line from two locations", () => {
    const candidates = [cand("a", { stock: { A: 4 } }), cand("b", { stock: { A: 4 } })];
    const result = search([line("L1", "A", 6)], candidates, [], { kind: "split_lines" });
    expect(winner(result, candidates, [line("L1", "A", 6)])).toEqual(["a: L1×4", "b: L1×2"]);
  });

  it("split lines: lines stay whole when the chosen locations allow it", () => {
    const lines = [line("L1", "A", 3), line("L2", "B", 3)];
    const candidates = [cand("a", { stock: { A: 3, B: 1 } }), cand("b", { stock: { A: 1, B: 3 } })];
    expect(winner(search(lines, candidates, [], { kind: "split_lines" }), candidates, lines)).toEqual(["a: L1×3", "b: L2×3"]);
  });

  it("split lines with a shipment limit", () => {
    const candidates = ["a", "b", "c"].map((id) => cand(id, { stock: { A: 2 } }));
    expect(search([line("L1", "A", 6)], candidates, [], { kind: "split_lines", maxShipments: 2 }).failure).toBe(
      "split policy split_lines: no plan within 2 shipments, splitting lines",
    );
  });

  it("packs several lines of one SKU whole within the stock of each location", () => {
    const lines = [line("L1", "A", 3), line("L2", "A", 3)];
    const candidates = [cand("x", { stock: { A: 4 } }), cand("y", { stock: { A: 3 } })];
    expect(winner(search(lines, candidates, [], { kind: "max_shipments", n: 2 }), candidates, lines)).toEqual(["x: L1×3", "y: L2×3"]);
  });

  it("reports stock that no set of candidates has", () => {
    expect(search([line("L1", "A", 30)], [cand("a"), cand("b")], [], { kind: "split_lines" }).failure).toBe("not enough stock: A: 30 ordered, 20 in stock at the candidates");
    expect(search(oneA, []).failure).toBe("no candidate location left");
  });
});

describe("searchPlan: modes and the trace", () => {
  const many = Array.from({ length: 30 }, (_, i) => cand(`loc-${String(i).padStart(2, "0")}`, { costCents: 1000 + i }));

  it("is exact up to 12 candidates and heuristic above", () => {
    expect(search(oneA, many.slice(0, 12)).mode).toBe("exact");
    expect(search(oneA, many.slice(0, 13)).mode).toBe("heuristic");
    expect(search(oneA, many.slice(0, 3), [], none, 2).mode).toBe("heuristic");
  });

  it("keeps the 20 best plans, best first, and counts all of them", () => {
    const result = search(oneA, many, [{ by: "shipping_cost" }]);
    expect(result.considered).toBe(30);
    expect(result.compared).toHaveLength(20);
    expect(result.compared[0]).toEqual({ locations: ["loc-00"], score: [1, 1000] });
    expect(result.compared[19]).toEqual({ locations: ["loc-19"], score: [1, 1019] });
  });

  it("the heuristic finds multi-shipment plans", () => {
    // 20 locations: each holds one of the SKUs A..E; the cheapest holder of each must be found.
    const lines = ["A", "B", "C", "D", "E"].map((sku, i) => line(`L${i + 1}`, sku, 1));
    const candidates = Array.from({ length: 20 }, (_, i) => cand(`loc-${String(i).padStart(2, "0")}`, { stock: { [lines[i % 5]?.sku ?? ""]: 1 }, costCents: 2000 - i }));
    const result = search(lines, candidates, [{ by: "shipping_cost" }], { kind: "split_lines" });
    expect(result.mode).toBe("heuristic");
    expect(result.best?.score).toEqual([5, 2000 * 5 - (15 + 16 + 17 + 18 + 19)]);
  });
});
