/**
 * Scoring a set of shipping locations.  A score is a list of numbers compared left to right, lower
 * better: the shipment count first, then the rule's sort criteria.  Every criterion is a property of
 * the locations used (not of which line goes where), so a set of locations has one score and the
 * exact search can enumerate sets.
 *
 * The search scores hundreds of sets per order, so the scorer works on candidate indices over
 * per-criterion columns (one number per candidate) instead of building a list of values per set.
 */
import { own, type Candidate } from "./candidates";
import type { SortCriterion, SortKey } from "./types";

/** Stand-ins for "unlimited", so scores stay finite (and JSON-safe in the trace). */
export const UNCAPPED_CAPACITY = 1_000_000;
export const MAX_WEEKS_OF_SUPPLY = 1000;

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

/**
 * Each candidate's value of one criterion for this order, oriented so that lower is better.
 * `skus` are the order's distinct SKUs; stock[i·n + c] is candidate c's stock of skus[i] (n candidates).
 */
export function criterionValues(key: SortKey, candidates: Candidate[], skus: readonly string[], stock: Float64Array): Float64Array {
  const n = candidates.length;
  const values = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const candidate = candidates[c]!;
    switch (key) {
      case "distance":
        values[c] = candidate.distanceKm;
        break;
      case "shipping_cost":
        values[c] = candidate.costCents;
        break;
      case "delivery_days":
        values[c] = candidate.days;
        break;
      case "stock_depth": {
        let depth = 0;
        for (let i = 0; i < skus.length; i++) depth += stock[i * n + c]!;
        values[c] = 0 - depth;
        break;
      }
      case "weeks_of_supply": {
        // Weeks of supply of the thinnest SKU it holds; no demand on record means "lasts indefinitely".
        let weeks = MAX_WEEKS_OF_SUPPLY;
        for (let i = 0; i < skus.length; i++) {
          const units = stock[i * n + c]!;
          const demand = own(candidate.location.weeklyDemand, skus[i]!) ?? 0;
          if (units > 0 && demand > 0) weeks = Math.min(weeks, units / demand);
        }
        values[c] = 0 - round2(weeks);
        break;
      }
      case "remaining_capacity":
        values[c] = 0 - (candidate.remainingCap ?? UNCAPPED_CAPACITY);
        break;
      case "location_priority":
        values[c] = candidate.location.priority;
        break;
    }
  }
  return values;
}

/** How a criterion combines over the locations of a plan: sums for costs, worst case for the rest. */
const DISTANCE_SUM = 0;
const SUM = 1;
const MAX = 2;

function combination(key: SortKey): number {
  if (key === "distance") return DISTANCE_SUM;
  if (key === "shipping_cost" || key === "location_priority") return SUM;
  // Days: the order is complete when the slowest shipment arrives.  Negated maxima: the weakest location counts.
  return MAX;
}

/** One criterion over the candidates: its column of values and how they combine. */
interface Column {
  how: number;
  values: Float64Array;
  weight: number;
}

/**
 * The plan value of one criterion for `members` (candidate indices, the first `count` of them).
 * Sums are added in member order from 0, as a reduce would, so the float result is the same for the
 * same set whoever computes it.
 */
function aggregate(column: Column, members: ArrayLike<number>, count: number): number {
  const values = column.values;
  if (column.how === MAX) {
    let max = -Infinity;
    for (let i = 0; i < count; i++) max = Math.max(max, values[members[i]!]!);
    return max;
  }
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[members[i]!]!;
  return column.how === DISTANCE_SUM ? Math.round(sum * 10) / 10 : sum;
}

export interface Scorer {
  keys: string[];
  /** Numbers in a score (keys.length). */
  width: number;
  /** Writes the score of the first `count` of `members` (candidate indices, ascending) to out[at..at + width). */
  score(members: ArrayLike<number>, count: number, out: Float64Array, at: number): void;
}

/**
 * The score function for a rule's criteria; `values(key)` gives the candidates' values of a criterion
 * (asked once per criterion used).  Weighted criteria share one slot at the first one's position.
 */
export function makeScorer(sort: SortCriterion[], values: (key: SortKey) => Float64Array): Scorer {
  const known = new Map<SortKey, Float64Array>();
  const column = (c: SortCriterion): Column => {
    const perCandidate = known.get(c.by) ?? values(c.by);
    known.set(c.by, perCandidate);
    return { how: combination(c.by), values: perCandidate, weight: c.weight ?? 0 };
  };
  const weighted = sort.filter((c) => c.weight !== undefined);
  const firstWeighted = sort.findIndex((c) => c.weight !== undefined);
  const keys = ["shipments"];
  /** Per score slot after the count: one unweighted column, or the weighted columns summed. */
  const slots: { weighted: boolean; parts: Column[] }[] = [];
  sort.forEach((c, i) => {
    if (c.weight === undefined) {
      keys.push(LABELS[c.by]);
      slots.push({ weighted: false, parts: [column(c)] });
    } else if (i === firstWeighted) {
      keys.push(`weighted(${weighted.map((w) => `${w.weight}×${LABELS[w.by]}`).join(" + ")})`);
      slots.push({ weighted: true, parts: weighted.map(column) });
    }
  });
  return {
    keys,
    width: keys.length,
    score(members, count, out, at) {
      out[at] = count;
      for (let s = 0; s < slots.length; s++) {
        const { weighted: summed, parts } = slots[s]!;
        if (!summed) {
          out[at + s + 1] = aggregate(parts[0]!, members, count);
          continue;
        }
        let sum = 0;
        for (let p = 0; p < parts.length; p++) sum += parts[p]!.weight * aggregate(parts[p]!, members, count);
        out[at + s + 1] = round2(sum);
      }
    },
  };
}
