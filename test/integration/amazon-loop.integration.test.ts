import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAmazonSandbox, type AmazonSandbox } from "#connectors/amazon/sandbox/index";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { saveAmazonAccount } from "#app/modules/amazon/index";
import { activateVersion, routingFixtures, saveDraft } from "#app/modules/routing/index";
import { recordInboundEvent } from "#app/platform/inbound-events.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { acceptOrderChangeNotification } from "#app/workflows/amazon-orders.server";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel } from "#test/support/inventory";
import { memoryLogger, testRuntime } from "#test/support/runtime";

/**
 * The whole Amazon loop with both sandbox peers and the app's own runtime (every job registered as
 * in production, the SP-API client through AMAZON_SANDBOX_URL, the Admin client through
 * SHOPIFY_ADMIN_URL): an Amazon order whose notification arrives twice → reserved, routed,
 * created once in Shopify → the ATS it changed published back to Amazon → Shopify fulfills it →
 * the shipment is confirmed to Amazon once.
 */
const SHOP = "amazon-loop.myshopify.com";
const SELLER = "A2LOOPSELLER01";
const US = "ATVPDKIKX0DER";

describeEachDatabase("Amazon loop: order in → Shopify → quantities out → shipment out (both peers)", (tdb) => {
  let shopify: ShopifySandbox;
  let amazon: AmazonSandbox;
  let rt: AppRuntime;

  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    shopify = await startShopifySandbox({ schemaDir, shop: SHOP, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0 } });
    amazon = await startAmazonSandbox({ sellerId: SELLER, marketplaces: [US], randomSeed: 5, seed: { listings: [{ sku: "AMZ-TEE-M", quantity: 40 }] } });
    rt = testRuntime(tdb().url, { SHOPIFY_ADMIN_URL: shopify.url, SHOPIFY_ADMIN_TOKEN: shopify.accessToken, AMAZON_SANDBOX_URL: amazon.url });
    await truncateAll(tdb().handle);
    await importShopifyShop({ db: rt.db, now: () => new Date(), logger: memoryLogger("warn"), pollMs: 20, client: rt.shopifyAdmin.adminClientFor(SHOP) }, SHOP);
    // The two warehouses the peer's seed places (the wholesale DC has no coordinates to route by).
    const locations = await rt.db.location.findMany({ where: { shop: SHOP, name: { in: ["West Warehouse", "East DC"] } } });
    const channel = await makeChannel(rt.db, SHOP, "amazon-us", locations.map((l) => l.id), { kind: "amazon", hubHoldsStock: true });
    const tee = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } });
    await rt.db.channelListing.create({ data: { id: randomUUID(), shop: SHOP, channelId: channel.id, variantId: tee.id, externalSku: "AMZ-TEE-M" } });
    const { rule } = routingFixtures;
    await saveDraft(rt.db, SHOP, { rules: [rule("priority", { sort: [{ by: "location_priority" }], splitPolicy: { kind: "split_lines" } })], actor: "test" });
    await activateVersion({ db: rt.db, now: () => new Date() }, SHOP, 1);
    // Connected through the connect flow: the credentials are checked with the peer's LWA endpoint.
    await saveAmazonAccount(
      { db: rt.db, secrets: rt.secrets, now: rt.now, checkCredentials: rt.amazon.checkCredentials },
      SHOP,
      { region: "na", sellerId: SELLER, lwaClientId: amazon.lwa.clientId, lwaClientSecret: amazon.lwa.clientSecret, refreshToken: amazon.lwa.refreshToken, marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }], features: {} },
    );
  });
  afterAll(async () => {
    await rt?.close();
    await shopify?.stop();
    await amazon?.close();
  });

  /** Relay the outbox and run the jobs it makes until nothing is due (publish windows are 2 s). */
  async function settle(rounds = 4) {
    for (let i = 0; i < rounds; i++) {
      await rt.relay.runOnce();
      await rt.runner.drain({ timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 2_100));
    }
    await rt.relay.runOnce();
    await rt.runner.drain({ timeoutMs: 30_000 });
  }

  it("an Amazon order notified twice is taken in once, created once in Shopify, its ATS published back, and its shipment confirmed once", async () => {
    const [order] = amazon.generateOrders(1, { fulfilledBy: "MERCHANT", skus: [{ sku: "AMZ-TEE-M", quantity: 2 }] });
    const notification = amazon.state.notifications.find((n) => JSON.stringify(n).includes(order!.orderId))!;
    const accepted = [await acceptOrderChangeNotification(rt, notification), await acceptOrderChangeNotification(rt, notification)];
    expect(accepted.map((a) => a.duplicate)).toEqual([false, true]);
    await settle();

    // In the hub: one order, routed, holding 2 tees.
    const hub = await rt.db.order.findMany({ where: { shop: SHOP, externalOrderId: order!.orderId } });
    expect(hub.map((o) => o.status)).toEqual(["routed"]);
    // In Shopify: created once, attributed to the Amazon order.
    const inShopify = shopify.store.orders.filter((o) => o.sourceIdentifier === order!.orderId);
    expect(inShopify).toHaveLength(1);
    // On Amazon: the listing now shows the hub's ATS for the channel, not the stale 40.
    const channel = await rt.db.channel.findFirstOrThrow({ where: { shop: SHOP, code: "amazon-us" } });
    const tee = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } });
    const ats = await rt.db.atsPublication.findFirstOrThrow({ where: { shop: SHOP, channelId: channel.id, variantId: tee.id } });
    expect(ats.status).toBe("published");
    const listing = await rt.db.amazonListingQuantity.findFirstOrThrow({ where: { shop: SHOP, sellerSku: "AMZ-TEE-M" } });
    expect(listing).toMatchObject({ status: "accepted", accepted: ats.lastAts });
    expect(amazon.state.catalog.mfnQuantity("AMZ-TEE-M")).toBe(ats.lastAts);
    expect(ats.lastAts).not.toBe(40);

    // Shopify fulfills it with tracking (fulfillments/create, as Shopify sends it): confirmed to Amazon once.
    const shopifyOrder = inShopify[0]!;
    const hubLine = (await rt.db.orderLine.findFirstOrThrow({ where: { orderId: hub[0]!.id } }));
    const payload = {
      id: 880001,
      admin_graphql_api_id: "gid://shopify/Fulfillment/880001",
      order_id: shopifyOrder.n,
      status: "success",
      name: `${shopifyOrder.name}.1`,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      location_id: 1,
      tracking_company: "UPS",
      tracking_number: "1Z999AA10123456784",
      tracking_url: null,
      line_items: [{ id: shopifyOrder.lineItemNs[0], quantity: 2, sku: hubLine.sku }],
    };
    for (const id of ["wh-ful-1", "wh-ful-1"]) {
      await recordInboundEvent(rt.db, { shop: SHOP, source: "shopify.webhook", externalId: id, topic: "FULFILLMENTS_CREATE", payload: JSON.stringify(payload), occurredAt: new Date() });
    }
    await settle(2);
    const confirmation = await rt.db.amazonShipmentConfirmation.findMany({ where: { shop: SHOP, amazonOrderId: order!.orderId } });
    expect(confirmation.map((c) => [c.status, c.packageReferenceId, c.carrierCode])).toEqual([["confirmed", "880001", "UPS"]]);
    const atAmazon = amazon.state.orders.get(order!.orderId)!;
    expect(atAmazon.packages.map((p) => [p.packageReferenceId, p.trackingNumber])).toEqual([["880001", "1Z999AA10123456784"]]);
  }, 120_000);
});
