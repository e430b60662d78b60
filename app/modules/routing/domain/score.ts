/**
 * Scoring a set of shipping locations.  A score is a list of numbers compared left to right, lower
 * better: the shipment count first, then the rule's sort criteria.  Every criterion is a property of
 * the locations used (not of which line goes where), so a set of locations has one score and the
 * exact search can enumerate sets.
 */
import { own, type Candidate } from "./candidates";
import type { OrderLine, SortCriterion, SortKey } from "./types";

/** Stand-ins for "unlimited", so scores stay finite (and JSON-safe in the trace). */
export const UNCAPPED_CAPACITY = 1_000_000;
export const MAX_WEEKS_OF_SUPPLY = 1000;

/** Per-location values of each criterion, oriented so that lower is better. */
export type LocationValues = Record<SortKey, number>;

const LABELS: Record<SortKey, string> = {
  distance: "distance km (sum)",
  shipping_cost: "shipping cost ¢ (sum)",
  delivery_days: "delivery days (max)",
  stock_depth: "stock depth (min, negated)",
  weeks_of_supply: "weeks of supply (min, negated)",
  remaining_capacity: "remaining capacity (min, negated)",
  location_priority: "location priority (sum)",
};

/** Two decimals, and never -0 (so equal scores also look equal). */
export const round2 = (x: number) => Math.round(x * 100) / 100 + 0;

/** The criterion values of one candidate for this order. */
export function locationValues(candidate: Candidate, lines: OrderLine[]): LocationValues {
  const skus = lines.map((l) => l.sku).filter((s, i, all) => all.indexOf(s) === i);
  const stockOf = (sku: string) => candidate.stock[sku] ?? 0;
  const depth = skus.reduce((sum, sku) => sum + stockOf(sku), 0);
  // Weeks of supply of the thinnest SKU it holds; no demand on record means "lasts indefinitely".
  let weeks = MAX_WEEKS_OF_SUPPLY;
  for (const sku of skus) {
    const demand = own(candidate.location.weeklyDemand, sku) ?? 0;
    if (stockOf(sku) > 0 && demand > 0) weeks = Math.min(weeks, stockOf(sku) / demand);
  }
  return {
    distance: candidate.distanceKm,
    shipping_cost: candidate.costCents,
    delivery_days: candidate.days,
    stock_depth: 0 - depth,
    weeks_of_supply: 0 - round2(weeks),
    remaining_capacity: 0 - (candidate.remainingCap ?? UNCAPPED_CAPACITY),
    location_priority: candidate.location.priority,
  };
}

/** Combines per-location values into a plan value: sums for costs, worst case for the rest. */
function aggregate(key: SortKey, values: LocationValues[]): number {
  const column = values.map((v) => v[key]);
  switch (key) {
    case "distance":
      return Math.round(column.reduce((a, b) => a + b, 0) * 10) / 10;
    case "shipping_cost":
    case "location_priority":
      return column.reduce((a, b) => a + b, 0);
    default:
      // Days: the order is complete when the slowest shipment arrives.  Negated maxima: the weakest location counts.
      return Math.max(...column);
  }
}

export interface Scorer {
  keys: string[];
  score(members: LocationValues[]): number[];
}

/** The score function for a rule's criteria; weighted criteria share one slot at the first one's position. */
export function makeScorer(sort: SortCriterion[]): Scorer {
  const weighted = sort.filter((c) => c.weight !== undefined);
  const firstWeighted = sort.findIndex((c) => c.weight !== undefined);
  const keys = ["shipments"];
  sort.forEach((c, i) => {
    if (c.weight === undefined) keys.push(LABELS[c.by]);
    else if (i === firstWeighted) keys.push(`weighted(${weighted.map((w) => `${w.weight}×${LABELS[w.by]}`).join(" + ")})`);
  });
  return {
    keys,
    score(members) {
      const score = [members.length];
      sort.forEach((c, i) => {
        if (c.weight === undefined) score.push(aggregate(c.by, members));
        else if (i === firstWeighted) score.push(round2(weighted.reduce((sum, w) => sum + (w.weight ?? 0) * aggregate(w.by, members), 0)));
      });
      return score;
    },
  };
}

/** Lexicographic on the scores, then on the sorted location ids: a total order, so ties are deterministic. */
export function comparePlans(a: { score: number[]; ids: string[] }, b: { score: number[]; ids: string[] }): number {
  for (let i = 0; i < Math.max(a.score.length, b.score.length); i++) {
    const x = a.score[i] ?? 0;
    const y = b.score[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  for (let i = 0; i < Math.max(a.ids.length, b.ids.length); i++) {
    const x = a.ids[i];
    const y = b.ids[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    // Code-unit order, not localeCompare: no locale (or Intl) may change a decision.
    return x < y ? -1 : 1;
  }
  return 0;
}
