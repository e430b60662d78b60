import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { requestInventoryPush, setHubCount, setLocationStockSource } from "#app/modules/inventory/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { pushHubInventory } from "#app/workflows/shopify-inventory-push.server";
import { describeEachDatabase } from "#test/support/databases";
import { makeLocation, makeSku } from "#test/support/inventory";
import { memoryLogger } from "#test/support/runtime";
import { startImportedPeerShop } from "#test/support/shopify-import";

/**
 * What a push to a hub-owned location reads and writes (docs/inventory.md, ADR 016), against the
 * Shopify sandbox peer and its per-operation counters: a count reads and writes that item only;
 * a sale between read and write is still refused and the retry reads just the stale level;
 * becoming hub-owned compares every level whatever the hub last recorded; the same value is never
 * pushed twice.  Also the guards: no hub ownership of a marketplace location, no count of a kit.
 */
const SHOP = "push-scope.myshopify.com";

describeEachDatabase("Pushes to a hub-owned location read and write only what may differ (sandbox peer)", (tdb) => {
  let sandbox: ShopifySandbox;
  let rt: AppRuntime;
  const deps = () => ({ db: rt.db, now: () => new Date() });
  const pushDeps = () => ({ db: rt.db, logger: memoryLogger("warn"), client: rt.shopifyAdmin.adminClientFor(SHOP) });

  beforeAll(async () => {
    ({ sandbox, rt } = await startImportedPeerShop(tdb(), SHOP));
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.stop();
  });
  beforeEach(() => sandbox.resetStats());

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
  const location = (name: string) => rt.db.location.findFirstOrThrow({ where: { shop: SHOP, name } });
  const hubLevel = async (sku: string, locationName: string) => {
    const v = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku } });
    return rt.db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId: v.id, locationId: (await location(locationName)).id } } });
  };
  const sale = (sku: string, locationName: string) => {
    const l = peerLevel(sku, locationName);
    l.q.on_hand -= 1;
    l.q.available -= 1;
  };

  it("becoming hub-owned compares every level, whatever the hub last recorded as pushed, and sets the ones that differ", async () => {
    // East DC's levels as the hub has them differ from Shopify for two items (a figure the hub
    // missed while it mirrored), and stale records claim Shopify already had them.
    const east = await location("East DC");
    for (const sku of ["TEE-S", "TENT-2P"]) {
      const l = await hubLevel(sku, "East DC");
      await rt.db.inventoryLevel.update({ where: { id: l.id }, data: { onHand: l.onHand + 4, available: l.available + 4, pushedOnHand: l.onHand + 4 } });
    }
    const expected = { "TEE-S": (await hubLevel("TEE-S", "East DC")).onHand, "TENT-2P": (await hubLevel("TENT-2P", "East DC")).onHand };
    await setLocationStockSource(deps(), SHOP, "East DC", "hub");
    const queued = await rt.db.outboxMessage.findMany({ where: { topic: "shopify.pushInventory" } });
    expect(queued.map((m) => JSON.parse(m.payload) as unknown)).toEqual([{ shop: SHOP, locationId: east.id, scope: "all" }]);
    await runJobs();

    expect(peerLevel("TEE-S", "East DC").q.on_hand).toBe(expected["TEE-S"]);
    expect(peerLevel("TENT-2P", "East DC").q.on_hand).toBe(expected["TENT-2P"]);
    const job = await rt.db.job.findFirstOrThrow({ where: { name: "shopify.pushInventory" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(job.result!)).toEqual({ scope: "all", read: 4, pushed: 2, unchanged: 2 });
    // One page of on_hand (1 + 2 + 4 levels × 3 = 15 points) and one write of the two rows.
    expect(sandbox.stats().operations).toEqual({ OmsLocationOnHand: { calls: 1, pointsUsed: 15 }, OmsInventorySetQuantities: { calls: 1, pointsUsed: 10 } });
    // Every level now records what Shopify holds.
    const levels = await rt.db.inventoryLevel.findMany({ where: { shop: SHOP, locationId: east.id } });
    expect(levels.map((l) => l.pushedOnHand === l.onHand)).toEqual(levels.map(() => true));
  });

  it("a single count reads and writes that item only: one nodes query of 3 points and one write", async () => {
    const before = peerLevel("TEE-M", "East DC").q.on_hand;
    await setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-M", onHand: before + 5, reason: "cycle count", actor: "test" });
    await runJobs();

    expect(peerLevel("TEE-M", "East DC").q.on_hand).toBe(before + 5);
    const stats = sandbox.stats();
    expect(stats.operations).toEqual({ OmsInventoryItemsOnHandAt: { calls: 1, pointsUsed: 3 }, OmsInventorySetQuantities: { calls: 1, pointsUsed: 10 } });
    expect({ requests: stats.requests, pointsUsed: stats.pointsUsed, throttled: stats.throttled }).toEqual({ requests: 2, pointsUsed: 13, throttled: 0 });
    const job = await rt.db.job.findFirstOrThrow({ where: { name: "shopify.pushInventory" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(job.payload)).toMatchObject({ scope: "changed" });
    expect(JSON.parse(job.result!)).toEqual({ scope: "changed", read: 1, pushed: 1, unchanged: 0 });
    expect((await hubLevel("TEE-M", "East DC")).pushedOnHand).toBe(before + 5);
  });

  it("nothing is pushed twice for the same value: a push with nothing new calls Shopify not at all; a count and its undo in one window send nothing", async () => {
    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: (await location("East DC")).id, scope: "changed" })).toEqual({ scope: "changed", read: 0, pushed: 0, unchanged: 0 });
    const was = (await hubLevel("TEE-L", "East DC")).onHand;
    await setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-L", onHand: was + 2, reason: "miscount", actor: "test" });
    await setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-L", onHand: was, reason: "miscount undone", actor: "test" });
    await runJobs();
    expect(sandbox.stats().requests).toBe(0);
    // Two counts in a second: one job (the window coalesces them), which found nothing to do.
    const jobs = await rt.db.job.findMany({ where: { name: "shopify.pushInventory", payload: { contains: '"changed"' } }, orderBy: { createdAt: "desc" }, take: 1 });
    expect(JSON.parse(jobs[0]!.result!)).toEqual({ scope: "changed", read: 0, pushed: 0, unchanged: 0 });
    // The reconciling push reads everything and writes nothing: Shopify already has every count.
    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: (await location("East DC")).id, scope: "all" })).toEqual({ scope: "all", read: 4, pushed: 0, unchanged: 4 });
    expect(sandbox.stats().mutations).toBe(0);
  });

  it("a sale in Shopify between read and write: the stale write is refused, and the retry reads just that level and sets it on the fresh number", async () => {
    const east = await location("East DC");
    const target = peerLevel("TEE-M", "East DC").q.on_hand + 3;
    await setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-M", onHand: target, reason: "recount", actor: "test" });
    const client = rt.shopifyAdmin.adminClientFor(SHOP);
    const racing = {
      ...client,
      mutate: (async (doc: Parameters<typeof client.mutate>[0], vars: Parameters<typeof client.mutate>[1], opts?: Parameters<typeof client.mutate>[2]) => {
        sale("TEE-M", "East DC");
        return client.mutate(doc, vars, opts);
      }) as typeof client.mutate,
    };
    await expect(pushHubInventory({ ...pushDeps(), client: racing }, { shop: SHOP, locationId: east.id, scope: "changed" })).rejects.toMatchObject({
      kind: "UNAVAILABLE",
      message: expect.stringContaining("changed while pushing"),
    });
    expect(peerLevel("TEE-M", "East DC").q.on_hand).toBe(target - 3 - 1); // the sale stands
    expect((await hubLevel("TEE-M", "East DC")).pushedOnHand).not.toBe(target); // still to push
    sandbox.resetStats();
    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: east.id, scope: "changed" })).toEqual({ scope: "changed", read: 1, pushed: 1, unchanged: 0 });
    expect(peerLevel("TEE-M", "East DC").q.on_hand).toBe(target);
    expect(sandbox.stats().operations).toEqual({ OmsInventoryItemsOnHandAt: { calls: 1, pointsUsed: 3 }, OmsInventorySetQuantities: { calls: 1, pointsUsed: 10 } });
    // The job the count queued finds nothing left to do.
    await runJobs();
    expect(sandbox.stats().requests).toBe(2);
  });

  it("Shopify differing for one level (what a level webhook reports): requestInventoryPush with that level reads and corrects it alone", async () => {
    const east = await location("East DC");
    const hub = await hubLevel("TEE-S", "East DC");
    const l = peerLevel("TEE-S", "East DC");
    l.q.on_hand += 9; // a staff edit in Shopify admin; the hub's record still says Shopify has its count
    l.q.available += 9;
    expect(hub.pushedOnHand).toBe(hub.onHand);
    await rt.db.$transaction((tx) => requestInventoryPush(tx, SHOP, east.id, new Date(), { variantIds: [hub.variantId] }));
    await runJobs();
    expect(peerLevel("TEE-S", "East DC").q.on_hand).toBe(hub.onHand);
    expect(sandbox.stats().operations).toEqual({ OmsInventoryItemsOnHandAt: { calls: 1, pointsUsed: 3 }, OmsInventorySetQuantities: { calls: 1, pointsUsed: 10 } });
  });

  it("a marketplace location cannot be made hub-owned, nor counted; a kit cannot be counted", async () => {
    await makeLocation(rt.db, SHOP, "Amazon FBA (US)", { kind: "marketplace", readOnly: true });
    await expect(setLocationStockSource(deps(), SHOP, "Amazon FBA (US)", "hub")).rejects.toMatchObject({
      kind: "INVALID",
      message: "location: Amazon FBA (US) is a marketplace location (its stock is counted by the marketplace, e.g. Amazon FBA): the hub cannot own its counts",
    });
    // Read-only without the marketplace kind is refused as well.
    await makeLocation(rt.db, SHOP, "Partner Consignment", { readOnly: true });
    await expect(setLocationStockSource(deps(), SHOP, "Partner Consignment", "hub")).rejects.toMatchObject({ kind: "INVALID", message: expect.stringContaining("Partner Consignment is read-only") });
    // Back to mirroring is always allowed; nothing was queued by the refusals.
    await expect(setLocationStockSource(deps(), SHOP, "Partner Consignment", "shopify")).resolves.toMatchObject({ stockSource: "shopify" });
    // A marketplace row made hub-owned before the guard existed still refuses counts.
    await rt.db.location.updateMany({ where: { shop: SHOP, name: "Amazon FBA (US)" }, data: { stockSource: "hub" } });
    await expect(setHubCount(deps(), SHOP, { locationRef: "Amazon FBA (US)", sku: "TEE-M", onHand: 1, reason: "x", actor: "test" })).rejects.toMatchObject({ kind: "INVALID", message: expect.stringContaining("Amazon FBA (US) is a marketplace location") });

    await makeSku(rt.db, SHOP, "GIFT-KIT", { isKit: true });
    await expect(setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "GIFT-KIT", onHand: 3, reason: "cycle count", actor: "test" })).rejects.toMatchObject({
      kind: "INVALID",
      message: "sku: GIFT-KIT is a kit: it has no stock of its own; count its components instead",
    });
    const kit = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "GIFT-KIT" } });
    expect(await rt.db.inventoryLevel.count({ where: { variantId: kit.id } })).toBe(0);
    expect(await rt.db.outboxMessage.count({ where: { topic: "shopify.pushInventory", dispatchedAt: null } })).toBe(0);
  });
});
