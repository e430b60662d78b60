import { describe, expect, it } from "vitest";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { DRAINED_STATUS, PRIME_STATUS, parseRateLimitHeader, rateOnlyStatus } from "./rate-header";
import { SP_API_OPERATIONS, SP_API_OPERATION_NAMES, appBucketKey, defaultLimitsOf, feedTypeBucketKey, spApiBucketKey, spApiBucketLimits } from "./rate-limits";

describe("SP-API rate table (brief §2.1, Amazon's usage plans)", () => {
  it("holds the documented default rate and burst of each operation", () => {
    const table = Object.fromEntries(SP_API_OPERATION_NAMES.map((op) => [op, [SP_API_OPERATIONS[op].rate, SP_API_OPERATIONS[op].burst]]));
    expect(table).toEqual({
      searchOrders: [0.0056, 20],
      getOrder: [0.5, 30],
      confirmShipment: [2, 10],
      getListingsItem: [5, 10],
      patchListingsItem: [5, 5],
      createFeedDocument: [0.5, 15],
      createFeed: [0.0083, 15],
      getFeed: [2, 15],
      getFeedDocument: [0.0222, 10],
      getInventorySummaries: [2, 2],
      getSubscription: [1, 5],
      createSubscription: [1, 5],
      deleteSubscriptionById: [1, 5],
      getDestinations: [1, 5],
      createDestination: [1, 5],
    });
  });

  it("pins every operation to its version: Orders 2026-01-01 except confirmShipment on v0", () => {
    expect(Object.fromEntries(SP_API_OPERATION_NAMES.map((op) => [op, `${SP_API_OPERATIONS[op].libOperation}@${SP_API_OPERATIONS[op].version}`]))).toEqual({
      searchOrders: "orders.searchOrders@2026-01-01",
      getOrder: "orders.getOrder@2026-01-01",
      confirmShipment: "orders.confirmShipment@v0",
      getListingsItem: "listingsItems.getListingsItem@2021-08-01",
      patchListingsItem: "listingsItems.patchListingsItem@2021-08-01",
      createFeedDocument: "feeds.createFeedDocument@2021-06-30",
      createFeed: "feeds.createFeed@2021-06-30",
      getFeed: "feeds.getFeed@2021-06-30",
      getFeedDocument: "feeds.getFeedDocument@2021-06-30",
      getInventorySummaries: "fbaInventory.getInventorySummaries@v1",
      getSubscription: "notifications.getSubscription@v1",
      createSubscription: "notifications.createSubscription@v1",
      deleteSubscriptionById: "notifications.deleteSubscriptionById@v1",
      getDestinations: "notifications.getDestinations@v1",
      createDestination: "notifications.createDestination@v1",
    });
  });

  it("marks createFeed and createDestination alone as not safe to repeat", () => {
    expect(SP_API_OPERATION_NAMES.filter((op) => !SP_API_OPERATIONS[op].retrySafe)).toEqual(["createFeed", "createDestination"]);
  });

  it("marks the Notifications API's grantless operations (Amazon's model says which) and only those", () => {
    expect(SP_API_OPERATION_NAMES.filter((op) => SP_API_OPERATIONS[op].grantless)).toEqual(["deleteSubscriptionById", "getDestinations", "createDestination"]);
  });

  it("names a doc for every row", () => {
    for (const op of SP_API_OPERATION_NAMES) expect(SP_API_OPERATIONS[op].doc).toMatch(/^https:\/\/developer-docs\.amazon\.com\/sp-api\/reference\/\w+ · https:\/\/github\.com\/amzn\/selling-partner-api-models\//);
  });

  it("turns a row into bucket limits (burst = capacity, rate = restore per second) and refuses unknown operations", () => {
    expect(defaultLimitsOf("searchOrders")).toEqual({ capacity: 20, restoreRate: 0.0056 });
    expect(spApiBucketLimits({ account: "amazon:A1|eu", operation: "patchListingsItem" })).toEqual({ capacity: 5, restoreRate: 5 });
    expect(() => defaultLimitsOf("getOrders")).toThrow(/no SP-API rate limit known for operation "getOrders"/);
  });

  it("keys buckets by seller account + region and operation", () => {
    expect(spApiBucketKey("A1B2C3", "eu", "getOrder")).toEqual({ account: "amazon:A1B2C3|eu", operation: "getOrder" });
    expect(spApiBucketKey("A1B2C3", "na", "getOrder")).not.toEqual(spApiBucketKey("A1B2C3", "eu", "getOrder"));
    // Grantless calls are the application's: no seller in the key.
    expect(appBucketKey("amzn1.application-oa2-client.x", "na", "createDestination")).toEqual({ account: "amazon:app:amzn1.application-oa2-client.x|na", operation: "createDestination" });
  });
});

describe("x-amzn-RateLimit-Limit", () => {
  it("reads the rate, and nothing from absent or odd values", () => {
    expect(parseRateLimitHeader("0.0056")).toBe(0.0056);
    expect(parseRateLimitHeader(" 5.0 ")).toBe(5);
    expect(parseRateLimitHeader(["2", "3"])).toBe(2);
    expect(parseRateLimitHeader("1e1")).toBe(10);
    expect(parseRateLimitHeader(undefined)).toBeUndefined();
    expect(parseRateLimitHeader("")).toBeUndefined();
    expect(parseRateLimitHeader("0")).toBeUndefined();
    expect(parseRateLimitHeader("-1")).toBeUndefined();
    expect(parseRateLimitHeader("fast")).toBeUndefined();
  });

  it("adapts a primed bucket's rate without refilling it; a 429 drains it; burst stays", async () => {
    let now = 0;
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: () => now, sleep: async (ms) => void (now += ms) });
    const key = spApiBucketKey("S", "na", "getOrder");
    await buckets.observe(key, PRIME_STATUS);
    expect(await buckets.snapshot(key)).toMatchObject({ capacity: 30, restoreRate: 0.5, available: 30, observed: true });
    for (let i = 0; i < 10; i++) await buckets.settle(key, await buckets.take(key, 1), {});
    expect((await buckets.snapshot(key))!.available).toBe(20);
    await buckets.observe(key, rateOnlyStatus(2));
    expect(await buckets.snapshot(key)).toMatchObject({ capacity: 30, restoreRate: 2, available: 20 });
    now += 1_000; // 2 tokens per second now
    expect((await buckets.snapshot(key))!.available).toBe(22);
    await buckets.observe(key, DRAINED_STATUS);
    expect(await buckets.snapshot(key)).toMatchObject({ capacity: 30, restoreRate: 2, available: 0 });
    const grant = await buckets.take(key, 1); // waits half a second for one token at 2/s
    expect(grant.waitedMs).toBe(500);
  });

  it("priming an already-used bucket never raises it", async () => {
    let now = 0;
    const store = createMemoryBucketStore();
    const buckets = createTokenBuckets({ store, limits: spApiBucketLimits, now: () => now, sleep: async (ms) => void (now += ms) });
    const key = spApiBucketKey("S", "na", "patchListingsItem");
    await buckets.observe(key, PRIME_STATUS);
    for (let i = 0; i < 4; i++) await buckets.take(key, 1); // 4 in flight
    await buckets.observe(key, PRIME_STATUS);
    expect(await buckets.snapshot(key)).toMatchObject({ available: 1, inFlight: 4 });
  });
});

describe("feed-type submission limits", () => {
  it("JSON_LISTINGS_FEED has its own bucket beside createFeed's: 5 submissions per 5 minutes, the 6th waits a minute", async () => {
    const key = feedTypeBucketKey("A1SELLER", "na", "JSON_LISTINGS_FEED")!;
    expect(key).toEqual({ account: "amazon:A1SELLER|na", operation: "createFeed:JSON_LISTINGS_FEED" });
    expect(feedTypeBucketKey("A1SELLER", "na", "POST_ORDER_FULFILLMENT_DATA")).toBeUndefined();
    expect(spApiBucketLimits(key)).toEqual({ capacity: 5, restoreRate: 5 / 300 });
    let now = 0;
    const waits: number[] = [];
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) });
    await buckets.observe(key, PRIME_STATUS);
    for (let i = 0; i < 6; i++) await buckets.settle(key, await buckets.take(key, 1), {});
    expect(waits).toEqual([60_000]);
  });
});
