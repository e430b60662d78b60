import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { applyShopifyLocation } from "#app/modules/inventory/index";
import { getOrderDetail, intakeOrder, rerouteUnroutable, SWEEP_BATCH, type OrderIntake } from "#app/modules/orders/index";
import { activateVersion, decisionsFor, REROUTE_UNROUTABLE_JOB, routingFixtures, saveDraft } from "#app/modules/routing/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import * as ordersList from "#app/routes/app.orders._index";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeSku, setStock } from "#test/support/inventory";
import { TEST_API_KEY, TEST_API_SECRET, testRuntime } from "#test/support/runtime";

/**
 * Orders left unroutable re-route on their own once something may have fixed them: activating a
 * profile, a location's coordinates arriving from Shopify, "Re-route all" on the orders list.  One
 * job per shop (coalesced), through the outbox and the real job runner; an order still stuck for
 * the same reason records nothing new; another shop's orders are never touched.
 */
const SHOP = "sweep-it.myshopify.com";
const OTHER = "sweep-other.myshopify.com";
// Tuesday 2026-11-24 18:30 UTC.
const T0 = new Date("2026-11-24T18:30:00Z");
const NY = { countryCode: "US", provinceCode: "NY", zip: "11201", city: "Brooklyn", lat: 40.6782, lng: -73.9442 };
const NEWARK_GID = "gid://shopify/Location/7001";
type LoaderArgs = Parameters<typeof ordersList.loader>[0];
type ActionArgs = Parameters<typeof ordersList.action>[0];

describeEachDatabase("unroutable orders re-route on their own", (tdb) => {
  let rt: AppRuntime;
  let clock = T0;
  const deps = () => ({ db: rt.db, now: () => clock });

  beforeAll(async () => {
    rt = testRuntime(tdb().url, {}, { now: () => clock });
  });
  afterAll(async () => {
    await rt?.close();
  });

  /** One shop: a Newark DC (linked to Shopify, coordinates as given) with 5 TEE, an online channel shipping from it. */
  async function shop(domain: string, o: { lat: number | null; lng: number | null }) {
    const dc = await rt.db.location.create({
      data: { id: randomUUID(), shop: domain, name: "Newark DC", kind: "warehouse", shopifyLocationId: NEWARK_GID, latitude: o.lat, longitude: o.lng, timeZone: "America/New_York" },
    });
    const tee = await makeSku(rt.db, domain, "TEE");
    await setStock(rt.db, domain, tee.id, dc.id, 5);
    // Not the hub's stock and not a Shopify order id: routing tells Shopify nothing (no write job to fake).
    await makeChannel(rt.db, domain, "online", [dc.id], { kind: "online_store", hubHoldsStock: false });
    return { dc, tee };
  }
  const order = (id: string): OrderIntake => ({ channel: "online", externalOrderId: id, destination: NY, paid: true, lines: [{ lineKey: "1", sku: "TEE", quantity: 2 }] });
  const activeProfile = async (domain: string) => {
    await saveDraft(rt.db, domain, { rules: [routingFixtures.rule("default", { fallback: { kind: "backorder" } })], actor: "test" });
    await activateVersion(deps(), domain, 1);
  };
  /** What the serving process does: the relay turns due outbox rows into jobs, the runner runs them. */
  async function runJobs() {
    clock = new Date(clock.getTime() + 5_000); // past the coalescing window
    await rt.relay.runOnce();
    await rt.runner.drain({ timeoutMs: 20_000 });
  }
  const sweepRows = (domain: string) => rt.db.outboxMessage.count({ where: { shop: domain, topic: REROUTE_UNROUTABLE_JOB } });
  const sweepJobs = (domain: string) => rt.db.job.findMany({ where: { shop: domain, name: REROUTE_UNROUTABLE_JOB } });
  const status = async (orderId: string) => (await rt.db.order.findUniqueOrThrow({ where: { id: orderId } })).status;

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    clock = T0;
  });

  it("activating a profile re-routes the orders left unroutable for want of one; another shop's stay as they are", async () => {
    await shop(SHOP, { lat: 40.7357, lng: -74.1724 });
    await shop(OTHER, { lat: 40.7357, lng: -74.1724 });
    const mine = await intakeOrder(deps(), SHOP, order("A-1"), "test");
    const theirs = await intakeOrder(deps(), OTHER, order("B-1"), "test");
    expect([mine.status, theirs.status]).toEqual(["unroutable", "unroutable"]);
    expect(mine.decision!.reason).toMatch(/^no active routing profile/);

    await activeProfile(SHOP);
    expect([await sweepRows(SHOP), await sweepRows(OTHER)]).toEqual([1, 0]);
    await runJobs();

    expect(await status(mine.orderId)).toBe("routed");
    const decisions = await decisionsFor(rt.db, SHOP, mine.orderId);
    expect(decisions.map((d) => [d.sequence, d.status, d.trigger, d.actor, d.profileVersion])).toEqual([
      [2, "routed", "auto-reroute", "system: routing profile default v1 activated", 1],
      [1, "unroutable", "intake", "test", 0],
    ]);
    // The hold moved with the route, nothing sold twice.
    expect((await getOrderDetail(rt.db, SHOP, mine.orderId)).lines[0]!.reservation).toMatchObject({ allocations: [{ location: "Newark DC", sku: "TEE", quantity: 2 }] });
    // The other shop's order was not looked at: one decision, still unroutable, no job for it.
    expect(await status(theirs.orderId)).toBe("unroutable");
    expect((await decisionsFor(rt.db, OTHER, theirs.orderId)).length).toBe(1);
    expect(await sweepJobs(OTHER)).toEqual([]);
    expect((await sweepJobs(SHOP)).map((j) => j.status)).toEqual(["completed"]);
  });

  it("coordinates arriving from Shopify for the only shipping location re-route the order; a payload that changes nothing queues nothing", async () => {
    await shop(SHOP, { lat: null, lng: null });
    await activeProfile(SHOP);
    const r = await intakeOrder(deps(), SHOP, order("A-2"), "test");
    expect(r.status).toBe("unroutable");
    expect(r.decision!.reason).toMatch(/^no location can ship this order until its settings are fixed/);
    await runJobs(); // the activation came before the order: nothing was queued for it
    expect(await sweepRows(SHOP)).toBe(0);

    const payload = { shopifyLocationGid: NEWARK_GID, name: "Newark DC", address1: null, city: "Newark", province: "NJ", countryCode: "US", zip: "07105", active: true, updatedAt: T0 };
    // Address only: routing reads none of it.
    await applyShopifyLocation(deps(), SHOP, payload);
    expect(await sweepRows(SHOP)).toBe(0);

    await applyShopifyLocation(deps(), SHOP, { ...payload, coordinates: { latitude: 40.7357, longitude: -74.1724 } });
    expect(await sweepRows(SHOP)).toBe(1);
    await runJobs();
    expect(await status(r.orderId)).toBe("routed");
    const [latest] = await decisionsFor(rt.db, SHOP, r.orderId);
    expect(latest).toMatchObject({ sequence: 2, status: "routed", trigger: "auto-reroute", actor: "system: location Newark DC changed in Shopify (latitude, longitude)" });

    // The same coordinates again: nothing changed for routing, nothing queued.
    await applyShopifyLocation(deps(), SHOP, { ...payload, coordinates: { latitude: 40.7357, longitude: -74.1724 } });
    expect(await sweepRows(SHOP)).toBe(1);
  });

  it("a sweep that changes nothing records no decision; one that finds a new reason records it", async () => {
    const { dc } = await shop(SHOP, { lat: null, lng: null });
    await activeProfile(SHOP);
    const r = await intakeOrder(deps(), SHOP, order("A-3"), "test");
    const first = await rerouteUnroutable(deps(), SHOP, { cause: "test" });
    const second = await rerouteUnroutable(deps(), SHOP, { cause: "test" });
    for (const s of [first, second]) {
      expect(s).toMatchObject({ examined: 1, routed: 0, unchanged: 1, skipped: [], failed: [], next: null });
      expect(s.stillUnroutable).toEqual([{ reason: r.decision!.reason, count: 1, orders: ["A-3"] }]);
    }
    expect((await decisionsFor(rt.db, SHOP, r.orderId)).map((d) => d.sequence)).toEqual([1]);
    expect(await rt.db.order.findUniqueOrThrow({ where: { id: r.orderId } })).toMatchObject({ status: "unroutable", statusReason: r.decision!.reason });

    // Another cause now (the time zone cannot be read): a new decision with the new reason.
    await rt.db.location.update({ where: { id: dc.id }, data: { timeZone: "Mars/Olympus" } });
    const third = await rerouteUnroutable(deps(), SHOP, { cause: "test" });
    expect(third).toMatchObject({ examined: 1, unchanged: 0 });
    const decisions = await decisionsFor(rt.db, SHOP, r.orderId);
    expect(decisions.map((d) => d.sequence)).toEqual([2, 1]);
    expect(decisions[0]!.reason).not.toBe(decisions[1]!.reason);
  });

  it("goes oldest first in bounded batches, and the job queues the rest until none is left", async () => {
    await shop(SHOP, { lat: 40.7357, lng: -74.1724 });
    await setStock(rt.db, SHOP, (await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP } })).id, (await rt.db.location.findFirstOrThrow({ where: { shop: SHOP } })).id, 200);
    const ids: string[] = [];
    // One more than a batch (SWEEP_BATCH = 50), so the job has to queue a second one.
    for (let i = 1; i <= SWEEP_BATCH + 1; i++) {
      clock = new Date(T0.getTime() + i * 60_000);
      ids.push((await intakeOrder(deps(), SHOP, { ...order(`A-${i}`), placedAt: clock }, "test")).orderId);
    }
    const batch = await rerouteUnroutable(deps(), SHOP, { cause: "test", limit: 2 });
    expect(batch).toMatchObject({ examined: 2, unchanged: 2 });
    expect(batch.stillUnroutable[0]!.orders).toEqual(["A-1", "A-2"]);
    const rest = await rerouteUnroutable(deps(), SHOP, { cause: "test", limit: 2, after: batch.next });
    expect(rest.stillUnroutable[0]!.orders).toEqual(["A-3", "A-4"]);

    await activeProfile(SHOP);
    await runJobs();
    // 51 orders in batches of 50: the activation's job, then the one it queued for the last order.
    expect(new Set(await Promise.all(ids.map(status)))).toEqual(new Set(["routed"]));
    const jobs = await sweepJobs(SHOP);
    expect(jobs.map((j) => [j.status, j.concurrencyKey])).toEqual([
      ["completed", `${SHOP}|routing-sweep`],
      ["completed", `${SHOP}|routing-sweep`],
    ]);
    expect(jobs.map((j) => (JSON.parse(j.payload) as { after?: string }).after ?? null).filter(Boolean)).toHaveLength(1);
  });

  it("changes within one window become one sweep", async () => {
    await shop(SHOP, { lat: null, lng: null });
    const r = await intakeOrder(deps(), SHOP, order("A-6"), "test");
    expect(r.decision!.reason).toMatch(/^no active routing profile/);
    await activeProfile(SHOP);
    await applyShopifyLocation(deps(), SHOP, { shopifyLocationGid: NEWARK_GID, name: "Newark DC", address1: null, city: null, province: null, countryCode: "US", zip: null, active: true, updatedAt: T0, coordinates: { latitude: 40.7357, longitude: -74.1724 } });
    expect(await sweepRows(SHOP)).toBe(2);
    await runJobs();
    expect((await sweepJobs(SHOP)).length).toBe(1);
    expect(await status(r.orderId)).toBe("routed");
    // The job is named after the first request of its window.
    expect((await decisionsFor(rt.db, SHOP, r.orderId))[0]).toMatchObject({ actor: "system: routing profile default v1 activated" });
  });

  it("the orders list shows how many orders are stuck, and 'Re-route all' queues the sweep for this shop only", async () => {
      await rt.shopify.sessionStorage.storeSession(
        new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_products,read_orders", expires: new Date(Date.now() + 86_400_000) }),
      );
      await shop(SHOP, { lat: 40.7357, lng: -74.1724 });
      await shop(OTHER, { lat: 40.7357, lng: -74.1724 });
      const a = await intakeOrder(deps(), SHOP, order("A-7"), "test");
      const b = await intakeOrder(deps(), SHOP, order("A-8"), "test");
      const other = await intakeOrder(deps(), OTHER, order("B-7"), "test");
      const request = async (path: string, init: RequestInit = {}) => {
        const { token } = await getJwt(SHOP.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
        return new Request(`https://oms.test${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
      };
      const load = async (path: string) => {
        const res = (await ordersList.loader({ request: await request(path), context: { runtime: rt }, params: {} } as LoaderArgs)) as Response;
        expect(res.status).toBe(200);
        return (await res.json()) as { unroutable: number; rows: { name: string; status: string }[] };
      };
      const act = async (intent: string) => {
        const body = new FormData();
        body.set("intent", intent);
        const res = (await ordersList.action({ request: await request("/app/orders?index", { method: "POST", body }), context: { runtime: rt }, params: {} } as ActionArgs)) as Response;
        return { status: res.status, body: (await res.json()) as { ok: boolean; message: string } };
      };

      const page = await load("/app/orders");
      expect(page.unroutable).toBe(2);
      // The banner's "See why" link: the list filtered to them.
      expect((await load("/app/orders?status=unroutable")).rows.map((o) => o.name).sort()).toEqual(["A-7", "A-8"]);

      expect(await act("nonsense")).toEqual({ status: 422, body: { ok: false, message: 'intent: unknown action "nonsense"' } });
      // Still no profile: the sweep runs and changes nothing (no decision added), the banner stays.
      expect(await act("reroute_unroutable")).toEqual({ status: 200, body: { ok: true, message: "Re-routing 2 orders in the background, oldest first. Orders whose cause is fixed move on; the others keep their reason." } });
      await runJobs();
      expect((await decisionsFor(rt.db, SHOP, a.orderId)).length).toBe(1);
      expect((await load("/app/orders")).unroutable).toBe(2);

      // A profile saved but activated behind the app's back (no sweep queued): "Re-route all" does it.
      await saveDraft(rt.db, SHOP, { rules: [routingFixtures.rule("default", { fallback: { kind: "backorder" } })], actor: "test" });
      await rt.db.routingProfileVersion.updateMany({ where: { shop: SHOP }, data: { status: "active", activeFor: `${SHOP}|default`, activatedAt: clock } });
      expect((await act("reroute_unroutable")).body.ok).toBe(true);
      await runJobs();
      expect([await status(a.orderId), await status(b.orderId)]).toEqual(["routed", "routed"]);
      expect((await load("/app/orders")).unroutable).toBe(0);
      expect(await act("reroute_unroutable")).toEqual({ status: 200, body: { ok: true, message: "No orders are unroutable now: there is nothing to re-route." } });
      // The other shop's order: untouched.
      expect(await status(other.orderId)).toBe("unroutable");
      expect((await decisionsFor(rt.db, OTHER, other.orderId)).length).toBe(1);
      expect(await sweepJobs(OTHER)).toEqual([]);
    });
});
