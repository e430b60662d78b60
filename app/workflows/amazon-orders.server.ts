import type { SpApiClient } from "#connectors/amazon/client/sp-api-client";
import type { OrdersCheckpoint } from "#connectors/amazon/client/paging";
import { AmazonPayloadError, mapAmazonOrder, mapOrderChangeNotification, parseAmazonOrder, type MappedAmazonOrder } from "#connectors/amazon/mappers/index";
import { amazonCredentials, loadOrdersCheckpoint, markAmazonAccountError, parseFeatures, parseMarketplaces, saveOrdersCheckpoint, recordOrdersRunError, type AmazonCredentials } from "#app/modules/amazon/index";
import { isConnectorError } from "#connectors/core/errors";
import { sellerSkuMap } from "#app/modules/inventory/index";
import { appendOrderEvent, applyOrderFacts, cancelOrder, findOrderByExternalId, intakeOrder, isOlderThanApplied, recordOrderWithoutStock, requestOrderHold, type OrdersDeps } from "#app/modules/orders/index";
import type { SecretBox } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { recordInboundEvent, recordQuarantinedEvent, type InboundEventRow } from "#app/platform/inbound-events.server";
import type { Logger } from "#app/platform/logger.server";

/**
 * Amazon orders in (issue 6 item 3).
 *
 *  - `amazon.pollOrders` (per account, repeated): searchOrders by lastUpdatedTime from a watermark,
 *    page by page; the checkpoint (window + page token + when it was issued) is stored after each
 *    page's orders are applied, so a crash resumes at the next page, an expired (24 h) token
 *    restarts the window, and the window always ends 2 minutes before now (Amazon's rule):
 *    connectors/amazon/client/paging.ts.
 *  - ORDER_CHANGE notifications (the SQS message body) are stored as inbound events keyed by their
 *    NotificationId (a redelivery is a no-op) and processed like webhooks: one getOrder for that
 *    order.  Polling stays the backstop for a lost notification.
 *  - Each order: MFN → the hub's intake (reserve → route → created once in Shopify by the
 *    `shopify.createOrder` job the routing outbox queues, attributed to the marketplace's
 *    channel); AFN (FBA) → recorded for visibility, no stock held; cancelled at Amazon →
 *    released; a buyer's cancellation request → its Shopify fulfillment put on hold and on the
 *    timeline, for a person to cancel in Seller Central or release and ship.
 *    Updates older than the last applied one are ignored (lastUpdatedTime).
 *  - An order the hub cannot take (a malformed body, no seller SKU it knows) is stored as a
 *    quarantined inbound event with the reason, never dropped: `./oms events` and the
 *    connections page show it.
 */
export const AMAZON_POLL_ORDERS_JOB = "amazon.pollOrders";
const SOURCE = "amazon";
const ACTOR = "amazon-orders";
/** The first poll of a new connection looks this far back (orders placed before it are Amazon's to show). */
export const FIRST_POLL_LOOKBACK_MS = 24 * 60 * 60_000;
/** What searchOrders should include: items and the facts the mapper reads (Orders API 2026-01-01 `includedData`). */
const INCLUDED_DATA = ["RECIPIENT", "FULFILLMENT", "PROCEEDS", "CANCELLATION"];

export interface AmazonOrdersDeps {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  now: () => Date;
  clientFor: (creds: AmazonCredentials) => SpApiClient;
}

export interface PollReport {
  pages: number;
  seen: number;
  takenIn: number;
  recorded: number;
  unchanged: number;
  cancelled: number;
  quarantined: number;
  /** Quarantined orders taken in on this poll (their listing was linked meanwhile). */
  retried: number;
  restarted: boolean;
}

export type ApplyOutcome = "taken_in" | "recorded" | "unchanged" | "older" | "updated" | "cancelled" | "quarantined";

const ordersDeps = (deps: AmazonOrdersDeps): OrdersDeps => ({ db: deps.db, now: deps.now, logger: deps.logger });

/** The job `amazon.pollOrders`: every order updated since the watermark, page by page. */
export async function pollAmazonOrders(deps: AmazonOrdersDeps, job: { shop: string; accountId: string }, opts: { signal?: AbortSignal } = {}): Promise<PollReport | { skipped: string }> {
  const creds = await amazonCredentials(deps, job.shop, job.accountId);
  if (!creds.features.orders) return { skipped: "orders are off for this account" };
  const client = deps.clientFor(creds);
  const stored = await loadOrdersCheckpoint(deps.db, job.shop, job.accountId);
  const checkpoint: OrdersCheckpoint = stored ?? {
    by: "lastUpdated",
    after: new Date(deps.now().getTime() - FIRST_POLL_LOOKBACK_MS).toISOString().replace(/\.\d{3}Z$/, "Z"),
    before: null,
    paginationToken: null,
    tokenIssuedAtMs: null,
  };
  const report: PollReport = { pages: 0, seen: 0, takenIn: 0, recorded: 0, unchanged: 0, cancelled: 0, quarantined: 0, retried: 0, restarted: false };
  const channels = Object.fromEntries(creds.marketplaces.map((m) => [m.marketplaceId, m.channelCode]));
  report.retried = await retryQuarantinedOrders(deps, job.shop, channels);
  try {
    for await (const page of client.searchOrdersPages({ checkpoint, filters: { marketplaceIds: creds.marketplaceIds, includedData: INCLUDED_DATA, maxResultsPerPage: 100 } })) {
      opts.signal?.throwIfAborted();
      report.pages++;
      report.restarted ||= page.restarted;
      for (const raw of page.orders) {
        report.seen++;
        const outcome = await applyAmazonOrder(deps, job.shop, channels, raw);
        if (outcome === "taken_in") report.takenIn++;
        else if (outcome === "recorded") report.recorded++;
        else if (outcome === "cancelled") report.cancelled++;
        else if (outcome === "quarantined") report.quarantined++;
        else report.unchanged++;
      }
      // After the page's orders are applied: a crash before this line re-reads the page (applying is idempotent).
      await saveOrdersCheckpoint(deps.db, job.shop, job.accountId, page.checkpoint, deps.now());
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await recordOrdersRunError(deps.db, job.shop, job.accountId, message, deps.now());
    // Credentials Amazon no longer accepts (revoked, app unauthorised): the merchant must act; the page says so.
    if (isConnectorError(e) && e.code === "AUTH") await markAmazonAccountError(deps.db, job.shop, job.accountId, message);
    throw e;
  }
  if (report.seen > 0) deps.logger.info("amazon orders polled", { shop: job.shop, accountId: job.accountId, ...report });
  return report;
}

/** The inbound-event topic of an ORDER_CHANGE notification (processed by `amazonInboundHandlers`). */
export const AMAZON_ORDER_CHANGE_TOPIC = "amazon/order_change";
export const AMAZON_NOTIFICATION_SOURCE = "amazon.notification";

/**
 * Why a notification was not taken: `unreadable` — not an ORDER_CHANGE notification the mapper can
 * read (a malformed body); `unknown_seller` — no live account for its seller (disconnected, or
 * another deployment's seller on a shared queue); `orders_off` — every account of the seller has
 * orders switched off (polling would not read it either); `other_marketplace` — no account of the
 * seller with orders on sells in that marketplace here.
 */
export type NotificationRejection = "unreadable" | "unknown_seller" | "orders_off" | "other_marketplace";

/**
 * Take an ORDER_CHANGE notification in (the SQS message body), for every account it concerns:
 * the live accounts with orders on whose seller id it names and that list its marketplace.
 * Several shops may connect the same seller (they share one subscription, see
 * amazon-notifications.server.ts): with different marketplaces, each notification reaches the shop
 * that lists its marketplace; when more than one lists it, each of them gets it — exactly what
 * each shop's own polling of that marketplace would read, only sooner (the hub does not choose
 * between tenants, and cannot tell one shop about another).  For each, it is stored under its
 * NotificationId in that shop — SQS delivers at least once, so a redelivery is a no-op — and
 * processed like a webhook (one getOrder, then apply).  `accepted` means stored durably for every
 * one of them (the committed InboundEvents), so the caller may delete it from the queue; a failure
 * part way leaves it on the queue, and the redelivery finds the ones already stored as duplicates.
 */
export async function acceptOrderChangeNotification(
  deps: Pick<AmazonOrdersDeps, "db" | "logger" | "now">,
  body: unknown,
): Promise<{ accepted: boolean; duplicate: boolean; orderId?: string; reason?: string; rejected?: NotificationRejection; accounts?: { shop: string; accountId: string; duplicate: boolean }[] }> {
  let trigger;
  try {
    trigger = mapOrderChangeNotification(body);
  } catch (e) {
    if (e instanceof AmazonPayloadError) return { accepted: false, duplicate: false, reason: e.message, rejected: "unreadable" };
    throw e;
  }
  const accounts = await deps.db.amazonAccount.findMany({
    where: { sellerId: trigger.sellerId, status: { in: ["connected", "error"] } },
    select: { id: true, shop: true, marketplaces: true, features: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  if (!accounts.length) return { accepted: false, duplicate: false, orderId: trigger.orderId, reason: `no connected account for seller ${trigger.sellerId}`, rejected: "unknown_seller" };
  const ordersOn = accounts.filter((a) => parseFeatures(a.features).orders);
  if (!ordersOn.length) return { accepted: false, duplicate: false, orderId: trigger.orderId, reason: `orders are off for every account of seller ${trigger.sellerId}`, rejected: "orders_off" };
  const sells = (a: (typeof accounts)[number], marketplaceId: string) => parseMarketplaces(a.marketplaces).some((m) => m.marketplaceId === marketplaceId);
  // Without a marketplace in the notification, each account checks the order's own after getOrder.
  const targets = trigger.marketplaceId ? ordersOn.filter((a) => sells(a, trigger.marketplaceId!)) : ordersOn;
  if (!targets.length) return { accepted: false, duplicate: false, orderId: trigger.orderId, reason: `seller ${trigger.sellerId} is not connected for marketplace ${trigger.marketplaceId}`, rejected: "other_marketplace" };
  const stored: { shop: string; accountId: string; duplicate: boolean }[] = [];
  for (const account of targets) {
    const r = await recordInboundEvent(deps.db, {
      shop: account.shop,
      source: AMAZON_NOTIFICATION_SOURCE,
      externalId: trigger.notificationId,
      topic: AMAZON_ORDER_CHANGE_TOPIC,
      payload: JSON.stringify({ accountId: account.id, orderId: trigger.orderId, changeType: trigger.changeType, body }),
      occurredAt: trigger.changedAt,
    });
    stored.push({ shop: account.shop, accountId: account.id, duplicate: r.duplicate });
  }
  return { accepted: true, duplicate: stored.every((x) => x.duplicate), orderId: trigger.orderId, accounts: stored };
}

/** Inbound-event handlers ("source:topic"): an ORDER_CHANGE notification → getOrder → apply.  Polling is the backstop. */
export function amazonInboundHandlers(deps: AmazonOrdersDeps): Record<string, (event: InboundEventRow) => Promise<void>> {
  return {
    [`${AMAZON_NOTIFICATION_SOURCE}:${AMAZON_ORDER_CHANGE_TOPIC}`]: async (event) => {
      const { accountId, orderId } = JSON.parse(event.payload) as { accountId: string; orderId: string };
      const creds = await amazonCredentials(deps, event.shop, accountId);
      if (!creds.features.orders) return;
      const { order } = await deps.clientFor(creds).getOrder(orderId, { includedData: INCLUDED_DATA });
      // A notification that named no marketplace went to every account of the seller: each takes
      // the order only if it lists the order's marketplace, as its polling would.
      const marketplaceId = (order as { salesChannel?: { marketplaceId?: unknown } } | null)?.salesChannel?.marketplaceId;
      if (typeof marketplaceId === "string" && !creds.marketplaces.some((m) => m.marketplaceId === marketplaceId)) {
        deps.logger.info("amazon order change: the order's marketplace is not this account's", { shop: event.shop, accountId, orderId, marketplaceId });
        return;
      }
      const channels = Object.fromEntries(creds.marketplaces.map((m) => [m.marketplaceId, m.channelCode]));
      await applyAmazonOrder(deps, event.shop, channels, order);
    },
  };
}

/** Apply one Amazon order (a searchOrders row or a getOrder answer) to the hub. */
export async function applyAmazonOrder(deps: AmazonOrdersDeps, shop: string, channelByMarketplace: Record<string, string>, raw: unknown): Promise<ApplyOutcome> {
  const orderId = typeof (raw as { orderId?: unknown } | null)?.orderId === "string" ? (raw as { orderId: string }).orderId : "unknown";
  let mapped: MappedAmazonOrder;
  try {
    mapped = mapAmazonOrder(parseAmazonOrder(raw), { channelOverrides: channelByMarketplace });
  } catch (e) {
    if (!(e instanceof AmazonPayloadError)) throw e;
    return quarantine(deps, shop, orderId, raw, `Amazon's order could not be read: ${e.message}`);
  }
  const intake = mapped.intake;

  // Seller SKUs → the hub's SKUs through the channel's listings.
  const skus = await sellerSkuMap(deps.db, shop, intake.channel, intake.lines.map((l) => l.sku));
  const unknown = intake.lines.filter((l) => !skus.has(l.sku)).map((l) => l.sku);
  if (unknown.length) return quarantine(deps, shop, orderId, raw, `no listing on channel ${intake.channel} for seller SKU ${unknown.join(", ")}: link it on the SKU's page, then the next poll takes the order in`);
  const hubIntake = { ...intake, lines: intake.lines.map((l) => ({ ...l, sku: skus.get(l.sku)! })) };

  const existing = await findOrderByExternalId(deps.db, shop, intake.externalOrderId);
  if (existing) {
    if (isOlderThanApplied(existing, mapped.updatedAt)) return "older";
    const { applied } = await applyOrderFacts(deps.db, shop, existing.id, { updatedAt: mapped.updatedAt, fulfillmentStatus: mapped.status });
    if (!applied) return "older";
    if (mapped.cancelled && existing.status !== "cancelled") {
      await cancelOrder(ordersDeps(deps), shop, existing.id, { reason: "cancelled at Amazon", actor: ACTOR });
      await event(deps, shop, existing.id, "amazon.order_cancelled", mapped, `${intake.externalOrderId}:cancelled`);
      return "cancelled";
    }
    if (mapped.cancellationRequested) await onCancellationRequested(deps, shop, existing.id, mapped);
    return "updated";
  }
  if (mapped.cancelled) {
    // Cancelled before the hub ever saw it: history only, nothing to hold.
    const r = await recordOrderWithoutStock(ordersDeps(deps), shop, hubIntake, { status: "cancelled", reason: "cancelled at Amazon before the hub saw it", actor: ACTOR });
    await applyOrderFacts(deps.db, shop, r.orderId, { updatedAt: mapped.updatedAt, fulfillmentStatus: mapped.status });
    return "recorded";
  }
  if (mapped.recordOnly) {
    // Fulfilled by Amazon from its own stock: shown in the hub's orders, no hub stock held or routed.
    const r = await recordOrderWithoutStock(ordersDeps(deps), shop, hubIntake, { status: "fulfilled_by_channel", reason: "fulfilled by Amazon (FBA)", actor: ACTOR });
    await applyOrderFacts(deps.db, shop, r.orderId, { updatedAt: mapped.updatedAt, fulfillmentStatus: mapped.status });
    if (!r.duplicate) await event(deps, shop, r.orderId, "amazon.order_recorded", mapped, `${intake.externalOrderId}:recorded`);
    return r.duplicate ? "unchanged" : "recorded";
  }
  let result;
  try {
    result = await intakeOrder(ordersDeps(deps), shop, hubIntake, ACTOR);
  } catch (e) {
    if (e instanceof DomainError && e.kind === "INVALID") return quarantine(deps, shop, orderId, raw, `the hub refused the order: ${e.message}`);
    throw e;
  }
  await applyOrderFacts(deps.db, shop, result.orderId, { updatedAt: mapped.updatedAt, fulfillmentStatus: mapped.status });
  if (!result.duplicate) {
    await event(deps, shop, result.orderId, "amazon.order_received", mapped, `${intake.externalOrderId}:received`);
    if (mapped.cancellationRequested) await onCancellationRequested(deps, shop, result.orderId, mapped);
  }
  return result.duplicate ? "unchanged" : "taken_in";
}

/**
 * Orders kept back earlier (an unknown seller SKU, a refusal) are tried again on each poll: once
 * the merchant links the listing, the order comes in without anyone replaying anything.  The
 * watermark has long moved past them, so searchOrders alone would never bring them back.
 */
const RETRY_BATCH = 50;
async function retryQuarantinedOrders(deps: AmazonOrdersDeps, shop: string, channels: Record<string, string>): Promise<number> {
  const kept = await deps.db.inboundEvent.findMany({ where: { shop, source: "amazon.order", status: "quarantined" }, orderBy: { receivedAt: "asc" }, take: RETRY_BATCH });
  let retried = 0;
  for (const e of kept) {
    const outcome = await applyAmazonOrder(deps, shop, channels, JSON.parse(e.payload) as unknown);
    if (outcome === "quarantined") continue;
    await deps.db.inboundEvent.update({ where: { id: e.id }, data: { status: "processed", error: null, processedAt: deps.now(), attempts: { increment: 1 } } });
    retried++;
  }
  return retried;
}

/**
 * A buyer asked Amazon to cancel: the seller decides — cancel in Seller Central (the cancellation
 * then comes back and releases the stock) or ship anyway.  Until then nobody should ship it, so
 * the order's Shopify fulfillment orders are put on hold (this app's hold, released from the order
 * page), once per request.  An order not in Shopify yet only gets the timeline entry.
 */
async function onCancellationRequested(deps: AmazonOrdersDeps, shop: string, orderId: string, m: MappedAmazonOrder) {
  const { appended } = await event(deps, shop, orderId, "amazon.cancellation_requested", m, `${m.intake.externalOrderId}:cancel-request`);
  if (!appended) return;
  try {
    await requestOrderHold({ db: deps.db, now: deps.now }, shop, orderId, { reason: "OTHER", note: "Amazon: the buyer asked to cancel. Cancel it in Seller Central, or release this hold to ship.", actor: ACTOR });
  } catch (e) {
    // Not in Shopify yet, already held, nothing open: the timeline entry is what a person acts on.
    if (!(e instanceof DomainError)) throw e;
    deps.logger.info("amazon cancellation request: no hold placed", { shop, orderId, reason: e.message });
  }
}

async function event(deps: AmazonOrdersDeps, shop: string, orderId: string, kind: string, m: MappedAmazonOrder, sourceEventId: string) {
  return appendOrderEvent(deps.db, {
    shop,
    orderId,
    kind,
    source: SOURCE,
    occurredAt: m.updatedAt,
    subjectId: m.intake.externalOrderId,
    sourceEventId,
    summary: { amazonOrderId: m.intake.externalOrderId, fulfillment: m.fulfillmentChannel, status: m.status, lines: m.intake.lines.length, skippedLines: m.skippedLines.length },
  });
}

async function quarantine(deps: AmazonOrdersDeps, shop: string, orderId: string, raw: unknown, reason: string): Promise<ApplyOutcome> {
  const updated = typeof (raw as { lastUpdatedTime?: unknown } | null)?.lastUpdatedTime === "string" ? (raw as { lastUpdatedTime: string }).lastUpdatedTime : "";
  await recordQuarantinedEvent(deps.db, {
    shop,
    source: "amazon.order",
    externalId: `${orderId}@${updated}`,
    topic: "amazon/order",
    payload: JSON.stringify(raw),
    occurredAt: updated ? new Date(updated) : null,
    now: deps.now(),
    error: reason,
  });
  deps.logger.warn("amazon order quarantined", { shop, amazonOrderId: orderId, reason });
  return "quarantined";
}
