import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { orderPayload } from "#connectors/shopify/sandbox/payloads";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import type { OrderRec } from "#connectors/shopify/sandbox/store";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { orderTimeline } from "#app/modules/orders/index";
import type { Db } from "#app/platform/db/client.server";
import type { InboundEventRow } from "#app/platform/inbound-events.server";
import { importShopifyShop, type ImportDeps } from "#app/workflows/shopify-import.server";
import { shopifyInboundHandlers } from "#app/workflows/shopify-inbound.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { memoryLogger } from "#test/support/runtime";
import { peerAdminClient, prepareImportHub } from "#test/support/shopify-import";

/**
 * The import's orders phase against the Shopify sandbox peer: orders of the last 60 days come
 * through a bulk operation (grouped JSONL), open ones are taken in like an orders/create webhook
 * (same channel, same keys: the webhook that follows changes nothing), closed / fulfilled /
 * cancelled ones are history, Shopify's levels stay the truth, and a second run changes nothing.
 */
const SHOP = "peer-import-orders.myshopify.com";
const DAY = 86_400_000;
const NYC = { address1: "350 5th Ave", city: "New York", provinceCode: "NY", province: "NY", countryCode: "US", zip: "10118", latitude: 40.7484, longitude: -73.9857 };

describeEachDatabase("Shopify import: orders of the last 60 days (sandbox peer)", (tdb) => {
  let sandbox: ShopifySandbox;
  const orders: Record<string, OrderRec> = {};

  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0, pageSize: 2 } });
    const s = sandbox.store;
    const line = (sku: string, quantity: number) => s.lineFromVariant(s.variantBySkuOf(sku)!, quantity);
    const now = Date.now();
    const base = { financialStatus: "PAID" as const, inventoryBehaviour: "DECREMENT_IGNORING_POLICY" as const };
    // Open, shipped to New York from the online store: Shopify commits it where its routing puts it.
    orders.web = s.createOrder({ ...base, sourceName: "web", lines: [line("TEE-M", 2), line("CAP", 1)], shippingAddress: NYC, shippingLines: [{ title: "Express", code: "EXPRESS", source: "shopify", price: 15 }], createdAt: now - 5 * DAY });
    // Open B2B order of Acme's HQ: the b2b channel, whatever its source name.
    orders.b2b = s.createOrder({ ...base, sourceName: "web", companyLocationN: s.companyLocations[0]!.n, lines: [line("TENT-2P", 1)], shippingAddress: NYC, createdAt: now - 9 * DAY });
    // A POS sale at the LA store (fulfilled and closed on the spot), an order fulfilled from the
    // West Warehouse but not archived, and a cancelled one: history, no stock held.
    orders.pos = s.createOrder({ ...base, sourceName: "pos", retailLocationN: s.locationByKeyOf("la")!.n, lines: [line("CAP", 1)], createdAt: now - 3 * DAY });
    orders.fulfilled = s.createOrder({ ...base, sourceName: "web", fulfilledAtLocationN: s.locationByKeyOf("west")!.n, lines: [line("TEE-S", 1)], shippingAddress: NYC, createdAt: now - 20 * DAY });
    orders.fulfilled.closedAt = null;
    orders.cancelled = s.createOrder({ ...base, sourceName: "web", lines: [line("TEE-L", 1)], shippingAddress: NYC, inventoryBehaviour: "BYPASS", createdAt: now - 2 * DAY });
    orders.cancelled.cancelledAt = now - DAY;
    orders.cancelled.updatedAt = now - DAY;
    // Older than the 60-day window: not read at all.
    orders.old = s.createOrder({ ...base, sourceName: "web", lines: [line("CAP", 1)], shippingAddress: NYC, createdAt: now - 70 * DAY });
  });
  afterAll(async () => sandbox?.stop());

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    await prepareImportHub(tdb().handle.db, SHOP);
  });

  const deps = (): ImportDeps => ({
    db: tdb().handle.db,
    now: () => new Date(),
    logger: memoryLogger("warn"),
    pollMs: 20,
    client: peerAdminClient(sandbox, SHOP),
    checkpoints: null,
  });

  /** Every hub level of the shop as Shopify's numbers (the hub's `held` is its own and must be 0 here). */
  async function hubLevels(db: Db) {
    const rows = await db.inventoryLevel.findMany({ where: { shop: SHOP } });
    const variants = new Map((await db.variant.findMany({ where: { shop: SHOP } })).map((v) => [v.id, v.sku]));
    const locations = new Map((await db.location.findMany({ where: { shop: SHOP } })).map((l) => [l.id, l.name]));
    return Object.fromEntries(rows.map((r) => [`${variants.get(r.variantId)}@${locations.get(r.locationId)}`, { available: r.available, committed: r.committed, onHand: r.onHand, held: r.held }]));
  }

  function peerLevels() {
    const s = sandbox.store;
    const out: Record<string, { available: number; committed: number; onHand: number; held: number }> = {};
    for (const l of s.allLevels()) {
      const variant = s.variants.find((v) => v.itemN === l.itemN)!;
      const name = s.location(l.locationN)!.name;
      if (!["West Warehouse", "East DC", "LA Store", "Wholesale DC", "Amazon FBA"].includes(name)) continue;
      out[`${variant.sku}@${name}`] = { available: l.q.available, committed: l.q.committed, onHand: l.q.on_hand, held: 0 };
    }
    return out;
  }

  it("takes open orders in like orders/create, records the rest as history, and leaves Shopify's levels the truth", async () => {
    const { db } = tdb().handle;
    const progress: { done: number; total: number; message: string }[] = [];
    const r = await importShopifyShop({ ...deps(), progress: async (done, total, message) => void progress.push({ done, total, message }) }, SHOP);
    expect(r.mode).toEqual({ catalog: "bulk", orders: "bulk" });
    // Progress shows every phase, the orders last, with the counts so far.
    const messages = progress.map((p) => p.message);
    const at = (re: RegExp) => messages.findIndex((m) => re.test(m));
    expect(at(/^importing locations$/)).toBe(0);
    expect(at(/^asking Shopify for the catalog and stock/)).toBeGreaterThan(0);
    expect(at(/^asking Shopify for the orders since \d{4}-\d{2}-\d{2}/)).toBeGreaterThan(at(/^imported \d+ SKUs/));
    expect(progress.at(-1)).toEqual({ done: 5, total: expect.any(Number), message: "imported orders: 5 read, 2 taken in, 0 already held, 3 history" });
    expect(r.orders).toMatchObject({ seen: 5, takenIn: 2, alreadyInHub: 0, failed: 0, history: { fulfilled: 1, closed: 1, cancelled: 1 } });
    expect(r.orders.failures).toEqual([]);

    // History (fulfilled, closed, cancelled) is recorded without stock; the open ones are held.
    const all = await db.order.findMany({ where: { shop: SHOP }, orderBy: { placedAt: "asc" } });
    expect(all.map((o) => o.status).filter((st) => ["fulfilled", "closed", "cancelled"].includes(st)).sort()).toEqual(["cancelled", "closed", "fulfilled"]);
    const held = all.filter((o) => !["fulfilled", "closed", "cancelled"].includes(o.status));
    expect(held.map((o) => o.externalOrderId)).toEqual([`gid://shopify/Order/${orders.b2b!.n}`, `gid://shopify/Order/${orders.web!.n}`]);
    const channelOf = new Map((await db.channel.findMany({ where: { shop: SHOP } })).map((c) => [c.id, c.code]));
    const [b2b, web] = held;
    expect(channelOf.get(b2b!.channelId)).toBe("b2b");
    expect(b2b!.b2b).toBe(true);
    expect(channelOf.get(web!.channelId)).toBe("online");
    expect(web).toMatchObject({ name: orders.web!.name, speed: "expedited", financialStatus: "paid", fulfillmentStatus: null, status: "routed" });
    expect(JSON.parse(web!.destination)).toMatchObject({ countryCode: "US", provinceCode: "NY", city: "New York" });
    // Line keys are Shopify's numeric line ids, as in the webhooks.
    const lines = await db.orderLine.findMany({ where: { orderId: web!.id }, orderBy: { sku: "asc" } });
    expect(lines.map((l) => [l.lineKey, l.sku, l.quantity])).toEqual(
      orders.web!.lineItemNs.map((n) => sandbox.store.lineItem(n)!).map((li) => [String(li.n), li.sku, li.quantity]).sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    // Shopify has committed the stock: the reservation is committed (no held units), as for a webhook.
    const reservations = await db.reservation.findMany({ where: { shop: SHOP } });
    expect(reservations.map((x) => x.status).sort()).toEqual(["committed", "committed", "committed"]);
    // The levels are Shopify's, committed quantities included: the mirror of the new orders was settled.
    expect(r.settledItems).toBe(3);
    expect(await hubLevels(db)).toEqual(peerLevels());
    // The timeline says where the order came from.
    expect((await orderTimeline(db, SHOP, web!.id)).map((e) => [e.kind, e.source])).toContainEqual(["created", "shopify.import"]);
  });

  it("a second run changes nothing: no order, reservation, ledger entry or timeline entry is added", async () => {
    const { db } = tdb().handle;
    await importShopifyShop(deps(), SHOP);
    const count = async () => ({
      orders: await db.order.count({ where: { shop: SHOP } }),
      lines: await db.orderLine.count({ where: { shop: SHOP } }),
      reservations: await db.reservation.count({ where: { shop: SHOP } }),
      ledger: await db.inventoryLedgerEntry.count({ where: { shop: SHOP } }),
      events: await db.orderEvent.count({ where: { shop: SHOP } }),
      decisions: await db.routingDecision.count({ where: { shop: SHOP } }),
    });
    const before = await count();
    const levels = await hubLevels(db);
    const again = await importShopifyShop(deps(), SHOP);
    expect(again.orders).toMatchObject({ seen: 5, takenIn: 0, alreadyInHub: 2, updated: 0, failed: 0, history: { fulfilled: 1, closed: 1, cancelled: 1 } });
    expect(again.levels.changed).toBe(0);
    expect(again.settledItems).toBe(0);
    expect(await count()).toEqual(before);
    expect(await hubLevels(db)).toEqual(levels);
  });

  it("the orders/create webhook of an imported order is recognised as the same order (one mapper, same keys)", async () => {
    const { db } = tdb().handle;
    await importShopifyShop(deps(), SHOP);
    const before = { orders: await db.order.count({ where: { shop: SHOP } }), reservations: await db.reservation.count({ where: { shop: SHOP } }) };
    const handlers = shopifyInboundHandlers({ db, logger: memoryLogger("warn"), now: () => new Date() });
    for (const key of ["web", "b2b"]) {
      const event: InboundEventRow = {
        id: randomUUID(),
        shop: SHOP,
        source: "shopify.webhook",
        externalId: randomUUID(),
        topic: "ORDERS_CREATE",
        payload: JSON.stringify(orderPayload(sandbox.store, orders[key]!)),
        headers: null,
        status: "received",
        error: null,
        attempts: 0,
        occurredAt: new Date(),
        receivedAt: new Date(),
        processedAt: null,
      };
      await handlers["shopify.webhook:ORDERS_CREATE"]!(event);
    }
    expect({ orders: await db.order.count({ where: { shop: SHOP } }), reservations: await db.reservation.count({ where: { shop: SHOP } }) }).toEqual(before);
  });

  it("an order the hub already held is brought up to date: cancelled in Shopify → cancelled in the hub, its units given back", async () => {
    const { db } = tdb().handle;
    await importShopifyShop(deps(), SHOP);
    // Cancelled in Shopify while the hub was not listening (the cancellation releases Shopify's commitment).
    const o = orders.web!;
    const savedCancelled = o.cancelledAt;
    const savedUpdated = o.updatedAt;
    try {
      o.cancelledAt = Date.now();
      o.updatedAt = Date.now();
      const r = await importShopifyShop(deps(), SHOP);
      expect(r.orders).toMatchObject({ cancelled: 1, updated: 1 });
      const hub = await db.order.findFirstOrThrow({ where: { shop: SHOP, externalOrderId: `gid://shopify/Order/${o.n}` } });
      expect(hub.status).toBe("cancelled");
      expect((await db.reservation.findMany({ where: { shop: SHOP, externalOrderId: hub.externalOrderId } })).map((x) => x.status)).toEqual(["released", "released"]);
      // And once is enough.
      const again = await importShopifyShop(deps(), SHOP);
      expect(again.orders).toMatchObject({ cancelled: 0, updated: 0 });
    } finally {
      o.cancelledAt = savedCancelled;
      o.updatedAt = savedUpdated;
    }
  });
});
