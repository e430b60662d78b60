import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { commitOrder, consumeOrder, requestInventoryPush, reserveOrder, setHubCount, setLocationStockSource } from "#app/modules/inventory/index";
import type { Db } from "#app/platform/db/client.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { pushHubInventory } from "#app/workflows/shopify-inventory-push.server";
import { describeEachDatabase } from "#test/support/databases";
import { makeChannel } from "#test/support/inventory";
import { memoryLogger } from "#test/support/runtime";
import { startImportedPeerShop } from "#test/support/shopify-import";

/**
 * Races at a hub-owned location (docs/inventory.md, ADR 016 amendment), each forced by running the
 * other party at the exact moment between the hub's read and its write:
 *  - a level webhook (staff edit in Shopify) while a push runs: the push must not record the value it
 *    saw before the edit over the webhook's "not known any more", or the queued push finds nothing
 *    to do and Shopify keeps the wrong count;
 *  - a sale committed while a count is entered: the count must not write back the available it read
 *    before the sale (sold units sellable again → oversell).
 */
const SHOP = "push-races.myshopify.com";

describeEachDatabase("Hub-owned locations: a push or a count racing another writer loses nothing", (tdb) => {
  let sandbox: ShopifySandbox;
  let rt: AppRuntime;
  let eastId: string;
  const deps = () => ({ db: rt.db, now: () => new Date() });
  const client = () => rt.shopifyAdmin.adminClientFor(SHOP);
  const pushDeps = (c = client()) => ({ db: rt.db, logger: memoryLogger("warn"), client: c });

  beforeAll(async () => {
    ({ sandbox, rt } = await startImportedPeerShop(tdb(), SHOP));
    eastId = (await rt.db.location.findFirstOrThrow({ where: { shop: SHOP, name: "East DC" } })).id;
    await setLocationStockSource(deps(), SHOP, "East DC", "hub");
    // The reconciling push of becoming hub-owned, run now so every level records what Shopify has.
    await pushHubInventory(pushDeps(), { shop: SHOP, locationId: eastId, scope: "all" });
    await rt.db.outboxMessage.deleteMany({});
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.stop();
  });
  beforeEach(() => sandbox.resetStats());

  const peerLevel = (sku: string) => {
    const item = sandbox.store.variantBySkuOf(sku)!.itemN;
    const loc = sandbox.store.locations.find((l) => l.name === "East DC")!;
    return sandbox.store.level(item, loc.n)!;
  };
  const hubLevel = async (sku: string) => {
    const v = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku } });
    return rt.db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId: v.id, locationId: eastId } } });
  };
  /** A staff edit in Shopify admin, and the hub's handling of the level webhook it sends. */
  const staffEditAndWebhook = async (sku: string, by: number) => {
    const l = peerLevel(sku);
    l.q.on_hand += by;
    l.q.available += by;
    const { variantId } = await hubLevel(sku);
    await rt.db.$transaction((tx) => requestInventoryPush(tx, SHOP, eastId, new Date(), { variantIds: [variantId] }));
  };
  /** The Shopify client, with `during` run once right after the call named `after` answers. */
  const racing = (after: "query" | "mutate", during: () => Promise<void>) => {
    const c = client();
    let fired = false;
    const once = async <T>(r: T) => {
      if (!fired) {
        fired = true;
        await during();
      }
      return r;
    };
    return {
      client: {
        ...c,
        query: (async (...a: Parameters<typeof c.query>) => (after === "query" ? once(await c.query(...a)) : c.query(...a))) as typeof c.query,
        mutate: (async (...a: Parameters<typeof c.mutate>) => (after === "mutate" ? once(await c.mutate(...a)) : c.mutate(...a))) as typeof c.mutate,
      },
      fired: () => fired,
    };
  };

  it("a staff edit's webhook between a `changed` push's read and its record: the next `changed` push reads the item and puts the hub's count back", async () => {
    const hub = await hubLevel("TEE-S");
    expect(peerLevel("TEE-S").q.on_hand).toBe(hub.onHand);
    // A first webhook (an edit already undone in Shopify) left the record cleared: the push reads the item and finds it equal.
    await rt.db.$transaction((tx) => requestInventoryPush(tx, SHOP, eastId, new Date(), { variantIds: [hub.variantId] }));
    const race = racing("query", () => staffEditAndWebhook("TEE-S", 9));
    expect(await pushHubInventory(pushDeps(race.client), { shop: SHOP, locationId: eastId, scope: "changed" })).toEqual({ scope: "changed", read: 1, pushed: 0, unchanged: 1 });
    expect(race.fired()).toBe(true);
    expect(peerLevel("TEE-S").q.on_hand).toBe(hub.onHand + 9);
    // The push saw Shopify equal before the edit: that is no longer what Shopify holds.
    expect((await hubLevel("TEE-S")).pushedOnHand).toBeNull();

    sandbox.resetStats();
    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: eastId, scope: "changed" })).toEqual({ scope: "changed", read: 1, pushed: 1, unchanged: 0 });
    expect(peerLevel("TEE-S").q.on_hand).toBe(hub.onHand);
    expect((await hubLevel("TEE-S")).pushedOnHand).toBe(hub.onHand);
  });

  it("a staff edit's webhook between the reconciling push's read and its record: the record stays cleared and the next `changed` push corrects the item", async () => {
    const hub = await hubLevel("TEE-M");
    expect(hub.pushedOnHand).toBe(hub.onHand);
    const race = racing("query", () => staffEditAndWebhook("TEE-M", -2));
    const r = await pushHubInventory(pushDeps(race.client), { shop: SHOP, locationId: eastId, scope: "all" });
    expect(r).toMatchObject({ scope: "all" });
    expect(race.fired()).toBe(true);
    expect((await hubLevel("TEE-M")).pushedOnHand).toBeNull();

    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: eastId, scope: "changed" })).toEqual({ scope: "changed", read: 1, pushed: 1, unchanged: 0 });
    expect(peerLevel("TEE-M").q.on_hand).toBe(hub.onHand);
  });

  it("a staff edit's webhook between a push's write and its record: the written value is not recorded over the webhook, and the next `changed` push corrects the item", async () => {
    const was = (await hubLevel("TEE-L")).onHand;
    await setHubCount(deps(), SHOP, { locationRef: "East DC", sku: "TEE-L", onHand: was + 3, reason: "cycle count", actor: "test" });
    const race = racing("mutate", () => staffEditAndWebhook("TEE-L", 5));
    expect(await pushHubInventory(pushDeps(race.client), { shop: SHOP, locationId: eastId, scope: "changed" })).toEqual({ scope: "changed", read: 1, pushed: 1, unchanged: 0 });
    expect(race.fired()).toBe(true);
    expect(peerLevel("TEE-L").q.on_hand).toBe(was + 3 + 5);
    expect((await hubLevel("TEE-L")).pushedOnHand).toBeNull();

    expect(await pushHubInventory(pushDeps(), { shop: SHOP, locationId: eastId, scope: "changed" })).toEqual({ scope: "changed", read: 1, pushed: 1, unchanged: 0 });
    expect(peerLevel("TEE-L").q.on_hand).toBe(was + 3);
    expect((await hubLevel("TEE-L")).pushedOnHand).toBe(was + 3);
  });

  /** rt.db, with `during` run once right after the first inventoryLevel.findUnique answers. */
  const racingDb = (during: () => Promise<void>) => {
    let fired = false;
    const levels = new Proxy(rt.db.inventoryLevel, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (prop !== "findUnique" || typeof v !== "function") return typeof v === "function" ? v.bind(target) : v;
        return async (...a: unknown[]) => {
          const r = (await (v as (...x: unknown[]) => Promise<unknown>).apply(target, a)) as unknown;
          if (!fired) {
            fired = true;
            await during();
          }
          return r;
        };
      },
    });
    const db = new Proxy(rt.db, {
      get(target, prop) {
        if (prop === "inventoryLevel") return levels;
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === "function" ? v.bind(target) : v;
      },
    }) as Db;
    return { db, fired: () => fired };
  };

  it("a sale committed between a count's read and its write stays sold: available moves by the count's difference from what the sale left", async () => {
    const channel = await makeChannel(rt.db, SHOP, "amazon-races", [eastId]);
    const before = await hubLevel("TENT-2P");
    expect(before.available).toBeGreaterThanOrEqual(2);
    const order = { shop: SHOP, channelId: channel.id, externalOrderId: "R-1", lines: [{ lineKey: "1", sku: "TENT-2P", quantity: 2 }], actor: "test" };
    expect(await reserveOrder(deps(), order)).toMatchObject({ status: "reserved" });
    const race = racingDb(async () => {
      await commitOrder(deps(), { shop: SHOP, channelId: channel.id, externalOrderId: "R-1", actor: "test" });
    });
    const count = before.onHand + 4;
    await setHubCount({ db: race.db, now: () => new Date() }, SHOP, { locationRef: "East DC", sku: "TENT-2P", onHand: count, reason: "cycle count", actor: "test" });
    expect(race.fired()).toBe(true);

    // The 2 committed units are not sellable again: the stale figure would be before.available + 4.
    const available = before.available - 2 + 4;
    const after = await hubLevel("TENT-2P");
    expect({ onHand: after.onHand, committed: after.committed, available: after.available }).toEqual({ onHand: count, committed: before.committed + 2, available });
    // The count's ledger entries: +4 on each, ending where the level is.
    const ledger = await rt.db.inventoryLedgerEntry.findMany({ where: { shop: SHOP, variantId: before.variantId, locationId: eastId, source: "manual" } });
    expect(ledger.map((e) => [e.quantityName, e.delta, e.resulting]).sort()).toEqual([
      ["available", 4, available],
      ["on_hand", 4, count],
    ]);
    // The count still asks for its push.
    expect(await rt.db.outboxMessage.count({ where: { topic: "shopify.pushInventory", payload: { contains: '"changed"' } } })).toBeGreaterThan(0);
  });

  it("a shipment between a count's read and its write: the count is taken on the on-hand the shipment left, and what is committed stays consistent", async () => {
    const channel = await rt.db.channel.findFirstOrThrow({ where: { shop: SHOP, code: "amazon-races" } });
    const before = await hubLevel("TEE-S");
    const order = { shop: SHOP, channelId: channel.id, externalOrderId: "R-2", lines: [{ lineKey: "1", sku: "TEE-S", quantity: 2 }], actor: "test" };
    expect(await reserveOrder(deps(), order)).toMatchObject({ status: "reserved" });
    await commitOrder(deps(), { shop: SHOP, channelId: channel.id, externalOrderId: "R-2", actor: "test" });
    // The shipment takes the 2 units off on-hand and committed (consumeOrder at a hub-owned location).
    const race = racingDb(async () => {
      expect(await consumeOrder(deps(), { shop: SHOP, channelId: channel.id, externalOrderId: "R-2" })).toEqual({ consumed: 1 });
    });
    const count = before.onHand + 1;
    const r = await setHubCount({ db: race.db, now: () => new Date() }, SHOP, { locationRef: "East DC", sku: "TEE-S", onHand: count, reason: "cycle count", actor: "test" });
    expect(race.fired()).toBe(true);
    const after = await hubLevel("TEE-S");
    // Committed is back where it was (committed, then shipped); available − on-hand moved by nothing.
    const expected = { onHand: count, committed: before.committed, available: before.available + (count - before.onHand) };
    expect({ onHand: after.onHand, committed: after.committed, available: after.available }).toEqual(expected);
    expect(r).toMatchObject({ onHand: count, available: expected.available });
  });
});
