/**
 * Where a reservation takes its units from, before any routing decision exists: fill the line from
 * as few locations as possible (largest sellable first, ties by id for determinism), so a line is
 * split only when no single eligible location can cover it.  Pure.  Routing may move it later.
 */
export interface Requirement {
  variantId: string;
  /** Units of this variant per unit of the line (1 for a plain SKU; component quantity for a kit). */
  perUnit: number;
}

export interface CandidateLocation {
  locationId: string;
  /** Sellable units (available - held) per variant at this location. */
  sellable: Record<string, number>;
}

export interface PlannedTake {
  locationId: string;
  /** Line units served from here. */
  units: number;
  takes: { variantId: string; quantity: number }[];
}

export interface AllocationPlan {
  takes: PlannedTake[];
  /** Line units that could not be placed (0 when the plan covers the line). */
  shortfall: number;
  /** Line units buildable across all candidates. */
  coverable: number;
}

/** Line units buildable at one location (a kit needs every component there). */
export function buildableAt(loc: CandidateLocation, reqs: Requirement[]): number {
  let n = Number.POSITIVE_INFINITY;
  for (const r of reqs) n = Math.min(n, Math.floor(Math.max(0, loc.sellable[r.variantId] ?? 0) / r.perUnit));
  return Number.isFinite(n) ? n : 0;
}

export function planAllocation(units: number, reqs: Requirement[], candidates: CandidateLocation[]): AllocationPlan {
  const ranked = candidates
    .map((c) => ({ c, n: buildableAt(c, reqs) }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || (a.c.locationId < b.c.locationId ? -1 : 1));
  const coverable = ranked.reduce((s, x) => s + x.n, 0);
  // Prefer one location that covers the whole line (fewest splits); else fill largest first.
  const single = ranked.filter((x) => x.n >= units).sort((a, b) => a.n - b.n || (a.c.locationId < b.c.locationId ? -1 : 1))[0];
  const order = single ? [single] : ranked;
  let remaining = units;
  const takes: PlannedTake[] = [];
  for (const { c, n } of order) {
    if (remaining <= 0) break;
    const k = Math.min(remaining, n);
    takes.push({ locationId: c.locationId, units: k, takes: reqs.map((r) => ({ variantId: r.variantId, quantity: k * r.perUnit })) });
    remaining -= k;
  }
  return { takes, shortfall: remaining, coverable };
}
