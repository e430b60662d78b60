import { beforeEach, expect, it } from "vitest";
import {
  applyLevelUpdate,
  applyLevelUpdates,
  commitOrder,
  consumeOrder,
  expireHolds,
  getSkuDetail,
  publishAts,
  publishChannelAts,
  PUBLISH_ATS_JOB,
  PUBLISH_CHANNEL_JOB,
  releaseOrder,
  reserveOrder,
  updateChannelPolicy,
  HUB_OWNED_REASON,
  type AtsPublisher,
  type LevelUpdate,
} from "#app/modules/inventory/index";
import { createOutboxRelay } from "#app/platform/outbox.server";
import { createInProcessRunner } from "#app/platform/queue/in-process-runner.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation, makeSku, setStock, total } from "#test/support/inventory";
import { memoryLogger } from "#test/support/runtime";

const SHOP = "res.myshopify.com";
const T0 = new Date("2026-11-27T10:00:00.100Z");

describeEachDatabase("reservations and the quantity model", (tdb) => {
  let ids: { west: string; east: string; fba: string; amazon: string; online: string; tee: string };
  const deps = () => ({ db: tdb().handle.db, now: () => T0 });

  beforeEach(async () => {
    const { db } = tdb().handle;
    await truncateAll(tdb().handle);
    const west = await makeLocation(db, SHOP, "West");
    const east = await makeLocation(db, SHOP, "East");
    const fba = await makeLocation(db, SHOP, "FBA", { kind: "marketplace", readOnly: true });
    const tee = await makeSku(db, SHOP, "TEE");
    await setStock(db, SHOP, tee.id, west.id, 6);
    await setStock(db, SHOP, tee.id, east.id, 4);
    await setStock(db, SHOP, tee.id, fba.id, 50);
    const amazon = await makeChannel(db, SHOP, "amazon-us", [west.id, east.id, fba.id], { holdTtlMinutes: 30 });
    const online = await makeChannel(db, SHOP, "online", [west.id, east.id], { kind: "online_store", hubHoldsStock: false });
    ids = { west: west.id, east: east.id, fba: fba.id, amazon: amazon.id, online: online.id, tee: tee.id };
  });

  const order = (externalOrderId: string, quantity: number, channelId = ids.amazon, sku = "TEE") => ({
    shop: SHOP,
    channelId,
    externalOrderId,
    lines: [{ lineKey: "1", sku, quantity }],
    actor: "test",
  });

  it("holds units from one location when it can, records the hold in the ledger, and is idempotent", async () => {
    const { db } = tdb().handle;
    const r = await reserveOrder(deps(), order("A-1", 5));
    expect(r).toMatchObject({ status: "reserved", duplicate: false });
    expect(r.lines[0]).toMatchObject({ status: "held", allocations: [{ locationId: ids.west, quantity: 5 }] });
    expect(r.lines[0]!.reason).toBeNull();
    const again = await reserveOrder(deps(), order("A-1", 5));
    expect(again).toMatchObject({ status: "reserved", duplicate: true });
    expect(again.lines[0]!.reservationId).toBe(r.lines[0]!.reservationId);
    expect(await total(db, ids.tee, "held")).toBe(5);
    const ledger = await db.inventoryLedgerEntry.findMany({ where: { shop: SHOP, quantityName: "held" } });
    expect(ledger.map((e) => [e.delta, e.resulting, e.source, e.reason])).toEqual([[5, 5, "reservation", "hold for amazon-us order A-1"]]);
    // The channel's hold time applies to unpaid holds.
    expect((await db.reservation.findFirstOrThrow()).expiresAt?.toISOString()).toBe("2026-11-27T10:30:00.100Z");
  });

  it("splits a line only when no single location covers it, never touches read-only stock, and refuses with a reason", async () => {
    const split = await reserveOrder(deps(), order("A-2", 8));
    expect(split.lines[0]!.allocations.map((a) => [a.locationId, a.quantity]).sort()).toEqual([[ids.east, 2], [ids.west, 6]].sort());
    const refused = await reserveOrder(deps(), order("A-3", 3));
    expect(refused.status).toBe("refused");
    expect(refused.lines[0]).toMatchObject({ status: "refused", reason: "insufficient stock: 3 wanted, 2 sellable across 2 eligible location(s) for amazon-us", allocations: [] });
    const unknown = await reserveOrder(deps(), order("A-4", 1, ids.amazon, "NOPE"));
    expect(unknown.lines[0]!.reason).toBe('unknown SKU "NOPE"');
    await expect(reserveOrder(deps(), order("A-5", 0))).rejects.toMatchObject({ kind: "INVALID", message: "lines[0].quantity: must be a positive integer, got 0" });
    expect(await total(tdb().handle.db, ids.tee, "held")).toBe(8);
  });

  it("an expired unpaid hold frees its units; releasing twice changes nothing", async () => {
    const { db } = tdb().handle;
    await reserveOrder(deps(), { ...order("A-6", 4), expiresAt: new Date(T0.getTime() - 1) });
    await reserveOrder(deps(), order("A-7", 2)); // expires in 30 min
    expect(await total(db, ids.tee, "held")).toBe(6);
    expect(await expireHolds(deps())).toEqual({ expired: 1 });
    expect(await expireHolds(deps())).toEqual({ expired: 0 });
    expect(await total(db, ids.tee, "held")).toBe(2);
    expect(await db.reservation.findFirstOrThrow({ where: { externalOrderId: "A-6" } })).toMatchObject({ status: "released", reason: "unpaid hold expired" });
    await releaseOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-7", reason: "buyer cancelled", actor: "test" });
    await releaseOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-7", reason: "buyer cancelled", actor: "test" });
    expect(await total(db, ids.tee, "held")).toBe(0);
  });

  it("never double counts: hold → order created in Shopify → Shopify's own level update", async () => {
    const { db } = tdb().handle;
    const atsOf = async () => (await getSkuDetail(db, SHOP, "TEE")).ats.find((a) => a.channelId === ids.amazon)!.ats;
    expect(await atsOf()).toBe(10);
    await reserveOrder(deps(), order("A-8", 3)); // tightest single fit: East (available 4) → held 3
    expect(await atsOf()).toBe(7);
    await commitOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-8", actor: "test" });
    const east = await db.inventoryLevel.findFirstOrThrow({ where: { variantId: ids.tee, locationId: ids.east } });
    expect({ available: east.available, committed: east.committed, held: east.held }).toEqual({ available: 1, committed: 3, held: 0 });
    expect(await atsOf()).toBe(7);
    // Shopify then reports the same truth (its committed covers the order): nothing moves.
    await applyLevelUpdate(deps(), { shop: SHOP, variantId: ids.tee, locationId: ids.east, quantities: { available: 1, committed: 3, on_hand: 4 }, sourceUpdatedAt: new Date(T0.getTime() + 1_000), source: "shopify_webhook", reason: "inventory_levels/update", actor: "shopify" });
    expect(await atsOf()).toBe(7);
    expect(await db.reservation.findFirstOrThrow({ where: { externalOrderId: "A-8" } })).toMatchObject({ status: "committed", expiresAt: null });
  });

  it("a shipment from a location the hub owns comes off the hub's own on_hand and committed, once; elsewhere Shopify's counts carry it", async () => {
    const { db } = tdb().handle;
    await db.location.update({ where: { id: ids.east }, data: { stockSource: "hub" } });
    await db.inventoryLevel.updateMany({ where: { variantId: ids.tee, locationId: ids.east }, data: { pushedOnHand: 4 } });
    await reserveOrder(deps(), order("A-9", 3)); // tightest single fit: East (available 4)
    await commitOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-9", actor: "test" });
    await reserveOrder(deps(), order("A-10", 5)); // West (available 6), mirrors Shopify
    await commitOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-10", actor: "test" });
    const level = async (locationId: string) => {
      const l = await db.inventoryLevel.findFirstOrThrow({ where: { variantId: ids.tee, locationId } });
      return { onHand: l.onHand, available: l.available, committed: l.committed, pushedOnHand: l.pushedOnHand };
    };
    const westBefore = await level(ids.west);

    expect(await consumeOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-9", lineKeys: ["1"], shippedFrom: ids.east })).toEqual({ consumed: 1 });
    // The hub does not assume what Shopify holds now: the record is cleared and a push of the item queued.
    expect(await level(ids.east)).toEqual({ onHand: 1, available: 1, committed: 0, pushedOnHand: null });
    const entries = await db.inventoryLedgerEntry.findMany({ where: { shop: SHOP, locationId: ids.east, source: "reservation", reason: { contains: "shipped" } }, orderBy: { quantityName: "asc" } });
    expect(entries.map((e) => [e.quantityName, e.delta, e.resulting])).toEqual([["committed", -3, 0], ["on_hand", -3, 1]]);
    const pushes = await db.outboxMessage.findMany({ where: { shop: SHOP, topic: "shopify.pushInventory" } });
    expect(pushes.map((p) => JSON.parse(p.payload))).toEqual([{ shop: SHOP, locationId: ids.east, scope: "changed" }]);
    // A redelivered fulfillment consumes nothing more.
    expect(await consumeOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-9", lineKeys: ["1"] })).toEqual({ consumed: 0 });
    expect((await level(ids.east)).onHand).toBe(1);

    // At a location Shopify owns, its level webhook brings the change: the hub writes nothing here.
    expect(await consumeOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-10" })).toEqual({ consumed: 1 });
    expect(await level(ids.west)).toEqual(westBefore);
  });

  it("shipped from another location than the one it was allocated to: each hub-owned location gets what Shopify did there", async () => {
    const { db } = tdb().handle;
    for (const id of [ids.east, ids.west]) await db.location.update({ where: { id }, data: { stockSource: "hub" } });
    await reserveOrder(deps(), order("A-11", 3)); // East (available 4)
    await commitOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-11", actor: "test" });
    const level = async (locationId: string) => {
      const l = await db.inventoryLevel.findFirstOrThrow({ where: { variantId: ids.tee, locationId } });
      return { onHand: l.onHand, available: l.available, committed: l.committed };
    };
    expect(await level(ids.east)).toEqual({ onHand: 4, available: 1, committed: 3 });
    expect(await level(ids.west)).toEqual({ onHand: 6, available: 6, committed: 0 });
    // The fulfillment order was moved to West in Shopify and shipped from there.
    expect(await consumeOrder(deps(), { shop: SHOP, channelId: ids.amazon, externalOrderId: "A-11", shippedFrom: ids.west })).toEqual({ consumed: 1 });
    // East: the commitment moved away (its units are available again); West: the units left.
    expect(await level(ids.east)).toEqual({ onHand: 4, available: 4, committed: 0 });
    expect(await level(ids.west)).toEqual({ onHand: 3, available: 3, committed: 0 });
    const pushed = (await db.outboxMessage.findMany({ where: { shop: SHOP, topic: "shopify.pushInventory" } })).map((p) => (JSON.parse(p.payload) as { locationId: string }).locationId);
    expect(pushed.sort()).toEqual([ids.east, ids.west].sort());
  });

  it("orders Shopify already took (online store, POS) are mirrored at once and never refused", async () => {
    const { db } = tdb().handle;
    const r = await reserveOrder(deps(), order("#1001", 2, ids.online));
    expect(r.lines[0]).toMatchObject({ status: "committed" });
    expect(await total(db, ids.tee, "available")).toBe(60 - 2); // 6 + 4 + 50 (FBA) - 2
    expect(await total(db, ids.tee, "committed")).toBe(2);
    expect(await total(db, ids.tee, "held")).toBe(0);
  });

  it("ignores an out-of-order level update and writes one ledger entry per changed quantity", async () => {
    const { db } = tdb().handle;
    const base = { shop: SHOP, variantId: ids.tee, locationId: ids.east, source: "shopify_webhook" as const, reason: "inventory_levels/update", actor: "shopify" };
    expect(await applyLevelUpdate(deps(), { ...base, quantities: { available: 9, on_hand: 9 }, sourceUpdatedAt: new Date("2026-11-27T10:00:05Z") })).toEqual({ applied: true, changed: ["available", "on_hand"] });
    expect(await applyLevelUpdate(deps(), { ...base, quantities: { available: 1 }, sourceUpdatedAt: new Date("2026-11-27T10:00:01Z") })).toEqual({ applied: false, reason: "older than the last applied update" });
    const east = await db.inventoryLevel.findFirstOrThrow({ where: { variantId: ids.tee, locationId: ids.east } });
    expect(east.available).toBe(9);
    const entries = await db.inventoryLedgerEntry.findMany({ where: { shop: SHOP, locationId: ids.east }, orderBy: { quantityName: "asc" } });
    expect(entries.map((e) => [e.quantityName, e.delta, e.resulting])).toEqual([["available", 5, 9], ["on_hand", 5, 9]]);
    await expect(applyLevelUpdate(deps(), { ...base, quantities: { avialable: 3 } as never, sourceUpdatedAt: T0 })).rejects.toMatchObject({ kind: "INVALID" });
  });

  it("a mirrored batch leaves a location the hub owns alone, read at write time (switched between two batches of one import)", async () => {
    const { db } = tdb().handle;
    const mirror = (available: number, at: string): LevelUpdate[] =>
      [ids.west, ids.east].map((locationId) => ({ shop: SHOP, variantId: ids.tee, locationId, quantities: { available, on_hand: available }, sourceUpdatedAt: new Date(at), source: "sync" as const, reason: "resync", actor: "shopify" }));
    expect(await applyLevelUpdates(deps(), mirror(16, "2026-11-27T10:00:05Z"), { mirror: true })).toEqual([
      { applied: true, changed: ["available", "on_hand"] },
      { applied: true, changed: ["available", "on_hand"] },
    ]);
    // The merchant makes East hub-owned mid-run; the run's next batch must not overwrite its count.
    await db.location.update({ where: { id: ids.east }, data: { stockSource: "hub" } });
    expect(await applyLevelUpdates(deps(), mirror(12, "2026-11-27T10:00:06Z"), { mirror: true })).toEqual([
      { applied: true, changed: ["available", "on_hand"] },
      { applied: false, reason: HUB_OWNED_REASON, hubOwned: true },
    ]);
    const levels = await db.inventoryLevel.findMany({ where: { variantId: ids.tee }, select: { locationId: true, available: true } });
    expect(levels.find((l) => l.locationId === ids.west)?.available).toBe(12);
    expect(levels.find((l) => l.locationId === ids.east)?.available).toBe(16);
    // Without `mirror` (the hub's own counts), the same location is written.
    expect(await applyLevelUpdates(deps(), mirror(13, "2026-11-27T10:00:07Z").slice(1))).toEqual([{ applied: true, changed: ["available", "on_hand"] }]);
  });

  it("a kit reserves its components at one location", async () => {
    const { db } = tdb().handle;
    const peg = await makeSku(db, SHOP, "PEG");
    const kit = await makeSku(db, SHOP, "KIT", { isKit: true });
    await db.kitComponent.createMany({ data: [{ id: "k1", shop: SHOP, kitVariantId: kit.id, componentVariantId: ids.tee, quantity: 1 }, { id: "k2", shop: SHOP, kitVariantId: kit.id, componentVariantId: peg.id, quantity: 4 }] });
    await setStock(db, SHOP, peg.id, ids.east, 8); // East: 4 tees, 8 pegs → 2 kits; West has no pegs
    const r = await reserveOrder(deps(), order("K-1", 2, ids.amazon, "KIT"));
    expect(r.lines[0]!.allocations.map((a) => [a.locationId === ids.east, a.variantId === peg.id ? "peg" : "tee", a.quantity]).sort()).toEqual([
      [true, "peg", 8],
      [true, "tee", 2],
    ]);
    expect((await reserveOrder(deps(), order("K-2", 1, ids.amazon, "KIT"))).status).toBe("refused");
  });

  it("coalesces a burst of 1 000 changes into one publish per channel, and never sends the same value twice", async () => {
    const { db } = tdb().handle;
    for (let i = 1; i <= 1_000; i++) {
      await applyLevelUpdate(deps(), { shop: SHOP, variantId: ids.tee, locationId: ids.west, quantities: { available: i }, sourceUpdatedAt: new Date(T0.getTime() + i), source: "shopify_webhook", reason: "burst", actor: "shopify" });
    }
    expect(await db.outboxMessage.count({ where: { shop: SHOP } })).toBe(2_000); // 1 000 changes × 2 channels
    const runner = createInProcessRunner({ db, logger: memoryLogger(), now: () => new Date(T0.getTime() + 5_000) });
    const sent: unknown[] = [];
    const publisher: AtsPublisher = { publish: async (a) => void sent.push(a) };
    runner.register<{ channelId: string; variantId: string }>(PUBLISH_ATS_JOB, (job) =>
      publishAts({ db, logger: memoryLogger(), now: () => T0, publisherFor: (kind) => (kind === "amazon" ? publisher : undefined) }, job.data),
    );
    // Nothing is due before the window closes…
    expect(await createOutboxRelay({ db, queue: runner, logger: memoryLogger(), now: () => T0 }).runOnce()).toBe(0);
    // …then one job per channel.
    await createOutboxRelay({ db, queue: runner, logger: memoryLogger(), now: () => new Date(T0.getTime() + 5_000) }).runOnce();
    expect(await db.job.count({ where: { name: PUBLISH_ATS_JOB } })).toBe(2);
    await runner.drain();
    expect(sent).toEqual([{ shop: SHOP, channelId: ids.amazon, sku: "TEE", quantity: 1_004, action: "set" }]); // 1 000 West + 4 East
    const pubs = await db.atsPublication.findMany({ where: { shop: SHOP }, orderBy: { channelId: "asc" } });
    expect(pubs.map((p) => [p.channelId === ids.amazon ? "amazon" : "online", p.lastAts, p.status]).sort()).toEqual([
      ["amazon", 1_004, "published"],
      ["online", 1_004, "computed; no online_store connector yet"],
    ]);
    // Same value again: nothing is sent.
    await publishAts({ db, logger: memoryLogger(), now: () => T0, publisherFor: () => publisher }, { channelId: ids.amazon, variantId: ids.tee });
    expect(sent).toHaveLength(1);
  });

  it("a channel policy change republishes the whole channel in one job, and only the values that changed", async () => {
    const { db } = tdb().handle;
    const sent: { sku: string; quantity: number | null }[] = [];
    const publisher: AtsPublisher = { publish: async (a) => void sent.push({ sku: a.sku, quantity: a.quantity }) };
    const pdeps = { db, logger: memoryLogger(), now: () => T0, publisherFor: () => publisher };
    await makeSku(db, SHOP, "EMPTY"); // no stock anywhere
    expect(await publishChannelAts(pdeps, { channelId: ids.amazon })).toEqual({ channel: "amazon-us", skus: 2, sent: 2 });
    expect(sent.sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([{ sku: "EMPTY", quantity: 0 }, { sku: "TEE", quantity: 10 }]);
    await updateChannelPolicy({ db, now: () => T0 }, SHOP, ids.amazon, {
      eligibleLocationIds: [ids.west, ids.east],
      bufferUnits: 3,
      bufferPercent: 0,
      maxExposure: null,
      zeroPolicy: "zero",
      backorderQuantity: 0,
      holdTtlMinutes: 30,
      active: true,
    });
    const rows = await db.outboxMessage.findMany({ where: { shop: SHOP, topic: PUBLISH_CHANNEL_JOB } });
    expect(rows).toHaveLength(1);
    sent.length = 0;
    expect(await publishChannelAts(pdeps, { channelId: ids.amazon })).toEqual({ channel: "amazon-us", skus: 2, sent: 1 });
    expect(sent).toEqual([{ sku: "TEE", quantity: 7 }]); // EMPTY stays 0: not sent again
    await expect(updateChannelPolicy({ db, now: () => T0 }, SHOP, ids.amazon, { eligibleLocationIds: [], bufferUnits: 0, bufferPercent: 150, maxExposure: null, zeroPolicy: "zero", backorderQuantity: 0, holdTtlMinutes: null, active: true })).rejects.toMatchObject({
      kind: "INVALID",
      details: { field: "bufferPercent" },
    });
  });
});
