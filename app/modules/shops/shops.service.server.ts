import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { AdminGraphql } from "#app/platform/shopify.server";
import { upsertInstalledShop } from "./shops.repository.server";

// https://shopify.dev/docs/api/admin-graphql/2026-10/queries/shop
export const SHOP_PROFILE_QUERY = `#graphql
  query OmsShopProfile {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
    }
  }
`;

interface ShopProfileResponse {
  data?: { shop?: { name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string } };
  errors?: { message: string }[];
}

/** After token exchange: read the shop's profile from Shopify and record the install. */
export async function recordInstall(db: Db, args: { shop: string; scopes: string; admin: AdminGraphql; now: Date }) {
  const res = await args.admin.graphql(SHOP_PROFILE_QUERY);
  const body = (await res.json()) as ShopProfileResponse;
  const shop = body.data?.shop;
  if (!shop) {
    throw new DomainError("UNAVAILABLE", `Shopify did not return the shop profile: ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
  }
  return upsertInstalledShop(
    db,
    { domain: args.shop, name: shop.name, scopes: args.scopes, currencyCode: shop.currencyCode, ianaTimezone: shop.ianaTimezone },
    args.now,
  );
}
