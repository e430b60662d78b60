import type { AdminClient } from "#connectors/shopify/client/admin-client";
import { INVENTORY_ITEMS_ON_HAND_AT, LOCATION_ON_HAND } from "#connectors/shopify/client/documents";
import { idempotencyKey, setInventoryQuantities, type CasQuantity } from "#connectors/shopify/client/operations";
import type { ResultOf } from "#connectors/shopify/client/typed-document";
import { isConnectorError } from "#connectors/core/errors";
import type { InventoryPushJob } from "#app/modules/inventory/index";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";

/**
 * The job `shopify.pushInventory` (one location the hub owns the stock of): Shopify's on-hand
 * there is made equal to the hub's, by compare-and-set.  docs/inventory.md, "Locations whose stock
 * the hub owns"; ADR 016.
 *
 * Two scopes (the job's payload, see requestInventoryPush):
 *  - `changed` (a count): only the levels whose hub on-hand differs from what Shopify was last seen
 *    to hold (`InventoryLevel.pushedOnHand`).  Their on-hand is read with one `nodes(ids:)` query
 *    per 250 items (3 points an item); nothing to do means no call to Shopify at all;
 *  - `all` (the reconciling push: the location just became hub-owned, Shopify's level webhook or
 *    an import saw a different figure, a person asked for a push): every level at the location,
 *    read in pages of 250 with on_hand only (3 points a level).
 * Then, for every item whose on_hand differs, `inventorySetQuantities(name: on_hand)` with
 * `changeFromQuantity` = the value just read, 250 rows a call, an idempotency key made of the
 * intent (location, item, target, from) so a retried call is applied once.  If Shopify changed
 * meanwhile (a sale, a staff edit), the call is refused as stale: the job fails retryably and the
 * next run reads again — never a blind overwrite of a sale.  After each accepted write, and for
 * every item found already equal, `pushedOnHand` records what Shopify now holds, so the same value
 * is never pushed twice — unless a webhook cleared the record meanwhile (see recordPushed).
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/inventorySetQuantities
 * https://shopify.dev/docs/api/admin-graphql/2026-10/queries/nodes
 */
/** Levels per reconciling page: 2 + 250 × 3 + 1 = 753 points, under the 1 000-point single-query cap. */
const PAGE = 250;
const PAGE_MIN = 10;
/**
 * Requested cost of one level in either read: the level (or item) 1 + the item (or level) 1 + one
 * quantity 1; a page adds the location 1 + the connection 2.  Told to the client for each call,
 * because its learned estimate is the last call's, and these calls vary in size.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */
const POINTS_PER_LEVEL = 3;
const PAGE_MARGIN = 10;
/** Ids per `nodes` call: Shopify's limit on the list (750 points). */
const IDS = 250;
/** Rows per inventorySetQuantities call (Shopify's input limit); a mutation costs 10 whatever its size. */
const BATCH = 250;

export interface InventoryPushDeps {
  db: Db;
  logger: Logger;
  client: AdminClient;
}

export interface InventoryPushResult {
  scope: "changed" | "all";
  /** Levels whose on_hand was read from Shopify. */
  read: number;
  /** Counts set in Shopify. */
  pushed: number;
  /** Levels read that Shopify already had right. */
  unchanged: number;
}

export async function pushHubInventory(deps: InventoryPushDeps, job: InventoryPushJob): Promise<InventoryPushResult | { skipped: string }> {
  const { db } = deps;
  const location = await db.location.findFirst({ where: { shop: job.shop, id: job.locationId } });
  if (!location) return { skipped: "no such location" };
  if (location.stockSource !== "hub") return { skipped: "Shopify owns this location's counts" };
  if (!location.shopifyLocationId) return { skipped: "the location is not linked to a Shopify location" };
  const shopifyLocationId = location.shopifyLocationId;
  // A payload without a scope (queued before scopes existed) is the safe one: all.
  const scope = job.scope === "changed" ? "changed" : "all";

  const levels = await db.inventoryLevel.findMany({ where: { shop: job.shop, locationId: location.id }, select: { variantId: true, onHand: true, pushedOnHand: true, pushedOnHandVersion: true } });
  const candidates = scope === "all" ? levels : levels.filter((l) => l.pushedOnHand !== l.onHand);
  if (candidates.length === 0) return { scope, read: 0, pushed: 0, unchanged: 0 };
  const variants = await db.variant.findMany({
    where: { shop: job.shop, id: { in: candidates.map((l) => l.variantId) }, shopifyInventoryItemId: { not: null } },
    select: { id: true, shopifyInventoryItemId: true },
  });
  const itemOf = new Map(variants.map((v) => [v.id, v.shopifyInventoryItemId!]));
  /** item → [variant, the hub's on-hand as read now, the record's version as read now]. */
  const hub = new Map(
    candidates.flatMap((l) => (itemOf.has(l.variantId) ? [[itemOf.get(l.variantId)!, { variantId: l.variantId, onHand: l.onHand, seen: l.pushedOnHandVersion }] as const] : [])),
  );
  if (hub.size === 0) return { scope, read: 0, pushed: 0, unchanged: 0 };

  // What Shopify says now (undefined: the item is not stocked there).
  const shopify = scope === "all" ? await readLocation(deps.client, shopifyLocationId, levels.length) : await readItems(deps.client, shopifyLocationId, [...hub.keys()]);

  const equal: Pushed[] = [];
  const rows: CasQuantity[] = [];
  const notStocked: CasQuantity[] = [];
  for (const [item, h] of hub) {
    const there = shopify.get(item);
    // Not stocked in Shopify and nothing in the hub: nothing to say (a write would be refused).
    if (there === h.onHand || (there === undefined && h.onHand === 0)) equal.push(h);
    else if (there === undefined) notStocked.push({ inventoryItemId: item, locationId: shopifyLocationId, quantity: h.onHand, changeFromQuantity: 0 });
    else rows.push({ inventoryItemId: item, locationId: shopifyLocationId, quantity: h.onHand, changeFromQuantity: there });
  }
  await recordPushed(db, job.shop, location.id, equal);

  // Items Shopify does not stock at the location go last, in calls of their own: Shopify refuses
  // such a row (and with it its whole call), and the other counts should not wait on it.
  const batches: CasQuantity[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) batches.push(rows.slice(i, i + BATCH));
  for (let i = 0; i < notStocked.length; i += BATCH) batches.push(notStocked.slice(i, i + BATCH));
  const levelOf = new Map([...hub].map(([item, h]) => [item, h]));
  let pushed = 0;
  for (const batch of batches) {
    const key = idempotencyKey("push-inventory", job.shop, shopifyLocationId, ...batch.flatMap((r) => [r.inventoryItemId, r.quantity, r.changeFromQuantity ?? "null"]));
    try {
      await setInventoryQuantities(deps.client, { name: "on_hand", reason: "correction", referenceDocumentUri: `gid://oms/Location/${location.id}`, quantities: batch }, key);
    } catch (e) {
      if (isConnectorError(e) && e.kind === "CONFLICT") {
        // Stale: Shopify's count moved after we read it.  Read again on the next try.
        throw new DomainError("UNAVAILABLE", `Shopify's counts at ${location.name} changed while pushing (${e.message}); the push runs again on fresh numbers`);
      }
      throw e;
    }
    await recordPushed(db, job.shop, location.id, batch.map((r) => ({ ...levelOf.get(String(r.inventoryItemId))!, onHand: r.quantity })));
    pushed += batch.length;
  }
  if (pushed) deps.logger.info("hub counts pushed to Shopify", { shop: job.shop, location: location.name, scope, items: pushed });
  return { scope, read: hub.size, pushed, unchanged: equal.length };
}

/**
 * Every level's on_hand at the location, in pages.  A page is sized by the levels still expected
 * (the hub's count of them, plus a margin): the bucket must hold a query's *requested* cost before
 * it runs, so a 250-level request for the last 100 levels waits ~5 s at 100 points/s for points it
 * is then refunded.  Shopify having more levels than the hub only means more pages.
 */
async function readLocation(client: AdminClient, locationId: string, expected: number): Promise<Map<string, number>> {
  const onHand = new Map<string, number>();
  let after: string | null = null;
  let read = 0;
  do {
    const first = Math.min(PAGE, Math.max(PAGE_MIN, expected - read + PAGE_MARGIN));
    // The cost is told, not learned: the client would otherwise wait for the previous page's size.
    const data: ResultOf<typeof LOCATION_ON_HAND> = await client.query(LOCATION_ON_HAND, { locationId, first, after }, { cost: 3 + first * POINTS_PER_LEVEL });
    const conn = data.location?.inventoryLevels;
    if (!conn) throw new DomainError("NOT_FOUND", `Shopify has no location ${locationId} any more: link the location again (run an import) before pushing its counts`);
    for (const node of conn.nodes) {
      const q = node.quantities.find((x) => x.name === "on_hand");
      if (q) onHand.set(node.item.id, q.quantity);
    }
    read += conn.nodes.length;
    after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
  } while (after);
  return onHand;
}

/** The on_hand of just these items at the location. */
async function readItems(client: AdminClient, locationId: string, items: string[]): Promise<Map<string, number>> {
  const onHand = new Map<string, number>();
  for (let i = 0; i < items.length; i += IDS) {
    const ids = items.slice(i, i + IDS);
    const data = await client.query(INVENTORY_ITEMS_ON_HAND_AT, { ids, locationId }, { cost: ids.length * POINTS_PER_LEVEL });
    for (const node of data.nodes) {
      if (!node || !("id" in node)) continue; // an item deleted in Shopify meanwhile
      const q = node.inventoryLevel?.quantities.find((x) => x.name === "on_hand");
      if (q) onHand.set(node.id, q.quantity);
    }
  }
  return onHand;
}

/** A level whose Shopify on_hand is now known: `onHand` is Shopify's; `seen`, the record's version when the job read the levels. */
interface Pushed {
  variantId: string;
  onHand: number;
  seen: number;
}

/**
 * What Shopify now holds for these levels.  The value written is Shopify's (the value pushed, or
 * the one read equal), not the hub's current count: a count entered while the push ran stays
 * different, and the push it queued sends it.
 *
 * Only where the record is as the job read it (`pushedOnHandVersion`): the figure is from a read made
 * earlier, and a level webhook handled meanwhile (a staff edit in Shopify) has cleared the record and
 * queued a `changed` push.  Writing the older figure over it would make that push find the level
 * equal and leave Shopify's wrong count standing; left cleared, the level is read again.  A version,
 * not the value: a record already null when the job read it is cleared to null again by the webhook.
 */
async function recordPushed(db: Db, shop: string, locationId: string, levels: Pushed[]) {
  const groups = new Map<string, { onHand: number; seen: number; variantIds: string[] }>();
  for (const l of levels) {
    const key = `${l.onHand}:${l.seen}`;
    const g = groups.get(key) ?? { onHand: l.onHand, seen: l.seen, variantIds: [] };
    g.variantIds.push(l.variantId);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    await db.inventoryLevel.updateMany({
      where: { shop, locationId, variantId: { in: g.variantIds }, pushedOnHandVersion: g.seen },
      data: { pushedOnHand: g.onHand, pushedOnHandVersion: { increment: 1 } },
    });
  }
}
