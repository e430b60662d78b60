import { randomUUID } from "node:crypto";
import os from "node:os";
import PQueue from "p-queue";
import { isPermanent } from "../errors";
import { isUniqueViolation, type Db } from "../db/client.server";
import type { Logger } from "../logger.server";
import { backoffMs, type AddJobOptions, type EnqueuedJob, type JobHandler, type JobRunner } from "./types";

/**
 * In-process job runner for the embedded runtime: jobs live in the Job table (a crash loses
 * nothing), p-queue bounds how many run at once, and a lease (lockedUntil, renewed by a heartbeat)
 * lets any runner re-queue the jobs of a runner that died.  Per-key exclusivity is enforced by the
 * database, not by memory: a running job copies its concurrencyKey into `activeKey`, which has a
 * unique index, so a second claim for the same key fails on SQLite and Postgres alike, in any
 * number of processes.
 */
export interface InProcessRunnerOptions {
  db: Db;
  logger: Logger;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  now?: () => Date;
  random?: () => number;
  workerId?: string;
}

const DEFAULT_ATTEMPTS = 5;

export function createInProcessRunner(opts: InProcessRunnerOptions): JobRunner {
  const { db } = opts;
  const logger = opts.logger.child({ component: "jobs" });
  const concurrency = opts.concurrency ?? 4;
  const pollMs = opts.pollMs ?? 500;
  const leaseMs = opts.leaseMs ?? 60_000;
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const handlers = new Map<string, JobHandler<unknown>>();
  const repeats: { name: string; data: unknown; everyMs: number; timer?: NodeJS.Timeout }[] = [];
  const pool = new PQueue({ concurrency });
  const controllers = new Map<string, AbortController>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let ticking: Promise<void> | undefined;
  let tickAgain = false;

  async function add(name: string, data: unknown, o: AddJobOptions = {}): Promise<EnqueuedJob> {
    if (o.dedupeKey) {
      const existing = await db.job.findUnique({ where: { dedupeKey: o.dedupeKey }, select: { id: true } });
      if (existing) return { id: existing.id, deduplicated: true };
    }
    const id = randomUUID();
    try {
      await db.job.create({
        data: {
          id,
          name,
          shop: o.shop ?? null,
          payload: JSON.stringify(data ?? null),
          dedupeKey: o.dedupeKey ?? null,
          concurrencyKey: o.concurrencyKey ?? null,
          maxAttempts: o.attempts ?? DEFAULT_ATTEMPTS,
          runAt: new Date(now().getTime() + (o.delayMs ?? 0)),
        },
      });
    } catch (e) {
      // Two producers raced on the same dedupeKey: the other one won, which is the point.
      if (o.dedupeKey && isUniqueViolation(e)) {
        const existing = await db.job.findUniqueOrThrow({ where: { dedupeKey: o.dedupeKey }, select: { id: true } });
        return { id: existing.id, deduplicated: true };
      }
      throw e;
    }
    if (running) kick();
    return { id, deduplicated: false };
  }

  /** Jobs whose lease ran out belong to a runner that died: make them runnable again. */
  async function reapExpiredLeases() {
    const expired = await db.job.findMany({
      where: { status: "running", lockedUntil: { lt: now() } },
      select: { id: true, lockedBy: true, lockedUntil: true },
    });
    for (const j of expired) {
      const n = await db.job.updateMany({
        where: { id: j.id, status: "running", lockedBy: j.lockedBy, lockedUntil: j.lockedUntil },
        data: { status: "queued", activeKey: null, lockedBy: null, lockedUntil: null, lastError: `lease expired (worker ${j.lockedBy} stopped?)` },
      });
      if (n.count) logger.warn("re-queued job after expired lease", { jobId: j.id, worker: j.lockedBy });
    }
  }

  async function claimAndStart(): Promise<number> {
    const free = concurrency - pool.pending - pool.size;
    if (free <= 0) return 0;
    const busyKeys = (
      await db.job.findMany({ where: { status: "running", activeKey: { not: null } }, select: { activeKey: true } })
    ).map((j) => j.activeKey as string);
    const candidates = await db.job.findMany({
      where: {
        status: "queued",
        runAt: { lte: now() },
        name: { in: [...handlers.keys()] },
        OR: [{ concurrencyKey: null }, { concurrencyKey: { notIn: busyKeys } }],
      },
      orderBy: [{ runAt: "asc" }, { createdAt: "asc" }],
      take: free * 2,
    });
    let started = 0;
    const keysThisRound = new Set<string>();
    for (const job of candidates) {
      if (started >= free) break;
      if (job.concurrencyKey && keysThisRound.has(job.concurrencyKey)) continue;
      let claimed = 0;
      try {
        const r = await db.job.updateMany({
          where: { id: job.id, status: "queued" },
          data: {
            status: "running",
            activeKey: job.concurrencyKey,
            lockedBy: workerId,
            lockedUntil: new Date(now().getTime() + leaseMs),
            attempts: { increment: 1 },
          },
        });
        claimed = r.count;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e; // another runner holds this key right now
      }
      if (!claimed) continue;
      if (job.concurrencyKey) keysThisRound.add(job.concurrencyKey);
      started++;
      void pool.add(() => execute(job.id));
    }
    return started;
  }

  async function execute(id: string) {
    const job = await db.job.findUnique({ where: { id } });
    if (!job || job.lockedBy !== workerId) return;
    const handler = handlers.get(job.name);
    const controller = new AbortController();
    controllers.set(id, controller);
    const log = logger.child({ jobId: id, job: job.name, shop: job.shop, attempt: job.attempts });
    const heartbeat = setInterval(() => {
      void db.job
        .updateMany({ where: { id, lockedBy: workerId, status: "running" }, data: { lockedUntil: new Date(now().getTime() + leaseMs) } })
        .then((r) => {
          if (r.count === 0) controller.abort(new Error("lease lost"));
        })
        .catch((e) => log.warn("heartbeat failed", { err: e }));
    }, Math.max(1_000, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    const started = Date.now();
    try {
      if (!handler) throw Object.assign(new Error(`no handler registered for job "${job.name}"`), { permanent: true });
      const result = await handler({
        id,
        name: job.name,
        shop: job.shop,
        data: JSON.parse(job.payload) as unknown,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        signal: controller.signal,
        progress: async (done, total, message) => {
          await db.job.updateMany({ where: { id, lockedBy: workerId }, data: { progress: JSON.stringify({ done, total, message }) } });
        },
      });
      // The row may be gone (a shop purge deletes the shop's jobs, including the one running it).
      await db.job.updateMany({
        where: { id, lockedBy: workerId },
        data: {
          status: "completed",
          activeKey: null,
          lockedBy: null,
          lockedUntil: null,
          lastError: null,
          finishedAt: now(),
          result: result === undefined ? null : JSON.stringify(result),
        },
      });
      log.info("job completed", { ms: Date.now() - started });
    } catch (e) {
      const err = e as Error & { permanent?: boolean };
      const permanent = err.permanent === true || isPermanent(e) || job.attempts >= job.maxAttempts;
      const message = `${err.name}: ${err.message}`.slice(0, 2_000);
      if (permanent) {
        await db.job.updateMany({
          where: { id, lockedBy: workerId },
          data: { status: "failed", activeKey: null, lockedBy: null, lockedUntil: null, lastError: message, finishedAt: now() },
        });
        log.error("job failed", { err, attempts: job.attempts });
      } else {
        const delay = backoffMs(job.attempts, random());
        await db.job.updateMany({
          where: { id, lockedBy: workerId },
          data: { status: "queued", activeKey: null, lockedBy: null, lockedUntil: null, lastError: message, runAt: new Date(now().getTime() + delay) },
        });
        log.warn("job will retry", { err: err.message, retryInMs: delay, attempts: job.attempts, maxAttempts: job.maxAttempts });
      }
    } finally {
      clearInterval(heartbeat);
      controllers.delete(id);
      if (running) kick();
    }
  }

  async function tick() {
    await reapExpiredLeases();
    while ((await claimAndStart()) > 0) {
      /* keep filling free slots */
    }
  }

  /** Coalesce wake-ups: at most one tick in flight, and one more queued behind it. */
  function kick() {
    if (ticking) {
      tickAgain = true;
      return;
    }
    ticking = tick()
      .catch((e) => logger.error("job runner tick failed", { err: e }))
      .finally(() => {
        ticking = undefined;
        if (tickAgain && running) {
          tickAgain = false;
          kick();
        }
      });
  }

  return {
    add,
    register(name, handler) {
      handlers.set(name, handler as JobHandler<unknown>);
    },
    repeat(name, data, everyMs) {
      repeats.push({ name, data, everyMs });
    },
    start() {
      if (running) return;
      running = true;
      for (const r of repeats) {
        // One job per period whichever runner adds it first: the period index is the dedupeKey.
        const enqueue = () =>
          void add(r.name, r.data, { dedupeKey: `repeat:${r.name}:${Math.floor(now().getTime() / r.everyMs)}`, attempts: 1 }).catch((e: unknown) =>
            logger.error("could not enqueue repeating job", { job: r.name, err: e }),
          );
        enqueue();
        r.timer = setInterval(enqueue, r.everyMs);
        r.timer.unref();
      }
      kick();
      timer = setInterval(kick, pollMs);
      timer.unref();
      logger.info("job runner started", { workerId, concurrency });
    },
    async stop(graceMs = 10_000) {
      running = false;
      if (timer) clearInterval(timer);
      for (const r of repeats) if (r.timer) clearInterval(r.timer);
      await ticking;
      const idle = pool.onIdle();
      const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), graceMs).unref());
      if ((await Promise.race([idle, timeout])) === "timeout") {
        logger.warn("stopping with jobs still running; their leases will expire and another runner will retry them", {
          running: controllers.size,
        });
        for (const c of controllers.values()) c.abort(new Error("runner stopping"));
      }
    },
    async drain({ timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await tick();
        await pool.onIdle();
        const due = await db.job.count({
          where: { status: { in: ["queued", "running"] }, runAt: { lte: now() }, name: { in: [...handlers.keys()] } },
        });
        if (due === 0) return;
        if (Date.now() > deadline) throw new Error(`drain timed out with ${due} job(s) still due`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
