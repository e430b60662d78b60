import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
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

/**
 * A server listening on a free loopback port, bound before the runtime is built (its Admin URL must
 * name the port) and handed to the peer as is.  Picking a port and closing it again left a gap in
 * which any outbound connection could take it, and the peer's listen then failed with EADDRINUSE.
 */
export async function listenLoopback(): Promise<http.Server> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return server;
}

export function portOf(server: http.Server): number {
  return (server.address() as net.AddressInfo).port;
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
export async function startDemoPeers(runtime: AppRuntime, opts: { root: string; listener: http.Server; amazonListener: http.Server | null; appUrl: string; schemaDir: string; orderEveryMs: number }): Promise<DemoPeers> {
  const shop = runtime.env.SANDBOX_SHOP;
  const log = runtime.logger.child({ component: "demo-peers" });
  const shopify = await startShopifySandbox({
    listener: opts.listener,
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
  const amazon = opts.amazonListener ? await startDemoAmazon(runtime, { listener: opts.amazonListener }) : null;
  const job = await runtime.runner.add(SHOPIFY_IMPORT_JOB, { shop }, { shop, concurrencyKey: `shopify-import:${shop}` });
  let stream: { stop(): void } | null = null;
  let warehouse: { stop(): void } | null = null;
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
      if (amazon) warehouse = startDemoWarehouse(runtime, shopify, opts.orderEveryMs * 3);
    }
  };
  void waitForImport().catch((e) => log.error("demo peers: import watcher failed", { err: e }));
  return {
    shopify,
    amazon,
    async stop() {
      stopped = true;
      stream?.stop();
      warehouse?.stop();
      await amazon?.stop();
      await shopify.stop();
    },
  };
}

/**
 * The demo's warehouse: every `everyMs` it ships the oldest routed Amazon order the hub created in
 * Shopify, and Shopify tells the app with a signed fulfillments/create webhook (UPS tracking), as it
 * would when a fulfillment is created.  The app then consumes the reservation and confirms the
 * shipment to Amazon.  The Shopify peer does not implement fulfillmentCreate (its README), so only
 * the webhook is simulated here; its fulfillment orders stay open in the peer.
 */
function startDemoWarehouse(runtime: AppRuntime, shopify: ShopifySandbox, everyMs: number) {
  const shop = runtime.env.SANDBOX_SHOP;
  const log = runtime.logger.child({ component: "demo-peers" });
  const shipped = new Set<string>();
  let next = 880_000;
  const tick = async () => {
    const created = await runtime.db.orderEvent.findMany({ where: { shop, kind: "shopify.order_created" }, orderBy: { occurredAt: "asc" }, take: 200, select: { orderId: true, subjectId: true } });
    for (const c of created) {
      if (!c.subjectId || shipped.has(c.orderId)) continue;
      const order = await runtime.db.order.findFirst({ where: { shop, id: c.orderId, status: "routed" }, select: { id: true, channelId: true } });
      const channel = order ? await runtime.db.channel.findFirst({ where: { id: order.channelId }, select: { kind: true } }) : null;
      if (!order || channel?.kind !== "amazon") continue;
      const n = Number(/(\d+)$/.exec(c.subjectId)?.[1]);
      const peerOrder = shopify.store.orders.find((o) => o.n === n);
      if (!peerOrder) continue;
      shipped.add(c.orderId);
      const id = ++next;
      const now = new Date().toISOString();
      await shopify.emitWebhook("fulfillments/create", {
        id,
        admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`,
        order_id: peerOrder.n,
        status: "success",
        name: `${peerOrder.name}.1`,
        created_at: now,
        updated_at: now,
        tracking_company: "UPS",
        tracking_number: `1Z999AA1${String(id).padStart(10, "0")}`,
        tracking_url: null,
        line_items: peerOrder.lineItemNs.map((ln) => shopify.store.lineItem(ln)!).map((li) => ({ id: li.n, quantity: li.quantity, sku: li.sku })),
      });
      log.info("demo warehouse shipped an Amazon order (Shopify fulfillment webhook sent)", { orderId: c.orderId, shopifyOrder: peerOrder.name });
      return;
    }
  };
  const timer = setInterval(() => void tick().catch((e: unknown) => log.warn("demo warehouse failed", { err: e })), everyMs);
  return { stop: () => clearInterval(timer) };
}
