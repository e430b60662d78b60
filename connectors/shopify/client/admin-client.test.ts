import { describe, expect, it } from "vitest";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { ASSUMED_LIMITS, adminBucketKey, createAdminClient, type AdminClientDeps } from "./admin-client";
import { FULFILLMENT_ORDER_RELEASE_HOLD, INVENTORY_SET_QUANTITIES, SHOP_INFO } from "./documents";
import { idempotencyKey, releaseHolds, setInventoryQuantities, type CasQuantity } from "./operations";
import type { GraphqlRequest, Transport, TransportResponse } from "./transport";

/** The client's decisions with a scripted transport and a fake clock (no network). */
const SHOP = "unit-shop.myshopify.com";
const cost = (requested: number, actual: number | null, available: number, maximum = 1_000, restoreRate = 50) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: { maximumAvailable: maximum, currentlyAvailable: available, restoreRate } },
});
const answer = (body: TransportResponse["body"], status = 200): TransportResponse => ({ status, body, headers: {} });

function setup(script: ((req: GraphqlRequest, n: number) => TransportResponse)[], overrides: Partial<AdminClientDeps> = {}) {
  const clock = { now: 0 };
  const sleeps: number[] = [];
  const sent: GraphqlRequest[] = [];
  const transport: Transport = async (req) => {
    sent.push(req);
    const step = script[sent.length - 1];
    if (!step) throw new Error(`unexpected request ${sent.length}`);
    return step(req, sent.length);
  };
  const now = () => clock.now;
  const sleep =
    overrides.sleep ??
    (async (ms: number) => {
      sleeps.push(ms);
      clock.now += ms;
    });
  const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now, sleep });
  const client = createAdminClient({ shop: SHOP, transport, buckets, now, sleep, random: () => 0, retry: { maxAttempts: 3, baseMs: 500, capMs: 10_000 }, ...overrides });
  return { client, sleeps, sent, buckets };
}

const SHOP_DATA = { shop: { id: "gid://shopify/Shop/1" } };

describe("admin client decisions", () => {
  it("learns an operation's requested cost, refunds the difference and resyncs with the server", async () => {
    const { client, buckets } = setup([() => answer({ data: SHOP_DATA, extensions: cost(12, 2, 1_998, 2_000, 100) }), () => answer({ data: SHOP_DATA, extensions: cost(12, 2, 1_996, 2_000, 100) })]);
    await client.query(SHOP_INFO);
    expect(await buckets.snapshot(adminBucketKey(SHOP))).toMatchObject({ capacity: 2_000, restoreRate: 100, available: 1_998, inFlight: 0 });
    await client.query(SHOP_INFO);
    expect(await buckets.snapshot(adminBucketKey(SHOP))).toMatchObject({ available: 1_996 });
  });

  it("an estimate too low is corrected by the THROTTLED answer's requestedQueryCost before the retry", async () => {
    const { client, sleeps, sent } = setup(
      [() => answer({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: cost(900, null, 500, 1_000, 50) }), () => answer({ data: SHOP_DATA, extensions: cost(900, 10, 590) })],
      { defaultCost: 50 },
    );
    await client.query(SHOP_INFO);
    expect(sent).toHaveLength(2);
    expect(sleeps).toEqual([8_000]); // (900 − 500) / 50 per second
  });

  it("THROTTLED although the points were there (a resource-based throttle): backs off instead of asking again at once", async () => {
    const { client, sleeps } = setup([
      () => answer({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: cost(10, null, 900) }),
      () => answer({ data: SHOP_DATA, extensions: cost(10, 1, 899) }),
    ]);
    await client.query(SHOP_INFO);
    expect(sleeps).toEqual([250]);
  });

  it("gives up after maxThrottleRetries THROTTLED answers: UNAVAILABLE, retryable", async () => {
    const throttled = () => answer({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: cost(10, null, 0, 1_000, 50) });
    const { client, sent } = setup([throttled, throttled, throttled], { maxThrottleRetries: 2 });
    await expect(client.query(SHOP_INFO)).rejects.toMatchObject({ kind: "UNAVAILABLE", code: "THROTTLED", retryable: true });
    expect(sent).toHaveLength(3);
  });

  it("INTERNAL_SERVER_ERROR without data is retried for an idempotent mutation, with the same key", async () => {
    const ok = { inventorySetQuantities: { inventoryAdjustmentGroup: { id: "g1", reason: "correction", referenceDocumentUri: null, changes: [] }, userErrors: [] } };
    const { client, sent } = setup([() => answer({ errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }), () => answer({ data: ok, extensions: cost(10, 10, 990) })]);
    const rows: CasQuantity[] = [{ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 4, changeFromQuantity: 3 }];
    const key = idempotencyKey("inventory-set", SHOP, 42);
    expect(await setInventoryQuantities(client, { name: "available", reason: "correction", quantities: rows }, key)).toMatchObject({ id: "g1" });
    expect(sent.map((r) => r.variables?.idempotencyKey)).toEqual([key, key]);
  });

  it("IDEMPOTENCY_CONCURRENT_REQUEST: asks again later with the same key", async () => {
    const busy = { inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors: [{ field: null, message: "This request is currently in progress, please try again.", code: "IDEMPOTENCY_CONCURRENT_REQUEST" }] } };
    const done = { inventorySetQuantities: { inventoryAdjustmentGroup: { id: "g2", reason: "correction", referenceDocumentUri: null, changes: [] }, userErrors: [] } };
    const { client, sent, sleeps } = setup([() => answer({ data: busy, extensions: cost(10, 10, 990) }), () => answer({ data: done, extensions: cost(10, 10, 990) })]);
    await client.mutate(INVENTORY_SET_QUANTITIES, { input: { name: "available", reason: "correction", quantities: [] }, idempotencyKey: "k-1" });
    expect(sent.map((r) => r.variables?.idempotencyKey)).toEqual(["k-1", "k-1"]);
    expect(sleeps).toEqual([250]);
  });

  it("a caller's abort stops the wait for the bucket", async () => {
    const controller = new AbortController();
    const { client } = setup([() => answer({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: cost(10, null, 0, 1_000, 50) })], {
      // the job is stopped while the client waits for restore
      sleep: async () => controller.abort(new Error("job stopped")),
    });
    await expect(client.query(SHOP_INFO, undefined, { signal: controller.signal })).rejects.toThrow("job stopped");
  });
});

describe("write helpers", () => {
  it("idempotencyKey: stable per intent, different for another, UUID-shaped", () => {
    const a = idempotencyKey("inventory-set", "shop-a", 42);
    expect(a).toBe(idempotencyKey("inventory-set", "shop-a", 42));
    expect(a).not.toBe(idempotencyKey("inventory-set", "shop-a", 43));
    expect(a).not.toBe(idempotencyKey("inventory-set", "shop-a4", 2));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("setInventoryQuantities refuses a row without changeFromQuantity before sending", async () => {
    const { client, sent } = setup([]);
    const row = { inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 4 } as CasQuantity;
    await expect(setInventoryQuantities(client, { name: "available", reason: "correction", quantities: [row] }, "k")).rejects.toMatchObject({ kind: "INVALID", field: "input.quantities.0.changeFromQuantity" });
    expect(sent).toHaveLength(0);
  });

  it("releaseHolds refuses an empty list (Shopify would release every hold) and is retried after a 503", async () => {
    const { client, sent } = setup([
      () => answer({}, 503),
      () => answer({ data: { fulfillmentOrderReleaseHold: { fulfillmentOrder: { id: "fo1", status: "OPEN", fulfillmentHolds: [] }, userErrors: [] } }, extensions: cost(10, 10, 990) }),
    ]);
    await expect(releaseHolds(client, "fo1", [])).rejects.toMatchObject({ kind: "INVALID", field: "holdIds" });
    expect(await releaseHolds(client, "fo1", ["gid://shopify/FulfillmentHold/7"])).toMatchObject({ id: "fo1" });
    expect(sent.map((r) => r.variables)).toEqual([{ id: "fo1", holdIds: ["gid://shopify/FulfillmentHold/7"] }, { id: "fo1", holdIds: ["gid://shopify/FulfillmentHold/7"] }]);
    expect(FULFILLMENT_ORDER_RELEASE_HOLD).toContain("holdIds: $holdIds");
  });
});
