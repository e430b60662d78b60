import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { AdminClient } from "#connectors/shopify/client/admin-client";
import { BULK_OPERATION, BULK_OPERATION_RUN_QUERY, LOCATIONS } from "#connectors/shopify/client/documents";
import { batches, gidType, readBulkRows, type BulkRow } from "#connectors/shopify/bulk/jsonl";
import { applyLevelUpdates, applyShopifyLocation, QUANTITY_NAMES, type LevelUpdate, type QuantityName } from "#app/modules/inventory/index";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";

/**
 * Import / resync a shop from Shopify: locations (paginated: a shop has few), then products,
 * variants and every inventory level with all quantity names through one bulk operation, whose
 * JSONL result is read as a stream (batches of 500 rows; 100 000 levels never sit in memory).
 *
 * Bulk queries are not charged against the query-cost bucket, which is why a 20 000-level import
 * does not take the 200 000 points that paging `inventoryLevels` with all eight quantities would
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries).
 *
 * Resync writes ledger entries, never silent overwrites: every quantity that differs from the
 * hub's goes through applyLevelUpdate (source "sync"), which records the delta and why.  Re-running
 * is safe — values are absolute and an update older than the last applied one is ignored — so a
 * crash mid-import is recovered by running the job again (the job runner retries it).
 *
 * Hub rows are linked, not duplicated: a location by its Shopify gid, else by name; a variant by
 * its inventory item gid, else by SKU; only what matches nothing is created.
 */
export const SHOPIFY_IMPORT_JOB = "shopify.import";

const QUANTITY_LIST = Object.keys(QUANTITY_NAMES) as QuantityName[];

/**
 * Variants with their product and every inventory level.  Two connections, one nested: within
 * Shopify's bulk limits (≤ 5 connections, nesting depth ≤ 2).
 * https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions
 */
export const BULK_CATALOG_QUERY = `#graphql
  query OmsBulkCatalog {
    productVariants {
      edges {
        node {
          id
          sku
          title
          barcode
          product {
            id
            title
            vendor
            tags
          }
          inventoryItem {
            id
            inventoryLevels {
              edges {
                node {
                  id
                  updatedAt
                  location {
                    id
                  }
                  quantities(names: ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"]) {
                    name
                    quantity
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

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
}

export interface ImportReport {
  locations: { seen: number; created: number; linked: number };
  products: { created: number };
  variants: { seen: number; created: number; linked: number; withoutSku: number };
  levels: { seen: number; changed: number; unchanged: number; ignoredOlder: number; skipped: number };
  bulkOperationId: string;
  objectCount: number;
}

const LEVEL_BATCH = 500;

async function defaultDownload(url: string): Promise<AsyncIterable<Uint8Array>> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new DomainError("UNAVAILABLE", `bulk result download failed: HTTP ${res.status}`);
  return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
}

export async function importShopifyShop(deps: ImportDeps, shop: string): Promise<ImportReport> {
  const log = deps.logger.child({ component: "shopify-import", shop });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const progress = deps.progress ?? (async () => {});
  const report: ImportReport = {
    locations: { seen: 0, created: 0, linked: 0 },
    products: { created: 0 },
    variants: { seen: 0, created: 0, linked: 0, withoutSku: 0 },
    levels: { seen: 0, changed: 0, unchanged: 0, ignoredOlder: 0, skipped: 0 },
    bulkOperationId: "",
    objectCount: 0,
  };

  // 1. Locations.
  await progress(0, 0, "importing locations");
  const locationIds = new Map<string, string>(); // Shopify gid → hub id
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
      locationIds.set(l.id, r.locationId);
      if ("created" in r && r.created) report.locations.created++;
      else report.locations.linked++;
    }
  }

  // 2. Start the bulk query (or join the one already running: one per shop at a time).
  await progress(0, 0, "asking Shopify for the catalog and stock (bulk operation)");
  const started = await deps.client.mutate(BULK_OPERATION_RUN_QUERY, { query: BULK_CATALOG_QUERY, groupObjects: false }, { signal: deps.signal });
  const op = started.bulkOperationRunQuery?.bulkOperation;
  if (!op) throw new DomainError("UNAVAILABLE", "Shopify started no bulk operation");
  report.bulkOperationId = op.id;

  // 3. Wait for it.  The bulk_operations/finish webhook also announces it; polling keeps the job
  // self-contained when webhooks are late.
  let url: string | null = null;
  for (;;) {
    deps.signal?.throwIfAborted();
    const polled = (await deps.client.query(BULK_OPERATION, { id: op.id }, { signal: deps.signal })).bulkOperation;
    if (!polled) throw new DomainError("NOT_FOUND", `bulk operation ${op.id}`);
    await progress(0, Number(polled.objectCount ?? 0), `Shopify is preparing the export: ${polled.status.toLowerCase()}, ${polled.objectCount ?? 0} objects`);
    if (polled.status === "COMPLETED") {
      url = polled.url ?? null;
      report.objectCount = Number(polled.objectCount ?? 0);
      break;
    }
    if (polled.status === "FAILED" || polled.status === "CANCELED" || polled.status === "EXPIRED") {
      throw new DomainError("UNAVAILABLE", `bulk operation ${op.id} ended ${polled.status}${polled.errorCode ? ` (${polled.errorCode})` : ""}`);
    }
    await sleep(deps.pollMs ?? 1000);
  }
  if (!url) {
    log.info("bulk operation returned no data (empty catalog)", { id: op.id });
    return report;
  }

  // 4. Stream the result.
  const products = new Map<string, string>(); // Shopify product gid → hub product id
  const variants = new Map<string, string | null>(); // Shopify variant gid → hub variant id (null: skipped)
  const body = await (deps.download ?? defaultDownload)(url);
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
    // One transaction per batch of levels (a commit per level made 20 000 levels take ~2 minutes on SQLite).
    for (const r of await applyLevelUpdates(deps, levels)) {
      if (!r.applied) report.levels.ignoredOlder++;
      else if (r.changed.length === 0) report.levels.unchanged++;
      else report.levels.changed++;
    }
    done += batch.length;
    await progress(done, report.objectCount, `imported ${report.variants.seen} SKUs and ${report.levels.seen} stock levels`);
  }
  log.info("shopify import finished", { ...report });
  return report;
}

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
  const quantities: Partial<Record<QuantityName, number>> = {};
  for (const q of row.quantities ?? []) if ((QUANTITY_LIST as string[]).includes(q.name)) quantities[q.name as QuantityName] = q.quantity;
  return {
    shop,
    variantId,
    locationId,
    quantities,
    sourceUpdatedAt: row.updatedAt ? new Date(row.updatedAt) : deps.now(),
    source: "sync",
    reason: "Shopify import/resync",
    reference: row.id,
    actor: SHOPIFY_IMPORT_JOB,
  };
}
