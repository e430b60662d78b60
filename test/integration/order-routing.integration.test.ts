import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { cancelOrder, getOrderDetail, intakeOrder, recordOrderWithoutStock, routeExistingOrder, whatIf, type OrderIntake } from "#app/modules/orders/index";
import { consumeOrder, expireHolds } from "#app/modules/inventory/index";
import { activateVersion, humanize, NO_COORDINATES, routingFixtures, saveDraft, type Rule } from "#app/modules/routing/index";
import type { Db } from "#app/platform/db/client.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeSku, setStock } from "#test/support/inventory";

/**
 * Routing + reservation on a real database: the reservation taken at intake moves to the locations
 * routing chose, daily caps are counted transactionally, and races for the last unit or the last
 * slot of the day leave numbers that add up.
 */
const SHOP = "route-it.myshopify.com";
const OTHER = "other-it.myshopify.com";
// Tuesday 2026-11-24 18:30 UTC = 10:30 in Los Angeles, 13:30 in New York: stores are open.
const T0 = new Date("2026-11-24T18:30:00Z");
const { rule } = routingFixtures;
const STORE_HOURS = routingFixtures.STORE_HOURS;

/** lat/lng null: a location whose coordinates were never set (Shopify's REST Location has none). */
async function makeLoc(db: Db, shop: string, name: string, o: { kind?: string; lat: number | null; lng: number | null; tz?: string; cap?: number | null; priority: number; hours?: unknown; cutoff?: number }) {
  return db.location.create({
    data: {
      id: randomUUID(),
      shop,
      name,
      kind: o.kind ?? "warehouse",
      latitude: o.lat,
      longitude: o.lng,
      timeZone: o.tz ?? "America/Los_Angeles",
      dailyShipFromStoreCap: o.cap ?? null,
      shipsFromStore: o.kind === "store",
      offersPickup: o.kind === "store",
      routingPriority: o.priority,
      openingHours: JSON.stringify(o.hours ?? {}),
      ...(o.cutoff !== undefined ? { sameDayCutoffMinutes: o.cutoff } : {}),
    },
  });
}

describeEachDatabase("order intake: reserve, route, move the reservation, count caps", (tdb) => {
  const SD = { countryCode: "US", provinceCode: "CA", zip: "92101", city: "San Diego", lat: 32.7157, lng: -117.1611 };
  let ids: { west: string; la: string; east: string; tee: string; cap: string; kit: string; peg: string };

  beforeEach(async () => {
    const { db } = tdb().handle;
    await truncateAll(tdb().handle);
    const west = await makeLoc(db, SHOP, "West", { lat: 34.0559, lng: -117.5972, priority: 1 });
    const la = await makeLoc(db, SHOP, "LA Store", { kind: "store", lat: 34.0812, lng: -118.3763, cap: 2, priority: 2, hours: STORE_HOURS });
    const east = await makeLoc(db, SHOP, "East", { lat: 40.5187, lng: -74.3457, tz: "America/New_York", priority: 3 });
    const tee = await makeSku(db, SHOP, "TEE");
    const cap = await makeSku(db, SHOP, "CAP", { tags: "high-demand" });
    const peg = await makeSku(db, SHOP, "PEG");
    const kit = await makeSku(db, SHOP, "KIT", { isKit: true });
    await db.kitComponent.create({ data: { id: randomUUID(), shop: SHOP, kitVariantId: kit.id, componentVariantId: peg.id, quantity: 4 } });
    ids = { west: west.id, la: la.id, east: east.id, tee: tee.id, cap: cap.id, kit: kit.id, peg: peg.id };
    await makeChannel(db, SHOP, "amazon-us", [west.id, la.id, east.id], { hubHoldsStock: true });
    await makeChannel(db, SHOP, "online", [west.id, la.id, east.id], { kind: "online_store", hubHoldsStock: false });
    await makeChannel(db, SHOP, "portal", [east.id], { kind: "b2b_portal", hubHoldsStock: true });
    const rules: Rule[] = [
      rule("california", { conditions: { destination: { regions: ["US-CA"] } }, candidateFilter: { include: [west.id, la.id, east.id] }, sort: [{ by: "location_priority" }], splitPolicy: { kind: "max_shipments", n: 2 } }),
      rule("default", { sort: [{ by: "shipping_cost" }], splitPolicy: { kind: "split_lines" }, fallback: { kind: "backorder" } }),
    ];
    await saveDraft(db, SHOP, { rules, actor: "test" });
    await activateVersion({ db, now: () => T0 }, SHOP, 1);
  });

  const deps = (db: Db = tdb().handle.db) => ({ db, now: () => T0, random: () => 0 });
  const order = (id: string, lines: OrderIntake["lines"], extra: Partial<OrderIntake> = {}): OrderIntake => ({ channel: "amazon-us", externalOrderId: id, destination: SD, lines, ...extra });
  const level = (variantId: string, locationId: string) => tdb().handle.db.inventoryLevel.findUniqueOrThrow({ where: { variantId_locationId: { variantId, locationId } } });
  const slots = async (locationId: string) => (await tdb().handle.db.locationDayCount.findMany({ where: { locationId } })).reduce((s, r) => s + r.used, 0);

  it("moves the intake hold to the routed location and records the decision with its trace", async () => {
    const { db } = tdb().handle;
    // Intake's reservation takes the tightest single fit (East, 2 units); the California rule wants West first.
    await setStock(db, SHOP, ids.tee, ids.west, 50);
    await setStock(db, SHOP, ids.tee, ids.east, 2);
    const r = await intakeOrder(deps(), SHOP, order("A-1", [{ lineKey: "1", sku: "TEE", quantity: 2 }]), "test");
    expect(r).toMatchObject({ duplicate: false, status: "routed", decision: { ruleId: "california", sequence: 1, trigger: "intake" } });
    expect(r.decision!.plan!.shipments.map((s) => s.locationId)).toEqual([ids.west]);
    expect((await level(ids.tee, ids.west)).held).toBe(2);
    expect((await level(ids.tee, ids.east)).held).toBe(0);
    const detail = await getOrderDetail(db, SHOP, "A-1");
    expect(detail.order).toMatchObject({ status: "routed", channel: { code: "amazon-us" }, destination: { geocode: "address" } });
    expect(detail.lines[0]!.reservation).toMatchObject({ status: "held", allocations: [{ location: "West", sku: "TEE", quantity: 2 }] });
    expect(detail.decisions[0]!.trace.candidates.filter((c) => c.ruleId === "california").map((c) => [c.locationId, c.accepted])).toEqual(
      expect.arrayContaining([[ids.west, true], [ids.east, true]]),
    );
    // The ledger says why the hold moved.
    const moved = await db.inventoryLedgerEntry.findMany({ where: { shop: SHOP, reference: "A-1" } });
    expect(moved.map((e) => [e.locationId, e.quantityName, e.delta]).sort()).toEqual([[ids.east, "held", -2], [ids.west, "held", 2]].sort());
  });

  it("is idempotent: a second delivery of the order changes nothing", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.west, 5);
    const first = await intakeOrder(deps(), SHOP, order("A-2", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
    const again = await intakeOrder(deps(), SHOP, order("A-2", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
    expect(again).toMatchObject({ orderId: first.orderId, duplicate: true, status: "routed" });
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(1);
    expect(await db.routingDecision.count({ where: { shop: SHOP } })).toBe(1);
    expect((await level(ids.tee, ids.west)).held).toBe(1);
  });

  it("splits a California order across West and East when neither has everything", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.west, 4);
    await setStock(db, SHOP, ids.cap, ids.east, 4);
    const r = await intakeOrder(deps(), SHOP, order("A-3", [{ lineKey: "1", sku: "TEE", quantity: 1 }, { lineKey: "2", sku: "CAP", quantity: 1 }]), "test");
    expect(r.status).toBe("routed");
    expect(r.decision!.plan!.shipments.map((s) => [s.locationId, s.lines.map((l) => l.sku)])).toEqual(
      [[ids.west, ["TEE"]], [ids.east, ["CAP"]]].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
  });

  it("counts ship-from-store against the daily cap and gives the slot back on cancel", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.la, 10); // only the LA store has it
    const a = await intakeOrder(deps(), SHOP, order("A-4", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
    expect(a.decision!.plan!.shipments[0]!.locationId).toBe(ids.la);
    expect(a.decision!.slots).toEqual([{ locationId: ids.la, day: "2026-11-24" }]);
    expect(await slots(ids.la)).toBe(1);
    await cancelOrder(deps(), SHOP, a.orderId, { reason: "customer cancelled", actor: "test" });
    expect(await slots(ids.la)).toBe(0);
    expect((await level(ids.tee, ids.la)).held).toBe(0);
    expect((await db.order.findUniqueOrThrow({ where: { id: a.orderId } })).status).toBe("cancelled");
  });

  it("never lets two orders take the store's last slot of the day", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.la, 10);
    await setStock(db, SHOP, ids.tee, ids.east, 10);
    // One slot left today.
    await db.locationDayCount.create({ data: { id: randomUUID(), shop: SHOP, locationId: ids.la, day: "2026-11-24", used: 1 } });
    const conns = tdb().provider === "postgresql" ? [tdb().connect(), tdb().connect(), tdb().connect()] : [tdb().handle, tdb().handle, tdb().handle];
    const results = await Promise.all(conns.map((h, i) => intakeOrder(deps(h.db), SHOP, order(`RACE-${i}`, [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test")));
    const fromLa = results.filter((r) => r.decision?.plan?.shipments.some((s) => s.locationId === ids.la));
    expect(results.every((r) => r.status === "routed")).toBe(true);
    expect(fromLa).toHaveLength(1);
    expect(await slots(ids.la)).toBe(2);
    expect((await level(ids.tee, ids.la)).held).toBe(1);
    expect((await level(ids.tee, ids.east)).held).toBe(2);
  });

  it("re-plans when another order takes the stock routing wanted (no level goes below its holds)", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.west, 1); // the preferred location has one unit
    await setStock(db, SHOP, ids.tee, ids.east, 10);
    const conns = tdb().provider === "postgresql" ? Array.from({ length: 4 }, () => tdb().connect()) : Array.from({ length: 4 }, () => tdb().handle);
    const results = await Promise.all(conns.map((h, i) => intakeOrder(deps(h.db), SHOP, order(`LAST-${i}`, [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test")));
    expect(results.every((r) => r.status === "routed")).toBe(true);
    const fromWest = results.filter((r) => r.decision!.plan!.shipments[0]!.locationId === ids.west);
    expect(fromWest).toHaveLength(1);
    const w = await level(ids.tee, ids.west);
    const e = await level(ids.tee, ids.east);
    expect(w.held).toBe(1);
    expect(e.held).toBe(3);
    expect(w.available - w.held).toBeGreaterThanOrEqual(0);
    // Allocations agree with the levels.
    const allocs = await db.reservationAllocation.findMany({ where: { shop: SHOP } });
    expect(allocs.reduce((s, a) => s + a.quantity, 0)).toBe(4);
  });

  it("moves a committed (Shopify-sold) order's expected commitment with the route", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.west, 2);
    await setStock(db, SHOP, ids.tee, ids.east, 20);
    const r = await intakeOrder(deps(), SHOP, order("ONL-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }], { channel: "online" }), "test");
    expect(r.status).toBe("routed");
    const w = await level(ids.tee, ids.west);
    const e = await level(ids.tee, ids.east);
    expect([w.available, w.committed, e.available, e.committed]).toEqual([1, 1, 20, 0]);
  });

  it("routes a kit as its components at one location", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.peg, ids.west, 7); // one kit (4 pegs) fits, two do not
    await setStock(db, SHOP, ids.peg, ids.east, 40);
    const r = await intakeOrder(deps(), SHOP, order("KIT-1", [{ lineKey: "1", sku: "KIT", quantity: 2 }]), "test");
    expect(r.decision!.plan!.shipments.map((s) => s.locationId)).toEqual([ids.east]);
    expect((await level(ids.peg, ids.east)).held).toBe(8);
    expect((await level(ids.peg, ids.west)).held).toBe(0);
  });

  it("re-routes on request, giving back the old slot and keeping one decision per sequence", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.la, 5);
    const r = await intakeOrder(deps(), SHOP, order("RR-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
    expect(r.decision!.plan!.shipments[0]!.locationId).toBe(ids.la);
    await setStock(db, SHOP, ids.tee, ids.west, 5); // West gets stock; re-routing prefers it
    const again = await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "agent@shop" });
    expect(again.decision).toMatchObject({ sequence: 2, trigger: "manual", actor: "agent@shop" });
    expect(again.decision!.plan!.shipments[0]!.locationId).toBe(ids.west);
    expect(await slots(ids.la)).toBe(0);
    expect((await level(ids.tee, ids.la)).held).toBe(0);
    expect((await level(ids.tee, ids.west)).held).toBe(1);
  });

  it("without an active profile the order is unroutable with the reason, keeps its hold, and routes once one is active", async () => {
    const { db } = tdb().handle;
    await db.routingProfileVersion.deleteMany();
    await setStock(db, SHOP, ids.tee, ids.east, 5);
    const r = await intakeOrder(deps(), SHOP, order("NP-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
    expect(r).toMatchObject({ status: "unroutable", decision: { sequence: 1, status: "unroutable", ruleId: null, profileVersion: 0, trigger: "intake" } });
    expect(r.decision!.reason).toMatch(/^no active routing profile: activate one on the Routing page/);
    expect(await db.order.findUniqueOrThrow({ where: { id: r.orderId } })).toMatchObject({ status: "unroutable", statusReason: r.decision!.reason });
    expect(await level(ids.tee, ids.east)).toMatchObject({ available: 5, held: 1 });

    await saveDraft(db, SHOP, { rules: [rule("any", { fallback: { kind: "backorder" } })], actor: "test" });
    await activateVersion({ db, now: () => T0 }, SHOP, 1);
    const again = await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "test" });
    expect(again).toMatchObject({ status: "routed", decision: { sequence: 2, ruleId: "any", profileVersion: 1 } });
    expect(again.decision!.plan!.shipments.map((s) => s.locationId)).toEqual([ids.east]);
    expect(await level(ids.tee, ids.east)).toMatchObject({ available: 5, held: 1 });
  });

  describe("orders routing cannot place: a visible reason, the hold kept, re-routed once fixed", () => {
    const NY = { countryCode: "US", provinceCode: "NY", zip: "11201", city: "Brooklyn", lat: 40.6782, lng: -73.9442 };
    const candidate = <C extends { ruleId: string; locationId: string }>(d: { trace: { candidates: C[] } }, ruleId: string, locationId: string) =>
      d.trace.candidates.find((c) => c.ruleId === ruleId && c.locationId === locationId);

    /** A Brooklyn store eligible for every channel; its coordinates were never set. */
    async function brooklyn(db: Db) {
      const store = await makeLoc(db, SHOP, "Brooklyn Store", { kind: "store", lat: null, lng: null, tz: "America/New_York", priority: 1 });
      for (const c of await db.channel.findMany({ where: { shop: SHOP } })) {
        await db.channel.update({ where: { id: c.id }, data: { eligibleLocationIds: JSON.stringify([...(JSON.parse(c.eligibleLocationIds) as string[]), store.id]) } });
      }
      return store;
    }

    it("leaves a location without coordinates out with the reason, and routes the order elsewhere (the intake hold moves off it)", async () => {
      const { db } = tdb().handle;
      const store = await brooklyn(db);
      // Intake holds the tightest single fit: the Brooklyn store's 2 units, not West's 50.
      await setStock(db, SHOP, ids.tee, store.id, 2);
      await setStock(db, SHOP, ids.tee, ids.west, 50);
      const r = await intakeOrder(deps(), SHOP, order("NC-1", [{ lineKey: "1", sku: "TEE", quantity: 2 }], { destination: NY }), "test");
      expect(r.status).toBe("routed");
      expect(r.decision!.ruleId).toBe("default");
      expect(r.decision!.plan!.shipments.map((s) => s.locationId)).toEqual([ids.west]);
      expect(candidate(r.decision!, "default", store.id)).toEqual({ ruleId: "default", locationId: store.id, accepted: false, reason: NO_COORDINATES, misconfigured: true });
      expect(NO_COORDINATES).toBe("no coordinates — complete its address in Shopify, then resync");
      expect(await level(ids.tee, store.id)).toMatchObject({ available: 2, held: 0 });
      expect(await level(ids.tee, ids.west)).toMatchObject({ available: 50, held: 2 });
      // The order page and `oms route` read the stored decision: the trace names the location.
      const detail = await getOrderDetail(db, SHOP, "NC-1");
      const entry = candidate(detail.decisions[0]!, "default", store.id)!;
      expect(`${detail.locationNames[entry.locationId]}: ${entry.reason}`).toBe("Brooklyn Store: no coordinates — complete its address in Shopify, then resync");
      // The what-if replay loads the same network: it runs, and leaves the store out the same way.
      const active = JSON.parse((await db.routingProfileVersion.findFirstOrThrow()).body) as Rule[];
      const report = await whatIf(deps(), SHOP, { days: 30, profile: { id: "default", version: 1, rules: active } });
      expect(report.base.decisions.map((d) => d.plan?.shipments.map((s) => s.locationId))).toEqual([[ids.west]]);
    });

    it("makes the order unroutable with the reason when no location can ship it, keeps the hold, and routes it once the location is fixed", async () => {
      const { db } = tdb().handle;
      // The portal ships from East only, and East has lost its coordinates.
      await db.location.update({ where: { id: ids.east }, data: { latitude: null, longitude: null } });
      await setStock(db, SHOP, ids.tee, ids.east, 5);
      const r = await intakeOrder(deps(), SHOP, order("NC-2", [{ lineKey: "1", sku: "TEE", quantity: 3 }], { channel: "portal", destination: NY }), "test");
      const names = { [ids.east]: "East" };
      expect(r).toMatchObject({ status: "unroutable", decision: { sequence: 1, status: "unroutable", ruleId: null, plan: null } });
      expect(humanize(r.decision!.reason, names)).toBe("no location can ship this order until its settings are fixed: East (no coordinates — complete its address in Shopify, then resync)");
      expect(r.decision!.trace.rules.find((x) => x.ruleId === "default")).toMatchObject({ matched: true });
      expect(candidate(r.decision!, "default", ids.east)).toMatchObject({ accepted: false, reason: NO_COORDINATES, misconfigured: true });
      const stored = await db.order.findUniqueOrThrow({ where: { id: r.orderId } });
      expect(stored).toMatchObject({ status: "unroutable", statusReason: r.decision!.reason, routedAt: null });
      // The hold stays where intake put it: nothing released, nothing sold twice.
      expect(await level(ids.tee, ids.east)).toMatchObject({ available: 5, held: 3 });
      expect((await getOrderDetail(db, SHOP, "NC-2")).lines[0]!.reservation).toMatchObject({ status: "held", allocations: [{ location: "East", sku: "TEE", quantity: 3 }] });
      // Another order cannot take the held units meanwhile.
      expect((await intakeOrder(deps(), SHOP, order("NC-3", [{ lineKey: "1", sku: "TEE", quantity: 3 }], { channel: "portal", destination: NY }), "test")).status).toBe("refused");

      // Re-routing before the fix changes nothing but the record.
      const unchanged = await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "agent@shop" });
      expect(unchanged).toMatchObject({ status: "unroutable", decision: { sequence: 2 } });
      expect(await level(ids.tee, ids.east)).toMatchObject({ available: 5, held: 3 });

      await db.location.update({ where: { id: ids.east }, data: { latitude: 40.5187, longitude: -74.3457 } });
      const fixed = await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "agent@shop" });
      expect(fixed).toMatchObject({ status: "routed", decision: { sequence: 3, ruleId: "default", trigger: "manual" } });
      expect(fixed.decision!.plan!.shipments.map((s) => s.locationId)).toEqual([ids.east]);
      expect(await db.order.findUniqueOrThrow({ where: { id: r.orderId } })).toMatchObject({ status: "routed", routedAt: T0 });
      expect(await level(ids.tee, ids.east)).toMatchObject({ available: 5, held: 3 });
      expect((await getOrderDetail(db, SHOP, "NC-2")).decisions.map((d) => d.status)).toEqual(["routed", "unroutable", "unroutable"]);
    });

    it("a location whose time zone or hours routing cannot read is left out with the reason; the rest of the shop routes", async () => {
      const { db } = tdb().handle;
      await db.location.update({ where: { id: ids.la }, data: { timeZone: "Pacific Time" } });
      await db.location.update({ where: { id: ids.east }, data: { openingHours: JSON.stringify({ mon: [["18:00", "09:00"]] }) } });
      await setStock(db, SHOP, ids.tee, ids.west, 5);
      const r = await intakeOrder(deps(), SHOP, order("TZ-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
      expect(r.status).toBe("routed");
      expect(r.decision!.plan!.shipments.map((s) => s.locationId)).toEqual([ids.west]);
      expect(candidate(r.decision!, "california", ids.la)).toEqual({
        ruleId: "california",
        locationId: ids.la,
        accepted: false,
        reason: 'time zone "Pacific Time" is not an IANA zone such as America/New_York — fix the location\'s time zone (hours, cut-offs and daily caps run on it)',
        misconfigured: true,
      });
      expect(candidate(r.decision!, "california", ids.east)).toEqual({
        ruleId: "california",
        locationId: ids.east,
        accepted: false,
        reason: "invalid openingHours.mon[0]: opens at 18:00, not before it closes at 09:00 — fix the location's settings",
        misconfigured: true,
      });
    });

    it("a kit whose components were removed after intake is unroutable with the reason, keeps its components held, and routes once fixed", async () => {
      const { db } = tdb().handle;
      await setStock(db, SHOP, ids.peg, ids.west, 8);
      const r = await intakeOrder(deps(), SHOP, order("KIT-X", [{ lineKey: "1", sku: "KIT", quantity: 2 }]), "test");
      expect(r.status).toBe("routed");
      const components = await db.kitComponent.findMany({ where: { kitVariantId: ids.kit } });
      await db.kitComponent.deleteMany({ where: { kitVariantId: ids.kit } });
      const broken = await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "test" });
      expect(broken).toMatchObject({ status: "unroutable", decision: { sequence: 2, reason: "line 1: kit KIT has no components — set its components in the catalog; then re-route" } });
      expect(await level(ids.peg, ids.west)).toMatchObject({ held: 8 });
      await db.kitComponent.createMany({ data: components });
      expect(await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "test" })).toMatchObject({ status: "routed", decision: { sequence: 3 } });
      expect(await level(ids.peg, ids.west)).toMatchObject({ held: 8 });
    });

    it("an order whose hold expired is unroutable (routing cannot make a hold), instead of failing", async () => {
      const { db } = tdb().handle;
      await makeChannel(db, SHOP, "unpaid", [ids.west], { kind: "online_store", holdTtlMinutes: 30 });
      await setStock(db, SHOP, ids.tee, ids.west, 5);
      const r = await intakeOrder(deps(), SHOP, order("EXP-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }], { channel: "unpaid" }), "test");
      expect(r.status).toBe("routed");
      expect(await expireHolds({ db, now: () => new Date(T0.getTime() + 3_600_000) })).toEqual({ expired: 1 });
      const again = await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "test" });
      expect(again).toMatchObject({ status: "unroutable", decision: { sequence: 2 } });
      expect(again.decision!.reason).toBe(
        "line 1 (TEE ×1) holds no stock (its reservation is released: unpaid hold expired): routing moves an order's reservation and cannot make a new one — cancel the order, or edit its lines in the channel so they are reserved again",
      );
      expect(await level(ids.tee, ids.west)).toMatchObject({ available: 5, held: 0 });
    });

    it("re-routes a partly shipped order's remaining lines only, and refuses to route one that has shipped in full", async () => {
      const { db } = tdb().handle;
      await setStock(db, SHOP, ids.tee, ids.west, 5);
      await setStock(db, SHOP, ids.cap, ids.west, 5);
      const r = await intakeOrder(deps(), SHOP, order("PART-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }, { lineKey: "2", sku: "CAP", quantity: 1 }], { channel: "online" }), "test");
      expect(r.status).toBe("routed");
      const channel = await db.channel.findFirstOrThrow({ where: { shop: SHOP, code: "online" } });
      await consumeOrder({ db }, { shop: SHOP, channelId: channel.id, externalOrderId: "PART-1", lineKeys: ["1"] });
      const again = await routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "test" });
      expect(again.status).toBe("routed");
      expect(again.decision!.plan!.shipments.flatMap((s) => s.lines.map((l) => l.lineKey))).toEqual(["2"]);
      await consumeOrder({ db }, { shop: SHOP, channelId: channel.id, externalOrderId: "PART-1" });
      await expect(routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "test" })).rejects.toMatchObject({ kind: "CONFLICT", message: "order PART-1: every line has shipped; there is nothing to route" });
      expect(await db.routingDecision.count({ where: { orderId: r.orderId } })).toBe(2);
    });

    it("a redelivered order that was reserved but never routed (its routing threw) is routed by the redelivery", async () => {
      const { db } = tdb().handle;
      await setStock(db, SHOP, ids.tee, ids.west, 5);
      const first = await intakeOrder(deps(), SHOP, order("RE-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
      // As the first delivery leaves an order whose routing threw after the reservation: reserved, no decision.
      await db.routingDecision.deleteMany({ where: { orderId: first.orderId } });
      await db.order.update({ where: { id: first.orderId }, data: { status: "reserved", statusReason: null } });
      const again = await intakeOrder(deps(), SHOP, order("RE-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), "test");
      expect(again).toMatchObject({ orderId: first.orderId, duplicate: true, status: "routed", decision: { sequence: 1, trigger: "intake" } });
      expect(await level(ids.tee, ids.west)).toMatchObject({ held: 1 });
      expect(await db.reservation.count({ where: { shop: SHOP } })).toBe(1);
    });

    it("record-only orders (history, fulfilled by the channel) are not routed", async () => {
      const { db } = tdb().handle;
      const r = await recordOrderWithoutStock(deps(), SHOP, order("HIST-1", [{ lineKey: "1", sku: "TEE", quantity: 1 }]), { status: "fulfilled", reason: "fulfilled before the import", actor: "test" });
      await expect(routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "test" })).rejects.toMatchObject({ kind: "CONFLICT", message: "order HIST-1 is fulfilled; there is nothing to route" });
      expect(await db.order.findUniqueOrThrow({ where: { id: r.orderId } })).toMatchObject({ status: "fulfilled" });
    });
  });

  it("refuses bad input with the field named and stores nothing", async () => {
    const { db } = tdb().handle;
    await expect(intakeOrder(deps(), SHOP, order("BAD-1", [{ lineKey: "1", sku: "TEE", quantity: 0 }]), "test")).rejects.toMatchObject({ kind: "INVALID", message: expect.stringContaining("order.lines.0.quantity") });
    await expect(intakeOrder(deps(), SHOP, order("BAD-2", [{ lineKey: "1", sku: "TEE", quantity: 1 }], { channel: "nope" }), "test")).rejects.toMatchObject({ kind: "INVALID", message: expect.stringContaining("order.channel") });
    await expect(intakeOrder(deps(), SHOP, order("BAD-3", [{ lineKey: "1", sku: "TEE", quantity: 1 }], { speed: "pickup" }), "test")).rejects.toMatchObject({ message: expect.stringContaining("order.pickupLocationId") });
    expect(await db.order.count()).toBe(0);
  });

  it("records a refused order when stock is short, and walls tenants off", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.east, 1);
    const r = await intakeOrder(deps(), SHOP, order("SHORT-1", [{ lineKey: "1", sku: "TEE", quantity: 3 }]), "test");
    expect(r.status).toBe("refused");
    expect(await db.routingDecision.count()).toBe(0);
    await expect(getOrderDetail(db, OTHER, r.orderId)).rejects.toMatchObject({ kind: "NOT_FOUND" });
    await expect(routeExistingOrder(deps(), OTHER, r.orderId, { trigger: "manual", actor: "x" })).rejects.toMatchObject({ kind: "NOT_FOUND" });
  });

  it("replays recent orders under a draft profile without touching live state", async () => {
    const { db } = tdb().handle;
    await setStock(db, SHOP, ids.tee, ids.west, 5);
    await setStock(db, SHOP, ids.tee, ids.east, 5);
    await intakeOrder({ ...deps(), now: () => new Date(T0.getTime() - 3 * 86_400_000) }, SHOP, order("W-1", [{ lineKey: "1", sku: "TEE", quantity: 2 }], { placedAt: new Date(T0.getTime() - 3 * 86_400_000) }), "test");
    await intakeOrder(deps(), SHOP, order("W-2", [{ lineKey: "1", sku: "TEE", quantity: 2 }], { placedAt: T0 }), "test");
    const before = await db.inventoryLevel.findMany({ orderBy: { id: "asc" } });
    const eastOnly: Rule[] = [rule("east-only", { candidateFilter: { include: [ids.east] }, fallback: { kind: "backorder" } })];
    const active = (await db.routingProfileVersion.findFirstOrThrow()).body;
    const report = await whatIf(deps(), SHOP, { days: 30, profile: { id: "default", version: 1, rules: JSON.parse(active) as Rule[] }, compare: { id: "draft", version: 2, rules: eastOnly } });
    expect(report.orders).toBe(2);
    // Replayed from the stock before these orders: West has 5 again, so both fit there.
    expect(report.base.decisions.map((d) => d.plan?.shipments[0]?.locationId)).toEqual([ids.west, ids.west]);
    expect(report.compare!.decisions.map((d) => d.plan?.shipments[0]?.locationId)).toEqual([ids.east, ids.east]);
    expect(report.delta!.costCents).toBeGreaterThan(0);
    expect(await db.inventoryLevel.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    await expect(whatIf(deps(), SHOP, { days: 0, profile: { id: "x", version: 1, rules: eastOnly } })).rejects.toMatchObject({ message: expect.stringContaining("days") });
  });
});
