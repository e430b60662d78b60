import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { intakeOrder, rerouteUnroutable } from "#app/modules/orders/index";
import { activateVersion, decisionsFor, REROUTE_UNROUTABLE_JOB, routingFixtures, saveDraft, type SweepJob } from "#app/modules/routing/index";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeSku, setStock } from "#test/support/inventory";
import { memoryLogger } from "#test/support/runtime";
import { peerAdminClient } from "#test/support/shopify-import";

/**
 * The fix docs/routing.md and the README give for a location without coordinates: Shopify's
 * location webhooks carry none (the REST Location has no latitude/longitude) and a merchant sets an
 * address in Shopify, not coordinates; the import reads Shopify's geocoded `address.latitude /
 * longitude` (GraphQL Location).  So a Resync that brings them must queue the unroutable sweep,
 * and the sweep then routes the stuck order.  Against the Shopify sandbox peer.
 */
const SHOP = "coords-resync.myshopify.com";
const T0 = new Date("2026-11-24T18:30:00Z");
const NY = { countryCode: "US", provinceCode: "NY", zip: "11201", city: "Brooklyn", lat: 40.6782, lng: -73.9442 };

describeEachDatabase("a resync that brings a location's coordinates re-routes the stuck orders", (tdb) => {
  let sandbox: ShopifySandbox;
  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0 } });
  });
  afterAll(async () => sandbox?.stop());
  beforeEach(async () => truncateAll(tdb().handle));

  it("the import sets West Warehouse's coordinates from Shopify, queues the sweep, and the sweep routes the order", async () => {
    const { db } = tdb().handle;
    const deps = () => ({ db, now: () => T0, logger: memoryLogger("warn"), pollMs: 20, client: peerAdminClient(sandbox, SHOP) });
    // The hub knows West Warehouse (the import links it by name) but has no coordinates for it.
    const west = await db.location.create({ data: { id: "hub-west", shop: SHOP, name: "West Warehouse", kind: "warehouse", countryCode: "US", timeZone: "America/Los_Angeles" } });
    const tee = await makeSku(db, SHOP, "TEE-M");
    await setStock(db, SHOP, tee.id, west.id, 5);
    await makeChannel(db, SHOP, "online", [west.id], { kind: "online_store", hubHoldsStock: false });
    await saveDraft(db, SHOP, { rules: [routingFixtures.rule("default", { fallback: { kind: "backorder" } })], actor: "test" });
    await activateVersion({ db, now: () => T0 }, SHOP, 1);
    const stuck = await intakeOrder({ db, now: () => T0 }, SHOP, { channel: "online", externalOrderId: "HUB-1", destination: NY, paid: true, lines: [{ lineKey: "1", sku: "TEE-M", quantity: 2 }] }, "test");
    expect(stuck.status).toBe("unroutable");
    expect(stuck.decision!.reason).toMatch(/^no location can ship this order until its settings are fixed: .*no coordinates/);
    expect(await db.outboxMessage.count({ where: { shop: SHOP, topic: REROUTE_UNROUTABLE_JOB } })).toBe(0);

    await importShopifyShop(deps(), SHOP);

    expect(await db.location.findUniqueOrThrow({ where: { id: west.id } })).toMatchObject({ latitude: 34.0559, longitude: -117.5972 });
    const requests = await db.outboxMessage.findMany({ where: { shop: SHOP, topic: REROUTE_UNROUTABLE_JOB } });
    const causes = requests.map((m) => (JSON.parse(m.payload) as SweepJob).cause);
    expect(causes).toContain("location West Warehouse changed in Shopify (latitude, longitude)");

    // What the job does with that request.
    const sweep = await rerouteUnroutable({ db, now: () => T0 }, SHOP, { cause: "location West Warehouse changed in Shopify (latitude, longitude)" });
    expect(sweep).toMatchObject({ routed: 1, failed: [] });
    const [latest] = await decisionsFor(db, SHOP, stuck.orderId);
    expect(latest).toMatchObject({ status: "routed", trigger: "auto-reroute", actor: "system: location West Warehouse changed in Shopify (latitude, longitude)" });
  });
});
