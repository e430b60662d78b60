import type { SpApiClient } from "#connectors/amazon/client/sp-api-client";
import { ConnectorError, isConnectorError } from "#connectors/core/errors";
import { buildListingsFeeds, mapProcessingReport, MAX_FEED_MESSAGES, quantityPatchBody, type ListingsFeedDocument } from "#connectors/amazon/mappers/index";
import {
  amazonCredentials,
  feedFailedAtAmazon,
  feedFinished,
  feedRows,
  feedStillRunning,
  feedSubmissionFailed,
  feedSubmitted,
  markAmazonAccountError,
  pendingQuantities,
  recordPatchOutcome,
  recoverInterruptedFeeds,
  startFeed,
  TERMINAL_FEED_STATUSES,
  type AmazonCredentials,
  type StoredIssue,
} from "#app/modules/amazon/index";
import type { SecretBox } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import { isDomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";

/**
 * Quantities out to Amazon (issue 6 item 4): the jobs `amazon.pushQuantities` (per account) and
 * `amazon.pollFeed` (per feed).  The row state is app/modules/amazon/listings.service.server.ts.
 *
 * A push sends every pending row (`desired ≠ accepted`, no feed in flight):
 *  - up to PATCH_BURST_MAX rows: one patchListingsItem each (synchronous answer, seconds);
 *  - more: JSON_LISTINGS_FEED documents of ≤ 25 000 messages per marketplace (submitFeed =
 *    createFeedDocument → upload → createFeed), recorded in AmazonFeed, rows marked sending; then
 *    `amazon.pollFeed` polls getFeed until DONE/FATAL/CANCELLED and maps the processing report back
 *    to SKUs.  The client's buckets pace createFeed / createFeedDocument; nothing here sleeps.
 */

/**
 * Pushes of at most this many SKUs use patchListingsItem, larger ones a feed.  patchListingsItem
 * is 5 requests/s with a burst of 5 per seller (client/rate-limits.ts; Amazon's usage plan
 * https://developer-docs.amazon.com/sp-api/docs/listings-items-api-rate-limits), so 20 patches take
 * about 3 s and each SKU's answer is final at once.  A feed costs one of JSON_LISTINGS_FEED's 5
 * submissions per 5 minutes and takes minutes to process, so it only wins when patches would keep
 * the listings bucket busy for longer than that: 20 is where a burst still clears in seconds and
 * leaves room for other callers of the same bucket.
 */
export const PATCH_BURST_MAX = 20;
/** Concurrent patch calls: the bucket's burst, so no call waits on another call's round trip. */
const PATCH_CONCURRENCY = 5;
/**
 * Between getFeed polls.  getFeed allows 2 requests/s (burst 15), so this is not about the limit:
 * Amazon processes feeds in minutes, and 20 s keeps the accepted-quantity latency low without
 * spending calls on IN_QUEUE answers.
 */
export const FEED_POLL_DELAY_MS = 20_000;
export const FEED_CONTENT_TYPE = "application/json; charset=UTF-8";

export interface AmazonQuantitiesDeps {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  now: () => Date;
  clientFor: (creds: AmazonCredentials) => SpApiClient;
  /** Delay before each getFeed poll (default FEED_POLL_DELAY_MS). */
  pollDelayMs?: number;
  /** Messages per feed (default and maximum: Amazon's 25 000). */
  maxFeedMessages?: number;
}

export interface PushReport {
  pending: number;
  path: "none" | "patch" | "feed";
  accepted: number;
  rejected: number;
  /** Left pending by a transient failure (the job is retried). */
  retry: number;
  feeds: string[];
}

async function credentialsOrSkip(deps: AmazonQuantitiesDeps, shop: string, accountId: string): Promise<AmazonCredentials & { features: { quantities: boolean } } | { skipped: string }> {
  try {
    return await amazonCredentials(deps, shop, accountId);
  } catch (e) {
    // Disconnected or deleted: the rows wait for a reconnect; retrying the job would not help.
    if (isDomainError(e) && e.kind === "NOT_FOUND") return { skipped: `Amazon account ${accountId} is not connected` };
    throw e;
  }
}

/** Amazon refused the seller's authorisation: shown on the account, and the job stops (a retry gets the same answer). */
async function stopOnAuth(deps: AmazonQuantitiesDeps, shop: string, accountId: string, e: unknown) {
  if (isConnectorError(e) && e.code === "AUTH") {
    await markAmazonAccountError(deps.db, shop, accountId, `Amazon refused the credentials while publishing quantities: ${e.message}`);
    throw Object.assign(new Error(e.message), { permanent: true, cause: e });
  }
}

function issuesOf(list: { code?: string | null; message: string; severity: string; attributeNames?: string[] }[] | undefined): StoredIssue[] {
  return (list ?? []).map((i) => ({ code: i.code ?? null, message: i.message, severity: i.severity, ...(i.attributeNames?.[0] ? { attributeName: i.attributeNames[0] } : {}) }));
}

/** The job `amazon.pushQuantities`. */
export async function pushAmazonQuantities(deps: AmazonQuantitiesDeps, job: { shop: string; accountId: string }): Promise<PushReport | { skipped: string }> {
  const creds = await credentialsOrSkip(deps, job.shop, job.accountId);
  if ("skipped" in creds) return creds;
  if (!creds.features.quantities) return { skipped: "quantity publishing is off for this account" };
  await recoverInterruptedFeeds(deps.db, job.shop, job.accountId, deps.now());
  const rows = await pendingQuantities(deps.db, job.shop, job.accountId);
  const report: PushReport = { pending: rows.length, path: "none", accepted: 0, rejected: 0, retry: 0, feeds: [] };
  if (rows.length === 0) return report;
  const client = deps.clientFor(creds);
  if (rows.length <= PATCH_BURST_MAX) await pushByPatches(deps, job, client, rows, report);
  else await pushByFeeds(deps, job, client, creds.sellerId, rows, report);
  deps.logger.info("amazon quantities pushed", { shop: job.shop, accountId: job.accountId, ...report, feeds: report.feeds.length });
  if (report.retry > 0) {
    // Rows are still pending; the runner retries the job with backoff.
    throw new ConnectorError("UNAVAILABLE", `${report.retry} Amazon quantity update(s) could not be sent now; retrying`, { connector: "amazon", retryable: true, details: { ...report } });
  }
  return report;
}

type PendingRow = Awaited<ReturnType<typeof pendingQuantities>>[number];

async function pushByPatches(deps: AmazonQuantitiesDeps, job: { shop: string; accountId: string }, client: SpApiClient, rows: PendingRow[], report: PushReport) {
  report.path = "patch";
  let next = 0;
  let authError: unknown;
  const worker = async () => {
    while (next < rows.length && !authError) {
      const row = rows[next++]!;
      const sent = row.desired;
      try {
        const res = await client.patchListingsItem(row.sellerSku, quantityPatchBody(sent), { marketplaceIds: [row.marketplaceId] });
        // VALID only comes back for VALIDATION_PREVIEW; anything but ACCEPTED did not change the listing.
        const accepted = res.status === "ACCEPTED";
        await recordPatchOutcome(deps.db, row, sent, { accepted, issues: issuesOf(res.issues) }, deps.now());
        if (accepted) report.accepted++;
        else report.rejected++;
      } catch (e) {
        if (isConnectorError(e) && e.code === "AUTH") {
          authError = e;
          return;
        }
        if (isConnectorError(e) && !e.retryable) {
          // Amazon refused this request (400, 404…): the SKU is rejected with Amazon's words.
          const amazonCode = (e.details as { amazonCode?: string } | undefined)?.amazonCode ?? e.code;
          await recordPatchOutcome(deps.db, row, sent, { accepted: false, issues: [{ code: amazonCode ?? null, message: e.message, severity: "ERROR" }] }, deps.now());
          report.rejected++;
        } else {
          deps.logger.warn("amazon patchListingsItem failed; will retry", { shop: job.shop, accountId: job.accountId, sku: row.sellerSku, err: (e as Error).message });
          report.retry++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PATCH_CONCURRENCY, rows.length) }, worker));
  if (authError) await stopOnAuth(deps, job.shop, job.accountId, authError);
}

const bySellerSku = <T extends { sellerSku: string }>(a: T, b: T) => (a.sellerSku < b.sellerSku ? -1 : a.sellerSku > b.sellerSku ? 1 : 0);

async function pushByFeeds(deps: AmazonQuantitiesDeps, job: { shop: string; accountId: string }, client: SpApiClient, sellerId: string, rows: PendingRow[], report: PushReport) {
  report.path = "feed";
  const byMarketplace = new Map<string, PendingRow[]>();
  for (const r of rows) {
    const list = byMarketplace.get(r.marketplaceId);
    if (list) list.push(r);
    else byMarketplace.set(r.marketplaceId, [r]);
  }
  for (const [marketplaceId, list] of byMarketplace) {
    // Seller-SKU order numbers the messages; the poll rebuilds the same numbering from the rows of
    // the feed (the processing report names messages by id, not always by SKU).
    list.sort(bySellerSku);
    const rowBySku = new Map(list.map((r) => [r.sellerSku, r]));
    const built = buildListingsFeeds({ sellerId, changes: list.map((r) => ({ sku: r.sellerSku, ats: r.desired })), maxMessages: deps.maxFeedMessages ?? MAX_FEED_MESSAGES });
    for (const doc of built.feeds) {
      const feedRowsSent = doc.messages.map((m) => ({ id: rowBySku.get(m.sku)!.id, sent: m.patches[0].value[0].quantity }));
      const feedId = await startFeed(deps.db, { shop: job.shop, accountId: job.accountId, marketplaceId, rows: feedRowsSent, now: deps.now() });
      let submitted: { feedId: string; feedDocumentId: string };
      try {
        submitted = await client.submitFeed({ feedType: "JSON_LISTINGS_FEED", content: JSON.stringify(doc), contentType: FEED_CONTENT_TYPE, marketplaceIds: [marketplaceId] });
      } catch (e) {
        await feedSubmissionFailed(deps.db, feedId, (e as Error).message, deps.now());
        await stopOnAuth(deps, job.shop, job.accountId, e);
        // Throttled past the client's retries, an unknown createFeed outcome, Amazon down: the
        // feeds already submitted stand; the rest are pending again and the job is retried.
        throw e;
      }
      await feedSubmitted(deps.db, feedId, { amazonFeedId: submitted.feedId, documentId: submitted.feedDocumentId, now: deps.now(), pollDelayMs: deps.pollDelayMs ?? FEED_POLL_DELAY_MS });
      report.feeds.push(feedId);
    }
  }
}

export interface PollFeedReport {
  feedId: string;
  status: string;
  accepted?: number;
  rejected?: number;
  repending?: number;
}

/** The job `amazon.pollFeed`: one getFeed; when finished, the processing report mapped back to SKUs. */
export async function pollAmazonFeed(deps: AmazonQuantitiesDeps, job: { shop: string; accountId: string; feedId: string; poll?: number }): Promise<PollFeedReport | { skipped: string }> {
  const feed = await deps.db.amazonFeed.findFirst({ where: { id: job.feedId, shop: job.shop, accountId: job.accountId } });
  if (!feed) return { skipped: `feed ${job.feedId} is not one of this account's` };
  if ((TERMINAL_FEED_STATUSES as readonly string[]).includes(feed.status)) return { skipped: `feed ${job.feedId} already ended ${feed.status}` };
  if (!feed.amazonFeedId) return { skipped: `feed ${job.feedId} was never submitted` };
  const creds = await credentialsOrSkip(deps, job.shop, job.accountId);
  if ("skipped" in creds) return creds;
  const client = deps.clientFor(creds);
  let outcome;
  try {
    outcome = await client.feedOutcome(feed.amazonFeedId);
  } catch (e) {
    if (isConnectorError(e) && (e.code === "FEED_FATAL" || e.code === "FEED_CANCELLED")) {
      const status = e.code === "FEED_FATAL" ? "FATAL" : "CANCELLED";
      const r = await feedFailedAtAmazon(deps.db, feed, status, e.message, deps.now());
      deps.logger.warn("amazon feed failed", { shop: job.shop, accountId: job.accountId, feedId: feed.id, amazonFeedId: feed.amazonFeedId, status, err: e.message });
      return { feedId: feed.id, status, repending: r.repending };
    }
    await stopOnAuth(deps, job.shop, job.accountId, e);
    if (isConnectorError(e) && e.retryable) {
      // Throttled past the client's retries, Amazon or the report download down: poll again later
      // (outbox, same as a running feed) rather than fail the job and strand the feed's SKUs.
      const poll = (job.poll ?? 1) + 1;
      await feedStillRunning(deps.db, feed, feed.status, poll, deps.now(), (deps.pollDelayMs ?? FEED_POLL_DELAY_MS) * 3);
      deps.logger.warn("amazon feed poll failed; polling again later", { shop: job.shop, accountId: job.accountId, feedId: feed.id, err: e.message });
      return { feedId: feed.id, status: feed.status };
    }
    throw e;
  }
  if (!outcome.done) {
    const poll = (job.poll ?? 1) + 1;
    await feedStillRunning(deps.db, feed, outcome.feed.processingStatus, poll, deps.now(), deps.pollDelayMs ?? FEED_POLL_DELAY_MS);
    return { feedId: feed.id, status: outcome.feed.processingStatus };
  }
  const rows = await feedRows(deps.db, feed.id);
  // The document as it was sent (same order → same message ids) so issues without a SKU find theirs.
  const sent = {
    header: { sellerId: creds.sellerId, version: "2.0", issueLocale: "en_US" },
    messages: rows.map((r, i) => ({ messageId: i + 1, sku: r.sellerSku, operationType: "PATCH", ...quantityPatchBody(r.sent ?? r.desired) })),
  } satisfies ListingsFeedDocument;
  const mapped = mapProcessingReport(outcome.report, sent);
  const r = await feedFinished(
    deps.db,
    feed,
    {
      acceptedSkus: mapped.acceptedSkus,
      rejectedSkus: mapped.rejectedSkus,
      issuesBySku: new Map([...mapped.issuesBySku].map(([sku, xs]) => [sku, xs.map((x) => ({ code: x.code, message: x.message, severity: x.severity, attributeName: x.attributeName }))])),
      feedIssues: mapped.feedIssues.map((x) => ({ code: x.code, message: x.message, severity: x.severity })),
      resultDocumentId: outcome.feed.resultFeedDocumentId ?? null,
    },
    deps.now(),
  );
  deps.logger.info("amazon feed done", { shop: job.shop, accountId: job.accountId, feedId: feed.id, amazonFeedId: feed.amazonFeedId, ...r });
  return { feedId: feed.id, status: "DONE", accepted: r.accepted, rejected: r.rejected, repending: r.repending };
}
