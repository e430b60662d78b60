import type { SpApiClient } from "#connectors/amazon/client/sp-api-client";
import { mapFbaSummaries } from "#connectors/amazon/mappers/index";
import {
  amazonCredentials,
  applyFbaLevels,
  connectedAmazonAccounts,
  loadFbaWatermark,
  markAmazonAccountError,
  recordFbaRunError,
  saveFbaWatermark,
  type AmazonCredentials,
} from "#app/modules/amazon/index";
import type { SecretBox } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import { isDomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";
import type { JobQueue } from "#app/platform/queue/types";
import { isConnectorError } from "#connectors/core/errors";

/**
 * FBA stock in (issue 6 item 6): the job `amazon.syncFbaInventory`.
 *
 * With an `accountId`: getInventorySummaries (details=true) for the account's first marketplace,
 * every page back to back (nextToken dies after 30 s; the client restarts from startDateTime when
 * one expires), each page applied to the read-only "Amazon FBA" location at once.  The first read
 * is full; later ones pass startDateTime = the start of the previous complete read minus
 * WATERMARK_OVERLAP_MS, so only summaries Amazon changed since come back
 * (https://developer-docs.amazon.com/sp-api/docs/fba-inventory-api-v1-reference#getinventorysummaries).
 * Without one (the recurring run): one job per connected account with fbaInventory on.
 *
 * Why the first marketplace only: FBA stock is pooled per region (a unit in a US fulfilment centre
 * serves the account's North American marketplaces), so reading each marketplace would mirror the
 * same units several times into the one "Amazon FBA" location.
 */
export const AMAZON_FBA_SYNC_JOB = "amazon.syncFbaInventory";
/** Amazon's lastUpdatedTime and our clock may disagree a little; a repeat costs nothing (same values, same time → no write). */
export const WATERMARK_OVERLAP_MS = 60_000;
/** Amazon refuses a startDateTime more than 18 months back; older watermarks mean a full read. */
const MAX_START_AGE_MS = 540 * 86_400_000;

export interface AmazonFbaDeps {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  now: () => Date;
  clientFor: (creds: AmazonCredentials) => SpApiClient;
  queue: Pick<JobQueue, "add">;
}

export interface FbaSyncReport {
  full: boolean;
  pages: number;
  read: number;
  changed: number;
  unmatched: number;
  restarted: boolean;
}

export async function syncAmazonFbaInventory(deps: AmazonFbaDeps, job: { shop?: string; accountId?: string }, opts: { signal?: AbortSignal } = {}): Promise<FbaSyncReport | { skipped: string } | { enqueued: number }> {
  if (!job.accountId || !job.shop) return enqueueAll(deps);
  const { shop, accountId } = job;
  let creds;
  try {
    creds = await amazonCredentials(deps, shop, accountId);
  } catch (e) {
    if (isDomainError(e) && e.kind === "NOT_FOUND") return { skipped: `Amazon account ${accountId} is not connected` };
    throw e;
  }
  if (!creds.features.fbaInventory) return { skipped: "FBA inventory is off for this account" };
  const target = creds.marketplaces[0];
  if (!target) return { skipped: "the account lists no marketplace" };
  const startedAt = deps.now();
  const watermark = await loadFbaWatermark(deps.db, shop, accountId);
  const full = !watermark || startedAt.getTime() - watermark.getTime() > MAX_START_AGE_MS;
  const startDateTime = full ? undefined : new Date(watermark.getTime() - WATERMARK_OVERLAP_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  const client = deps.clientFor(creds);
  const report: FbaSyncReport = { full, pages: 0, read: 0, changed: 0, unmatched: 0, restarted: false };
  try {
    for await (const page of client.inventorySummariesPages({ marketplaceId: target.marketplaceId, details: true, ...(startDateTime ? { startDateTime } : {}) })) {
      opts.signal?.throwIfAborted();
      const mapped = mapFbaSummaries({ inventorySummaries: page.inventorySummaries, nextToken: page.nextToken }, { readAt: deps.now() });
      // Applied page by page: the 30-second page token keeps running while the database works,
      // so a large page's writes must not delay the next request by much (LEVELS_PER_BATCH).
      const r = await applyFbaLevels(deps, { shop, accountId, channelCode: target.channelCode, levels: mapped.levels });
      report.pages++;
      report.read += r.read;
      report.changed += r.changed;
      report.unmatched += r.unmatched.length;
      report.restarted ||= page.restarted;
    }
  } catch (e) {
    await recordFbaRunError(deps.db, shop, accountId, (e as Error).message, deps.now());
    if (isConnectorError(e) && e.code === "AUTH") {
      await markAmazonAccountError(deps.db, shop, accountId, `Amazon refused the credentials while reading FBA inventory: ${e.message}`);
      throw Object.assign(new Error(e.message), { permanent: true, cause: e });
    }
    throw e;
  }
  await saveFbaWatermark(deps.db, shop, accountId, startedAt, deps.now());
  deps.logger.info("amazon fba inventory synced", { shop, accountId, ...report });
  return report;
}

async function enqueueAll(deps: AmazonFbaDeps): Promise<{ enqueued: number }> {
  const accounts = await connectedAmazonAccounts(deps.db);
  const slot = Math.floor(deps.now().getTime() / 60_000);
  let enqueued = 0;
  for (const a of accounts) {
    let on = true;
    try {
      on = (JSON.parse(a.features) as { fbaInventory?: unknown }).fbaInventory !== false;
    } catch {
      /* unreadable features: the defaults (on) */
    }
    if (!on) continue;
    const r = await deps.queue.add(AMAZON_FBA_SYNC_JOB, { shop: a.shop, accountId: a.id }, { shop: a.shop, concurrencyKey: `${a.shop}|amazon-fba|${a.id}`, dedupeKey: `amazon-fba:${a.id}:${slot}` });
    if (!r.deduplicated) enqueued++;
  }
  return { enqueued };
}
