import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createMemoryAccessTokenCache } from "#connectors/amazon/client/access-token";
import { spApiBucketLimits } from "#connectors/amazon/client/rate-limits";
import { sandboxAgent } from "#connectors/amazon/client/sandbox-agent";
import { createSpApiClient } from "#connectors/amazon/client/sp-api-client";
import { startAmazonSandbox, type AmazonSandbox } from "#connectors/amazon/sandbox/index";
import { fakeClock } from "#connectors/amazon/sandbox/test-fixtures";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { saveAmazonAccount, type AmazonCredentials } from "#app/modules/amazon/index";
import { appendOrderEvent, recordFulfillmentOrder, SHOPIFY_ORDER_CREATED_EVENT } from "#app/modules/orders/index";
import { activateVersion, routingFixtures, saveDraft } from "#app/modules/routing/index";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import { acceptOrderChangeNotification, amazonInboundHandlers, pollAmazonOrders, type AmazonOrdersDeps } from "#app/workflows/amazon-orders.server";
import { confirmAmazonShipment, requestAmazonShipmentConfirmation } from "#app/workflows/amazon-shipments.server";
import { createInboundEventProcessor } from "#app/platform/inbound-events.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation, makeSku, setStock, total } from "#test/support/inventory";
import { memoryLogger, TEST_KEYS } from "#test/support/runtime";

/**
 * Amazon orders in, against the Amazon sandbox peer over real HTTP through the real client:
 * searchOrders from a watermark with a stored checkpoint, MFN → reserve + route + queued for
 * Shopify, AFN → recorded only, cancellations released, unknown SKUs kept (quarantined), and
 * ORDER_CHANGE notifications deduplicated on NotificationId.
 */
const SHOP = "amz-orders.myshopify.com";
const OTHER = "amz-other.myshopify.com";
const SELLER = "A2TESTSELLER01";
const US = "ATVPDKIKX0DER";
const secrets = createSecretBox(parseKeyring(TEST_KEYS));

describeEachDatabase("Amazon orders in", (tdb) => {
  let peer: AmazonSandbox;
  let clock: ReturnType<typeof fakeClock>;
  let accountId: string;
  let tee: string;
  let west: string;

  const deps = (): AmazonOrdersDeps => {
    // One bucket store and token cache per test, as the runtime keeps one per process.
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep: async () => {} });
    const tokenCache = createMemoryAccessTokenCache();
    return {
      db: tdb().handle.db,
      secrets,
      logger: memoryLogger("warn"),
      now: () => new Date(clock.now()),
      clientFor: (c: AmazonCredentials) =>
        createSpApiClient({ account: c, buckets, tokenCache, now: clock.now, sleep: async () => {}, random: () => 0.5, transport: { agent: sandboxAgent(peer.url) } }),
    };
  };

  async function seedShop(db: Db, shop: string) {
    const w = await makeLocation(db, shop, "West");
    await db.location.update({ where: { id: w.id }, data: { latitude: 34.05, longitude: -117.6, routingPriority: 1, shopifyLocationId: "gid://shopify/Location/1" } });
    const channel = await makeChannel(db, shop, "amazon-us", [w.id], { hubHoldsStock: true });
    const skus: Record<string, string> = {};
    for (const sku of ["TEE", "CAP", "TENT"]) {
      const v = await makeSku(db, shop, sku);
      skus[sku] = v.id;
      await setStock(db, shop, v.id, w.id, 500);
      await db.channelListing.create({ data: { id: randomUUID(), shop, channelId: channel.id, variantId: v.id, externalSku: `DO-${sku}` } });
    }
    await saveDraft(db, shop, { rules: [routingFixtures.rule("default", { sort: [{ by: "location_priority" }], splitPolicy: { kind: "split_lines" }, fallback: { kind: "backorder" } })], actor: "test" });
    await activateVersion({ db, now: () => new Date(clock.now()) }, shop, 1);
    return { west: w.id, skus };
  }

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    clock = fakeClock(Date.parse("2026-12-02T10:00:00Z"));
    peer = await startAmazonSandbox({
      sellerId: SELLER,
      marketplaces: [US],
      clock: clock.now,
      randomSeed: 3,
      seed: { listings: [{ sku: "DO-TEE", quantity: 500 }, { sku: "DO-CAP", quantity: 500 }, { sku: "DO-TENT", quantity: 500 }, { sku: "DO-UNKNOWN", quantity: 500 }], fba: [{ sku: "DO-CAP", fulfillable: 9 }] },
    });
    const { db } = tdb().handle;
    const seeded = await seedShop(db, SHOP);
    west = seeded.west;
    tee = seeded.skus.TEE!;
    await seedShop(db, OTHER);
    const account = await saveAmazonAccount(
      { db, secrets, now: () => new Date(clock.now()), checkCredentials: async () => ({ ok: true }) },
      SHOP,
      { region: "na", sellerId: SELLER, lwaClientId: peer.lwa.clientId, lwaClientSecret: peer.lwa.clientSecret, refreshToken: peer.lwa.refreshToken, marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }], features: {} },
    );
    accountId = account.id;
  });

  afterEach(async () => {
    await peer?.close();
  });

  /** Orders become visible to searchOrders 2 minutes after their last update (Amazon's rule): let the clock run. */
  const later = (ms = 3 * 60_000) => clock.advance(ms);

  it("takes MFN orders in (reserved, routed, queued for Shopify), records FBA ones, and a second poll changes nothing", async () => {
    const { db } = tdb().handle;
    const mfn = peer.generateOrders(2, { fulfilledBy: "MERCHANT", skus: [{ sku: "DO-TEE", quantity: 2 }] });
    const afn = peer.generateOrders(1, { fulfilledBy: "AMAZON", skus: [{ sku: "DO-CAP", quantity: 1 }] });
    later();
    const first = await pollAmazonOrders(deps(), { shop: SHOP, accountId });
    expect(first).toMatchObject({ seen: 3, takenIn: 2, recorded: 1, quarantined: 0 });

    const orders = await db.order.findMany({ where: { shop: SHOP }, orderBy: { externalOrderId: "asc" } });
    expect(orders.map((o) => [o.externalOrderId, o.status]).sort()).toEqual(
      [...mfn.map((o) => [o.orderId, "routed"]), ...afn.map((o) => [o.orderId, "fulfilled_by_channel"])].sort(),
    );
    // Two MFN orders × 2 tees held at West; the FBA order holds nothing.
    expect(await total(db, tee, "held")).toBe(4);
    // Each MFN order is queued to be created in Shopify (routing's outbox), the FBA one is not.
    expect(await db.outboxMessage.count({ where: { shop: SHOP, topic: "shopify.createOrder" } })).toBe(2);
    // The checkpoint moved to the window end: the next poll reads nothing old again.
    const state = await db.amazonSyncState.findFirstOrThrow({ where: { shop: SHOP, accountId } });
    expect(state.pageToken).toBeNull();
    expect(state.watermark!.getTime()).toBeGreaterThan(clock.now() - 3 * 60_000);

    later(60_000);
    const second = await pollAmazonOrders(deps(), { shop: SHOP, accountId });
    expect(second).toMatchObject({ seen: 0, takenIn: 0 });
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(3);
    // …and the other shop saw none of it.
    expect(await db.order.count({ where: { shop: OTHER } })).toBe(0);
  });

  it("pages through many orders, storing the checkpoint page by page, and a re-read of a page takes nothing twice", async () => {
    const { db } = tdb().handle;
    peer.generateOrders(104, { fulfilledBy: "MERCHANT", skus: [{ sku: "DO-TEE", quantity: 1 }] });
    later();
    // A crash after the first page was applied and its checkpoint stored.
    const d = deps();
    const failing = { ...d, clientFor: (c: AmazonCredentials) => {
      const client = d.clientFor(c);
      return { ...client, async *searchOrdersPages(args: Parameters<typeof client.searchOrdersPages>[0]) {
        for await (const page of client.searchOrdersPages(args)) {
          yield page; // the poll applies the page and stores its checkpoint…
          throw new Error("worker killed mid-sync"); // …then the worker dies before asking for page 2
        }
      } };
    } };
    await expect(pollAmazonOrders(failing, { shop: SHOP, accountId })).rejects.toThrow("worker killed mid-sync");
    const mid = await db.amazonSyncState.findFirstOrThrow({ where: { shop: SHOP, accountId } });
    expect(mid.pageToken).not.toBeNull(); // resumes at page 2, not at the window start
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(100);

    const resumed = await pollAmazonOrders(deps(), { shop: SHOP, accountId });
    expect(resumed).toMatchObject({ pages: 1, seen: 4, takenIn: 4 });
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(104);
    expect(await total(db, tee, "held")).toBe(104);
  });

  it("keeps an order whose seller SKU the hub does not know (quarantined with the reason), and takes it once the listing exists", async () => {
    const { db } = tdb().handle;
    const [o] = peer.generateOrders(1, { fulfilledBy: "MERCHANT", skus: [{ sku: "DO-UNKNOWN", quantity: 1 }] });
    later();
    expect(await pollAmazonOrders(deps(), { shop: SHOP, accountId })).toMatchObject({ seen: 1, quarantined: 1 });
    const kept = await db.inboundEvent.findFirstOrThrow({ where: { shop: SHOP, source: "amazon.order" } });
    expect(kept).toMatchObject({ status: "quarantined", error: expect.stringContaining("no listing on channel amazon-us for seller SKU DO-UNKNOWN") });
    expect(JSON.parse(kept.payload).orderId).toBe(o!.orderId);
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(0);

    // The merchant links the listing; the next poll takes the order in although the watermark moved on.
    const channel = await db.channel.findFirstOrThrow({ where: { shop: SHOP, code: "amazon-us" } });
    const hat = await makeSku(db, SHOP, "HAT");
    await setStock(db, SHOP, hat.id, west, 5);
    await db.channelListing.create({ data: { id: randomUUID(), shop: SHOP, channelId: channel.id, variantId: hat.id, externalSku: "DO-UNKNOWN" } });
    later();
    expect(await pollAmazonOrders(deps(), { shop: SHOP, accountId })).toMatchObject({ seen: 0, retried: 1 });
    expect(await db.order.findMany({ where: { shop: SHOP }, select: { externalOrderId: true, status: true } })).toEqual([{ externalOrderId: o!.orderId, status: "routed" }]);
    expect((await db.inboundEvent.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe("processed");
  });

  it("a cancellation at Amazon releases the hub's hold; a buyer's request to cancel holds the Shopify fulfillment once and goes on the timeline", async () => {
    const { db } = tdb().handle;
    const [a, b] = peer.generateOrders(2, { fulfilledBy: "MERCHANT", skus: [{ sku: "DO-TEE", quantity: 3 }] });
    later();
    await pollAmazonOrders(deps(), { shop: SHOP, accountId });
    expect(await total(db, tee, "held")).toBe(6);
    // Order b is already in Shopify (the createOrder job ran) with an open fulfillment order.
    const hubB = await db.order.findFirstOrThrow({ where: { shop: SHOP, externalOrderId: b!.orderId } });
    await appendOrderEvent(db, { shop: SHOP, orderId: hubB.id, kind: SHOPIFY_ORDER_CREATED_EVENT, source: "test", occurredAt: new Date(clock.now()), subjectId: "gid://shopify/Order/77", summary: {} });
    await recordFulfillmentOrder(db, SHOP, { fulfillmentOrderId: "gid://shopify/FulfillmentOrder/770", status: "open", orderId: hubB.id, at: new Date(clock.now()) });
    peer.cancelOrder(a!.orderId, "MERCHANT");
    peer.requestCancellation(b!.orderId, "changed my mind");
    later();
    expect(await pollAmazonOrders(deps(), { shop: SHOP, accountId })).toMatchObject({ seen: 2, cancelled: 1 });
    const byId = new Map((await db.order.findMany({ where: { shop: SHOP } })).map((o) => [o.externalOrderId, o]));
    expect(byId.get(a!.orderId)!.status).toBe("cancelled");
    expect(await total(db, tee, "held")).toBe(3);
    const events = await db.orderEvent.findMany({ where: { shop: SHOP, orderId: byId.get(b!.orderId)!.id } });
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(["amazon.cancellation_requested", "hold_requested"]));
    // …its Shopify fulfillment goes on hold (this app's hold job), once, so nobody ships it meanwhile.
    expect(await db.outboxMessage.count({ where: { shop: SHOP, topic: "shopify.holdFulfillment" } })).toBe(1);
    later();
    await pollAmazonOrders(deps(), { shop: SHOP, accountId });
    expect(await db.outboxMessage.count({ where: { shop: SHOP, topic: "shopify.holdFulfillment" } })).toBe(1);
  });

  it("an ORDER_CHANGE notification delivered twice is stored once and applies the order once; a malformed one is refused", async () => {
    const { db } = tdb().handle;
    const bodies: unknown[] = [];
    const notifyingPeer = peer;
    const [o] = notifyingPeer.generateOrders(1, { fulfilledBy: "MERCHANT", skus: [{ sku: "DO-TEE", quantity: 1 }] });
    const body = notifyingPeer.state.notifications.find((n) => JSON.stringify(n).includes(o!.orderId));
    expect(body, "the peer emits ORDER_CHANGE for a new order").toBeTruthy();
    bodies.push(body, body);
    const d = deps();
    const results = [];
    for (const b of bodies) results.push(await acceptOrderChangeNotification(d, b));
    expect(results.map((r) => [r.accepted, r.duplicate])).toEqual([
      [true, false],
      [true, true],
    ]);
    const events = await db.inboundEvent.findMany({ where: { shop: SHOP, source: "amazon.notification" } });
    expect(events).toHaveLength(1);
    // Processing it (the inbound-event job, which finds the handler by "source:topic") fetches the
    // order right away — no 2-minute wait.  A second run of the same event changes nothing.
    const process = createInboundEventProcessor(db, amazonInboundHandlers(d), () => new Date(clock.now()));
    expect(await process({ eventId: events[0]!.id })).toEqual({ processed: true });
    await amazonInboundHandlers(d)[`${events[0]!.source}:${events[0]!.topic}`]!(events[0]!);
    expect(await db.order.findMany({ where: { shop: SHOP }, select: { externalOrderId: true, status: true } })).toEqual([{ externalOrderId: o!.orderId, status: "routed" }]);
    expect(await total(db, tee, "held")).toBe(1);

    expect(await acceptOrderChangeNotification(d, { NotificationType: "ORDER_CHANGE" })).toMatchObject({ accepted: false });
  });

  it("a shipped Shopify fulfillment of an Amazon order is confirmed once (package id = the fulfillment's id); one without tracking is refused on the timeline", async () => {
    const { db } = tdb().handle;
    const [o, p] = peer.generateOrders(2, { fulfilledBy: "MERCHANT", skus: [{ sku: "DO-TEE", quantity: 2 }] });
    later();
    await pollAmazonOrders(deps(), { shop: SHOP, accountId });
    const hub = await db.order.findFirstOrThrow({ where: { shop: SHOP, externalOrderId: o!.orderId } });
    const fulfillment = {
      fulfillmentId: "gid://shopify/Fulfillment/5551",
      orderGid: "gid://shopify/Order/9001", // Shopify's copy of the Amazon order
      status: "success",
      shipped: true,
      name: "#1001-F1",
      occurredAt: new Date(clock.now()),
      locationGid: "gid://shopify/Location/1",
      lines: [{ lineKey: "777", quantity: 2, sku: "TEE" }],
      tracking: { company: "UPS", number: "1Z999AA10123456784", url: null },
    };
    const d = deps();
    const first = await requestAmazonShipmentConfirmation(d, { shop: SHOP, orderId: hub.id, fulfillment });
    const again = await requestAmazonShipmentConfirmation(d, { shop: SHOP, orderId: hub.id, fulfillment });
    expect(first).toMatchObject({ queued: true, duplicate: false });
    expect(again).toMatchObject({ queued: true, duplicate: true });
    expect(await db.outboxMessage.count({ where: { shop: SHOP, topic: "amazon.confirmShipment" } })).toBe(1);
    const id = (first as { confirmationId: string }).confirmationId;
    expect(await confirmAmazonShipment(d, { shop: SHOP, confirmationId: id })).toEqual({ confirmed: true });
    expect(await confirmAmazonShipment(d, { shop: SHOP, confirmationId: id })).toEqual({ skipped: "already confirmed" });
    const atAmazon = peer.state.orders.get(o!.orderId)!;
    expect(atAmazon.packages.map((x) => [x.packageReferenceId, x.carrierCode, x.trackingNumber, x.items.map((i) => i.quantity)])).toEqual([["5551", "UPS", "1Z999AA10123456784", [2]]]);
    expect((await db.orderEvent.findMany({ where: { shop: SHOP, orderId: hub.id } })).map((e) => e.kind)).toContain("amazon.shipment_confirmed");

    // No tracking number: nothing is sent; the order's timeline says what to fix.
    const other = await db.order.findFirstOrThrow({ where: { shop: SHOP, externalOrderId: p!.orderId } });
    const untracked = await requestAmazonShipmentConfirmation(d, { shop: SHOP, orderId: other.id, fulfillment: { ...fulfillment, fulfillmentId: "gid://shopify/Fulfillment/5552", tracking: { company: "UPS", number: null, url: null } } });
    expect(untracked).toMatchObject({ queued: false, reason: expect.stringContaining("no tracking number") });
    expect((await db.orderEvent.findMany({ where: { shop: SHOP, orderId: other.id } })).map((e) => e.kind)).toContain("amazon.shipment_not_confirmed");
    expect(peer.state.orders.get(p!.orderId)!.packages).toEqual([]);
  });
});
