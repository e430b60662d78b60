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
