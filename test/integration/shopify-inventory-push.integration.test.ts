import { afterAll, beforeAll, expect, it } from "vitest";
import type { ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { setHubCount, setLocationStockSource } from "#app/modules/inventory/index";
import { recordInboundEvent } from "#app/platform/inbound-events.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { pushHubInventory } from "#app/workflows/shopify-inventory-push.server";
import { describeEachDatabase } from "#test/support/databases";
import { memoryLogger } from "#test/support/runtime";
import { startImportedPeerShop } from "#test/support/shopify-import";

/**
 * Inventory writes where the hub is the source of truth, against the Shopify sandbox peer: a
 * location marked "hub" gets the hub's counts pushed by compare-and-set; a sale in Shopify between
 * read and write makes the push re-read instead of overwriting it; Shopify's differing webhook
 * for such a location is corrected, not mirrored; a mirrored location refuses hub counts.
 */
const SHOP = "peer-push.myshopify.com";

describeEachDatabase("Inventory writes where the hub owns the stock (sandbox peer)", (tdb) => {
  let sandbox: ShopifySandbox;
  let rt: AppRuntime;
  const deps = () => ({ db: rt.db, now: () => new Date() });

  beforeAll(async () => {
    ({ sandbox, rt } = await startImportedPeerShop(tdb(), SHOP));
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.stop();
  });

  async function runJobs() {
    await new Promise((r) => setTimeout(r, 1_100)); // the push window
    await rt.relay.runOnce();
    await rt.runner.drain({ timeoutMs: 30_000 });
  }
  const peerLevel = (sku: string, locationName: string) => {
    const item = sandbox.store.variantBySkuOf(sku)!.itemN;
    const loc = sandbox.store.locations.find((l) => l.name === locationName)!;
    return sandbox.store.level(item, loc.n)!;
  };
  const pushDeps = () => ({ db: rt.db, logger: memoryLogger("warn"), client: rt.shopifyAdmin.adminClientFor(SHOP) });

  it("a mirrored location refuses a hub count, naming what to do", async () => {
    await expect(setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-M", onHand: 5, reason: "cycle count", actor: "test" })).rejects.toMatchObject({
      kind: "INVALID",
      message: expect.stringContaining("East DC mirrors Shopify's counts"),
    });
  });

  it("once the hub owns a location, its counts are pushed to Shopify by compare-and-set, and a second push sends nothing", async () => {
    await setLocationStockSource(deps(), SHOP, "East DC", "hub");
    await runJobs(); // the first push: nothing differs yet
    const before = peerLevel("TEE-M", "East DC").q.on_hand;
    const r = await setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-M", onHand: before + 7, reason: "3PL stock report", actor: "test" });
    expect(r).toMatchObject({ onHand: before + 7, changed: 2 });
    await runJobs();
    expect(peerLevel("TEE-M", "East DC").q.on_hand).toBe(before + 7);
    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: (await rt.db.location.findFirstOrThrow({ where: { shop: SHOP, name: "East DC" } })).id })).toMatchObject({ pushed: 0 });
    // The ledger says who changed it and why.
    const tee = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } });
    const entries = await rt.db.inventoryLedgerEntry.findMany({ where: { shop: SHOP, variantId: tee.id, source: "manual" } });
    expect(entries.map((e) => [e.quantityName, e.delta, e.reason])).toEqual(expect.arrayContaining([["on_hand", 7, "3PL stock report"]]));
  });

  it("a sale in Shopify between the read and the write: the stale write is refused and the next run pushes on fresh numbers", async () => {
    const east = await rt.db.location.findFirstOrThrow({ where: { shop: SHOP, name: "East DC" } });
    const target = peerLevel("TEE-M", "East DC").q.on_hand + 3;
    await setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-M", onHand: target, reason: "recount", actor: "test" });
    // A client that lets a sale happen in Shopify right before the write.
    const client = rt.shopifyAdmin.adminClientFor(SHOP);
    const racing = {
      ...client,
      mutate: (async (doc: Parameters<typeof client.mutate>[0], vars: Parameters<typeof client.mutate>[1], opts?: Parameters<typeof client.mutate>[2]) => {
        const l = peerLevel("TEE-M", "East DC");
        l.q.on_hand -= 1;
        l.q.available -= 1;
        return client.mutate(doc, vars, opts);
      }) as typeof client.mutate,
    };
    await expect(pushHubInventory({ ...pushDeps(), client: racing }, { shop: SHOP, locationId: east.id })).rejects.toMatchObject({ kind: "UNAVAILABLE", message: expect.stringContaining("changed while pushing") });
    expect(peerLevel("TEE-M", "East DC").q.on_hand).toBe(target - 3 - 1); // the sale stands, nothing overwritten
    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: east.id })).toMatchObject({ pushed: 1 });
    expect(peerLevel("TEE-M", "East DC").q.on_hand).toBe(target);
  });

  it("Shopify's webhook with a different figure for a hub-owned location is not mirrored: the hub's count is pushed back", async () => {
    const east = await rt.db.location.findFirstOrThrow({ where: { shop: SHOP, name: "East DC" } });
    const tee = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } });
    const hub = await rt.db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId: tee.id, locationId: east.id } } });
    const l = peerLevel("TEE-M", "East DC");
    l.q.on_hand += 50; // a staff edit in Shopify admin
    l.q.available += 50;
    const payload = {
      inventory_item_id: Number(tee.shopifyInventoryItemId!.split("/").pop()),
      location_id: Number(east.shopifyLocationId!.split("/").pop()),
      available: l.q.available,
      updated_at: new Date().toISOString(),
      // Shopify's level gid is <location>?inventory_item_id=<item>; the mapper reads both from it.
      admin_graphql_api_id: `gid://shopify/InventoryLevel/${east.shopifyLocationId!.split("/").pop()}?inventory_item_id=${tee.shopifyInventoryItemId!.split("/").pop()}`,
    };
    await recordInboundEvent(rt.db, { shop: SHOP, source: "shopify.webhook", externalId: "wh-inv-hub-1", topic: "INVENTORY_LEVELS_UPDATE", payload: JSON.stringify(payload), occurredAt: new Date() });
    await runJobs();
    await runJobs();
    const after = await rt.db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId: tee.id, locationId: east.id } } });
    expect(after.available).toBe(hub.available); // not mirrored
    expect(peerLevel("TEE-M", "East DC").q.on_hand).toBe(hub.onHand); // corrected in Shopify
  });
});
