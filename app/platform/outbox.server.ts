import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "./db/client.server";
import type { Logger } from "./logger.server";
import type { JobQueue } from "./queue/types";

/**
 * Transactional outbox (ARCHITECTURE.md rule 4).  `writeOutbox(tx, …)` is called inside the same
 * transaction as the state change; the relay turns rows into jobs with dedupeKey "outbox:<id>", so
 * a crash between "job added" and "row marked dispatched" replays the add, which is a no-op.
 */
export interface OutboxInput {
  shop?: string | null;
  /** The job name the message becomes. */
  topic: string;
  payload: unknown;
  /** concurrencyKey for the resulting job. */
  jobKey?: string;
  /**
   * dedupeKey for the resulting job (default "outbox:<id>").  Messages that share one become a
   * single job: that is how bursts coalesce (e.g. one ATS publish per SKU, channel and window).
   */
  jobDedupeKey?: string;
  /** Do not dispatch before this time (e.g. coalescing windows). */
  availableAt?: Date;
}

function toRow(msg: OutboxInput) {
  return {
    id: randomUUID(),
    shop: msg.shop ?? null,
    topic: msg.topic,
    payload: JSON.stringify(msg.payload ?? null),
    jobKey: msg.jobKey ?? null,
    jobDedupeKey: msg.jobDedupeKey ?? null,
    ...(msg.availableAt ? { availableAt: msg.availableAt } : {}),
  };
}

export async function writeOutbox(tx: DbTx | Db, msg: OutboxInput): Promise<string> {
  const row = toRow(msg);
  await tx.outboxMessage.create({ data: row });
  return row.id;
}

/** Many messages in one statement (fan-out to every channel, say), same semantics as writeOutbox. */
export async function writeOutboxMany(tx: DbTx | Db, msgs: OutboxInput[]): Promise<number> {
  if (msgs.length === 0) return 0;
  const r = await tx.outboxMessage.createMany({ data: msgs.map(toRow) });
  return r.count;
}

export interface OutboxRelay {
  /** Dispatch every due message; returns how many were handed to the queue. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
  /** Ask for a prompt run (after a commit that wrote outbox rows). */
  nudge(): void;
}

export function createOutboxRelay(opts: {
  db: Db;
  queue: JobQueue;
  logger: Logger;
  pollMs?: number;
  batch?: number;
  now?: () => Date;
}): OutboxRelay {
  const { db, queue } = opts;
  const logger = opts.logger.child({ component: "outbox" });
  const batch = opts.batch ?? 100;
  const now = opts.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<number> | undefined;

  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await db.outboxMessage.findMany({
        where: { dispatchedAt: null, availableAt: { lte: now() } },
        orderBy: { createdAt: "asc" },
        take: batch,
      });
      for (const row of rows) {
        await queue.add(row.topic, JSON.parse(row.payload) as unknown, {
          shop: row.shop,
          dedupeKey: row.jobDedupeKey ?? `outbox:${row.id}`,
          ...(row.jobKey ? { concurrencyKey: row.jobKey } : {}),
        });
        await db.outboxMessage.updateMany({ where: { id: row.id, dispatchedAt: null }, data: { dispatchedAt: now() } });
      }
      total += rows.length;
      if (rows.length < batch) return total;
    }
  }

  const guarded = () => {
    inFlight ??= runOnce()
      .catch((e) => {
        logger.error("outbox relay failed; will retry", { err: e });
        return 0;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    runOnce: guarded,
    start() {
      timer ??= setInterval(() => void guarded(), opts.pollMs ?? 500);
      timer.unref();
      void guarded();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
    nudge() {
      void guarded();
    },
  };
}
