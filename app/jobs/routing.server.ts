import { rerouteUnroutable, shopsWithUnroutable } from "#app/modules/orders/index";
import { REROUTE_UNROUTABLE_JOB, sweepConcurrencyKey, type SweepJob } from "#app/modules/routing/index";
import type { AppRuntime } from "#app/platform/runtime.server";

/**
 * Re-routing of orders left unroutable (docs/routing.md, "Re-routing stuck orders on their own").
 *
 * routing.rerouteUnroutable: one bounded batch of the shop's unroutable orders, oldest first; when
 * more remain, the next batch is queued as its own job (dedupeKey from this job's id, so a retry of
 * this one does not queue it twice; the same concurrencyKey, so it runs after this one).
 *
 * routing.scheduleSweeps (every SCHEDULED_SWEEP_MS): a sweep for each shop that has unroutable
 * orders.  Some causes are fixed by no write the hub sees as a fix: stock arriving for an order
 * whose every rule fell through to the next one for want of stock, a store opening, a new day
 * giving daily caps back.  This catches those (and any request lost between windows) within the
 * period; an unchanged order records nothing, so the repeat adds no rows.
 */
export const SCHEDULE_SWEEPS_JOB = "routing.scheduleSweeps";
export const SCHEDULED_SWEEP_MS = 15 * 60_000;

export function registerRoutingJobs(runtime: AppRuntime) {
  const { db, logger, now } = runtime;
  runtime.runner.register<SweepJob>(REROUTE_UNROUTABLE_JOB, async (job) => {
    const { shop, cause, after } = job.data;
    const r = await rerouteUnroutable({ db, logger, now }, shop, { cause, after: after ?? null, signal: job.signal });
    await job.progress(r.examined, r.examined, `${r.routed} routed, ${r.examined - r.routed} not`);
    if (r.next) {
      const next: SweepJob = { shop, cause, after: r.next };
      await runtime.runner.add(REROUTE_UNROUTABLE_JOB, next, { shop, dedupeKey: `${job.id}:next`, concurrencyKey: sweepConcurrencyKey(shop) });
    }
    return { examined: r.examined, routed: r.routed, unchanged: r.unchanged, skipped: r.skipped.length, failed: r.failed.length, more: r.next !== null };
  });
  runtime.runner.register(SCHEDULE_SWEEPS_JOB, async () => {
    const period = Math.floor(now().getTime() / SCHEDULED_SWEEP_MS);
    const shops = await shopsWithUnroutable({ db });
    for (const shop of shops) {
      const data: SweepJob = { shop, cause: "periodic re-check of unroutable orders" };
      await runtime.runner.add(REROUTE_UNROUTABLE_JOB, data, { shop, dedupeKey: `${REROUTE_UNROUTABLE_JOB}:${shop}:periodic:${period}`, concurrencyKey: sweepConcurrencyKey(shop) });
    }
    return { shops: shops.length };
  });
  runtime.runner.repeat(SCHEDULE_SWEEPS_JOB, {}, SCHEDULED_SWEEP_MS);
}
