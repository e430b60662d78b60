import type { AppRuntime } from "#app/platform/runtime.server";
import { AMAZON_POLL_FEED_JOB, AMAZON_PUSH_JOB, amazonAtsPublisher, type AmazonAtsPublisher } from "#app/modules/amazon/index";
import { pollAmazonFeed, pushAmazonQuantities, type AmazonQuantitiesDeps } from "#app/workflows/amazon-quantities.server";
import { AMAZON_FBA_SYNC_JOB, syncAmazonFbaInventory } from "#app/workflows/amazon-fba.server";

/** FBA stock changes slowly (receipts, customer orders); 15 minutes keeps well inside getInventorySummaries' 2 requests/s. */
export const FBA_SYNC_EVERY_MS = 15 * 60_000;

/**
 * The "amazon" entry of the ATS publishers (app/jobs/index.server.ts PUBLISHERS): the inventory
 * module's publish jobs call it when a SKU's ATS on an Amazon channel changes.
 */
export function createAmazonAtsPublisher(runtime: Pick<AppRuntime, "db" | "now" | "logger">): AmazonAtsPublisher {
  return amazonAtsPublisher({ db: runtime.db, now: runtime.now, logger: runtime.logger });
}

export interface AmazonQuantityJobsOptions {
  /** Recurring FBA read (default FBA_SYNC_EVERY_MS; the demo may go faster). */
  fbaEveryMs?: number;
  /** Delay between getFeed polls (default FEED_POLL_DELAY_MS). */
  feedPollDelayMs?: number;
}

/** Quantities out (push + feed polls) and FBA stock in. */
export function registerAmazonQuantityJobs(runtime: AppRuntime, opts: AmazonQuantityJobsOptions = {}) {
  const { db, logger, now, secrets } = runtime;
  const clientFor = (creds: Parameters<AppRuntime["amazon"]["clientFor"]>[0]) => runtime.amazon.clientFor(creds);
  const deps: AmazonQuantitiesDeps = { db, secrets, logger, now, clientFor, ...(opts.feedPollDelayMs !== undefined ? { pollDelayMs: opts.feedPollDelayMs } : {}) };
  runtime.runner.register<{ shop: string; accountId: string }>(AMAZON_PUSH_JOB, (job) => pushAmazonQuantities(deps, job.data));
  runtime.runner.register<{ shop: string; accountId: string; feedId: string; poll?: number }>(AMAZON_POLL_FEED_JOB, (job) => pollAmazonFeed(deps, job.data));
  runtime.runner.register<{ shop?: string; accountId?: string }>(AMAZON_FBA_SYNC_JOB, (job) =>
    syncAmazonFbaInventory({ db, secrets, logger, now, clientFor, queue: runtime.runner }, job.data, { signal: job.signal }),
  );
  // Without an account: the run enqueues one sync per connected account with fbaInventory on.
  runtime.runner.repeat(AMAZON_FBA_SYNC_JOB, {}, opts.fbaEveryMs ?? FBA_SYNC_EVERY_MS);
}
