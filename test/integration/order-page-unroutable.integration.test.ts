import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { intakeOrder } from "#app/modules/orders/index";
import { activateVersion, routingFixtures, saveDraft } from "#app/modules/routing/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import * as orderPage from "#app/routes/app.orders.$id";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeSku, setStock } from "#test/support/inventory";
import { TEST_API_KEY, TEST_API_SECRET, testRuntime } from "#test/support/runtime";

/**
 * The order page (loader and re-route action) for orders routing could not place, as the embedded
 * admin calls it (a Shopify session token, the shop's stored offline session, the real services):
 * the unroutable order's reason and the locations left out for their settings are in the page's
 * data, and "Re-route now" routes it once the location is fixed, keeping the hold throughout.
 */
const SHOP = "order-page.myshopify.com";
type LoaderArgs = Parameters<typeof orderPage.loader>[0];
type ActionArgs = Parameters<typeof orderPage.action>[0];
interface PageData {
  order: { name: string; status: string; statusReason: string | null };
  decisions: { sequence: number; status: string; reason: string }[];
  leftOut: { location: string; reason: string }[];
}
type ActionResult = { ok: boolean; message: string };

describeEachDatabase("order page: orders routing cannot place", (tdb) => {
  let rt: AppRuntime;

  beforeAll(async () => {
    rt = testRuntime(tdb().url);
    await truncateAll(tdb().handle);
    await rt.shopify.sessionStorage.storeSession(
      new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_products,read_orders", expires: new Date(Date.now() + 86_400_000) }),
    );
  });
  afterAll(async () => {
    await rt?.close();
  });

  async function request(path: string, init: RequestInit = {}) {
    const { token } = await getJwt(SHOP.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
    return new Request(`https://oms.test${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
  }
  async function load(id: string): Promise<PageData> {
    const res = (await orderPage.loader({ request: await request(`/app/orders/${id}`), context: { runtime: rt }, params: { id } } as LoaderArgs)) as Response;
    expect(res.status).toBe(200);
    return (await res.json()) as PageData;
  }
  async function reroute(id: string): Promise<ActionResult> {
    const body = new FormData();
    body.set("intent", "reroute");
    const res = (await orderPage.action({ request: await request(`/app/orders/${id}`, { method: "POST", body }), context: { runtime: rt }, params: { id } } as ActionArgs)) as Response;
    expect(res.status).toBe(200);
    return (await res.json()) as ActionResult;
  }

  it("shows why the order is unroutable and which location to fix; Re-route now routes it after the fix; the hold never moves", async () => {
    const db = rt.db;
    // Fixed ids: the core lists locations in id order.
    const location = (id: string, name: string, kind: string) =>
      db.location.create({ data: { id, shop: SHOP, name, kind, latitude: null, longitude: null, timeZone: "America/New_York", shipsFromStore: kind === "store" } });
    const store = await location(`a-${randomUUID()}`, "Brooklyn Store", "store");
    const dc = await location(`b-${randomUUID()}`, "Newark DC", "warehouse");
    const tee = await makeSku(db, SHOP, "TEE");
    await setStock(db, SHOP, tee.id, store.id, 4);
    await makeChannel(db, SHOP, "portal", [store.id, dc.id], { kind: "b2b_portal" });
    await saveDraft(db, SHOP, { rules: [routingFixtures.rule("default", { fallback: { kind: "backorder" } })], actor: "test" });
    await activateVersion({ db, now: () => new Date() }, SHOP, 1);
    const destination = { countryCode: "US", provinceCode: "NY", zip: "11201", lat: 40.6782, lng: -73.9442 };
    const r = await intakeOrder({ db, now: () => new Date() }, SHOP, { channel: "portal", externalOrderId: "PO-1", destination, lines: [{ lineKey: "1", sku: "TEE", quantity: 2 }] }, "test");
    expect(r.status).toBe("unroutable");
    const held = async () => (await db.inventoryLevel.findFirstOrThrow({ where: { variantId: tee.id, locationId: store.id } })).held;
    expect(await held()).toBe(2);

    const page = await load(r.orderId);
    const why = "no location can ship this order until its settings are fixed: Brooklyn Store (no coordinates — complete its address in Shopify, then resync); Newark DC (no coordinates — complete its address in Shopify, then resync)";
    expect(page.order).toMatchObject({ name: "PO-1", status: "unroutable", statusReason: why });
    expect(page.decisions.map((d) => [d.sequence, d.status, d.reason])).toEqual([[1, "unroutable", why]]);
    expect(page.leftOut).toEqual([
      { location: "Brooklyn Store", reason: "no coordinates — complete its address in Shopify, then resync" },
      { location: "Newark DC", reason: "no coordinates — complete its address in Shopify, then resync" },
    ]);

    // The store gets its coordinates; the DC does not yet.  Re-route from the page.
    await db.location.update({ where: { id: store.id }, data: { latitude: 40.6928, longitude: -73.9903 } });
    expect(await reroute(r.orderId)).toEqual({ ok: true, intent: "reroute", message: "Re-routed PO-1: decision #2, routed by rule default." });
    const after = await load(r.orderId);
    expect(after.order).toMatchObject({ status: "routed" });
    // Routed, and the page still says which location routing went on without.
    expect(after.leftOut).toEqual([{ location: "Newark DC", reason: "no coordinates — complete its address in Shopify, then resync" }]);
    expect(await held()).toBe(2);
  });
});
