import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConnectorError } from "#connectors/core/errors";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { startShopifySandbox, type ShopifySandbox } from "../sandbox/server";
import { smallSeed } from "../sandbox/test-fixtures";
import { ASSUMED_LIMITS, createAdminClient } from "./admin-client";
import * as D from "./documents";
import { createFetchTransport } from "./fetch-transport";

/**
 * The fulfillment-order documents against the Shopify sandbox peer (real schema validation, real
 * cost): the look-up of a fulfillment order's order (order_routing_complete names only the FO),
 * holds with handles (a second hold with the same handle is refused, so a retried hold can be
 * found instead of placed twice), release by holdIds that leaves another app's hold alone, and
 * pickups marked ready.
 */
describe("Fulfillment-order documents × Shopify sandbox peer", () => {
  let sandbox: ShopifySandbox;
  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set");
    sandbox = await startShopifySandbox({ schemaDir, shop: "fo-docs.myshopify.com", seed: smallSeed(), apiSecret: "secret" });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const client = () =>
    createAdminClient({
      shop: sandbox.shop,
      transport: createFetchTransport({ baseUrl: sandbox.url, shop: sandbox.shop, apiVersion: "2026-10", accessToken: sandbox.accessToken }),
      buckets: createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now: systemClock.now, sleep: systemClock.sleep }),
      now: systemClock.now,
      sleep: systemClock.sleep,
      random: systemClock.random,
    });
  const webOrder = (sku: string, quantity: number, pickupLocationN?: number) => {
    const s = sandbox.store;
    return s.createOrder({
      lines: [s.lineFromVariant(s.variantBySkuOf(sku)!, quantity)],
      sourceName: "web",
      inventoryBehaviour: "DECREMENT_IGNORING_POLICY",
      ...(pickupLocationN ? { pickupLocationN } : { shippingAddress: { city: "New York", provinceCode: "NY", countryCode: "US", zip: "10001" } }),
    });
  };

  it("OmsFulfillmentOrderOrder: the fulfillment order's order, status and assigned location; an unknown id is null", async () => {
    const o = webOrder("TEE-M", 1);
    const foN = o.foNs[0]!;
    const fo = sandbox.store.fulfillmentOrder(foN)!;
    const data = await client().query(D.FULFILLMENT_ORDER_ORDER, { id: `gid://shopify/FulfillmentOrder/${foN}` });
    expect(data.fulfillmentOrder).toEqual({
      id: `gid://shopify/FulfillmentOrder/${foN}`,
      status: "OPEN",
      assignedLocation: { location: { id: `gid://shopify/Location/${fo.locationN}` } },
      order: { id: `gid://shopify/Order/${o.n}`, legacyResourceId: String(o.n) },
    });
    expect((await client().query(D.FULFILLMENT_ORDER_ORDER, { id: "gid://shopify/FulfillmentOrder/999999" })).fulfillmentOrder).toBeNull();
  });

  it("holds by handle: the same handle twice is refused (DUPLICATE_FULFILLMENT_HOLD_HANDLE); release by holdIds leaves another app's hold", async () => {
    const o = webOrder("CAP", 1);
    const id = `gid://shopify/FulfillmentOrder/${o.foNs[0]!}`;
    // Another app (or staff) holds it first.
    sandbox.store.holdFulfillmentOrder(o.foNs[0]!, { reason: "OTHER", handle: "oms-hold-x", otherApp: "fraud-checker" });
    const c = client();
    const held = await c.mutate(D.FULFILLMENT_ORDER_HOLD, { id, hold: { reason: "INCORRECT_ADDRESS", reasonNotes: "call the customer", handle: "oms-hold-x", notifyMerchant: false } });
    // Handles are per app: the other app's "oms-hold-x" does not clash with ours.
    expect(held.fulfillmentOrderHold?.fulfillmentHold).toMatchObject({ handle: "oms-hold-x", reason: "INCORRECT_ADDRESS" });
    expect(held.fulfillmentOrderHold?.fulfillmentOrder?.fulfillmentHolds.map((h) => [h.reason, h.heldByRequestingApp, h.reasonNotes])).toEqual([
      ["OTHER", false, null],
      ["INCORRECT_ADDRESS", true, "call the customer"],
    ]);
    const again = await c.mutate(D.FULFILLMENT_ORDER_HOLD, { id, hold: { reason: "INCORRECT_ADDRESS", handle: "oms-hold-x" } }).catch((e: unknown) => e);
    expect(isConnectorError(again) && again.code).toBe("DUPLICATE_FULFILLMENT_HOLD_HANDLE");
    expect(isConnectorError(again) && again.permanent).toBe(true);

    const ours = held.fulfillmentOrderHold!.fulfillmentHold!.id;
    const released = await c.mutate(D.FULFILLMENT_ORDER_RELEASE_HOLD, { id, holdIds: [ours] });
    expect(released.fulfillmentOrderReleaseHold?.fulfillmentOrder).toMatchObject({ status: "ON_HOLD", fulfillmentHolds: [{ reason: "OTHER", heldByRequestingApp: false }] });
  });

  it("fulfillmentOrderLineItemsPreparedForPickup: a pickup FO is marked ready; a shipping FO is refused naming the field", async () => {
    const la = sandbox.store.locationByKeyOf("la")!;
    const pickup = webOrder("CAP", 1, la.n);
    const c = client();
    const input = (n: number) => ({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${n}` }] });
    await c.mutate(D.FULFILLMENT_ORDER_LINE_ITEMS_PREPARED_FOR_PICKUP, { input: input(pickup.foNs[0]!) });
    expect(sandbox.store.fulfillmentOrder(pickup.foNs[0]!)!.preparedForPickupAt).not.toBeNull();
    const shipping = webOrder("CAP", 1);
    const refused = await c.mutate(D.FULFILLMENT_ORDER_LINE_ITEMS_PREPARED_FOR_PICKUP, { input: input(shipping.foNs[0]!) }).catch((e: unknown) => e);
    expect(isConnectorError(refused) && [refused.kind, refused.field]).toEqual(["INVALID", "input.lineItemsByFulfillmentOrder.0.fulfillmentOrderId"]);
  });
});
