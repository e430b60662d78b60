import { beforeEach, expect, it } from "vitest";
import { createInboundEventProcessor, recordInboundEvent, recordQuarantinedEvent } from "#app/platform/inbound-events.server";
import { createOutboxRelay, writeOutbox } from "#app/platform/outbox.server";
import { createInProcessRunner } from "#app/platform/queue/in-process-runner.server";
import type { JobQueue } from "#app/platform/queue/types";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { memoryLogger } from "#test/support/runtime";

describeEachDatabase("outbox and inbound events", (tdb) => {
  beforeEach(async () => truncateAll(tdb().handle));

  it("writes an outbox row only when the caller's transaction commits", async () => {
    const { db } = tdb().handle;
    await expect(
      db.$transaction(async (tx) => {
        await writeOutbox(tx, { shop: "a.myshopify.com", topic: "publish.ats", payload: { sku: "TEE" } });
        throw new Error("state change failed");
      }),
    ).rejects.toThrow("state change failed");
    expect(await db.outboxMessage.count()).toBe(0);
    await db.$transaction(async (tx) => {
      await writeOutbox(tx, { shop: "a.myshopify.com", topic: "publish.ats", payload: { sku: "TEE" } });
    });
    expect(await db.outboxMessage.count()).toBe(1);
  });

  it("relays each message to exactly one job, even if it crashed after adding the job", async () => {
    const { db } = tdb().handle;
    const runner = createInProcessRunner({ db, logger: memoryLogger() });
    const id = await writeOutbox(db, { shop: "a.myshopify.com", topic: "publish.ats", payload: { sku: "TEE", ats: 4 }, jobKey: "a|amazon|listings" });
    // A relay whose process dies between queue.add and marking the row dispatched.
    const crashing: JobQueue = {
      add: async (name, data, opts) => {
        await runner.add(name, data, opts);
        throw new Error("process killed");
      },
    };
    const logger = memoryLogger();
    const first = createOutboxRelay({ db, queue: crashing, logger });
    expect(await first.runOnce()).toBe(0); // the failure is logged, the row stays undispatched
    expect(logger.lines.some((l) => l.record.msg === "outbox relay failed; will retry")).toBe(true);
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).dispatchedAt).toBeNull();

    const second = createOutboxRelay({ db, queue: runner, logger: memoryLogger() });
    expect(await second.runOnce()).toBe(1);
    const jobs = await db.job.findMany();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: "publish.ats", dedupeKey: `outbox:${id}`, concurrencyKey: "a|amazon|listings", shop: "a.myshopify.com" });
    expect(JSON.parse(jobs[0]!.payload)).toEqual({ sku: "TEE", ats: 4 });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id } })).dispatchedAt).not.toBeNull();
    expect(await second.runOnce()).toBe(0);
  });

  it("does not relay a message before its availableAt", async () => {
    const { db } = tdb().handle;
    const runner = createInProcessRunner({ db, logger: memoryLogger() });
    const now = new Date("2026-11-27T10:00:00Z");
    await writeOutbox(db, { topic: "publish.ats", payload: {}, availableAt: new Date(now.getTime() + 5_000) });
    const relay = createOutboxRelay({ db, queue: runner, logger: memoryLogger(), now: () => now });
    expect(await relay.runOnce()).toBe(0);
    const later = createOutboxRelay({ db, queue: runner, logger: memoryLogger(), now: () => new Date(now.getTime() + 5_000) });
    expect(await later.runOnce()).toBe(1);
  });

  it("stores an event once per (shop, source, external id); the same id from another shop is another event", async () => {
    const { db } = tdb().handle;
    const ev = (shop: string) => ({ shop, source: "shopify.webhook", externalId: "wh-1", topic: "ORDERS_CREATE", payload: "{}" });
    const results = await Promise.all([ev("a.myshopify.com"), ev("a.myshopify.com"), ev("a.myshopify.com")].map((e) => recordInboundEvent(db, e)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const other = await recordInboundEvent(db, ev("b.myshopify.com"));
    expect(other.duplicate).toBe(false);
    expect(await db.inboundEvent.count()).toBe(2);
    expect(await db.outboxMessage.count()).toBe(2);
  });

  it("keeps a quarantined event once, with its reason and no job; the same failure seen again is the stored row", async () => {
    const { db } = tdb().handle;
    const now = new Date("2026-11-27T10:00:00Z");
    const ev = { shop: "a.myshopify.com", source: "amazon.order", externalId: "111-1@2026-11-27T09:00:00Z", topic: "amazon/order", payload: "{}", now, error: "no listing for seller SKU X" };
    const first = await recordQuarantinedEvent(db, ev);
    expect(first.duplicate).toBe(false);
    const again = await recordQuarantinedEvent(db, { ...ev, error: "seen again" });
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(await db.inboundEvent.findMany()).toEqual([expect.objectContaining({ id: first.id, status: "quarantined", error: "no listing for seller SKU X", processedAt: now })]);
    expect(await db.outboxMessage.count()).toBe(0);
    await expect(recordQuarantinedEvent(db, { ...ev, externalId: "" })).rejects.toThrow("inbound event needs an external id to be idempotent");
  });

  it("processes an event once, quarantines one nobody handles, and records a handler failure for retry", async () => {
    const { db } = tdb().handle;
    const calls: string[] = [];
    let fail = true;
    const process = createInboundEventProcessor(db, {
      "shopify.webhook:ORDERS_CREATE": async (e) => {
        calls.push(e.externalId);
      },
      "shopify.webhook:ORDERS_UPDATED": async () => {
        if (fail) throw new Error("upstream 503");
      },
    });
    const a = await recordInboundEvent(db, { shop: "a.myshopify.com", source: "shopify.webhook", externalId: "1", topic: "ORDERS_CREATE", payload: "{}" });
    expect(await process({ eventId: a.id })).toEqual({ processed: true });
    expect(await process({ eventId: a.id })).toEqual({ skipped: "already processed" });
    expect(calls).toEqual(["1"]);

    const b = await recordInboundEvent(db, { shop: "a.myshopify.com", source: "shopify.webhook", externalId: "2", topic: "PRODUCTS_DELETE", payload: "{}" });
    expect(await process({ eventId: b.id })).toEqual({ quarantined: true });
    expect(await db.inboundEvent.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "quarantined", error: "no handler for shopify.webhook:PRODUCTS_DELETE" });

    const c = await recordInboundEvent(db, { shop: "a.myshopify.com", source: "shopify.webhook", externalId: "3", topic: "ORDERS_UPDATED", payload: "{}" });
    await expect(process({ eventId: c.id })).rejects.toThrow("upstream 503");
    expect(await db.inboundEvent.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "failed", error: "upstream 503", attempts: 1 });
    fail = false;
    expect(await process({ eventId: c.id })).toEqual({ processed: true });
    expect(await db.inboundEvent.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "processed", error: null, attempts: 2 });
  });
});
