/**
 * inventory_levels/* and inventory_items/* → level updates and variant links.
 * Samples: https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-inventory_levels/update
 * (and connect, disconnect; inventory_items/create, update, delete).
 *
 * Levels are absolute (`available` as Shopify now has it) and ordered by `updated_at`: the
 * inventory module ignores one older than the last it applied.  Ids come from
 * `admin_graphql_api_id` (gid://shopify/InventoryLevel/<location>?inventory_item_id=<item>) when
 * present, else from the numeric ids.
 */
import { z } from "zod";
import { gidOf, splitInventoryLevelGid, toGid } from "./ids";
import { WebhookPayloadError } from "./json";
import { numericId, parsePayload, timestamp } from "./schema";

const levelPayload = z.object({
  inventory_item_id: numericId,
  location_id: numericId,
  available: z.number().int("must be a whole number").nullish(),
  updated_at: timestamp,
  admin_graphql_api_id: z.string().nullish(),
});

const disconnectPayload = z.object({ inventory_item_id: numericId, location_id: numericId });

export interface MappedLevelUpdate {
  inventoryItemGid: string;
  locationGid: string;
  /** Absolute values by Shopify quantity name (only those the payload carries). */
  quantities: { available?: number };
  sourceUpdatedAt: Date;
}

function ends(p: { inventory_item_id: string; location_id: string; admin_graphql_api_id?: string | null }, topic: string) {
  if (p.admin_graphql_api_id) {
    const s = splitInventoryLevelGid(p.admin_graphql_api_id);
    if (!s) throw new WebhookPayloadError(`${topic}.admin_graphql_api_id`, "must be gid://shopify/InventoryLevel/<location>?inventory_item_id=<item>");
    return s;
  }
  return { inventoryItemGid: toGid("InventoryItem", p.inventory_item_id), locationGid: toGid("Location", p.location_id) };
}

/** inventory_levels/update and inventory_levels/connect. */
export function mapInventoryLevel(raw: string | unknown, topic = "inventory_levels/update"): MappedLevelUpdate {
  const p = parsePayload(levelPayload, raw, topic);
  return { ...ends(p, topic), quantities: p.available == null ? {} : { available: p.available }, sourceUpdatedAt: p.updated_at };
}

/** inventory_levels/disconnect: the item is no longer stocked at the location (no timestamp in the payload). */
export function mapInventoryLevelDisconnect(raw: string | unknown, topic = "inventory_levels/disconnect") {
  const p = parsePayload(disconnectPayload, raw, topic);
  return ends(p, topic);
}

const itemPayload = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().nullish(),
  sku: z.string().nullish(),
  tracked: z.boolean().nullish(),
  updated_at: timestamp.nullish(),
});

export interface MappedInventoryItem {
  inventoryItemGid: string;
  /** Null when the item has no SKU (the hub keys variants by SKU, so it cannot be linked). */
  sku: string | null;
  tracked: boolean | null;
  updatedAt: Date | null;
}

/** inventory_items/create and inventory_items/update (delete: only the id matters). */
export function mapInventoryItem(raw: string | unknown, topic = "inventory_items/update"): MappedInventoryItem {
  const p = parsePayload(itemPayload, raw, topic);
  const sku = p.sku?.trim() || null;
  return { inventoryItemGid: gidOf("InventoryItem", p.id, p.admin_graphql_api_id)!, sku, tracked: p.tracked ?? null, updatedAt: p.updated_at ?? null };
}
