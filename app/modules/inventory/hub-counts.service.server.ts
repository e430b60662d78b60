import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { writeOutbox } from "#app/platform/outbox.server";
import { writeLedger } from "./ledger.server";
import { applyCount } from "./levels.service.server";
import { markAtsChanged } from "./publishing.service.server";

/**
 * Locations whose stock the hub owns (`Location.stockSource = "hub"`: a 3PL whose counts come to
 * the hub, a warehouse counted in the hub).  Their counts are the truth: Shopify gets them pushed
 * (job `shopify.pushInventory`, compare-and-set), and Shopify's own level webhooks for them do not
 * overwrite the hub — a differing one triggers a push back.  Every other location mirrors Shopify.
 */
export const SHOPIFY_PUSH_INVENTORY_JOB = "shopify.pushInventory";
export const STOCK_SOURCES = ["shopify", "hub"] as const;
export type StockSource = (typeof STOCK_SOURCES)[number];
/** Counts of one location within this window become one push. */
export const PUSH_WINDOW_MS = 1_000;

type Q = Db | DbTx;

export async function isHubOwnedLocation(db: Q, shop: string, locationId: string): Promise<boolean> {
  const l = await db.location.findFirst({ where: { shop, id: locationId }, select: { stockSource: true } });
  return l?.stockSource === "hub";
}

/**
 * The key every push of one location carries (the job's concurrencyKey: one push per location at a
 * time); it is also how the admin finds a location's pushes among the jobs.
 */
export function inventoryPushJobKey(locationId: string): string {
  return `shopify-inventory:${locationId}`;
}

/**
 * What a push covers.  `changed`: the levels whose hub on-hand differs from what Shopify was last
 * seen to hold (`InventoryLevel.pushedOnHand`) — what a count needs; the job finds them itself, so
 * counts coalesced into one window lose nothing.  `all`: every level at the location, read from
 * Shopify and compared — the reconciling push (the location just became hub-owned, Shopify or an
 * import reported a different figure, a person pressed "push").
 */
export type InventoryPushScope = "changed" | "all";
export interface InventoryPushJob {
  shop: string;
  locationId: string;
  /** Absent in payloads queued before scopes existed: treated as `all`. */
  scope?: InventoryPushScope;
}

/**
 * Queue a push of one location's counts to Shopify (coalesced per location, scope and window).
 * Without a scope it is the reconciling push (`all`): a caller that only knows "Shopify may
 * differ here" gets every level compared.  `variantIds`: Shopify may differ for these levels (a
 * level webhook with another figure): they are marked to push (what Shopify holds is no longer
 * known) and the push is `changed`, reading just them.
 */
export async function requestInventoryPush(tx: Q, shop: string, locationId: string, now: Date, opts: { scope?: InventoryPushScope; variantIds?: string[] } = {}) {
  // The version bump tells a push already running not to record, over this, the figure it read
  // before (shopify-inventory-push.server.ts, recordPushed): the record may already be null.
  if (opts.variantIds?.length) {
    await tx.inventoryLevel.updateMany({ where: { shop, locationId, variantId: { in: opts.variantIds } }, data: { pushedOnHand: null, pushedOnHandVersion: { increment: 1 } } });
  }
  const scope = opts.scope ?? (opts.variantIds?.length ? "changed" : "all");
  const window = Math.floor(now.getTime() / PUSH_WINDOW_MS);
  const payload: InventoryPushJob = { shop, locationId, scope };
  await writeOutbox(tx, {
    shop,
    topic: SHOPIFY_PUSH_INVENTORY_JOB,
    payload,
    jobKey: inventoryPushJobKey(locationId),
    jobDedupeKey: `${SHOPIFY_PUSH_INVENTORY_JOB}:${locationId}:${scope}:${window}`,
    availableAt: new Date((window + 1) * PUSH_WINDOW_MS),
  });
}

export async function setLocationStockSource(deps: { db: Db; now: () => Date }, shop: string, locationRef: string, source: string) {
  if (!(STOCK_SOURCES as readonly string[]).includes(source)) throw DomainError.invalid("stockSource", `"${source}" is not a stock source: use shopify (mirror Shopify's counts) or hub (push the hub's counts to Shopify)`);
  const location = await findLocation(deps.db, shop, locationRef);
  // A marketplace keeps its own stock (Amazon FBA: Amazon counts and ships it; the hub only reads
  // its reports) and has no Shopify level to push to: the hub cannot be the source of its counts.
  if (source === "hub" && (location.readOnly || location.kind === "marketplace")) {
    throw DomainError.invalid("location", `${location.name} is ${location.kind === "marketplace" ? "a marketplace location" : "read-only"} (its stock is counted by the marketplace, e.g. Amazon FBA): the hub cannot own its counts`);
  }
  await deps.db.$transaction(async (tx) => {
    await tx.location.update({ where: { id: location.id }, data: { stockSource: source } });
    // Becoming the owner: every level is compared and Shopify gets the hub's counts now (what
    // Shopify was last seen to hold is not known any more: it changed while Shopify owned them).
    if (source === "hub") await requestInventoryPush(tx, shop, location.id, deps.now(), { scope: "all" });
  });
  return { locationId: location.id, name: location.name, stockSource: source as StockSource };
}

/**
 * A count the hub owns (a cycle count, a 3PL's stock report): on hand becomes `onHand`, available
 * moves by the same difference (what is committed stays committed), with a ledger entry, and the
 * location's push to Shopify is queued.  Refused at a location that mirrors Shopify: there the count
 * is changed in Shopify.
 */
export async function setHubCount(deps: { db: Db; now: () => Date }, shop: string, input: { locationRef: string; sku: string; onHand: number; reason: string; actor: string }) {
  if (!Number.isInteger(input.onHand) || input.onHand < 0) throw DomainError.invalid("onHand", `must be a whole number ≥ 0, got ${input.onHand}`);
  if (!input.reason.trim()) throw DomainError.invalid("reason", "say why the count changed (e.g. cycle count, 3PL stock report)");
  const location = await findLocation(deps.db, shop, input.locationRef);
  if (location.readOnly || location.kind === "marketplace") {
    throw DomainError.invalid("location", `${location.name} is a marketplace location (its stock is counted by the marketplace, e.g. Amazon FBA): the hub does not take counts there`);
  }
  if (location.stockSource !== "hub") {
    throw DomainError.invalid("location", `${location.name} mirrors Shopify's counts: change the count in Shopify, or make the hub its stock source first (oms stock-source "${location.name}" hub)`);
  }
  const variant = await deps.db.variant.findFirst({ where: { shop, sku: input.sku } });
  if (!variant) throw DomainError.invalid("sku", `no SKU ${input.sku} in this shop`);
  // A kit's stock is what its components allow (docs/inventory.md, kits): a count of the kit itself
  // would be a level nothing reads, and pushing it would give Shopify a number no shelf holds.
  if (variant.isKit) throw DomainError.invalid("sku", `${input.sku} is a kit: it has no stock of its own; count its components instead`);
  const now = deps.now();
  // Available moves by the count's difference relative to the row as written, not to a figure read
  // before: a sale committed meanwhile stays committed (applyCount).
  const r = await applyCount(deps, { shop, variantId: variant.id, locationId: location.id, onHand: input.onHand, sourceUpdatedAt: now, source: "manual", reason: input.reason, actor: input.actor });
  // Only this count's level (and any other whose count Shopify has not had yet) is read and written.
  if (r.applied && r.changed.length) await requestInventoryPush(deps.db, shop, location.id, now, { scope: "changed" });
  return { location: location.name, sku: input.sku, onHand: input.onHand, available: r.available, changed: r.applied ? r.changed.length : 0 };
}

async function findLocation(db: Db, shop: string, ref: string) {
  const location = (await db.location.findFirst({ where: { shop, id: ref } })) ?? (await db.location.findFirst({ where: { shop, name: ref } }));
  if (!location) throw DomainError.invalid("location", `no location "${ref}" in this shop`);
  return location;
}

/**
 * A return restocked in Shopify at a location whose stock the hub owns (refunds/create,
 * `restock_type: "return"`, https://shopify.dev/docs/api/admin-rest/latest/resources/refund): the
 * units are back on the shelf, so the hub's own count takes them (on_hand and available + q, ledger
 * source `return`).  Shopify's level webhooks are not mirrored there, so without this a reconciling
 * push would take the restocked units off Shopify again.  Once per (refund, line): the ledger entry's
 * reference is the key, checked in the same transaction.  Shopify's own figure changed too, so the
 * item's record of it is cleared and a `changed` push queued, as after a shipment.
 * Returns false when the location is not hub-owned (Shopify's counts carry the restock there) or the
 * restock was applied before.
 */
export async function applyHubOwnedRestock(
  deps: { db: Db; now: () => Date },
  args: { shop: string; locationId: string; variantId: string; quantity: number; reference: string; reason: string; occurredAt: Date },
): Promise<boolean> {
  if (!Number.isInteger(args.quantity) || args.quantity <= 0) return false;
  return deps.db.$transaction(async (tx) => {
    if (!(await isHubOwnedLocation(tx, args.shop, args.locationId))) return false;
    const where = { variantId_locationId: { variantId: args.variantId, locationId: args.locationId } };
    const seen = await tx.inventoryLedgerEntry.count({ where: { shop: args.shop, variantId: args.variantId, locationId: args.locationId, source: "return", reference: args.reference } });
    if (seen > 0) return false;
    if (!(await tx.inventoryLevel.findUnique({ where, select: { id: true } }))) {
      await tx.inventoryLevel.create({ data: { id: randomUUID(), shop: args.shop, variantId: args.variantId, locationId: args.locationId } });
    }
    const after = await tx.inventoryLevel.update({ where, data: { onHand: { increment: args.quantity }, available: { increment: args.quantity }, version: { increment: 1 } }, select: { onHand: true, available: true } });
    const base = { shop: args.shop, variantId: args.variantId, locationId: args.locationId, source: "return" as const, reason: args.reason, reference: args.reference, actor: "shopify", occurredAt: args.occurredAt };
    await writeLedger(tx, [
      { ...base, quantityName: "on_hand", delta: args.quantity, resulting: after.onHand },
      { ...base, quantityName: "available", delta: args.quantity, resulting: after.available },
    ]);
    const now = deps.now();
    await markAtsChanged(tx, args.shop, [args.variantId], now);
    await requestInventoryPush(tx, args.shop, args.locationId, now, { variantIds: [args.variantId] });
    return true;
  });
}
