import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { inventoryPushJobKey, SHOPIFY_PUSH_INVENTORY_JOB } from "#app/modules/inventory/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import * as locationPage from "#app/routes/app.locations.$id";
import * as locationsList from "#app/routes/app.locations._index";
import * as skuPage from "#app/routes/app.inventory.$sku";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeLocation } from "#test/support/inventory";
import { memoryLogger, TEST_API_KEY, TEST_API_SECRET, testRuntime } from "#test/support/runtime";

/**
 * The Locations admin pages through their loaders and actions, as the embedded admin calls them:
 * Shopify session tokens (App Bridge's Bearer), the shop's stored offline session, the real
 * services, the job runner, and the Shopify sandbox peer as the Shopify the counts are pushed to.
 * Another shop's location is not found (404) for reading and for every action; bad input is named
 * on its field and comes back with the values as typed.
 */
const SHOP = "locations-admin.myshopify.com";
const OTHER = "other-locations.myshopify.com";

type LoaderArgs = Parameters<typeof locationPage.loader>[0];
type ActionArgs = Parameters<typeof locationPage.action>[0];
interface ListData {
  locations: { id: string; name: string; kind: string; latitude: number | null; usedByRouting: boolean; shipsOnlineOrders: boolean; offersPickup: boolean; active: boolean; stockSource: string; push: PushData | null }[];
}
interface PushData {
  state: string;
  headline: string;
  lastPush: { at: string | null; outcome: string } | null;
  waiting: number;
  failures: { id: string; error: string }[];
}
interface PageData {
  location: { id: string; name: string; stockSource: string; linkedToShopify: boolean; latitude: number | null };
  push: PushData | null;
  stock: { q: string; total: number; rows: { sku: string; onHand: number; available: number; isKit: boolean }[] };
}
type Result = { ok: true; message: string; changed?: boolean; ledger?: { quantityName: string; delta: number; resulting: number; reason: string }[] } | { ok: false; field: string | null; message: string; values: { sku: string; onHand: string; note: string } | null };

describeEachDatabase("Locations admin pages (loaders and actions)", (tdb) => {
  let sandbox: ShopifySandbox;
  let rt: AppRuntime;
  let otherLocationId: string;

  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0 } });
    rt = testRuntime(tdb().url, { SHOPIFY_ADMIN_URL: sandbox.url, SHOPIFY_ADMIN_TOKEN: sandbox.accessToken });
    await truncateAll(tdb().handle);
    // Both shops are installed: an offline session each (what token exchange stores), so a
    // session token of either shop is accepted without asking Shopify.
    for (const shop of [SHOP, OTHER]) {
      await rt.shopify.sessionStorage.storeSession(
        new Session({ id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: `shpat_${shop}`, scope: "read_products,read_orders", expires: new Date(Date.now() + 86_400_000) }),
      );
    }
    await importShopifyShop({ db: rt.db, now: () => new Date(), logger: memoryLogger("warn"), pollMs: 20, client: rt.shopifyAdmin.adminClientFor(SHOP) }, SHOP);
    otherLocationId = (await makeLocation(rt.db, OTHER, "Other Shop Warehouse")).id;
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.stop();
  });

  async function request(shop: string, path: string, init: RequestInit = {}) {
    const { token } = await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
    return new Request(`https://oms.test${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
  }
  /** A loader's or action's answer, thrown (404, auth) or returned. */
  async function answer(run: () => Promise<unknown>): Promise<Response> {
    try {
      return (await run()) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }
  const loadList = async (shop = SHOP) => answer(async () => locationsList.loader({ request: await request(shop, "/app/locations"), context: { runtime: rt }, params: {} } as LoaderArgs));
  const loadPage = async (id: string, shop = SHOP, query = "") => answer(async () => locationPage.loader({ request: await request(shop, `/app/locations/${id}${query}`), context: { runtime: rt }, params: { id } } as LoaderArgs));
  async function act(id: string, fields: Record<string, string>, shop = SHOP) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    const res = await answer(async () => locationPage.action({ request: await request(shop, `/app/locations/${id}`, { method: "POST", body }), context: { runtime: rt }, params: { id } } as ActionArgs));
    return { status: res.status, body: (await res.json()) as Result };
  }
  const page = async (id: string, query = "") => {
    const res = await loadPage(id, SHOP, query);
    expect(res.status).toBe(200);
    return (await res.json()) as PageData;
  };
  const locationNamed = (name: string) => rt.db.location.findFirstOrThrow({ where: { shop: SHOP, name } });
  const peerOnHand = (sku: string, locationName: string) => {
    const item = sandbox.store.variantBySkuOf(sku)!.itemN;
    const loc = sandbox.store.locations.find((l) => l.name === locationName)!;
    return sandbox.store.level(item, loc.n)!.q.on_hand;
  };
  async function runJobs() {
    await new Promise((r) => setTimeout(r, 1_100)); // the push's coalescing window
    await rt.relay.runOnce();
    await rt.runner.drain({ timeoutMs: 30_000 });
  }
  const manualEntries = async (shop: string) => rt.db.inventoryLedgerEntry.count({ where: { shop, source: "manual" } });

  it("lists every location of the shop with kind, address, coordinates, ships online / pickup, active and stock source; none of another shop's", async () => {
    // Pickup and shipping online orders are the hub's routing settings (Shopify's import does not set them).
    await rt.db.location.updateMany({ where: { shop: SHOP, name: "LA Store" }, data: { offersPickup: true } });
    await rt.db.location.updateMany({ where: { shop: SHOP, name: "Wholesale DC" }, data: { shipsOnlineOrders: false } });
    const res = await loadList();
    expect(res.status).toBe(200);
    const { locations } = (await res.json()) as ListData;
    const byName = new Map(locations.map((l) => [l.name, l]));
    expect([...byName.keys()]).not.toContain("Other Shop Warehouse");
    expect(byName.get("East DC")).toMatchObject({ latitude: 40.5187, usedByRouting: true, shipsOnlineOrders: true, offersPickup: false, active: true, stockSource: "shopify", push: null });
    expect(byName.get("LA Store")).toMatchObject({ offersPickup: true });
    // The peer's Wholesale DC has an address but no coordinates: routing would stop on it.
    expect(byName.get("Wholesale DC")).toMatchObject({ latitude: null, usedByRouting: true, shipsOnlineOrders: false });

    const other = (await (await loadList(OTHER)).json()) as ListData;
    expect(other.locations.map((l) => l.name)).toEqual(["Other Shop Warehouse"]);
  });

  it("shows a Shopify-owned location's counts read-only (no push status)", async () => {
    const east = await locationNamed("East DC");
    const d = await page(east.id, "?q=TEE");
    expect(d.location).toMatchObject({ name: "East DC", stockSource: "shopify", linkedToShopify: true });
    expect(d.push).toBeNull();
    expect(d.stock.q).toBe("TEE");
    expect(d.stock.rows.map((r) => r.sku)).toEqual(["TEE-L", "TEE-M", "TEE-S"]);
    expect(d.stock.rows.find((r) => r.sku === "TEE-M")).toMatchObject({ onHand: peerOnHand("TEE-M", "East DC") });
  });

  it("walls tenants off: another shop's location is not found for reading or for any action, and stays unchanged", async () => {
    const east = await locationNamed("East DC");
    const res = await loadPage(otherLocationId);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: `Location ${otherLocationId} not found` });
    expect((await loadPage(east.id, OTHER)).status).toBe(404);

    const entriesBefore = await manualEntries(OTHER);
    const attempts: Record<string, string>[] = [{ intent: "stock-source", stockSource: "hub" }, { intent: "count", sku: "TEE-M", onHand: "3", note: "cycle count" }, { intent: "push" }];
    for (const fields of attempts) {
      const r = await act(otherLocationId, fields);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ ok: false, message: `Location ${otherLocationId} not found` });
    }
    const viaOther = await act(east.id, { intent: "stock-source", stockSource: "hub" }, OTHER);
    expect(viaOther.status).toBe(404);
    expect((await rt.db.location.findUniqueOrThrow({ where: { id: otherLocationId } })).stockSource).toBe("shopify");
    expect((await rt.db.location.findUniqueOrThrow({ where: { id: east.id } })).stockSource).toBe("shopify");
    expect(await manualEntries(OTHER)).toBe(entriesBefore);
    expect(await rt.db.outboxMessage.count({ where: { topic: SHOPIFY_PUSH_INVENTORY_JOB } })).toBe(0);
  });

  it("sends a request without a session token to log in, changing nothing", async () => {
    const east = await locationNamed("East DC");
    const unauthenticated = new Request(`https://oms.test/app/locations/${east.id}`, { method: "POST", body: new URLSearchParams({ intent: "stock-source", stockSource: "hub" }) });
    const res = await answer(async () => locationPage.action({ request: unauthenticated, context: { runtime: rt }, params: { id: east.id } } as ActionArgs));
    // Shopify's authenticate.admin sends it to log in; the action never runs.
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/auth/login");
    const list = await answer(async () => locationsList.loader({ request: new Request("https://oms.test/app/locations"), context: { runtime: rt }, params: {} } as LoaderArgs));
    expect(list.status).toBe(302);
    expect((await rt.db.location.findUniqueOrThrow({ where: { id: east.id } })).stockSource).toBe("shopify");
  });

  it("a count at a Shopify-owned location is refused, naming what to do, and the values come back", async () => {
    const east = await locationNamed("East DC");
    const r = await act(east.id, { intent: "count", sku: "TEE-M", onHand: "9", note: "cycle count" });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ ok: false, field: "location", message: expect.stringContaining("East DC mirrors Shopify's counts: change the count in Shopify"), values: { sku: "TEE-M", onHand: "9", note: "cycle count" } });
    expect(await manualEntries(SHOP)).toBe(0);
  });

  it("refuses an unknown stock source and an unknown action by name", async () => {
    const east = await locationNamed("East DC");
    const bad = await act(east.id, { intent: "stock-source", stockSource: "amazon" });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ ok: false, field: "stockSource", message: expect.stringContaining('"amazon" is not a stock source') });
    const unknown = await act(east.id, { intent: "delete" });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ ok: false, field: "intent", message: 'intent: unknown action "delete"' });
  });

  it("making the hub the stock source queues a push, which then runs and shows on both pages", async () => {
    const east = await locationNamed("East DC");
    const r = await act(east.id, { intent: "stock-source", stockSource: "hub" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, message: expect.stringContaining("The hub now owns the stock at East DC: its counts are being pushed to Shopify") });
    expect((await page(east.id)).push).toMatchObject({ state: "queued", waiting: 1, lastPush: null });

    await runJobs();
    const d = await page(east.id);
    expect(d.location.stockSource).toBe("hub");
    expect(d.push).toMatchObject({ state: "pushed", headline: "Last push succeeded", waiting: 0, failures: [] });
    // Nothing differed yet: Shopify already had every count the hub has there.
    expect(d.push!.lastPush!.outcome).toMatch(/^nothing to change: Shopify already had the hub's \d+ counts$/);
    const list = (await (await loadList()).json()) as ListData;
    expect(list.locations.find((l) => l.name === "East DC")).toMatchObject({ stockSource: "hub", push: { state: "pushed" } });
    expect(list.locations.find((l) => l.name === "West Warehouse")!.push).toBeNull();
  });

  it("names each bad count input on its field, keeps what was typed, and changes nothing", async () => {
    const east = await locationNamed("East DC");
    const before = await rt.db.outboxMessage.count();
    const cases: [Record<string, string>, string, string][] = [
      [{ sku: "NOPE-1", onHand: "4", note: "cycle count" }, "sku", "sku: no SKU NOPE-1 in this shop"],
      [{ sku: "", onHand: "4", note: "cycle count" }, "sku", "sku: enter the SKU you counted"],
      [{ sku: "TEE-M", onHand: "-2", note: "cycle count" }, "onHand", "onHand: must be a whole number ≥ 0, got -2"],
      [{ sku: "TEE-M", onHand: "2.5", note: "cycle count" }, "onHand", "onHand: must be a whole number ≥ 0, got 2.5"],
      [{ sku: "TEE-M", onHand: "four", note: "cycle count" }, "onHand", 'onHand: "four" is not a number: enter a whole number, 0 or more'],
      [{ sku: "TEE-M", onHand: " ", note: "cycle count" }, "onHand", "onHand: enter the new on-hand count (a whole number, 0 or more)"],
      [{ sku: "TEE-M", onHand: "4", note: "  " }, "reason", "reason: say why the count changed (e.g. cycle count, 3PL stock report)"],
    ];
    for (const [values, field, message] of cases) {
      const r = await act(east.id, { intent: "count", ...values });
      expect(r.status, JSON.stringify(values)).toBe(422);
      expect(r.body).toEqual({ ok: false, intent: "count", field, message, values });
    }
    expect(await manualEntries(SHOP)).toBe(0);
    expect(await rt.db.outboxMessage.count()).toBe(before);
  });

  it("a count writes the ledger, is pushed to Shopify, and shows on the location page and the SKU page", async () => {
    const east = await locationNamed("East DC");
    const before = peerOnHand("TEE-M", "East DC");
    const r = await act(east.id, { intent: "count", sku: " TEE-M ", onHand: String(before + 4), note: "cycle count" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      changed: true,
      message: `Counted TEE-M at East DC: on hand ${before + 4} (was ${before}). The push to Shopify is queued.`,
      ledger: [{ quantityName: "on_hand", delta: 4, resulting: before + 4, reason: "cycle count" }, expect.objectContaining({ quantityName: "available", delta: 4, reason: "cycle count" })],
    });
    let d = await page(east.id, "?q=TEE-M");
    expect(d.stock.rows.find((row) => row.sku === "TEE-M")!.onHand).toBe(before + 4);
    expect(d.push).toMatchObject({ state: "queued", waiting: 1 });

    await runJobs();
    expect(peerOnHand("TEE-M", "East DC")).toBe(before + 4);
    d = await page(east.id);
    expect(d.push).toMatchObject({ state: "pushed", waiting: 0 });
    expect(d.push!.lastPush!.outcome).toMatch(/^1 count set in Shopify, \d+ already equal$/);

    // The SKU page (linked from the count's result) has the entry in its ledger.
    const sku = await answer(async () => skuPage.loader({ request: await request(SHOP, "/app/inventory/TEE-M"), context: { runtime: rt }, params: { sku: "TEE-M" } } as LoaderArgs));
    const skuData = (await sku.json()) as { levels: { locationName: string; onHand: number }[]; ledger: { locationName: string; quantityName: string; delta: number; source: string; reason: string }[] };
    expect(skuData.levels.find((l) => l.locationName === "East DC")!.onHand).toBe(before + 4);
    expect(skuData.ledger[0]).toMatchObject({ locationName: "East DC", delta: 4, source: "manual", reason: "cycle count" });

    const again = await act(east.id, { intent: "count", sku: "TEE-M", onHand: String(before + 4), note: "recount" });
    expect(again.body).toMatchObject({ ok: true, changed: false, ledger: [], message: `TEE-M at East DC was already ${before + 4} on hand: nothing changed, nothing to push.` });
  });

  it("a failed push is shown with its error until a later push succeeds", async () => {
    const east = await locationNamed("East DC");
    // A push that failed for good, as the job runner records it.
    const error = "ConnectorError: Access denied for inventorySetQuantities field. Required access: `write_inventory` access scope.";
    await rt.db.job.create({
      data: {
        id: randomUUID(),
        shop: SHOP,
        name: SHOPIFY_PUSH_INVENTORY_JOB,
        payload: JSON.stringify({ shop: SHOP, locationId: east.id }),
        status: "failed",
        attempts: 5,
        concurrencyKey: inventoryPushJobKey(east.id),
        lastError: error,
        finishedAt: new Date(Date.now() + 1_000),
      },
    });
    const d = await page(east.id);
    expect(d.push).toMatchObject({ state: "failed", headline: `Push failed: ${error}`, failures: [{ error }] });
    const list = (await (await loadList()).json()) as ListData;
    expect(list.locations.find((l) => l.name === "East DC")!.push).toMatchObject({ state: "failed" });
    // Another shop sees nothing of it.
    expect(((await (await loadList(OTHER)).json()) as ListData).locations.every((l) => l.push === null)).toBe(true);

    await new Promise((r) => setTimeout(r, 1_100)); // the next push finishes after the failure
    const push = await act(east.id, { intent: "push" });
    expect(push.body).toMatchObject({ ok: true, message: "Push of the hub's counts at East DC queued." });
    await runJobs();
    expect((await page(east.id)).push).toMatchObject({ state: "pushed", failures: [] });
  });

  it("back to mirroring Shopify: no push status, counts refused again, and nothing left to push", async () => {
    const east = await locationNamed("East DC");
    const r = await act(east.id, { intent: "stock-source", stockSource: "shopify" });
    expect(r.body).toMatchObject({ ok: true, message: expect.stringContaining("East DC mirrors Shopify's counts again") });
    expect((await page(east.id)).push).toBeNull();
    expect((await act(east.id, { intent: "count", sku: "TEE-M", onHand: "1", note: "x" })).body).toMatchObject({ ok: false, field: "location" });
    expect((await act(east.id, { intent: "push" })).body).toMatchObject({ ok: false, field: "location", message: expect.stringContaining("nothing of the hub's to push") });
  });
});
