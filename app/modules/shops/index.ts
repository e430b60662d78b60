/** Shops: the tenant record and its install lifecycle. */
export {
  findShop,
  listShops,
  upsertInstalledShop,
  markShopUninstalled,
  updateShopScopes,
  deleteShopRow,
  type ShopProfile,
} from "./shops.repository.server";
export { recordInstall, SHOP_PROFILE_QUERY } from "./shops.service.server";

/** Tables this area owns that carry a `shop` column (the purge workflow must cover them). */
export const SHOPS_TENANT_MODELS = ["Shop"] as const;
