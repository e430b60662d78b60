import { beforeEach, expect, it } from "vitest";
import { pruneOperationalRecords, RETENTION_DAYS } from "#app/modules/operations/index";
import { describeEachDatabase, truncateAll } from "#test/support/databases";

const NOW = new Date("2026-12-02T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

describeEachDatabase("pruning the platform's working records", (tdb) => {
  beforeEach(async () => truncateAll(tdb().handle));

  let n = 0;
  const job = (fields: { name?: string; shop?: string | null; status: string; finishedAt?: Date | null; updatedAt?: Date; concurrencyKey?: string | null }) =>
    tdb().handle.db.job.create({
      data: {
        id: `job-${++n}`,
        name: fields.name ?? "inventory.publishAts",
        shop: fields.shop === undefined ? "a.myshopify.com" : fields.shop,
        payload: "{}",
        status: fields.status,
        finishedAt: fields.finishedAt ?? null,
        concurrencyKey: fields.concurrencyKey ?? null,
        dedupeKey: `dk-${n}`,
        ...(fields.updatedAt ? { updatedAt: fields.updatedAt } : {}),
      },
    });
  const event = (status: string, receivedAt: Date, shop = "a.myshopify.com") =>
    tdb().handle.db.inboundEvent.create({ data: { id: `ev-${++n}`, shop, source: "shopify.webhook", externalId: `wh-${n}`, topic: "orders/create", payload: '{"email":"buyer@example.com"}', status, receivedAt } });

  it("deletes what the policy no longer keeps and nothing else", async () => {
    const { db } = tdb().handle;
    // Jobs: an old completed one (pruned), a recent one, the latest old one of another kind (kept),
    // failed ones either side of 90 days, and a running one however old.
    await job({ status: "completed", finishedAt: daysAgo(20), concurrencyKey: "shopify-import:a" , name: "shopify.import" });
    await job({ status: "completed", finishedAt: daysAgo(1), concurrencyKey: "shopify-import:a", name: "shopify.import" });
    await job({ status: "completed", finishedAt: daysAgo(40), name: "shopify.pushInventory", concurrencyKey: "shopify-inventory:loc-1" });
    await job({ status: "completed", finishedAt: daysAgo(50), name: "shopify.pushInventory", concurrencyKey: "shopify-inventory:loc-1" });
    await job({ status: "failed", updatedAt: daysAgo(91) });
    await job({ status: "failed", updatedAt: daysAgo(30) });
    await job({ status: "running", updatedAt: daysAgo(200) });
    // Outbox: dispatched 8 days ago (pruned), 6 days ago (kept), never dispatched (kept).
    await db.outboxMessage.createMany({
      data: [
        { id: "ob-1", topic: "t", payload: "{}", dispatchedAt: daysAgo(8), createdAt: daysAgo(8) },
        { id: "ob-2", topic: "t", payload: "{}", dispatchedAt: daysAgo(6), createdAt: daysAgo(6) },
        { id: "ob-3", topic: "t", payload: "{}", dispatchedAt: null, createdAt: daysAgo(30) },
      ],
    });
    // Events: processed 31 days ago (pruned) and 29 (kept); failed/quarantined 91 (pruned) and 60 (kept); received (kept).
    await event("processed", daysAgo(31));
    await event("processed", daysAgo(29));
    await event("failed", daysAgo(91));
    await event("quarantined", daysAgo(60));
    await event("received", daysAgo(100));

    // Per-order keys are not kinds of their own: only the latest of (name, shop) stays.
    await job({ status: "completed", finishedAt: daysAgo(30), name: "shopify.syncFulfillment", concurrencyKey: "shopify-order:o-1" });
    await job({ status: "completed", finishedAt: daysAgo(31), name: "shopify.syncFulfillment", concurrencyKey: "shopify-order:o-2" });

    const r = await pruneOperationalRecords({ db, now: () => NOW }, RETENTION_DAYS, { batch: 2, keepLatestPerKey: ["shopify.pushInventory"] });
    expect(r).toEqual({ completedJobs: 3, failedJobs: 1, dispatchedOutbox: 1, processedEvents: 1, failedEvents: 1 });

    const jobs = await db.job.findMany({ orderBy: [{ name: "asc" }, { status: "asc" }], select: { name: true, status: true, finishedAt: true } });
    expect(jobs.map((j) => [j.name, j.status, j.finishedAt?.toISOString() ?? null])).toEqual([
      ["inventory.publishAts", "failed", null],
      ["inventory.publishAts", "running", null],
      ["shopify.import", "completed", daysAgo(1).toISOString()],
      ["shopify.pushInventory", "completed", daysAgo(40).toISOString()], // the last push of its location, whatever its age
      ["shopify.syncFulfillment", "completed", daysAgo(30).toISOString()], // one per (name, shop), not per order
    ]);
    expect((await db.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((o) => o.id)).toEqual(["ob-2", "ob-3"]);
    expect((await db.inboundEvent.findMany({ orderBy: { receivedAt: "asc" } })).map((e) => e.status)).toEqual(["received", "quarantined", "processed"]);

    // A second run finds nothing more.
    expect(await pruneOperationalRecords({ db, now: () => NOW })).toEqual({ completedJobs: 0, failedJobs: 0, dispatchedOutbox: 0, processedEvents: 0, failedEvents: 0 });
  });

  it("pages through more old jobs than one batch, keeping one per kind and shop", async () => {
    const { db } = tdb().handle;
    for (const shop of ["a.myshopify.com", "b.myshopify.com"]) for (let i = 0; i < 7; i++) await job({ shop, status: "completed", finishedAt: daysAgo(30 + i) });
    const r = await pruneOperationalRecords({ db, now: () => NOW }, RETENTION_DAYS, { batch: 3 });
    expect(r.completedJobs).toBe(12);
    const left = await db.job.findMany({ select: { shop: true, finishedAt: true }, orderBy: { shop: "asc" } });
    expect(left.map((j) => [j.shop, j.finishedAt?.toISOString()])).toEqual([
      ["a.myshopify.com", daysAgo(30).toISOString()],
      ["b.myshopify.com", daysAgo(30).toISOString()],
    ]);
  });
});
