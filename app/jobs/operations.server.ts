import { SHOPIFY_PUSH_INVENTORY_JOB } from "#app/modules/inventory/index";
import { PRUNE_JOB, pruneOperationalRecords } from "#app/modules/operations/index";
import type { AppRuntime } from "#app/platform/runtime.server";

/** Pruning of the platform's working records (jobs, outbox, raw inbound events): RETENTION_DAYS. */
export const PRUNE_EVERY_MS = 60 * 60_000;

export function registerOperationsJobs(runtime: AppRuntime) {
  const { db, logger, now } = runtime;
  runtime.runner.register(PRUNE_JOB, async (job) => {
    // The Locations page reads each location's last push (jobs keyed by location).
    const r = await pruneOperationalRecords({ db, now }, undefined, { signal: job.signal, keepLatestPerKey: [SHOPIFY_PUSH_INVENTORY_JOB] });
    const total = Object.values(r).reduce((a, b) => a + b, 0);
    if (total > 0) logger.info("pruned operational records", { ...r });
    return r;
  });
  runtime.runner.repeat(PRUNE_JOB, {}, PRUNE_EVERY_MS);
}
