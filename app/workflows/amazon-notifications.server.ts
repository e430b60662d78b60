import type { NotificationSubscription, SpApiApp, SpApiAppClient, SpApiClient } from "#connectors/amazon/client/sp-api-client";
import type { MessageMeta, MessageVerdict } from "#connectors/amazon/sqs/index";
import { isConnectorError } from "#connectors/core/errors";
import {
  amazonCredentials,
  applicationsInUse,
  desiredSubscription,
  finishNotificationsDrop,
  findNotificationDestination,
  loadNotificationsState,
  notificationsDropTarget,
  planSubscription,
  recordNotificationsState,
  recheckNotifications,
  refusesMarketplaceFilter,
  saveNotificationDestination,
  sharedSubscriptionNeeds,
  shareSubscription,
  subscriptionGroup,
  ORDER_CHANGE_PAYLOAD_VERSION,
  type AmazonCredentials,
} from "#app/modules/amazon/index";
import type { SecretBox } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import { isDomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";
import { acceptOrderChangeNotification } from "./amazon-orders.server";

/**
 * ORDER_CHANGE notifications, end to end (docs/decisions/015-amazon-notifications-sqs.md):
 *
 *  - `createNotificationDestinations` (the operator's `oms amazon-destination`): one SQS destination
 *    per LWA application and region (createDestination is grantless: the application's own call),
 *    stored in AmazonNotificationDestination;
 *  - `ensureOrderNotifications` (job `amazon.ensureNotifications`, after a connect or edit, and
 *    when the scheduler finds an account due): the seller's subscription to ORDER_CHANGE at that
 *    destination for the marketplaces of every account sharing it — getSubscription, then keep /
 *    create / replace;
 *  - `dropOrderNotifications` (job `amazon.dropNotifications`, after a disconnect): deleteSubscriptionById,
 *    unless another connected account with orders on shares the seller's subscription;
 *  - `handleOrderChangeMessage`: what the SQS consumer does with one message body —
 *    acceptOrderChangeNotification stores it (deduplicated on NotificationId) and the inbound
 *    processor fetches the order.
 *
 * None of it is needed for orders to arrive: polling (OMS_AMAZON_POLL_MS) is the backstop, and every
 * failure here is recorded on the account with what to do about it.
 */
const NOTIFICATION_TYPE = "ORDER_CHANGE" as const;

export interface AmazonNotificationsDeps {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  now: () => Date;
  clientFor: (creds: AmazonCredentials) => SpApiClient;
  appClientFor: (app: SpApiApp) => SpApiAppClient;
  /** For messages: how often polling runs, to say so. */
  pollEveryMs?: number;
  /** AMAZON_SANDBOX_URL is set: the demo hands the peer's notifications over directly, no queue involved. */
  sandbox?: boolean;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export type EnsureReport =
  | { outcome: "skipped"; reason: string }
  | { outcome: "off"; reason: string }
  | { outcome: "kept" | "created" | "replaced"; subscriptionId: string; destinationId: string; marketplaceFilter: boolean }
  | { outcome: "failed"; message: string };

/**
 * The job `amazon.ensureNotifications`: make the seller's ORDER_CHANGE subscription what the
 * accounts sharing it need, and record where this account stands.
 *
 * Amazon keeps one subscription per (seller, application, notification type): when two shops
 * connect the same seller through the same application and region, they share it.  So the
 * subscription is planned for the whole group (subscriptionGroup): the union of the marketplaces of
 * every account with orders on (sharedSubscriptionNeeds) — any member's check plans the same, so
 * the shops never replace it in turn — and deleted only when no account of the group has orders
 * on.  An account with orders off just records its own status ("off").
 */
export async function ensureOrderNotifications(deps: AmazonNotificationsDeps, job: { shop: string; accountId: string }): Promise<EnsureReport> {
  const { shop, accountId } = job;
  let creds;
  try {
    creds = await amazonCredentials(deps, shop, accountId);
  } catch (e) {
    if (isDomainError(e) && e.kind === "NOT_FOUND") return { outcome: "skipped", reason: "the account is not connected" };
    throw e;
  }
  const polling = `orders still arrive by polling every ${minutes(deps.pollEveryMs ?? 180_000)}`;
  const state = await loadNotificationsState(deps.db, shop, accountId);
  const client = deps.clientFor(creds);
  const record = (s: Parameters<typeof recordNotificationsState>[3]) => recordNotificationsState(deps.db, shop, accountId, s, deps.now());
  const group = await subscriptionGroup(deps.db, creds);
  // This account as it is now (its row may have changed since the group was read: use the credentials' view).
  const members = [...group.filter((m) => m.id !== accountId), { id: accountId, ordersOn: creds.features.orders, marketplaceIds: creds.marketplaceIds }];
  const needs = sharedSubscriptionNeeds(members);
  const othersOn = needs.accountIds.filter((id) => id !== accountId);

  try {
    if (!needs.needed) {
      // Nobody here has orders on: a subscription would only bring notifications the hub drops.
      // Amazon is asked only when one is on record (this account's, or another member's).
      if (state?.subscriptionId || group.some((m) => m.subscriptionId)) {
        const current = await client.getSubscription(NOTIFICATION_TYPE, { payloadVersion: ORDER_CHANGE_PAYLOAD_VERSION });
        if (current) await client.deleteSubscriptionById(NOTIFICATION_TYPE, current.subscriptionId);
      }
      const reason = "Orders are off for this account, so it has no ORDER_CHANGE subscription.";
      await record({ status: "off", subscriptionId: null, destinationId: null, message: reason });
      return { outcome: "off", reason };
    }
    const ordersOffButShared = `Orders are off for this account. Seller ${creds.sellerId}'s ORDER_CHANGE subscription stays: ${othersOn.length === 1 ? "another connected account uses" : `${othersOn.length} other connected accounts use`} it, and it covers their marketplaces only.`;
    const destination = await findNotificationDestination(deps.db, creds.lwaClientId, creds.region);
    if (!destination) {
      if (!creds.features.orders) {
        await record({ status: "off", subscriptionId: null, destinationId: null, message: ordersOffButShared });
        return { outcome: "off", reason: ordersOffButShared };
      }
      const reason = deps.sandbox
        ? "Sandbox: the Amazon sandbox peer's ORDER_CHANGE notifications are handed to the hub directly, so no SQS subscription is made."
        : `Notifications are off: no SQS destination is set up for this account's LWA application in region ${creds.region}. The operator runs \`oms amazon-destination --sqs-arn <queue ARN>\` once (see README: Amazon notifications); meanwhile ${polling}.`;
      await record({ status: "off", message: reason });
      return { outcome: "off", reason };
    }
    const made = await makeSubscription(deps, client, { destinationId: destination.destinationId, marketplaceIds: needs.marketplaceIds }, { shop, accountId });
    // The others relying on it record the id that now exists (a replace gives a new one).
    await shareSubscription(deps.db, othersOn, { subscriptionId: made.subscription.subscriptionId, destinationId: destination.destinationId });
    if (!creds.features.orders) {
      await record({ status: "off", subscriptionId: null, destinationId: null, message: ordersOffButShared });
      return { outcome: "off", reason: ordersOffButShared };
    }
    await record({ status: "subscribed", subscriptionId: made.subscription.subscriptionId, destinationId: destination.destinationId, message: made.note });
    return { outcome: made.outcome, subscriptionId: made.subscription.subscriptionId, destinationId: destination.destinationId, marketplaceFilter: made.marketplaceFilter };
  } catch (e) {
    const message = failureMessage(e, creds, polling);
    await record({ status: "failed", message });
    deps.logger.warn("amazon notifications: subscription failed", { shop, accountId, err: errorText(e), code: isConnectorError(e) ? e.code : null });
    // Not rethrown: the scheduler retries after a growing delay (3 min … 6 h), shown on the page.
    return { outcome: "failed", message };
  }
}

/** getSubscription, then keep / create / replace it so it delivers the group's marketplaces to the destination. */
async function makeSubscription(
  deps: AmazonNotificationsDeps,
  client: SpApiClient,
  want: { destinationId: string; marketplaceIds: string[] },
  log: { shop: string; accountId: string },
): Promise<{ outcome: "kept" | "created" | "replaced"; subscription: NotificationSubscription; marketplaceFilter: boolean; note: string | null }> {
  const current = await client.getSubscription(NOTIFICATION_TYPE, { payloadVersion: ORDER_CHANGE_PAYLOAD_VERSION });
  let desired = desiredSubscription(want);
  const plan = planSubscription(current, desired);
  if (plan.action === "keep") return { outcome: "kept", subscription: current!, marketplaceFilter: !!current!.processingDirective?.eventFilter?.marketplaceIds?.length, note: null };
  if (plan.action === "replace") {
    deps.logger.info("amazon notifications: replacing the subscription", { ...log, subscriptionId: plan.subscriptionId, why: plan.why });
    await client.deleteSubscriptionById(NOTIFICATION_TYPE, plan.subscriptionId);
  }
  let created: NotificationSubscription;
  let note: string | null = null;
  try {
    created = await createOrAdopt(client, desired);
  } catch (e) {
    if (!(isConnectorError(e) && refusesMarketplaceFilter({ kind: e.kind, message: e.message }))) throw e;
    // Amazon's model allows a marketplace filter on ORDER_CHANGE; if Amazon refuses it after all,
    // every marketplace is next best: notifications for other marketplaces are dropped on arrival.
    desired = desiredSubscription({ ...want, marketplaceFilter: false });
    created = await createOrAdopt(client, desired);
    note = `Amazon refused the marketplace filter (${e.message}); subscribed for every marketplace, and notifications for marketplaces this account does not list are ignored.`;
    deps.logger.warn("amazon notifications: subscribed without the marketplace filter", { ...log, err: e.message });
  }
  deps.logger.info("amazon notifications: subscribed", { ...log, subscriptionId: created.subscriptionId, destinationId: want.destinationId, marketplaces: want.marketplaceIds, replaced: plan.action === "replace" });
  return { outcome: plan.action === "replace" ? "replaced" : "created", subscription: created, marketplaceFilter: !!desired.processingDirective.eventFilter.marketplaceIds, note };
}

/** createSubscription; a 409 means one appeared meanwhile (another worker, a retry): adopt it if it fits. */
async function createOrAdopt(client: SpApiClient, desired: ReturnType<typeof desiredSubscription>): Promise<NotificationSubscription> {
  try {
    return await client.createSubscription(NOTIFICATION_TYPE, desired);
  } catch (e) {
    if (!(isConnectorError(e) && e.code === "CONFLICT")) throw e;
    const existing = await client.getSubscription(NOTIFICATION_TYPE, { payloadVersion: desired.payloadVersion });
    if (existing && planSubscription(existing, desired).action === "keep") return existing;
    throw e;
  }
}

function failureMessage(e: unknown, creds: AmazonCredentials, polling: string): string {
  const what = `Subscribing seller ${creds.sellerId} to ORDER_CHANGE failed`;
  if (isConnectorError(e)) {
    if (e.code === "AUTH") return `${what}: Amazon refused the credentials or the application's access (${e.message}). Check the application's authorisation in Seller Central, then save the account again; ${polling}.`;
    if (e.code === "NOT_FOUND" || (e.kind === "INVALID" && /destination/i.test(e.message))) {
      return `${what}: Amazon does not know the destination (${e.message}). Run \`oms amazon-destination\` again for LWA application ${creds.lwaClientId} in ${creds.region}; ${polling}.`;
    }
    if (e.retryable) return `${what}: Amazon did not answer (${e.message}); it is tried again automatically, and ${polling}.`;
    return `${what}: ${e.message}. Fix what Amazon names, then save the account again; ${polling}.`;
  }
  return `${what}: ${errorText(e)}; it is tried again automatically, and ${polling}.`;
}

/**
 * The job `amazon.dropNotifications`, after a disconnect: delete the seller's subscription (a
 * grantless call with the application's credentials, kept sealed until now), then destroy them.
 * Failures are retried by the job runner; after the last attempt the secret is destroyed anyway and
 * the account says what Amazon still has.  When another live account (any shop) with orders on connects the same
 * seller through the same application, the subscription is theirs too and stays.
 */
export async function dropOrderNotifications(deps: AmazonNotificationsDeps, job: { shop: string; accountId: string }, ctx: { attempt: number; maxAttempts: number }) {
  const target = await notificationsDropTarget(deps, job.shop, job.accountId);
  if (!target) return { skipped: "nothing to unsubscribe (reconnected, or already done)" };
  const sharing = sharedSubscriptionNeeds((await subscriptionGroup(deps.db, target)).filter((m) => m.id !== target.accountId));
  if (sharing.needed) {
    // Theirs too: it stays, and their next check narrows it to their marketplaces.
    await finishNotificationsDrop(deps.db, job.shop, job.accountId, { ok: true }, deps.now());
    await recheckNotifications(deps.db, sharing.accountIds);
    return { kept: "another connected account uses the same seller subscription" };
  }
  try {
    const r = await deps.appClientFor({ region: target.region, lwaClientId: target.lwaClientId, lwaClientSecret: target.lwaClientSecret }).deleteSubscriptionById(NOTIFICATION_TYPE, target.subscriptionId);
    await finishNotificationsDrop(deps.db, job.shop, job.accountId, { ok: true }, deps.now());
    deps.logger.info("amazon notifications: unsubscribed", { shop: job.shop, accountId: job.accountId, subscriptionId: target.subscriptionId, alreadyGone: !r.deleted });
    return { deleted: r.deleted };
  } catch (e) {
    if (ctx.attempt < ctx.maxAttempts && !(isConnectorError(e) && !e.retryable)) throw e;
    const message = `Amazon still has ORDER_CHANGE subscription ${target.subscriptionId} for seller ${target.sellerId}: deleting it failed (${errorText(e)}). Its notifications still reach the queue and the hub ignores them; to delete it, reconnect the account and disconnect it again.`;
    await finishNotificationsDrop(deps.db, job.shop, job.accountId, { ok: false, message }, deps.now());
    deps.logger.warn("amazon notifications: unsubscribe failed for good", { shop: job.shop, accountId: job.accountId, subscriptionId: target.subscriptionId, err: errorText(e) });
    return { failed: message };
  }
}

export interface DestinationReport {
  lwaClientId: string;
  region: string;
  destinationId: string;
  /** False: Amazon already had a destination for this queue (found with getDestinations) and it is reused. */
  created: boolean;
  /** Accounts whose subscription is now being checked. */
  accounts: number;
}

/**
 * `oms amazon-destination`: for each LWA application and region of the live accounts (or the one
 * asked for), make sure Amazon has a destination for the SQS queue and record its id.  Idempotent:
 * an existing destination with the same ARN is reused, so running it again changes nothing.
 */
export async function createNotificationDestinations(deps: AmazonNotificationsDeps, args: { sqsArn: string; name?: string; lwaClientId?: string; region?: string }): Promise<DestinationReport[]> {
  const apps = (await applicationsInUse(deps.db)).filter((a) => (!args.lwaClientId || a.lwaClientId === args.lwaClientId) && (!args.region || a.region === args.region));
  const reports: DestinationReport[] = [];
  for (const app of apps) {
    // The application's secret is sealed on each account connected through it; any one will do.
    const first = app.accounts[0]!;
    const creds = await amazonCredentials(deps, first.shop, first.id);
    const client = deps.appClientFor({ region: creds.region, lwaClientId: creds.lwaClientId, lwaClientSecret: creds.lwaClientSecret });
    const name = args.name ?? `oms-order-change-${creds.region}`;
    const find = async () => (await client.getDestinations()).find((d) => d.resource?.sqs?.arn === args.sqsArn);
    let destination = await find();
    const created = !destination;
    if (!destination) {
      try {
        destination = await client.createDestination({ name, sqsArn: args.sqsArn });
      } catch (e) {
        // An unknown outcome may have created it: look before giving up.
        if (!(isConnectorError(e) && e.code === "OUTCOME_UNKNOWN")) throw e;
        destination = await find();
        if (!destination) throw e;
      }
    }
    const saved = await saveNotificationDestination(deps.db, { lwaClientId: app.lwaClientId, region: app.region, destinationId: destination.destinationId, sqsArn: args.sqsArn, name: destination.name ?? name });
    deps.logger.info("amazon notification destination ready", { lwaClientId: app.lwaClientId, region: app.region, destinationId: destination.destinationId, created, accounts: saved.accounts });
    reports.push({ lwaClientId: app.lwaClientId, region: app.region, destinationId: destination.destinationId, created, accounts: saved.accounts });
  }
  return reports;
}

/**
 * One SQS message (the consumer's handler).  The body is Amazon's notification JSON.  Accepted
 * means stored durably (deleted from the queue then); a body that is not a readable ORDER_CHANGE
 * notification is left for the queue's redrive policy; a notification nobody here wants (another
 * notification type on the queue, a seller not connected, a marketplace the account does not list)
 * is deleted and logged.
 */
export async function handleOrderChangeMessage(deps: Pick<AmazonNotificationsDeps, "db" | "logger" | "now">, body: string, meta: MessageMeta): Promise<MessageVerdict> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { outcome: "unreadable", detail: `message ${meta.messageId} is not JSON` };
  }
  const type = (parsed as { NotificationType?: unknown } | null)?.NotificationType;
  if (typeof type === "string" && type !== NOTIFICATION_TYPE) return { outcome: "ignored", detail: `a ${type} notification: the hub subscribes to ORDER_CHANGE only` };
  const r = await acceptOrderChangeNotification(deps, parsed);
  if (r.accepted) return { outcome: r.duplicate ? "duplicate" : "accepted", ...(r.orderId ? { detail: r.orderId } : {}) };
  if (r.rejected === "unreadable") return { outcome: "unreadable", detail: r.reason ?? "not an ORDER_CHANGE notification" };
  return { outcome: "ignored", detail: r.reason ?? "no account for it" };
}
