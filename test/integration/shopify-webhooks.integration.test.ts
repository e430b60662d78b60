import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { GraphQLEnumType } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as ordersAction } from "#app/routes/webhooks.orders";
import { action as fulfillmentsAction } from "#app/routes/webhooks.fulfillments";
import { action as inventoryAction } from "#app/routes/webhooks.inventory";
import { action as locationsAction } from "#app/routes/webhooks.locations";
import { action as bulkAction } from "#app/routes/webhooks.bulk";
import { fulfillmentOrdersOf, orderTimeline } from "#app/modules/orders/index";
import { activateVersion, routingFixtures, saveDraft, type Rule } from "#app/modules/routing/index";
import { upsertInstalledShop } from "#app/modules/shops/index";
import type { Db } from "#app/platform/db/client.server";
import { createInboundEventProcessor } from "#app/platform/inbound-events.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { BULK_FINISHED_JOB, shopifyInboundHandlers } from "#app/workflows/shopify-inbound.server";
import { describeEachDatabase, ROOT, truncateAll } from "#test/support/databases";
import { testRuntime } from "#test/support/runtime";
import { loadShopifySchema } from "#test/support/shopify-schema";
import { shopifyWebhookRequest } from "#test/support/webhooks";

/**
 * Shopify webhooks end to end on a real database: signed requests to the real routes, stored by
 * webhook id, processed by the job runner into orders, reservations, routing decisions, the order
 * timeline, fulfillment orders, inventory levels and locations.  Payloads are Shopify's published
 * samples (connectors/shopify/fixtures/webhooks) with this shop's ids and SKUs put in.
 */
const SHOP = "alpha-goods.myshopify.com";
const OTHER = "bravo-wares.myshopify.com";
const FIXTURES = path.join(ROOT, "connectors/shopify/fixtures/webhooks");
const sample = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as Record<string, unknown>;
const ORDER_SAMPLE = sample("orders-create.json");

const GID = {
  west: "gid://shopify/Location/1001",
  la: "gid://shopify/Location/1002",
  east: "gid://shopify/Location/1003",
  tee: "gid://shopify/InventoryItem/2001",
  cap: "gid://shopify/InventoryItem/2002",
};
const SD = { address1: "1 Harbor Dr", city: "San Diego", zip: "92101", province: "California", province_code: "CA", country: "United States", country_code: "US", latitude: 32.7157, longitude: -117.1611 };

type Line = { id: number; sku: string; qty: number; price?: string };
/** Shopify's orders/create sample with this test's order id, lines and state. */
function orderBody(o: { id: number; lines: Line[]; updatedAt?: string; financial?: string; cancelledAt?: string | null; source?: string; shippingTitle?: string }) {
  const base = structuredClone(ORDER_SAMPLE);
  const li0 = (base.line_items as Record<string, unknown>[])[0]!;
  const shipping = structuredClone((base.shipping_lines as Record<string, unknown>[])[0]!);
  if (o.shippingTitle) shipping.title = o.shippingTitle;
  return {
    ...base,
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: `#${o.id}`,
    created_at: "2026-11-24T10:00:00-08:00",
    updated_at: o.updatedAt ?? "2026-11-24T10:00:00-08:00",
    cancelled_at: o.cancelledAt ?? null,
    cancel_reason: o.cancelledAt ? "customer" : null,
    financial_status: o.financial ?? "paid",
    source_name: o.source ?? "web",
    shipping_address: { ...(base.shipping_address as object), ...SD },
    shipping_lines: [shipping],
    line_items: o.lines.map((l) => ({ ...li0, id: l.id, admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`, sku: l.sku, title: l.sku, name: l.sku, quantity: l.qty, current_quantity: l.qty, fulfillable_quantity: l.qty, price: l.price ?? "25.00" })),
  };
}

type Action = typeof ordersAction;
const call = (rt: AppRuntime, fn: Action, request: Request) => fn({ request, context: { runtime: rt }, params: {} } as Parameters<Action>[0]);
const ROUTE: Record<string, { path: string; fn: Action }> = {
  orders: { path: "/webhooks/orders", fn: ordersAction },
  fulfillments: { path: "/webhooks/fulfillments", fn: fulfillmentsAction },
  inventory: { path: "/webhooks/inventory", fn: inventoryAction },
  locations: { path: "/webhooks/locations", fn: locationsAction },
  bulk: { path: "/webhooks/bulk", fn: bulkAction },
};

async function seedShop(db: Db, shop: string) {
  const loc = (name: string, gid: string, o: { kind?: string; lat: number; lng: number; tz?: string; cap?: number; priority: number }) =>
    db.location.create({
      data: {
        id: randomUUID(),
        shop,
        name,
        shopifyLocationId: gid,
        kind: o.kind ?? "warehouse",
        countryCode: "US",
        latitude: o.lat,
        longitude: o.lng,
        timeZone: o.tz ?? "America/Los_Angeles",
        dailyShipFromStoreCap: o.cap ?? null,
        shipsFromStore: o.kind === "store",
        offersPickup: o.kind === "store",
        routingPriority: o.priority,
      },
    });
  const west = await loc("West", GID.west, { lat: 34.0559, lng: -117.5972, priority: 1 });
  const la = await loc("LA Store", GID.la, { kind: "store", lat: 34.0812, lng: -118.3763, cap: 2, priority: 2 });
  const east = await loc("East", GID.east, { lat: 40.5187, lng: -74.3457, tz: "America/New_York", priority: 3 });
  const sku = async (code: string, gid: string) => {
    const product = await db.product.create({ data: { id: randomUUID(), shop, title: code } });
    return db.variant.create({ data: { id: randomUUID(), shop, productId: product.id, sku: code, title: code, shopifyInventoryItemId: gid } });
  };
  const tee = await sku("TEE", GID.tee);
  const cap = await sku("CAP", GID.cap);
  const all = JSON.stringify([west.id, la.id, east.id]);
  for (const c of [
    { code: "online", kind: "online_store", eligible: all },
    { code: "pos", kind: "pos", eligible: JSON.stringify([la.id]) },
    { code: "b2b", kind: "shopify_b2b", eligible: JSON.stringify([west.id]) },
  ]) {
    await db.channel.create({ data: { id: randomUUID(), shop, code: c.code, name: c.code, kind: c.kind, eligibleLocationIds: c.eligible, hubHoldsStock: false } });
  }
  const { rule } = routingFixtures;
  const rules: Rule[] = [
    rule("california", { conditions: { destination: { regions: ["US-CA"] } }, candidateFilter: { include: [west.id, la.id, east.id] }, sort: [{ by: "location_priority" }], splitPolicy: { kind: "max_shipments", n: 2 } }),
    rule("default", { sort: [{ by: "shipping_cost" }], splitPolicy: { kind: "split_lines" }, fallback: { kind: "backorder" } }),
  ];
  await saveDraft(db, shop, { rules, actor: "test" });
  await activateVersion({ db, now: () => new Date() }, shop, 1);
  return { west: west.id, la: la.id, east: east.id, tee: tee.id, cap: cap.id };
}

async function stock(db: Db, shop: string, variantId: string, locationId: string, available: number) {
  await db.inventoryLevel.upsert({
    where: { variantId_locationId: { variantId, locationId } },
    create: { id: randomUUID(), shop, variantId, locationId, available, onHand: available },
    update: { available, onHand: available },
  });
}

describeEachDatabase("Shopify webhooks → orders, reservations, routing, inventory", (tdb) => {
  let rt: ReturnType<typeof testRuntime>;
  let ids: Awaited<ReturnType<typeof seedShop>>;
  let other: Awaited<ReturnType<typeof seedShop>>;
  beforeAll(() => {
    rt = testRuntime(tdb().url);
  });
  afterAll(async () => rt.close());
  beforeEach(async () => {
    const { db } = tdb().handle;
    await truncateAll(tdb().handle);
    await upsertInstalledShop(db, { domain: SHOP, name: "Alpha Goods", scopes: "read_orders" }, new Date());
    await upsertInstalledShop(db, { domain: OTHER, name: "Bravo Wares", scopes: "read_orders" }, new Date());
    ids = await seedShop(db, SHOP);
    other = await seedShop(db, OTHER);
  });

  const db = () => tdb().handle.db;
  async function send(route: keyof typeof ROUTE, topic: string, body: unknown, o: { shop?: string; webhookId?: string; triggeredAt?: string; hmac?: string } = {}) {
    const r = ROUTE[route]!;
    const req = shopifyWebhookRequest({ path: r.path, topic, shop: o.shop ?? SHOP, body, ...(o.webhookId ? { webhookId: o.webhookId } : {}), ...(o.triggeredAt ? { triggeredAt: o.triggeredAt } : {}), ...(o.hmac ? { hmac: o.hmac } : {}) });
    try {
      return (await call(rt, r.fn, req)).status;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status; // authenticate.webhook throws its 401
      throw thrown;
    }
  }
  /**
   * Relay and run until every stored webhook is processed, including retries the runner has
   * scheduled (an outbox row written a moment ago may not be due yet by the relay's clock, and a
   * job that lost a race retries after its backoff).
   */
  async function processAll(timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await rt.relay.runOnce();
      await rt.runner.drain();
      const undispatched = await db().outboxMessage.count({ where: { topic: "inbound.process", dispatchedAt: null } });
      const unfinished = await db().job.count({ where: { name: "inbound.process", status: { in: ["queued", "running"] } } });
      if (undispatched === 0 && unfinished === 0) return;
      if (Date.now() > deadline) throw new Error(`webhooks still unprocessed after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const level = (variantId: string, locationId: string) => db().inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId, locationId } } });
  const orderOf = (id: number, shop = SHOP) => db().order.findFirstOrThrow({ where: { shop, externalOrderId: `gid://shopify/Order/${id}` } });
  const slots = async (locationId: string) => (await db().locationDayCount.findMany({ where: { locationId } })).reduce((s, r) => s + r.used, 0);

  it("orders/create: the order is recorded, committed in the mirror, routed, and starts its timeline", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    await stock(db(), SHOP, ids.cap, ids.east, 10);
    expect(await send("orders", "orders/create", orderBody({ id: 5001, lines: [{ id: 50011, sku: "TEE", qty: 2 }, { id: 50012, sku: "CAP", qty: 1 }] }))).toBe(200);
    expect(await db().order.count()).toBe(0); // answered before processing
    await processAll();

    const order = await orderOf(5001);
    expect(order).toMatchObject({ name: "#5001", status: "routed", speed: "standard", financialStatus: "paid" });
    expect(order.sourceUpdatedAt?.toISOString()).toBe("2026-11-24T18:00:00.000Z");
    const lines = await db().orderLine.findMany({ where: { orderId: order.id }, orderBy: { lineKey: "asc" } });
    expect(lines.map((l) => [l.lineKey, l.sku, l.quantity, l.priceCents])).toEqual([["50011", "TEE", 2, 2500], ["50012", "CAP", 1, 2500]]);
    // Shopify's own channel: committed at once in the mirror (available → committed), never held.
    const reservations = await db().reservation.findMany({ where: { shop: SHOP, externalOrderId: order.externalOrderId } });
    expect(reservations.map((r) => r.status)).toEqual(["committed", "committed"]);
    expect(await level(ids.tee, ids.west)).toMatchObject({ available: 8, committed: 2, held: 0 });
    const decision = await db().routingDecision.findFirstOrThrow({ where: { orderId: order.id } });
    expect(decision).toMatchObject({ status: "routed", ruleId: "california", trigger: "intake" });
    expect((await orderTimeline(db(), SHOP, order.id)).map((e) => [e.kind, e.summary.channel])).toEqual([["created", "online"]]);
    expect((await db().inboundEvent.findFirstOrThrow({ where: { shop: SHOP } })).status).toBe("processed");
  });

  it("the same orders/create delivered twice is stored once and changes nothing the second time", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    const body = orderBody({ id: 5002, lines: [{ id: 50021, sku: "TEE", qty: 1 }] });
    const statuses = await Promise.all([1, 2, 3].map(() => send("orders", "orders/create", body, { webhookId: "wh-order-5002" })));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await db().inboundEvent.count()).toBe(1);
    await processAll();
    // A redelivery under a new webhook id (Shopify's retry after a lost answer) is a duplicate intake.
    await send("orders", "orders/create", body, { webhookId: "wh-order-5002-again" });
    await processAll();
    const order = await orderOf(5002);
    expect(await db().order.count({ where: { shop: SHOP } })).toBe(1);
    expect(await db().reservation.count({ where: { shop: SHOP } })).toBe(1);
    expect(await db().routingDecision.count({ where: { orderId: order.id } })).toBe(1);
    expect(await db().job.count({ where: { name: "inbound.process" } })).toBe(2);
    expect(await level(ids.tee, ids.west)).toMatchObject({ available: 9, committed: 1 });
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("a bad HMAC is refused with 401 and nothing is stored", async () => {
    for (const route of Object.keys(ROUTE) as (keyof typeof ROUTE)[]) {
      expect(await send(route, "orders/create", orderBody({ id: 5003, lines: [{ id: 50031, sku: "TEE", qty: 1 }] }), { hmac: "bm90LXRoZS1yaWdodC1obWFj" })).toBe(401);
    }
    expect(await db().inboundEvent.count()).toBe(0);
    expect(await db().outboxMessage.count()).toBe(0);
  });

  it("orders/updated applies newer facts and re-syncs changed lines; an older update is ignored", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    await stock(db(), SHOP, ids.cap, ids.west, 10);
    const lines = [{ id: 50041, sku: "TEE", qty: 2 }, { id: 50042, sku: "CAP", qty: 1 }];
    await send("orders", "orders/create", orderBody({ id: 5004, lines, financial: "pending" }));
    await processAll();
    // Newer (T3): paid, and the CAP line was removed in Shopify (current quantity 0).
    await send("orders", "orders/updated", orderBody({ id: 5004, lines: [lines[0]!, { ...lines[1]!, qty: 0 }], financial: "paid", updatedAt: "2026-11-24T12:00:00-08:00" }));
    await processAll();
    // Older (T2), delivered late: still pending, both lines — must not undo T3.
    await send("orders", "orders/updated", orderBody({ id: 5004, lines, financial: "pending", updatedAt: "2026-11-24T11:00:00-08:00" }));
    await processAll();

    const order = await orderOf(5004);
    expect(order).toMatchObject({ financialStatus: "paid", status: "routed" });
    expect(order.sourceUpdatedAt?.toISOString()).toBe("2026-11-24T20:00:00.000Z");
    expect((await db().orderLine.findMany({ where: { orderId: order.id } })).map((l) => l.sku)).toEqual(["TEE"]);
    expect((await db().reservation.findMany({ where: { shop: SHOP, externalOrderId: order.externalOrderId } })).map((r) => [r.lineKey, r.status])).toEqual([["50041", "committed"]]);
    expect(await db().routingDecision.count({ where: { orderId: order.id } })).toBe(2); // re-routed after the re-sync
    const timeline = await orderTimeline(db(), SHOP, order.id);
    expect(timeline.map((e) => [e.kind, e.summary.applied ?? null])).toEqual([["created", null], ["updated", true], ["updated", false]]);
    expect(rt.logs.lines.some((l) => l.record.msg === "orders/updated older than the applied one: ignored")).toBe(true);
  });

  it("orders/cancelled releases the order's reservation and gives today's ship-from-store slot back", async () => {
    await stock(db(), SHOP, ids.tee, ids.la, 10); // only the LA store has it: a capped ship-from-store
    await send("orders", "orders/create", orderBody({ id: 5005, lines: [{ id: 50051, sku: "TEE", qty: 1 }] }));
    await processAll();
    const before = await orderOf(5005);
    expect(before.status).toBe("routed");
    expect(await slots(ids.la)).toBe(1);

    await send("orders", "orders/cancelled", orderBody({ id: 5005, lines: [{ id: 50051, sku: "TEE", qty: 1 }], cancelledAt: "2026-11-24T10:30:00-08:00", financial: "refunded", updatedAt: "2026-11-24T10:30:00-08:00" }));
    await processAll();
    const after = await orderOf(5005);
    expect(after).toMatchObject({ status: "cancelled", financialStatus: "refunded" });
    expect(after.statusReason).toMatch(/cancelled in Shopify \(customer\)/);
    expect((await db().reservation.findMany({ where: { shop: SHOP, externalOrderId: after.externalOrderId } })).map((r) => r.status)).toEqual(["released"]);
    expect(await slots(ids.la)).toBe(0);
    expect((await orderTimeline(db(), SHOP, after.id)).map((e) => e.kind)).toEqual(["created", "cancelled"]);
  });

  it("orders/edited re-syncs known lines; an edit adding a line it cannot name waits for orders/updated", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    await stock(db(), SHOP, ids.cap, ids.west, 10);
    await send("orders", "orders/create", orderBody({ id: 5006, lines: [{ id: 50061, sku: "TEE", qty: 2 }, { id: 50062, sku: "CAP", qty: 1 }] }));
    await processAll();
    const edit = (removals: unknown[], additions: unknown[], at: string) => ({ order_edit: { ...(sample("orders-edited.json").order_edit as object), id: 7001, order_id: 5006, committed_at: at, created_at: at, line_items: { additions, removals } } });
    await send("orders", "orders/edited", edit([{ id: 50061, delta: 1 }], [], "2026-11-24T11:00:00-08:00"));
    await send("orders", "orders/edited", edit([], [{ id: 50069, delta: 1 }], "2026-11-24T11:30:00-08:00"));
    await processAll();
    const order = await orderOf(5006);
    expect((await db().orderLine.findMany({ where: { orderId: order.id }, orderBy: { lineKey: "asc" } })).map((l) => [l.lineKey, l.quantity])).toEqual([["50061", 1], ["50062", 1]]);
    expect(await level(ids.tee, ids.west)).toMatchObject({ committed: 3 }); // 2 at intake + 1 re-reserved; Shopify's next level settles it
    const timeline = await orderTimeline(db(), SHOP, order.id);
    expect(timeline.map((e) => [e.kind, e.summary.applied ?? null, e.summary.waitingFor ?? null])).toEqual([["created", null, null], ["edited", true, null], ["edited", false, ["50069"]]]);
  });

  it("fulfillments/create consumes the fulfilled lines; refunds and returns land on the timeline", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    await stock(db(), SHOP, ids.cap, ids.west, 10);
    await send("orders", "orders/create", orderBody({ id: 5007, lines: [{ id: 50071, sku: "TEE", qty: 1 }, { id: 50072, sku: "CAP", qty: 1 }] }));
    await processAll();
    const f = sample("fulfillments-create.json");
    const li = (f.line_items as Record<string, unknown>[])[0]!;
    await send("fulfillments", "fulfillments/create", { ...f, id: 9001, admin_graphql_api_id: "gid://shopify/Fulfillment/9001", order_id: 5007, line_items: [{ ...li, id: 50071, sku: "TEE" }] });
    const refund = sample("refunds-create.json");
    await send("orders", "refunds/create", { ...refund, order_id: 5007, refund_line_items: [] });
    await send("orders", "returns/request", { ...sample("returns-request.json"), order: { id: 5007, admin_graphql_api_id: "gid://shopify/Order/5007" } });
    await send("orders", "returns/update", sample("returns-update.json")); // names the return only
    await processAll();

    const order = await orderOf(5007);
    const res = await db().reservation.findMany({ where: { shop: SHOP, externalOrderId: order.externalOrderId }, orderBy: { lineKey: "asc" } });
    expect(res.map((r) => [r.lineKey, r.status])).toEqual([["50071", "consumed"], ["50072", "committed"]]);
    const timeline = await orderTimeline(db(), SHOP, order.id);
    expect(timeline.map((e) => e.kind).sort()).toEqual(["created", "fulfillment", "refund", "return.request", "return.update"]);
    expect(timeline.find((e) => e.kind === "refund")!.summary).toMatchObject({ amountCents: 8500, note: "Things were damaged" });
    expect(timeline.find((e) => e.kind === "fulfillment")!.summary).toMatchObject({ status: "pending", consumedLines: 1, tracking: { company: "UPS" } });
  });

  it("refunds/create restocking a return at a location the hub owns adds it to the hub's count, once; elsewhere Shopify's level webhook carries it", async () => {
    await db().location.update({ where: { id: ids.west }, data: { stockSource: "hub" } });
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    await stock(db(), SHOP, ids.tee, ids.east, 10);
    await send("orders", "orders/create", orderBody({ id: 5008, lines: [{ id: 50081, sku: "TEE", qty: 3 }] }));
    await processAll();
    const before = await level(ids.tee, ids.west);
    const eastBefore = await level(ids.tee, ids.east);
    const refund = sample("refunds-create.json");
    const body = {
      ...refund,
      id: 7701,
      admin_graphql_api_id: "gid://shopify/Refund/7701",
      order_id: 5008,
      refund_line_items: [
        { line_item_id: 50081, quantity: 2, restock_type: "return", location_id: 1001 }, // West: the hub's
        { line_item_id: 50081, quantity: 1, restock_type: "return", location_id: 1003 }, // East: Shopify's
      ],
    };
    await send("orders", "refunds/create", body);
    // The same refund again under another delivery id (a replay): nothing more.
    await send("orders", "refunds/create", body, { webhookId: randomUUID() });
    await processAll();

    const after = await level(ids.tee, ids.west);
    expect({ onHand: after.onHand - before.onHand, available: after.available - before.available }).toEqual({ onHand: 2, available: 2 });
    expect(after.pushedOnHand).toBeNull(); // Shopify's figure changed too: the push reads it
    const entries = await db().inventoryLedgerEntry.findMany({ where: { shop: SHOP, locationId: ids.west, source: "return" }, orderBy: { quantityName: "asc" } });
    expect(entries.map((e) => [e.quantityName, e.delta, e.reference])).toEqual([
      ["available", 2, "gid://shopify/Refund/7701|50081"],
      ["on_hand", 2, "gid://shopify/Refund/7701|50081"],
    ]);
    expect(await db().outboxMessage.count({ where: { shop: SHOP, topic: "shopify.pushInventory" } })).toBeGreaterThan(0);
    // East mirrors Shopify: its level webhook brings the restock, the refund moves nothing there.
    const eastAfter = await level(ids.tee, ids.east);
    expect({ onHand: eastAfter.onHand, available: eastAfter.available }).toEqual({ onHand: eastBefore.onHand, available: eastBefore.available });
  });

  it("fulfillment orders: recorded with location and holds, split-offs inherit their order, older deliveries ignored", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    await send("orders", "orders/create", orderBody({ id: 5008, lines: [{ id: 50081, sku: "TEE", qty: 1 }] }));
    await processAll();
    const order = await orderOf(5008);
    // Fulfillment-order payloads do not name the order: this processor has a stand-in for the
    // Admin look-up (OmsFulfillmentOrderOrder; against the sandbox peer in
    // shopify-fulfillment-actions.integration.test.ts).
    const lookups: string[] = [];
    // On the runtime's own connection, like its runner (SQLite: one writer at a time).
    const process = createInboundEventProcessor(rt.db, shopifyInboundHandlers({ db: rt.db, logger: rt.logger, now: () => new Date(), fulfillmentOrderOrderGid: async (_shop, fo) => (lookups.push(fo), fo.endsWith("/1") ? "gid://shopify/Order/5008" : null) }));
    const deliver = async (topic: string, file: string, triggeredAt: string, change?: (b: Record<string, unknown>) => void) => {
      const body = sample(file);
      change?.(body);
      await send("fulfillments", topic, body, { triggeredAt });
      const ev = await db().inboundEvent.findFirstOrThrow({ where: { shop: SHOP, topic: topic.toUpperCase().replace("/", "_") }, orderBy: { receivedAt: "desc" } });
      return process({ eventId: ev.id });
    };
    await deliver("fulfillment_orders/order_routing_complete", "fulfillment-orders-order-routing-complete.json", "2026-11-24T18:01:00Z");
    await deliver("fulfillment_orders/placed_on_hold", "fulfillment-orders-placed-on-hold.json", "2026-11-24T18:02:00Z");
    await deliver("fulfillment_orders/moved", "fulfillment-orders-moved.json", "2026-11-24T18:03:00Z", (b) => {
      (b.original_fulfillment_order as Record<string, unknown>).assigned_location_id = GID.west;
      (b.moved_fulfillment_order as Record<string, unknown>).assigned_location_id = GID.la;
    });
    // A late hold_released from before the move must not reopen the closed original.
    await deliver("fulfillment_orders/hold_released", "fulfillment-orders-hold-released.json", "2026-11-24T18:02:30Z");

    const fos = await fulfillmentOrdersOf(db(), SHOP, order.id);
    expect(fos.map((f) => [f.fulfillmentOrderId, f.status, f.locationId])).toEqual([
      ["gid://shopify/FulfillmentOrder/1", "closed", ids.west],
      ["gid://shopify/FulfillmentOrder/2", "open", ids.la],
    ]);
    expect(fos[0]!.holds).toHaveLength(2);
    expect(lookups).toEqual(["gid://shopify/FulfillmentOrder/1"]); // FO 2 was linked through FO 1
    // The timeline is in Shopify's time (X-Shopify-Triggered-At); the late delivery is marked as not applied.
    expect((await orderTimeline(db(), SHOP, order.id)).map((e) => [e.kind, e.summary.applied ?? null])).toEqual([
      ["created", null],
      ["fulfillment_order.order_routing_complete", true],
      ["fulfillment_order.placed_on_hold", true],
      ["fulfillment_order.hold_released", false],
      ["fulfillment_order.moved", true],
    ]);
    // Through the app's own runner: its look-up has no Admin API session for this shop (never
    // installed through OAuth), so the FO is recorded unlinked and nothing fails.
    await send("fulfillments", "fulfillment_orders/order_routing_complete", { fulfillment_order: { id: "gid://shopify/FulfillmentOrder/77", status: "open" } });
    await processAll();
    expect(await db().shopifyFulfillmentOrder.findFirst({ where: { shop: SHOP, fulfillmentOrderId: "gid://shopify/FulfillmentOrder/77" } })).toMatchObject({ status: "open", orderId: null });
  });

  it("inventory_levels/update sets Shopify's absolute quantity; an older update delivered late is ignored", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 4);
    const body = (available: number, updatedAt: string) => ({ ...sample("inventory-levels-update.json"), inventory_item_id: 2001, location_id: 1001, available, updated_at: updatedAt, admin_graphql_api_id: "gid://shopify/InventoryLevel/1001?inventory_item_id=2001" });
    await send("inventory", "inventory_levels/update", body(7, "2026-11-24T10:02:00-08:00"));
    await processAll();
    await send("inventory", "inventory_levels/update", body(3, "2026-11-24T10:01:00-08:00"));
    await processAll();
    const l = await level(ids.tee, ids.west);
    expect(l.available).toBe(7);
    expect(l.sourceUpdatedAt?.toISOString()).toBe("2026-11-24T18:02:00.000Z");
    expect((await db().inventoryLedgerEntry.findMany({ where: { shop: SHOP, variantId: ids.tee, source: "shopify_webhook" } })).map((e) => [e.quantityName, e.delta, e.resulting])).toEqual([["available", 3, 7]]);
    expect(await db().inboundEvent.count({ where: { shop: SHOP, status: "processed" } })).toBe(2);
    // disconnect: no longer stocked there.
    await send("inventory", "inventory_levels/disconnect", { inventory_item_id: 2001, location_id: 1001 }, { triggeredAt: "2026-11-24T18:05:00Z" });
    await processAll();
    expect(await level(ids.tee, ids.west)).toMatchObject({ available: 0, onHand: 0 });
  });

  it("locations/* and inventory_items/* keep the hub's locations and SKU links in step", async () => {
    const loc = (o: Record<string, unknown>) => ({ ...sample("locations-create.json"), id: 1002, admin_graphql_api_id: GID.la, name: "LA Store", address1: "8500 Melrose Ave", country_code: "US", province_code: "CA", city: "Los Angeles", ...o });
    await send("locations", "locations/update", loc({ updated_at: "2026-11-24T10:00:00-08:00" }));
    await processAll();
    await send("locations", "locations/update", loc({ address1: "Old address", updated_at: "2026-11-24T09:00:00-08:00" }));
    await send("locations", "locations/deactivate", loc({ updated_at: "2026-11-24T10:05:00-08:00" }));
    await send("locations", "locations/create", { ...sample("locations-create.json"), id: 1004, admin_graphql_api_id: "gid://shopify/Location/1004" });
    await processAll();
    const la = await db().location.findUniqueOrThrow({ where: { id: ids.la } });
    expect(la).toMatchObject({ address1: "8500 Melrose Ave", city: "Los Angeles", province: "CA", active: false, latitude: 34.0812, kind: "store" });
    expect(await db().location.findFirst({ where: { shop: SHOP, shopifyLocationId: "gid://shopify/Location/1004" } })).toMatchObject({ name: "Example Shop", countryCode: "CA", kind: "warehouse", active: true });
    // Deactivating a location moves every channel's ATS that counted it: one whole-channel publish each.
    expect(await db().outboxMessage.count({ where: { shop: SHOP, topic: "inventory.publishChannelAts" } })).toBeGreaterThan(0);

    await send("inventory", "inventory_items/update", { ...sample("inventory-items-update.json"), id: 2009, admin_graphql_api_id: "gid://shopify/InventoryItem/2009", sku: "TEE" });
    await processAll();
    expect((await db().variant.findUniqueOrThrow({ where: { id: ids.tee } })).shopifyInventoryItemId).toBe("gid://shopify/InventoryItem/2009");
    await send("inventory", "inventory_items/delete", { ...sample("inventory-items-delete.json"), id: 2009, admin_graphql_api_id: "gid://shopify/InventoryItem/2009" });
    await processAll();
    expect((await db().variant.findUniqueOrThrow({ where: { id: ids.tee } })).shopifyInventoryItemId).toBeNull();
  });

  it("bulk_operations/finish enqueues shopify.bulkFinished once, with the operation's id", async () => {
    await send("bulk", "bulk_operations/finish", sample("bulk-operations-finish.json"));
    await processAll();
    // A replay of the same event (another delivery id) enqueues nothing new.
    await send("bulk", "bulk_operations/finish", sample("bulk-operations-finish.json"));
    await processAll();
    await rt.relay.runOnce();
    const jobs = await db().job.findMany({ where: { name: BULK_FINISHED_JOB } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.shop).toBe(SHOP);
    expect(["queued", "completed"]).toContain(jobs[0]!.status); // queued until the importer's handler is registered
    expect(JSON.parse(jobs[0]!.payload)).toMatchObject({ bulkOperationId: "gid://shopify/BulkOperation/147595010", status: "completed", type: "query" });
  });

  it("quarantines a payload that does not parse, naming the field, without retrying", async () => {
    const body = orderBody({ id: 5009, lines: [{ id: 50091, sku: "TEE", qty: 1 }] });
    (body.line_items as Record<string, unknown>[])[0]!.quantity = "two";
    expect(await send("orders", "orders/create", body)).toBe(200); // stored: kept for replay
    await processAll();
    const ev = await db().inboundEvent.findFirstOrThrow({ where: { shop: SHOP } });
    expect(ev.status).toBe("failed");
    expect(ev.error).toMatch(/^orders\/create\.line_items\.0\.quantity: /);
    const job = await db().job.findFirstOrThrow({ where: { shop: SHOP, name: "inbound.process" } });
    expect(job).toMatchObject({ status: "failed", attempts: 1 }); // INVALID is permanent
    expect(await db().order.count()).toBe(0);
  });

  it("another shop's webhooks never touch this shop's data", async () => {
    await stock(db(), SHOP, ids.tee, ids.west, 10);
    await stock(db(), OTHER, other.tee, other.west, 10);
    // The same Shopify ids (order, items, locations) in the other shop's webhooks.
    await send("orders", "orders/create", orderBody({ id: 5010, lines: [{ id: 50101, sku: "TEE", qty: 1 }] }));
    await processAll();
    const mine = await orderOf(5010);
    await send("orders", "orders/create", orderBody({ id: 5010, lines: [{ id: 50101, sku: "TEE", qty: 3 }] }), { shop: OTHER });
    await send("orders", "orders/cancelled", orderBody({ id: 5010, lines: [{ id: 50101, sku: "TEE", qty: 3 }], cancelledAt: "2026-11-24T11:00:00-08:00", updatedAt: "2026-11-24T11:00:00-08:00" }), { shop: OTHER });
    // (Orders and levels are queued apart: let the order's optimistic commit land before Shopify's level.)
    await processAll();
    await send("inventory", "inventory_levels/update", { inventory_item_id: 2001, location_id: 1001, available: 99, updated_at: "2026-11-24T12:00:00-08:00", admin_graphql_api_id: "gid://shopify/InventoryLevel/1001?inventory_item_id=2001" }, { shop: OTHER });
    await send("locations", "locations/deactivate", { ...sample("locations-create.json"), id: 1001, admin_graphql_api_id: GID.west, name: "West" }, { shop: OTHER });
    await send("inventory", "inventory_items/delete", { id: 2001, admin_graphql_api_id: GID.tee }, { shop: OTHER });
    await processAll();

    expect(await orderOf(5010)).toMatchObject({ id: mine.id, status: "routed" });
    expect(await db().order.count({ where: { shop: SHOP } })).toBe(1);
    expect(await level(ids.tee, ids.west)).toMatchObject({ available: 9, committed: 1 });
    expect((await db().location.findUniqueOrThrow({ where: { id: ids.west } })).active).toBe(true);
    expect((await db().variant.findUniqueOrThrow({ where: { id: ids.tee } })).shopifyInventoryItemId).toBe(GID.tee);
    expect(await db().orderEvent.count({ where: { shop: SHOP } })).toBe(1);
    // …while the other shop got its own order, cancelled, and its own level.
    expect(await orderOf(5010, OTHER)).toMatchObject({ status: "cancelled" });
    expect(await level(other.tee, other.west)).toMatchObject({ available: 99 });
  });
});

describe("shopify.app.toml webhook subscriptions", () => {
  const toml = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");
  const subscriptions = toml
    .split("[[webhooks.subscriptions]]")
    .slice(1)
    .map((block) => ({
      topics: JSON.parse(/^\s*(?:compliance_)?topics\s*=\s*(\[.*\])\s*$/m.exec(block)?.[1] ?? "[]") as string[],
      compliance: /^\s*compliance_topics\s*=/m.test(block),
      uri: /^\s*uri\s*=\s*"([^"]+)"/m.exec(block)?.[1],
      handledBy: /#\s*Handled by:\s*(\S+)/.exec(block)?.[1],
    }));
  const handlers = shopifyInboundHandlers({ db: {} as Db, logger: { child: () => ({}) } as never, now: () => new Date() });

  it("names an existing route file for every subscription, at its uri", () => {
    for (const s of subscriptions) {
      expect(s.handledBy, s.uri).toBeDefined();
      expect(fs.existsSync(path.join(ROOT, s.handledBy!)), s.handledBy).toBe(true);
      expect(s.handledBy).toBe(`app/routes/${s.uri!.slice(1).replaceAll("/", ".")}.tsx`);
    }
  });

  it.skipIf(!process.env.OMS_SHOPIFY_SCHEMA_DIR)("subscribes only to topics that exist in the Admin API 2026-10 schema", () => {
    const topicEnum = loadShopifySchema().getType("WebhookSubscriptionTopic") as GraphQLEnumType;
    const known = new Set(topicEnum.getValues().map((v) => v.name));
    expect(/api_version\s*=\s*"2026-10"/.test(toml)).toBe(true);
    for (const t of subscriptions.filter((s) => !s.compliance).flatMap((s) => s.topics)) expect(known.has(t.toUpperCase().replaceAll("/", "_")), t).toBe(true);
  });

  it("has a handler for every topic it subscribes to beyond the app lifecycle and compliance ones", () => {
    const topics = subscriptions.filter((s) => !s.compliance).flatMap((s) => s.topics).filter((t) => !t.startsWith("app/"));
    expect(topics.length).toBeGreaterThan(30);
    for (const t of topics) expect(handlers[`shopify.webhook:${t.toUpperCase().replaceAll("/", "_")}`], t).toBeTypeOf("function");
  });
});
