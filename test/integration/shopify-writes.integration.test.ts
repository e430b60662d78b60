import { afterAll, beforeAll, expect, it } from "vitest";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { intakeOrder, orderTimeline, fulfillmentOrdersOf } from "#app/modules/orders/index";
import { activateVersion, routingFixtures, saveDraft } from "#app/modules/routing/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { createShopifyOrder, hubOrderCreatedInShopify, SHOPIFY_CREATE_ORDER_JOB, SHOPIFY_SYNC_FULFILLMENT_JOB, syncShopifyFulfillment } from "#app/workflows/shopify-writes.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, setStock } from "#test/support/inventory";
import { memoryLogger, testRuntime } from "#test/support/runtime";

/**
 * Writes out to Shopify after routing, against the sandbox peer (real schema validation, real
 * cost, the real client through the app's runtime): Shopify's own orders get their fulfillment
 * orders moved to the routed location; other channels' orders are created in Shopify once and
 * their hold becomes committed; a move Shopify refuses is on the order's timeline and fails the
 * job for good.  The peer's store is the ground truth checked here.
 */
const SHOP = "peer-writes.myshopify.com";
const NYC = { countryCode: "US", provinceCode: "NY", zip: "10001", city: "New York", lat: 40.7506, lng: -73.9972 };

describeEachDatabase("Shopify writes out (sandbox peer)", (tdb) => {
  let sandbox: ShopifySandbox;
  let rt: AppRuntime;
  const hub: Record<string, string> = {};

  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    sandbox = await startShopifySandbox({ schemaDir, shop: SHOP, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0 } });
    rt = testRuntime(tdb().url, { SHOPIFY_ADMIN_URL: sandbox.url, SHOPIFY_ADMIN_TOKEN: sandbox.accessToken });
    await truncateAll(tdb().handle);
    // The hub links the peer's locations and SKUs (the import, before the peer has any order).
    await importShopifyShop({ db: rt.db, now: () => new Date(), logger: memoryLogger("warn"), pollMs: 20, client: rt.shopifyAdmin.adminClientFor(SHOP) }, SHOP);
    for (const l of await rt.db.location.findMany({ where: { shop: SHOP } })) hub[l.name] = l.id;
    // Routing prefers the East DC; the peer's own routing prefers the West Warehouse (seed order).
    await rt.db.location.update({ where: { id: hub["East DC"]! }, data: { routingPriority: 1 } });
    await rt.db.location.update({ where: { id: hub["West Warehouse"]! }, data: { routingPriority: 2 } });
    const eligible = [hub["West Warehouse"]!, hub["East DC"]!];
    await makeChannel(rt.db, SHOP, "online", eligible, { kind: "online_store", hubHoldsStock: false });
    await makeChannel(rt.db, SHOP, "amazon", eligible, { kind: "amazon", hubHoldsStock: true });
    const { rule } = routingFixtures;
    await saveDraft(rt.db, SHOP, { rules: [rule("priority", { sort: [{ by: "location_priority" }], splitPolicy: { kind: "none" } }), rule("split", { sort: [{ by: "location_priority" }], splitPolicy: { kind: "split_lines" } })], actor: "test" });
    await activateVersion({ db: rt.db, now: () => new Date() }, SHOP, 1);
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.stop();
  });

  const deps = () => ({ db: rt.db, now: () => new Date(), logger: memoryLogger("warn"), client: rt.shopifyAdmin.adminClientFor(SHOP) });
  const store = () => sandbox.store;
  const locationName = (n: number) => store().location(n)!.name;
  const fosOf = (n: number) => store().fulfillmentOrders.filter((fo) => fo.orderN === n);
  /** Relay the outbox and run the jobs it makes (only those of this file). */
  async function runJobs() {
    await rt.relay.runOnce();
    await rt.runner.drain();
  }
  /** A web order in the peer (the peer's routing assigns it), and the same order taken in by the hub. */
  async function shopifyOrder(sku: string, quantity: number, more: { sku: string; quantity: number }[] = []) {
    const wanted = [{ sku, quantity }, ...more];
    const o = store().createOrder({
      lines: wanted.map((l) => store().lineFromVariant(store().variantBySkuOf(l.sku)!, l.quantity)),
      sourceName: "web",
      inventoryBehaviour: "DECREMENT_IGNORING_POLICY",
      shippingAddress: { city: "New York", provinceCode: "NY", countryCode: "US", zip: "10001" },
    });
    const gid = `gid://shopify/Order/${o.n}`;
    const lines = wanted.map((l, i) => ({ lineKey: String(o.lineItemNs[i]), sku: l.sku, quantity: l.quantity, priceCents: 2500 }));
    const r = await intakeOrder({ db: rt.db, now: () => new Date() }, SHOP, { channel: "online", externalOrderId: gid, name: o.name, paid: true, destination: NYC, lines }, "test");
    return { peer: o, hubOrderId: r.orderId, gid, status: r.status, sequence: r.decision?.sequence };
  }

  it("an online order routed elsewhere than the peer's routing: its fulfillment order is moved, once", async () => {
    const o = await shopifyOrder("TEE-M", 1);
    expect(o.status).toBe("routed");
    expect(fosOf(o.peer.n).map((fo) => locationName(fo.locationN))).toEqual(["West Warehouse"]);
    const outbox = await rt.db.outboxMessage.findMany({ where: { shop: SHOP, topic: SHOPIFY_SYNC_FULFILLMENT_JOB } });
    expect(outbox.map((m) => JSON.parse(m.payload) as unknown)).toEqual([{ shop: SHOP, orderId: o.hubOrderId, decisionSequence: o.sequence }]);

    await runJobs();
    const job = await rt.db.job.findFirstOrThrow({ where: { name: SHOPIFY_SYNC_FULFILLMENT_JOB, shop: SHOP } });
    expect(job).toMatchObject({ status: "completed", lastError: null });
    // The peer's store: the fulfillment order now sits at the East DC, with its committed units.
    const fos = fosOf(o.peer.n).filter((fo) => fo.status === "OPEN");
    expect(fos.map((fo) => locationName(fo.locationN))).toEqual(["East DC"]);
    // Linked to the hub order, with the hub's location.
    expect(await fulfillmentOrdersOf(rt.db, SHOP, o.hubOrderId)).toEqual([expect.objectContaining({ status: "open", locationId: hub["East DC"], assignedLocationGid: expect.stringMatching(/^gid:\/\/shopify\/Location\//) })]);
    const timeline = await orderTimeline(rt.db, SHOP, o.hubOrderId);
    expect(timeline.filter((e) => e.kind === "shopify.fulfillment_order_moved")).toHaveLength(1);

    // A second run compares locations first and changes nothing; a stale decision does nothing.
    const updatedAt = fos[0]!.updatedAt;
    const again = await syncShopifyFulfillment(deps(), { shop: SHOP, orderId: o.hubOrderId, decisionSequence: o.sequence! });
    expect(again).toMatchObject({ status: "done", moved: [], unchanged: 1 });
    expect(fosOf(o.peer.n).filter((fo) => fo.status === "OPEN").map((fo) => [locationName(fo.locationN), fo.updatedAt])).toEqual([["East DC", updatedAt]]);
    expect(await syncShopifyFulfillment(deps(), { shop: SHOP, orderId: o.hubOrderId, decisionSequence: o.sequence! - 1 })).toMatchObject({ status: "skipped" });
    expect((await orderTimeline(rt.db, SHOP, o.hubOrderId)).filter((e) => e.kind === "shopify.fulfillment_order_moved")).toHaveLength(1);
  });

  it("an Amazon order is created in Shopify once (even when the job runs twice), attributed, and its hold becomes committed", async () => {
    const r = await intakeOrder(
      { db: rt.db, now: () => new Date() },
      SHOP,
      { channel: "amazon", externalOrderId: "111-2223334-5556667", paid: true, destination: NYC, lines: [{ lineKey: "AMZ-L1", sku: "TEE-M", quantity: 2, priceCents: 2400 }] },
      "test",
    );
    expect(r.status).toBe("routed");
    expect((await rt.db.reservation.findMany({ where: { shop: SHOP, externalOrderId: "111-2223334-5556667" } })).map((x) => x.status)).toEqual(["held"]);

    await runJobs();
    const job = await rt.db.job.findFirstOrThrow({ where: { name: SHOPIFY_CREATE_ORDER_JOB, shop: SHOP } });
    expect(job).toMatchObject({ status: "completed", lastError: null });
    const created = store().orders.filter((o) => o.sourceIdentifier === "111-2223334-5556667");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ sourceName: "amazon", inventoryClaimed: true });
    const lines = created[0]!.lineItemNs.map((n) => store().lineItem(n)!);
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([["TEE-M", 2]]);
    // Shopify routed it to the West Warehouse; the hub routed it to the East DC: moved there.
    expect(fosOf(created[0]!.n).filter((fo) => fo.status === "OPEN").map((fo) => locationName(fo.locationN))).toEqual(["East DC"]);
    // The hub's hold is committed now (Shopify counts the units).
    expect((await rt.db.reservation.findMany({ where: { shop: SHOP, externalOrderId: "111-2223334-5556667" } })).map((x) => x.status)).toEqual(["committed"]);
    const timeline = await orderTimeline(rt.db, SHOP, r.orderId);
    expect(timeline.find((e) => e.kind === "shopify.order_created")).toMatchObject({ subjectId: `gid://shopify/Order/${created[0]!.n}`, summary: { sourceName: "amazon", sourceIdentifier: "111-2223334-5556667", foundBySearch: false } });

    // The job again (a retry after an unknown outcome, say): the search finds the order; nothing new.
    const again = await createShopifyOrder(deps(), { shop: SHOP, orderId: r.orderId, decisionSequence: r.decision!.sequence });
    expect(again).toMatchObject({ status: "done", created: false, moved: [], shopifyOrderId: `gid://shopify/Order/${created[0]!.n}` });
    expect(store().orders.filter((o) => o.sourceIdentifier === "111-2223334-5556667")).toHaveLength(1);
    expect((await orderTimeline(rt.db, SHOP, r.orderId)).filter((e) => e.kind === "shopify.order_created")).toHaveLength(1);
    // Its orders/create echo is recognised as the Amazon order (not a new online sale); Shopify's own orders are not.
    expect(await hubOrderCreatedInShopify(rt.db, SHOP, { source_name: "amazon", source_identifier: "111-2223334-5556667" })).toMatchObject({ id: r.orderId });
    expect(await hubOrderCreatedInShopify(rt.db, SHOP, { source_name: "web", source_identifier: null })).toBeNull();
  });

  it("a move the peer refuses: the timeline says why and the job fails permanently", async () => {
    // The hub has TEE-L at the West Warehouse (the peer does not stock it there): the hub routes
    // five there, the peer put them at the East DC (its only TEE-L location) and refuses the move.
    const teeL = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-L" } });
    await setStock(rt.db, SHOP, teeL.id, hub["West Warehouse"]!, 10);
    const o = await shopifyOrder("TEE-L", 5);
    expect(o.status).toBe("routed");
    expect(fosOf(o.peer.n).map((fo) => locationName(fo.locationN))).toEqual(["East DC"]);

    await runJobs();
    const job = await rt.db.job.findFirstOrThrow({ where: { name: SHOPIFY_SYNC_FULFILLMENT_JOB, shop: SHOP, payload: { contains: o.hubOrderId } } });
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job.lastError).toMatch(/newLocationId: West Warehouse does not stock TEE-L/);
    const refused = (await orderTimeline(rt.db, SHOP, o.hubOrderId)).find((e) => e.kind === "shopify.fulfillment_order_move_failed");
    expect(refused?.summary).toMatchObject({ field: "newLocationId", message: expect.stringMatching(/does not stock TEE-L/), decisionSequence: o.sequence });
    // Nothing moved in the peer; the fulfillment order is still linked to the hub order.
    expect(fosOf(o.peer.n).map((fo) => locationName(fo.locationN))).toEqual(["East DC"]);
    expect(await fulfillmentOrdersOf(rt.db, SHOP, o.hubOrderId)).toEqual([expect.objectContaining({ locationId: hub["East DC"] })]);
  });

  it("a split plan moves only the lines routed elsewhere (fulfillmentOrderLineItems); a re-run moves nothing", async () => {
    // The peer ships TEE-M and CAP together from the West Warehouse; the hub has no TEE-M left
    // there, so it splits: TEE-M from the East DC, CAP from the West Warehouse.
    const teeM = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } });
    await setStock(rt.db, SHOP, teeM.id, hub["West Warehouse"]!, 0);
    const o = await shopifyOrder("TEE-M", 1, [{ sku: "CAP", quantity: 2 }]);
    expect(o.status).toBe("routed");
    const plan = (await rt.db.routingDecision.findFirstOrThrow({ where: { orderId: o.hubOrderId, sequence: o.sequence! } })).plan!;
    expect((JSON.parse(plan) as { shipments: unknown[] }).shipments).toHaveLength(2);
    expect(fosOf(o.peer.n).map((fo) => locationName(fo.locationN))).toEqual(["West Warehouse"]);

    await runJobs();
    const job = await rt.db.job.findFirstOrThrow({ where: { name: SHOPIFY_SYNC_FULFILLMENT_JOB, shop: SHOP, payload: { contains: o.hubOrderId } } });
    expect(job).toMatchObject({ status: "completed", lastError: null });
    const open = () =>
      fosOf(o.peer.n)
        .filter((fo) => fo.status === "OPEN")
        .map((fo) => [locationName(fo.locationN), fo.lineNs.map((n) => store().foLine(n)!).filter((l) => l.remainingQuantity > 0).map((l) => [store().lineItem(l.lineItemN)!.sku, l.remainingQuantity])])
        .sort();
    expect(open()).toEqual([
      ["East DC", [["TEE-M", 1]]],
      ["West Warehouse", [["CAP", 2]]],
    ]);
    // Both fulfillment orders are linked to the hub order.
    expect((await fulfillmentOrdersOf(rt.db, SHOP, o.hubOrderId)).map((f) => f.locationId).sort()).toEqual([hub["East DC"], hub["West Warehouse"]].sort());

    const again = await syncShopifyFulfillment(deps(), { shop: SHOP, orderId: o.hubOrderId, decisionSequence: o.sequence! });
    expect(again).toMatchObject({ status: "done", moved: [], unchanged: 2 });
    expect(open()).toEqual([
      ["East DC", [["TEE-M", 1]]],
      ["West Warehouse", [["CAP", 2]]],
    ]);
  });
});
