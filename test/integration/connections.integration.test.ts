import { beforeEach, expect, it } from "vitest";
import { connectionStatus, requestShopifyResync, webhookTopicLabel } from "#app/modules/operations/index";
import { createInProcessRunner } from "#app/platform/queue/in-process-runner.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { memoryLogger } from "#test/support/runtime";

const A = "a.myshopify.com";
const B = "b.myshopify.com";
const NOW = new Date("2026-11-27T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

const REPORT = {
  locations: { seen: 3, created: 0, linked: 3 },
  products: { created: 0 },
  variants: { seen: 2, created: 0, linked: 2, withoutSku: 0 },
  levels: { seen: 6, changed: 1, unchanged: 5, ignoredOlder: 0, skipped: 0 },
  bulkOperationId: "gid://shopify/BulkOperation/1",
  objectCount: 8,
};

let seq = 0;
function event(shop: string, topic: string, status: string, receivedAt: Date, extra: { processedAt?: Date; error?: string; source?: string; attempts?: number } = {}) {
  seq++;
  return {
    id: `ev-${String(seq).padStart(3, "0")}`,
    shop,
    source: extra.source ?? "shopify.webhook",
    externalId: `wh-${seq}`,
    topic,
    payload: "{}",
    status,
    receivedAt,
    processedAt: extra.processedAt ?? null,
    error: extra.error ?? null,
    attempts: extra.attempts ?? (status === "received" ? 0 : 1),
  };
}

function job(id: string, shop: string, name: string, status: string, createdAt: Date, extra: { progress?: unknown; result?: unknown; lastError?: string; finishedAt?: Date } = {}) {
  return {
    id,
    shop,
    name,
    payload: JSON.stringify({ shop }),
    status,
    createdAt,
    runAt: createdAt,
    progress: extra.progress === undefined ? null : JSON.stringify(extra.progress),
    result: extra.result === undefined ? null : JSON.stringify(extra.result),
    lastError: extra.lastError ?? null,
    finishedAt: extra.finishedAt ?? null,
  };
}

describeEachDatabase("Shopify connection status", (tdb) => {
  beforeEach(async () => truncateAll(tdb().handle));

  /** Shop A: installed, 3 of 4 Shopify locations linked (plus an FBA one), 2 of 3 variants linked. */
  async function seedShop(shop: string) {
    const { db } = tdb().handle;
    await db.shop.create({ data: { domain: shop, name: shop, installedAt: ago(30 * 24 * H) } });
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_x" } });
    await db.location.createMany({
      data: [
        { id: `${shop}-l1`, shop, name: "West", kind: "warehouse", shopifyLocationId: "gid://shopify/Location/1" },
        { id: `${shop}-l2`, shop, name: "East", kind: "warehouse", shopifyLocationId: "gid://shopify/Location/2" },
        { id: `${shop}-l3`, shop, name: "LA Store", kind: "store", shopifyLocationId: "gid://shopify/Location/3" },
        { id: `${shop}-l4`, shop, name: "New DC", kind: "wholesale_dc" },
        { id: `${shop}-l5`, shop, name: "Amazon FBA", kind: "marketplace", readOnly: true },
      ],
    });
    await db.product.create({ data: { id: `${shop}-p1`, shop, title: "Tee" } });
    await db.variant.createMany({
      data: [
        { id: `${shop}-v1`, shop, productId: `${shop}-p1`, sku: "TEE-S", title: "S", shopifyVariantId: "gid://shopify/ProductVariant/1", shopifyInventoryItemId: "gid://shopify/InventoryItem/1" },
        { id: `${shop}-v2`, shop, productId: `${shop}-p1`, sku: "TEE-M", title: "M", shopifyVariantId: "gid://shopify/ProductVariant/2", shopifyInventoryItemId: "gid://shopify/InventoryItem/2" },
        { id: `${shop}-v3`, shop, productId: `${shop}-p1`, sku: "TEE-L", title: "L" },
      ],
    });
  }

  async function seedActivity() {
    const { db } = tdb().handle;
    await db.job.createMany({
      data: [
        job("imp-1", A, "shopify.import", "completed", ago(2 * H), { result: REPORT, finishedAt: ago(2 * H - 5 * MIN), progress: { done: 8, total: 8, message: "imported 2 SKUs and 6 stock levels" } }),
        job("imp-2", A, "shopify.import", "running", ago(5 * MIN), { progress: { done: 250, total: 1000, message: "imported 100 SKUs and 150 stock levels" } }),
        job("j-1", A, "inbound.process", "queued", ago(3 * S)),
        job("j-2", A, "inbound.process", "queued", ago(2 * S)),
        job("j-3", A, "publish.ats", "running", ago(4 * S)),
        job("j-4", A, "publish.ats", "completed", ago(H), { finishedAt: ago(H - S) }),
        // Another shop's: never counted for A.
        job("b-imp", B, "shopify.import", "failed", ago(MIN), { lastError: "DomainError: B is broken" }),
        job("b-1", B, "inbound.process", "queued", ago(S)),
      ],
    });
    await db.inboundEvent.createMany({
      data: [
        // Processed in the last hour: lags 1 s, 2 s, 10 s (orders) and 4 s (inventory).
        event(A, "ORDERS_CREATE", "processed", ago(50 * MIN), { processedAt: ago(50 * MIN - 1 * S) }),
        event(A, "ORDERS_CREATE", "processed", ago(40 * MIN), { processedAt: ago(40 * MIN - 2 * S) }),
        event(A, "ORDERS_CREATE", "processed", ago(30 * MIN), { processedAt: ago(30 * MIN - 10 * S) }),
        event(A, "ORDERS_CREATE", "failed", ago(20 * MIN), { error: "Error: SKU NOPE not found", attempts: 3 }),
        event(A, "INVENTORY_LEVELS_UPDATE", "processed", ago(15 * MIN), { processedAt: ago(15 * MIN - 4 * S) }),
        event(A, "INVENTORY_LEVELS_UPDATE", "quarantined", ago(10 * MIN), { error: "no handler for shopify.webhook:INVENTORY_LEVELS_UPDATE" }),
        // The newest: still waiting.
        event(A, "INVENTORY_LEVELS_UPDATE", "received", ago(10 * S)),
        // Within 24 h but processed more than an hour ago: counted per topic, not in the processing lag.
        event(A, "ORDERS_UPDATED", "processed", ago(3 * H), { processedAt: ago(3 * H - 60 * S) }),
        // Two days old: outside every window.
        event(A, "ORDERS_CREATE", "processed", ago(48 * H), { processedAt: ago(48 * H - S) }),
        // Not Shopify's, and not shop A's.
        event(A, "ORDER_NOTIFICATION", "failed", ago(MIN), { source: "amazon.sqs", error: "amazon broke" }),
        event(B, "ORDERS_CREATE", "failed", ago(MIN), { error: "B broke" }),
        event(B, "ORDERS_CREATE", "received", ago(1 * S)),
      ],
    });
  }

  it("reports linking, the running import, webhook lag, backlog, per-topic error rates and the last errors, for its own shop only", async () => {
    const { db } = tdb().handle;
    await seedShop(A);
    await seedShop(B);
    await seedActivity();
    const s = await connectionStatus(db, A, NOW);

    expect(s.state).toBe("importing");
    expect(s.shop).toEqual({ domain: A, installed: true, installState: "installed", installedAt: ago(30 * 24 * H).toISOString(), uninstalledAt: null });
    expect(s.offlineSession).toBe(true);
    expect(s.locations).toEqual({ linked: 3, unlinked: 1 });
    expect(s.variants).toEqual({ linked: 2, unlinked: 1 });
    expect(s.lastImport).toEqual({
      id: "imp-2",
      status: "running",
      attempts: 0,
      progress: { done: 250, total: 1000, message: "imported 100 SKUs and 150 stock levels" },
      requestedAt: ago(5 * MIN).toISOString(),
      finishedAt: null,
      lastError: null,
      result: null,
    });
    expect(s.lastCompletedImport).toEqual({
      id: "imp-1",
      finishedAt: ago(2 * H - 5 * MIN).toISOString(),
      result: { locations: REPORT.locations, variants: REPORT.variants, levels: REPORT.levels },
    });
    expect(s.webhooks).toEqual({
      lastReceivedAt: ago(10 * S).toISOString(),
      lastTopic: "inventory_levels/update",
      lagMs: 10_000,
      processing: { count: 4, p50Ms: 2_000, maxMs: 10_000 },
    });
    expect(s.backlog).toEqual({
      unprocessed: 1,
      oldestUnprocessedAt: ago(10 * S).toISOString(),
      jobs: [
        { name: "inbound.process", queued: 2, running: 0 },
        { name: "publish.ats", queued: 0, running: 1 },
        { name: "shopify.import", queued: 0, running: 1 },
      ],
    });
    expect(s.topics).toEqual([
      { topic: "ORDERS_CREATE", label: "orders/create", received: 4, processed: 3, failed: 1, quarantined: 0, pending: 0, errorRate: 0.25 },
      { topic: "INVENTORY_LEVELS_UPDATE", label: "inventory_levels/update", received: 3, processed: 1, failed: 0, quarantined: 1, pending: 1, errorRate: 0.5 },
      { topic: "ORDERS_UPDATED", label: "orders/updated", received: 1, processed: 1, failed: 0, quarantined: 0, pending: 0, errorRate: 0 },
    ]);
    expect(s.recentErrors.map((e) => [e.label, e.status, e.error, e.attempts, e.receivedAt])).toEqual([
      ["inventory_levels/update", "quarantined", "no handler for shopify.webhook:INVENTORY_LEVELS_UPDATE", 1, ago(10 * MIN).toISOString()],
      ["orders/create", "failed", "Error: SKU NOPE not found", 3, ago(20 * MIN).toISOString()],
    ]);
    expect(s.reasons).toEqual(["1 location is not linked to Shopify.", "2 webhooks failed or quarantined in the last 24 h."]);
  });

  it("says Connected when all is linked and quiet, and Attention needed when it is not", async () => {
    const { db } = tdb().handle;
    await seedShop(A);
    await db.location.delete({ where: { id: `${A}-l4` } });
    await db.job.create({ data: job("imp-1", A, "shopify.import", "completed", ago(H), { result: REPORT, finishedAt: ago(H - MIN) }) });
    await db.inboundEvent.create({ data: event(A, "ORDERS_CREATE", "processed", ago(MIN), { processedAt: ago(MIN - 500) }) });
    let s = await connectionStatus(db, A, NOW);
    expect(s.state).toBe("connected");
    expect(s.reasons).toEqual([]);
    expect(s.webhooks.processing).toEqual({ count: 1, p50Ms: 500, maxMs: 500 });
    expect(s.topics[0]).toMatchObject({ label: "orders/create", received: 1, errorRate: 0 });

    // A failed resync, and a webhook stuck for 6 minutes.
    await db.job.create({ data: job("imp-2", A, "shopify.import", "failed", ago(30 * MIN), { lastError: "DomainError: bulk operation ended FAILED", finishedAt: ago(29 * MIN) }) });
    await db.inboundEvent.create({ data: event(A, "ORDERS_CREATE", "received", ago(6 * MIN)) });
    s = await connectionStatus(db, A, NOW);
    expect(s.state).toBe("attention");
    expect(s.lastImport).toMatchObject({ id: "imp-2", status: "failed", lastError: "DomainError: bulk operation ended FAILED" });
    expect(s.lastCompletedImport?.id).toBe("imp-1");
    expect(s.reasons).toEqual(["The last import failed: DomainError: bulk operation ended FAILED", "Webhooks have waited more than 5 minutes to be processed."]);
  });

  it("a shop never installed or imported needs attention, with nothing made up", async () => {
    const { db } = tdb().handle;
    const s = await connectionStatus(db, "new.myshopify.com", NOW);
    expect(s).toMatchObject({
      state: "attention",
      shop: { installed: false, installState: "not installed", installedAt: null },
      offlineSession: false,
      locations: { linked: 0, unlinked: 0 },
      lastImport: null,
      lastCompletedImport: null,
      webhooks: { lastReceivedAt: null, lagMs: null, processing: { count: 0, p50Ms: null, maxMs: null } },
      backlog: { unprocessed: 0, oldestUnprocessedAt: null, jobs: [] },
      topics: [],
      recentErrors: [],
    });
    expect(s.reasons).toEqual(["The app is not installed on this shop.", "No offline access token: reinstall the app.", "The shop has never been imported."]);
  });

  it("queues one resync at a time: a queued or running import is returned instead, and simultaneous clicks add one job", async () => {
    const { db } = tdb().handle;
    const queue = createInProcessRunner({ db, logger: memoryLogger() }); // not started: add() only writes rows
    const first = await requestShopifyResync({ db, queue }, A);
    expect(first.alreadyActive).toBe(false);
    const again = await requestShopifyResync({ db, queue }, A);
    expect(again).toEqual({ jobId: first.jobId, alreadyActive: true });
    expect(await db.job.findUniqueOrThrow({ where: { id: first.jobId } })).toMatchObject({ name: "shopify.import", shop: A, status: "queued", concurrencyKey: `shopify-import:${A}` });

    await db.job.update({ where: { id: first.jobId }, data: { status: "completed", finishedAt: NOW } });
    const clicks = await Promise.all([requestShopifyResync({ db, queue }, A), requestShopifyResync({ db, queue }, A), requestShopifyResync({ db, queue }, A)]);
    expect(new Set(clicks.map((c) => c.jobId)).size).toBe(1);
    expect(clicks[0]!.jobId).not.toBe(first.jobId);
    expect(await db.job.count({ where: { shop: A, name: "shopify.import" } })).toBe(2);
    // Another shop's import does not block this one's.
    const other = await requestShopifyResync({ db, queue }, B);
    expect(other.alreadyActive).toBe(false);
  });
});

it("names topics as Shopify does", () => {
  expect(webhookTopicLabel("ORDERS_CREATE")).toBe("orders/create");
  expect(webhookTopicLabel("FULFILLMENT_ORDERS_ORDER_ROUTING_COMPLETE")).toBe("fulfillment_orders/order_routing_complete");
  expect(webhookTopicLabel("INVENTORY_ITEMS_UPDATE")).toBe("inventory_items/update");
  expect(webhookTopicLabel("BULK_OPERATIONS_FINISH")).toBe("bulk_operations/finish");
  expect(webhookTopicLabel("APP_UNINSTALLED")).toBe("app/uninstalled");
  expect(webhookTopicLabel("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
  expect(webhookTopicLabel("orders/create")).toBe("orders/create");
});
