import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";
import type { Logger } from "#app/platform/logger.server";
import { writeOutbox } from "#app/platform/outbox.server";
import type { AtsPublisher } from "#app/modules/inventory/index";

/**
 * Quantities to Amazon (issue 6 item 4): the hub's side of AmazonListingQuantity and AmazonFeed.
 *
 * One row per (account, marketplace, seller SKU) holds `desired` (the latest ATS: the latest value
 * wins), `sent` and `accepted`.  A row is sent only while `desired ≠ accepted`, and never while a
 * feed carrying it is still at Amazon (`feedId` set): two feeds in flight for one SKU could be
 * applied in either order, so a value that changed meanwhile stays `pending` and goes in the push
 * after that feed finished.  Statuses: pending | sending | accepted | rejected | unlisted.
 * The calls to Amazon are in app/workflows/amazon-quantities.server.ts.
 */

export const AMAZON_PUSH_JOB = "amazon.pushQuantities";
export const AMAZON_POLL_FEED_JOB = "amazon.pollFeed";
/** Changes of one account within this window become one push (the markAtsChanged pattern). */
export const AMAZON_PUSH_WINDOW_MS = 2_000;
/** Rows of a FATAL feed are pending again; the next push is not sooner than this (a retired feed format fails again at once). */
export const FATAL_RETRY_DELAY_MS = 15 * 60_000;
/** A feed at Amazon not polled for this long has lost its poll chain (see recoverInterruptedFeeds). */
export const STALE_FEED_MS = 30 * 60_000;

export type ListingQuantityStatus = "pending" | "sending" | "accepted" | "rejected" | "unlisted";

export interface StoredIssue {
  code: string | null;
  message: string;
  severity: string;
  attributeName?: string | null;
}

type Q = Db | DbTx;
type Row = NonNullable<Awaited<ReturnType<Db["amazonListingQuantity"]["findFirst"]>>>;
type FeedRow = NonNullable<Awaited<ReturnType<Db["amazonFeed"]["findFirst"]>>>;

/** SQLite and Postgres both take thousands of bound values; 2 000 ids per `IN` stays well under either limit. */
const ID_CHUNK = 2_000;
const chunks = <T>(xs: readonly T[], n = ID_CHUNK): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

function accountMarketplaces(raw: string): { marketplaceId: string; channelCode: string }[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? (v as { marketplaceId: string; channelCode: string }[]).filter((m) => typeof m?.marketplaceId === "string" && typeof m?.channelCode === "string") : [];
  } catch {
    return [];
  }
}

function quantitiesEnabled(raw: string): boolean {
  try {
    return (JSON.parse(raw) as { quantities?: unknown }).quantities !== false;
  } catch {
    return true;
  }
}

/**
 * Enqueue (through the outbox, in the caller's transaction) the push of one account: every message
 * of one window shares a job dedupeKey, so a burst of ATS changes becomes one push that runs when
 * the window closes and reads the latest `desired` values.
 */
export async function scheduleAmazonPush(tx: Q, shop: string, accountId: string, now: Date, delayMs = 0) {
  const window = Math.floor((now.getTime() + delayMs) / AMAZON_PUSH_WINDOW_MS);
  await writeOutbox(tx, {
    shop,
    topic: AMAZON_PUSH_JOB,
    payload: { shop, accountId },
    jobKey: `${shop}|amazon-push|${accountId}`,
    jobDedupeKey: `amazon-push:${accountId}:${window}`,
    availableAt: new Date((window + 1) * AMAZON_PUSH_WINDOW_MS),
  });
}

export type AmazonPublishOutcome =
  | { status: "queued"; targets: number }
  | { status: "unchanged" }
  | { status: "unlisted"; message: string }
  | { status: "no_account"; message: string }
  | { status: "disabled"; message: string };

/**
 * One SKU's new ATS on one Amazon channel → `desired` of its listing in every marketplace that
 * sells through the channel.  A delist is quantity 0: a merchant-fulfilled offer with no units is
 * not buyable, and the listing (content, ASIN link) survives for when stock returns
 * (https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-use-case-guide).
 * Nothing here throws for a SKU that is not listed or a channel without an account: the ATS job
 * would only retry into the same answer.  They get a status instead (and the SKU an `unlisted` row
 * the admin page counts).
 */
export async function publishAmazonQuantity(
  deps: { db: Db; now: () => Date; logger?: Logger },
  args: AmazonPublishArgs,
): Promise<AmazonPublishOutcome> {
  const { db } = deps;
  const channel = await db.channel.findFirst({ where: { id: args.channelId, shop: args.shop }, select: { id: true, code: true } });
  if (!channel) return { status: "no_account", message: `channel ${args.channelId} does not exist in ${args.shop}` };
  const accounts = await db.amazonAccount.findMany({ where: { shop: args.shop, status: { not: "disconnected" } }, select: { id: true, marketplaces: true, features: true } });
  const linked = accounts.flatMap((a) => accountMarketplaces(a.marketplaces).filter((m) => m.channelCode === channel.code).map((m) => ({ accountId: a.id, marketplaceId: m.marketplaceId, enabled: quantitiesEnabled(a.features) })));
  if (linked.length === 0) {
    const message = `no connected Amazon account sells through channel ${channel.code}`;
    // Per SKU and frequent (every stock change on a channel not connected yet): debug only; the
    // reason is stored on the SKU's publication for that channel.
    deps.logger?.debug("amazon quantity not published", { shop: args.shop, channel: channel.code, sku: args.sku, reason: message });
    return { status: "no_account", message };
  }
  const targets = linked.filter((t) => t.enabled);
  if (targets.length === 0) return { status: "disabled", message: `quantity publishing is off for the Amazon account(s) of channel ${channel.code}` };

  const quantity = args.action === "delist" || args.quantity === null ? 0 : Math.max(0, args.quantity);
  if (!Number.isInteger(quantity)) throw new Error(`Amazon quantity for ${args.sku} must be a whole number, got ${args.quantity}`);
  const variant = await db.variant.findUnique({ where: { shop_sku: { shop: args.shop, sku: args.sku } }, select: { id: true } });
  const listing = variant ? await db.channelListing.findFirst({ where: { shop: args.shop, channelId: channel.id, variantId: variant.id, status: "active" }, select: { externalSku: true } }) : null;
  const now = deps.now();

  if (!listing) {
    const message = `SKU ${args.sku} has no active listing on channel ${channel.code} (ChannelListing with its seller SKU)`;
    for (const t of targets) {
      const key = { accountId: t.accountId, marketplaceId: t.marketplaceId, sellerSku: args.sku };
      const row = await db.amazonListingQuantity.findUnique({ where: { accountId_marketplaceId_sellerSku: key } });
      // A row of a real listing with this seller SKU (another variant's) is not ours to overwrite.
      if (row && row.status !== "unlisted") continue;
      if (row && row.desired === quantity) continue;
      const issues = JSON.stringify([{ code: "NO_LISTING", message, severity: "ERROR" } satisfies StoredIssue]);
      await db.amazonListingQuantity.upsert({
        where: { accountId_marketplaceId_sellerSku: key },
        create: { id: randomUUID(), shop: args.shop, ...key, variantId: variant?.id ?? null, desired: quantity, status: "unlisted", issues, changedAt: now },
        update: { desired: quantity, changedAt: now, issues },
      });
    }
    return { status: "unlisted", message };
  }

  let queued = 0;
  for (const t of targets) {
    const key = { accountId: t.accountId, marketplaceId: t.marketplaceId, sellerSku: listing.externalSku };
    const row = await db.amazonListingQuantity.findUnique({ where: { accountId_marketplaceId_sellerSku: key } });
    // Same value as already wanted: it is accepted, on its way, or was refused — sending it again changes nothing.
    if (row && row.status !== "unlisted" && row.desired === quantity) continue;
    // Amazon already holds it and no feed is carrying another value: nothing to send.
    const settled = !!row && row.feedId === null && row.accepted === quantity;
    await db.$transaction(async (tx) => {
      await tx.amazonListingQuantity.upsert({
        where: { accountId_marketplaceId_sellerSku: key },
        create: { id: randomUUID(), shop: args.shop, ...key, variantId: variant!.id, desired: quantity, status: "pending", changedAt: now },
        update: { desired: quantity, variantId: variant!.id, changedAt: now, status: settled ? "accepted" : "pending", issues: "[]" },
      });
      // The SKU was recorded as unlisted under its hub SKU before it got a listing with another seller SKU.
      // (Unlisted rows are keyed by the hub SKU: the unique key finds it without a scan.)
      if (listing.externalSku !== args.sku) await tx.amazonListingQuantity.deleteMany({ where: { accountId: t.accountId, marketplaceId: t.marketplaceId, sellerSku: args.sku, shop: args.shop, variantId: variant!.id, status: "unlisted" } });
      if (!settled) await scheduleAmazonPush(tx, args.shop, t.accountId, now);
    });
    if (!settled) queued++;
  }
  return queued ? { status: "queued", targets: queued } : { status: "unchanged" };
}

export type AmazonPublishArgs = Parameters<AtsPublisher["publish"]>[0];

export interface AmazonAtsPublisher extends AtsPublisher {
  /** publish() with what became of the value (the ATS job's publish() returns nothing). */
  publishWithOutcome(args: AmazonPublishArgs): Promise<AmazonPublishOutcome>;
}

/** The channel-kind "amazon" publisher for app/modules/inventory's ATS jobs. */
export function amazonAtsPublisher(deps: { db: Db; now: () => Date; logger?: Logger }): AmazonAtsPublisher {
  const publishWithOutcome = (args: AmazonPublishArgs) => publishAmazonQuantity(deps, args);
  return {
    publishWithOutcome,
    async publish(args) {
      const outcome = await publishWithOutcome(args);
      // Why the figure went nowhere is kept on the channel's publication (the SKU page shows it).
      return "message" in outcome ? { notPublished: outcome.message } : undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The push job's state changes

/**
 * Rows to send now: pending, not on a feed in flight, `desired ≠ accepted`.  Pending rows whose
 * desired value Amazon already holds (it went back to the accepted value) are settled here.
 */
export async function pendingQuantities(db: Db, shop: string, accountId: string): Promise<Row[]> {
  const rows = await db.amazonListingQuantity.findMany({ where: { shop, accountId, status: "pending", feedId: null } });
  const settled = rows.filter((r) => r.accepted === r.desired);
  for (const [value, group] of groupBy(settled, (r) => r.desired)) {
    for (const ids of chunks(group.map((r) => r.id))) await db.amazonListingQuantity.updateMany({ where: { id: { in: ids }, status: "pending", feedId: null, desired: value }, data: { status: "accepted" } });
  }
  return rows.filter((r) => r.accepted !== r.desired);
}

/**
 * What Amazon said to one patchListingsItem.  ACCEPTED: `accepted = sent`; the row is settled
 * unless `desired` moved while the call was out (then it stays pending for the next push).
 * INVALID (or a refusal): rejected with the issues, unless a newer value is waiting.
 */
export async function recordPatchOutcome(db: Db, row: Pick<Row, "id">, sent: number, outcome: { accepted: boolean; issues: StoredIssue[] }, now: Date) {
  const issues = JSON.stringify(outcome.issues);
  const common = { sent, sentAt: now, issues, ...(outcome.accepted ? { accepted: sent, acceptedAt: now } : {}) };
  const r = await db.amazonListingQuantity.updateMany({ where: { id: row.id, desired: sent, feedId: null }, data: { ...common, status: outcome.accepted ? "accepted" : "rejected" } });
  if (r.count === 0) await db.amazonListingQuantity.updateMany({ where: { id: row.id }, data: { ...common, status: "pending" } });
  return r.count === 1;
}

/** A feed about to be submitted: its row first (status building), then its SKUs marked sending with the values it carries. */
export async function startFeed(db: Db, args: { shop: string; accountId: string; marketplaceId: string; rows: { id: string; sent: number }[]; now: Date }): Promise<string> {
  const id = randomUUID();
  await db.$transaction(
    async (tx) => {
      await tx.amazonFeed.create({ data: { id, shop: args.shop, accountId: args.accountId, marketplaceId: args.marketplaceId, messageCount: args.rows.length, status: "building" } });
      for (const [sent, group] of groupBy(args.rows, (r) => r.sent)) {
        for (const ids of chunks(group.map((r) => r.id))) {
          await tx.amazonListingQuantity.updateMany({ where: { id: { in: ids }, feedId: null }, data: { status: "sending", feedId: id, sent, sentAt: args.now } });
        }
      }
    },
    { maxWait: 20_000, timeout: 60_000 },
  );
  return id;
}

/**
 * Feeds left "building" by a push that died between marking its rows and recording Amazon's answer
 * (a crash, a deploy).  Pushes of one account never overlap (one job concurrency key), so at the
 * start of a push any such feed is an orphan.  Whether Amazon got it is unknown: it is marked
 * failed and its rows are pending again — sending the same values twice sets the same quantities,
 * while leaving them would strand those SKUs behind a feed nobody polls.
 */
export async function recoverInterruptedFeeds(db: Db, shop: string, accountId: string, now: Date) {
  const orphans = await db.amazonFeed.findMany({ where: { shop, accountId, status: "building" }, select: { id: true } });
  for (const f of orphans) await feedSubmissionFailed(db, f.id, "the push stopped before Amazon's answer was recorded; its SKUs were sent again", now);
  // A submitted feed nobody has polled for STALE_FEED_MS (its poll job failed for good, e.g. while
  // the account's credentials were refused): poll it again, or its SKUs would wait forever.
  const stale = await db.amazonFeed.findMany({ where: { shop, accountId, status: { in: ["submitted", "IN_QUEUE", "IN_PROGRESS"] }, updatedAt: { lt: new Date(now.getTime() - STALE_FEED_MS) } } });
  const slot = Math.floor(now.getTime() / STALE_FEED_MS);
  for (const f of stale) await schedulePoll(db, f, slot * 1_000, now, 0);
  return { orphans: orphans.length, revived: stale.length };
}

/** Amazon took the feed: remember its id and schedule the first poll (outbox, same transaction). */
export async function feedSubmitted(db: Db, feedId: string, args: { amazonFeedId: string; documentId: string; now: Date; pollDelayMs: number }) {
  await db.$transaction(async (tx) => {
    const feed = await tx.amazonFeed.update({ where: { id: feedId }, data: { amazonFeedId: args.amazonFeedId, documentId: args.documentId, status: "submitted", submittedAt: args.now, updatedAt: args.now } });
    await schedulePoll(tx, feed, 1, args.now, args.pollDelayMs);
  });
}

export async function schedulePoll(tx: Q, feed: Pick<FeedRow, "id" | "shop" | "accountId">, poll: number, now: Date, delayMs: number) {
  await writeOutbox(tx, {
    shop: feed.shop,
    topic: AMAZON_POLL_FEED_JOB,
    payload: { shop: feed.shop, accountId: feed.accountId, feedId: feed.id, poll },
    jobKey: `${feed.shop}|amazon-feed|${feed.id}`,
    jobDedupeKey: `amazon-poll:${feed.id}:${poll}`,
    availableAt: new Date(now.getTime() + delayMs),
  });
}

/**
 * The feed never reached Amazon (throttled past the client's retries, an unknown createFeed
 * outcome): it is marked failed with the error and its SKUs are pending again.  Re-sending after
 * an unknown outcome may make a second feed with the same values, which sets the same quantities.
 */
export async function feedSubmissionFailed(db: Db, feedId: string, error: string, now: Date) {
  await db.$transaction(async (tx) => {
    await tx.amazonFeed.update({ where: { id: feedId }, data: { status: "failed", error: error.slice(0, 1_000), finishedAt: now } });
    await tx.amazonListingQuantity.updateMany({ where: { feedId }, data: { status: "pending", feedId: null } });
  });
}

/** Still IN_QUEUE / IN_PROGRESS: record it and poll again later. */
export async function feedStillRunning(db: Db, feed: FeedRow, status: string, nextPoll: number, now: Date, delayMs: number) {
  await db.$transaction(async (tx) => {
    // updatedAt on the job's clock: it is "last polled" for recoverInterruptedFeeds.
    await tx.amazonFeed.update({ where: { id: feed.id }, data: { status, updatedAt: now } });
    await schedulePoll(tx, feed, nextPoll, now, delayMs);
  });
}

export const TERMINAL_FEED_STATUSES = ["DONE", "FATAL", "CANCELLED", "failed"] as const;

/** The SKUs a feed carries, in the order their messages were numbered (seller SKU, code-unit order). */
export async function feedRows(db: Db, feedId: string) {
  const rows = await db.amazonListingQuantity.findMany({ where: { feedId }, select: { id: true, sellerSku: true, desired: true, sent: true } });
  return rows.sort((a, b) => (a.sellerSku < b.sellerSku ? -1 : a.sellerSku > b.sellerSku ? 1 : 0));
}

/**
 * A feed ended DONE: per SKU, accepted (Amazon holds `sent`) or rejected with its issues.  A SKU
 * whose `desired` moved while the feed was out becomes pending (and a push is scheduled) instead
 * of accepted/rejected.  Runs once per feed: a second poll of a finished feed changes nothing.
 */
export async function feedFinished(
  db: Db,
  feed: FeedRow,
  result: { acceptedSkus: string[]; issuesBySku: Map<string, StoredIssue[]>; rejectedSkus: string[]; resultDocumentId: string | null; feedIssues: StoredIssue[] },
  now: Date,
) {
  return db.$transaction(
    async (tx) => {
      const claimed = await tx.amazonFeed.updateMany({ where: { id: feed.id, status: { notIn: [...TERMINAL_FEED_STATUSES] } }, data: { status: "DONE", finishedAt: now, resultDocumentId: result.resultDocumentId } });
      if (claimed.count === 0) return { alreadyDone: true, accepted: 0, rejected: 0, repending: 0 };
      const rows = await tx.amazonListingQuantity.findMany({ where: { feedId: feed.id }, select: { id: true, sellerSku: true, desired: true, sent: true } });
      const bySku = new Map(rows.map((r) => [r.sellerSku, r]));
      const rejected = new Set(result.rejectedSkus);
      let accepted = 0;
      let invalid = 0;
      const acceptedRows = result.acceptedSkus.flatMap((s) => (bySku.has(s) && !rejected.has(s) ? [bySku.get(s)!] : []));
      for (const [sent, group] of groupBy(acceptedRows, (r) => r.sent!)) {
        for (const ids of chunks(group.map((r) => r.id))) {
          // Settled: Amazon holds what the hub still wants.
          const done = await tx.amazonListingQuantity.updateMany({ where: { id: { in: ids }, feedId: feed.id, desired: sent }, data: { status: "accepted", accepted: sent, acceptedAt: now, feedId: null, issues: "[]" } });
          // The rest changed while the feed was out: Amazon holds `sent`, the new value goes next.
          const moved = await tx.amazonListingQuantity.updateMany({ where: { id: { in: ids }, feedId: feed.id }, data: { status: "pending", accepted: sent, acceptedAt: now, feedId: null, issues: "[]" } });
          accepted += done.count + moved.count;
        }
      }
      for (const sku of rejected) {
        const r = bySku.get(sku);
        if (!r) continue;
        const issues = JSON.stringify(result.issuesBySku.get(sku) ?? result.feedIssues);
        const hit = await tx.amazonListingQuantity.updateMany({ where: { id: r.id, feedId: feed.id, desired: r.sent! }, data: { status: "rejected", feedId: null, issues } });
        if (hit.count === 0) await tx.amazonListingQuantity.updateMany({ where: { id: r.id, feedId: feed.id }, data: { status: "pending", feedId: null, issues } });
        invalid++;
      }
      // A SKU the report neither accepted nor rejected (it cannot happen with a complete report): send it again.
      const left = await tx.amazonListingQuantity.updateMany({ where: { feedId: feed.id }, data: { status: "pending", feedId: null } });
      await tx.amazonFeed.update({ where: { id: feed.id }, data: { accepted, invalid, ...(result.feedIssues.length ? { error: result.feedIssues.map((i) => `${i.code ?? ""} ${i.message}`.trim()).join("; ").slice(0, 1_000) } : {}) } });
      const repending = await tx.amazonListingQuantity.count({ where: { shop: feed.shop, accountId: feed.accountId, status: "pending", feedId: null } });
      if (repending > 0) await scheduleAmazonPush(tx, feed.shop, feed.accountId, now);
      return { alreadyDone: false, accepted, rejected: invalid, repending: repending, unreported: left.count };
    },
    { maxWait: 20_000, timeout: 120_000 },
  );
}

/**
 * FATAL or CANCELLED at Amazon: nothing of the feed was applied.  The error stays on the feed (the
 * admin page shows it); its SKUs are pending again and a push is scheduled after
 * FATAL_RETRY_DELAY_MS rather than at once (the same document would likely fail the same way).
 */
export async function feedFailedAtAmazon(db: Db, feed: FeedRow, status: "FATAL" | "CANCELLED", error: string, now: Date) {
  return db.$transaction(async (tx) => {
    const claimed = await tx.amazonFeed.updateMany({ where: { id: feed.id, status: { notIn: [...TERMINAL_FEED_STATUSES] } }, data: { status, error: error.slice(0, 1_000), finishedAt: now, accepted: 0, invalid: feed.messageCount } });
    if (claimed.count === 0) return { alreadyDone: true, repending: 0 };
    const r = await tx.amazonListingQuantity.updateMany({ where: { feedId: feed.id }, data: { status: "pending", feedId: null } });
    await scheduleAmazonPush(tx, feed.shop, feed.accountId, now, FATAL_RETRY_DELAY_MS);
    return { alreadyDone: false, repending: r.count };
  });
}

// ---------------------------------------------------------------------------------------------
// The admin page

export interface AmazonListingsOverview {
  total: number;
  counts: Record<ListingQuantityStatus, number>;
  feeds: { id: string; amazonFeedId: string | null; marketplaceId: string; status: string; messageCount: number; accepted: number | null; invalid: number | null; error: string | null; createdAt: string; finishedAt: string | null }[];
  rejected: { sellerSku: string; marketplaceId: string; desired: number; sent: number | null; accepted: number | null; issues: StoredIssue[]; changedAt: string }[];
  /** Rejected rows beyond the ones listed. */
  moreRejected: number;
}

function parseIssues(raw: string): StoredIssue[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? (v as StoredIssue[]) : [];
  } catch {
    return [{ code: null, message: raw, severity: "ERROR" }];
  }
}

/** Counts by status, the latest feeds, and the rejected SKUs with Amazon's issues — for one account of one shop. */
export async function amazonListingsOverview(db: Db, shop: string, accountId: string, opts: { feeds?: number; rejected?: number } = {}): Promise<AmazonListingsOverview> {
  const where = { shop, accountId };
  const [groups, feeds, rejected, rejectedCount] = await Promise.all([
    db.amazonListingQuantity.groupBy({ by: ["status"], where, _count: { _all: true } }),
    db.amazonFeed.findMany({ where, orderBy: [{ createdAt: "desc" }], take: opts.feeds ?? 10 }),
    db.amazonListingQuantity.findMany({ where: { ...where, status: "rejected" }, orderBy: [{ changedAt: "desc" }, { sellerSku: "asc" }], take: opts.rejected ?? 50 }),
    db.amazonListingQuantity.count({ where: { ...where, status: "rejected" } }),
  ]);
  const counts: Record<ListingQuantityStatus, number> = { pending: 0, sending: 0, accepted: 0, rejected: 0, unlisted: 0 };
  let total = 0;
  for (const g of groups) {
    counts[g.status as ListingQuantityStatus] = (counts[g.status as ListingQuantityStatus] ?? 0) + g._count._all;
    total += g._count._all;
  }
  return {
    total,
    counts,
    feeds: feeds.map((f) => ({
      id: f.id,
      amazonFeedId: f.amazonFeedId,
      marketplaceId: f.marketplaceId,
      status: f.status,
      messageCount: f.messageCount,
      accepted: f.accepted,
      invalid: f.invalid,
      error: f.error,
      createdAt: f.createdAt.toISOString(),
      finishedAt: f.finishedAt?.toISOString() ?? null,
    })),
    rejected: rejected.map((r) => ({ sellerSku: r.sellerSku, marketplaceId: r.marketplaceId, desired: r.desired, sent: r.sent, accepted: r.accepted, issues: parseIssues(r.issues), changedAt: r.changedAt.toISOString() })),
    moreRejected: Math.max(0, rejectedCount - rejected.length),
  };
}
