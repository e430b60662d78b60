import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { isConnectorError } from "#connectors/core/errors";
import type { AdminClient } from "#connectors/shopify/client/admin-client";
import { BULK_OPERATION, BULK_OPERATION_RUN_QUERY, INVENTORY_ITEM_LEVELS, LOCATION_INVENTORY_LEVELS, LOCATIONS, ORDERS, PRODUCT_VARIANTS } from "#connectors/shopify/client/documents";
import { batches, gidType, groupedObjects, readBulkRows, type BulkRow } from "#connectors/shopify/bulk/jsonl";
import { BULK_CATALOG_QUERY, BULK_ORDERS_QUERY, bulkOrdersQuery } from "#connectors/shopify/bulk/queries";
import { mapImportedOrder, orderWindowStart, type GraphqlLineItem, type GraphqlOrder, type ImportedOrder } from "#connectors/shopify/mappers/bulk";
import { WebhookPayloadError } from "#connectors/shopify/mappers/json";
import { applyLevelUpdates, applyShopifyLocation, consumeOrder, QUANTITY_NAMES, requestInventoryPush, shopLocationRefs, type LevelUpdate, type QuantityName } from "#app/modules/inventory/index";
import {
  appendOrderEvent,
  applyOrderFacts,
  cancelOrder,
  findOrderByExternalId,
  intakeOrder,
  recordOrderWithoutStock,
  RECORD_ONLY_STATUSES,
  isOlderThanApplied,
  resyncOrderLines,
  type OrdersDeps,
} from "#app/modules/orders/index";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";
import { hubOrderCreatedInShopify } from "./shopify-writes.server";

/**
 * Import / resync a shop from Shopify, in phases (docs/shopify-import.md):
 *
 *  1. locations — paged (a shop has few);
 *  2. catalog — products, variants and every inventory level with all quantity names, through one
 *     bulk operation whose JSONL result is read as a stream (batches of 500 rows; 100 000 levels
 *     never sit in memory);
 *  3. orders of the last 60 days — a second bulk operation (groupObjects, so an order's line items
 *     follow it and one order at a time is in memory).  Open orders are taken in exactly like an
 *     orders/create webhook (intakeOrder: idempotent on channel + external id, Shopify's own orders
 *     are "committed" by Shopify); orders the hub already holds get their facts, cancellation,
 *     lines and fulfilled lines applied like orders/updated; closed, fulfilled and cancelled orders
 *     the hub does not hold are history (see ImportReport.orders.history).
 *
 * Bulk queries are not charged against the query-cost bucket, which is why a 20 000-level import
 * does not take the 200 000 points that paging `inventoryLevels` with all eight quantities would
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries).
 *
 * Fallback: when a bulk operation is unavailable — another one (not ours) is running for the shop
 * (Shopify allows one query operation at a time), bulkOperationRunQuery answers userErrors, or the
 * operation ends FAILED (e.g. ACCESS_DENIED), CANCELED or EXPIRED — that phase pages with the
 * connector's documents instead (PRODUCT_VARIANTS, LOCATION_INVENTORY_LEVELS per location, ORDERS),
 * storing a checkpoint (phase + cursor) after every page.  A crash resumes from the checkpoint: the
 * pages already applied are not fetched again.  The checkpoint lives in the import job's payload
 * (`checkpoint`), see jobCheckpointStore.
 *
 * Resync writes ledger entries, never silent overwrites: every quantity that differs from the
 * hub's goes through applyLevelUpdate (source "sync"), which records the delta and why.  Re-running
 * is safe — values are absolute, an update older than the last applied one is ignored, orders are
 * idempotent — so a second run changes nothing.
 *
 * Taking in an open order mirrors Shopify's commitment at once (available − n, committed + n), but
 * the levels just imported already contain it; so after each batch of orders the levels of the
 * items the new orders touched are read again (INVENTORY_ITEM_LEVELS) and Shopify's absolute
 * values put back — which is also what makes a second run find nothing to change.
 *
 * Hub rows are linked, not duplicated: a location by its Shopify gid, else by name; a variant by
 * its inventory item gid, else by SKU; only what matches nothing is created.
 */
export const SHOPIFY_IMPORT_JOB = "shopify.import";
const ACTOR = SHOPIFY_IMPORT_JOB;
/** Orders of this many days are imported: without read_all_orders Shopify serves the last 60 (https://shopify.dev/docs/api/usage/access-scopes#orders-permissions). */
export const ORDER_WINDOW_DAYS = 60;
const ORDERS_TOPIC = "shopify.import.orders";

const QUANTITY_LIST = Object.keys(QUANTITY_NAMES) as QuantityName[];

export { BULK_CATALOG_QUERY, BULK_ORDERS_QUERY, bulkOrdersQuery };

// ---------------------------------------------------------------------------------------------
// Checkpoint

/** Phases in order; "catalog" is the bulk catalog, "variants" + "levels" its paged fallback. */
export const IMPORT_PHASES = ["locations", "catalog", "variants", "levels", "orders", "done"] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

/** Where an import stands: stored after every page of a paged phase and at every phase change. */
export interface ImportCheckpoint {
  v: 1;
  phase: ImportPhase;
  /** Start of the order window (ISO), fixed at the first attempt so a resumed import reads the same orders. */
  since: string;
  /** The `after` cursor of the next page of this phase (null: its first page). */
  cursor: string | null;
  /** levels phase: the Shopify location being paged (locations are paged in gid order). */
  locationGid: string | null;
  /** A bulk operation of ours started for this phase: joined on resume instead of starting another. */
  bulkOperationId: string | null;
  /** This phase pages because bulk was unavailable (why: `fallbackReason`). */
  paged: boolean;
  fallbackReason: string | null;
  /** Pages fetched by paged phases so far (all attempts). */
  pages: number;
}

/** Where the checkpoint is kept.  save() must be durable before it returns. */
export interface ImportCheckpointStore {
  load(): Promise<ImportCheckpoint | null>;
  save(checkpoint: ImportCheckpoint): Promise<void>;
}

function isCheckpoint(v: unknown): v is ImportCheckpoint {
  if (!v || typeof v !== "object") return false;
  const c = v as Record<string, unknown>;
  return (
    c.v === 1 &&
    (IMPORT_PHASES as readonly unknown[]).includes(c.phase) &&
    typeof c.since === "string" &&
    !Number.isNaN(Date.parse(c.since)) &&
    (c.cursor === null || typeof c.cursor === "string") &&
    (c.locationGid === null || typeof c.locationGid === "string") &&
    (c.bulkOperationId === null || typeof c.bulkOperationId === "string") &&
    typeof c.paged === "boolean" &&
    typeof c.pages === "number"
  );
}

/**
 * The checkpoint in the import job's own row: `Job.payload` JSON gets a `checkpoint` key (the
 * runner hands the payload to every attempt, and progress writes do not touch it; no schema
 * change).  A payload whose checkpoint is not one is reported and ignored (the import starts over,
 * which is safe).
 */
export function jobCheckpointStore(db: Db, jobId: string, logger?: Logger): ImportCheckpointStore {
  const read = async () => {
    const job = await db.job.findUnique({ where: { id: jobId }, select: { payload: true } });
    if (!job) throw DomainError.notFound(`job ${jobId}`);
    const payload = JSON.parse(job.payload) as Record<string, unknown>;
    if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw DomainError.invalid(`job ${jobId}.payload`, "is not a JSON object");
    return payload;
  };
  return {
    async load() {
      const payload = await read();
      if (payload.checkpoint === undefined || payload.checkpoint === null) return null;
      if (!isCheckpoint(payload.checkpoint)) {
        logger?.warn("import checkpoint in the job payload is not one this version wrote; starting over", { jobId, checkpoint: payload.checkpoint });
        return null;
      }
      return payload.checkpoint;
    },
    async save(checkpoint) {
      const payload = await read();
      await db.job.update({ where: { id: jobId }, data: { payload: JSON.stringify({ ...payload, checkpoint }) } });
    },
  };
}

/**
 * The store of the shop's running import job, when this import runs inside one: import jobs of a
 * shop share the concurrency key `shopify-import:<shop>`, so at most one runs.  None (a direct
 * call: tests, the benchmark) → null.
 */
async function runningJobCheckpointStore(db: Db, shop: string, logger: Logger): Promise<ImportCheckpointStore | null> {
  const running = await db.job.findMany({ where: { shop, name: SHOPIFY_IMPORT_JOB, status: "running" }, select: { id: true }, take: 2 });
  if (running.length !== 1) return null;
  return jobCheckpointStore(db, running[0]!.id, logger);
}

// ---------------------------------------------------------------------------------------------
// Dependencies and report

export interface ImportDeps {
  db: Db;
  now: () => Date;
  logger: Logger;
  client: AdminClient;
  /** Wait between bulk-operation polls (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  /** Download the bulk result (default: fetch). */
  download?: (url: string) => Promise<AsyncIterable<Uint8Array>>;
  progress?: (done: number, total: number, message: string) => Promise<void>;
  signal?: AbortSignal;
  /**
   * Where the checkpoint is kept.  Default: the payload of the shop's running `shopify.import`
   * job (jobCheckpointStore), or nowhere when there is none.  null: nowhere.
   */
  checkpoints?: ImportCheckpointStore | null;
  /** Page sizes of the paged fallback (defaults keep every page under Shopify's 1 000-point query limit). */
  pageSizes?: Partial<PageSizes>;
  random?: () => number;
}

export interface PageSizes {
  variants: number;
  levels: number;
  orders: number;
  /** Line items per order in an ORDERS page; an order with more is reported as failed (bulk has no such limit). */
  orderLines: number;
}

/**
 * Requested cost (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): variants
 * 2 + 250 × 3 = 752; levels 2 + 90 × 10 = 902 (quantities of eight names); orders
 * 2 + 10 × (4 + 2 + 40 × 2) = 862.
 */
export const DEFAULT_PAGE_SIZES: PageSizes = { variants: 250, levels: 90, orders: 10, orderLines: 40 };

export interface ImportReport {
  locations: { seen: number; created: number; linked: number };
  products: { created: number };
  variants: { seen: number; created: number; linked: number; withoutSku: number };
  levels: { seen: number; changed: number; unchanged: number; ignoredOlder: number; skipped: number };
  orders: {
    seen: number;
    /** Open orders new to the hub: recorded, reserved (committed) and routed like orders/create. */
    takenIn: number;
    /** Open orders the hub already held (an earlier run, or their webhook). */
    alreadyInHub: number;
    /** Orders the hub held whose facts, lines, cancellation or fulfilled lines changed. */
    updated: number;
    cancelled: number;
    consumedLines: number;
    /**
     * Closed, fulfilled and cancelled orders the hub did not hold: recorded for history
     * (recordOrderWithoutStock: visible in the orders list, no stock held or routed).
     */
    history: { fulfilled: number; closed: number; cancelled: number };
    /** Orders with no line the hub can hold (gift cards, no SKU, no shipping). */
    withoutStock: number;
    /** Shopify's copies of orders the hub itself created there (another channel's orders). */
    hubCreated: number;
    failed: number;
    /** The first failures, naming the order and what is wrong. */
    failures: { order: string; field: string; problem: string }[];
  };
  /** Levels read again after new orders were taken in (see the module comment). */
  settledItems: number;
  mode: { catalog: "bulk" | "paged" | "skipped"; orders: "bulk" | "paged" | "skipped" };
  fallbackReasons: string[];
  /** Pages fetched by paged phases in this run. */
  pages: number;
  /** The phase a checkpoint resumed at (null: a fresh start). */
  resumedAt: ImportPhase | null;
  bulkOperationId: string;
  ordersBulkOperationId: string;
  objectCount: number;
}

const LEVEL_BATCH = 500;
const ORDER_BATCH = 50;
const MAX_REPORTED_FAILURES = 20;

async function defaultDownload(url: string): Promise<AsyncIterable<Uint8Array>> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new DomainError("UNAVAILABLE", `bulk result download failed: HTTP ${res.status}`);
  return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
}

/** Bulk is unavailable for this phase; the phase pages instead. */
class BulkUnavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "BulkUnavailable";
  }
}

interface Ctx {
  deps: ImportDeps;
  shop: string;
  log: Logger;
  report: ImportReport;
  cp: ImportCheckpoint;
  store: ImportCheckpointStore | null;
  sizes: PageSizes;
  ordersDeps: OrdersDeps;
  sleep: (ms: number) => Promise<void>;
  progress: (done: number, total: number, message: string) => Promise<void>;
}

async function saveCheckpoint(ctx: Ctx, next: Partial<ImportCheckpoint>) {
  ctx.cp = { ...ctx.cp, ...next };
  if (ctx.store) await ctx.store.save(ctx.cp);
}

/** Move to the next phase: its cursor, location and bulk operation start empty. */
const enter = (ctx: Ctx, phase: ImportPhase, extra: Partial<ImportCheckpoint> = {}) =>
  saveCheckpoint(ctx, { phase, cursor: null, locationGid: null, bulkOperationId: null, paged: false, fallbackReason: null, ...extra });

export async function importShopifyShop(deps: ImportDeps, shop: string): Promise<ImportReport> {
  const log = deps.logger.child({ component: "shopify-import", shop });
  const report: ImportReport = {
    locations: { seen: 0, created: 0, linked: 0 },
    products: { created: 0 },
    variants: { seen: 0, created: 0, linked: 0, withoutSku: 0 },
    levels: { seen: 0, changed: 0, unchanged: 0, ignoredOlder: 0, skipped: 0 },
    orders: { seen: 0, takenIn: 0, alreadyInHub: 0, updated: 0, cancelled: 0, consumedLines: 0, history: { fulfilled: 0, closed: 0, cancelled: 0 }, withoutStock: 0, hubCreated: 0, failed: 0, failures: [] },
    settledItems: 0,
    mode: { catalog: "skipped", orders: "skipped" },
    fallbackReasons: [],
    pages: 0,
    resumedAt: null,
    bulkOperationId: "",
    ordersBulkOperationId: "",
    objectCount: 0,
  };
  const store = deps.checkpoints === undefined ? await runningJobCheckpointStore(deps.db, shop, log) : deps.checkpoints;
  const loaded = store ? await store.load() : null;
  const cp: ImportCheckpoint = loaded ?? {
    v: 1,
    phase: "locations",
    since: orderWindowStart(deps.now(), ORDER_WINDOW_DAYS).toISOString(),
    cursor: null,
    locationGid: null,
    bulkOperationId: null,
    paged: false,
    fallbackReason: null,
    pages: 0,
  };
  if (loaded) {
    report.resumedAt = loaded.phase;
    log.info("resuming the import from its checkpoint", { ...loaded });
  }
  const ctx: Ctx = {
    deps,
    shop,
    log,
    report,
    cp,
    store,
    sizes: { ...DEFAULT_PAGE_SIZES, ...deps.pageSizes },
    ordersDeps: { db: deps.db, now: deps.now, logger: deps.logger, ...(deps.random ? { random: deps.random } : {}) },
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    progress: deps.progress ?? (async () => {}),
  };

  if (ctx.cp.phase === "locations") {
    await importLocations(ctx);
    await enter(ctx, "catalog");
  }
  if (ctx.cp.phase === "catalog") {
    try {
      await importCatalogBulk(ctx);
      report.mode.catalog = "bulk";
      await enter(ctx, "orders");
    } catch (e) {
      if (!(e instanceof BulkUnavailable)) throw e;
      await fallBack(ctx, "catalog", e.reason);
      await enter(ctx, "variants", { paged: true, fallbackReason: e.reason });
    }
  }
  if (ctx.cp.phase === "variants") {
    report.mode.catalog = "paged";
    await importVariantsPaged(ctx);
    await enter(ctx, "levels", { paged: true, fallbackReason: ctx.cp.fallbackReason });
  }
  if (ctx.cp.phase === "levels") {
    report.mode.catalog = "paged";
    await importLevelsPaged(ctx);
    await enter(ctx, "orders");
  }
  if (ctx.cp.phase === "orders") {
    if (!ctx.cp.paged) {
      try {
        await importOrdersBulk(ctx);
        report.mode.orders = "bulk";
      } catch (e) {
        if (!(e instanceof BulkUnavailable)) throw e;
        await fallBack(ctx, "orders", e.reason);
        await saveCheckpoint(ctx, { paged: true, fallbackReason: e.reason, cursor: null, bulkOperationId: null });
      }
    }
    if (ctx.cp.paged) {
      report.mode.orders = "paged";
      await importOrdersPaged(ctx);
    }
    await enter(ctx, "done");
  }
  log.info("shopify import finished", { ...report, orders: { ...report.orders, failures: report.orders.failures.slice(0, 5) } });
  return report;
}

async function fallBack(ctx: Ctx, phase: string, reason: string) {
  ctx.report.fallbackReasons.push(`${phase}: ${reason}`);
  ctx.log.warn("bulk operation unavailable: paging instead, with a checkpoint after every page", { phase, reason });
  await ctx.progress(0, 0, `bulk operations unavailable (${reason}); paging the ${phase} instead`);
}

// ---------------------------------------------------------------------------------------------
// 1. Locations

async function importLocations(ctx: Ctx) {
  const { deps, shop, report } = ctx;
  await ctx.progress(0, 0, "importing locations");
  for await (const page of deps.client.pages(LOCATIONS, { first: 50 }, (d) => d.locations, { signal: deps.signal })) {
    for (const l of page.nodes) {
      report.locations.seen++;
      const r = await applyShopifyLocation(deps, shop, {
        shopifyLocationGid: l.id,
        name: l.name,
        address1: l.address.address1,
        city: l.address.city,
        province: l.address.provinceCode,
        countryCode: l.address.countryCode,
        zip: l.address.zip,
        ...(l.address.latitude != null && l.address.longitude != null ? { coordinates: { latitude: l.address.latitude, longitude: l.address.longitude } } : {}),
        active: l.isActive,
        updatedAt: new Date(l.updatedAt),
      });
      if ("created" in r && r.created) report.locations.created++;
      else report.locations.linked++;
    }
  }
}

/** Shopify location gid → hub location id, from the hub (the locations phase linked them). */
async function linkedLocations(ctx: Ctx) {
  const refs = await shopLocationRefs(ctx.deps.db, ctx.shop);
  return { refs, byGid: new Map(refs.filter((r) => r.shopifyLocationGid).map((r) => [r.shopifyLocationGid!, r.id])) };
}

// ---------------------------------------------------------------------------------------------
// Bulk operations

/**
 * Run a bulk query to completion and return its result URL (null: no data).  Joins the operation
 * named by the checkpoint when there is one (a resumed import), else starts one and records it.
 * Unavailable (→ BulkUnavailable): userErrors on start (another operation running, an invalid
 * query), or an end other than COMPLETED.  Anything else (network, throttling beyond retries)
 * throws as it is, so the job retries.
 */
async function runBulk(ctx: Ctx, query: string, groupObjects: boolean, label: string): Promise<{ id: string; url: string | null; objectCount: number }> {
  const { deps } = ctx;
  let id = ctx.cp.bulkOperationId;
  const resumed = !!id;
  if (!id) {
    await ctx.progress(0, 0, `asking Shopify for the ${label} (bulk operation)`);
    let started;
    try {
      started = await deps.client.mutate(BULK_OPERATION_RUN_QUERY, { query, groupObjects }, { signal: deps.signal });
    } catch (e) {
      // userErrors (OPERATION_IN_PROGRESS: a bulk query of someone else is running; INVALID …).
      // https://shopify.dev/docs/api/admin-graphql/2026-10/enums/BulkOperationUserErrorCode
      if (isConnectorError(e) && Array.isArray(e.details.userErrors)) throw new BulkUnavailable(`bulkOperationRunQuery refused: ${e.message}`);
      throw e;
    }
    const op = started.bulkOperationRunQuery?.bulkOperation;
    if (!op) throw new BulkUnavailable("bulkOperationRunQuery started no operation");
    id = op.id;
    await saveCheckpoint(ctx, { bulkOperationId: id });
  }
  // The bulk_operations/finish webhook also announces the end; polling keeps the job
  // self-contained when webhooks are late.
  for (;;) {
    deps.signal?.throwIfAborted();
    const polled = (await deps.client.query(BULK_OPERATION, { id }, { signal: deps.signal })).bulkOperation;
    if (!polled && resumed) {
      // The operation a crashed run recorded is gone (Shopify keeps results for a week; a restarted
      // sandbox peer forgets them): start a new one rather than fall back to paging, which costs
      // hundreds of times the points.
      ctx.log.info("the recorded bulk operation is gone: starting a new one", { id, label });
      await saveCheckpoint(ctx, { bulkOperationId: null });
      return runBulk(ctx, query, groupObjects, label);
    }
    if (!polled) throw new BulkUnavailable(`bulk operation ${id} is unknown to Shopify`);
    await ctx.progress(0, Number(polled.objectCount ?? 0), `Shopify is preparing the ${label}: ${polled.status.toLowerCase()}, ${polled.objectCount ?? 0} objects`);
    if (polled.status === "COMPLETED") return { id, url: polled.url ?? null, objectCount: Number(polled.objectCount ?? 0) };
    if (polled.status === "FAILED" || polled.status === "CANCELED" || polled.status === "EXPIRED") {
      throw new BulkUnavailable(`bulk operation ${id} ended ${polled.status}${polled.errorCode ? ` (${polled.errorCode})` : ""}`);
    }
    await ctx.sleep(deps.pollMs ?? 1000);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Catalog

async function importCatalogBulk(ctx: Ctx) {
  const { deps, shop, report } = ctx;
  const op = await runBulk(ctx, BULK_CATALOG_QUERY, false, "catalog and stock");
  report.bulkOperationId = op.id;
  report.objectCount = op.objectCount;
  if (!op.url) {
    ctx.log.info("bulk operation returned no data (empty catalog)", { id: op.id });
    return;
  }
  const { byGid: locationIds } = await linkedLocations(ctx);
  const products = new Map<string, string>(); // Shopify product gid → hub product id
  const variants = new Map<string, string | null>(); // Shopify variant gid → hub variant id (null: skipped)
  const body = await (deps.download ?? defaultDownload)(op.url);
  let done = 0;
  for await (const batch of batches(readBulkRows(body), LEVEL_BATCH)) {
    const levels: LevelUpdate[] = [];
    for (const row of batch) {
      const type = gidType(row.id);
      if (type === "ProductVariant") await importVariant(deps, shop, row, products, variants, report);
      else if (type === "InventoryLevel") {
        const u = levelUpdate(deps, shop, row, variants, locationIds, report);
        if (u) levels.push(u);
      }
    }
    await applyLevels(ctx, levels);
    done += batch.length;
    await ctx.progress(done, report.objectCount, `imported ${report.variants.seen} SKUs and ${report.levels.seen} stock levels`);
  }
}

/**
 * One transaction per batch of levels (a commit per level made 20 000 levels take ~2 minutes on
 * SQLite).  Levels at a location whose stock the hub owns are not mirrored: the hub's count is
 * the truth there, and a push to Shopify is queued instead (shopify.pushInventory).
 */
async function applyLevels(ctx: Ctx, levels: LevelUpdate[]) {
  if (levels.length === 0) return;
  // Levels at locations the hub owns are left alone by applyLevelUpdates (checked in its own
  // transaction, so a location switched mid-run is respected); Shopify gets the hub's counts instead.
  const outcomes = await applyLevelUpdates(ctx.deps, levels, { mirror: true });
  const pushTo = new Set(levels.filter((_, i) => outcomes[i]?.hubOwned).map((l) => l.locationId));
  for (const locationId of pushTo) await requestInventoryPush(ctx.deps.db, ctx.shop, locationId, ctx.deps.now());
  for (const r of outcomes) {
    if (r.hubOwned) continue;
    if (!r.applied) ctx.report.levels.ignoredOlder++;
    else if (r.changed.length === 0) ctx.report.levels.unchanged++;
    else ctx.report.levels.changed++;
  }
}

/** Paged fallback, phase "variants": PRODUCT_VARIANTS from the checkpoint's cursor. */
async function importVariantsPaged(ctx: Ctx) {
  const { deps, shop, report } = ctx;
  const products = new Map<string, string>();
  const variants = new Map<string, string | null>();
  for await (const page of deps.client.pages(PRODUCT_VARIANTS, { first: ctx.sizes.variants }, (d) => d.productVariants, { signal: deps.signal, start: ctx.cp.cursor })) {
    for (const v of page.nodes) await importVariant(deps, shop, v as unknown as BulkRow, products, variants, report);
    report.pages++;
    await saveCheckpoint(ctx, { cursor: page.next, pages: ctx.cp.pages + 1 });
    await ctx.progress(report.variants.seen, 0, `paging SKUs: ${report.variants.seen} read (page ${ctx.cp.pages}; bulk unavailable)`);
    if (!page.next) break;
  }
}

/** Paged fallback, phase "levels": every linked location's levels, in gid order, from the checkpoint. */
async function importLevelsPaged(ctx: Ctx) {
  const { deps, shop, report } = ctx;
  const { byGid } = await linkedLocations(ctx);
  const gids = [...byGid.keys()].sort(compareGids);
  const startAt = ctx.cp.locationGid ? gids.indexOf(ctx.cp.locationGid) : 0;
  if (startAt < 0) throw new DomainError("CONFLICT", `import checkpoint names location ${ctx.cp.locationGid}, which is no longer linked to a hub location; start the import again`);
  for (const gid of gids.slice(startAt)) {
    const resuming = gid === ctx.cp.locationGid;
    if (!resuming) await saveCheckpoint(ctx, { locationGid: gid, cursor: null });
    const locationId = byGid.get(gid)!;
    for await (const page of deps.client.pages(LOCATION_INVENTORY_LEVELS, { locationId: gid, first: ctx.sizes.levels }, (d) => d.location?.inventoryLevels, { signal: deps.signal, start: ctx.cp.cursor })) {
      const items = [...new Set(page.nodes.map((n) => n.item?.id).filter((x): x is string => !!x))];
      const known = new Map(
        (await deps.db.variant.findMany({ where: { shop, shopifyInventoryItemId: { in: items } }, select: { id: true, shopifyInventoryItemId: true } })).map((v) => [v.shopifyInventoryItemId!, v.id]),
      );
      const levels: LevelUpdate[] = [];
      for (const n of page.nodes) {
        report.levels.seen++;
        const variantId = n.item ? known.get(n.item.id) : undefined;
        if (!variantId) {
          report.levels.skipped++;
          continue;
        }
        levels.push(toLevelUpdate(deps, shop, variantId, locationId, n.quantities, n.updatedAt, n.id));
      }
      await applyLevels(ctx, levels);
      report.pages++;
      await saveCheckpoint(ctx, { cursor: page.next, pages: ctx.cp.pages + 1 });
      await ctx.progress(report.levels.seen, 0, `paging stock levels: ${report.levels.seen} read (page ${ctx.cp.pages}; bulk unavailable)`);
      if (!page.next) break;
    }
  }
}

/** gid://shopify/Location/9 before …/10 (numeric tails compared as numbers). */
function compareGids(a: string, b: string) {
  const na = BigInt(/\d+$/.exec(a.split("?")[0]!)?.[0] ?? "0");
  const nb = BigInt(/\d+$/.exec(b.split("?")[0]!)?.[0] ?? "0");
  return na < nb ? -1 : na > nb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// 3. Orders

async function importOrdersBulk(ctx: Ctx) {
  const { deps, report } = ctx;
  const op = await runBulk(ctx, bulkOrdersQuery(new Date(ctx.cp.since)), true, `orders since ${ctx.cp.since.slice(0, 10)}`);
  report.ordersBulkOperationId = op.id;
  if (!op.url) return;
  const { refs } = await linkedLocations(ctx);
  const body = await (deps.download ?? defaultDownload)(op.url);
  for await (const batch of batches(groupedObjects(readBulkRows(body)), ORDER_BATCH)) {
    const touched = new Set<string>();
    for (const o of batch) {
      const lines = o.children.filter((c) => gidType(c.id) === "LineItem") as unknown as GraphqlLineItem[];
      await importOrder(ctx, o.parent as unknown as GraphqlOrder, lines, refs, touched);
    }
    await settleLevels(ctx, touched);
    await ctx.progress(report.orders.seen, op.objectCount, ordersMessage(report));
  }
}

/** Paged fallback, phase "orders": ORDERS created in the window, from the checkpoint's cursor. */
async function importOrdersPaged(ctx: Ctx) {
  const { deps, report } = ctx;
  const { refs } = await linkedLocations(ctx);
  const query = `created_at:>='${ctx.cp.since}'`;
  for await (const page of deps.client.pages(ORDERS, { first: ctx.sizes.orders, query, lineItemsFirst: ctx.sizes.orderLines }, (d) => d.orders, { signal: deps.signal, start: ctx.cp.cursor })) {
    const touched = new Set<string>();
    for (const o of page.nodes) {
      if (o.lineItems.pageInfo.hasNextPage) {
        report.orders.seen++;
        fail(ctx, o.id, `${ORDERS_TOPIC}.lineItems`, `more than ${ctx.sizes.orderLines} line items; paging reads that many per order (the bulk import has no such limit)`);
        continue;
      }
      const order: GraphqlOrder = { ...o, shippingAddress: o.shippingAddress ?? null };
      await importOrder(ctx, order, o.lineItems.nodes, refs, touched);
    }
    await settleLevels(ctx, touched);
    report.pages++;
    await saveCheckpoint(ctx, { cursor: page.next, pages: ctx.cp.pages + 1 });
    await ctx.progress(report.orders.seen, 0, `${ordersMessage(report)} (page ${ctx.cp.pages}; bulk unavailable)`);
    if (!page.next) break;
  }
}

const ordersMessage = (r: ImportReport) =>
  `imported orders: ${r.orders.seen} read, ${r.orders.takenIn} taken in, ${r.orders.alreadyInHub + r.orders.updated} already held, ${r.orders.history.fulfilled + r.orders.history.closed + r.orders.history.cancelled} history`;

function fail(ctx: Ctx, order: string, field: string, problem: string) {
  ctx.report.orders.failed++;
  if (ctx.report.orders.failures.length < MAX_REPORTED_FAILURES) ctx.report.orders.failures.push({ order, field, problem });
  ctx.log.warn("order not imported", { order, field, problem });
}

/**
 * One order.  New and open: taken in like orders/create (record, reserve — committed, as Shopify
 * has committed it — and route), with its facts and already-fulfilled lines.  Already held: its
 * newer facts, cancellation, changed lines and fulfilled lines applied like orders/updated.  New
 * and not open: history.  SKUs of orders whose stock the hub just mirrored go to `touched`.
 */
async function importOrder(ctx: Ctx, o: GraphqlOrder, lines: GraphqlLineItem[], locations: Awaited<ReturnType<typeof linkedLocations>>["refs"], touched: Set<string>) {
  const { deps, shop, report } = ctx;
  const { db } = deps;
  report.orders.seen++;
  let m: ImportedOrder;
  try {
    m = mapImportedOrder(o, lines, { locations, topic: ORDERS_TOPIC });
  } catch (e) {
    if (e instanceof WebhookPayloadError) return fail(ctx, o.id, e.field, e.problem);
    throw e;
  }
  // Shopify's copy of an order the hub created there (an Amazon or portal order): already held
  // under its own channel; taking it in again would count its stock twice.
  if (await hubOrderCreatedInShopify(db, shop, m.payload)) {
    report.orders.hubCreated++;
    return;
  }
  const gid = m.intake.externalOrderId;
  const existing = await findOrderByExternalId(db, shop, gid);
  if (existing && (RECORD_ONLY_STATUSES as readonly string[]).includes(existing.status) && m.state !== "open") {
    // History recorded by an earlier run: its newer facts only.
    await applyOrderFacts(db, shop, existing.id, m.facts);
    report.orders.history[m.state === "cancelled" ? "cancelled" : m.state === "closed" ? "closed" : "fulfilled"]++;
    return;
  }
  if (existing) return updateHeldOrder(ctx, existing, m, touched);
  if (m.state !== "open") {
    // History: shown in the orders list and the customer's history, no stock held or routed.
    const state = m.state === "cancelled" ? "cancelled" : m.state === "closed" ? "closed" : "fulfilled";
    if (m.intake.lines.length === 0) {
      report.orders.withoutStock++;
      return;
    }
    try {
      const r = await recordOrderWithoutStock(ctx.ordersDeps, shop, m.intake, { status: state, reason: `${state} in Shopify before the import`, actor: ACTOR });
      await applyOrderFacts(db, shop, r.orderId, m.facts);
    } catch (e) {
      if (e instanceof DomainError && e.kind === "INVALID") return fail(ctx, gid, String(e.details.field ?? "order"), e.message);
      throw e;
    }
    report.orders.history[state]++;
    return;
  }
  if (m.intake.lines.length === 0) {
    report.orders.withoutStock++;
    return;
  }
  let r;
  try {
    r = await intakeOrder(ctx.ordersDeps, shop, m.intake, ACTOR);
  } catch (e) {
    // Bad input for this order only (no such channel, no coordinates): named, the rest goes on.
    if (e instanceof DomainError && e.kind === "INVALID") return fail(ctx, gid, String(e.details.field ?? "order"), e.message);
    throw e;
  }
  await applyOrderFacts(db, shop, r.orderId, m.facts);
  const consumed = m.fulfilledLineKeys.length ? (await consumeHeldLines(ctx, r.orderId, m.fulfilledLineKeys)) : 0;
  if (r.duplicate) {
    report.orders.alreadyInHub++;
    return;
  }
  report.orders.takenIn++;
  report.orders.consumedLines += consumed;
  for (const l of m.intake.lines) touched.add(l.sku);
  await appendOrderEvent(db, {
    shop,
    orderId: r.orderId,
    kind: "created",
    source: ACTOR,
    occurredAt: m.intake.placedAt,
    summary: { name: m.intake.name, channel: m.intake.channel, speed: m.intake.speed, status: r.status, lines: m.intake.lines.length, skippedLines: m.skippedLines, financialStatus: m.facts.financialStatus, fulfilledLines: m.fulfilledLineKeys, via: "import" },
    sourceEventId: `${ACTOR}:${shop}:${gid}:created`,
  });
}

async function consumeHeldLines(ctx: Ctx, orderId: string, lineKeys: string[]) {
  const order = await ctx.deps.db.order.findFirst({ where: { id: orderId, shop: ctx.shop }, select: { channelId: true, externalOrderId: true } });
  if (!order) return 0;
  return (await consumeOrder(ctx.deps, { shop: ctx.shop, channelId: order.channelId, externalOrderId: order.externalOrderId, lineKeys })).consumed;
}

type HeldOrder = NonNullable<Awaited<ReturnType<typeof findOrderByExternalId>>>;

async function updateHeldOrder(ctx: Ctx, order: HeldOrder, m: ImportedOrder, touched: Set<string>) {
  const { deps, shop, report } = ctx;
  if (isOlderThanApplied(order, m.facts.updatedAt)) {
    // A webhook applied a later state of this order while the import was reading.
    report.orders.alreadyInHub++;
    return;
  }
  const summary: Record<string, unknown> = {};
  if (order.financialStatus !== m.facts.financialStatus || order.fulfillmentStatus !== m.facts.fulfillmentStatus) {
    summary.financialStatus = m.facts.financialStatus;
    summary.fulfillmentStatus = m.facts.fulfillmentStatus;
  }
  await applyOrderFacts(deps.db, shop, order.id, m.facts);
  if (m.state === "cancelled") {
    const r = await cancelOrder(ctx.ordersDeps, shop, order.id, { reason: "cancelled in Shopify (found by the import)", actor: ACTOR });
    if (r.cancelled) {
      summary.cancelled = true;
      report.orders.cancelled++;
    }
  } else if (m.state === "open" && order.status !== "cancelled" && m.intake.lines.length > 0) {
    const r = await resyncOrderLines(ctx.ordersDeps, shop, order.id, m.intake.lines, { reason: `order ${m.intake.name} changed in Shopify (found by the import)`, actor: ACTOR });
    if (r.resynced && (r.dropped.length || r.added.length)) {
      summary.lines = { status: r.status, dropped: r.dropped, added: r.added };
      for (const l of m.intake.lines) touched.add(l.sku);
    }
  }
  if (m.fulfilledLineKeys.length && m.state !== "cancelled") {
    const consumed = await consumeHeldLines(ctx, order.id, m.fulfilledLineKeys);
    if (consumed) {
      summary.consumedLines = consumed;
      report.orders.consumedLines += consumed;
    }
  }
  if (Object.keys(summary).length === 0) {
    report.orders.alreadyInHub++;
    return;
  }
  report.orders.updated++;
  await appendOrderEvent(deps.db, {
    shop,
    orderId: order.id,
    kind: "updated",
    source: ACTOR,
    occurredAt: m.facts.updatedAt,
    summary: { applied: true, updatedAt: m.facts.updatedAt, ...summary, via: "import" },
    sourceEventId: `${ACTOR}:${shop}:${order.externalOrderId}@${m.facts.updatedAt.toISOString()}`,
  });
}

/**
 * Read Shopify's levels of the items whose stock new orders just mirrored, and apply them: the
 * mirror (available − n, committed + n) is right for an order Shopify has not counted yet, but
 * the levels imported a moment ago already count it.  Shopify's absolute values win, through the
 * ledger.  https://shopify.dev/docs/api/admin-graphql/2026-10/queries/inventoryItem
 */
async function settleLevels(ctx: Ctx, skus: Set<string>) {
  if (skus.size === 0) return;
  const { deps, shop } = ctx;
  const { byGid } = await linkedLocations(ctx);
  const variants = await deps.db.variant.findMany({ where: { shop, sku: { in: [...skus] }, shopifyInventoryItemId: { not: null } }, select: { id: true, shopifyInventoryItemId: true } });
  const first = Math.min(250, Math.max(1, byGid.size));
  for (const v of variants) {
    const data = await deps.client.query(INVENTORY_ITEM_LEVELS, { inventoryItemId: v.shopifyInventoryItemId!, first }, { signal: deps.signal });
    const levels: LevelUpdate[] = [];
    for (const n of data.inventoryItem?.inventoryLevels.nodes ?? []) {
      const locationId = byGid.get(n.location.id);
      if (locationId) levels.push(toLevelUpdate(deps, shop, v.id, locationId, n.quantities, n.updatedAt, n.id));
    }
    await applyLevels(ctx, levels);
    ctx.report.settledItems++;
  }
}

function toLevelUpdate(deps: ImportDeps, shop: string, variantId: string, locationId: string, qs: readonly { name: string; quantity: number }[] | null | undefined, updatedAt: string | null | undefined, reference: string): LevelUpdate {
  const quantities: Partial<Record<QuantityName, number>> = {};
  for (const q of qs ?? []) if ((QUANTITY_LIST as string[]).includes(q.name)) quantities[q.name as QuantityName] = q.quantity;
  return { shop, variantId, locationId, quantities, sourceUpdatedAt: updatedAt ? new Date(updatedAt) : deps.now(), source: "sync", reason: "Shopify import/resync", reference, actor: SHOPIFY_IMPORT_JOB };
}

// ---------------------------------------------------------------------------------------------
// Rows → hub rows

interface VariantRow extends BulkRow {
  sku?: string | null;
  title?: string;
  barcode?: string | null;
  product?: { id: string; title: string; vendor?: string | null; tags?: string[] };
  inventoryItem?: { id: string } | null;
}

async function importVariant(deps: ImportDeps, shop: string, raw: BulkRow, products: Map<string, string>, variants: Map<string, string | null>, report: ImportReport) {
  const row = raw as VariantRow;
  report.variants.seen++;
  const sku = row.sku?.trim();
  const itemGid = row.inventoryItem?.id ?? null;
  if (!sku || !row.product) {
    // The hub keys stock by SKU: an item without one cannot be sold on other channels.
    report.variants.withoutSku++;
    variants.set(row.id!, null);
    return;
  }
  const { db } = deps;
  const existing = (itemGid ? await db.variant.findFirst({ where: { shop, shopifyInventoryItemId: itemGid } }) : null) ?? (await db.variant.findFirst({ where: { shop, sku } }));
  if (existing) {
    if (existing.shopifyVariantId !== row.id || existing.shopifyInventoryItemId !== itemGid) {
      await db.variant.update({ where: { id: existing.id }, data: { shopifyVariantId: row.id, shopifyInventoryItemId: itemGid } });
    }
    report.variants.linked++;
    variants.set(row.id!, existing.id);
    return;
  }
  let productId = products.get(row.product.id);
  if (!productId) {
    const found = await db.product.findFirst({ where: { shop, shopifyProductId: row.product.id } });
    productId = found?.id;
    if (!productId) {
      productId = randomUUID();
      await db.product.create({
        data: { id: productId, shop, shopifyProductId: row.product.id, title: row.product.title, vendor: row.product.vendor ?? null, tags: (row.product.tags ?? []).map((t) => t.trim().toLowerCase()).join(",") },
      });
      report.products.created++;
    }
    products.set(row.product.id, productId);
  }
  const id = randomUUID();
  await db.variant.create({ data: { id, shop, productId, sku, title: row.title ?? sku, barcode: row.barcode ?? null, shopifyVariantId: row.id, shopifyInventoryItemId: itemGid } });
  report.variants.created++;
  variants.set(row.id!, id);
}

interface LevelRow extends BulkRow {
  updatedAt?: string;
  location?: { id: string };
  quantities?: { name: string; quantity: number }[];
}

function levelUpdate(deps: ImportDeps, shop: string, raw: BulkRow, variants: Map<string, string | null>, locationIds: Map<string, string>, report: ImportReport): LevelUpdate | null {
  const row = raw as LevelRow;
  report.levels.seen++;
  // Without groupObjects, a child's parent came earlier in the file: an unknown parent is a
  // variant we skipped (no SKU).
  const variantId = row.__parentId ? variants.get(row.__parentId) : undefined;
  const locationId = row.location ? locationIds.get(row.location.id) : undefined;
  if (!variantId || !locationId) {
    report.levels.skipped++;
    return null;
  }
  return toLevelUpdate(deps, shop, variantId, locationId, row.quantities, row.updatedAt, row.id!);
}
