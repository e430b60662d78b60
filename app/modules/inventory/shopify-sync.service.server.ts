import { randomUUID } from "node:crypto";
import { requestUnroutableSweep, routingRelevantChanges } from "#app/modules/routing/index";
import type { Db, DbTx } from "#app/platform/db/client.server";
import { markChannelChanged } from "./publishing.service.server";

/**
 * Keeping the hub's locations and SKU links in step with Shopify (locations/*, inventory_items/*
 * webhooks), and finding the hub's (variant, location) for a Shopify inventory level.  Every
 * lookup is by shop: a Shopify id from one shop never resolves in another.
 */
type Q = Db | DbTx;

/** A Shopify location as the hub stores it (plain fields; the Shopify gid links the two). */
export interface ShopifyLocationInput {
  shopifyLocationGid: string;
  name: string;
  address1: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  zip: string | null;
  coordinates?: { latitude: number; longitude: number };
  active: boolean;
  /** Shopify's updated_at; a webhook older than the last applied one is ignored. */
  updatedAt: Date | null;
}

/** Channels whose eligible locations include this one: their ATS moves when it (de)activates. */
async function markChannelsOf(tx: DbTx, shop: string, locationId: string, now: Date) {
  const channels = await tx.channel.findMany({ where: { shop }, select: { id: true, eligibleLocationIds: true } });
  for (const c of channels) {
    if ((JSON.parse(c.eligibleLocationIds) as string[]).includes(locationId)) await markChannelChanged(tx, shop, c.id, now);
  }
}

/**
 * locations/create|update|activate|deactivate.  The hub location is found by its Shopify gid, or
 * else by name among locations not yet linked (a location seeded or created in the hub before
 * Shopify's import), or created.  A new location is a "warehouse" until the merchant says otherwise.
 * Coordinates are kept unless the payload brings some.
 */
export async function applyShopifyLocation(deps: { db: Db; now: () => Date }, shop: string, input: ShopifyLocationInput) {
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const existing =
      (await tx.location.findFirst({ where: { shop, shopifyLocationId: input.shopifyLocationGid } })) ??
      (await tx.location.findFirst({ where: { shop, shopifyLocationId: null, name: input.name } }));
    if (existing?.shopifyUpdatedAt && input.updatedAt && input.updatedAt < existing.shopifyUpdatedAt) {
      return { locationId: existing.id, applied: false as const, reason: "older than the last applied update" };
    }
    const fields = {
      shopifyLocationId: input.shopifyLocationGid,
      name: input.name,
      address1: input.address1,
      city: input.city,
      province: input.province,
      countryCode: input.countryCode,
      zip: input.zip,
      active: input.active,
      ...(input.coordinates ? { latitude: input.coordinates.latitude, longitude: input.coordinates.longitude } : {}),
      ...(input.updatedAt ? { shopifyUpdatedAt: input.updatedAt } : {}),
    };
    if (existing) {
      // Another hub location may hold the name already (names are unique per shop): keep ours then.
      const clash = existing.name !== input.name && (await tx.location.findFirst({ where: { shop, name: input.name, NOT: { id: existing.id } } }));
      await tx.location.update({ where: { id: existing.id }, data: clash ? { ...fields, name: existing.name } : fields });
      if (existing.active !== input.active) await markChannelsOf(tx, shop, existing.id, now);
      // Coordinates set, or the location (re)activated: orders left unroutable may route now.
      const changed = routingRelevantChanges(existing, fields);
      if (changed.length) await requestUnroutableSweep(tx, shop, { cause: `location ${existing.name} changed in Shopify (${changed.join(", ")})`, now });
      return { locationId: existing.id, applied: true as const, created: false, nameKept: !!clash };
    }
    const clash = await tx.location.findFirst({ where: { shop, name: input.name } });
    const id = randomUUID();
    await tx.location.create({ data: { id, shop, kind: "warehouse", ...fields, name: clash ? `${input.name} (${input.shopifyLocationGid.split("/").pop()})` : input.name } });
    if (routingRelevantChanges(null, fields).length) await requestUnroutableSweep(tx, shop, { cause: `location ${input.name} added in Shopify`, now });
    return { locationId: id, applied: true as const, created: true, nameKept: false };
  });
}

/**
 * locations/delete: the hub keeps the row (levels, reservations and decisions refer to it) but
 * marks it inactive and unlinks it, so nothing routes to it or counts its stock.
 */
export async function removeShopifyLocation(deps: { db: Db; now: () => Date }, shop: string, shopifyLocationGid: string) {
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const loc = await tx.location.findFirst({ where: { shop, shopifyLocationId: shopifyLocationGid } });
    if (!loc) return { removed: false as const, reason: "no hub location is linked to it" };
    await tx.location.update({ where: { id: loc.id }, data: { active: false, shopifyLocationId: null } });
    if (loc.active) await markChannelsOf(tx, shop, loc.id, now);
    return { removed: true as const, locationId: loc.id };
  });
}

/**
 * inventory_items/create|update: link the hub variant with that SKU to the Shopify inventory item
 * (the hub keys SKUs by shop + SKU).  If the item was linked to another variant (its SKU changed
 * in Shopify), that link moves.  No variant with the SKU → nothing to link (the catalog import
 * creates it).
 */
export async function linkInventoryItem(db: Db, shop: string, input: { inventoryItemGid: string; sku: string | null }) {
  if (!input.sku) return { linked: false as const, reason: "the inventory item has no SKU" };
  return db.$transaction(async (tx) => {
    const variant = await tx.variant.findFirst({ where: { shop, sku: input.sku! } });
    if (!variant) return { linked: false as const, reason: `no SKU "${input.sku}" in the hub catalog yet` };
    if (variant.shopifyInventoryItemId === input.inventoryItemGid) return { linked: true as const, variantId: variant.id, changed: false };
    await tx.variant.updateMany({ where: { shop, shopifyInventoryItemId: input.inventoryItemGid, NOT: { id: variant.id } }, data: { shopifyInventoryItemId: null } });
    await tx.variant.update({ where: { id: variant.id }, data: { shopifyInventoryItemId: input.inventoryItemGid } });
    return { linked: true as const, variantId: variant.id, changed: true };
  });
}

/** inventory_items/delete: the variant keeps its stock history but is no longer Shopify's item. */
export async function unlinkInventoryItem(db: Q, shop: string, inventoryItemGid: string) {
  const r = await db.variant.updateMany({ where: { shop, shopifyInventoryItemId: inventoryItemGid }, data: { shopifyInventoryItemId: null } });
  return { unlinked: r.count };
}

/** The hub's (variant, location) for a Shopify inventory level, or why there is none. */
export async function resolveShopifyLevel(db: Q, shop: string, ref: { inventoryItemGid: string; locationGid: string }) {
  const [variant, location] = await Promise.all([
    db.variant.findFirst({ where: { shop, shopifyInventoryItemId: ref.inventoryItemGid }, select: { id: true } }),
    db.location.findFirst({ where: { shop, shopifyLocationId: ref.locationGid }, select: { id: true } }),
  ]);
  if (!variant) return { found: false as const, reason: `no hub SKU is linked to ${ref.inventoryItemGid}` };
  if (!location) return { found: false as const, reason: `no hub location is linked to ${ref.locationGid}` };
  return { found: true as const, variantId: variant.id, locationId: location.id };
}

/** The shop's locations with their Shopify links (what the order mapper needs for pickups). */
export async function shopLocationRefs(db: Q, shop: string) {
  const rows = await db.location.findMany({ where: { shop }, orderBy: { name: "asc" } });
  return rows.map((l) => ({
    id: l.id,
    shopifyLocationGid: l.shopifyLocationId,
    name: l.name,
    countryCode: l.countryCode,
    province: l.province,
    zip: l.zip,
    city: l.city,
    latitude: l.latitude,
    longitude: l.longitude,
  }));
}

/** Hub location id for a Shopify location gid (null when not linked). */
export async function locationIdForShopify(db: Q, shop: string, shopifyLocationGid: string | null | undefined) {
  if (!shopifyLocationGid) return null;
  return (await db.location.findFirst({ where: { shop, shopifyLocationId: shopifyLocationGid }, select: { id: true } }))?.id ?? null;
}
