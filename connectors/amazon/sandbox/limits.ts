/**
 * SP-API usage plans as the peer enforces them: one token bucket per operation (the peer serves one
 * selling partner × application pair), refilled continuously at `rate` requests per second up to
 * `burst` (https://developer-docs.amazon.com/sp-api/docs/usage-plans-and-rate-limits).  The
 * defaults are the "Usage Plan" tables of each operation in Amazon's models (models@34dc93f;
 * brief §2.1).  A request that finds the bucket empty gets 429 QuotaExceeded and takes nothing.
 */

export type OperationName =
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
  | "createDestination"
  /** Not an operation: JSON_LISTINGS_FEED's own throttle, 5 submissions per 5 minutes per region. */
  | "jsonListingsFeedSubmissions";

export interface RateLimit {
  /** Requests restored per second (the value of x-amzn-RateLimit-Limit). */
  rate: number;
  /** Bucket size. */
  burst: number;
}

export const DEFAULT_LIMITS: Readonly<Record<OperationName, RateLimit>> = {
  // orders_2026-01-01.json searchOrders / getOrder
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  // ordersV0.json confirmShipment
  confirmShipment: { rate: 2, burst: 10 },
  // listingsItems_2021-08-01.json
  getListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  // feeds_2021-06-30.json
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  // fbaInventory.json getInventorySummaries
  getInventorySummaries: { rate: 2, burst: 2 },
  // notifications.json: every operation 1 request/s, burst 5
  getSubscription: { rate: 1, burst: 5 },
  createSubscription: { rate: 1, burst: 5 },
  deleteSubscriptionById: { rate: 1, burst: 5 },
  getDestinations: { rate: 1, burst: 5 },
  createDestination: { rate: 1, burst: 5 },
  // https://developer-docs.amazon.com/sp-api/changelog/feed-size-and-rate-limit-changes-for-the-json_listings_feed
  jsonListingsFeedSubmissions: { rate: 5 / 300, burst: 5 },
};

/** A continuously refilled token bucket on the peer's clock. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    if (!(limit.rate > 0) || !(limit.burst >= 1)) throw new Error(`Amazon sandbox: a rate limit needs rate > 0 and burst ≥ 1, got ${JSON.stringify(limit)}`);
    this.tokens = limit.burst;
    this.at = now();
  }

  private refill() {
    const t = this.now();
    if (t > this.at) this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.at) / 1000) * this.limit.rate);
    this.at = Math.max(this.at, t);
  }

  /** Takes one token if there is one; false (nothing taken) otherwise. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }
}

export function resolveLimits(overrides: Partial<Record<OperationName, Partial<RateLimit>>> = {}): Record<OperationName, RateLimit> {
  const out = {} as Record<OperationName, RateLimit>;
  for (const op of Object.keys(DEFAULT_LIMITS) as OperationName[]) out[op] = { ...DEFAULT_LIMITS[op], ...(overrides[op] ?? {}) };
  return out;
}
