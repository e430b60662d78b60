import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { cancelOrder, intakeOrder, rerouteUnroutable, routeExistingOrder, type OrderIntake, type OrdersDeps } from "#app/modules/orders/index";
import { activateVersion, decisionsFor, routingFixtures, saveDraft } from "#app/modules/routing/index";
import type { Db } from "#app/platform/db/client.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeSku, setStock, total } from "#test/support/inventory";
import { testRuntime } from "#test/support/runtime";

/**
 * A routing attempt reads the order, decides, then writes in one transaction.  Whatever happens to
 * the order in between — the merchant cancels it, a person re-routes it — the attempt must not
 * write over it: no cancelled order comes back as unroutable or routed, no decision or Shopify
 * outbox row is recorded for it, and the sweep reports the order instead of re-routing it.
 * The interleaving is forced: the deps' database runs the other writer just before the routing
 * transaction opens (routeExistingOrder opens no other transaction).
 */
const SHOP = "races-it.myshopify.com";
const T0 = new Date("2026-11-24T18:30:00Z");
const NY = { countryCode: "US", provinceCode: "NY", zip: "11201", city: "Brooklyn", lat: 40.6782, lng: -73.9442 };

describeEachDatabase("a routing attempt never writes over an order that changed after it was read", (tdb) => {
  let rt: AppRuntime;
  const clock = T0;
  const deps = (): OrdersDeps => ({ db: rt.db, now: () => clock });

  /** The real database, except that the `nth` transaction opened through it runs `before` first. */
  function interleaved(before: () => Promise<unknown>, nth = 1): OrdersDeps {
    let opened = 0;
    const db = new Proxy(rt.db, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (prop === "$transaction") {
          return async (...args: unknown[]) => {
            if (++opened === nth) await before();
            return (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
          };
        }
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Db;
    return { db, now: () => clock };
  }

  beforeAll(async () => {
    rt = testRuntime(tdb().url, {}, { now: () => clock });
  });
  afterAll(async () => {
    await rt?.close();
  });
  beforeEach(async () => {
    await truncateAll(tdb().handle);
  });

  /** A Newark DC linked to Shopify with 5 TEE; an online channel whose orders the hub creates in Shopify (a routed decision writes an outbox row). */
  async function shop(o: { lat: number | null; lng: number | null }) {
    const dc = await rt.db.location.create({
      data: { id: randomUUID(), shop: SHOP, name: "Newark DC", kind: "warehouse", shopifyLocationId: "gid://shopify/Location/7001", latitude: o.lat, longitude: o.lng, timeZone: "America/New_York" },
    });
    const tee = await makeSku(rt.db, SHOP, "TEE");
    await setStock(rt.db, SHOP, tee.id, dc.id, 5);
    await makeChannel(rt.db, SHOP, "online", [dc.id], { kind: "online_store", hubHoldsStock: true });
    return { dc, tee };
  }
  const order = (id: string): OrderIntake => ({ channel: "online", externalOrderId: id, destination: NY, paid: true, lines: [{ lineKey: "1", sku: "TEE", quantity: 2 }] });
  const activate = async () => {
    await saveDraft(rt.db, SHOP, { rules: [routingFixtures.rule("default", { fallback: { kind: "backorder" } })], actor: "test" });
    await activateVersion(deps(), SHOP, 1);
  };
  const cancel = (orderId: string) => () => cancelOrder(deps(), SHOP, orderId, { reason: "cancelled by the merchant", actor: "merchant" });
  const orderRow = (orderId: string) => rt.db.order.findUniqueOrThrow({ where: { id: orderId } });
  const shopifyWrites = () => rt.db.outboxMessage.count({ where: { shop: SHOP, topic: { startsWith: "shopify." } } });

  it("the sweep loads an unroutable order, the merchant cancels it, the sweep's new reason is not written over the cancel", async () => {
    await shop({ lat: null, lng: null });
    const r = await intakeOrder(deps(), SHOP, order("#1042"), "test");
    expect(r.decision!.reason).toMatch(/^no active routing profile/);
    // Now a profile, but still no coordinates: the sweep would record a new reason ("no location can ship …").
    await activate();

    const sweep = await rerouteUnroutable(interleaved(cancel(r.orderId)), SHOP, { cause: "test" });

    expect(await orderRow(r.orderId)).toMatchObject({ status: "cancelled", statusReason: "cancelled by the merchant" });
    expect((await decisionsFor(rt.db, SHOP, r.orderId)).map((d) => [d.sequence, d.trigger])).toEqual([[1, "intake"]]);
    expect(sweep).toMatchObject({ examined: 1, routed: 0, unchanged: 0, stillUnroutable: [], otherwise: [] });
    expect(sweep.skipped).toEqual([{ name: "#1042", reason: "order #1042 is cancelled; there is nothing to route" }]);
    expect(sweep.failed).toEqual([]);
  });

  it("the sweep would route it: the cancelled order is not routed, no stock moves and nothing is sent to Shopify", async () => {
    const { tee } = await shop({ lat: 40.7357, lng: -74.1724 });
    const r = await intakeOrder(deps(), SHOP, order("#1043"), "test");
    expect(r.status).toBe("unroutable");
    await activate();
    // Another order holds 2 units at the DC: a cancelled order's "move" must not take them.
    const other = await intakeOrder(deps(), SHOP, order("#2001"), "test");
    expect(other.status).toBe("routed");
    const writesBefore = await shopifyWrites();

    const sweep = await rerouteUnroutable(interleaved(cancel(r.orderId)), SHOP, { cause: "test" });

    expect(await orderRow(r.orderId)).toMatchObject({ status: "cancelled", routedAt: null });
    expect((await decisionsFor(rt.db, SHOP, r.orderId)).length).toBe(1);
    expect(sweep.routed).toBe(0);
    expect(sweep.skipped).toEqual([{ name: "#1043", reason: "order #1043 is cancelled; there is nothing to route" }]);
    expect(await shopifyWrites()).toBe(writesBefore);
    // Only the other order's 2 units are held.
    expect(await total(rt.db, tee.id, "held")).toBe(2);
  });

  it("a person's re-route that reads the order before the cancel refuses it instead of recording a decision", async () => {
    await shop({ lat: null, lng: null });
    await activate();
    const r = await intakeOrder(deps(), SHOP, order("#1044"), "test");
    expect(r.status).toBe("unroutable");

    await expect(routeExistingOrder(interleaved(cancel(r.orderId)), SHOP, r.orderId, { trigger: "manual", actor: "admin" })).rejects.toMatchObject({
      kind: "CONFLICT",
      message: "order #1044 is cancelled; there is nothing to route",
    });
    expect((await orderRow(r.orderId)).status).toBe("cancelled");
    expect((await decisionsFor(rt.db, SHOP, r.orderId)).map((d) => d.trigger)).toEqual(["intake"]);
  });

  it("a person routes the order between the sweep's read and its transaction: the sweep leaves it, one decision on top", async () => {
    await shop({ lat: null, lng: null });
    await activate();
    const r = await intakeOrder(deps(), SHOP, order("#1045"), "test");
    expect(r.status).toBe("unroutable");
    await rt.db.location.updateMany({ where: { shop: SHOP }, data: { latitude: 40.7357, longitude: -74.1724 } });

    const sweep = await rerouteUnroutable(
      interleaved(() => routeExistingOrder(deps(), SHOP, r.orderId, { trigger: "manual", actor: "admin" })),
      SHOP,
      { cause: "test" },
    );

    expect((await orderRow(r.orderId)).status).toBe("routed");
    expect((await decisionsFor(rt.db, SHOP, r.orderId)).map((d) => [d.sequence, d.status, d.trigger])).toEqual([
      [2, "routed", "manual"],
      [1, "unroutable", "intake"],
    ]);
    expect(sweep.routed).toBe(0);
    expect(sweep.skipped).toEqual([{ name: "#1045", reason: "order #1045 is routed now, no longer unroutable: the sweep leaves it" }]);
  });

  it("an order cancelled while intake reserves it stays cancelled and holds nothing", async () => {
    const { tee } = await shop({ lat: 40.7357, lng: -74.1724 });
    await activate();
    let orderId = "";
    // Intake's transactions: 1 records the order, 2 reserves it; the cancel lands between them.
    const r = await intakeOrder(
      interleaved(async () => {
        orderId = (await rt.db.order.findFirstOrThrow({ where: { shop: SHOP, externalOrderId: "#1046" } })).id;
        await cancel(orderId)();
      }, 2),
      SHOP,
      order("#1046"),
      "test",
    );

    expect(r).toMatchObject({ orderId, status: "cancelled", decision: null });
    expect((await orderRow(orderId)).status).toBe("cancelled");
    expect(await decisionsFor(rt.db, SHOP, orderId)).toEqual([]);
    expect(await total(rt.db, tee.id, "held")).toBe(0);
    expect(await shopifyWrites()).toBe(0);
  });
});
