import { Session } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { SHOP_INFO } from "#connectors/shopify/client/documents";
import { parseEnv } from "./env.server";
import { DomainError } from "./errors";
import { createLogger } from "./logger.server";
import { createShopifyAdmin, type ShopifyAdminDeps } from "./shopify-admin.server";

/** The runtime's factory: offline session → shopify-api transport; SHOPIFY_ADMIN_URL → fetch transport. */
const SHOP = "wired-shop.myshopify.com";
const env = parseEnv({
  SHOPIFY_API_KEY: "client-id",
  SHOPIFY_API_SECRET: "client-secret",
  SHOPIFY_APP_URL: "https://oms.example.com",
  SCOPES: "read_orders,write_inventory",
  OMS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}`,
});
const logger = createLogger({ level: "error", write: () => {} });
const answer = {
  data: { shop: { id: "gid://shopify/Shop/9", name: "Wired", myshopifyDomain: SHOP, email: "w@example.com", currencyCode: "EUR", ianaTimezone: "Europe/Berlin", weightUnit: "KILOGRAMS", plan: { publicDisplayName: "Basic", partnerDevelopment: false, shopifyPlus: false }, primaryDomain: { host: SHOP } } },
  extensions: { cost: { requestedQueryCost: 3, actualQueryCost: 3, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1997, restoreRate: 100 } } },
};

/** The part of the app the factory uses: `unauthenticated.admin(shop)` → `{ session }`. */
function fakeShopify(load: (shop: string) => Promise<Session>): ShopifyAdminDeps["shopify"] {
  return { unauthenticated: { admin: async (shop: string) => ({ session: await load(shop), admin: {} }) } } as unknown as ShopifyAdminDeps["shopify"];
}

describe("createShopifyAdmin", () => {
  it("uses the shop's offline session through shopify-api, loading it once for several calls", async () => {
    const tokens: (string | null)[] = [];
    nock(`https://${SHOP}`)
      .post("/admin/api/2026-10/graphql.json")
      .times(2)
      .reply(async (req: Request) => {
        tokens.push(req.headers.get("x-shopify-access-token"));
        return [200, answer, { "content-type": "application/json" }];
      });
    let loads = 0;
    const shopify = fakeShopify(async (shop) => {
      loads++;
      return new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_wired" });
    });
    const admin = createShopifyAdmin({ env, shopify, logger });
    expect((await admin.adminClientFor(SHOP).query(SHOP_INFO)).shop.name).toBe("Wired");
    expect((await admin.adminClientFor(SHOP).query(SHOP_INFO)).shop.currencyCode).toBe("EUR");
    expect(tokens).toEqual(["shpat_wired", "shpat_wired"]);
    expect(loads).toBe(1);
  });

  it("a shop without an offline session is NOT_FOUND (the job fails at once, nothing is sent)", async () => {
    const shopify = fakeShopify(async () => {
      throw new SessionNotFoundError("no session");
    });
    const admin = createShopifyAdmin({ env, shopify, logger });
    const err = await admin.adminClientFor(SHOP).query(SHOP_INFO).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: "NOT_FOUND" });
  });

  it("SHOPIFY_ADMIN_URL: a plain fetch to that base URL with SHOPIFY_ADMIN_TOKEN, no session needed", async () => {
    const seen: (string | null)[] = [];
    nock("http://127.0.0.1:4010")
      .post("/admin/api/2026-10/graphql.json")
      .reply(async (req: Request) => {
        seen.push(req.headers.get("x-shopify-access-token"));
        return [200, answer, { "content-type": "application/json" }];
      });
    const shopify = fakeShopify(async () => {
      throw new Error("must not load a session");
    });
    const admin = createShopifyAdmin({ env, shopify, logger, adminUrl: "http://127.0.0.1:4010", adminToken: "shpat_sandbox" });
    expect((await admin.adminClientFor(SHOP).query(SHOP_INFO)).shop.id).toBe("gid://shopify/Shop/9");
    expect(seen).toEqual(["shpat_sandbox"]);
  });
});
