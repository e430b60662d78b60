import type { Db, DbTx } from "#app/platform/db/client.server";

export interface ShopProfile {
  domain: string;
  name: string;
  scopes: string;
  currencyCode?: string | null;
  ianaTimezone?: string | null;
}

export function findShop(db: Db, domain: string) {
  return db.shop.findUnique({ where: { domain } });
}

export function listShops(db: Db) {
  return db.shop.findMany({ orderBy: { domain: "asc" } });
}

/** Install or reinstall: the row comes back to "installed" with fresh profile data. */
export function upsertInstalledShop(db: Db | DbTx, p: ShopProfile, now: Date) {
  const data = {
    name: p.name,
    scopes: p.scopes,
    currencyCode: p.currencyCode ?? null,
    ianaTimezone: p.ianaTimezone ?? null,
    installState: "installed",
    installedAt: now,
    uninstalledAt: null,
  };
  return db.shop.upsert({ where: { domain: p.domain }, create: { domain: p.domain, ...data }, update: data });
}

export function markShopUninstalled(db: Db | DbTx, domain: string, now: Date) {
  return db.shop.updateMany({ where: { domain }, data: { installState: "uninstalled", uninstalledAt: now } });
}

export function updateShopScopes(db: Db | DbTx, domain: string, scopes: string) {
  return db.shop.updateMany({ where: { domain }, data: { scopes } });
}

export function deleteShopRow(db: Db | DbTx, domain: string) {
  return db.shop.deleteMany({ where: { domain } });
}
