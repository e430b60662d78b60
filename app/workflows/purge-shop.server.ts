import type { Db } from "#app/platform/db/client.server";
import { PLATFORM_TENANT_MODELS, purgePlatformData } from "#app/platform/tenancy.server";
import { PRIVACY_TENANT_MODELS, purgePrivacyData } from "#app/modules/privacy/index";
import { SHOPS_TENANT_MODELS, deleteShopRow, markShopUninstalled } from "#app/modules/shops/index";
import { INVENTORY_TENANT_MODELS, purgeInventoryData } from "#app/modules/inventory/index";
import { ROUTING_TENANT_MODELS, purgeRoutingData } from "#app/modules/routing/index";
import { ORDERS_TENANT_MODELS, purgeOrdersData } from "#app/modules/orders/index";
import { AMAZON_TENANT_MODELS, purgeAmazonData } from "#app/modules/amazon/index";

/**
 * Every model holding tenant data, by owning area.  test/integration/purge-shop checks that this
 * covers every model with a `shop` column, so a new table cannot be forgotten by the purge.
 */
export const PURGED_MODELS: readonly string[] = [...PLATFORM_TENANT_MODELS, ...PRIVACY_TENANT_MODELS, ...INVENTORY_TENANT_MODELS, ...ROUTING_TENANT_MODELS, ...ORDERS_TENANT_MODELS, ...AMAZON_TENANT_MODELS, ...SHOPS_TENANT_MODELS];

export interface PurgeOptions {
  /** app/uninstalled keeps the Shop row (marked uninstalled) so a reinstall is recognised. */
  keepShopRow: boolean;
  now: Date;
}

/** Delete everything this app holds for one shop, in one transaction. */
export async function purgeShop(db: Db, shop: string, opts: PurgeOptions) {
  return db.$transaction(async (tx) => {
    const platform = await purgePlatformData(tx, shop);
    const exports = await purgePrivacyData(tx, shop);
    const inventoryRows = await purgeInventoryData(tx, shop);
    const routingRows = (await purgeRoutingData(tx, shop)).count;
    const orderRows = await purgeOrdersData(tx, shop);
    const amazonRows = await purgeAmazonData(tx, shop);
    if (opts.keepShopRow) await markShopUninstalled(tx, shop, opts.now);
    else await deleteShopRow(tx, shop);
    return { ...platform, dataExports: exports.count, inventoryRows, routingRows, orderRows, amazonRows, shopRow: opts.keepShopRow ? "kept (uninstalled)" : "deleted" };
  });
}
