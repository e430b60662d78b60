/**
 * Shopify connector throughput against the sandbox peer — `npm run bench:shopify` (prints figures;
 * not a test).  See bench/README.md, section "Shopify".
 *
 * One peer (connectors/shopify/sandbox) seeded with --skus SKUs × --locations locations (default
 * 2 000 × 10 = 20 000 inventory levels, `available` 0..50 from a fixed-seed PRNG), restore rate
 * --restore-rate (100 points/s) and bucket --bucket (1 000).  The real client (createAdminClient +
 * fetch transport + an in-memory token bucket) talks to it over HTTP.  Before every phase the peer's
 * bucket is left to fill up again, its counters are reset and a fresh client (fresh local bucket) is
 * made, so each phase starts on a full bucket, like a job arriving at an idle shop.
 *
 * Phases:
 *  1. import: importShopifyShop (locations paged, one bulk operation, JSONL streamed into a temp
 *     SQLite hub database);
 *  2. paging (comparison): LOCATION_INVENTORY_LEVELS with the largest `first` under the 1 000-point
 *     single-query cap, for --page-limit pages only, then extrapolated to all levels;
 *  3. push, hub knows Shopify's value: 5 000 compare-and-set rows with inventorySetQuantities
 *     (@idempotent), in batches of each --batch size (≤ 250, Shopify's input limit), --workers
 *     concurrent callers sharing one client;
 *  4. push, read before write: INVENTORY_ITEM_LEVELS per item for its current quantities, then
 *     batches of 250 rows — capped at --read-items items and extrapolated to 5 000 rows.
 *
 * Utilisation: `util` = points used ÷ (restore rate × wall s); `steady` = (points used − bucket
 * at start) ÷ (restore rate × wall s), i.e. the share of what was restored during the phase that
 * was used — the figure the ≥ 90 % goal is about (printed only when a phase used more than the
 * starting bucket; otherwise the bucket never ran dry and the restore rate was not the limit).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { ASSUMED_LIMITS, createAdminClient, type AdminClient } from "#connectors/shopify/client/admin-client";
import { INVENTORY_ITEM_LEVELS, LOCATION_INVENTORY_LEVELS } from "#connectors/shopify/client/documents";
import { createFetchTransport } from "#connectors/shopify/client/fetch-transport";
import { idempotencyKey, setInventoryQuantities, type CasQuantity } from "#connectors/shopify/client/operations";
import { startShopifySandbox, type SandboxSeed, type SandboxStats, type ShopifySandbox } from "#connectors/shopify/sandbox/index";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { createDb } from "#app/platform/db/client.server";
import { migrate } from "#app/platform/db/migrate.server";
import { createLogger } from "#app/platform/logger.server";

const ROOT = path.resolve(import.meta.dirname, "..");
const SHOP = "bench-shop.myshopify.com";
/** Shopify's limit on `quantities` of one inventorySetQuantities input (the peer does not enforce it). */
const MAX_INPUT_ROWS = 250;
/** Single-query cap on the requested cost. */
const MAX_QUERY_COST = 1_000;

const { values: args } = parseArgs({
  options: {
    skus: { type: "string", default: "2000" },
    locations: { type: "string", default: "10" },
    changes: { type: "string", default: "5000" },
    "restore-rate": { type: "string", default: "100" },
    bucket: { type: "string", default: "1000" },
    workers: { type: "string", default: "4" },
    batch: { type: "string", default: "250,100,50" },
    "page-limit": { type: "string", default: "4" },
    "read-items": { type: "string", default: "50" },
    "poll-ms": { type: "string", default: "100" },
    json: { type: "boolean", default: false },
  },
});
const int = (v: string | undefined, name: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name}: a positive integer, got ${v}`);
  return n;
};
const opt = {
  skus: int(args.skus, "skus"),
  locations: int(args.locations, "locations"),
  changes: int(args.changes, "changes"),
  restoreRate: int(args["restore-rate"], "restore-rate"),
  bucket: int(args.bucket, "bucket"),
  workers: int(args.workers, "workers"),
  batches: args.batch!.split(",").map((b) => Math.min(MAX_INPUT_ROWS, int(b, "batch"))),
  pageLimit: int(args["page-limit"], "page-limit"),
  readItems: int(args["read-items"], "read-items"),
  pollMs: int(args["poll-ms"], "poll-ms"),
  json: args.json!,
};

function prng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function benchSeed(): SandboxSeed {
  const rnd = prng(20261202);
  const locations = Array.from({ length: opt.locations }, (_, i) => ({
    key: `L${i}`,
    name: `Location ${String(i).padStart(2, "0")}`,
    city: "Springfield",
    province: "IL",
    countryCode: "US",
    zip: "62701",
    latitude: 30 + i,
    longitude: -100 + i,
  }));
  const perProduct = 5;
  const products: SandboxSeed["products"] = [];
  for (let p = 0; p * perProduct < opt.skus; p++) {
    const variants = [];
    for (let v = 0; v < perProduct && p * perProduct + v < opt.skus; v++) variants.push({ sku: `SKU-${String(p * perProduct + v).padStart(5, "0")}`, title: `V${v}`, price: 10 });
    products.push({ title: `Product ${p}`, tags: [`cat-${p % 20}`], variants });
  }
  const levels: SandboxSeed["levels"] = [];
  for (const prod of products) for (const v of prod.variants) for (const l of locations) levels.push({ sku: v.sku, location: l.key, available: Math.floor(rnd() * 51) });
  return { shop: { name: "Bench Outfitters", currencyCode: "USD" }, locations, products, levels };
}

// ---------------------------------------------------------------------------------------------

interface Phase {
  name: string;
  wallMs: number;
  /** Rows imported / changed / paged in this phase. */
  rows: number;
  stats: SandboxStats;
  bucketAtStart: number;
  failedCalls: number;
  note?: string;
  extrapolated?: { rows: number; points: number; wallS: number };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

/** Waits for a full peer bucket, resets its counters; returns the points available at the start. */
async function freshStart(sandbox: ShopifySandbox): Promise<number> {
  while (sandbox.throttleStatus().currentlyAvailable < opt.bucket) await sleep(100);
  sandbox.resetStats();
  return sandbox.throttleStatus().currentlyAvailable;
}

async function runPhase(sandbox: ShopifySandbox, name: string, body: (client: AdminClient) => Promise<{ rows: number; failedCalls?: number; note?: string; extrapolated?: Phase["extrapolated"] }>): Promise<Phase> {
  const bucketAtStart = await freshStart(sandbox);
  const client = makeClient(sandbox);
  const t0 = performance.now();
  const r = await body(client);
  const wallMs = performance.now() - t0;
  const phase: Phase = { name, wallMs, rows: r.rows, stats: sandbox.stats(), bucketAtStart, failedCalls: r.failedCalls ?? 0, note: r.note, extrapolated: r.extrapolated };
  if (!opt.json) console.error(`  done: ${name} (${(wallMs / 1000).toFixed(1)} s)`);
  return phase;
}

/** Runs `task` for every item with `n` concurrent workers; counts failures instead of stopping. */
async function pool<T>(items: T[], n: number, task: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        try {
          await task(item);
        } catch (e) {
          failed++;
          if (failed <= 3) console.error(`  failed call: ${(e as Error).message}`);
        }
      }
    }),
  );
  return failed;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set (run through ./oms bench shopify, or export it)");
  const load0 = os.loadavg();
  const seed = benchSeed();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "oms-bench-shopify-"));
  const url = `file:${path.join(tmp, "hub.sqlite")}`;
  const log = (s: string) => {
    if (!opt.json) console.error(s);
  };
  log(`seeding the peer: ${seed.levels.length} levels (${opt.skus} SKUs × ${opt.locations} locations); hub: ${url}`);
  const sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed, apiSecret: "bench", restoreRate: opt.restoreRate, bucketSize: opt.bucket, bulk: { startDelayMs: 0 } });
  await migrate(url, ROOT);
  const hub = createDb(url);
  const phases: Phase[] = [];
  try {
    // 1. Import through the bulk operation.
    let importedLevels = 0;
    phases.push(
      await runPhase(sandbox, "import (bulk operation)", async (client) => {
        const t0 = performance.now();
        let bulkReadyMs = 0;
        // The poll that sees COMPLETED reports "…: completed, N objects": from then on it is the hub's writes.
        const progress = async (_done: number, _total: number, message: string) => {
          if (!bulkReadyMs && message.includes(": completed,")) bulkReadyMs = performance.now() - t0;
        };
        const r = await importShopifyShop({ db: hub.db, now: () => new Date(), logger: createLogger({ level: "warn", format: "json" }), client, pollMs: opt.pollMs, progress }, SHOP);
        importedLevels = r.levels.seen;
        const totalMs = performance.now() - t0;
        return {
          rows: r.levels.seen,
          note: `${r.variants.created} variants, ${r.levels.changed} levels written; bulk result ready after ${(bulkReadyMs / 1000).toFixed(1)} s (poll ${opt.pollMs} ms), streaming into the hub ${((totalMs - bulkReadyMs) / 1000).toFixed(1)} s`,
        };
      }),
    );
    if (importedLevels !== seed.levels.length) throw new Error(`imported ${importedLevels} levels, expected ${seed.levels.length}`);

    // Shopify ids and current quantities, from the hub (what the import stored).
    const locs = await hub.db.location.findMany({ where: { shop: SHOP }, orderBy: { name: "asc" } });
    const variants = await hub.db.variant.findMany({ where: { shop: SHOP }, orderBy: { sku: "asc" } });
    const levels = await hub.db.inventoryLevel.findMany({ where: { variantId: { in: variants.map((v) => v.id) } } });
    const locGid = new Map(locs.map((l) => [l.id, l.shopifyLocationId!]));
    const current = new Map<string, number>(); // `${itemGid}|${locationGid}` → available at Shopify
    for (const lv of levels) {
      const v = variants.find((x) => x.id === lv.variantId);
      if (v?.shopifyInventoryItemId) current.set(`${v.shopifyInventoryItemId}|${locGid.get(lv.locationId)}`, lv.available);
    }
    const items = variants.map((v) => v.shopifyInventoryItemId!).filter(Boolean);

    // 2. The paginated alternative, capped.
    phases.push(
      await runPhase(sandbox, `paging LOCATION_INVENTORY_LEVELS (${opt.pageLimit} pages)`, async (client) => {
        // location 1 + connection 2 + first × (level 1 + item 1 + 8 quantities) ≤ 1000.
        const perRow = 10;
        const first = Math.min(250, Math.floor((MAX_QUERY_COST - 3) / perRow));
        let rows = 0;
        let pages = 0;
        outer: for (const l of locs) {
          for await (const page of client.pages(LOCATION_INVENTORY_LEVELS, { locationId: l.shopifyLocationId!, first }, (d) => d.location?.inventoryLevels)) {
            rows += page.nodes.length;
            if (++pages >= opt.pageLimit) break outer;
          }
        }
        const s = sandbox.stats();
        const perLevel = s.pointsUsed / rows;
        const totalPoints = perLevel * seed.levels.length;
        return {
          rows,
          note: `first: ${first}, ${pages} pages, requested ${s.pointsRequested / s.executed} pts/page`,
          extrapolated: { rows: seed.levels.length, points: Math.round(totalPoints), wallS: Math.max(0, totalPoints - opt.bucket) / opt.restoreRate },
        };
      }),
    );

    // 3. Push: the hub knows Shopify's current value (changeFromQuantity from the hub).
    const changeSet: { item: string; location: string }[] = [];
    for (const item of items) {
      for (const l of locs) {
        if (changeSet.length >= opt.changes) break;
        changeSet.push({ item, location: l.shopifyLocationId! });
      }
    }
    let round = 0;
    for (const batch of opt.batches) {
      round++;
      const chunks: { item: string; location: string }[][] = [];
      for (let i = 0; i < changeSet.length; i += batch) chunks.push(changeSet.slice(i, i + batch));
      phases.push(
        await runPhase(sandbox, `push ${changeSet.length} rows, batch ${batch}, ${opt.workers} workers`, async (client) => {
          let n = 0;
          const failed = await pool(chunks, opt.workers, async (chunk) => {
            const k = n++;
            const quantities: CasQuantity[] = chunk.map((c) => {
              const from = current.get(`${c.item}|${c.location}`)!;
              return { inventoryItemId: c.item, locationId: c.location, quantity: from + 1, changeFromQuantity: from };
            });
            await setInventoryQuantities(client, { name: "available", reason: "correction", referenceDocumentUri: `gid://oms/Bench/${round}-${k}`, quantities }, idempotencyKey("bench-push", SHOP, Date.now(), round, k));
            for (const q of quantities) current.set(`${q.inventoryItemId}|${q.locationId}`, q.quantity);
          });
          return { rows: changeSet.length, failedCalls: failed, note: `${chunks.length} mutations` };
        }),
      );
    }

    // 4. Push, reading each item's levels first (the hub does not know Shopify's value).
    const readItems = items.slice(0, opt.readItems);
    phases.push(
      await runPhase(sandbox, `read+push ${readItems.length} items (capped), ${opt.workers} workers`, async (client) => {
        let pending: CasQuantity[] = [];
        let rows = 0;
        let k = 0;
        const flush = async (rowsToSend: CasQuantity[]) => {
          const key = k++;
          await setInventoryQuantities(client, { name: "available", reason: "correction", referenceDocumentUri: `gid://oms/Bench/read-${key}`, quantities: rowsToSend }, idempotencyKey("bench-read-push", SHOP, Date.now(), key));
          rows += rowsToSend.length;
        };
        let failed = await pool(readItems, opt.workers, async (item) => {
          const data = await client.query(INVENTORY_ITEM_LEVELS, { inventoryItemId: item, first: opt.locations });
          for (const lv of data.inventoryItem?.inventoryLevels.nodes ?? []) {
            const from = lv.quantities.find((q) => q.name === "available")?.quantity ?? 0;
            pending.push({ inventoryItemId: item, locationId: lv.location.id, quantity: from + 1, changeFromQuantity: from });
          }
          if (pending.length >= MAX_INPUT_ROWS) {
            const send = pending.slice(0, MAX_INPUT_ROWS);
            pending = pending.slice(MAX_INPUT_ROWS);
            await flush(send);
          }
        });
        if (pending.length) {
          try {
            await flush(pending);
          } catch (e) {
            failed++;
            console.error(`  failed call: ${(e as Error).message}`);
          }
        }
        const s = sandbox.stats();
        const perRow = s.pointsUsed / rows;
        const points = perRow * opt.changes;
        return {
          rows,
          failedCalls: failed,
          note: `${s.queries} reads, ${s.mutations} mutations`,
          extrapolated: { rows: opt.changes, points: Math.round(points), wallS: Math.max(0, points - opt.bucket) / opt.restoreRate },
        };
      }),
    );
  } finally {
    await hub.close().catch(() => undefined);
    await sandbox.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const load1 = os.loadavg();

  const rows = phases.map((p) => {
    const wallS = p.wallMs / 1000;
    const used = p.stats.pointsUsed;
    const util = used / (opt.restoreRate * wallS);
    const steady = used > p.bucketAtStart ? (used - p.bucketAtStart) / (opt.restoreRate * wallS) : null;
    return {
      phase: p.name,
      wallS: +wallS.toFixed(2),
      rows: p.rows,
      rowsPerS: +(p.rows / wallS).toFixed(1),
      requests: p.stats.requests,
      pointsUsed: used,
      pointsRequested: p.stats.pointsRequested,
      bucketAtStart: p.bucketAtStart,
      util: +util.toFixed(3),
      steadyUtil: steady === null ? null : +steady.toFixed(3),
      throttled: p.stats.throttled,
      failedCalls: p.failedCalls,
      note: p.note ?? "",
      extrapolated: p.extrapolated ?? null,
    };
  });
  const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", ramGb: +(os.totalmem() / 2 ** 30).toFixed(1), loadStart: load0.map((l) => +l.toFixed(2)), loadEnd: load1.map((l) => +l.toFixed(2)) };
  const config = { levels: opt.skus * opt.locations, skus: opt.skus, locations: opt.locations, changes: opt.changes, restoreRate: opt.restoreRate, bucket: opt.bucket, workers: opt.workers };

  if (opt.json) {
    console.log(JSON.stringify({ config, phases: rows, machine }, null, 2));
    return;
  }
  console.log(`\nShopify peer: ${config.levels} levels, restore ${opt.restoreRate} pts/s, bucket ${opt.bucket}; ${opt.workers} workers share one client`);
  const head = ["phase", "wall s", "rows", "rows/s", "reqs", "pts used", "util", "steady", "thr", "fail"];
  const table = rows.map((r) => [r.phase, r.wallS.toFixed(2), String(r.rows), r.rowsPerS.toFixed(1), String(r.requests), String(r.pointsUsed), `${(r.util * 100).toFixed(1)}%`, r.steadyUtil === null ? "—" : `${(r.steadyUtil * 100).toFixed(1)}%`, String(r.throttled), String(r.failedCalls)]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(head));
  for (const t of table) console.log(line(t));
  console.log("");
  for (const r of rows) {
    const ex = r.extrapolated ? `; extrapolated to ${r.extrapolated.rows} rows: ~${r.extrapolated.points} pts, ~${r.extrapolated.wallS.toFixed(0)} s at ${opt.restoreRate} pts/s after the first bucket` : "";
    console.log(`  ${r.phase}: ${r.note}${ex}`);
  }
  console.log("\nutil = points used ÷ (restore rate × wall s); steady = (points used − bucket at start) ÷ (restore rate × wall s), shown when the phase used more than the starting bucket.");
  console.log(`node ${machine.node}, ${machine.cpus} × ${machine.cpu}, ${machine.ramGb} GB; load average ${machine.loadStart.join(" ")} → ${machine.loadEnd.join(" ")}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
