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
 *
 * Cost: a decision checks hundreds of sets (bench/routing.ts, 50 candidates, an order that needs two
 * shipments: ~430 checks, ~170 of them feasible plans), so a check allocates nothing: stock is a
 * SKU × candidate matrix of numbers, sets are index lists in reused buffers keyed by a number in an
 * open-addressing table, scored sets live in flat typed arrays (ScoredSets), the id tie-break compares
 * id ranks instead of strings, and allocations are built for the winner alone, by packing its set
 * again.  Same checks, same order, same arithmetic as the plain version: the results are identical.
 */
import type { Candidate } from "./candidates";
import { criterionValues, makeScorer, type Scorer } from "./score";
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

/** A set's identity: its ascending indices as digits c + 1 in base n + 2 while that is exact in a double, else joined. */
type SetKey = number | string;

/** KeyTable.get of a key never set. */
const MISSING = -2;
/** An evaluated set with no feasible plan. */
const INFEASIBLE = -1;

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

/**
 * Indices into the typed arrays below are in range by construction (candidates < n, slots < set
 * size <= n, lines < lines.length, entries < count), hence the non-null assertions on reads.
 */
class Search {
  private readonly n: number;
  private readonly groups: SkuGroup[];
  /** Stock of group g's SKU at candidate c, at [g·n + c]. */
  private readonly stock: Float64Array;
  private readonly demand: Float64Array;
  private readonly qty: Float64Array;
  private readonly scorer: Scorer;
  /** Dense rank of each candidate's location id in code-unit order, and the id of each rank. */
  private readonly idRank: Int32Array;
  private readonly idByRank: string[] = [];
  /** Candidate indices in order of their one-shipment score: the preference order for packing. */
  private readonly rank: number[];
  private readonly rankOf: Int32Array;
  private readonly wholeLines: boolean;
  private readonly maxShipments: number;
  private readonly keyRadix: number;
  /** Set sizes up to this get a numeric key. */
  private readonly keyDigits: number;
  /** Every scored set: feasible plans, and the beam's candidates for the next level. */
  private readonly scored: ScoredSets;
  /** The best plans (entries of `scored`), best first, at most MAX_PLANS_TRACED. */
  private readonly top: number[] = [];
  /** Plans by the key of the locations they use: another set using the same ones scores the same. */
  private readonly seen: KeyTable;
  /** Sets already evaluated (plan entry or INFEASIBLE): the beam and the local search revisit many (the exact search never does). */
  private readonly evaluated: KeyTable;
  private remember = true;
  /** The set a plan was packed from, where the packing left one of its locations unused. */
  private readonly packedFrom = new Map<number, number[]>();
  private considered = 0;

  // Scratch, reused by every check (nothing in here nests).
  /** The set being packed, in rank order: slot s is candidate ordered[s]. */
  private readonly ordered: Int32Array;
  private readonly left: Float64Array;
  private readonly slotUsed: Uint8Array;
  /** Candidates in the state being grown or the plan being changed (heuristic, local search). */
  private readonly mark: Uint8Array;
  /** Candidates a packing used (packAndScore; cleared again before it returns). */
  private readonly usedMark: Uint8Array;
  private readonly choice: Int32Array;
  private slots = 0;
  private placing: number[] = [];
  private steps = 0;
  private readonly members: number[] = [];
  private readonly grown: number[] = [];
  private readonly rest: number[] = [];

  constructor(
    private readonly lines: OrderLine[],
    private readonly candidates: Candidate[],
    private readonly policy: SplitPolicy,
    sort: SortCriterion[],
  ) {
    const n = candidates.length;
    this.n = n;
    const bySku = new Map<string, SkuGroup>();
    lines.forEach((line, i) => {
      const group = bySku.get(line.sku) ?? { sku: line.sku, lines: [], demand: 0 };
      group.lines.push(i);
      group.demand += line.quantity;
      bySku.set(line.sku, group);
    });
    this.groups = [...bySku.values()];
    const qty = new Float64Array(lines.length);
    lines.forEach((l, i) => (qty[i] = l.quantity));
    this.qty = qty;
    for (const g of this.groups) g.lines.sort((a, b) => qty[b]! - qty[a]! || a - b);
    const skus = this.groups.map((g) => g.sku);
    this.demand = new Float64Array(skus.length);
    this.stock = new Float64Array(skus.length * n);
    for (let g = 0; g < skus.length; g++) {
      const sku = skus[g]!;
      this.demand[g] = this.groups[g]!.demand;
      for (let c = 0; c < n; c++) this.stock[g * n + c] = candidates[c]!.stock[sku] ?? 0;
    }
    this.scorer = makeScorer(sort, (key) => criterionValues(key, candidates, skus, this.stock));
    this.wholeLines = policy.kind !== "split_lines";

    // Code-unit order, not localeCompare: no locale (or Intl) may change a decision.
    const ids = candidates.map((c) => c.location.id);
    const byId = ids.map((_, i) => i);
    if (ids.some((id, i) => i > 0 && ids[i - 1]! > id)) byId.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
    this.idRank = new Int32Array(n);
    byId.forEach((c, i) => {
      if (i === 0 || ids[c] !== ids[byId[i - 1]!]) this.idByRank.push(ids[c]!);
      this.idRank[c] = this.idByRank.length - 1;
    });
    // Sized for a two-level heuristic search (singles, then up to BEAM_WIDTH·n pairs); they grow if need be.
    this.scored = new ScoredSets(this.scorer, this.idRank, BEAM_WIDTH * n);
    this.seen = new KeyTable(BEAM_WIDTH * n);
    this.evaluated = new KeyTable(BEAM_WIDTH * n);

    // The singles are scored first, so entry c is candidate c alone.
    const one = [0];
    for (let c = 0; c < n; c++) {
      one[0] = c;
      this.scored.add(one, 1);
    }
    this.rank = Array.from({ length: n }, (_, c) => c).sort((a, b) => this.scored.compare(a, b));
    this.rankOf = new Int32Array(n);
    this.rank.forEach((c, position) => (this.rankOf[c] = position));
    const limit = policy.kind === "none" ? 1 : policy.kind === "max_shipments" ? policy.n : (policy.maxShipments ?? Infinity);
    this.maxShipments = Math.min(limit, n);

    this.keyRadix = n + 2;
    let digits = 0;
    for (let p = this.keyRadix; p <= 2 ** 53; p *= this.keyRadix) digits++;
    this.keyDigits = digits;

    this.ordered = new Int32Array(n);
    this.left = new Float64Array(n);
    this.slotUsed = new Uint8Array(n);
    this.mark = new Uint8Array(n);
    this.usedMark = new Uint8Array(n);
    this.choice = new Int32Array(lines.length);
  }

  run(exactUpTo: number): SearchResult {
    const mode = this.candidates.length <= exactUpTo ? "exact" : "heuristic";
    const failure = this.uncoverable();
    if (failure === null) {
      if (mode === "exact") this.exact();
      else this.heuristic();
    }
    const compared = this.top.map((p) => ({ locations: this.scored.ranksOf(p).map((r) => this.idByRank[r]!), score: this.scored.scoreOf(p) }));
    const best = this.top[0];
    return {
      mode,
      best:
        best === undefined
          ? null
          : { members: this.scored.membersOf(best), allocations: this.allocate(this.packedFrom.get(best) ?? this.scored.membersOf(best)), score: compared[0]!.score },
      compared,
      considered: this.considered,
      scoreKeys: this.scorer.keys,
      failure: best !== undefined ? null : (failure ?? this.policyFailure()),
    };
  }

  // ---- exact ----------------------------------------------------------------------------------

  private exact(): void {
    const n = this.n;
    // Every set comes up once: remembering them would only cost.
    this.remember = false;
    for (let k = 1; k <= this.maxShipments && this.top.length === 0; k++) {
      // Sets of size k in lexicographic order of indices.
      const set = Array.from({ length: k }, (_, i) => i);
      for (;;) {
        this.evaluate(set, k);
        let i = k - 1;
        while (i >= 0 && set[i] === n - k + i) i--;
        if (i < 0) break;
        set[i] = set[i]! + 1;
        for (let j = i + 1; j < k; j++) set[j] = set[j - 1]! + 1;
      }
    }
  }

  // ---- heuristic ------------------------------------------------------------------------------

  private heuristic(): void {
    const n = this.n;
    const one = [0];
    const uncovered = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      one[0] = c;
      this.evaluate(one, 1);
      uncovered[c] = this.uncoveredUnits(one, 1);
    }
    // The first beam: the singles that leave the least uncovered, then by score.
    let beam = this.rank
      .slice()
      .sort((a, b) => uncovered[a]! - uncovered[b]! || this.rankOf[a]! - this.rankOf[b]!)
      .slice(0, BEAM_WIDTH)
      .map((c) => [c]);
    const grown = this.grown;
    const short: number[] = [];
    const open: number[] = [];
    for (let k = 2; k <= this.maxShipments && this.top.length === 0 && beam.length > 0; k++) {
      // The infeasible sets of this level in the order found, each once (k indices each), with their uncovered units.
      const level = new KeyTable(BEAM_WIDTH * n);
      const sets: number[] = [];
      const units: number[] = [];
      for (const state of beam) {
        const size = state.length;
        this.shortGroups(state, size, short);
        if (this.wholeLines) this.openGroups(state, size, open);
        for (let i = 0; i < size; i++) this.mark[state[i]!] = 1;
        for (let c = 0; c < n; c++) {
          if (this.mark[c]) continue;
          // Only locations that hold something still missing can help (when nothing is short, packing was the problem).
          if (short.length > 0 && !this.holdsAny(c, short)) continue;
          let j = 0;
          for (; j < size && state[j]! < c; j++) grown[j] = state[j]!;
          grown[j] = c;
          for (; j < size; j++) grown[j + 1] = state[j]!;
          const key = this.keyOf(grown, k);
          if (level.get(key) !== MISSING) continue;
          if (this.evaluate(grown, k, key) !== INFEASIBLE) continue;
          level.set(key, units.length);
          for (let i = 0; i < k; i++) sets.push(grown[i]!);
          units.push(this.uncoveredUnits(grown, k, this.wholeLines ? open : null));
        }
        for (let i = 0; i < size; i++) this.mark[state[i]!] = 0;
      }
      // Scores only for the states that can still make the cut (the BEAM_WIDTH-th least uncovered or better).
      const cut = nthSmallest(units, Math.min(BEAM_WIDTH, units.length));
      const picked: number[] = [];
      const entry: number[] = [];
      units.forEach((u, i) => {
        if (u > cut) return;
        picked.push(i);
        entry[i] = this.scored.add(sets.slice(i * k, i * k + k), k);
      });
      beam = picked
        .sort((a, b) => units[a]! - units[b]! || this.scored.compare(entry[a]!, entry[b]!))
        .slice(0, BEAM_WIDTH)
        .map((i) => sets.slice(i * k, i * k + k));
    }
    this.localSearch();
  }

  private localSearch(): void {
    let current = this.top[0];
    // Every single location was tried already: a one-shipment plan cannot be improved.
    if (current !== undefined && this.scored.sizeOf(current) === 1) return;
    const n = this.n;
    const rest = this.rest;
    const move = this.grown;
    for (let round = 0; current !== undefined && round < LOCAL_SEARCH_ROUNDS; round++) {
      const members = this.scored.membersOf(current);
      const size = members.length - 1;
      let improved = INFEASIBLE;
      for (const m of members) this.mark[m] = 1;
      for (const out of members) {
        let r = 0;
        for (const m of members) if (m !== out) rest[r++] = m;
        // Drop `out`, then swap it for each location not in the plan (in index order).
        if (size > 0) {
          const plan = this.evaluate(rest, size);
          if (plan >= 0 && this.scored.compare(plan, improved >= 0 ? improved : current) < 0) improved = plan;
        }
        for (let c = 0; c < n; c++) {
          if (this.mark[c]) continue;
          let j = 0;
          for (; j < size && rest[j]! < c; j++) move[j] = rest[j]!;
          move[j] = c;
          for (; j < size; j++) move[j + 1] = rest[j]!;
          const plan = this.evaluate(move, size + 1);
          if (plan >= 0 && this.scored.compare(plan, improved >= 0 ? improved : current) < 0) improved = plan;
        }
      }
      for (const m of members) this.mark[m] = 0;
      if (improved === INFEASIBLE) break;
      current = improved;
    }
  }

  // ---- evaluating a set -----------------------------------------------------------------------

  /**
   * Packs the first `size` of `set` (ascending indices); a feasible plan is scored on the locations
   * it actually uses and kept if among the best.  Returns the plan's entry, or INFEASIBLE.  `set`
   * may be a scratch buffer: nothing keeps it.
   */
  private evaluate(set: number[], size: number, key: SetKey = this.keyOf(set, size)): number {
    if (!this.remember) return this.quickCheck(set, size) ? this.packAndScore(set, size, key) : INFEASIBLE;
    const known = this.evaluated.get(key);
    if (known !== MISSING) return known;
    const plan = this.quickCheck(set, size) ? this.packAndScore(set, size, key) : INFEASIBLE;
    this.evaluated.set(key, plan);
    return plan;
  }

  private packAndScore(set: number[], size: number, key: SetKey): number {
    if (!this.pack(set, size, null)) return INFEASIBLE;
    // The members the packing used, in set order, into the first `count` of a reused buffer
    // (emptying an array with length = 0 would drop its storage, to be allocated again).
    const used = this.members;
    let count = 0;
    for (let s = 0; s < size; s++) if (this.slotUsed[s]) this.usedMark[this.ordered[s]!] = 1;
    for (let i = 0; i < size; i++) {
      const c = set[i]!;
      if (!this.usedMark[c]) continue;
      used[count++] = c;
      this.usedMark[c] = 0;
    }
    const usedKey = count === size ? key : this.keyOf(used, count);
    const known = this.seen.get(usedKey);
    if (known !== MISSING) return known;
    const plan = this.scored.add(used, count);
    // Usually every location of the set takes part: then the set is the plan's members.
    if (count !== size) this.packedFrom.set(plan, set.slice(0, size));
    this.seen.set(usedKey, plan);
    this.considered++;
    const top = this.top;
    // Not better than the last of a full list: it would go in last and drop out again.
    if (top.length === MAX_PLANS_TRACED && this.scored.compare(plan, top[top.length - 1]!) >= 0) return plan;
    let at = 0;
    while (at < top.length && this.scored.compare(plan, top[at]!) >= 0) at++;
    top.splice(at, 0, plan);
    if (top.length > MAX_PLANS_TRACED) top.pop();
    return plan;
  }

  private keyOf(set: number[], size: number): SetKey {
    if (size <= this.keyDigits) {
      let key = 0;
      for (let i = 0; i < size; i++) key = key * this.keyRadix + set[i]! + 1;
      return key;
    }
    let key = String(set[0]);
    for (let i = 1; i < size; i++) key += `,${set[i]}`;
    return key;
  }

  /** Necessary conditions, cheap: enough stock per SKU, and (whole lines) a home for each line. */
  private quickCheck(set: number[], size: number): boolean {
    const n = this.n;
    for (let g = 0; g < this.groups.length; g++) {
      const base = g * n;
      let total = 0;
      for (let i = 0; i < size; i++) total += this.stock[base + set[i]!]!;
      if (total < this.demand[g]!) return false;
      if (!this.wholeLines) continue;
      // Lines are largest first: a location that holds the first one whole holds every one.
      const largest = this.qty[this.groups[g]!.lines[0]!]!;
      let home = false;
      for (let i = 0; i < size && !home; i++) home = this.stock[base + set[i]!]! >= largest;
      if (!home) return false;
    }
    return true;
  }

  /**
   * Assigns every line to the set's locations within their stock, preferring better-ranked locations.
   * Whole lines when possible; with split_lines a SKU whose lines cannot go whole is split greedily.
   * Marks the slots used; `out` (when given) receives the allocations, sorted by line then rank.
   */
  private pack(set: number[], size: number, out: Allocation[] | null): boolean {
    // The set in rank order (ranks are distinct, so the order is unique).
    const ordered = this.ordered;
    for (let i = 0; i < size; i++) {
      const c = set[i]!;
      const r = this.rankOf[c]!;
      let j = i;
      for (; j > 0 && this.rankOf[ordered[j - 1]!]! > r; j--) ordered[j] = ordered[j - 1]!;
      ordered[j] = c;
    }
    this.slots = size;
    this.slotUsed.fill(0, 0, size);
    for (let g = 0; g < this.groups.length; g++) {
      if (this.packWhole(g, out)) continue;
      if (this.wholeLines) return false;
      this.packSplit(g, out);
    }
    out?.sort((a, b) => a.line - b.line || this.rankOf[a.candidate]! - this.rankOf[b.candidate]!);
    return true;
  }

  private fillLeft(g: number): void {
    const base = g * this.n;
    for (let s = 0; s < this.slots; s++) this.left[s] = this.stock[base + this.ordered[s]!]!;
  }

  /** Backtracking over the group's lines (largest first); one line per location slot, no splitting. */
  private packWhole(g: number, out: Allocation[] | null): boolean {
    const lines = this.groups[g]!.lines;
    if (lines.length === 1) {
      // The backtracking for one line, without the recursion: the first slot not short of it, one step per slot tried.
      const line = lines[0]!;
      const qty = this.qty[line]!;
      const base = g * this.n;
      for (let s = 0; s < this.slots && s < PACKING_BUDGET; s++) {
        if (this.stock[base + this.ordered[s]!]! < qty) continue;
        this.slotUsed[s] = 1;
        if (out) out.push({ line, candidate: this.ordered[s]!, quantity: qty });
        return true;
      }
      return false;
    }
    this.fillLeft(g);
    this.placing = this.groups[g]!.lines;
    this.steps = 0;
    if (!this.place(0)) return false;
    for (let i = 0; i < this.placing.length; i++) {
      const s = this.choice[i]!;
      this.slotUsed[s] = 1;
      if (out) out.push({ line: this.placing[i]!, candidate: this.ordered[s]!, quantity: this.qty[this.placing[i]!]! });
    }
    return true;
  }

  private place(i: number): boolean {
    if (i === this.placing.length) return true;
    const qty = this.qty[this.placing[i]!]!;
    const left = this.left;
    for (let s = 0; s < this.slots; s++) {
      if (++this.steps > PACKING_BUDGET) return false;
      if (left[s]! < qty) continue;
      left[s] = left[s]! - qty;
      this.choice[i] = s;
      if (this.place(i + 1)) return true;
      left[s] = left[s]! + qty;
    }
    return false;
  }

  /** quickCheck guaranteed enough stock in total, so taking in preference order always completes. */
  private packSplit(g: number, out: Allocation[] | null): void {
    this.fillLeft(g);
    const left = this.left;
    for (const line of this.groups[g]!.lines) {
      let need = this.qty[line]!;
      // One location for the whole line if any can still take it; split only the lines that must be.
      let whole = -1;
      for (let s = 0; s < this.slots && whole < 0; s++) if (left[s]! >= need) whole = s;
      const end = whole >= 0 ? whole + 1 : this.slots;
      for (let s = Math.max(whole, 0); s < end; s++) {
        const take = Math.min(need, left[s]!);
        if (take <= 0) continue;
        left[s] = left[s]! - take;
        need -= take;
        this.slotUsed[s] = 1;
        out?.push({ line, candidate: this.ordered[s]!, quantity: take });
        if (need === 0) break;
      }
    }
  }

  /** The winner's allocations: its set packed again (packing is deterministic). */
  private allocate(set: number[]): Allocation[] {
    const allocations: Allocation[] = [];
    this.pack(set, set.length, allocations);
    return allocations;
  }

  // ---- why not --------------------------------------------------------------------------------

  /** The groups (SKUs) the set holds too little of, into `short`. */
  private shortGroups(set: number[], size: number, short: number[]): void {
    short.length = 0;
    for (let g = 0; g < this.groups.length; g++) {
      let total = 0;
      for (let i = 0; i < size; i++) total += this.stock[g * this.n + set[i]!]!;
      if (total < this.demand[g]!) short.push(g);
    }
  }

  private holdsAny(c: number, groups: number[]): boolean {
    for (let i = 0; i < groups.length; i++) if (this.stock[groups[i]! * this.n + c]! > 0) return true;
    return false;
  }

  /**
   * Units the set cannot place: a guide for the beam (whole lines: first-fit, largest first).  With
   * `only`, just those groups are counted: the caller knows the others place every unit.
   */
  private uncoveredUnits(set: number[], size: number, only: number[] | null = null): number {
    const n = this.n;
    const left = this.left;
    let missing = 0;
    const count = only === null ? this.groups.length : only.length;
    for (let j = 0; j < count; j++) {
      const g = only === null ? j : only[j]!;
      const base = g * n;
      if (!this.wholeLines) {
        let total = 0;
        for (let i = 0; i < size; i++) total += this.stock[base + set[i]!]!;
        missing += Math.max(0, this.demand[g]! - total);
        continue;
      }
      for (let i = 0; i < size; i++) left[i] = this.stock[base + set[i]!]!;
      const lines = this.groups[g]!.lines;
      for (let l = 0; l < lines.length; l++) {
        const qty = this.qty[lines[l]!]!;
        let s = 0;
        while (s < size && left[s]! < qty) s++;
        if (s < size) left[s] = left[s]! - qty;
        else missing += qty;
      }
    }
    return missing;
  }

  /**
   * Whole lines: the groups that may leave units unplaced once the state grows by one location —
   * all but the one-line groups the state already holds whole (first-fit still finds that holder).
   * Skipping them adds the same units in the same order, so the sum is the same number.
   */
  private openGroups(state: number[], size: number, open: number[]): void {
    open.length = 0;
    for (let g = 0; g < this.groups.length; g++) {
      const lines = this.groups[g]!.lines;
      if (lines.length > 1) {
        open.push(g);
        continue;
      }
      const qty = this.qty[lines[0]!]!;
      let held = false;
      for (let i = 0; i < size && !held; i++) held = this.stock[g * this.n + state[i]!]! >= qty;
      if (!held) open.push(g);
    }
  }

  /** Why no set of candidates at all can cover the order, or null when stock is not the problem. */
  private uncoverable(): string | null {
    const n = this.n;
    if (n === 0) return "no candidate location left";
    const problems: string[] = [];
    this.groups.forEach((g, i) => {
      let total = 0;
      for (let c = 0; c < n; c++) total += this.stock[i * n + c]!;
      if (total < g.demand) {
        problems.push(`${g.sku}: ${g.demand} ordered, ${total} in stock at the candidates`);
        return;
      }
      if (!this.wholeLines) return;
      for (const l of g.lines) {
        let held = false;
        for (let c = 0; c < n && !held; c++) held = this.stock[i * n + c]! >= this.qty[l]!;
        if (!held) {
          problems.push(`line ${this.lines[l]?.lineKey} (${g.sku} ×${this.qty[l]}) is not held whole by any candidate and the split policy keeps lines whole`);
        }
      }
    });
    return problems.length > 0 ? `not enough stock: ${problems.join("; ")}` : null;
  }

  private policyFailure(): string {
    if (this.policy.kind === "none") {
      // Name the candidate that comes closest, so the merchant sees what is missing.
      let best = 0;
      let most = -1;
      for (const c of this.rank) {
        const held = this.lines.filter((l) => (this.candidates[c]?.stock[l.sku] ?? 0) >= l.quantity).length;
        if (held > most) [best, most] = [c, held];
      }
      return `split policy none: no single candidate holds the whole order (closest: ${this.candidates[best]?.location.id ?? ""}, ${most} of ${this.lines.length} lines)`;
    }
    const how = this.wholeLines ? "each line whole" : "splitting lines";
    return `split policy ${this.policy.kind}: no plan within ${this.maxShipments} shipments, ${how}`;
  }
}

/**
 * Scored sets of locations, in flat arrays rather than an object and three arrays each: entry e has
 * its score at score[e·width ..], and its members (ascending) and their id ranks (ascending) at
 * [start[e] .. start[e] + size[e]).  Ranks stand in for the sorted location ids: equal ids share a
 * rank, so comparing ranks orders sets exactly as comparing the id strings would.
 */
class ScoredSets {
  private readonly width: number;
  private score = new Float64Array(0);
  private start = new Int32Array(0);
  private size = new Int32Array(0);
  private members = new Int32Array(0);
  private ranks = new Int32Array(0);
  private count = 0;
  private filled = 0;

  constructor(
    private readonly scorer: Scorer,
    private readonly idRank: Int32Array,
    entries: number,
  ) {
    this.width = scorer.width;
    this.grow(Math.max(16, entries), Math.max(32, 2 * entries));
  }

  /** Scores the first `count` of `set` (ascending candidate indices); returns the new entry. */
  add(set: number[], count: number): number {
    if (this.count === this.start.length || this.filled + count > this.members.length) {
      this.grow(this.start.length * 2, Math.max(this.members.length * 2, this.filled + count));
    }
    const e = this.count++;
    const at = this.filled;
    this.start[e] = at;
    this.size[e] = count;
    this.filled += count;
    for (let i = 0; i < count; i++) {
      const c = set[i]!;
      this.members[at + i] = c;
      // Insertion sort: candidates usually come in id order, so the ranks are usually in order already.
      const r = this.idRank[c]!;
      let j = at + i;
      for (; j > at && this.ranks[j - 1]! > r; j--) this.ranks[j] = this.ranks[j - 1]!;
      this.ranks[j] = r;
    }
    this.scorer.score(set, count, this.score, e * this.width);
    return e;
  }

  /** Scores, then id ranks: a total order on sets (lower is better), so ties are deterministic. */
  compare(a: number, b: number): number {
    const w = this.width;
    for (let i = 0; i < w; i++) {
      const p = this.score[a * w + i]!;
      const q = this.score[b * w + i]!;
      if (p !== q) return p < q ? -1 : 1;
    }
    const sizeA = this.size[a]!;
    const sizeB = this.size[b]!;
    const ra = this.start[a]!;
    const rb = this.start[b]!;
    for (let i = 0; i < Math.max(sizeA, sizeB); i++) {
      if (i >= sizeA) return -1;
      if (i >= sizeB) return 1;
      const p = this.ranks[ra + i]!;
      const q = this.ranks[rb + i]!;
      if (p !== q) return p < q ? -1 : 1;
    }
    return 0;
  }

  sizeOf(e: number): number {
    return this.size[e]!;
  }

  scoreOf(e: number): number[] {
    return slice(this.score, e * this.width, this.width);
  }

  membersOf(e: number): number[] {
    return slice(this.members, this.start[e]!, this.size[e]!);
  }

  ranksOf(e: number): number[] {
    return slice(this.ranks, this.start[e]!, this.size[e]!);
  }

  private grow(entries: number, indices: number): void {
    const score = new Float64Array(entries * this.width);
    score.set(this.score);
    this.score = score;
    for (const name of ["start", "size"] as const) {
      const next = new Int32Array(entries);
      next.set(this[name]);
      this[name] = next;
    }
    for (const name of ["members", "ranks"] as const) {
      const next = new Int32Array(indices);
      next.set(this[name]);
      this[name] = next;
    }
  }
}

/**
 * Set keys → entries: open addressing over a Float64Array for the numeric keys (a Map would allocate
 * for each of the hundreds of sets a search looks at), a Map for the rare long sets with string keys.
 * Numeric keys are at least 1, so 0 marks a free slot.
 */
class KeyTable {
  private keys: Float64Array;
  private values: Int32Array;
  private count = 0;
  private long: Map<string, number> | null = null;

  /** Room for `entries` keys before the first resize (kept at most half full). */
  constructor(entries: number) {
    let size = 16;
    while (size < 2 * entries) size *= 2;
    this.keys = new Float64Array(size);
    this.values = new Int32Array(size);
  }

  get(key: SetKey): number {
    if (typeof key === "string") return this.long?.get(key) ?? MISSING;
    const mask = this.keys.length - 1;
    for (let i = hash(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === 0) return MISSING;
    }
  }

  set(key: SetKey, value: number): void {
    if (typeof key === "string") {
      (this.long ??= new Map()).set(key, value);
      return;
    }
    if ((this.count + 1) * 2 > this.keys.length) this.resize();
    this.put(key, value);
  }

  private put(key: number, value: number): void {
    const mask = this.keys.length - 1;
    for (let i = hash(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key || k === 0) {
        if (k === 0) this.count++;
        this.keys[i] = key;
        this.values[i] = value;
        return;
      }
    }
  }

  private resize(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.put(keys[i]!, values[i]!);
  }
}

/** `count` numbers of `from` starting at `at`, as a plain array. */
function slice(from: Float64Array | Int32Array, at: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(from[at + i]!);
  return out;
}

/** Mixes both 32-bit halves of an integer key below 2^53. */
function hash(key: number): number {
  const h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** The k-th smallest (1-based) of `values`; 0 when k is 0. */
function nthSmallest(values: number[], k: number): number {
  if (k === 0) return 0;
  // The k smallest so far, ascending (k is at most BEAM_WIDTH).
  const smallest: number[] = [];
  for (const v of values) {
    if (smallest.length === k && v >= smallest[k - 1]!) continue;
    let j = Math.min(smallest.length, k - 1);
    for (; j > 0 && smallest[j - 1]! > v; j--) smallest[j] = smallest[j - 1]!;
    smallest[j] = v;
  }
  return smallest[k - 1]!;
}
