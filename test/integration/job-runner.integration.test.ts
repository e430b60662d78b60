import { setTimeout as sleep } from "node:timers/promises";
import { beforeEach, expect, it } from "vitest";
import { DomainError } from "#app/platform/errors";
import { createInProcessRunner } from "#app/platform/queue/in-process-runner.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { memoryLogger } from "#test/support/runtime";

function clock(start = "2026-11-27T10:00:00Z") {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describeEachDatabase("job runner", (tdb) => {
  beforeEach(async () => truncateAll(tdb().handle));

  it("persists a job and runs it to completion, keeping its result", async () => {
    const { db } = tdb().handle;
    const runner = createInProcessRunner({ db, logger: memoryLogger(), random: () => 0 });
    const seen: unknown[] = [];
    runner.register<{ n: number }>("double", async (job) => {
      seen.push(job.data);
      await job.progress(1, 1, "done");
      return { doubled: job.data.n * 2 };
    });
    const { id } = await runner.add("double", { n: 21 }, { shop: "a.myshopify.com" });
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued", attempts: 0, shop: "a.myshopify.com" });
    await runner.drain();
    const row = await db.job.findUniqueOrThrow({ where: { id } });
    expect(seen).toEqual([{ n: 21 }]);
    expect(row).toMatchObject({ status: "completed", attempts: 1, activeKey: null, lockedBy: null, lastError: null });
    expect(JSON.parse(row.result!)).toEqual({ doubled: 42 });
    expect(JSON.parse(row.progress!)).toEqual({ done: 1, total: 1, message: "done" });
  });

  it("retries a failing job with backoff and records each error", async () => {
    const { db } = tdb().handle;
    const c = clock();
    const runner = createInProcessRunner({ db, logger: memoryLogger(), now: c.now, random: () => 1 });
    let calls = 0;
    runner.register("flaky", async () => {
      calls++;
      if (calls < 3) throw new Error(`boom ${calls}`);
      return "ok";
    });
    const { id } = await runner.add("flaky", {});
    await runner.drain();
    let row = await db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "queued", attempts: 1, lastError: "Error: boom 1" });
    // backoff for attempt 1 with random=1 is the full 1 000 ms ceiling
    expect(row.runAt.getTime() - c.now().getTime()).toBe(1_000);
    await runner.drain();
    expect(calls).toBe(1); // not due yet: nothing ran
    c.advance(1_000);
    await runner.drain();
    row = await db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "queued", attempts: 2, lastError: "Error: boom 2" });
    expect(row.runAt.getTime() - c.now().getTime()).toBe(2_000);
    c.advance(2_000);
    await runner.drain();
    row = await db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "completed", attempts: 3, lastError: null });
    expect(calls).toBe(3);
  });

  it("fails at once on a permanent error and after the last attempt otherwise", async () => {
    const { db } = tdb().handle;
    const c = clock();
    const logger = memoryLogger();
    const runner = createInProcessRunner({ db, logger, now: c.now, random: () => 0 });
    runner.register("bad-input", async () => {
      throw DomainError.invalid("sku", "is required");
    });
    runner.register("always-down", async () => {
      throw new Error("503 from upstream");
    });
    const bad = await runner.add("bad-input", {});
    const down = await runner.add("always-down", {}, { attempts: 2 });
    await runner.drain();
    c.advance(60_000);
    await runner.drain();
    expect(await db.job.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: "failed", attempts: 1, lastError: "DomainError: sku: is required" });
    expect(await db.job.findUniqueOrThrow({ where: { id: down.id } })).toMatchObject({ status: "failed", attempts: 2, lastError: "Error: 503 from upstream" });
    expect(logger.lines.filter((l) => l.record.msg === "job failed").map((l) => l.record.job).sort()).toEqual(["always-down", "bad-input"]);
  });

  it("adds a job once per dedupeKey, even when producers race", async () => {
    const t = tdb();
    const other = t.provider === "postgresql" ? t.connect() : t.handle;
    const a = createInProcessRunner({ db: t.handle.db, logger: memoryLogger() });
    const b = createInProcessRunner({ db: other.db, logger: memoryLogger() });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).add("x", { i }, { dedupeKey: "order:42" })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
    expect(await t.handle.db.job.count({ where: { dedupeKey: "order:42" } })).toBe(1);
  });

  it("re-queues and finishes a job whose worker died mid-run (lease expired)", async () => {
    const { db } = tdb().handle;
    const c = clock();
    const runner = createInProcessRunner({ db, logger: memoryLogger(), now: c.now, leaseMs: 30_000 });
    let ran = 0;
    runner.register("import", async () => {
      ran++;
    });
    const { id } = await runner.add("import", {}, { concurrencyKey: "shop|shopify|inventory" });
    // Simulate a worker that claimed the job and crashed: running, key held, lease in the past.
    await db.job.update({
      where: { id },
      data: { status: "running", activeKey: "shop|shopify|inventory", lockedBy: "dead-worker", lockedUntil: new Date(c.now().getTime() - 1), attempts: 1 },
    });
    await runner.drain();
    const row = await db.job.findUniqueOrThrow({ where: { id } });
    expect(ran).toBe(1);
    expect(row).toMatchObject({ status: "completed", attempts: 2, activeKey: null });
  });

  it("never runs two jobs with the same concurrency key at once, across several runners", async () => {
    const t = tdb();
    // Postgres: each runner on its own connection pool.  SQLite: one connection per process is the
    // embedded design (better-sqlite3 is synchronous: a second connection in the same process
    // would block the event loop on the first one's lock), so the runners share it and the claims
    // still interleave at every await.
    const conns = t.provider === "postgresql" ? [t.handle, t.connect(), t.connect()] : [t.handle, t.handle, t.handle];
    const active = new Map<string, number>();
    const maxPerKey = new Map<string, number>();
    let maxOverall = 0;
    let overall = 0;
    const runners = conns.map((h) => {
      const r = createInProcessRunner({ db: h.db, logger: memoryLogger(), concurrency: 4, pollMs: 10 });
      r.register<{ key: string }>("sync", async (job) => {
        const n = (active.get(job.data.key) ?? 0) + 1;
        active.set(job.data.key, n);
        overall++;
        maxOverall = Math.max(maxOverall, overall);
        maxPerKey.set(job.data.key, Math.max(maxPerKey.get(job.data.key) ?? 0, n));
        await sleep(15);
        active.set(job.data.key, n - 1);
        overall--;
      });
      return r;
    });
    const keys = ["s1|amazon|listings", "s1|shopify|inventory", "s2|amazon|listings"];
    for (let i = 0; i < 24; i++) {
      const key = keys[i % keys.length]!;
      await runners[i % runners.length]!.add("sync", { key }, { concurrencyKey: key });
    }
    runners.forEach((r) => r.start());
    try {
      const deadline = Date.now() + 30_000;
      while ((await t.handle.db.job.count({ where: { status: "completed" } })) < 24) {
        if (Date.now() > deadline) throw new Error("jobs did not complete in time");
        await sleep(20);
      }
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
    expect(Object.fromEntries(maxPerKey)).toEqual({ "s1|amazon|listings": 1, "s1|shopify|inventory": 1, "s2|amazon|listings": 1 });
    expect(maxOverall).toBeGreaterThan(1); // different keys did run in parallel
    expect(await t.handle.db.job.count({ where: { activeKey: { not: null } } })).toBe(0);
  });

  it("leaves jobs it has no handler for to a runner that has one", async () => {
    const { db } = tdb().handle;
    const runner = createInProcessRunner({ db, logger: memoryLogger() });
    runner.register("known", async () => undefined);
    const { id } = await runner.add("unknown-here", {});
    await runner.drain();
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued", attempts: 0 });
  });
});
