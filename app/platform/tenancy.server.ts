import type { Db, DbTx } from "./db/client.server";

/** Platform tables that carry a `shop` column; the purge workflow must cover every such model. */
export const PLATFORM_TENANT_MODELS = ["Session", "Job", "OutboxMessage", "InboundEvent"] as const;

/** Delete one shop's platform rows.  Sessions go first: nothing can act for the shop after this. */
export async function purgePlatformData(tx: Db | DbTx, shop: string) {
  const sessions = await tx.session.deleteMany({ where: { shop } });
  const jobs = await tx.job.deleteMany({ where: { shop } });
  const outbox = await tx.outboxMessage.deleteMany({ where: { shop } });
  const events = await tx.inboundEvent.deleteMany({ where: { shop } });
  return { sessions: sessions.count, jobs: jobs.count, outbox: outbox.count, inboundEvents: events.count };
}
