import type { Db, DbTx } from "#app/platform/db/client.server";
import { writeOutbox } from "#app/platform/outbox.server";

/**
 * The job that re-routes a shop's unroutable orders (app/modules/orders rerouteUnroutable; handler
 * in app/jobs/routing.server.ts), asked for by whatever may have fixed their cause: a profile
 * activated or rolled back, a location's routing settings changed, a person on the orders list.
 *
 * Requests travel through the outbox in the caller's transaction (nothing is asked for a change
 * that rolled back), and all requests for one shop within SWEEP_WINDOW_MS share a job dedupeKey:
 * an import that updates forty locations, or a double click, becomes one sweep, due when the
 * window closes so it reads every change made in it.  The concurrencyKey keeps two sweeps of one
 * shop from running at once.  ADR 006 for the outbox and the dedupe keys.
 */
export const REROUTE_UNROUTABLE_JOB = "routing.rerouteUnroutable";
export const SWEEP_WINDOW_MS = 2_000;

export interface SweepJob {
  shop: string;
  /** What asked for it, in words ("routing profile default v3 activated"); recorded as the decisions' actor. */
  cause: string;
  /** Continue after this order (`<placedAt ISO>|<id>`): a sweep does a bounded batch, then queues the rest. */
  after?: string | null;
}

export function sweepConcurrencyKey(shop: string): string {
  return `${shop}|routing-sweep`;
}

/**
 * Queue a sweep of the shop's unroutable orders, in the caller's transaction — only when the shop
 * has any (an activation in a shop where every order routed queues nothing).  Returns how many
 * orders were unroutable when asked.
 */
export async function requestUnroutableSweep(tx: Db | DbTx, shop: string, args: { cause: string; now: Date }): Promise<number> {
  const stuck = await tx.order.count({ where: { shop, status: "unroutable" } });
  if (stuck === 0) return 0;
  const window = Math.floor(args.now.getTime() / SWEEP_WINDOW_MS);
  const payload: SweepJob = { shop, cause: args.cause };
  await writeOutbox(tx, {
    shop,
    topic: REROUTE_UNROUTABLE_JOB,
    payload,
    jobKey: sweepConcurrencyKey(shop),
    jobDedupeKey: `${REROUTE_UNROUTABLE_JOB}:${shop}:${window}`,
    availableAt: new Date((window + 1) * SWEEP_WINDOW_MS),
  });
  return stuck;
}
