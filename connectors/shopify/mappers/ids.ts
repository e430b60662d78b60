/**
 * Shopify ids: REST-style webhook payloads carry numeric ids (exact decimal strings after
 * parseShopifyJson) and usually `admin_graphql_api_id` as well.  The hub keys Shopify objects by
 * their GraphQL global id (gid://shopify/<Type>/<n>), which is what the Admin GraphQL API returns.
 */
export type NumericId = number | string;

/** "gid://shopify/Order/123" for ("Order", 123). */
export function toGid(type: string, id: NumericId): string {
  return `gid://shopify/${type}/${String(id)}`;
}

/** The numeric tail of a gid (query string dropped): "gid://shopify/Location/5?x=1" → "5". */
export function gidTail(gid: string): string {
  const path = gid.split("?")[0]!;
  return path.slice(path.lastIndexOf("/") + 1);
}

/** A gid as given, or built from a numeric id. */
export function gidOf(type: string, value: NumericId | null | undefined, gid?: string | null): string | null {
  if (gid) return gid;
  if (value === null || value === undefined || value === "") return null;
  return toGid(type, value);
}

/**
 * An InventoryLevel gid names both ends: gid://shopify/InventoryLevel/<locationId>?inventory_item_id=<itemId>
 * (see Shopify's inventory_levels/update sample).  Returns the two gids, or null if it is not one.
 */
export function splitInventoryLevelGid(gid: string): { inventoryItemGid: string; locationGid: string } | null {
  const m = /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)$/.exec(gid);
  return m ? { locationGid: toGid("Location", m[1]!), inventoryItemGid: toGid("InventoryItem", m[2]!) } : null;
}
