import type { SpApiClient } from "#connectors/amazon/client/sp-api-client";
import { fbaLocationName, mapFbaSummaries } from "#connectors/amazon/mappers/index";
import {
  amazonCredentials,
  applyFbaLevels,
  clearRetiredFbaLocations,
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
 * With an `accountId`: for each of the account's marketplaces, getInventorySummaries (details=true,
 * granularityType=Marketplace, granularityId and the one marketplaceIds value = that marketplace —
 * Amazon takes a single marketplace per call), every page back to back (nextToken dies after 30 s;
 * the client restarts from startDateTime when one expires), each page applied at once to that
 * marketplace's read-only location: "Amazon FBA" for the home (first) marketplace, "Amazon FBA
 * (Amazon.ca)" and so on for the others (connectors/amazon/mappers/fba.ts fbaLocationName).  Seller
 * SKUs find their variants through the marketplace's own channel.
 * A marketplace's first read is full; later ones pass startDateTime = the start of its previous
 * complete read minus WATERMARK_OVERLAP_MS, so only summaries Amazon changed since come back
 * (https://developer-docs.amazon.com/sp-api/docs/fba-inventory-api-v1-reference#getinventorysummaries).
 * Without an account (the recurring run): one job per connected account with fbaInventory on.
 *
 * A marketplace removed from the account (or the home moving to another marketplace) leaves its
 * location's figures unread: saveAmazonAccount records it and clearRetiredFbaLocations zeroes them
 * (ledger entries naming the marketplace), retried at the start of this job until done.
 *
 * Why a location per marketplace, not one: marketplaces of a region can report the same units
 * (Pan-European FBA, remote fulfilment), and the same variant listed in two marketplaces would have
 * two figures for one (variant, location) level — adding them double-counts, keeping one drops the
 * other.  A failure in one marketplace does not stop the others; the job then fails naming it (and
 * retries: the marketplaces already read come back incrementally, which writes nothing new).
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

export interface FbaMarketplaceReport {
  marketplaceId: string;
  location: string;
  full: boolean;
  pages: number;
  read: number;
  changed: number;
  unmatched: number;
  restarted: boolean;
}

export interface FbaSyncReport {
  /** Every marketplace was read in full (its first read, or a watermark too old). */
  full: boolean;
  pages: number;
  read: number;
  changed: number;
  unmatched: number;
  restarted: boolean;
  marketplaces: FbaMarketplaceReport[];
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
  // Locations of marketplaces the account no longer reads there, if the save could not clear them.
  await clearRetiredFbaLocations(deps, shop, accountId);
  if (!creds.features.fbaInventory) return { skipped: "FBA inventory is off for this account" };
  if (creds.marketplaces.length === 0) return { skipped: "the account lists no marketplace" };
  const client = deps.clientFor(creds);
  const report: FbaSyncReport = { full: true, pages: 0, read: 0, changed: 0, unmatched: 0, restarted: false, marketplaces: [] };
  const failed: { marketplaceId: string; error: unknown }[] = [];
  for (const [i, target] of creds.marketplaces.entries()) {
    opts.signal?.throwIfAborted();
    try {
      const r = await syncMarketplace(deps, client, { shop, accountId, marketplaceId: target.marketplaceId, channelCode: target.channelCode, home: i === 0 }, opts);
      report.marketplaces.push(r);
      report.full &&= r.full;
      report.pages += r.pages;
      report.read += r.read;
      report.changed += r.changed;
      report.unmatched += r.unmatched;
      report.restarted ||= r.restarted;
    } catch (e) {
      await recordFbaRunError(deps.db, shop, accountId, target.marketplaceId, (e as Error).message, deps.now());
      if (isConnectorError(e) && e.code === "AUTH") {
        // Credentials Amazon refuses fail every marketplace alike: stop here, the merchant must act.
        await markAmazonAccountError(deps.db, shop, accountId, `Amazon refused the credentials while reading FBA inventory: ${e.message}`);
        throw Object.assign(new Error(e.message), { permanent: true, cause: e });
      }
      if (opts.signal?.aborted) throw e;
      deps.logger.warn("amazon fba inventory: marketplace read failed", { shop, accountId, marketplaceId: target.marketplaceId, err: (e as Error).message });
      failed.push({ marketplaceId: target.marketplaceId, error: e });
    }
  }
  if (failed.length) {
    const first = failed[0]!;
    throw Object.assign(new Error(`FBA inventory of ${failed.map((f) => f.marketplaceId).join(", ")} could not be read (${(first.error as Error).message}); the other marketplaces were synced`), { cause: first.error });
  }
  deps.logger.info("amazon fba inventory synced", { shop, accountId, ...report, marketplaces: report.marketplaces.length });
  return report;
}

/** One marketplace: its watermark, its pages, its location; the watermark moves only after a complete read. */
async function syncMarketplace(
  deps: AmazonFbaDeps,
  client: SpApiClient,
  m: { shop: string; accountId: string; marketplaceId: string; channelCode: string; home: boolean },
  opts: { signal?: AbortSignal },
): Promise<FbaMarketplaceReport> {
  const startedAt = deps.now();
  const watermark = await loadFbaWatermark(deps.db, m.shop, m.accountId, m.marketplaceId, { home: m.home });
  const full = !watermark || startedAt.getTime() - watermark.getTime() > MAX_START_AGE_MS;
  const startDateTime = full ? undefined : new Date(watermark.getTime() - WATERMARK_OVERLAP_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  const location = fbaLocationName(m.marketplaceId, m.home);
  const report: FbaMarketplaceReport = { marketplaceId: m.marketplaceId, location, full, pages: 0, read: 0, changed: 0, unmatched: 0, restarted: false };
  for await (const page of client.inventorySummariesPages({ marketplaceId: m.marketplaceId, details: true, ...(startDateTime ? { startDateTime } : {}) })) {
    opts.signal?.throwIfAborted();
    const mapped = mapFbaSummaries({ inventorySummaries: page.inventorySummaries, nextToken: page.nextToken }, { readAt: deps.now() });
    // Applied page by page: the 30-second page token keeps running while the database works,
    // so a large page's writes must not delay the next request by much (LEVELS_PER_BATCH).
    const r = await applyFbaLevels(deps, { shop: m.shop, accountId: m.accountId, channelCode: m.channelCode, levels: mapped.levels, locationName: location });
    report.pages++;
    report.read += r.read;
    report.changed += r.changed;
    report.unmatched += r.unmatched.length;
    report.restarted ||= page.restarted;
  }
  await saveFbaWatermark(deps.db, m.shop, m.accountId, m.marketplaceId, startedAt, deps.now());
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
