import { describe, expect, it } from "vitest";
import {
  createMemoryBucketStore,
  createTokenBuckets,
  initialBucket,
  msToRestore,
  observeBucket,
  pauseBucket,
  restoreBucket,
  settleBucket,
  takeFromBucket,
  type BucketState,
  type Grant,
} from "./token-bucket";

const limits = { capacity: 100, restoreRate: 50 };
const opts = { probeWaitMs: 25 };
/** A bucket whose server numbers were already seen (so takes need not run alone). */
const observed = (patch: Partial<BucketState> = {}): BucketState => ({ ...initialBucket(limits, 0), observed: true, ...patch });

function granted(r: ReturnType<typeof takeFromBucket>): { grant: Grant; state: BucketState } {
  if (!r.granted) throw new Error(`expected a grant, got a wait of ${r.waitMs} ms`);
  return r;
}

describe("token bucket model", () => {
  it("restores at the restore rate, never above capacity", () => {
    const s = observed({ available: 10, updatedAtMs: 1_000 });
    expect(restoreBucket(s, 1_500).available).toBe(35);
    expect(restoreBucket(s, 60_000).available).toBe(100);
    // a clock that steps back restores nothing
    expect(restoreBucket(s, 500).available).toBe(10);
  });

  it("takes what is there and counts it in flight", () => {
    const { grant, state } = granted(takeFromBucket(observed(), 30, 0, opts));
    expect(grant).toMatchObject({ cost: 30, alone: true, seq: 1 });
    expect(state).toMatchObject({ available: 70, inFlight: 30, inFlightCount: 1 });
  });

  it("says how long until the missing points are restored", () => {
    const r = takeFromBucket(observed({ available: 40 }), 140, 0, opts);
    // (140 - 40) points at 50 points/s — but a cost above capacity waits for a full bucket: (100 - 40) / 50 s
    expect(r).toMatchObject({ granted: false, waitMs: 1_200 });
    expect(takeFromBucket(observed({ available: 40 }), 90, 0, opts)).toMatchObject({ granted: false, waitMs: 1_000 });
    expect(msToRestore(0.01, 50)).toBe(1);
    expect(msToRestore(10, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it("waits out a pause", () => {
    const s = pauseBucket(observed(), 2_000);
    expect(takeFromBucket(s, 1, 500, opts)).toMatchObject({ granted: false, waitMs: 1_500 });
    expect(takeFromBucket(s, 1, 2_000, opts).granted).toBe(true);
  });

  it("runs alone until the server's numbers are known, and when asked to", () => {
    const fresh = initialBucket(limits, 0);
    const first = granted(takeFromBucket(fresh, 10, 0, opts));
    expect(first.state.exclusive).toBe(true);
    expect(takeFromBucket(first.state, 10, 0, opts)).toMatchObject({ granted: false, waitMs: 25 });

    const busy = granted(takeFromBucket(observed(), 10, 0, opts)).state;
    expect(takeFromBucket(busy, 10, 0, { ...opts, exclusive: true })).toMatchObject({ granted: false, waitMs: 25 });
    expect(takeFromBucket(busy, 10, 0, opts).granted).toBe(true);
  });

  it("settling replaces the estimate by the charge: refund, extra charge, or nothing known", () => {
    const { grant, state } = granted(takeFromBucket(observed(), 50, 0, opts));
    expect(settleBucket(state, grant, { charged: 12 }, 0)).toMatchObject({ available: 88, inFlight: 0, inFlightCount: 0 });
    expect(settleBucket(state, grant, { charged: 70 }, 0).available).toBe(30);
    expect(settleBucket(state, grant, {}, 0).available).toBe(50);
    expect(settleBucket(state, grant, { charged: 0 }, 0).available).toBe(100);
  });

  it("adopts the server's numbers from a request that ran alone", () => {
    const { grant, state } = granted(takeFromBucket(observed(), 50, 0, opts));
    const next = settleBucket(state, grant, { charged: 10, status: { capacity: 2_000, available: 1_234, restoreRate: 100 } }, 0);
    expect(next).toMatchObject({ capacity: 2_000, restoreRate: 100, available: 1_234, observed: true });
  });

  it("lets the server only lower the figure when other requests overlapped (a response may be stale)", () => {
    const a = granted(takeFromBucket(observed(), 20, 0, opts));
    const b = granted(takeFromBucket(a.state, 20, 0, opts));
    expect(b.grant.alone).toBe(false);
    // A's response says 95 are left; B (20) is still in flight, so at most 75 are ours to use.
    const afterA = settleBucket(b.state, a.grant, { charged: 20, status: { capacity: 100, available: 95, restoreRate: 50 } }, 0);
    expect(afterA.available).toBe(60); // local accounting (100 - 20 - 20) is lower than 95 - 20
    // B's response reports less than we think (another client of the same shop spent points): lower.
    const afterB = settleBucket(afterA, b.grant, { charged: 20, status: { capacity: 100, available: 30, restoreRate: 50 } }, 0);
    expect(afterB).toMatchObject({ available: 30, inFlight: 0 });
    // …and an overlapping response that reports more does not raise it.
    const c = granted(takeFromBucket(afterB, 10, 0, opts));
    const d = granted(takeFromBucket(c.state, 10, 0, opts));
    const afterC = settleBucket(d.state, c.grant, { charged: 10, status: { capacity: 100, available: 99, restoreRate: 50 } }, 0);
    expect(afterC.available).toBe(10);
  });

  it("a request taken from a full bucket is not refilled away while it travels (the server deducts on arrival)", () => {
    const { state } = granted(takeFromBucket(observed(), 30, 0, opts));
    // 1 s later the server (full, nothing arrived yet) still holds 100, and drops to 70 when the request lands.
    expect(restoreBucket(state, 1_000).available).toBe(70);
    const a = granted(takeFromBucket(observed({ available: 40 }), 30, 0, opts));
    expect(restoreBucket(a.state, 200).available).toBe(20); // 10 + 10 restored: below the ceiling, restores as before
  });

  it("a first observation is adopted even when others are in flight, minus what is in flight", () => {
    const s = { ...initialBucket(limits, 0), inFlight: 30, inFlightCount: 2 };
    expect(observeBucket(s, { capacity: 1_000, available: 500, restoreRate: 50 }, 0)).toMatchObject({ capacity: 1_000, available: 470, observed: true });
  });
});

describe("createTokenBuckets", () => {
  it("take() waits with the injected sleep instead of failing, one shared bucket per (account, operation)", async () => {
    let now = 0;
    const waits: number[] = [];
    const buckets = createTokenBuckets({
      store: createMemoryBucketStore(),
      limits: () => limits,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    const key = { account: "shop-a", operation: "admin-graphql" };
    const g1 = await buckets.take(key, 80);
    await buckets.settle(key, g1, { charged: 80, status: { capacity: 100, available: 20, restoreRate: 50 } });
    const g2 = await buckets.take(key, 70);
    expect(waits).toEqual([1_000]); // 50 missing points at 50/s
    expect(g2.waitedMs).toBe(1_000);
    // another account has its own bucket
    await buckets.take({ account: "shop-b", operation: "admin-graphql" }, 100);
    expect(waits).toEqual([1_000]);
    expect(await buckets.snapshot(key)).toMatchObject({ available: 0, inFlight: 70 });
  });
});

/**
 * A deterministic run of the loaded case the contract test covers in real time: six callers share
 * one model against a server that keeps Shopify's bucket (deducts the requested cost on arrival,
 * holds it while the query runs, refunds the difference after, throttles what does not fit), with
 * random delays between take and arrival (a busy event loop) and between response and settle.
 */
describe("shared model against a simulated server", () => {
  function simulate(seed: number) {
    let x = seed;
    const rand = () => ((x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32); // LCG: same run every time
    // Mostly a few ms; one time in seven a stall of 100–400 ms (a loaded event loop, GC, a slow network).
    const delay = () => (rand() < 1 / 7 ? 100 + rand() * 300 : rand() * 10);
    const CAPACITY = 200;
    const RESTORE = 2_000; // points per second
    const server = { available: CAPACITY, at: 0, throttled: 0, served: 0 };
    const refill = (t: number) => {
      server.available = Math.min(CAPACITY, server.available + ((t - server.at) / 1_000) * RESTORE);
      server.at = t;
    };
    const status = () => ({ capacity: CAPACITY, available: server.available, restoreRate: RESTORE });
    let model = initialBucket({ capacity: 1_000, restoreRate: 50 }, 0); // assumed limits until the server is seen
    const events: { t: number; n: number; run: (t: number) => void }[] = [];
    let order = 0;
    const at = (t: number, run: (t: number) => void) => {
      events.push({ t, n: order++, run });
      events.sort((a, b) => a.t - b.t || a.n - b.n);
    };
    const ops = [
      { requested: 30, actual: 20 },
      { requested: 45, actual: 25 },
    ];
    const caller = (id: number, left: number) => (t: number) => {
      if (left === 0) return;
      const op = ops[(id + left) % 2]!;
      const r = takeFromBucket(model, op.requested, t, { probeWaitMs: 25 });
      model = r.state;
      if (!r.granted) return at(t + r.waitMs, caller(id, left));
      const grant = r.grant;
      at(t + delay(), (arrival) => {
        refill(arrival);
        if (server.available + 1e-9 < op.requested) {
          server.throttled++;
          const seen = status();
          return at(arrival + delay(), (settled) => {
            model = settleBucket(model, grant, { charged: 0, status: seen }, settled);
            at(settled, caller(id, left));
          });
        }
        server.available -= op.requested;
        at(arrival + 20 + rand() * 20, (done) => {
          refill(done);
          server.available = Math.min(CAPACITY, server.available + op.requested - op.actual);
          server.served++;
          const seen = status();
          at(done + delay(), (settled) => {
            model = settleBucket(model, grant, { charged: op.actual, status: seen }, settled);
            at(settled, caller(id, left - 1));
          });
        });
      });
    };
    for (let id = 0; id < 6; id++) at(0, caller(id, 40));
    let now = 0;
    while (events.length > 0) {
      const e = events.shift()!;
      now = e.t;
      e.run(e.t);
    }
    return { ...server, ms: now };
  }

  it("never draws a THROTTLED, whatever the delays, and does not over-wait (200 seeded runs of 240 queries)", () => {
    const throttledRuns: number[] = [];
    let totalMs = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const run = simulate(seed);
      if (run.throttled > 0) throttledRuns.push(seed);
      expect(run.served).toBe(240);
      totalMs += run.ms;
    }
    // Capping the local figure at capacity alone (before ceilingOf) was throttled once in 26 of these 200 runs.
    expect(throttledRuns).toEqual([]);
    // The callers' own delays and holds take about 4.4 s of each run; this model averages 6.7 s.
    // One three times as cautious about in-flight points (never throttled either) averages 14.6 s.
    expect(totalMs / 200).toBeLessThan(8_000);
  });
});
