import type { Db } from "#app/platform/db/client.server";

/** Read-only views over the platform's job, outbox and inbound-event tables, for people. */
export interface PlatformHealth {
  jobs: Record<"queued" | "running" | "completed" | "failed", number>;
  failedJobs: { id: string; name: string; attempts: number; lastError: string | null; finishedAt: string | null }[];
  outboxBacklog: number;
  inbound: { last24h: number; failed: number; quarantined: number };
}

export async function getPlatformHealth(db: Db, shop: string, now: Date): Promise<PlatformHealth> {
  const grouped = await db.job.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const jobs = { queued: 0, running: 0, completed: 0, failed: 0 };
  for (const g of grouped) if (g.status in jobs) jobs[g.status as keyof typeof jobs] = g._count._all;
  const failed = await db.job.findMany({
    where: { shop, status: "failed" },
    orderBy: { finishedAt: "desc" },
    take: 5,
    select: { id: true, name: true, attempts: true, lastError: true, finishedAt: true },
  });
  const since = new Date(now.getTime() - 24 * 3600_000);
  const [outboxBacklog, last24h, failedEvents, quarantined] = await Promise.all([
    db.outboxMessage.count({ where: { shop, dispatchedAt: null } }),
    db.inboundEvent.count({ where: { shop, receivedAt: { gte: since } } }),
    db.inboundEvent.count({ where: { shop, status: "failed" } }),
    db.inboundEvent.count({ where: { shop, status: "quarantined" } }),
  ]);
  return {
    jobs,
    failedJobs: failed.map((j) => ({ ...j, finishedAt: j.finishedAt?.toISOString() ?? null })),
    outboxBacklog,
    inbound: { last24h, failed: failedEvents, quarantined },
  };
}

export interface JobFilter {
  shop?: string;
  status?: string;
  name?: string;
  limit?: number;
}

export function listJobs(db: Db, f: JobFilter) {
  return db.job.findMany({
    where: { ...(f.shop ? { shop: f.shop } : {}), ...(f.status ? { status: f.status } : {}), ...(f.name ? { name: f.name } : {}) },
    orderBy: { createdAt: "desc" },
    take: f.limit ?? 50,
  });
}

/** Put a failed job back in the queue for one more try (operator action). */
export async function retryJob(db: Db, id: string, now: Date) {
  const r = await db.job.updateMany({
    where: { id, status: "failed" },
    data: { status: "queued", runAt: now, finishedAt: null, maxAttempts: { increment: 1 } },
  });
  return r.count === 1;
}

export function listInboundEvents(db: Db, f: { shop?: string; status?: string; limit?: number }) {
  return db.inboundEvent.findMany({
    where: { ...(f.shop ? { shop: f.shop } : {}), ...(f.status ? { status: f.status } : {}) },
    orderBy: { receivedAt: "desc" },
    take: f.limit ?? 50,
    select: { id: true, shop: true, source: true, externalId: true, topic: true, status: true, error: true, attempts: true, receivedAt: true, processedAt: true },
  });
}
