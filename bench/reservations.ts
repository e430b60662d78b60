/**
 * Reservation benchmark (not a test): prints figures, asserts nothing but "no errors".
 *
 *   npm run bench:reservations [-- --db sqlite|postgresql|both] [--orders N] [--pg-url URL]
 *
 * For each database: migrate, bulk-seed one shop (10 000 SKUs × 20 locations, 10 channels), then
 *   1. reserveOrder throughput/latency with 1 and with 8 worker processes (test/support/workers/
 *      reserve-worker.ts, all started together through a GO file);
 *   2. ATS recomputation for one SKU across the 10 channels: computeAts alone (stock in memory),
 *      and the full path with the database read (loadSkuStock + listOverrides + 10 × computeAts).
 * What it measures and how to read it: bench/README.md
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import {
  computeAts,
  listOverrides,
  loadSkuStock,
  toChannelPolicy,
  type ChannelPolicy,
  type PolicyOverride,
  type SkuStock,
} from "#app/modules/inventory/index";
import { createDb, type Db, type Provider } from "#app/platform/db/client.server";
import { migrate } from "#app/platform/db/migrate.server";
import { runReserveWorkers } from "#test/support/workers/run-reserve-workers";

const ROOT = path.resolve(import.meta.dirname, "..");
const SHOP = "bench.myshopify.com";
const SKUS = 10_000;
const LOCATIONS = 20;
const CHANNELS = 10;
const CHUNK = 5_000;
const ATS_COMPUTE_REPS = 2_000;
const ATS_FULL_REPS = 500;
const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres";

// ── options ──────────────────────────────────────────────────────────────────────────────────

const USAGE = "usage: tsx bench/reservations.ts [--db sqlite|postgresql|both] [--orders N | --orders N1,N8] [--analyze] [--pg-url URL]";

interface Options {
  providers: Provider[];
  explicitPostgres: boolean;
  orders1: number;
  orders8: number;
  /**
   * Run ANALYZE on SQLite after seeding, so its planner has statistics (the app never runs it, and
   * SQLite never does on its own).  Postgres is always analyzed: autovacuum would do it within a
   * minute of a bulk load, and without it the plans depend on when autovacuum happened to run.
   */
  analyze: boolean;
  pgUrl: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: "string", default: "both" },
      orders: { type: "string" },
      "pg-url": { type: "string" },
      analyze: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const db = values.db ?? "both";
  if (!["sqlite", "postgresql", "both"].includes(db)) throw new Error(`--db must be sqlite, postgresql or both (got "${db}")\n${USAGE}`);
  const providers: Provider[] = db === "both" ? ["sqlite", "postgresql"] : [db as Provider];
  // --orders N: N orders for both runs; --orders N1,N8: one count per run.  Default 2 000 / 4 000.
  let orders1 = 2_000;
  let orders8 = 4_000;
  if (values.orders !== undefined) {
    const parts = values.orders.split(",").map((s) => Number(s.trim()));
    if (parts.length > 2 || parts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--orders must be N or N1,N8 (positive integers)\n${USAGE}`);
    orders1 = parts[0]!;
    orders8 = parts[1] ?? parts[0]!;
  }
  const envPg = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : undefined;
  return { providers, explicitPostgres: db === "postgresql", orders1, orders8, analyze: values.analyze ?? false, pgUrl: values["pg-url"] ?? envPg ?? DEFAULT_PG_URL };
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

/** mulberry32: a small fixed-seed PRNG so every run seeds and orders the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const skuName = (i: number) => `BENCH-${String(i).padStart(5, "0")}`;

/** Nearest-rank percentile of an ascending array. */
function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const f = (n: number, digits = 1) => n.toFixed(digits);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function chunked<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

// ── cleanup (also on failure and on Ctrl-C) ──────────────────────────────────────────────────

const cleanups: (() => Promise<void> | void)[] = [];
const children = new Set<ChildProcess>();

async function runCleanups() {
  for (const c of children) c.kill("SIGKILL");
  children.clear();
  while (cleanups.length) {
    const c = cleanups.pop()!;
    try {
      await c();
    } catch (e) {
      console.error(`cleanup failed: ${(e as Error).message}`);
    }
  }
}

// `on`, not `once`: tsx relays the signal it gets, so a second one often follows the first; it must
// not kill the process halfway through cleaning up.
let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${sig}: cleaning up`);
    void runCleanups().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
  });
}

// ── databases ────────────────────────────────────────────────────────────────────────────────

async function postgresReachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A fresh database; its removal is registered before anything else can fail. */
async function createDatabase(provider: Provider, pgUrl: string): Promise<{ url: string; label: string }> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-bench-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "bench.sqlite");
    return { url: `file:${file}`, label: file };
  }
  const name = `oms_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), label: `database ${name}` };
}

// ── seed ─────────────────────────────────────────────────────────────────────────────────────

interface Seeded {
  channelIds: string[];
  overrides: number;
}

async function seed(db: Db): Promise<Seeded> {
  const rnd = prng(20_260_101);
  const now = new Date();
  const cats = 20;

  const locations = Array.from({ length: LOCATIONS }, (_, i) => ({
    id: randomUUID(),
    shop: SHOP,
    name: `Location ${String(i + 1).padStart(2, "0")}`,
    kind: i < 4 ? "warehouse" : i < 18 ? "store" : "3pl",
    updatedAt: now,
  }));
  await db.location.createMany({ data: locations });

  const products = Array.from({ length: SKUS }, (_, i) => ({
    id: randomUUID(),
    shop: SHOP,
    title: `Product ${i}`,
    tags: `bench,cat-${i % cats}`,
    updatedAt: now,
  }));
  await chunked(products, (data) => db.product.createMany({ data }));

  const variants = products.map((p, i) => ({ id: randomUUID(), shop: SHOP, productId: p.id, sku: skuName(i), title: skuName(i), updatedAt: now }));
  await chunked(variants, (data) => db.variant.createMany({ data }));

  const levels = variants.flatMap((v) =>
    locations.map((l) => {
      const available = int(rnd, 0, 50);
      return { id: randomUUID(), shop: SHOP, variantId: v.id, locationId: l.id, available, onHand: available, updatedAt: now };
    }),
  );
  await chunked(levels, (data) => db.inventoryLevel.createMany({ data }));

  // Ten channels, all holding stock in the hub, all eligible everywhere; buffers and caps vary.
  const eligible = JSON.stringify(locations.map((l) => l.id));
  const channels = Array.from({ length: CHANNELS }, (_, i) => ({
    id: randomUUID(),
    shop: SHOP,
    code: `bench-${i}`,
    name: `Bench channel ${i}`,
    kind: ["amazon", "b2b_portal", "online_store", "shopify_b2b"][i % 4]!,
    eligibleLocationIds: eligible,
    bufferUnits: [0, 2, 5, 0, 1, 10, 0, 3, 0, 4][i]!,
    bufferPercent: [0, 0, 10, 5, 0, 0, 20, 0, 15, 0][i]!,
    maxExposure: [null, 50, null, 200, null, 25, null, 100, null, 10][i]!,
    zeroPolicy: ["zero", "delist", "backorder", "zero", "zero"][i % 5]!,
    backorderQuantity: i % 5 === 2 ? 5 : 0,
    hubHoldsStock: true,
    holdTtlMinutes: i % 3 === 0 ? 60 : null,
    updatedAt: now,
  }));
  await db.channel.createMany({ data: channels });

  // A few overrides so computeAts resolves tag and SKU policies too.
  const overrides = [
    ...channels.slice(0, 5).map((c, i) => ({ id: randomUUID(), shop: SHOP, channelId: c.id, sku: null, tag: `cat-${i}`, bufferUnits: 3, bufferPercent: null, maxExposure: null })),
    ...Array.from({ length: 40 }, (_, i) => ({
      id: randomUUID(),
      shop: SHOP,
      channelId: channels[i % CHANNELS]!.id,
      sku: skuName(int(rnd, 0, SKUS - 1)),
      tag: null,
      bufferUnits: null,
      bufferPercent: 25,
      maxExposure: 30,
    })),
  ];
  await db.channelPolicyOverride.createMany({ data: overrides });
  return { channelIds: channels.map((c) => c.id), overrides: overrides.length };
}

// ── reservations ─────────────────────────────────────────────────────────────────────────────

interface Order {
  shop: string;
  channelId: string;
  externalOrderId: string;
  lines: { lineKey: string; sku: string; quantity: number }[];
}

function makeOrders(channelIds: string[], n: number, prefix: string, seedValue: number): Order[] {
  const rnd = prng(seedValue);
  return Array.from({ length: n }, (_, i) => {
    const first = int(rnd, 0, SKUS - 1);
    const lines = [{ lineKey: "1", sku: skuName(first), quantity: int(rnd, 1, 2) }];
    if (rnd() < 0.5) lines.push({ lineKey: "2", sku: skuName((first + int(rnd, 1, SKUS - 1)) % SKUS), quantity: int(rnd, 1, 2) });
    return { shop: SHOP, channelId: channelIds[int(rnd, 0, channelIds.length - 1)]!, externalOrderId: `${prefix}-${i}`, lines };
  });
}

interface RunResult {
  workers: number;
  orders: number;
  wallMs: number;
  startupMs: number;
  reserved: number;
  refused: number;
  errors: number;
  firstError: string | null;
  retried: number;
  latencies: number[]; // ascending
}

/** Spawn `workers` reserve-worker processes, wait until all are ready, then GO; time until the last result. */
async function race(url: string, orders: Order[], workers: number): Promise<RunResult> {
  const { results, spawnedAt, goAt, lastAt } = await runReserveWorkers(url, orders, workers, children);

  const errors = results.filter((r) => r.status === "error");
  const missing = orders.length - results.length;
  return {
    workers,
    orders: orders.length,
    wallMs: lastAt - goAt,
    startupMs: goAt - spawnedAt,
    reserved: results.filter((r) => r.status === "reserved").length,
    refused: results.filter((r) => r.status === "refused").length,
    errors: errors.length + Math.max(0, missing),
    firstError: errors[0]?.error ?? (missing > 0 ? `${missing} orders without a result` : null),
    retried: results.filter((r) => (r.attempts ?? 1) > 1).length,
    latencies: results.flatMap((r) => (typeof r.ms === "number" ? [r.ms] : [])).sort((a, b) => a - b),
  };
}

/** The books must balance after the runs: held = live reservation quantities = held ledger deltas. */
async function checkBooks(db: Db): Promise<string | null> {
  const held = await db.inventoryLevel.aggregate({ _sum: { held: true }, where: { shop: SHOP } });
  const reserved = await db.reservation.aggregate({ _sum: { quantity: true }, where: { shop: SHOP, status: "held" } });
  const ledger = await db.inventoryLedgerEntry.aggregate({ _sum: { delta: true }, where: { shop: SHOP, quantityName: "held" } });
  const oversold = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS n FROM "InventoryLevel" WHERE "available" - "held" < 0`;
  const a = held._sum.held ?? 0;
  const b = reserved._sum.quantity ?? 0;
  const c = ledger._sum.delta ?? 0;
  const o = Number(oversold[0]?.n ?? 0);
  if (a !== b || a !== c || o !== 0) return `books do not balance: held ${a}, held reservations ${b}, ledger ${c}, oversold levels ${o}`;
  return null;
}

// ── ATS ──────────────────────────────────────────────────────────────────────────────────────

interface AtsResultFigures {
  computeMeanUs: number;
  computeP99Us: number;
  fullMeanMs: number;
  fullP99Ms: number;
  fullP50Ms: number;
}

async function benchAts(db: Db): Promise<AtsResultFigures> {
  const rnd = prng(7);
  const channels: ChannelPolicy[] = (await db.channel.findMany({ where: { shop: SHOP }, orderBy: { code: "asc" } })).map(toChannelPolicy);
  const sample = Array.from({ length: ATS_FULL_REPS }, () => skuName(int(rnd, 0, SKUS - 1)));
  const variants = await db.variant.findMany({ where: { shop: SHOP, sku: { in: [...new Set(sample)] } } });
  const bySku = new Map(variants.map((v) => [v.sku, v]));

  // 1. computeAts alone: one SKU's stock and the overrides loaded once, 10 channels per repetition.
  //    An overridden SKU, so the SKU- and tag-override branches run too.
  const overrides: PolicyOverride[] = await listOverrides(db, SHOP);
  const overriddenSku = overrides.find((o) => o.sku !== null)?.sku ?? sample[0]!;
  const variant = await db.variant.findUniqueOrThrow({ where: { shop_sku: { shop: SHOP, sku: overriddenSku } } });
  const stock: SkuStock = await loadSkuStock(db, SHOP, variant);
  if (stock.levels.length !== LOCATIONS) throw new Error(`expected ${LOCATIONS} levels for ${overriddenSku}, got ${stock.levels.length}`);
  let sink = 0;
  const once = () => {
    for (const ch of channels) sink += computeAts(ch, stock, overrides).ats;
  };
  for (let i = 0; i < 200; i++) once(); // warm-up (JIT)
  const compute: number[] = [];
  for (let i = 0; i < ATS_COMPUTE_REPS; i++) {
    const t = performance.now();
    once();
    compute.push((performance.now() - t) * 1000);
  }

  // 2. The full path per SKU: read its stock and the overrides, then compute for every channel.
  const full: number[] = [];
  for (let i = 0; i < ATS_FULL_REPS + 20; i++) {
    const v = bySku.get(sample[i % sample.length]!)!;
    const t = performance.now();
    const [s, ov] = await Promise.all([loadSkuStock(db, SHOP, v), listOverrides(db, SHOP)]);
    for (const ch of channels) sink += computeAts(ch, s, ov).ats;
    if (i >= 20) full.push(performance.now() - t); // the first 20 warm up the connection and the JIT
  }
  if (sink < 0) console.log(sink); // keep the work observable
  compute.sort((a, b) => a - b);
  full.sort((a, b) => a - b);
  return { computeMeanUs: mean(compute), computeP99Us: pct(compute, 99), fullMeanMs: mean(full), fullP50Ms: pct(full, 50), fullP99Ms: pct(full, 99) };
}

// ── the reservation snapshot query ──────────────────────────────────────────────────────────

/**
 * reserveOrder's snapshot reads the levels of the order's SKUs at the channel's eligible locations
 * (variantId IN (…) AND locationId IN (…), as in reservations.service.server.ts).  Which index the
 * planner picks decides whether that reads a handful of rows or every level of the shop (with
 * `shop = ?` in the WHERE, SQLite without statistics picked (shop, locationId): ~250 ms instead of
 * ~1 ms), so print the plan and the time for an order of 1 and of 2 SKUs.
 */
async function snapshotQuery(db: Db, provider: Provider): Promise<string[]> {
  const locationIds = (await db.location.findMany({ where: { shop: SHOP }, select: { id: true } })).map((l) => l.id);
  const variantIds = (await db.variant.findMany({ where: { shop: SHOP }, select: { id: true }, orderBy: { sku: "asc" }, take: 2 })).map((v) => v.id);
  const lit = (xs: string[]) => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(", ");
  const out: string[] = [];
  for (const n of [1, 2]) {
    const ids = variantIds.slice(0, n);
    const sql = `SELECT * FROM "InventoryLevel" WHERE "variantId" IN (${lit(ids)}) AND "locationId" IN (${lit(locationIds)})`;
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(provider === "sqlite" ? `EXPLAIN QUERY PLAN ${sql}` : `EXPLAIN ${sql}`);
    const plan = rows
      .map((r) => String(provider === "sqlite" ? r.detail : r["QUERY PLAN"]))
      .filter((line) => provider === "sqlite" || /Scan/.test(line))
      .map((line) => line.replace(/\s*\(cost=[^)]*\)/, "").replace(/^\s*(->\s*)?/, "").trim())
      .join("; ");
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      await db.inventoryLevel.findMany({ where: { variantId: { in: ids }, locationId: { in: locationIds } } });
      if (i > 0) times.push(performance.now() - t);
    }
    out.push(`${n} SKU${n > 1 ? "s" : " "}  ${f(mean(times), 2).padStart(7)} ms  plan: ${plan}`);
  }
  return out;
}

// ── one database ─────────────────────────────────────────────────────────────────────────────

interface DbFigures {
  provider: Provider;
  seedMs: number;
  snapshot: string[];
  runs: RunResult[];
  ats: AtsResultFigures;
}

function runLine(provider: string, r: RunResult): string {
  const l = r.latencies;
  return (
    `${provider.padEnd(11)}  workers=${r.workers}  orders=${r.orders}  ${f(r.orders / (r.wallMs / 1000), 0).padStart(5)} orders/s` +
    `  p50 ${f(pct(l, 50))} ms  p95 ${f(pct(l, 95))} ms  p99 ${f(pct(l, 99))} ms  max ${f(l[l.length - 1] ?? NaN)} ms` +
    `  reserved ${r.reserved} refused ${r.refused} errors ${r.errors}`
  );
}

function atsLine(provider: string, a: AtsResultFigures): string {
  return (
    `${provider.padEnd(11)}  ATS 1 SKU × ${CHANNELS} channels: compute mean ${f(a.computeMeanUs)} µs  p99 ${f(a.computeP99Us)} µs` +
    `  |  with DB read mean ${f(a.fullMeanMs, 2)} ms  p99 ${f(a.fullP99Ms, 2)} ms`
  );
}

async function benchDatabase(provider: Provider, opts: Options): Promise<DbFigures> {
  const { url, label } = await createDatabase(provider, opts.pgUrl);
  console.log(`\n=== ${provider} (${label}) ===`);

  let t = performance.now();
  await migrate(url, ROOT);
  console.log(`migrate                        ${secs(performance.now() - t)}`);

  const handle = createDb(url);
  cleanups.push(() => handle.close());
  const { db } = handle;

  t = performance.now();
  const seeded = await seed(db);
  const seedMs = performance.now() - t;
  console.log(
    `seed                           ${secs(seedMs)}  (${SKUS.toLocaleString("en")} SKUs × ${LOCATIONS} locations = ${(SKUS * LOCATIONS).toLocaleString("en")} levels, ` +
      `${CHANNELS} channels, ${seeded.overrides} overrides; createMany in chunks of ${CHUNK})`,
  );

  if (provider === "postgresql" || opts.analyze) {
    t = performance.now();
    await db.$executeRawUnsafe("ANALYZE");
    const why = provider === "postgresql" ? "as autovacuum would after a bulk load" : "--analyze";
    console.log(`ANALYZE                        ${secs(performance.now() - t)}  (${why})`);
  } else {
    console.log("ANALYZE                        not run (as shipped: the app never runs it on SQLite; --analyze to run it)");
  }
  const snapshot = await snapshotQuery(db, provider);
  snapshot.forEach((line, i) => console.log(`${i === 0 ? "snapshot query" : ""}`.padEnd(31) + line));

  const runs: RunResult[] = [];
  for (const [workers, n, seedValue] of [
    [1, opts.orders1, 101],
    [8, opts.orders8, 808],
  ] as const) {
    const orders = makeOrders(seeded.channelIds, n, `W${workers}`, seedValue);
    const r = await race(url, orders, workers);
    runs.push(r);
    console.log(
      `reserve  workers=${workers}  orders=${n}  wall ${secs(r.wallMs)} (start-up ${secs(r.startupMs)} not counted)  ` +
        `${f(r.orders / (r.wallMs / 1000), 0)} orders/s`,
    );
    const l = r.latencies;
    console.log(
      `         latency ms  p50 ${f(pct(l, 50), 2)}  p95 ${f(pct(l, 95), 2)}  p99 ${f(pct(l, 99), 2)}  max ${f(l[l.length - 1] ?? NaN, 2)}  mean ${f(mean(l), 2)}` +
        `  |  reserved ${r.reserved}  refused ${r.refused}  errors ${r.errors}  retried ${r.retried}`,
    );
    if (r.firstError) console.log(`         first error: ${r.firstError}`);
  }
  const books = await checkBooks(db);
  console.log(`books                          ${books ?? "balance (held = held reservations = ledger; no level oversold)"}`);
  if (books) runs[runs.length - 1]!.errors++;

  const ats = await benchAts(db);
  console.log(
    `ATS compute only               mean ${f(ats.computeMeanUs)} µs  p99 ${f(ats.computeP99Us)} µs per SKU (${CHANNELS} channels × ${LOCATIONS} locations; ${ATS_COMPUTE_REPS} reps)`,
  );
  console.log(
    `ATS with DB read               mean ${f(ats.fullMeanMs, 2)} ms  p50 ${f(ats.fullP50Ms, 2)} ms  p99 ${f(ats.fullP99Ms, 2)} ms per SKU ` +
      `(loadSkuStock + listOverrides + ${CHANNELS} × computeAts; ${ATS_FULL_REPS} SKUs)`,
  );
  return { provider, seedMs, snapshot, runs, ats };
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  process.chdir(ROOT); // createDb resolves the Postgres client relative to the working directory
  const started = performance.now();
  const cpus = os.cpus();
  const machine = `node ${process.version}  ${os.platform()}/${os.arch()}  ${cpus.length} CPUs  ${cpus[0]?.model ?? "unknown CPU"}  ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
  console.log(`reservation benchmark  ${new Date().toISOString()}`);
  console.log(machine);
  // Other work on the machine skews every figure; the load average says how much there was.
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
  const loadAtStart = load();
  console.log(`load average (1/5/15 min) at start: ${loadAtStart}`);

  const figures: DbFigures[] = [];
  const skipped: string[] = [];
  for (const provider of opts.providers) {
    if (provider === "postgresql") {
      const why = await postgresReachable(opts.pgUrl);
      if (why) {
        if (opts.explicitPostgres) throw new Error(`PostgreSQL at ${opts.pgUrl} is not reachable: ${why}`);
        skipped.push(`postgresql  skipped: ${opts.pgUrl} not reachable (${why})`);
        console.log(`\n=== postgresql: skipped, not reachable (${why}) ===`);
        continue;
      }
    }
    try {
      figures.push(await benchDatabase(provider, opts));
    } finally {
      await runCleanups();
    }
  }

  console.log("\n=== summary ===");
  console.log(machine);
  console.log(`load average (1/5/15 min): start ${loadAtStart}, end ${load()}`);
  for (const d of figures) {
    console.log(`${d.provider.padEnd(11)}  seed ${secs(d.seedMs)} (${(SKUS * LOCATIONS).toLocaleString("en")} levels)${d.provider === "postgresql" || opts.analyze ? "  ANALYZE after seed" : "  no ANALYZE"}`);
    for (const line of d.snapshot) console.log(`${d.provider.padEnd(11)}  snapshot query ${line}`);
    for (const r of d.runs) console.log(runLine(d.provider, r));
    console.log(atsLine(d.provider, d.ats));
  }
  for (const s of skipped) console.log(s);
  console.log(`total ${secs(performance.now() - started)}`);

  const errors = figures.reduce((s, d) => s + d.runs.reduce((t, r) => t + r.errors, 0), 0);
  if (errors > 0) {
    console.error(`FAILED: ${errors} error(s)`);
    return 1;
  }
  return 0;
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch(async (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    await runCleanups();
    process.exitCode = 1;
  });
