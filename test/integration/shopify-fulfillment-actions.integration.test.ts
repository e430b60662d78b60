import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { ASSUMED_LIMITS, createAdminClient } from "#connectors/shopify/client/admin-client";
import { createFetchTransport } from "#connectors/shopify/client/fetch-transport";
import { holdPayload, orderPayload } from "#connectors/shopify/sandbox/payloads";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import type { FoRec, StoreEvent } from "#connectors/shopify/sandbox/store";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { action as fulfillmentsAction } from "#app/routes/webhooks.fulfillments";
import { action as ordersAction } from "#app/routes/webhooks.orders";
import { action as orderPageAction, loader as orderPageLoader } from "#app/routes/app.orders.$id";
import {
  fulfillmentOrdersOf,
  intakeOrder,
  orderTimeline,
  requestHoldRelease,
  requestOrderHold,
  requestPickupReady,
  SHOPIFY_HOLD_JOB,
  SHOPIFY_PICKUP_READY_JOB,
  type FulfillmentActionJob,
} from "#app/modules/orders/index";
import { activateVersion, routingFixtures, saveDraft } from "#app/modules/routing/index";
import { upsertInstalledShop } from "#app/modules/shops/index";
import { isPermanent } from "#app/platform/errors";
import type { AppRuntime } from "#app/platform/runtime.server";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { holdShopifyFulfillment, releaseShopifyHolds, SHOPIFY_CREATE_ORDER_JOB, SHOPIFY_SYNC_FULFILLMENT_JOB } from "#app/workflows/shopify-writes.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel } from "#test/support/inventory";
import { memoryLogger, testRuntime } from "#test/support/runtime";
import { shopifyWebhookRequest } from "#test/support/webhooks";

/**
 * Shopify fulfillment-order flows against the sandbox peer, through the app's runtime (its job
 * runner, outbox, webhook routes and the real Admin client):
 *  - order_routing_complete: the fulfillment order's order is looked up (OmsFulfillmentOrderOrder),
 *    linked, and the routing decision's sync enqueued at once (once, however often it arrives);
 *  - hold (reason + note) and release from the order page: our holds by handle, recorded with
 *    Shopify's ids; a release passes only those ids; a timed-out hold is found, not placed twice;
 *  - pickup ready; later updates of orders the hub created in Shopify (fulfilled, cancelled).
 * The peer's store is the ground truth; every test also tries the other shop (tenant wall).
 */
const SHOP = "peer-fo-actions.myshopify.com";
const OTHER = "peer-fo-other.myshopify.com";
const NYC = { countryCode: "US", provinceCode: "NY", zip: "10001", city: "New York", lat: 40.7506, lng: -73.9972 };
const LA = { countryCode: "US", provinceCode: "CA", zip: "90069", city: "Los Angeles", lat: 34.0812, lng: -118.3763 };

describeEachDatabase("Shopify fulfillment-order flows (sandbox peer)", (tdb) => {
  let sandbox: ShopifySandbox;
  let rt: AppRuntime;
  const hub: Record<string, string> = {};
  const events: StoreEvent[] = [];

  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0 } });
    sandbox.store.onEvent((e) => void events.push(e));
    rt = testRuntime(tdb().url, { SHOPIFY_ADMIN_URL: sandbox.url, SHOPIFY_ADMIN_TOKEN: sandbox.accessToken });
    await truncateAll(tdb().handle);
    await upsertInstalledShop(rt.db, { domain: SHOP, name: "Peer", scopes: "read_orders" }, new Date());
    await upsertInstalledShop(rt.db, { domain: OTHER, name: "Other", scopes: "read_orders" }, new Date());
    await importShopifyShop({ db: rt.db, now: () => new Date(), logger: memoryLogger("warn"), pollMs: 20, client: rt.shopifyAdmin.adminClientFor(SHOP) }, SHOP);
    for (const l of await rt.db.location.findMany({ where: { shop: SHOP } })) hub[l.name] = l.id;
    // Routing prefers the East DC; the peer's own routing the West Warehouse (seed order).
    await rt.db.location.update({ where: { id: hub["East DC"]! }, data: { routingPriority: 1 } });
    await rt.db.location.update({ where: { id: hub["West Warehouse"]! }, data: { routingPriority: 2 } });
    // The peer's LA Store offers local pickup; the import does not carry localPickupSettingsV2 over (yet).
    await rt.db.location.update({ where: { id: hub["LA Store"]! }, data: { routingPriority: 9, offersPickup: true } });
    const eligible = [hub["West Warehouse"]!, hub["East DC"]!, hub["LA Store"]!];
    await makeChannel(rt.db, SHOP, "online", eligible, { kind: "online_store", hubHoldsStock: false });
    await makeChannel(rt.db, SHOP, "amazon", eligible, { kind: "amazon", hubHoldsStock: true });
    const { rule } = routingFixtures;
    await saveDraft(rt.db, SHOP, { rules: [rule("priority", { sort: [{ by: "location_priority" }], splitPolicy: { kind: "none" } })], actor: "test" });
    await activateVersion({ db: rt.db, now: () => new Date() }, SHOP, 1);
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.stop();
  });

  const store = () => sandbox.store;
  const deps = () => ({ db: rt.db, now: () => new Date() });
  const fosOf = (n: number) => store().fulfillmentOrders.filter((fo) => fo.orderN === n);
  const foGid = (fo: FoRec) => `gid://shopify/FulfillmentOrder/${fo.n}`;
  const locationName = (n: number) => store().location(n)!.name;

  /** Relay the outbox and run what is due, until nothing is left to do now. */
  async function runJobs() {
    for (let i = 0; i < 5; i++) {
      await rt.relay.runOnce();
      await rt.runner.drain();
      if ((await rt.db.outboxMessage.count({ where: { dispatchedAt: null } })) === 0) return;
    }
  }
  type Action = typeof ordersAction;
  /** A signed webhook through the app's route (stored by webhook id, enqueued), then processed. */
  async function deliver(route: "orders" | "fulfillments", topic: string, body: unknown, o: { shop?: string; triggeredAt?: Date; webhookId?: string } = {}) {
    const fn: Action = route === "orders" ? ordersAction : fulfillmentsAction;
    const request = shopifyWebhookRequest({ path: `/webhooks/${route}`, topic, shop: o.shop ?? SHOP, body, triggeredAt: (o.triggeredAt ?? new Date()).toISOString(), ...(o.webhookId ? { webhookId: o.webhookId } : {}) });
    const res = await fn({ request, context: { runtime: rt }, params: {} } as Parameters<Action>[0]);
    expect(res.status).toBe(200);
    await runJobs();
  }
  /** A web order in the peer (the peer's routing assigns it); optionally the same order taken in by the hub. */
  function peerOrder(sku: string, quantity: number, o: { pickupAt?: string } = {}) {
    const s = store();
    const pickup = o.pickupAt ? s.locationByKeyOf(o.pickupAt)! : null;
    return s.createOrder({
      lines: [s.lineFromVariant(s.variantBySkuOf(sku)!, quantity)],
      sourceName: "web",
      inventoryBehaviour: "DECREMENT_IGNORING_POLICY",
      ...(pickup ? { pickupLocationN: pickup.n } : { shippingAddress: { city: "New York", provinceCode: "NY", countryCode: "US", zip: "10001" } }),
    });
  }
  async function hubIntake(peer: ReturnType<typeof peerOrder>, sku: string, quantity: number, o: { pickup?: boolean } = {}) {
    const r = await intakeOrder(
      { db: rt.db, now: () => new Date() },
      SHOP,
      {
        channel: "online",
        externalOrderId: `gid://shopify/Order/${peer.n}`,
        name: peer.name,
        paid: true,
        destination: o.pickup ? LA : NYC,
        ...(o.pickup ? { speed: "pickup" as const, pickupLocationId: hub["LA Store"]! } : {}),
        lines: [{ lineKey: String(peer.lineItemNs[0]), sku, quantity, priceCents: 2500 }],
      },
      "test",
    );
    return r;
  }
  /** The order page as a person uses it (sandbox sign-in acts as SHOP; the same database and peer). */
  async function orderPage(ui: AppRuntime, orderId: string, form?: Record<string, string>) {
    const url = `http://127.0.0.1/app/orders/${orderId}`;
    if (!form) {
      const res = (await orderPageLoader({ request: new Request(url), context: { runtime: ui }, params: { id: orderId } } as Parameters<typeof orderPageLoader>[0])) as Response;
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }
    const request = new Request(url, { method: "POST", body: new URLSearchParams(form) });
    const res = (await orderPageAction({ request, context: { runtime: ui }, params: { id: orderId } } as Parameters<typeof orderPageAction>[0])) as Response;
    return { status: res.status, body: (await res.json()) as { ok: boolean; intent: string | null; field?: string | null; message: string } };
  }
  const holdsInPeer = (fo: FoRec) => store().fulfillmentOrder(fo.n)!.holds.map((h) => ({ handle: h.handle, otherApp: h.otherApp, reason: h.reason }));

  it("order_routing_complete: the FO's order is looked up, linked and its routing applied at once; replays, an unknown order and another shop change nothing", async () => {
    const peer = peerOrder("TEE-M", 1);
    const [fo] = fosOf(peer.n);
    expect(locationName(fo!.locationN)).toBe("West Warehouse");
    const r = await hubIntake(peer, "TEE-M", 1);
    expect(r.status).toBe("routed");
    // Routing's own sync job is still waiting for its retry (FOs did not exist when it first ran).
    await rt.db.outboxMessage.deleteMany({ where: { shop: SHOP, topic: SHOPIFY_SYNC_FULFILLMENT_JOB, payload: { contains: r.orderId } } });

    const body = { fulfillment_order: { id: foGid(fo!), status: "open" } };
    await deliver("fulfillments", "fulfillment_orders/order_routing_complete", body);
    const rows = await fulfillmentOrdersOf(rt.db, SHOP, r.orderId);
    expect(rows.map((f) => f.fulfillmentOrderId)).toEqual([foGid(fo!)]);
    const jobs = await rt.db.job.findMany({ where: { shop: SHOP, name: SHOPIFY_SYNC_FULFILLMENT_JOB, payload: { contains: r.orderId } } });
    expect(jobs.map((j) => [j.status, j.dedupeKey])).toEqual([["completed", `${SHOPIFY_SYNC_FULFILLMENT_JOB}:${r.orderId}:${r.decision!.sequence}:routing_complete`]]);
    // The hub's routing is applied in the peer: moved to the East DC.
    expect(fosOf(peer.n).filter((f) => f.status === "OPEN").map((f) => locationName(f.locationN))).toEqual(["East DC"]);
    expect((await orderTimeline(rt.db, SHOP, r.orderId)).map((e) => e.kind)).toEqual(expect.arrayContaining(["fulfillment_order.order_routing_complete", "shopify.fulfillment_order_moved"]));

    // A second delivery of the same event (Shopify retries with a new delivery) enqueues nothing more.
    await deliver("fulfillments", "fulfillment_orders/order_routing_complete", body);
    expect(await rt.db.job.count({ where: { shop: SHOP, name: SHOPIFY_SYNC_FULFILLMENT_JOB, payload: { contains: r.orderId } } })).toBe(1);

    // Another shop sending the same FO id: its row is not linked to this shop's order, no job.
    await deliver("fulfillments", "fulfillment_orders/order_routing_complete", body, { shop: OTHER });
    expect(await rt.db.shopifyFulfillmentOrder.findFirst({ where: { shop: OTHER, fulfillmentOrderId: foGid(fo!) } })).toMatchObject({ orderId: null });
    expect(await rt.db.job.count({ where: { shop: OTHER, name: SHOPIFY_SYNC_FULFILLMENT_JOB } })).toBe(0);
    expect(await rt.db.shopifyFulfillmentOrder.findFirst({ where: { shop: SHOP, fulfillmentOrderId: foGid(fo!) } })).toMatchObject({ orderId: r.orderId });
  });

  it("order_routing_complete before the hub has the order: stored unlinked; the order's own sync links it later", async () => {
    const peer = peerOrder("TEE-M", 1);
    const [fo] = fosOf(peer.n);
    await deliver("fulfillments", "fulfillment_orders/order_routing_complete", { fulfillment_order: { id: foGid(fo!), status: "open" } });
    expect(await rt.db.shopifyFulfillmentOrder.findFirst({ where: { shop: SHOP, fulfillmentOrderId: foGid(fo!) } })).toMatchObject({ orderId: null, status: "open" });
    const r = await hubIntake(peer, "TEE-M", 1);
    await runJobs();
    expect(await rt.db.shopifyFulfillmentOrder.findFirst({ where: { shop: SHOP, fulfillmentOrderId: foGid(fo!) } })).toMatchObject({ orderId: r.orderId });
  });

  it("hold and release from the order page: our hold carries the handle and is recorded with Shopify's id; the release passes only our ids and leaves another app's hold", async () => {
    const peer = peerOrder("CAP", 1);
    const r = await hubIntake(peer, "CAP", 1);
    await runJobs(); // routing's sync: links the FO (CAP stays at the West Warehouse)
    const [fo] = fosOf(peer.n);

    const req = await requestOrderHold(deps(), SHOP, r.orderId, { reason: "INCORRECT_ADDRESS", note: "Check the street number", actor: "admin" });
    await runJobs();
    expect(holdsInPeer(fo!)).toEqual([{ handle: `oms-hold-${req.requestId}`, otherApp: null, reason: "INCORRECT_ADDRESS" }]);
    expect(store().fulfillmentOrder(fo!.n)!.status).toBe("ON_HOLD");
    const ourHoldId = `gid://shopify/FulfillmentHold/${store().fulfillmentOrder(fo!.n)!.holds[0]!.n}`;
    expect(await fulfillmentOrdersOf(rt.db, SHOP, r.orderId)).toEqual([
      expect.objectContaining({ status: "on_hold", holds: [{ id: ourHoldId, reason: "INCORRECT_ADDRESS", reasonNotes: "Check the street number", handle: `oms-hold-${req.requestId}`, heldByThisApp: true }] }),
    ]);
    const placed = (await orderTimeline(rt.db, SHOP, r.orderId)).filter((e) => e.kind === "hold_requested" || e.kind === "shopify.hold_placed");
    expect(placed.map((e) => e.kind)).toEqual(["hold_requested", "shopify.hold_placed"]);
    expect(placed[1]!.summary).toMatchObject({ reason: "INCORRECT_ADDRESS", note: "Check the street number", held: 1 });

    // A second click: refused with what to do, nothing enqueued.
    await expect(requestOrderHold(deps(), SHOP, r.orderId, { reason: "OTHER", actor: "admin" })).rejects.toThrow(/already on hold by this app; release that hold first/);
    // Another shop cannot act on this order.
    await expect(requestOrderHold(deps(), OTHER, r.orderId, { reason: "OTHER", actor: "admin" })).rejects.toMatchObject({ kind: "NOT_FOUND" });
    await expect(requestOrderHold(deps(), SHOP, r.orderId, { reason: "LUNCH" as "OTHER", actor: "admin" })).rejects.toThrow(/reason/);

    // Another app holds it too; Shopify tells the hub (placed_on_hold), delivered twice.
    const foreign = store().holdFulfillmentOrder(fo!.n, { reason: "HIGH_RISK_OF_FRAUD", handle: `oms-hold-${req.requestId}`, otherApp: "fraud-checker" }).hold;
    const onHold = { fulfillment_order: { id: foGid(fo!), status: "on_hold", fulfillment_holds: store().fulfillmentOrder(fo!.n)!.holds.map((h) => holdPayload(h, "oms")) }, remaining_fulfillment_order: null, created_fulfillment_hold: holdPayload(foreign, "oms") };
    await deliver("fulfillments", "fulfillment_orders/placed_on_hold", onHold, { webhookId: "dup-hold-1" });
    await deliver("fulfillments", "fulfillment_orders/placed_on_hold", onHold, { webhookId: "dup-hold-1" });
    expect(await rt.db.inboundEvent.count({ where: { shop: SHOP, topic: "FULFILLMENT_ORDERS_PLACED_ON_HOLD" } })).toBe(1);
    expect((await fulfillmentOrdersOf(rt.db, SHOP, r.orderId))[0]!.holds).toEqual([
      expect.objectContaining({ id: ourHoldId, heldByThisApp: true }),
      expect.objectContaining({ id: `gid://shopify/FulfillmentHold/${foreign.n}`, reason: "high_risk_of_fraud", heldByThisApp: false }),
    ]);

    const rel = await requestHoldRelease(deps(), SHOP, r.orderId, { actor: "admin" });
    await runJobs();
    // Only ours went (it had the same handle as the other app's: the id and heldByRequestingApp decide).
    expect(holdsInPeer(fo!)).toEqual([{ handle: `oms-hold-${req.requestId}`, otherApp: "fraud-checker", reason: "HIGH_RISK_OF_FRAUD" }]);
    expect(store().fulfillmentOrder(fo!.n)!.status).toBe("ON_HOLD");
    expect((await fulfillmentOrdersOf(rt.db, SHOP, r.orderId))[0]!.holds).toEqual([expect.objectContaining({ id: `gid://shopify/FulfillmentHold/${foreign.n}`, heldByThisApp: false })]);
    const released = (await orderTimeline(rt.db, SHOP, r.orderId)).find((e) => e.kind === "shopify.hold_released");
    expect(released?.summary).toMatchObject({ requestId: rel.requestId, released: 1, fulfillmentOrders: [{ fulfillmentOrderId: foGid(fo!), holdIds: [ourHoldId] }], stillHeldByOthers: [{ fulfillmentOrderId: foGid(fo!), holds: 1 }] });

    // A late placed_on_hold from before the release (it still lists our hold) is ignored.
    await deliver("fulfillments", "fulfillment_orders/placed_on_hold", { ...onHold }, { triggeredAt: new Date(Date.now() - 60_000) });
    expect((await fulfillmentOrdersOf(rt.db, SHOP, r.orderId))[0]!.holds).toHaveLength(1);
    // Nothing of ours is left: a second release says so and names who holds it.
    await expect(requestHoldRelease(deps(), SHOP, r.orderId, { actor: "admin" })).rejects.toThrow(/no hold placed from this page; its 1 other hold\(s\) belong to another app or to staff/);

    // The other app releases its hold: hold_released reconciles (open, no holds).
    store().releaseHold(fo!.n, [foreign.n]);
    await deliver("fulfillments", "fulfillment_orders/hold_released", { fulfillment_order: { id: foGid(fo!), status: "open" } });
    expect(await fulfillmentOrdersOf(rt.db, SHOP, r.orderId)).toEqual([expect.objectContaining({ status: "open", holds: [] })]);
  });

  it("a hold whose answer is lost (timeout) is found by its handle on the retry: one hold in Shopify, one timeline entry", async () => {
    const peer = peerOrder("CAP", 1);
    const r = await hubIntake(peer, "CAP", 1);
    await runJobs();
    const [fo] = fosOf(peer.n);
    const { requestId } = await requestOrderHold(deps(), SHOP, r.orderId, { reason: "OTHER", actor: "admin" });
    const job = JSON.parse((await rt.db.outboxMessage.findFirstOrThrow({ where: { shop: SHOP, topic: SHOPIFY_HOLD_JOB, payload: { contains: requestId } } })).payload) as FulfillmentActionJob;

    // Shopify applies the hold, but the answer never arrives.
    let dropped = 0;
    const flaky: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (dropped === 0 && String(init?.body).includes("OmsFulfillmentOrderHold")) {
        dropped++;
        await res.text();
        throw new TypeError("fetch failed: socket hang up");
      }
      return res;
    };
    const client = createAdminClient({
      shop: SHOP,
      transport: createFetchTransport({ baseUrl: sandbox.url, shop: SHOP, apiVersion: "2026-10", accessToken: sandbox.accessToken, fetch: flaky }),
      buckets: createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now: systemClock.now, sleep: systemClock.sleep }),
      now: systemClock.now,
      sleep: systemClock.sleep,
      random: systemClock.random,
    });
    const wdeps = { db: rt.db, now: () => new Date(), logger: memoryLogger("error"), client };
    const first = await holdShopifyFulfillment(wdeps, job).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: "UNAVAILABLE" });
    expect(isPermanent(first)).toBe(false); // the runner retries it
    expect((first as { permanent?: boolean }).permanent).not.toBe(true);
    expect(holdsInPeer(fo!)).toHaveLength(1);

    const again = await holdShopifyFulfillment(wdeps, job);
    expect(again).toMatchObject({ status: "done", fulfillmentOrders: [{ fulfillmentOrderId: foGid(fo!), adopted: true }] });
    // The runner's own run of the same job changes nothing either.
    await runJobs();
    expect(holdsInPeer(fo!)).toEqual([{ handle: `oms-hold-${requestId}`, otherApp: null, reason: "OTHER" }]);
    expect((await orderTimeline(rt.db, SHOP, r.orderId)).filter((e) => e.kind === "shopify.hold_placed")).toHaveLength(1);
    expect((await fulfillmentOrdersOf(rt.db, SHOP, r.orderId))[0]!.holds).toEqual([expect.objectContaining({ handle: `oms-hold-${requestId}`, heldByThisApp: true })]);
    // The job of another shop for this order does nothing.
    expect(await holdShopifyFulfillment(wdeps, { ...job, shop: OTHER })).toMatchObject({ status: "skipped" });
  });

  it("a 429 storm on the hold waits and holds once; a 503 on the release is retried by the runner and releases on the next run", async () => {
    const peer = peerOrder("CAP", 1);
    const r = await hubIntake(peer, "CAP", 1);
    await runJobs();
    const [fo] = fosOf(peer.n);
    const faults = { throttled: 0, unavailable: 0 };
    const faulty: typeof fetch = async (url, init) => {
      const body = String(init?.body);
      // Shopify answers 429 before running anything; Retry-After says when to come back.
      if (body.includes("OmsFulfillmentOrderHold") && faults.throttled < 3) {
        faults.throttled++;
        return new Response(JSON.stringify({ errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }), { status: 429, headers: { "Retry-After": "0.05", "Content-Type": "application/json" } });
      }
      // A 503 from the edge: the release did not run, but the client cannot know that.
      if (body.includes("OmsFulfillmentOrderReleaseHold") && faults.unavailable < 1) {
        faults.unavailable++;
        return new Response("Service Unavailable", { status: 503 });
      }
      return fetch(url, init);
    };
    const client = createAdminClient({
      shop: SHOP,
      transport: createFetchTransport({ baseUrl: sandbox.url, shop: SHOP, apiVersion: "2026-10", accessToken: sandbox.accessToken, fetch: faulty }),
      buckets: createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now: systemClock.now, sleep: systemClock.sleep }),
      now: systemClock.now,
      sleep: systemClock.sleep,
      random: systemClock.random,
    });
    const wdeps = { db: rt.db, now: () => new Date(), logger: memoryLogger("error"), client };
    const { requestId } = await requestOrderHold(deps(), SHOP, r.orderId, { reason: "OTHER", actor: "admin" });
    const hold = JSON.parse((await rt.db.outboxMessage.findFirstOrThrow({ where: { shop: SHOP, topic: SHOPIFY_HOLD_JOB, payload: { contains: requestId } } })).payload) as FulfillmentActionJob;
    await rt.db.outboxMessage.deleteMany({ where: { shop: SHOP, payload: { contains: requestId } } }); // this test runs the job itself
    expect(await holdShopifyFulfillment(wdeps, hold)).toMatchObject({ status: "done", fulfillmentOrders: [{ fulfillmentOrderId: foGid(fo!) }] });
    expect(faults.throttled).toBe(3);
    expect(holdsInPeer(fo!)).toHaveLength(1);

    const rel = await requestHoldRelease(deps(), SHOP, r.orderId, { actor: "admin" });
    const release = JSON.parse((await rt.db.outboxMessage.findFirstOrThrow({ where: { shop: SHOP, payload: { contains: rel.requestId } } })).payload) as FulfillmentActionJob;
    await rt.db.outboxMessage.deleteMany({ where: { shop: SHOP, payload: { contains: rel.requestId } } });
    const failed = await releaseShopifyHolds(wdeps, release).catch((e: unknown) => e);
    expect(failed).toMatchObject({ kind: "UNAVAILABLE" });
    expect([isPermanent(failed), (failed as { permanent?: boolean }).permanent === true]).toEqual([false, false]); // the runner retries it
    expect((await orderTimeline(rt.db, SHOP, r.orderId)).filter((e) => e.kind === "shopify.hold_release_failed")).toHaveLength(0);
    expect(holdsInPeer(fo!)).toHaveLength(1);
    expect(await releaseShopifyHolds(wdeps, release)).toMatchObject({ status: "done", fulfillmentOrders: [{ fulfillmentOrderId: foGid(fo!) }] });
    expect(holdsInPeer(fo!)).toEqual([]);
    // And once more (a lease takeover): nothing of ours is left, nothing is released.
    expect(await releaseShopifyHolds(wdeps, release)).toMatchObject({ status: "done", fulfillmentOrders: [] });
  });

  it("two workers run the same hold at once (a lease taken over): one hold in Shopify — the second finds the first's by its handle, or is refused the handle and retries", async () => {
    const peer = peerOrder("CAP", 1);
    const r = await hubIntake(peer, "CAP", 1);
    await runJobs();
    const [fo] = fosOf(peer.n);
    const { requestId } = await requestOrderHold(deps(), SHOP, r.orderId, { reason: "HIGH_RISK_OF_FRAUD", actor: "admin" });
    const job = JSON.parse((await rt.db.outboxMessage.findFirstOrThrow({ where: { shop: SHOP, topic: SHOPIFY_HOLD_JOB, payload: { contains: requestId } } })).payload) as FulfillmentActionJob;
    const wdeps = () => ({ db: rt.db, now: () => new Date(), logger: memoryLogger("error"), client: rt.shopifyAdmin.adminClientFor(SHOP) });
    const both = await Promise.allSettled([holdShopifyFulfillment(wdeps(), job), holdShopifyFulfillment(wdeps(), job)]);
    expect(both.filter((b) => b.status === "fulfilled")).not.toHaveLength(0);
    for (const b of both) if (b.status === "rejected") expect([b.reason as unknown].map((e) => [(e as { kind?: string }).kind, isPermanent(e)])).toEqual([["UNAVAILABLE", false]]);
    expect(holdsInPeer(fo!)).toHaveLength(1);
    await runJobs(); // the runner's run: adopts
    expect(holdsInPeer(fo!)).toEqual([{ handle: `oms-hold-${requestId}`, otherApp: null, reason: "HIGH_RISK_OF_FRAUD" }]);
    expect((await orderTimeline(rt.db, SHOP, r.orderId)).filter((e) => e.kind === "shopify.hold_placed")).toHaveLength(1);
    expect((await orderTimeline(rt.db, SHOP, r.orderId)).filter((e) => e.kind === "shopify.hold_failed")).toHaveLength(0);
  });

  it("a hold Shopify refuses (userErrors): the job fails for good and the timeline says why", async () => {
    const peer = peerOrder("CAP", 1);
    const r = await hubIntake(peer, "CAP", 1);
    await runJobs();
    const [fo] = fosOf(peer.n);
    // This app already has ten holds on it (placed elsewhere): Shopify's per-app limit.
    for (let i = 0; i < 10; i++) store().holdFulfillmentOrder(fo!.n, { reason: "OTHER", handle: `ops-${i}` });
    const { requestId } = await requestOrderHold(deps(), SHOP, r.orderId, { reason: "AWAITING_PAYMENT", actor: "admin" });
    await runJobs();
    const job = await rt.db.job.findFirstOrThrow({ where: { shop: SHOP, name: SHOPIFY_HOLD_JOB, payload: { contains: requestId } } });
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job.lastError).toMatch(/maximum number of fulfillment holds/);
    const failed = (await orderTimeline(rt.db, SHOP, r.orderId)).find((e) => e.kind === "shopify.hold_failed");
    expect(failed?.summary).toMatchObject({ requestId, code: "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED", fulfillmentOrderId: foGid(fo!) });
    expect(holdsInPeer(fo!)).toHaveLength(10);
  });

  it("mark ready for pickup: the pickup FO at the store is marked once; a shipping order is refused with what to do", async () => {
    const peer = peerOrder("CAP", 1, { pickupAt: "la" });
    const [fo] = fosOf(peer.n);
    expect([locationName(fo!.locationN), fo!.deliveryMethod.methodType]).toEqual(["LA Store", "PICK_UP"]);
    const r = await hubIntake(peer, "CAP", 1, { pickup: true });
    expect(r.status).toBe("routed");
    await runJobs();
    expect(await fulfillmentOrdersOf(rt.db, SHOP, r.orderId)).toEqual([expect.objectContaining({ locationId: hub["LA Store"], status: "open" })]);

    const prepared = () => events.filter((e) => e.type === "fo.prepared_for_pickup" && e.fo.n === fo!.n).length;
    await requestPickupReady(deps(), SHOP, r.orderId, { actor: "admin" });
    await runJobs();
    expect(prepared()).toBe(1);
    expect(store().fulfillmentOrder(fo!.n)!.preparedForPickupAt).not.toBeNull();
    // Asked again: the customer is not notified a second time.
    const second = await requestPickupReady(deps(), SHOP, r.orderId, { actor: "admin" });
    await runJobs();
    expect(prepared()).toBe(1);
    expect(await rt.db.job.findFirstOrThrow({ where: { name: SHOPIFY_PICKUP_READY_JOB, payload: { contains: second.requestId } } })).toMatchObject({ status: "completed" });
    expect((await orderTimeline(rt.db, SHOP, r.orderId)).filter((e) => e.kind === "shopify.ready_for_pickup").map((e) => e.subjectId)).toEqual([foGid(fo!)]);

    const shipping = peerOrder("CAP", 1);
    const s = await hubIntake(shipping, "CAP", 1);
    await expect(requestPickupReady(deps(), SHOP, s.orderId, { actor: "admin" })).rejects.toThrow(/is not a pickup order/);
    await expect(requestPickupReady(deps(), OTHER, r.orderId, { actor: "admin" })).rejects.toMatchObject({ kind: "NOT_FOUND" });
  });

  it("an order the hub created in Shopify: its create echo is skipped, later updates apply (fulfilled → consumed; cancelled), older ones do not", async () => {
    const amazon = async (id: string) => {
      const r = await intakeOrder(
        { db: rt.db, now: () => new Date() },
        SHOP,
        { channel: "amazon", externalOrderId: id, paid: true, destination: NYC, lines: [{ lineKey: `${id}-L1`, sku: "TEE-M", quantity: 2, priceCents: 2400 }] },
        "test",
      );
      await runJobs();
      expect(await rt.db.job.findFirstOrThrow({ where: { name: SHOPIFY_CREATE_ORDER_JOB, payload: { contains: r.orderId } } })).toMatchObject({ status: "completed" });
      const peer = store().orders.find((o) => o.sourceIdentifier === id)!;
      return { orderId: r.orderId, peer };
    };
    const a = await amazon("114-0000001-0000001");
    const reservations = () => rt.db.reservation.findMany({ where: { shop: SHOP, externalOrderId: "114-0000001-0000001" } });
    expect((await reservations()).map((x) => x.status)).toEqual(["committed"]);
    const ordersBefore = await rt.db.order.count({ where: { shop: SHOP } });
    const base = orderPayload(store(), a.peer);

    await deliver("orders", "orders/create", base);
    expect(await rt.db.order.count({ where: { shop: SHOP } })).toBe(ordersBefore);

    const later = new Date(Date.now() + 60_000).toISOString();
    await deliver("orders", "orders/updated", { ...base, fulfillment_status: "fulfilled", updated_at: later });
    const line = store().lineItem(a.peer.lineItemNs[0]!)!;
    await deliver("orders", "fulfillments/create", { id: 880001, admin_graphql_api_id: "gid://shopify/Fulfillment/880001", order_id: a.peer.n, status: "success", name: `${a.peer.name}-F1`, created_at: later, line_items: [{ id: line.n, quantity: 2, sku: "TEE-M" }] });
    const order = await rt.db.order.findUniqueOrThrow({ where: { id: a.orderId } });
    expect(order).toMatchObject({ fulfillmentStatus: "fulfilled", status: "routed" });
    expect((await reservations()).map((x) => x.status)).toEqual(["consumed"]);
    // An older update delivered late does not undo it.
    await deliver("orders", "orders/updated", { ...base, fulfillment_status: null, updated_at: new Date(Date.now() - 60_000).toISOString() });
    expect(await rt.db.order.findUniqueOrThrow({ where: { id: a.orderId } })).toMatchObject({ fulfillmentStatus: "fulfilled" });
    const kinds = (await orderTimeline(rt.db, SHOP, a.orderId)).map((e) => [e.kind, e.summary.applied ?? null, e.summary.createdByHub ?? null]);
    expect(kinds).toEqual(expect.arrayContaining([["updated", true, true], ["updated", false, true], ["fulfillment", null, null]]));
    expect(await rt.db.order.count({ where: { shop: SHOP } })).toBe(ordersBefore);

    // It can be held from its page too: the hub finds its Shopify order through the create job's entry.
    await requestOrderHold(deps(), SHOP, a.orderId, { reason: "OTHER", note: "marketplace asked to wait", actor: "admin" });
    await runJobs();
    expect(fosOf(a.peer.n).filter((f) => f.status === "ON_HOLD").map((f) => holdsInPeer(f).map((h) => h.otherApp))).toEqual([[null]]);

    // Cancelled in Shopify: the hub order is cancelled and its stock released.
    const b = await amazon("114-0000002-0000002");
    await deliver("orders", "orders/cancelled", { ...orderPayload(store(), b.peer), cancelled_at: later, cancel_reason: "customer", updated_at: later });
    expect(await rt.db.order.findUniqueOrThrow({ where: { id: b.orderId } })).toMatchObject({ status: "cancelled" });
    expect((await rt.db.reservation.findMany({ where: { shop: SHOP, externalOrderId: "114-0000002-0000002" } })).map((x) => x.status)).not.toContain("committed");
    // The same webhook for another shop finds nothing of this shop's.
    await deliver("orders", "orders/cancelled", { ...orderPayload(store(), a.peer), cancelled_at: later, cancel_reason: "customer", updated_at: later }, { shop: OTHER });
    expect(await rt.db.order.findUniqueOrThrow({ where: { id: a.orderId } })).toMatchObject({ status: "routed" });
  });

  it("the order page: Hold (reason + note), Release hold and Mark ready for pickup answer with what happened or what to do", async () => {
    const ui = testRuntime(tdb().url, { APP_MODE: "sandbox", SANDBOX_SHOP: SHOP, SHOPIFY_ADMIN_URL: sandbox.url, SHOPIFY_ADMIN_TOKEN: sandbox.accessToken });
    try {
      const peer = peerOrder("CAP", 1);
      const r = await hubIntake(peer, "CAP", 1);
      await runJobs();
      const [fo] = fosOf(peer.n);

      expect(await orderPage(ui, r.orderId, { intent: "hold", reason: "LUNCH" })).toEqual({ status: 422, body: { ok: false, intent: "hold", field: "reason", message: expect.stringMatching(/must be one of AWAITING_PAYMENT/) } });
      expect(await orderPage(ui, r.orderId, { intent: "shout" })).toMatchObject({ status: 422, body: { ok: false, intent: null, field: "intent" } });
      expect(await orderPage(ui, r.orderId, { intent: "release_hold" })).toMatchObject({ status: 409, body: { ok: false, intent: "release_hold", message: `${peer.name} is not on hold` } });

      expect(await orderPage(ui, r.orderId, { intent: "hold", reason: "AWAITING_PAYMENT", note: "bank transfer pending" })).toMatchObject({ status: 200, body: { ok: true, intent: "hold" } });
      await runJobs();
      expect(holdsInPeer(fo!)).toEqual([expect.objectContaining({ reason: "AWAITING_PAYMENT", otherApp: null })]);
      const page = await orderPage(ui, r.orderId);
      expect(page.body).toMatchObject({ heldByThisApp: true, fulfillmentOrders: [{ status: "on_hold", holds: ["awaiting payment (this app): bank transfer pending"] }] });
      expect(await orderPage(ui, r.orderId, { intent: "hold", reason: "OTHER" })).toMatchObject({ status: 409, body: { ok: false, message: expect.stringMatching(/already on hold by this app/) } });

      expect(await orderPage(ui, r.orderId, { intent: "release_hold" })).toMatchObject({ status: 200, body: { ok: true, intent: "release_hold" } });
      await runJobs();
      expect(holdsInPeer(fo!)).toEqual([]);
      expect((await orderPage(ui, r.orderId)).body).toMatchObject({ heldByThisApp: false, fulfillmentOrders: [{ status: "open", holds: [] }] });

      expect(await orderPage(ui, r.orderId, { intent: "pickup_ready" })).toMatchObject({ status: 409, body: { ok: false, intent: "pickup_ready", message: expect.stringMatching(/not a pickup order/) } });
    } finally {
      await ui.close();
    }
  });
});
