import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";

/** Read views of locations for the admin's Locations pages (the services that change them are in hub-counts). */

/** One of the shop's locations by id; another shop's id is NOT_FOUND, exactly like an unknown one. */
export async function getLocation(db: Db, shop: string, id: string) {
  const location = await db.location.findFirst({ where: { shop, id } });
  if (!location) throw DomainError.notFound(`Location ${id}`, { locationId: id });
  return location;
}

/** The latest ledger entries of one SKU at one location, newest first (empty for an unknown SKU). */
export async function ledgerAtLocation(db: Db, shop: string, sku: string, locationId: string, limit = 10) {
  const variant = await db.variant.findFirst({ where: { shop, sku }, select: { id: true } });
  if (!variant) return [];
  return db.inventoryLedgerEntry.findMany({
    where: { shop, variantId: variant.id, locationId },
    orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
    take: limit,
    select: { id: true, quantityName: true, delta: true, resulting: true, source: true, reason: true, actor: true, occurredAt: true },
  });
}
