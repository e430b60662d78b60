import { gzipSync } from "node:zlib";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryAccessTokenCache } from "./access-token";
import { JSON_HEADERS, LWA, SP_API, makeClient, rejection, steppingClock, virtualClock } from "./contract-support";
import type { OrdersCheckpoint } from "./paging";

/**
 * The client under Amazon's failure modes, through the real amazon-sp-api 1.2.1 and nock: 429
 * storms (with and without Amazon's JSON body), expired access tokens with concurrent callers, 5xx
 * and unreadable answers, lost connections, expired page tokens, and a feed that ends FATAL.
 */
const QUOTA = { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }] };
const EXPIRED = { errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }] };
const order = (id: string) => ({ order: { orderId: id } });
const headers = (requestId: string, rate?: string) => ({ ...JSON_HEADERS, "x-amzn-RequestId": requestId, ...(rate ? { "x-amzn-RateLimit-Limit": rate } : {}) });

/** LWA handing out tokens in order; counts requests. */
function lwa(tokens: string[]) {
  const counter = { calls: 0 };
  nock(LWA)
    .post("/auth/o2/token")
    .times(tokens.length)
    .reply(200, () => {
      const token = tokens[counter.calls++]!;
      return { access_token: token, token_type: "bearer", expires_in: 3600 };
    });
  return counter;
}

afterEach(() => {
  nock.cleanAll();
});

describe("429 storms", () => {
  /**
   * Amazon's side: a token bucket per operation kept on the virtual clock.  A request finding no
   * token gets 429 without the rate header (as Amazon does); the body alternates between Amazon's
   * QuotaExceeded JSON and an empty body.
   */
  function amazonBucket(clock: { now: () => number }, limits: { rate: number; burst: number }) {
    const log: { at: number; status: number }[] = [];
    let tokens = limits.burst;
    let last = clock.now();
    let throttled = 0;
    nock(SP_API)
      .persist()
      .get(/^\/orders\/2026-01-01\/orders\/[^/]+$/)
      .reply(async (req: Request) => {
        const now = clock.now();
        tokens = Math.min(limits.burst, tokens + ((now - last) / 1000) * limits.rate);
        last = now;
        if (tokens < 1) {
          log.push({ at: now, status: 429 });
          return throttled++ % 2 === 0 ? [429, QUOTA, JSON_HEADERS] : [429, ""];
        }
        tokens -= 1;
        log.push({ at: now, status: 200 });
        return [200, order(new URL(req.url).pathname.split("/").pop()!), headers(`req-${log.length}`, String(limits.rate))];
      });
    return log;
  }

  it("N concurrent callers against Amazon's documented getOrder bucket (rate 0.5, burst 30): all succeed, none throttled, never above the bucket", async () => {
    const clock = virtualClock();
    lwa(["Atza|storm"]);
    const served = amazonBucket(clock, { rate: 0.5, burst: 30 });
    const { client } = makeClient(clock);
    const start = clock.now();
    const results = await clock.run(Array.from({ length: 40 }, (_, i) => () => client.getOrder(`111-0000000-${String(i).padStart(7, "0")}`)));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(served.filter((s) => s.status === 429)).toEqual([]);
    expect(served).toHaveLength(40);
    // Never more than burst + rate × elapsed requests by any moment.
    for (let i = 0; i < served.length; i++) expect(i + 1).toBeLessThanOrEqual(30 + ((served[i]!.at - start) / 1000) * 0.5 + 1e-9);
    // The ten beyond the burst went out one per 2 s.
    expect((served[39]!.at - start) / 1000).toBeCloseTo(20, 0);
  });

  it("a smaller real bucket (another worker drained it): 429s drain ours, every caller still succeeds, retries go through the bucket, bounded", async () => {
    const clock = virtualClock();
    lwa(["Atza|storm"]);
    const served = amazonBucket(clock, { rate: 0.5, burst: 4 });
    const { client, logs } = makeClient(clock, { maxThrottleRetries: 30 });
    const start = clock.now();
    const n = 12;
    const results = await clock.run(Array.from({ length: n }, (_, i) => () => client.getOrder(`111-0000000-${String(i).padStart(7, "0")}`)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const ok = served.filter((s) => s.status === 200);
    const throttled = served.filter((s) => s.status === 429);
    expect(ok).toHaveLength(n);
    expect(throttled.length).toBeGreaterThan(0);
    // Every request — retries included — came out of our bucket (documented burst 30, rate 0.5).
    for (let i = 0; i < served.length; i++) expect(i + 1).toBeLessThanOrEqual(30 + ((served[i]!.at - start) / 1000) * 0.5 + 1e-9);
    // After the first 429 the bucket is drained: the storm settles to Amazon's rate instead of hammering it.
    const firstThrottle = throttled[0]!.at;
    const after = served.filter((s) => s.at > firstThrottle);
    for (let i = 0; i < after.length; i++) expect(i + 1).toBeLessThanOrEqual(1 + ((after[i]!.at - firstThrottle) / 1000) * 0.5 + 1e-9);
    expect(throttled.length).toBeLessThan(n);
    expect(logs.filter((l) => l.msg === "amazon sp-api call: throttled, waiting").every((l) => l.fields.status === 429 && typeof l.fields.retryInMs === "number")).toBe(true);
  });

  it("gives up after maxThrottleRetries with a retryable THROTTLED error; an empty 429 body is no problem", async () => {
    const clock = steppingClock();
    lwa(["Atza|t"]);
    const scope = nock(SP_API).get("/orders/2026-01-01/orders/111-1111111-1111111").times(3).reply(429, "");
    const { client } = makeClient(clock, { maxThrottleRetries: 2, throttleBackoff: { baseMs: 1_000, capMs: 8_000 } });
    const err = await rejection(client.getOrder("111-1111111-1111111"));
    expect(scope.isDone()).toBe(true);
    expect(err).toMatchObject({ kind: "UNAVAILABLE", code: "THROTTLED", retryable: true, details: { status: 429, attempts: 3 } });
    // After each 429: the jittered backoff (random 0.5 → 3/4 of the 1 s, then 2 s ceiling), then the rest
    // of the drained bucket's 2 s for one token at 0.5/s (the backoff counts towards it).
    expect(clock.sleeps).toEqual([750, 1250, 1500, 500]);
  });
});

describe("access tokens", () => {
  it("5 concurrent first calls make one LWA request", async () => {
    const clock = virtualClock();
    const counter = lwa(["Atza|one", "Atza|two"]);
    const scope = nock(SP_API).matchHeader("x-amz-access-token", "Atza|one").get(/^\/orders\/2026-01-01\/orders\/.+$/).times(5).reply(200, order("x"), headers("r"));
    const { client } = makeClient(clock);
    const results = await clock.run([1, 2, 3, 4, 5].map(() => () => client.getOrder("111-0000000-0000001")));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(counter.calls).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it("403 'access token … expired' for 5 concurrent callers → exactly one refresh, one retry each", async () => {
    const clock = virtualClock();
    const counter = lwa(["Atza|old", "Atza|new", "Atza|spare"]);
    const seen: string[] = [];
    nock(SP_API)
      .persist()
      .get(/^\/orders\/2026-01-01\/orders\/.+$/)
      .reply(async (req: Request) => {
        const token = req.headers.get("x-amz-access-token")!;
        seen.push(token);
        return token === "Atza|new" ? [200, order("x"), headers("ok")] : [403, EXPIRED, headers("denied")];
      });
    const tokenCache = createMemoryAccessTokenCache();
    const { client, logs } = makeClient(clock, { tokenCache });
    // Warm the cache with the token that is about to be refused.
    await clock.run([() => client.getOrder("111-0000000-0000000").catch(() => undefined)]);
    expect(counter.calls).toBe(2); // the warm-up itself: old refused, refreshed to new
    seen.length = 0;
    logs.length = 0;
    // Now make "new" the expired one: a second refresh must happen exactly once for all five.
    nock.cleanAll();
    const counter2 = lwa(["Atza|newer", "Atza|spare2"]);
    nock(SP_API)
      .persist()
      .get(/^\/orders\/2026-01-01\/orders\/.+$/)
      .reply(async (req: Request) => {
        const token = req.headers.get("x-amz-access-token")!;
        seen.push(token);
        return token === "Atza|newer" ? [200, order("x"), headers("ok")] : [403, EXPIRED, headers("denied")];
      });
    const results = await clock.run([1, 2, 3, 4, 5].map((i) => () => client.getOrder(`111-0000000-000000${i}`)));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(counter2.calls).toBe(1);
    expect(seen.filter((t) => t === "Atza|new")).toHaveLength(5);
    expect(seen.filter((t) => t === "Atza|newer")).toHaveLength(5);
    expect(logs.filter((l) => l.msg === "amazon lwa token refreshed")).toHaveLength(1);
  });

  it("refused again after the refresh → AUTH, no loop", async () => {
    const clock = steppingClock();
    const counter = lwa(["Atza|a", "Atza|b", "Atza|c"]);
    const scope = nock(SP_API).get("/orders/2026-01-01/orders/111-1111111-1111111").times(2).reply(403, EXPIRED, headers("denied"));
    const { client } = makeClient(clock);
    const err = await rejection(client.getOrder("111-1111111-1111111"));
    expect(scope.isDone()).toBe(true);
    expect(counter.calls).toBe(2);
    expect(err).toMatchObject({ kind: "NOT_ALLOWED", code: "AUTH", retryable: false });
  });

  it("a revoked refresh token (LWA invalid_grant) → AUTH naming the OAuth error, not retried", async () => {
    const scope = nock(LWA).post("/auth/o2/token").once().reply(400, { error: "invalid_grant", error_description: "The request has an invalid grant parameter : refresh_token" });
    const { client } = makeClient(steppingClock());
    const err = await rejection(client.getOrder("111-1111111-1111111"));
    expect(scope.isDone()).toBe(true);
    expect(err).toMatchObject({ kind: "NOT_ALLOWED", code: "AUTH", retryable: false, details: { oauthError: "invalid_grant" } });
  });
});

describe("5xx, unreadable answers and lost connections", () => {
  it("a read: HTML 503, then an HTML 200, then JSON → retried with backoff, succeeds", async () => {
    const clock = steppingClock();
    lwa(["Atza|t"]);
    const scope = nock(SP_API)
      .get("/orders/2026-01-01/orders/111-1111111-1111111")
      .reply(503, "<html><body><h1>503 Service Unavailable</h1></body></html>", { "content-type": "text/html", "x-amzn-RequestId": "r1" })
      .get("/orders/2026-01-01/orders/111-1111111-1111111")
      .reply(200, "<html>proxy</html>", { "content-type": "text/html", "x-amzn-RequestId": "r2" })
      .get("/orders/2026-01-01/orders/111-1111111-1111111")
      .reply(200, order("111-1111111-1111111"), headers("r3"));
    const { client, logs } = makeClient(clock, { retry: { maxAttempts: 3, baseMs: 500, capMs: 10_000 } });
    expect((await client.getOrder("111-1111111-1111111")).order.orderId).toBe("111-1111111-1111111");
    expect(scope.isDone()).toBe(true);
    expect(clock.sleeps).toEqual([375, 750]);
    expect(logs.filter((l) => l.msg === "amazon sp-api call: server trouble, retrying").map((l) => [l.fields.status, l.fields.requestId])).toEqual([
      [503, "r1"],
      [200, "r2"],
    ]);
  });

  it("a read that keeps failing gives up after maxAttempts: TRANSIENT, retryable, with the HTML body", async () => {
    lwa(["Atza|t"]);
    const scope = nock(SP_API).get("/feeds/2021-06-30/feeds/F1").times(3).reply(503, "<html>down</html>", { "content-type": "text/html" });
    const { client } = makeClient(steppingClock());
    const err = await rejection(client.getFeed("F1"));
    expect(scope.isDone()).toBe(true);
    expect(err).toMatchObject({ kind: "UNAVAILABLE", code: "TRANSIENT", retryable: true, details: { status: 503, attempts: 3, body: "<html>down</html>" } });
  });

  it("createFeed: a 500 is OUTCOME_UNKNOWN after one request (a second feed would be processed twice)", async () => {
    lwa(["Atza|t"]);
    const scope = nock(SP_API).post("/feeds/2021-06-30/feeds").once().reply(500, { errors: [{ code: "InternalFailure", message: "We encountered an internal error. Please try again." }] });
    const { client } = makeClient(steppingClock());
    const err = await rejection(client.createFeed({ feedType: "JSON_LISTINGS_FEED", inputFeedDocumentId: "doc-1" }));
    expect(scope.isDone()).toBe(true);
    expect(err).toMatchObject({ kind: "UNAVAILABLE", code: "OUTCOME_UNKNOWN", retryable: false });
  });

  it("createFeed: a lost connection is OUTCOME_UNKNOWN too; a read retries it (no hot loop: one request per attempt)", async () => {
    lwa(["Atza|t"]);
    const feed = nock(SP_API).post("/feeds/2021-06-30/feeds").once().replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    const read = nock(SP_API)
      .get("/feeds/2021-06-30/feeds/F2")
      .times(2)
      .replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .get("/feeds/2021-06-30/feeds/F2")
      .reply(200, { feedId: "F2", feedType: "JSON_LISTINGS_FEED", processingStatus: "IN_QUEUE" }, headers("r"));
    const clock = steppingClock();
    const { client } = makeClient(clock);
    expect(await rejection(client.createFeed({ feedType: "JSON_LISTINGS_FEED", inputFeedDocumentId: "doc-1" }))).toMatchObject({ code: "OUTCOME_UNKNOWN", retryable: false, details: { networkCode: "ECONNRESET" } });
    expect(feed.isDone()).toBe(true);
    expect((await client.getFeed("F2")).processingStatus).toBe("IN_QUEUE");
    expect(read.isDone()).toBe(true);
    expect(clock.sleeps).toEqual([375, 750]);
  });

  it("patchListingsItem (same body is idempotent): a 502 is retried with the identical request", async () => {
    lwa(["Atza|t"]);
    const bodies: string[] = [];
    const patch = { productType: "PRODUCT", patches: [{ op: "merge" as const, path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 3 }] }] };
    nock(SP_API)
      .patch("/listings/2021-08-01/items/A2SELLERTEST/SKU-1")
      .query({ marketplaceIds: "ATVPDKIKX0DER" })
      .times(2)
      .reply(async (req: Request) => {
        bodies.push(await req.text());
        return bodies.length === 1 ? [502, "<html>Bad Gateway</html>"] : [200, { sku: "SKU-1", status: "ACCEPTED", submissionId: "s1", issues: [] }, headers("r")];
      });
    const { client } = makeClient(steppingClock());
    expect((await client.patchListingsItem("SKU-1", patch)).status).toBe("ACCEPTED");
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
    expect(JSON.parse(bodies[0]!)).toEqual(patch);
  });

  it("confirmShipment (same packageReferenceId edits the same package): a 500 is retried", async () => {
    lwa(["Atza|t"]);
    const body = { marketplaceId: "ATVPDKIKX0DER", packageDetail: { packageReferenceId: "1", carrierCode: "UPS", trackingNumber: "1Z999", shipDate: "2026-03-01T10:00:00Z", orderItems: [{ orderItemId: "OI-1", quantity: 2 }] } };
    const scope = nock(SP_API)
      .post("/orders/v0/orders/111-1111111-1111111/shipmentConfirmation", body)
      .reply(500, { errors: [{ code: "InternalFailure", message: "We encountered an internal error." }] })
      .post("/orders/v0/orders/111-1111111-1111111/shipmentConfirmation", body)
      .reply(204);
    const { client } = makeClient(steppingClock());
    expect(await client.confirmShipment("111-1111111-1111111", body)).toEqual({ success: true });
    expect(scope.isDone()).toBe(true);
  });
});

describe("paging", () => {
  const NOW = Date.parse("2026-03-01T12:00:00Z");

  it("searchOrders: an expired paginationToken (400) restarts the window from its watermark with the same parameters", async () => {
    lwa(["Atza|t"]);
    const base = { lastUpdatedAfter: "2026-03-01T10:00:00Z", lastUpdatedBefore: "2026-03-01T11:50:00Z", marketplaceIds: "ATVPDKIKX0DER", includedData: "FULFILLMENT" };
    const queries: Record<string, string>[] = [];
    const record = (q: Record<string, string>) => {
      queries.push(q);
      return true;
    };
    nock(SP_API)
      .get("/orders/2026-01-01/orders")
      .query((q) => record(q as Record<string, string>) && q.paginationToken === "STALE")
      .reply(400, { errors: [{ code: "InvalidInput", message: "Invalid paginationToken: the token has expired." }] }, headers("r1"))
      .get("/orders/2026-01-01/orders")
      .query((q) => record(q as Record<string, string>) && q.paginationToken === undefined)
      .reply(200, { orders: [{ orderId: "A" }], pagination: { nextToken: "T2" }, lastUpdatedBefore: "2026-03-01T11:50:00Z" }, headers("r2"))
      .get("/orders/2026-01-01/orders")
      .query((q) => record(q as Record<string, string>) && q.paginationToken === "T2")
      .reply(200, { orders: [{ orderId: "B" }], lastUpdatedBefore: "2026-03-01T11:50:00Z" }, headers("r3"));
    const clock = steppingClock(NOW);
    const { client } = makeClient(clock);
    const checkpoint: OrdersCheckpoint = { by: "lastUpdated", after: base.lastUpdatedAfter, before: base.lastUpdatedBefore, paginationToken: "STALE", tokenIssuedAtMs: NOW - 60_000 };
    const pages = [];
    for await (const p of client.searchOrdersPages({ checkpoint, filters: { marketplaceIds: ["ATVPDKIKX0DER"], includedData: ["FULFILLMENT"] } })) pages.push(p);
    expect(pages.map((p) => [p.orders.map((o) => o.orderId), p.restarted, p.checkpoint.paginationToken])).toEqual([
      [["A"], true, "T2"],
      [["B"], false, null],
    ]);
    expect(pages[1]!.checkpoint).toEqual({ by: "lastUpdated", after: "2026-03-01T11:50:00Z", before: null, paginationToken: null, tokenIssuedAtMs: null });
    // The same window every time; only the token differs.
    const sent = queries.filter((q, i, all) => all.findIndex((o) => JSON.stringify(o) === JSON.stringify(q)) === i);
    expect(sent.map(({ paginationToken, ...rest }) => [paginationToken ?? null, rest])).toEqual([
      ["STALE", base],
      [null, base],
      ["T2", base],
    ]);
  });

  it("getInventorySummaries: pages back to back; a refused nextToken and a token older than 25 s both restart from startDateTime", async () => {
    lwa(["Atza|t"]);
    const clock = steppingClock(NOW);
    const tokensSent: (string | null)[] = [];
    const summary = (sku: string) => ({ asin: "B0", fnSku: "X0", sellerSku: sku, condition: "NewItem", lastUpdatedTime: "2026-03-01T00:00:00Z", totalQuantity: 3 });
    // Hand-written from the fbaInventory v1 schema: Amazon publishes no example (fixtures/SOURCE.md).
    nock(SP_API)
      .persist()
      .get("/fba/inventory/v1/summaries")
      .query(true)
      .reply(async (req: Request) => {
        const q = new URL(req.url).searchParams;
        expect(q.get("startDateTime")).toBe("2026-02-01T00:00:00Z");
        expect(q.get("granularityType")).toBe("Marketplace");
        const token = q.get("nextToken");
        tokensSent.push(token);
        if (token === "N1" && tokensSent.filter((t) => t === "N1").length === 1) return [400, { errors: [{ code: "InvalidInput", message: "The nextToken has expired" }] }, headers("x")];
        if (token === null) return [200, { pagination: { nextToken: "N1" }, payload: { granularity: { granularityType: "Marketplace", granularityId: "ATVPDKIKX0DER" }, inventorySummaries: [summary("S1")] } }, headers("a", "2")];
        return [200, { payload: { granularity: {}, inventorySummaries: [summary("S2")] } }, headers("b", "2")];
      });
    const { client } = makeClient(clock);
    const got = [];
    for await (const page of client.inventorySummariesPages({ marketplaceId: "ATVPDKIKX0DER", startDateTime: "2026-02-01T00:00:00Z", details: true })) {
      got.push([page.inventorySummaries.map((s) => s.sellerSku), page.restarted, page.nextToken]);
      if (got.length === 2) clock.advance(26_000); // a slow consumer: the next token would die on the way
    }
    expect(got).toEqual([
      [["S1"], false, "N1"],
      [["S1"], true, "N1"],
      [["S1"], true, "N1"],
      [["S2"], false, null],
    ]);
    expect(tokensSent).toEqual([null, "N1", null, null, "N1"]);
  });
});

describe("feeds that end FATAL", () => {
  // A JSON_LISTINGS_FEED processing report in the shape of the models' listings-feed-processing-report-schema-v2 (hand-written).
  const report = {
    header: { sellerId: "A2SELLERTEST", version: "2.0", feedId: "F9" },
    issues: [{ messageId: 1, code: "4000003", severity: "ERROR", message: "The Amazon product type specified is invalid or not supported." }],
    summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 1 },
  };

  it("getFeed FATAL → the report document is read (GZIP) and the error carries its issues", async () => {
    lwa(["Atza|t"]);
    const scope = nock(SP_API)
      .get("/feeds/2021-06-30/feeds/F9")
      .reply(200, { feedId: "F9", feedType: "JSON_LISTINGS_FEED", processingStatus: "FATAL", resultFeedDocumentId: "rep-9", createdTime: "2026-03-01T10:00:00Z" }, headers("g", "2"))
      .get("/feeds/2021-06-30/documents/rep-9")
      .reply(200, { feedDocumentId: "rep-9", url: "https://d34o8swod1owfl.cloudfront.net/reports/rep-9.json.gz?sig=2", compressionAlgorithm: "GZIP" }, headers("d", "0.0222"));
    const s3 = nock("https://d34o8swod1owfl.cloudfront.net").get("/reports/rep-9.json.gz").query({ sig: "2" }).reply(200, gzipSync(JSON.stringify(report)), { "content-type": "application/json" });
    const { client } = makeClient(steppingClock());
    const err = await rejection(client.feedOutcome("F9"));
    expect(scope.isDone() && s3.isDone()).toBe(true);
    expect(err).toMatchObject({ kind: "INVALID", code: "FEED_FATAL", retryable: false, details: { feedId: "F9", report, issues: report.issues } });
    expect(err.message).toBe("feed F9 (JSON_LISTINGS_FEED) ended FATAL: 4000003 The Amazon product type specified is invalid or not supported.");
  });

  it("DONE → the report comes back; IN_PROGRESS → not done, nothing downloaded", async () => {
    lwa(["Atza|t"]);
    nock(SP_API)
      .get("/feeds/2021-06-30/feeds/F10")
      .reply(200, { feedId: "F10", feedType: "JSON_LISTINGS_FEED", processingStatus: "IN_PROGRESS" }, headers("g1"))
      .get("/feeds/2021-06-30/feeds/F10")
      .reply(200, { feedId: "F10", feedType: "JSON_LISTINGS_FEED", processingStatus: "DONE", resultFeedDocumentId: "rep-10" }, headers("g2"))
      .get("/feeds/2021-06-30/documents/rep-10")
      .reply(200, { feedDocumentId: "rep-10", url: "https://d34o8swod1owfl.cloudfront.net/reports/rep-10.json" }, headers("d"));
    nock("https://d34o8swod1owfl.cloudfront.net").get("/reports/rep-10.json").reply(200, JSON.stringify({ ...report, issues: [] }), { "content-type": "application/json" });
    const { client } = makeClient(steppingClock());
    expect(await client.feedOutcome("F10")).toMatchObject({ done: false, feed: { processingStatus: "IN_PROGRESS" } });
    expect(await client.feedOutcome("F10")).toMatchObject({ done: true, report: { issues: [] } });
  });

  it("a report URL that expired (S3 403 AccessDenied 'Request has expired') is fetched again with a fresh URL", async () => {
    lwa(["Atza|t"]);
    const scope = nock(SP_API)
      .get("/feeds/2021-06-30/documents/rep-11")
      .reply(200, { feedDocumentId: "rep-11", url: "https://d34o8swod1owfl.cloudfront.net/reports/rep-11.json?sig=old" }, headers("d1"))
      .get("/feeds/2021-06-30/documents/rep-11")
      .reply(200, { feedDocumentId: "rep-11", url: "https://d34o8swod1owfl.cloudfront.net/reports/rep-11.json?sig=new" }, headers("d2"));
    const s3 = nock("https://d34o8swod1owfl.cloudfront.net")
      .get("/reports/rep-11.json")
      .query({ sig: "old" })
      .reply(403, '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', { "content-type": "application/xml" })
      .get("/reports/rep-11.json")
      .query({ sig: "new" })
      .reply(200, JSON.stringify(report), { "content-type": "application/json" });
    const { client } = makeClient(steppingClock());
    expect(await client.readFeedReport("rep-11")).toEqual(report);
    expect(scope.isDone() && s3.isDone()).toBe(true);
  });
});
