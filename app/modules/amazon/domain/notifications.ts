/**
 * ORDER_CHANGE notifications for a seller account — pure decisions, no I/O
 * (docs/decisions/015-amazon-notifications-sqs.md).
 *
 * Amazon keeps one subscription per seller, application, notification type and payload version
 * (createSubscription answers 409 for a second one; there is no update: a change is delete + create).
 * Model: models/notifications-api-model/notifications.json @34dc93f — CreateSubscriptionRequest
 * {payloadVersion, destinationId, processingDirective.eventFilter}, where EventFilter combines
 * MarketplaceFilter ("To receive notifications in every marketplace, do not provide this list") and
 * OrderChangeTypeFilter with eventFilterType ORDER_CHANGE.
 */

/** The ORDER_CHANGE payload the mapper reads (schemas/notifications/OrderChangeNotification.json, 1.0). */
export const ORDER_CHANGE_PAYLOAD_VERSION = "1.0";
/**
 * What the hub acts on: status changes (new, shipped, cancelled orders) and buyers' cancellation
 * requests.  DeliveryTipChange changes nothing the hub keeps.
 */
export const ORDER_CHANGE_TYPES = ["OrderStatusChange", "BuyerRequestedChange"] as const;

export type NotificationsStatus = "off" | "pending" | "subscribed" | "failed" | "unsubscribing" | "unsubscribe_failed";

export interface SubscriptionBody {
  payloadVersion: string;
  destinationId: string;
  processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE"; marketplaceIds?: string[]; orderChangeTypes: ("OrderStatusChange" | "BuyerRequestedChange")[] } };
}

/**
 * The subscription the account should have.  `marketplaceFilter: false` subscribes to every
 * marketplace: the fallback when Amazon refuses the marketplace filter for ORDER_CHANGE (its
 * model allows it; the handler ignores notifications for marketplaces the account does not list).
 */
export function desiredSubscription(args: { destinationId: string; marketplaceIds: string[]; marketplaceFilter?: boolean }): SubscriptionBody {
  const filter = args.marketplaceFilter !== false && args.marketplaceIds.length > 0;
  return {
    payloadVersion: ORDER_CHANGE_PAYLOAD_VERSION,
    destinationId: args.destinationId,
    processingDirective: {
      eventFilter: { eventFilterType: "ORDER_CHANGE", ...(filter ? { marketplaceIds: [...args.marketplaceIds].sort() } : {}), orderChangeTypes: [...ORDER_CHANGE_TYPES] },
    },
  };
}

export interface ExistingSubscription {
  subscriptionId: string;
  payloadVersion: string;
  destinationId: string;
  processingDirective?: { eventFilter?: { marketplaceIds?: string[]; orderChangeTypes?: string[] } | undefined; filterExpression?: string } | undefined;
}

export type SubscriptionPlan = { action: "keep" } | { action: "create" } | { action: "replace"; subscriptionId: string; why: string };

/** One live account of a seller subscription's group (same seller, region and LWA application). */
export interface SharingAccount {
  id: string;
  ordersOn: boolean;
  marketplaceIds: string[];
}

/**
 * What one subscription must cover when several accounts share it.  Amazon keeps one ORDER_CHANGE
 * subscription per (seller, application): two shops connecting the same seller through the same
 * application share it, so it is made for the union of the marketplaces of every account with
 * orders on — each account's own list would have the shops replace it in turn, each with its own
 * filter.  `needed: false` (no account has orders on): there should be none.
 */
export function sharedSubscriptionNeeds(accounts: SharingAccount[]): { needed: boolean; marketplaceIds: string[]; accountIds: string[] } {
  const on = accounts.filter((a) => a.ordersOn);
  return { needed: on.length > 0, marketplaceIds: [...new Set(on.flatMap((a) => a.marketplaceIds))].sort(), accountIds: on.map((a) => a.id) };
}

/**
 * What to do about the seller's current subscription (null: none).  Kept when it delivers exactly
 * what the accounts need to this destination — a subscription without a marketplace or change-type
 * filter delivers more than needed (the fallback when Amazon refuses the marketplace filter), which
 * the handler drops; replaced (delete, then create) when it would miss some: another destination (a
 * new queue), another payload version, a marketplace an account added, a change type left out, or a
 * filter expression the hub did not set; and when its marketplace filter names a marketplace no
 * account needs any more (removed, or its account's orders switched off), so the filter follows the
 * accounts both ways and the same accounts always give the same plan.
 */
export function planSubscription(current: ExistingSubscription | null, desired: SubscriptionBody): SubscriptionPlan {
  if (!current) return { action: "create" };
  const replace = (why: string): SubscriptionPlan => ({ action: "replace", subscriptionId: current.subscriptionId, why });
  if (current.destinationId !== desired.destinationId) return replace(`it delivers to destination ${current.destinationId}, not ${desired.destinationId}`);
  if (current.payloadVersion !== desired.payloadVersion) return replace(`it uses payload version ${current.payloadVersion}, not ${desired.payloadVersion}`);
  const directive = current.processingDirective;
  if (directive?.filterExpression) return replace("it has a filter expression the hub did not set");
  const has = directive?.eventFilter?.marketplaceIds;
  const want = desired.processingDirective.eventFilter.marketplaceIds;
  if (has && has.length > 0) {
    const missing = (want ?? []).filter((m) => !has.includes(m));
    if (!want) return replace("it is limited to some marketplaces and the account needs all");
    if (missing.length) return replace(`it leaves out marketplace ${missing.join(", ")}`);
    const extra = has.filter((m) => !want.includes(m));
    if (extra.length) return replace(`it includes marketplace ${extra.join(", ")}, which no account with orders on needs any more`);
  }
  const types = directive?.eventFilter?.orderChangeTypes;
  if (types && types.length > 0) {
    const missing = desired.processingDirective.eventFilter.orderChangeTypes.filter((t) => !types.includes(t));
    if (missing.length) return replace(`it leaves out change type ${missing.join(", ")}`);
  }
  return { action: "keep" };
}

/** After a failure, wait this long before the next check (3 min doubling, at most 6 h). */
export function retryDelayMs(failures: number): number {
  return Math.min(6 * 3_600_000, 3 * 60_000 * 2 ** Math.max(0, failures - 1));
}

/** A subscribed account is checked again once a day (someone may have deleted it at Amazon). */
export const RECHECK_MS = 24 * 3_600_000;

/** Whether an account's subscription should be checked now (the scheduler asks every poll period). */
export function notificationsDue(state: { status: string; checkedAt: Date | null; failures: number }, now: Date): boolean {
  const since = state.checkedAt ? now.getTime() - state.checkedAt.getTime() : Number.POSITIVE_INFINITY;
  switch (state.status) {
    case "pending":
      return true;
    case "failed":
      return since >= retryDelayMs(state.failures);
    case "subscribed":
    case "off":
      return since >= RECHECK_MS;
    default:
      // unsubscribing / unsubscribe_failed: the disconnect's own job deals with them.
      return false;
  }
}

/**
 * Whether Amazon's refusal of createSubscription is about the marketplace filter (then the hub
 * subscribes without it).  Amazon's model allows marketplaceIds in an ORDER_CHANGE eventFilter,
 * but its Notification Type Values page decides which filters a type supports; a 400 naming the
 * filter means this one is not.
 */
export function refusesMarketplaceFilter(error: { kind?: string; status?: number; message: string }): boolean {
  return (error.kind === "INVALID" || error.status === 400) && /marketplace/i.test(error.message);
}
