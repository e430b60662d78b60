import { createHash } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";

/**
 * Locations a marketplace manages (Amazon FBA): the hub mirrors their stock and never moves it, so
 * they are `kind: "marketplace"`, `readOnly: true`, and not eligible for any channel until a
 * merchant says so.  One per (shop, name).  The id is derived from both, so two sync jobs racing to
 * create it insert the same primary key and the loser reads the winner's row instead of adding a
 * second "Amazon FBA" (Location has no unique (shop, name) and this area does not own the schema).
 */
export function marketplaceLocationId(shop: string, name: string): string {
  const h = createHash("sha256").update(`marketplace-location\u0000${shop}\u0000${name}`).digest("hex");
  // UUID-shaped (version nibble 5 and RFC 4122 variant), like every other location id.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function ensureMarketplaceLocation(db: Db | DbTx, shop: string, name: string) {
  if (!shop) throw new Error("ensureMarketplaceLocation: shop is required");
  if (!name.trim()) throw new Error("ensureMarketplaceLocation: name is required");
  const id = marketplaceLocationId(shop, name);
  const existing = await db.location.findUnique({ where: { id } });
  if (existing) {
    if (existing.shop !== shop) throw new Error(`location ${id} belongs to another shop`);
    return existing;
  }
  // A location of that name made another way (the merchant's, a seed): names are unique per shop, so
  // it is the one — adopted, never duplicated.
  const named = await db.location.findFirst({ where: { shop, name } });
  if (named) return named;
  // upsert on the primary key: a concurrent creator makes this an update of nothing, not a duplicate.
  return db.location.upsert({
    where: { id },
    create: { id, shop, name, kind: "marketplace", readOnly: true, shipsOnlineOrders: false, offersPickup: false, shipsFromStore: false },
    update: {},
  });
}
