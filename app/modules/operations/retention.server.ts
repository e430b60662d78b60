import type { Db } from "#app/platform/db/client.server";

/**
 * How long the platform's own working records are kept.  Jobs, outbox rows and raw inbound events
 * are the machinery, not the business record (orders, decisions, the inventory ledger and order
 * timelines are kept and never pruned here), and without a limit they grow with every webhook,
 * push and poll: about 30 000 rows a day for a shop taking a few thousand orders, each raw order
 * webhook carrying the buyer's name and address.
 *
 * - A processed inbound event is the duplicate guard for its delivery: kept well past the longest
 *   redelivery window (Shopify retries a webhook for up to 48 hours,
 *   https://shopify.dev/docs/apps/build/webhooks/troubleshooting-webhooks; an SQS message lives at
 *   most 14 days, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
 * - Failed and quarantined events and failed jobs wait for a person (retry from the CLI / admin),
 *   so they are kept longer.
 * - A completed job's dedupeKey guards re-adding it; every key the app uses is either per time
 *   window (minutes) or per one-off request, so two weeks is far past any of them.  The latest
 *   completed job of each (name, shop) is kept whatever its age, and of each concurrency key for
 *   the names the caller asks (a location's pushes): the Connections and Locations pages show
 *   "last sync" / "last push" from it.
 */
export const RETENTION_DAYS = {
  completedJobs: 14,
  failedJobs: 90,
  dispatchedOutbox: 7,
  processedEvents: 30,
  failedEvents: 90,
} as const;

export type RetentionPolicy = { [K in keyof typeof RETENTION_DAYS]: number };

export interface PruneResult {
  completedJobs: number;
  failedJobs: number;
  dispatchedOutbox: number;
  processedEvents: number;
  failedEvents: number;
}

/** Rows deleted per statement: keeps each write transaction short (SQLite has one writer). */
const BATCH = 1_000;
const DAY_MS = 86_400_000;

export const PRUNE_JOB = "operations.prune";

/**
 * Delete what the policy no longer keeps, in batches, oldest first.  Safe to run at any time and
 * from several processes at once (a row deleted twice is simply not found the second time).
 */
export async function pruneOperationalRecords(
  deps: { db: Db; now: () => Date },
  policy: RetentionPolicy = RETENTION_DAYS,
  opts: { batch?: number; signal?: AbortSignal; /** Job names whose latest run is kept per concurrency key (not only per shop). */ keepLatestPerKey?: readonly string[] } = {},
): Promise<PruneResult> {
  const { db } = deps;
  const now = deps.now().getTime();
  const before = (days: number) => new Date(now - days * DAY_MS);
  const batch = opts.batch ?? BATCH;
  const result: PruneResult = { completedJobs: 0, failedJobs: 0, dispatchedOutbox: 0, processedEvents: 0, failedEvents: 0 };

  const drain = async (next: () => Promise<string[]>, remove: (ids: string[]) => Promise<number>) => {
    let total = 0;
    for (;;) {
      if (opts.signal?.aborted) break;
      const ids = await next();
      if (ids.length === 0) break;
      total += await remove(ids);
      if (ids.length < batch) break;
    }
    return total;
  };

  result.completedJobs = await pruneCompletedJobs(db, before(policy.completedJobs), batch, new Set(opts.keepLatestPerKey ?? []), opts.signal);
  result.failedJobs = await drain(
    async () => (await db.job.findMany({ where: { status: "failed", updatedAt: { lt: before(policy.failedJobs) } }, select: { id: true }, orderBy: { updatedAt: "asc" }, take: batch })).map((r) => r.id),
    async (ids) => (await db.job.deleteMany({ where: { id: { in: ids }, status: "failed" } })).count,
  );
  result.dispatchedOutbox = await drain(
    async () => (await db.outboxMessage.findMany({ where: { dispatchedAt: { lt: before(policy.dispatchedOutbox) } }, select: { id: true }, orderBy: { dispatchedAt: "asc" }, take: batch })).map((r) => r.id),
    async (ids) => (await db.outboxMessage.deleteMany({ where: { id: { in: ids }, dispatchedAt: { not: null } } })).count,
  );
  result.processedEvents = await drain(
    async () => (await db.inboundEvent.findMany({ where: { status: "processed", receivedAt: { lt: before(policy.processedEvents) } }, select: { id: true }, orderBy: { receivedAt: "asc" }, take: batch })).map((r) => r.id),
    async (ids) => (await db.inboundEvent.deleteMany({ where: { id: { in: ids }, status: "processed" } })).count,
  );
  result.failedEvents = await drain(
    async () => (await db.inboundEvent.findMany({ where: { status: { in: ["failed", "quarantined"] }, receivedAt: { lt: before(policy.failedEvents) } }, select: { id: true }, orderBy: { receivedAt: "asc" }, take: batch })).map((r) => r.id),
    async (ids) => (await db.inboundEvent.deleteMany({ where: { id: { in: ids }, status: { in: ["failed", "quarantined"] } } })).count,
  );
  return result;
}

type CompletedJobRow = { id: string; name: string; shop: string | null; concurrencyKey: string | null; finishedAt: Date | null };

/**
 * Completed jobs older than the cut-off, except the latest completed one of each kind: (name, shop),
 * or (name, shop, concurrency key) for the names in `keepLatestPerKey` (a page reads "the last run" per
 * key, e.g. a location's last inventory push).  Per-key only where asked: many jobs carry a key per
 * order, and keeping one row per order forever would be no limit at all.
 */
async function pruneCompletedJobs(db: Db, cutoff: Date, batch: number, keepLatestPerKey: ReadonlySet<string>, signal?: AbortSignal): Promise<number> {
  let deleted = 0;
  const kindOf = (r: { name: string; shop: string | null; concurrencyKey: string | null }) => `${r.name}\u0000${r.shop ?? ""}\u0000${keepLatestPerKey.has(r.name) ? (r.concurrencyKey ?? "") : ""}`;
  // The newest completed run of each kind (any age), looked up once per kind per prune.
  const newestId = new Map<string, string | null>();
  const newestOf = async (r: CompletedJobRow) => {
    const k = kindOf(r);
    if (!newestId.has(k)) {
      const row = await db.job.findFirst({
        where: { status: "completed", name: r.name, shop: r.shop, ...(keepLatestPerKey.has(r.name) ? { concurrencyKey: r.concurrencyKey } : {}) },
        orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
        select: { id: true },
      });
      newestId.set(k, row?.id ?? null);
    }
    return newestId.get(k);
  };
  // Rows kept as "latest of their kind" are stepped over by the cursor.
  let afterFinished: Date | null = null;
  let afterId = "";
  for (;;) {
    if (signal?.aborted) break;
    const rows: CompletedJobRow[] = await db.job.findMany({
      where: {
        status: "completed",
        finishedAt: { lt: cutoff },
        ...(afterFinished ? { OR: [{ finishedAt: { gt: afterFinished } }, { finishedAt: afterFinished, id: { gt: afterId } }] } : {}),
      },
      select: { id: true, name: true, shop: true, concurrencyKey: true, finishedAt: true },
      orderBy: [{ finishedAt: "asc" }, { id: "asc" }],
      take: batch,
    });
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    afterFinished = last.finishedAt;
    afterId = last.id;
    const doomed: string[] = [];
    for (const r of rows) if ((await newestOf(r)) !== r.id) doomed.push(r.id);
    if (doomed.length) deleted += (await db.job.deleteMany({ where: { id: { in: doomed }, status: "completed" } })).count;
    if (rows.length < batch) break;
  }
  return deleted;
}
