import { describe, expect, it } from "vitest";
import { paginate } from "./connection";
import { compileSearch, SearchSyntaxError, type SearchSpec } from "./search";
import { LeakyBucket } from "./bucket";

interface Row {
  n: number;
  updatedAt: number;
  source: string;
  tags: string[];
  sku: string;
}

const spec: SearchSpec<Row> = {
  fields: {
    updated_at: { type: "time", get: (r) => r.updatedAt },
    id: { type: "id", get: (r) => r.n },
    source_name: { type: "string", get: (r) => r.source },
    tag: { type: "string", get: (r) => r.tags },
    sku: { type: "string", get: (r) => r.sku },
  },
};

const T = Date.parse("2026-11-01T00:00:00Z");
const rows: Row[] = [
  { n: 1, updatedAt: T - 3_600_000, source: "web", tags: ["vip"], sku: "TEE-M" },
  { n: 2, updatedAt: T, source: "pos", tags: [], sku: "CAP" },
  { n: 3, updatedAt: T + 3_600_000, source: "web", tags: ["b2b", "vip"], sku: "TEE-L" },
];
const ids = (q: string) => rows.filter(compileSearch(q, spec, T, "orders")).map((r) => r.n);

describe("search syntax", () => {
  it("compares times with the range operators (quoted or bare)", () => {
    expect(ids(`updated_at:>'2026-11-01T00:00:00Z'`)).toEqual([3]);
    expect(ids(`updated_at:>=2026-11-01T00:00:00Z`)).toEqual([2, 3]);
    expect(ids(`updated_at:<"2026-11-01T00:00:00Z"`)).toEqual([1]);
    expect(ids(`updated_at:<=now`)).toEqual([1, 2]);
  });

  it("joins terms with AND (space), OR, NOT / - and parentheses", () => {
    expect(ids(`source_name:web tag:vip`)).toEqual([1, 3]);
    expect(ids(`source_name:pos OR tag:b2b`)).toEqual([2, 3]);
    expect(ids(`source_name:web -tag:b2b`)).toEqual([1]);
    expect(ids(`NOT source_name:web`)).toEqual([2]);
    expect(ids(`(source_name:pos OR sku:TEE*) AND updated_at:>2026-10-31T00:00:00Z`)).toEqual([1, 2, 3]);
    expect(ids(`id:>=2 id:<3`)).toEqual([2]);
    expect(ids(`id:'gid://shopify/Order/3'`)).toEqual([3]);
  });

  it("names a field the sandbox does not support instead of ignoring it", () => {
    expect(() => ids(`risk_level:high`)).toThrow(SearchSyntaxError);
    expect(() => ids(`risk_level:high`)).toThrow(/risk_level.*not supported by the Shopify sandbox/);
  });
});

describe("cursor pagination", () => {
  const many = Array.from({ length: 7 }, (_, i) => ({ n: i + 1, v: [30, 10, 20, 10, 50, 40, 60][i]! }));
  const opts = { id: (r: { n: number }) => r.n, isRoot: true, field: "orders" };

  it("walks forward with first/after and back with last/before", () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ReturnType<typeof paginate<(typeof many)[number]>> = paginate(many, { first: 3, after }, opts);
      seen.push(...page.nodes.map((r) => r.n));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const last = paginate(many, { last: 2 }, opts);
    expect(last.nodes.map((r) => r.n)).toEqual([6, 7]);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    const before = paginate(many, { last: 2, before: last.pageInfo.startCursor }, opts);
    expect(before.nodes.map((r) => r.n)).toEqual([4, 5]);
  });

  it("orders by a sort value, ties by id, and reverses", () => {
    const byValue = paginate(many, { first: 10 }, { ...opts, sortValue: (r) => r.v });
    expect(byValue.nodes.map((r) => r.n)).toEqual([2, 4, 3, 1, 6, 5, 7]);
    const reversed = paginate(many, { first: 3, reverse: true }, { ...opts, sortValue: (r) => r.v });
    expect(reversed.nodes.map((r) => r.n)).toEqual([7, 5, 6]);
    const next = paginate(many, { first: 3, reverse: true, after: reversed.pageInfo.endCursor }, { ...opts, sortValue: (r) => r.v });
    expect(next.nodes.map((r) => r.n)).toEqual([1, 3, 4]);
  });

  it("requires first or last, at most 250", () => {
    expect(() => paginate(many, {}, opts)).toThrow("you must provide one of first or last");
    expect(() => paginate(many, { first: 251 }, opts)).toThrow(/between 0 and 250/);
  });
});

describe("leaky bucket", () => {
  it("refuses a cost above what is available and restores at restoreRate per second", () => {
    let t = 0;
    const bucket = new LeakyBucket(100, 50, () => t);
    expect(bucket.take(80)).toBe(true);
    expect(bucket.take(30)).toBe(false);
    expect(bucket.status()).toEqual({ maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 50 });
    t += 200; // +10 points
    expect(bucket.take(30)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
    t += 10_000;
    expect(bucket.status().currentlyAvailable).toBe(100);
    bucket.take(60);
    bucket.refund(40);
    expect(bucket.status().currentlyAvailable).toBe(80);
  });
});
