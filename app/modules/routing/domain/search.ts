/**
 * The plan search: which locations ship which lines.  Fewest shipments first, then the rule's
 * criteria (score.ts), then location ids.
 *
 * Exact up to EXACT_LIMIT candidates: every set of locations by increasing size, stopping at the
 * first size with a feasible plan (so, at most 2^12 = 4096 sets).  Above that a bounded heuristic:
 *   1. every single location (exact for one-shipment plans);
 *   2. a beam of BEAM_WIDTH sets, grown one location per level (by least uncovered units, then score)
 *      until a level holds a feasible plan or the split policy's shipment limit is reached;
 *   3. up to LOCAL_SEARCH_ROUNDS rounds of best-improvement local search (swap one location for
 *      another, or drop one).
 * Bound: at most C + (K - 1)·BEAM_WIDTH·C + LOCAL_SEARCH_ROUNDS·K·(C + 1) feasibility checks for C
 * candidates and K shipments, each O(lines × K) (plus at most PACKING_BUDGET packing steps per SKU).
 * Quality (route.property.test.ts, 1000 fixed-seed random instances of 4-12 locations, forced into
 * heuristic mode): the same plan as exact in all 721 feasible ones (612 of them multi-shipment); the
 * test holds it to the same shipment count and a cost within 1.25× of exact, equal in >= 95 %.
 */
import type { Candidate } from "./candidates";
import { comparePlans, locationValues, makeScorer, type LocationValues, type Scorer } from "./score";
import type { OrderLine, SearchMode, SortCriterion, SplitPolicy } from "./types";

export const EXACT_LIMIT = 12;
export const BEAM_WIDTH = 8;
export const LOCAL_SEARCH_ROUNDS = 4;
export const MAX_PLANS_TRACED = 20;
/** Backtracking steps per SKU when packing several lines of one SKU whole; past it the set counts as infeasible. */
export const PACKING_BUDGET = 10_000;

export interface SearchOptions {
  /** Exact search up to this many candidates (default EXACT_LIMIT). */
  exactUpTo?: number;
}

/** Units of one line taken from one candidate (index into the candidates given). */
export interface Allocation {
  line: number;
  candidate: number;
  quantity: number;
}

export interface FoundPlan {
  /** Candidate indices used, ascending. */
  members: number[];
  allocations: Allocation[];
  score: number[];
}

export interface SearchResult {
  mode: SearchMode;
  best: FoundPlan | null;
  /** The best plans seen, best first, at most MAX_PLANS_TRACED. */
  compared: { locations: string[]; score: number[] }[];
  /** Feasible plans scored. */
  considered: number;
  scoreKeys: string[];
  /** Why no plan was found (null when one was). */
  failure: string | null;
}

interface SkuGroup {
  sku: string;
  /** Line indices, largest quantity first. */
  lines: number[];
  demand: number;
}

/** A score and the sorted location ids it belongs to: what comparePlans orders. */
interface Bare {
  score: number[];
  ids: string[];
}

interface Scored extends FoundPlan, Bare {}

/** Searches for the best plan for `lines` over `candidates` (expected sorted by location id). */
export function searchPlan(
  lines: OrderLine[],
  candidates: Candidate[],
  policy: SplitPolicy,
  sort: SortCriterion[],
  options: SearchOptions = {},
): SearchResult {
  return new Search(lines, candidates, policy, sort).run(options.exactUpTo ?? EXACT_LIMIT);
}

class Search {
  private readonly groups: SkuGroup[];
  private readonly values: LocationValues[];
  private readonly scorer: Scorer;
  /** Candidate indices in order of their one-shipment score: the preference order for packing. */
  private readonly rank: number[];
  private readonly rankOf: number[];
  private readonly wholeLines: boolean;
  private readonly maxShipments: number;
  private readonly top: Scored[] = [];
  private readonly seen = new Set<string>();
  /** Sets already evaluated (by sorted indices): the beam and the local search revisit many. */
  private readonly evaluated = new Map<string, Scored | null>();
  private considered = 0;

  constructor(
    private readonly lines: OrderLine[],
    private readonly candidates: Candidate[],
    private readonly policy: SplitPolicy,
    sort: SortCriterion[],
  ) {
    const bySku = new Map<string, SkuGroup>();
    lines.forEach((line, i) => {
      const group = bySku.get(line.sku) ?? { sku: line.sku, lines: [], demand: 0 };
      group.lines.push(i);
      group.demand += line.quantity;
      bySku.set(line.sku, group);
    });
    this.groups = [...bySku.values()];
    for (const g of this.groups) g.lines.sort((a, b) => this.qty(b) - this.qty(a) || a - b);
    this.values = candidates.map((c) => locationValues(c, lines));
    this.scorer = makeScorer(sort);
    this.wholeLines = policy.kind !== "split_lines";
    const singles = candidates.map((_, i) => this.bare([i]));
    this.rank = candidates.map((_, i) => i).sort((a, b) => comparePlans(singles[a] as Bare, singles[b] as Bare));
    this.rankOf = [];
    this.rank.forEach((c, position) => (this.rankOf[c] = position));
    const limit = policy.kind === "none" ? 1 : policy.kind === "max_shipments" ? policy.n : (policy.maxShipments ?? Infinity);
    this.maxShipments = Math.min(limit, candidates.length);
  }

  run(exactUpTo: number): SearchResult {
    const mode = this.candidates.length <= exactUpTo ? "exact" : "heuristic";
    const failure = this.uncoverable();
    if (failure === null) {
      if (mode === "exact") this.exact();
      else this.heuristic();
    }
    const best = this.top[0] ?? null;
    return {
      mode,
      best: best && { members: best.members, allocations: best.allocations, score: best.score },
      compared: this.top.map((p) => ({ locations: p.ids, score: p.score })),
      considered: this.considered,
      scoreKeys: this.scorer.keys,
      failure: best ? null : (failure ?? this.policyFailure()),
    };
  }

  // ---- exact ----------------------------------------------------------------------------------

  private exact(): void {
    const n = this.candidates.length;
    for (let k = 1; k <= this.maxShipments && this.top.length === 0; k++) {
      // Sets of size k in lexicographic order of indices.
      const set = Array.from({ length: k }, (_, i) => i);
      for (;;) {
        this.evaluate(set);
        let i = k - 1;
        while (i >= 0 && set[i] === n - k + i) i--;
        if (i < 0) break;
        set[i] = (set[i] ?? 0) + 1;
        for (let j = i + 1; j < k; j++) set[j] = (set[j - 1] ?? 0) + 1;
      }
    }
  }

  // ---- heuristic ------------------------------------------------------------------------------

  private heuristic(): void {
    const n = this.candidates.length;
    for (let c = 0; c < n; c++) this.evaluate([c]);
    // The first beam: the singles that leave the least uncovered, then by score.
    let beam = this.rank
      .map((c) => ({ c, uncovered: this.uncoveredUnits([c]) }))
      .sort((a, b) => a.uncovered - b.uncovered || (this.rankOf[a.c] ?? 0) - (this.rankOf[b.c] ?? 0))
      .slice(0, BEAM_WIDTH)
      .map(({ c }) => [c]);
    for (let k = 2; k <= this.maxShipments && this.top.length === 0 && beam.length > 0; k++) {
      const next = new Map<string, { set: number[]; uncovered: number }>();
      for (const state of beam) {
        const short = this.shortSkus(state);
        for (let c = 0; c < n; c++) {
          if (state.includes(c)) continue;
          // Only locations that hold something still missing can help (when nothing is short, packing was the problem).
          if (short.length > 0 && !short.some((sku) => (this.candidates[c]?.stock[sku] ?? 0) > 0)) continue;
          const set = [...state, c].sort((a, b) => a - b);
          const key = set.join(",");
          if (next.has(key)) continue;
          if (this.evaluate(set) !== null) continue;
          next.set(key, { set, uncovered: this.uncoveredUnits(set) });
        }
      }
      // Scores only for the states that can still make the cut (the BEAM_WIDTH-th least uncovered or better).
      const states = [...next.values()].sort((a, b) => a.uncovered - b.uncovered);
      const cut = states[Math.min(BEAM_WIDTH, states.length) - 1]?.uncovered ?? 0;
      beam = states
        .filter((st) => st.uncovered <= cut)
        .map((st) => ({ ...st, ...this.bare(st.set) }))
        .sort((a, b) => a.uncovered - b.uncovered || comparePlans(a, b))
        .slice(0, BEAM_WIDTH)
        .map((st) => st.set);
    }
    this.localSearch();
  }

  private localSearch(): void {
    let current = this.top[0];
    // Every single location was tried already: a one-shipment plan cannot be improved.
    if (current && current.members.length === 1) return;
    for (let round = 0; current && round < LOCAL_SEARCH_ROUNDS; round++) {
      const members = current.members;
      let improved: Scored | null = null;
      for (const out of members) {
        const rest = members.filter((m) => m !== out);
        const moves = [rest, ...this.candidates.map((_, c) => c).filter((c) => !members.includes(c)).map((c) => [...rest, c])];
        for (const move of moves) {
          if (move.length === 0) continue;
          const plan = this.evaluate(move.sort((a, b) => a - b));
          if (plan && comparePlans(plan, improved ?? current) < 0) improved = plan;
        }
      }
      if (improved === null) break;
      current = improved;
    }
  }

  // ---- evaluating a set -----------------------------------------------------------------------

  /** Packs the set; a feasible plan is scored on the locations it actually uses and kept if among the best. */
  private evaluate(set: number[]): Scored | null {
    const setKey = set.join(",");
    const known = this.evaluated.get(setKey);
    if (known !== undefined) return known;
    const plan = this.quickCheck(set) ? this.packAndScore(set) : null;
    this.evaluated.set(setKey, plan);
    return plan;
  }

  private packAndScore(set: number[]): Scored | null {
    const allocations = this.pack(set);
    if (allocations === null) return null;
    const used = set.filter((c) => allocations.some((a) => a.candidate === c));
    const plan: Scored = { members: used, allocations, ...this.bare(used) };
    const key = used.join(",");
    if (this.seen.has(key)) return plan;
    this.seen.add(key);
    this.considered++;
    const at = this.top.findIndex((p) => comparePlans(plan, p) < 0);
    if (at >= 0) this.top.splice(at, 0, plan);
    else this.top.push(plan);
    if (this.top.length > MAX_PLANS_TRACED) this.top.pop();
    return plan;
  }

  /** Score and sorted ids of a set of locations. */
  private bare(set: number[]): Bare {
    return {
      score: this.scorer.score(set.map((c) => this.values[c] as LocationValues)),
      ids: set.map((c) => this.id(c)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    };
  }

  /** Necessary conditions, cheap: enough stock per SKU, and (whole lines) a home for each line. */
  private quickCheck(set: number[]): boolean {
    for (const g of this.groups) {
      if (this.stockIn(set, g.sku) < g.demand) return false;
      if (this.wholeLines && !g.lines.every((l) => set.some((c) => this.stockAt(c, g.sku) >= this.qty(l)))) return false;
    }
    return true;
  }

  /**
   * Assigns every line to the set's locations within their stock, preferring better-ranked locations.
   * Whole lines when possible; with split_lines a SKU whose lines cannot go whole is split greedily.
   */
  private pack(set: number[]): Allocation[] | null {
    const ordered = [...set].sort((a, b) => (this.rankOf[a] ?? 0) - (this.rankOf[b] ?? 0));
    const allocations: Allocation[] = [];
    for (const g of this.groups) {
      const whole = this.packWhole(g, ordered);
      if (whole !== null) allocations.push(...whole);
      else if (this.wholeLines) return null;
      else allocations.push(...this.packSplit(g, ordered));
    }
    return allocations.sort((a, b) => a.line - b.line || (this.rankOf[a.candidate] ?? 0) - (this.rankOf[b.candidate] ?? 0));
  }

  /** Backtracking over the group's lines (largest first); one line per location slot, no splitting. */
  private packWhole(g: SkuGroup, ordered: number[]): Allocation[] | null {
    const left = ordered.map((c) => this.stockAt(c, g.sku));
    const choice: number[] = [];
    let steps = 0;
    const place = (i: number): boolean => {
      if (i === g.lines.length) return true;
      const line = g.lines[i] as number;
      const qty = this.qty(line);
      for (let s = 0; s < ordered.length; s++) {
        if (++steps > PACKING_BUDGET) return false;
        if ((left[s] ?? 0) < qty) continue;
        left[s] = (left[s] ?? 0) - qty;
        choice[i] = s;
        if (place(i + 1)) return true;
        left[s] = (left[s] ?? 0) + qty;
      }
      return false;
    };
    if (!place(0)) return null;
    return g.lines.map((line, i) => ({ line, candidate: ordered[choice[i] ?? 0] as number, quantity: this.qty(line) }));
  }

  /** quickCheck guaranteed enough stock in total, so taking in preference order always completes. */
  private packSplit(g: SkuGroup, ordered: number[]): Allocation[] {
    const left = ordered.map((c) => this.stockAt(c, g.sku));
    const allocations: Allocation[] = [];
    for (const line of g.lines) {
      let need = this.qty(line);
      // One location for the whole line if any can still take it; split only the lines that must be.
      const whole = left.findIndex((units) => units >= need);
      const order = whole >= 0 ? [whole] : left.map((_, s) => s);
      for (const s of order) {
        const take = Math.min(need, left[s] ?? 0);
        if (take <= 0) continue;
        left[s] = (left[s] ?? 0) - take;
        need -= take;
        allocations.push({ line, candidate: ordered[s] as number, quantity: take });
        if (need === 0) break;
      }
    }
    return allocations;
  }

  // ---- why not --------------------------------------------------------------------------------

  /** SKUs the set holds too little of. */
  private shortSkus(set: number[]): string[] {
    return this.groups.filter((g) => this.stockIn(set, g.sku) < g.demand).map((g) => g.sku);
  }

  /** Units the set cannot place: a guide for the beam (whole lines: first-fit, largest first). */
  private uncoveredUnits(set: number[]): number {
    let missing = 0;
    for (const g of this.groups) {
      if (!this.wholeLines) {
        missing += Math.max(0, g.demand - this.stockIn(set, g.sku));
        continue;
      }
      const left = set.map((c) => this.stockAt(c, g.sku));
      for (const line of g.lines) {
        const s = left.findIndex((units) => units >= this.qty(line));
        if (s >= 0) left[s] = (left[s] ?? 0) - this.qty(line);
        else missing += this.qty(line);
      }
    }
    return missing;
  }

  /** Why no set of candidates at all can cover the order, or null when stock is not the problem. */
  private uncoverable(): string | null {
    if (this.candidates.length === 0) return "no candidate location left";
    const all = this.candidates.map((_, c) => c);
    const problems: string[] = [];
    for (const g of this.groups) {
      const total = this.stockIn(all, g.sku);
      if (total < g.demand) {
        problems.push(`${g.sku}: ${g.demand} ordered, ${total} in stock at the candidates`);
        continue;
      }
      if (this.wholeLines) {
        for (const l of g.lines) {
          if (!all.some((c) => this.stockAt(c, g.sku) >= this.qty(l))) {
            problems.push(`line ${this.lines[l]?.lineKey} (${g.sku} ×${this.qty(l)}) is not held whole by any candidate and the split policy keeps lines whole`);
          }
        }
      }
    }
    return problems.length > 0 ? `not enough stock: ${problems.join("; ")}` : null;
  }

  private policyFailure(): string {
    if (this.policy.kind === "none") {
      // Name the candidate that comes closest, so the merchant sees what is missing.
      let best = 0;
      let most = -1;
      for (const c of this.rank) {
        const held = this.lines.filter((l) => this.stockAt(c, l.sku) >= l.quantity).length;
        if (held > most) [best, most] = [c, held];
      }
      return `split policy none: no single candidate holds the whole order (closest: ${this.id(best)}, ${most} of ${this.lines.length} lines)`;
    }
    const how = this.wholeLines ? "each line whole" : "splitting lines";
    return `split policy ${this.policy.kind}: no plan within ${this.maxShipments} shipments, ${how}`;
  }

  // ---- small helpers --------------------------------------------------------------------------

  private qty(line: number): number {
    return this.lines[line]?.quantity ?? 0;
  }

  private stockAt(candidate: number, sku: string): number {
    return this.candidates[candidate]?.stock[sku] ?? 0;
  }

  private stockIn(set: number[], sku: string): number {
    return set.reduce((sum, c) => sum + this.stockAt(c, sku), 0);
  }

  private id(candidate: number): string {
    return this.candidates[candidate]?.location.id ?? "";
  }
}
