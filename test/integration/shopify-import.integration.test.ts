import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { memoryLogger } from "#test/support/runtime";
import { makeSku, setStock } from "#test/support/inventory";
import { peerAdminClient } from "#test/support/shopify-import";

/**
 * Import / resync against the Shopify sandbox peer (real schema validation, real cost, a real
 * bulk operation streamed as JSONL): hub rows are linked rather than duplicated, differences
 * become ledger entries, and a second run changes nothing.
 */
const SHOP = "peer-import.myshopify.com";
const T0 = new Date("2026-11-24T18:30:00Z");

describeEachDatabase("Shopify import / resync (sandbox peer)", (tdb) => {
  let sandbox: ShopifySandbox;
  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0 } });
  });
  afterAll(async () => sandbox?.stop());
  beforeEach(async () => truncateAll(tdb().handle));

  const deps = () => ({
    db: tdb().handle.db,
    now: () => T0,
    logger: memoryLogger("warn"),
    pollMs: 20,
    client: peerAdminClient(sandbox, SHOP),
  });

  it("creates what the hub lacks, links what it has, and records differences in the ledger", async () => {
    const { db } = tdb().handle;
    // The hub already knows one location (by name) and one SKU with a different count.
    const west = await db.location.create({ data: { id: "hub-west", shop: SHOP, name: "West Warehouse", kind: "warehouse", latitude: 34, longitude: -117 } });
    const tee = await makeSku(db, SHOP, "TEE-M");
    await setStock(db, SHOP, tee.id, west.id, 7);

    const r = await importShopifyShop(deps(), SHOP);
    expect(r.locations).toEqual({ seen: 4, created: 3, linked: 1 });
    expect(r.variants).toMatchObject({ seen: 6, linked: 1, created: 5, withoutSku: 0 });
    expect(r.levels).toMatchObject({ seen: 10, skipped: 0, ignoredOlder: 0 });
    // Linked, not duplicated.
    expect(await db.location.count({ where: { shop: SHOP } })).toBe(4);
    expect((await db.location.findUniqueOrThrow({ where: { id: "hub-west" } })).shopifyLocationId).toMatch(/^gid:\/\/shopify\/Location\/\d+$/);
    expect((await db.variant.findUniqueOrThrow({ where: { id: tee.id } })).shopifyInventoryItemId).toMatch(/^gid:\/\/shopify\/InventoryItem\//);
    // Shopify's 10 replaces the hub's 7 with a ledger entry that says why.
    const level = await db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId: tee.id, locationId: west.id } } });
    expect(level.available).toBe(10);
    const entry = await db.inventoryLedgerEntry.findFirstOrThrow({ where: { variantId: tee.id, locationId: west.id, quantityName: "available", source: "sync" } });
    expect(entry).toMatchObject({ delta: 3, resulting: 10, reason: "Shopify import/resync", actor: "shopify.import" });
    // Every quantity name came across (TEE-L at the East DC: safety stock and damaged).
    const teeL = await db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-L" } });
    const east = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: "East DC" } });
    expect(await db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId: teeL.id, locationId: east.id } } })).toMatchObject({ available: 4, safetyStock: 1, damaged: 1 });
    // Products carry Shopify's tags (routing conditions and demand tiers read them).
    expect((await db.product.findFirstOrThrow({ where: { shop: SHOP, title: "Camp Cap" } })).tags).toBe("accessories");
  });

  it("a second run (resync) changes nothing and writes no ledger entry", async () => {
    await importShopifyShop(deps(), SHOP);
    const { db } = tdb().handle;
    const before = await db.inventoryLedgerEntry.count();
    const again = await importShopifyShop(deps(), SHOP);
    expect(again.levels).toMatchObject({ seen: 10, changed: 0 });
    expect(again.variants).toMatchObject({ created: 0, linked: 6 });
    expect(await db.inventoryLedgerEntry.count()).toBe(before);
    expect(await db.variant.count({ where: { shop: SHOP } })).toBe(6);
  });

  it("levels at a location whose stock the hub owns are not mirrored: the hub's count stays and a push to Shopify is queued", async () => {
    await importShopifyShop(deps(), SHOP);
    const { db } = tdb().handle;
    const east = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: "East DC" } });
    const west = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: "West Warehouse" } });
    const teeL = await db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-L" } });
    const teeM = await db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } });
    await db.location.update({ where: { id: east.id }, data: { stockSource: "hub" } });
    // The hub counted 9 at the East DC (Shopify says 4); the West Warehouse still mirrors Shopify (10).
    await setStock(db, SHOP, teeL.id, east.id, 9, { onHand: 11 });
    await setStock(db, SHOP, teeM.id, west.id, 7);

    await importShopifyShop(deps(), SHOP);
    const level = (variantId: string, locationId: string) => db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId, locationId } } });
    expect((await level(teeL.id, east.id)).available).toBe(9);
    expect((await level(teeM.id, west.id)).available).toBe(10);
    const pushes = await db.outboxMessage.findMany({ where: { shop: SHOP, topic: "shopify.pushInventory" } });
    expect(pushes.length).toBeGreaterThan(0);
    expect(new Set(pushes.map((m) => (JSON.parse(m.payload) as { locationId: string }).locationId))).toEqual(new Set([east.id]));
  });
});
