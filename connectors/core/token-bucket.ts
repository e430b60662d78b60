/**
 * Token buckets for rate-limited APIs (ARCHITECTURE.md rule 3: connectors declare limits, the core
 * enforces them).  Three layers:
 *
 *  1. the pure model below — plain state in, plain state out, time passed in — so every rule is a
 *     unit test with literal numbers, and a Redis store can run the same arithmetic in a script;
 *  2. `BucketStore`: where states live, keyed by (account, operation), atomic per key.  The
 *     in-memory store is shared by every caller in one process; a Redis store (scaled runtime,
 *     rule 6) implements the same four calls;
 *  3. `createTokenBuckets`: `take(cost)` that waits (injected sleep) instead of failing.
 *
 * How the local model stays on the safe side of the server's bucket when several requests are in
 * flight (docs/decisions/010-shopify-admin-client.md):
 *  - a take deducts the estimated cost up front and counts it as in flight;
 *  - the local figure never refills above capacity less what is in flight (see `ceilingOf`);
 *  - settling replaces the estimate by what the server says it charged (refund or extra charge);
 *  - the server's numbers (`observe`) are adopted as they are only from a request that ran alone
 *    (nothing else in flight when it was granted, nothing granted while it ran): then the snapshot
 *    includes every charge of ours and no later one.  Otherwise they can only lower the local
 *    figure (min), because a response may be older than another one already applied;
 *  - until the server's numbers have been seen once, and for callers that ask for it (a request
 *    whose cost is unknown), a take runs alone: it waits until nothing is in flight and blocks
 *    others until it settles.
 */

/** A bucket's size and refill speed. */
export interface BucketLimits {
  /** Points the bucket holds when full. */
  capacity: number;
  /** Points restored per second. */
  restoreRate: number;
}

/** What the server reports about its bucket (Shopify: extensions.cost.throttleStatus). */
export interface ServerBucketStatus {
  capacity: number;
  available: number;
  restoreRate: number;
}

export interface BucketState extends BucketLimits {
  /** Points available at `updatedAtMs`. */
  available: number;
  updatedAtMs: number;
  /** Points taken and not yet settled, and how many takes that is. */
  inFlight: number;
  inFlightCount: number;
  /** A take that must run alone is in flight. */
  exclusive: boolean;
  /** The server's numbers have been adopted at least once. */
  observed: boolean;
  /** Nothing may be taken before this time (Retry-After, a server pause). */
  blockedUntilMs: number;
  /** Counts grants; a grant remembers it to tell whether it ran alone. */
  grants: number;
}

/** A successful take, handed back to `settle`. */
export interface Grant {
  /** Points deducted. */
  cost: number;
  /** `grants` after this one was counted. */
  seq: number;
  /** Nothing else was in flight when it was granted. */
  alone: boolean;
  /** Time spent waiting for it (for logs). */
  waitedMs: number;
}

export type TakeResult = { granted: true; grant: Grant; state: BucketState } | { granted: false; waitMs: number; state: BucketState };

export interface TakeOptions {
  /** Run alone: wait until nothing is in flight, and hold others until settled. */
  exclusive?: boolean;
  /** How long to wait before asking again when blocked by a request running alone. */
  probeWaitMs: number;
}

export interface SettleOutcome {
  /** Points the server says it finally charged (0 when it refused, e.g. throttled). Unknown → the estimate stays charged. */
  charged?: number;
  /** The server's bucket as reported with the response. */
  status?: ServerBucketStatus;
}

export function initialBucket(limits: BucketLimits, nowMs: number): BucketState {
  return {
    capacity: limits.capacity,
    restoreRate: limits.restoreRate,
    available: limits.capacity,
    updatedAtMs: nowMs,
    inFlight: 0,
    inFlightCount: 0,
    exclusive: false,
    observed: false,
    blockedUntilMs: 0,
    grants: 0,
  };
}

/**
 * The most the local figure may show: capacity less what is in flight.  The server deducts a
 * request's cost when the request *arrives*, not when we take it, and its bucket stops refilling
 * at capacity.  A request taken from a full bucket and still on its way must therefore not be
 * refilled away locally: while it travels the server is full and restores nothing, and when it
 * lands the server drops to capacity − cost.  Capping at capacity alone let the model run ahead of
 * the server by up to the in-flight points after a stall between take and send (the
 * "concurrent callers" contract test saw one THROTTLED in about half the loaded CI runs).
 */
function ceilingOf(s: Pick<BucketState, "capacity" | "inFlight">): number {
  return Math.max(0, s.capacity - s.inFlight);
}

/** The bucket as of `nowMs`: refilled at the restore rate, never above capacity less what is in flight. */
export function restoreBucket(state: BucketState, nowMs: number): BucketState {
  const elapsed = Math.max(0, nowMs - state.updatedAtMs);
  const available = Math.min(ceilingOf(state), state.available + (elapsed / 1000) * state.restoreRate);
  return { ...state, available, updatedAtMs: Math.max(nowMs, state.updatedAtMs) };
}

/** Milliseconds until `points` more are restored (rounded up, at least 1). */
export function msToRestore(points: number, restoreRate: number): number {
  if (points <= 0) return 0;
  if (restoreRate <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil((points / restoreRate) * 1000));
}

/**
 * Take `cost` points if they are there; otherwise say how long to wait before asking again.
 * A cost above capacity waits for a full bucket (it could never be granted otherwise).
 */
export function takeFromBucket(state: BucketState, cost: number, nowMs: number, opts: TakeOptions): TakeResult {
  const s = restoreBucket(state, nowMs);
  if (nowMs < s.blockedUntilMs) return { granted: false, waitMs: s.blockedUntilMs - nowMs, state: s };
  const alone = opts.exclusive === true || !s.observed;
  if (s.exclusive || (alone && s.inFlightCount > 0)) return { granted: false, waitMs: opts.probeWaitMs, state: s };
  const need = Math.max(0, Math.min(cost, s.capacity));
  if (s.available < need) {
    const wait = msToRestore(need - s.available, s.restoreRate);
    return { granted: false, waitMs: Number.isFinite(wait) ? wait : opts.probeWaitMs, state: s };
  }
  const next: BucketState = {
    ...s,
    available: s.available - need,
    inFlight: s.inFlight + need,
    inFlightCount: s.inFlightCount + 1,
    exclusive: alone,
    grants: s.grants + 1,
  };
  return { granted: true, grant: { cost: need, seq: next.grants, alone: s.inFlightCount === 0, waitedMs: 0 }, state: next };
}

/**
 * A granted request finished: it is no longer in flight; the estimate is replaced by what the
 * server charged; the server's numbers are adopted (the request ran alone) or only lower ours.
 */
export function settleBucket(state: BucketState, grant: Grant, outcome: SettleOutcome, nowMs: number): BucketState {
  const s = restoreBucket(state, nowMs);
  const inFlight = Math.max(0, s.inFlight - grant.cost);
  const inFlightCount = Math.max(0, s.inFlightCount - 1);
  const refund = outcome.charged === undefined ? 0 : grant.cost - outcome.charged;
  let next: BucketState = {
    ...s,
    inFlight,
    inFlightCount,
    exclusive: false,
    available: Math.min(ceilingOf({ capacity: s.capacity, inFlight }), Math.max(0, s.available + refund)),
  };
  if (outcome.status) {
    const ranAlone = grant.alone && s.grants === grant.seq;
    next = observeBucket(next, outcome.status, nowMs, ranAlone);
  }
  return next;
}

/**
 * Resync with the server's numbers.  `authoritative` (the snapshot includes all our charges and
 * nothing newer — see settleBucket) or the first observation: adopt them, minus what is in flight.
 * Otherwise they may only lower the local figure.  Capacity and restore rate are always the server's.
 */
export function observeBucket(state: BucketState, status: ServerBucketStatus, nowMs: number, authoritative = false): BucketState {
  const s = restoreBucket(state, nowMs);
  const capacity = status.capacity > 0 ? status.capacity : s.capacity;
  const restoreRate = status.restoreRate > 0 ? status.restoreRate : s.restoreRate;
  const serverView = Math.min(ceilingOf({ capacity, inFlight: s.inFlight }), Math.max(0, status.available - s.inFlight));
  const available = authoritative || !s.observed ? serverView : Math.min(s.available, serverView);
  return { ...s, capacity, restoreRate, available, observed: true };
}

/** Nothing may be taken before `untilMs` (the server asked us to back off). */
export function pauseBucket(state: BucketState, untilMs: number): BucketState {
  return { ...state, blockedUntilMs: Math.max(state.blockedUntilMs, untilMs) };
}

// ---------------------------------------------------------------------------------------------
// Stores

/** (account, operation): e.g. ("my-shop.myshopify.com", "admin-graphql"), ("A1B2C3|EU", "getOrders"). */
export interface BucketKey {
  account: string;
  operation: string;
}

export const bucketKeyString = (key: BucketKey) => `${key.account}|${key.operation}`;

export interface BucketSnapshot {
  capacity: number;
  restoreRate: number;
  available: number;
  inFlight: number;
  observed: boolean;
}

/**
 * Where bucket states live.  Each call is atomic for its key.  The in-memory store does it with
 * synchronous code in one process; a Redis store would keep the state in a hash and run the same
 * functions as a Lua script (EVALSHA), taking `nowMs` from the caller (or Redis TIME).
 */
export interface BucketStore {
  tryTake(key: BucketKey, cost: number, nowMs: number, opts: TakeOptions & { limits: BucketLimits }): Promise<TakeResult>;
  settle(key: BucketKey, grant: Grant, outcome: SettleOutcome, nowMs: number, limits: BucketLimits): Promise<BucketSnapshot>;
  observe(key: BucketKey, status: ServerBucketStatus, nowMs: number, limits: BucketLimits): Promise<BucketSnapshot>;
  pause(key: BucketKey, untilMs: number, nowMs: number, limits: BucketLimits): Promise<void>;
  snapshot(key: BucketKey, nowMs: number): Promise<BucketSnapshot | undefined>;
}

function toSnapshot(s: BucketState): BucketSnapshot {
  return { capacity: s.capacity, restoreRate: s.restoreRate, available: s.available, inFlight: s.inFlight, observed: s.observed };
}

/** One process, all callers: the embedded runtime's store (ARCHITECTURE.md rule 6). */
export function createMemoryBucketStore(): BucketStore {
  const states = new Map<string, BucketState>();
  const get = (key: BucketKey, nowMs: number, limits: BucketLimits) => states.get(bucketKeyString(key)) ?? initialBucket(limits, nowMs);
  const put = (key: BucketKey, s: BucketState) => {
    states.set(bucketKeyString(key), s);
    return s;
  };
  return {
    async tryTake(key, cost, nowMs, opts) {
      const result = takeFromBucket(get(key, nowMs, opts.limits), cost, nowMs, opts);
      put(key, result.state);
      return result;
    },
    async settle(key, grant, outcome, nowMs, limits) {
      return toSnapshot(put(key, settleBucket(get(key, nowMs, limits), grant, outcome, nowMs)));
    },
    async observe(key, status, nowMs, limits) {
      return toSnapshot(put(key, observeBucket(get(key, nowMs, limits), status, nowMs)));
    },
    async pause(key, untilMs, nowMs, limits) {
      put(key, pauseBucket(get(key, nowMs, limits), untilMs));
    },
    async snapshot(key, nowMs) {
      const s = states.get(bucketKeyString(key));
      return s ? toSnapshot(restoreBucket(s, nowMs)) : undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Waiting takes

/** What a caller asks for; a function is asked again before every try, so an estimate learned meanwhile (or a probe that finished) counts at once. */
export type Demand = { cost: number; exclusive?: boolean };

export interface TokenBuckets {
  /** Wait until the demanded points can be taken, then take them. */
  take(key: BucketKey, demand: number | Demand | (() => Demand), opts?: { signal?: AbortSignal }): Promise<Grant>;
  /** The request behind `grant` finished (see settleBucket). */
  settle(key: BucketKey, grant: Grant, outcome: SettleOutcome): Promise<BucketSnapshot>;
  /** Resync with server numbers that came without a grant. */
  observe(key: BucketKey, status: ServerBucketStatus): Promise<BucketSnapshot>;
  /** Hold every caller of this key until `untilMs`. */
  pause(key: BucketKey, untilMs: number): Promise<void>;
  snapshot(key: BucketKey): Promise<BucketSnapshot | undefined>;
}

export interface TokenBucketsDeps {
  store: BucketStore;
  /** Limits assumed before the server's numbers are known (per operation, e.g. Shopify's smallest plan). */
  limits: (key: BucketKey) => BucketLimits;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Poll interval while another request runs alone (default 25 ms). */
  probeWaitMs?: number;
}

export function createTokenBuckets(deps: TokenBucketsDeps): TokenBuckets {
  const probeWaitMs = deps.probeWaitMs ?? 25;
  return {
    async take(key, demand, opts = {}) {
      const limits = deps.limits(key);
      const started = deps.now();
      for (;;) {
        opts.signal?.throwIfAborted();
        const { cost, exclusive } = typeof demand === "number" ? { cost: demand, exclusive: false } : typeof demand === "function" ? demand() : demand;
        const result = await deps.store.tryTake(key, cost, deps.now(), { limits, exclusive, probeWaitMs });
        if (result.granted) return { ...result.grant, waitedMs: deps.now() - started };
        await deps.sleep(result.waitMs, opts.signal);
      }
    },
    settle: (key, grant, outcome) => deps.store.settle(key, grant, outcome, deps.now(), deps.limits(key)),
    observe: (key, status) => deps.store.observe(key, status, deps.now(), deps.limits(key)),
    pause: (key, untilMs) => deps.store.pause(key, untilMs, deps.now(), deps.limits(key)),
    snapshot: (key) => deps.store.snapshot(key, deps.now()),
  };
}
