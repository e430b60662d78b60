import type { Db } from "#app/platform/db/client.server";

/**
 * What happened to the jobs of one kind that share a concurrency key (one per resource: a
 * location's inventory push is keyed by its location), for people: what is still waiting, the
 * last run that finished, and the runs that failed since.  Read-only, tenant-scoped.
 *
 * A job is queued by the outbox relay once its message is due, so "waiting" counts both: outbox
 * messages not handed over yet and jobs queued or running.  A queued job with a `lastError` is a
 * retry: an earlier attempt failed and the runner backs off before the next one.
 */
export interface KeyedJobRun {
  id: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  finishedAt: string | null;
  lastError: string | null;
  /** The handler's return value (JSON), null when none. */
  result: unknown;
}

export interface KeyedJobActivity {
  key: string;
  /** Outbox messages for this key that have not become a job yet (e.g. inside a coalescing window). */
  notDispatched: number;
  /** Jobs queued or running, oldest first. */
  pending: KeyedJobRun[];
  /** The last job that completed. */
  lastCompleted: KeyedJobRun | null;
  /** Jobs that failed for good after the last completed one, newest first (at most `failureLimit`). */
  failures: KeyedJobRun[];
}

function toRun(j: { id: string; status: string; attempts: number; maxAttempts: number; runAt: Date; finishedAt: Date | null; lastError: string | null; result: string | null }): KeyedJobRun {
  let result: unknown = null;
  if (j.result !== null) {
    try {
      result = JSON.parse(j.result) as unknown;
    } catch {
      result = j.result;
    }
  }
  return { id: j.id, status: j.status, attempts: j.attempts, maxAttempts: j.maxAttempts, runAt: j.runAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null, lastError: j.lastError, result };
}

const RUN_FIELDS = { id: true, status: true, attempts: true, maxAttempts: true, runAt: true, finishedAt: true, lastError: true, result: true, concurrencyKey: true } as const;

/** Activity of the jobs named `name` for each key in `keys` (same order), scoped to `shop`. */
export async function jobActivityByKey(db: Db, shop: string, name: string, keys: string[], opts: { failureLimit?: number } = {}): Promise<KeyedJobActivity[]> {
  if (keys.length === 0) return [];
  const failureLimit = opts.failureLimit ?? 5;
  const [waiting, pending] = await Promise.all([
    db.outboxMessage.groupBy({ by: ["jobKey"], where: { shop, topic: name, dispatchedAt: null, jobKey: { in: keys } }, _count: { _all: true } }),
    db.job.findMany({ where: { shop, name, status: { in: ["queued", "running"] }, concurrencyKey: { in: keys } }, orderBy: { runAt: "asc" }, select: RUN_FIELDS }),
  ]);
  const notDispatched = new Map(waiting.map((w) => [w.jobKey, w._count._all]));
  return Promise.all(
    keys.map(async (key) => {
      const last = await db.job.findFirst({ where: { shop, name, status: "completed", concurrencyKey: key }, orderBy: { finishedAt: "desc" }, select: RUN_FIELDS });
      const failures = await db.job.findMany({
        where: { shop, name, status: "failed", concurrencyKey: key, ...(last?.finishedAt ? { finishedAt: { gt: last.finishedAt } } : {}) },
        orderBy: { finishedAt: "desc" },
        take: failureLimit,
        select: RUN_FIELDS,
      });
      return {
        key,
        notDispatched: notDispatched.get(key) ?? 0,
        pending: pending.filter((j) => j.concurrencyKey === key).map(toRun),
        lastCompleted: last ? toRun(last) : null,
        failures: failures.map(toRun),
      };
    }),
  );
}
