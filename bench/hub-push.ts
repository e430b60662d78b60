/**
 * One hub count at a hub-owned location, to Shopify — `npm run bench:hub-push` / `./oms bench hub-push`
 * (prints figures; not a test).  See bench/README.md, section "Hub-owned location push".
 *
 * The Shopify sandbox peer holds --items SKUs at one location ("Reno 3PL", default 350 — the demo's
 * size) plus one other, with Shopify's Standard-plan bucket (restore 100 points/s, bucket 1 000).
 * The hub (a temporary, migrated SQLite file) imports it, makes Reno 3PL hub-owned and lets the
 * reconciling push run.  Then, on a full bucket each time, one count (setHubCount) is taken to
 * Shopify:
 *  - before: the push as it was until this bench (commit a7ae514, shopify-inventory-push.server.ts):
 *    every level at the location read with LOCATION_INVENTORY_LEVELS (all eight quantity names,
 *    90 levels a page, the import's page size), then the differing rows written — reproduced here
 *    for the comparison, the write path is the same compare-and-set call;
 *  - after: pushHubInventory with the payload the count queued (scope "changed").
 * Wall time runs from the count to the peer holding the new on_hand.  The outbox's coalescing
 * window (PUSH_WINDOW_MS) and the job runner's poll come on top in the app, the same for both.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { ASSUMED_LIMITS, createAdminClient, type AdminClient } from "#connectors/shopify/client/admin-client";
import { LOCATION_INVENTORY_LEVELS } from "#connectors/shopify/client/documents";
import { createFetchTransport } from "#connectors/shopify/client/fetch-transport";
import { idempotencyKey, setInventoryQuantities } from "#connectors/shopify/client/operations";
import { startShopifySandbox, type SandboxSeed, type SandboxStats, type ShopifySandbox } from "#connectors/shopify/sandbox/index";
import { PUSH_WINDOW_MS, setHubCount, setLocationStockSource, type InventoryPushJob } from "#app/modules/inventory/index";
import { createDb, type Db } from "#app/platform/db/client.server";
import { migrate } from "#app/platform/db/migrate.server";
import { createLogger } from "#app/platform/logger.server";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { pushHubInventory } from "#app/workflows/shopify-inventory-push.server";

const ROOT = path.resolve(import.meta.dirname, "..");
const SHOP = "bench-hub-push.myshopify.com";
const HUB_LOCATION = "Reno 3PL";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "350" },
    counts: { type: "string", default: "3" },
    "restore-rate": { type: "string", default: "100" },
    bucket: { type: "string", default: "1000" },
    json: { type: "boolean", default: false },
  },
});
const int = (v: string | undefined, name: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name}: a positive integer, got ${v}`);
  return n;
};
const opt = { items: int(args.items, "items"), counts: int(args.counts, "counts"), restoreRate: int(args["restore-rate"], "restore-rate"), bucket: int(args.bucket, "bucket"), json: args.json! };
const log = (s: string) => {
  if (!opt.json) console.error(s);
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function seed(): SandboxSeed {
  const locations = [
    { key: "reno", name: HUB_LOCATION, city: "Reno", province: "NV", countryCode: "US", zip: "89502", latitude: 39.5, longitude: -119.8 },
    { key: "other", name: "Other DC", city: "Columbus", province: "OH", countryCode: "US", zip: "43215", latitude: 39.96, longitude: -83 },
  ];
  const products: SandboxSeed["products"] = [];
  const levels: SandboxSeed["levels"] = [];
  for (let i = 0; i < opt.items; i++) {
    const sku = `HUB-${String(i).padStart(4, "0")}`;
    products.push({ title: `Item ${i}`, tags: [], variants: [{ sku, title: "Default", price: 10 }] });
    levels.push({ sku, location: "reno", available: (i * 7) % 40 }, { sku, location: "other", available: (i * 3) % 25 });
  }
  return { shop: { name: "Bench Hub Push", currencyCode: "USD" }, locations, products, levels };
}

function makeClient(sandbox: ShopifySandbox): AdminClient {
  return createAdminClient({
    shop: SHOP,
    transport: createFetchTransport({ baseUrl: sandbox.url, shop: SHOP, apiVersion: sandbox.apiVersion, accessToken: sandbox.accessToken }),
    buckets: createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now: systemClock.now, sleep: systemClock.sleep }),
    now: systemClock.now,
    sleep: systemClock.sleep,
    random: systemClock.random,
  });
}

/** The push before this change (commit a7ae514), for the "before" figure: read every level, write what differs. */
async function pushBefore(db: Db, client: AdminClient, locationId: string) {
  const location = await db.location.findFirstOrThrow({ where: { id: locationId } });
  const levels = await db.inventoryLevel.findMany({ where: { shop: SHOP, locationId }, select: { variantId: true, onHand: true } });
  const variants = await db.variant.findMany({ where: { shop: SHOP, id: { in: levels.map((l) => l.variantId) } }, select: { id: true, shopifyInventoryItemId: true } });
  const itemOf = new Map(variants.map((v) => [v.id, v.shopifyInventoryItemId!]));
  const shopifyOnHand = new Map<string, number>();
  for await (const page of client.pages(LOCATION_INVENTORY_LEVELS, { locationId: location.shopifyLocationId!, first: 90 }, (d) => d.location?.inventoryLevels)) {
    for (const node of page.nodes) shopifyOnHand.set(node.item.id, node.quantities.find((q) => q.name === "on_hand")!.quantity);
  }
  const rows = levels.map((l) => ({ item: itemOf.get(l.variantId)!, onHand: l.onHand })).filter((r) => shopifyOnHand.get(r.item) !== r.onHand);
  const quantities = rows.map((r) => ({ inventoryItemId: r.item, locationId: location.shopifyLocationId!, quantity: r.onHand, changeFromQuantity: shopifyOnHand.get(r.item) ?? 0 }));
  if (quantities.length) {
    await setInventoryQuantities(client, { name: "on_hand", reason: "correction", referenceDocumentUri: `gid://oms/Location/${locationId}`, quantities }, idempotencyKey("bench-before", SHOP, ...quantities.flatMap((q) => [q.inventoryItemId, q.quantity, q.changeFromQuantity])));
  }
  return { read: shopifyOnHand.size, pushed: quantities.length };
}

interface Run {
  name: string;
  wallMs: number;
  stats: SandboxStats;
  result: unknown;
}

async function main() {
  const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set (run through ./oms bench hub-push, or export it)");
  const load0 = os.loadavg();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "oms-bench-hub-push-"));
  const url = `file:${path.join(tmp, "hub.sqlite")}`;
  const sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed: seed(), apiSecret: "bench", restoreRate: opt.restoreRate, bucketSize: opt.bucket, bulk: { startDelayMs: 0 } });
  await migrate(url, ROOT);
  const hub = createDb(url);
  const db = hub.db;
  const logger = createLogger({ level: "warn", format: "json" });
  const deps = { db, now: () => new Date() };
  const runs: Run[] = [];
  /** Every run starts on a full bucket with fresh counters and a fresh client (an idle shop). */
  const measure = async (name: string, body: (client: AdminClient) => Promise<unknown>) => {
    while (sandbox.throttleStatus().currentlyAvailable < opt.bucket) await sleep(100);
    sandbox.resetStats();
    const client = makeClient(sandbox);
    const t0 = performance.now();
    const result = await body(client);
    const run = { name, wallMs: performance.now() - t0, stats: sandbox.stats(), result };
    runs.push(run);
    log(`  ${name}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.stats.pointsUsed} points, ${run.stats.requests} requests`);
    return run;
  };
  try {
    log(`importing ${opt.items} items × 2 locations into ${url}`);
    await importShopifyShop({ db, now: () => new Date(), logger, client: makeClient(sandbox), pollMs: 50 }, SHOP);
    const reno = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: HUB_LOCATION } });
    const variants = await db.variant.findMany({ where: { shop: SHOP }, orderBy: { sku: "asc" } });
    const peerOnHand = (sku: string) => sandbox.store.level(sandbox.store.variantBySkuOf(sku)!.itemN, sandbox.store.locations.find((l) => l.name === HUB_LOCATION)!.n)!.q.on_hand;

    await setLocationStockSource(deps, SHOP, HUB_LOCATION, "hub");
    await measure("reconcile: made hub-owned (scope all)", (client) => pushHubInventory({ db, logger, client }, { shop: SHOP, locationId: reno.id, scope: "all" }));

    /** One count, then the push; wall = count → the peer holds it. */
    const countThenPush = async (name: string, i: number, push: (client: AdminClient) => Promise<unknown>) => {
      const sku = variants[(i * 37) % variants.length]!.sku;
      const target = peerOnHand(sku) + 5;
      return measure(name, async (client) => {
        await setHubCount(deps, SHOP, { locationRef: HUB_LOCATION, sku, onHand: target, reason: "bench count", actor: "bench" });
        const r = await push(client);
        if (peerOnHand(sku) !== target) throw new Error(`${name}: the peer has ${peerOnHand(sku)} for ${sku}, expected ${target}`);
        return r;
      });
    };
    for (let i = 0; i < opt.counts; i++) await countThenPush(`before: one count, full read (#${i + 1})`, i, (client) => pushBefore(db, client, reno.id));
    await measure("before: reconcile, nothing to change", (client) => pushBefore(db, client, reno.id));
    // Also records what Shopify holds for the levels the "before" pushes set (they kept no record).
    await measure("after: reconcile, nothing to change (scope all)", (client) => pushHubInventory({ db, logger, client }, { shop: SHOP, locationId: reno.id, scope: "all" }));
    for (let i = 0; i < opt.counts; i++) {
      await countThenPush(`after: one count, scope changed (#${i + 1})`, opt.counts + i, async (client) => {
        // The payload the count queued, as the outbox relay hands it to the job.
        const row = await db.outboxMessage.findFirstOrThrow({ where: { topic: "shopify.pushInventory", dispatchedAt: null }, orderBy: { createdAt: "desc" } });
        await db.outboxMessage.updateMany({ where: { topic: "shopify.pushInventory", dispatchedAt: null }, data: { dispatchedAt: new Date() } });
        return pushHubInventory({ db, logger, client }, JSON.parse(row.payload) as InventoryPushJob);
      });
    }
  } finally {
    await hub.close().catch(() => undefined);
    await sandbox.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const load1 = os.loadavg();
  const rows = runs.map((r) => ({
    run: r.name,
    wallS: +(r.wallMs / 1000).toFixed(3),
    requests: r.stats.requests,
    pointsUsed: r.stats.pointsUsed,
    throttled: r.stats.throttled,
    operations: r.stats.operations,
    result: r.result,
  }));
  const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", loadStart: load0.map((l) => +l.toFixed(2)), loadEnd: load1.map((l) => +l.toFixed(2)) };
  if (opt.json) {
    console.log(JSON.stringify({ config: { ...opt, pushWindowMs: PUSH_WINDOW_MS }, runs: rows, machine }, null, 2));
    return;
  }
  console.log(`\nHub-owned location "${HUB_LOCATION}": ${opt.items} items; Shopify peer restore ${opt.restoreRate} pts/s, bucket ${opt.bucket}; every run starts on a full bucket`);
  const head = ["run", "wall s", "reqs", "pts used", "thr", "calls (points)"];
  const table = rows.map((r) => [r.run, r.wallS.toFixed(3), String(r.requests), String(r.pointsUsed), String(r.throttled), Object.entries(r.operations).map(([op, o]) => `${op} ×${o.calls} (${o.pointsUsed})`).join(", ")]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(head));
  for (const t of table) console.log(line(t));
  console.log(`\nIn the app the count's push waits for its coalescing window (${PUSH_WINDOW_MS} ms) and the job runner's poll first, for both.`);
  console.log(`node ${machine.node}, ${machine.cpus} × ${machine.cpu}; load average ${machine.loadStart.join(" ")} → ${machine.loadEnd.join(" ")}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
