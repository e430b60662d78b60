import type { AdminClient } from "#connectors/shopify/client/admin-client";
import { LOCATION_INVENTORY_LEVELS } from "#connectors/shopify/client/documents";
import { idempotencyKey, setInventoryQuantities } from "#connectors/shopify/client/operations";
import { isConnectorError } from "#connectors/core/errors";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";
import { DEFAULT_PAGE_SIZES } from "./shopify-import.server";

/**
 * The job `shopify.pushInventory` (one location the hub owns the stock of): Shopify's on-hand
 * there is made equal to the hub's, by compare-and-set.
 *
 *  - read Shopify's levels at the location (paged);
 *  - for every item whose on_hand differs, `inventorySetQuantities(name: on_hand)` with
 *    `changeFromQuantity` = the value just read, 250 rows a call, an idempotency key made of the
 *    intent (location, item, target, from) so a retried call is applied once;
 *  - if Shopify changed meanwhile (a sale, a staff edit), the call is refused as stale: the job
 *    fails retryably and the next run reads again — never a blind overwrite of a sale.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/inventorySetQuantities
 */
/** Levels per page with all eight quantity names: the import's size, the most under the 1 000-point single-query limit. */
const PAGE = DEFAULT_PAGE_SIZES.levels;
const BATCH = 250;

export interface InventoryPushDeps {
  db: Db;
  logger: Logger;
  client: AdminClient;
}

export async function pushHubInventory(deps: InventoryPushDeps, job: { shop: string; locationId: string }) {
  const { db } = deps;
  const location = await db.location.findFirst({ where: { shop: job.shop, id: job.locationId } });
  if (!location) return { skipped: "no such location" };
  if (location.stockSource !== "hub") return { skipped: "Shopify owns this location's counts" };
  if (!location.shopifyLocationId) return { skipped: "the location is not linked to a Shopify location" };

  const levels = await db.inventoryLevel.findMany({ where: { shop: job.shop, locationId: location.id }, select: { variantId: true, onHand: true } });
  const variants = await db.variant.findMany({ where: { shop: job.shop, id: { in: levels.map((l) => l.variantId) }, shopifyInventoryItemId: { not: null } }, select: { id: true, shopifyInventoryItemId: true } });
  const itemOf = new Map(variants.map((v) => [v.id, v.shopifyInventoryItemId!]));
  const hubOnHand = new Map(levels.flatMap((l) => (itemOf.has(l.variantId) ? [[itemOf.get(l.variantId)!, l.onHand] as const] : [])));

  // What Shopify says now.
  const shopifyOnHand = new Map<string, number>();
  for await (const page of deps.client.pages(LOCATION_INVENTORY_LEVELS, { locationId: location.shopifyLocationId, first: PAGE }, (d) => d.location?.inventoryLevels)) {
    for (const node of page.nodes) {
      const q = node.quantities.find((x) => x.name === "on_hand");
      if (q) shopifyOnHand.set(node.item.id, q.quantity);
    }
  }

  const rows = [...hubOnHand].filter(([item, onHand]) => shopifyOnHand.get(item) !== onHand).map(([item, onHand]) => ({ inventoryItemId: item, locationId: location.shopifyLocationId!, quantity: onHand, changeFromQuantity: shopifyOnHand.get(item) ?? 0 }));
  let pushed = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const key = idempotencyKey("push-inventory", job.shop, location.shopifyLocationId, ...batch.flatMap((r) => [r.inventoryItemId, r.quantity, r.changeFromQuantity]));
    try {
      await setInventoryQuantities(deps.client, { name: "on_hand", reason: "correction", referenceDocumentUri: `gid://oms/Location/${location.id}`, quantities: batch }, key);
    } catch (e) {
      if (isConnectorError(e) && e.kind === "CONFLICT") {
        // Stale: Shopify's count moved after we read it.  Read again on the next try.
        throw new DomainError("UNAVAILABLE", `Shopify's counts at ${location.name} changed while pushing (${e.message}); the push runs again on fresh numbers`);
      }
      throw e;
    }
    pushed += batch.length;
  }
  if (pushed) deps.logger.info("hub counts pushed to Shopify", { shop: job.shop, location: location.name, items: pushed });
  return { read: shopifyOnHand.size, pushed, unchanged: hubOnHand.size - pushed };
}
