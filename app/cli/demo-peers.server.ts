import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { startShopifySandbox, type SandboxSeed, type ShopifySandbox } from "#connectors/shopify/sandbox/index";
import type { Db } from "#app/platform/db/client.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { startDemoAmazon, type DemoAmazon } from "./demo-amazon.server";
import { SHOPIFY_IMPORT_JOB } from "#app/workflows/shopify-import.server";

/**
 * The channel peers `./oms demo` runs beside the app (ARCHITECTURE.md "Sandbox peers"): today the
 * Shopify sandbox peer.  The app talks to it exactly as to Shopify — Admin GraphQL through the
 * cost-aware client (SHOPIFY_ADMIN_URL points there), webhooks signed with the app's secret to the
 * routes shopify.app.toml declares — so only base URLs and credentials differ from production.
 */
export const DEMO_ADMIN_TOKEN = "shpat_sandbox_demo_token";

/** A free loopback port, known before the runtime is built (its Admin URL must name it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** topic → route path, read from shopify.app.toml: the file Shopify itself reads is the one source. */
export function webhookRoutes(root: string): Record<string, string> {
  const toml = fs.readFileSync(path.join(root, "shopify.app.toml"), "utf8");
  const routes: Record<string, string> = {};
  for (const block of toml.split("[[webhooks.subscriptions]]").slice(1)) {
    const topics = /^\s*topics\s*=\s*\[([^\]]*)\]/m.exec(block)?.[1];
    const uri = /^\s*uri\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    if (!topics || !uri) continue;
    for (const t of topics.matchAll(/"([^"]+)"/g)) routes[t[1]!] = uri;
  }
  return routes;
}

/**
 * The Shopify side of the demo shop as the hub holds it right after seeding: locations, products and
 * Shopify's own quantities (not the hub's holds, which Shopify never sees).  So the first import
 * finds the two in agreement, and every difference later is a real change.
 */
export async function shopifySeedFromHub(db: Db, shop: string): Promise<SandboxSeed> {
  const [locations, products, variants, levels] = await Promise.all([
    db.location.findMany({ where: { shop }, orderBy: { createdAt: "asc" } }),
    db.product.findMany({ where: { shop }, orderBy: { createdAt: "asc" } }),
    db.variant.findMany({ where: { shop }, orderBy: { createdAt: "asc" } }),
    db.inventoryLevel.findMany({ where: { shop } }),
  ]);
  const skuOf = new Map(variants.map((v) => [v.id, v.sku]));
  return {
    shop: { name: "Demo Outfitters", currencyCode: "USD", ianaTimezone: "America/Los_Angeles" },
    locations: locations.map((l) => ({
      key: l.id,
      name: l.name,
      address1: l.address1 ?? undefined,
      city: l.city ?? undefined,
      province: l.province ?? undefined,
      countryCode: l.countryCode ?? undefined,
      zip: l.zip ?? undefined,
      latitude: l.latitude ?? undefined,
      longitude: l.longitude ?? undefined,
      shipsOnlineOrders: l.shipsOnlineOrders,
      offersPickup: l.offersPickup,
      kind: l.kind,
      readOnly: l.readOnly,
      isActive: l.active,
    })),
    products: products.map((p) => ({
      title: p.title,
      vendor: p.vendor ?? undefined,
      tags: p.tags ? p.tags.split(",") : [],
      // A kit is the hub's bundle of components: in Shopify it is a product without stock of its own.
      variants: variants.filter((v) => v.productId === p.id).map((v) => ({ sku: v.sku, title: v.title, price: 48, ...(v.isKit ? { kit: [] } : {}) })),
    })),
    levels: levels.map((l) => ({
      sku: skuOf.get(l.variantId)!,
      location: l.locationId,
      available: l.available,
      committed: l.committed,
      incoming: l.incoming,
      safetyStock: l.safetyStock,
      damaged: l.damaged,
      reserved: l.reserved,
      qualityControl: l.qualityControl,
    })),
  };
}

export interface DemoPeers {
  shopify: ShopifySandbox;
  /** The Amazon SP-API peer and the demo seller connected to it (when AMAZON_SANDBOX_URL names its port). */
  amazon: DemoAmazon | null;
  stop(): Promise<void>;
}

/**
 * Start the Shopify peer for the demo shop, queue the import (linking hub rows to Shopify's ids),
 * and once it has finished, start the stream of online-store and POS orders.
 */
export async function startDemoPeers(runtime: AppRuntime, opts: { root: string; port: number; amazonPort: number | null; appUrl: string; schemaDir: string; orderEveryMs: number }): Promise<DemoPeers> {
  const shop = runtime.env.SANDBOX_SHOP;
  const log = runtime.logger.child({ component: "demo-peers" });
  const shopify = await startShopifySandbox({
    port: opts.port,
    schemaDir: opts.schemaDir,
    shop,
    seed: await shopifySeedFromHub(runtime.db, shop),
    apiSecret: runtime.env.SHOPIFY_API_SECRET,
    appUrl: opts.appUrl,
    webhooks: webhookRoutes(opts.root),
    accessTokens: [DEMO_ADMIN_TOKEN],
    logger: { info: (msg, data) => log.debug(msg, data), warn: (msg, data) => log.warn(msg, data) },
  });
  log.info("Shopify sandbox peer listening", { url: shopify.url });
  const amazon = opts.amazonPort ? await startDemoAmazon(runtime, { port: opts.amazonPort }) : null;
  const job = await runtime.runner.add(SHOPIFY_IMPORT_JOB, { shop }, { shop, concurrencyKey: `shopify-import:${shop}` });
  let stream: { stop(): void } | null = null;
  let stopped = false;
  const waitForImport = async () => {
    for (;;) {
      if (stopped) return;
      const row = await runtime.db.job.findUnique({ where: { id: job.id } });
      if (row?.status === "completed") break;
      if (row?.status === "failed") {
        log.warn("Shopify import failed; the order stream stays off (see ./oms jobs --status failed)", { error: row.lastError });
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    if (opts.orderEveryMs > 0 && !stopped) {
      stream = shopify.startOrderStream({ everyMs: opts.orderEveryMs, channelMix: { web: 7, pickup: 1, pos: 2 } });
      log.info("Shopify sandbox: orders arrive from the online store and POS", { everyMs: opts.orderEveryMs });
      // Amazon orders are created in Shopify by the hub: start them once the catalog is linked, a little less often.
      amazon?.startOrders(opts.orderEveryMs * 2);
    }
  };
  void waitForImport().catch((e) => log.error("demo peers: import watcher failed", { err: e }));
  return {
    shopify,
    amazon,
    async stop() {
      stopped = true;
      stream?.stop();
      await amazon?.stop();
      await shopify.stop();
    },
  };
}
