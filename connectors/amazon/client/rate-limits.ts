import type { BucketKey, BucketLimits } from "#connectors/core/token-bucket";

/**
 * The operations this client calls, with the SP-API version each one is pinned to and Amazon's
 * default usage plan (rate = tokens restored per second, burst = bucket size).  SP-API limits are
 * per selling-partner account + application + operation, shared by every worker
 * (https://developer-docs.amazon.com/sp-api/docs/usage-plans-and-rate-limits), so the hub keeps one
 * bucket per (seller account + region, operation) — see `spApiBucketKey`.
 *
 * Numbers: the "Usage Plan" table of each operation in amzn/selling-partner-api-models@34dc93f
 * (brief §2.1), the same table Amazon's reference page shows.  The `x-amzn-RateLimit-Limit` header,
 * when a response carries it, replaces the rate (./rate-header.ts); the burst is never in it.
 * Pure data: no I/O.
 */
export type SpApiOperation =
  | "searchOrders"
  | "getOrder"
  | "confirmShipment"
  | "getListingsItem"
  | "patchListingsItem"
  | "createFeedDocument"
  | "createFeed"
  | "getFeed"
  | "getFeedDocument"
  | "getInventorySummaries"
  | "getSubscription"
  | "createSubscription"
  | "deleteSubscriptionById"
  | "getDestinations"
  | "createDestination";

export interface OperationSpec {
  /** `endpoint.operation` as amazon-sp-api knows it. */
  libOperation: string;
  /** Pinned version, passed as `options.version` on every call (no reliance on defaults or fallback). */
  version: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The path template, for logs and docs. */
  path: string;
  /** Default rate, requests per second. */
  rate: number;
  /** Default burst, requests. */
  burst: number;
  /**
   * Sending the same request again after an unknown outcome (5xx, connection lost) cannot do the
   * effect twice.  Reads are; see each write for why.
   */
  retrySafe: boolean;
  /**
   * Grantless (https://developer-docs.amazon.com/sp-api/docs/grantless-operations): called with an
   * LWA `client_credentials` token of this scope, on behalf of the application rather than a seller,
   * so its bucket is the application's (`appBucketKey`), not a seller's.
   */
  grantless?: "sellingpartnerapi::notifications";
  /** Where the numbers come from. */
  doc: string;
}

const MODELS = "https://github.com/amzn/selling-partner-api-models/blob/34dc93fe45/models";

export const SP_API_OPERATIONS: Readonly<Record<SpApiOperation, OperationSpec>> = {
  // Orders 2026-01-01: the v0 reads are deprecated (migrate by 2027-03-27).
  searchOrders: {
    libOperation: "orders.searchOrders",
    version: "2026-01-01",
    method: "GET",
    path: "/orders/2026-01-01/orders",
    rate: 0.0056,
    burst: 20,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/searchorders · ${MODELS}/orders-api-model/orders_2026-01-01.json`,
  },
  getOrder: {
    libOperation: "orders.getOrder",
    version: "2026-01-01",
    method: "GET",
    path: "/orders/2026-01-01/orders/{orderId}",
    rate: 0.5,
    burst: 30,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/getorder · ${MODELS}/orders-api-model/orders_2026-01-01.json`,
  },
  // v0 on purpose: not deprecated, no 2026-01-01 equivalent.  Sending it again with the same
  // packageReferenceId edits that package instead of adding one
  // (https://developer-docs.amazon.com/sp-api/docs/confirm-the-shipment-status), so the client
  // requires the id and may repeat the call.
  confirmShipment: {
    libOperation: "orders.confirmShipment",
    version: "v0",
    method: "POST",
    path: "/orders/v0/orders/{orderId}/shipmentConfirmation",
    rate: 2,
    burst: 10,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/confirmshipment · ${MODELS}/orders-api-model/ordersV0.json`,
  },
  getListingsItem: {
    libOperation: "listingsItems.getListingsItem",
    version: "2021-08-01",
    method: "GET",
    path: "/listings/2021-08-01/items/{sellerId}/{sku}",
    rate: 5,
    burst: 10,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/getlistingsitem · ${MODELS}/listings-items-api-model/listingsItems_2021-08-01.json`,
  },
  // The same patch body sets the same attribute values again: repeating it is harmless.
  patchListingsItem: {
    libOperation: "listingsItems.patchListingsItem",
    version: "2021-08-01",
    method: "PATCH",
    path: "/listings/2021-08-01/items/{sellerId}/{sku}",
    rate: 5,
    burst: 5,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/patchlistingsitem · ${MODELS}/listings-items-api-model/listingsItems_2021-08-01.json`,
  },
  // A second document is only an unused upload slot (its URL expires in 5 minutes).
  createFeedDocument: {
    libOperation: "feeds.createFeedDocument",
    version: "2021-06-30",
    method: "POST",
    path: "/feeds/2021-06-30/documents",
    rate: 0.5,
    burst: 15,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/createfeeddocument · ${MODELS}/feeds-api-model/feeds_2021-06-30.json`,
  },
  // Not retry-safe: a second createFeed is a second feed (processed twice, and it spends one of
  // JSON_LISTINGS_FEED's 5 submissions per 5 minutes).  An unknown outcome is OUTCOME_UNKNOWN.
  createFeed: {
    libOperation: "feeds.createFeed",
    version: "2021-06-30",
    method: "POST",
    path: "/feeds/2021-06-30/feeds",
    rate: 0.0083,
    burst: 15,
    retrySafe: false,
    doc: `https://developer-docs.amazon.com/sp-api/reference/createfeed · ${MODELS}/feeds-api-model/feeds_2021-06-30.json`,
  },
  getFeed: {
    libOperation: "feeds.getFeed",
    version: "2021-06-30",
    method: "GET",
    path: "/feeds/2021-06-30/feeds/{feedId}",
    rate: 2,
    burst: 15,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/getfeed · ${MODELS}/feeds-api-model/feeds_2021-06-30.json`,
  },
  getFeedDocument: {
    libOperation: "feeds.getFeedDocument",
    version: "2021-06-30",
    method: "GET",
    path: "/feeds/2021-06-30/documents/{feedDocumentId}",
    rate: 0.0222,
    burst: 10,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/getfeeddocument · ${MODELS}/feeds-api-model/feeds_2021-06-30.json`,
  },
  getInventorySummaries: {
    libOperation: "fbaInventory.getInventorySummaries",
    version: "v1",
    method: "GET",
    path: "/fba/inventory/v1/summaries",
    rate: 2,
    burst: 2,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/getinventorysummaries · ${MODELS}/fba-inventory-api-model/fbaInventory.json`,
  },
  // Notifications v1: every operation is 1 request/s, burst 5.  getSubscription and
  // createSubscription act for the seller (its refresh token); the other three are grantless.
  getSubscription: {
    libOperation: "notifications.getSubscription",
    version: "v1",
    method: "GET",
    path: "/notifications/v1/subscriptions/{notificationType}",
    rate: 1,
    burst: 5,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/getsubscription · ${MODELS}/notifications-api-model/notifications.json`,
  },
  // A repeat cannot add a second subscription: Amazon keeps one per seller, application,
  // notification type and payload version and answers a second create with 409 Conflict, which
  // the caller resolves with getSubscription.
  createSubscription: {
    libOperation: "notifications.createSubscription",
    version: "v1",
    method: "POST",
    path: "/notifications/v1/subscriptions/{notificationType}",
    rate: 1,
    burst: 5,
    retrySafe: true,
    doc: `https://developer-docs.amazon.com/sp-api/reference/createsubscription · ${MODELS}/notifications-api-model/notifications.json`,
  },
  // Deleting twice: the second answers 404, which the client reports as "already gone".
  deleteSubscriptionById: {
    libOperation: "notifications.deleteSubscriptionById",
    version: "v1",
    method: "DELETE",
    path: "/notifications/v1/subscriptions/{notificationType}/{subscriptionId}",
    rate: 1,
    burst: 5,
    retrySafe: true,
    grantless: "sellingpartnerapi::notifications",
    doc: `https://developer-docs.amazon.com/sp-api/reference/deletesubscriptionbyid · ${MODELS}/notifications-api-model/notifications.json`,
  },
  getDestinations: {
    libOperation: "notifications.getDestinations",
    version: "v1",
    method: "GET",
    path: "/notifications/v1/destinations",
    rate: 1,
    burst: 5,
    retrySafe: true,
    grantless: "sellingpartnerapi::notifications",
    doc: `https://developer-docs.amazon.com/sp-api/reference/getdestinations · ${MODELS}/notifications-api-model/notifications.json`,
  },
  // Not retry-safe: whether Amazon refuses a second destination for the same queue is not
  // documented, so an unknown outcome is OUTCOME_UNKNOWN and the caller reads getDestinations.
  createDestination: {
    libOperation: "notifications.createDestination",
    version: "v1",
    method: "POST",
    path: "/notifications/v1/destinations",
    rate: 1,
    burst: 5,
    retrySafe: false,
    grantless: "sellingpartnerapi::notifications",
    doc: `https://developer-docs.amazon.com/sp-api/reference/createdestination · ${MODELS}/notifications-api-model/notifications.json`,
  },
};

export const SP_API_OPERATION_NAMES = Object.keys(SP_API_OPERATIONS) as SpApiOperation[];

export function isSpApiOperation(name: string): name is SpApiOperation {
  return Object.hasOwn(SP_API_OPERATIONS, name);
}

/** The documented default bucket of an operation: burst = capacity, rate = restore per second. */
/**
 * Feed types with a submission limit of their own, on top of createFeed's: JSON_LISTINGS_FEED allows
 * 5 submissions per 5 minutes per region (since 2025-05-06, with 25 000 messages per feed:
 * https://developer-docs.amazon.com/sp-api/changelog/feed-size-and-rate-limit-changes-for-the-json_listings_feed).
 * createFeed's own bucket (0.0083/s, burst 15) does not know it, so without this the 6th feed in
 * 5 minutes draws a 429 and then waits createFeed's 120 s instead of this limit's 60 s.
 */
export const FEED_TYPE_LIMITS: Readonly<Record<string, BucketLimits>> = {
  JSON_LISTINGS_FEED: { capacity: 5, restoreRate: 5 / 300 },
};
const FEED_TYPE_PREFIX = "createFeed:";

/** The bucket of a feed type's submissions (alongside createFeed's), or undefined when the type has no limit of its own. */
export function feedTypeBucketKey(sellerId: string, region: string, feedType: string): BucketKey | undefined {
  return FEED_TYPE_LIMITS[feedType] ? { account: `amazon:${sellerId}|${region}`, operation: `${FEED_TYPE_PREFIX}${feedType}` } : undefined;
}

export function defaultLimitsOf(operation: string): BucketLimits {
  if (operation.startsWith(FEED_TYPE_PREFIX)) {
    const limits = FEED_TYPE_LIMITS[operation.slice(FEED_TYPE_PREFIX.length)];
    if (limits) return limits;
  }
  if (!isSpApiOperation(operation)) throw new Error(`no SP-API rate limit known for operation "${operation}"`);
  const spec = SP_API_OPERATIONS[operation];
  return { capacity: spec.burst, restoreRate: spec.rate };
}

/**
 * One bucket per (seller account + region, operation): the same seller authorised in two regions
 * is two accounts to Amazon, and the application is fixed per hub deployment.
 */
export function spApiBucketKey(sellerId: string, region: string, operation: SpApiOperation): BucketKey {
  return { account: `amazon:${sellerId}|${region}`, operation };
}

/**
 * A grantless operation's bucket: it is called for the application (no seller), so the limit is the
 * application's in that region.
 */
export function appBucketKey(lwaClientId: string, region: string, operation: SpApiOperation): BucketKey {
  return { account: `amazon:app:${lwaClientId}|${region}`, operation };
}

/** `limits` for createTokenBuckets: the documented defaults of the key's operation. */
export const spApiBucketLimits = (key: BucketKey): BucketLimits => defaultLimitsOf(key.operation);
