import { Session } from "@shopify/shopify-api";
import { upsertInstalledShop } from "#app/modules/shops/index";
import { loadCatalog } from "#app/modules/inventory/index";
import { demoCatalog } from "./demo-data";
import type { AppRuntime } from "#app/platform/runtime.server";

/** The demo tenant the sandbox runs as.  Idempotent: running it twice changes nothing. */
export async function seedDemoShop(runtime: AppRuntime) {
  const domain = runtime.env.SANDBOX_SHOP;
  const shop = await upsertInstalledShop(
    runtime.db,
    { domain, name: "Demo Outfitters", scopes: runtime.env.SCOPES, currencyCode: "USD", ianaTimezone: "America/Los_Angeles" },
    runtime.now(),
  );
  // An offline session, as token exchange would store it (the token is encrypted at rest like a
  // real one; the sandbox peers accept it).
  await runtime.shopify.sessionStorage!.storeSession(
    new Session({ id: `offline_${domain}`, shop: domain, state: "", isOnline: false, scope: runtime.env.SCOPES, accessToken: "shpat_sandbox_demo_token" }),
  );
  // Locations, ~500 SKUs with stock, channels and policies — once (a shop with locations is left as is).
  const catalog = await loadCatalog(runtime.db, domain, demoCatalog(), { now: runtime.now(), actor: "system:seed" });
  return { ...shop, catalog };
}
