import type { ServerBucketStatus } from "#connectors/core/token-bucket";

/**
 * Amazon's only rate signal: `x-amzn-RateLimit-Limit`, "your rate limit (requests per second) for
 * this operation", per selling-partner account + application, when available — on 2xx/400/404,
 * normally not on 429/5xx (brief §2.9; https://developer-docs.amazon.com/sp-api/docs/usage-plans-and-rate-limits).
 * It carries the rate only: no burst, and never how many tokens are left.
 *
 * connectors/core's bucket resyncs from a `ServerBucketStatus` {capacity, available, restoreRate};
 * a 0 capacity or rate keeps the local one, and a non-authoritative status can only lower the local
 * `available` (observeBucket).  Amazon never tells us `available`, so these statuses say "as much as
 * you like" (the local figure stays) or "none" (a 429: the server's bucket is empty).  Pure.
 */

/** The rate in the header, or undefined when absent, unreadable or not positive. */
export function parseRateLimitHeader(value: string | string[] | undefined): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text || !/^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return undefined;
  const rate = Number(text);
  return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}

/**
 * Adopt the header's rate, keep the capacity (burst) and never raise the local `available`:
 * passed to `TokenBuckets.observe` (non-authoritative once the bucket was primed).
 */
export function rateOnlyStatus(rate: number): ServerBucketStatus {
  return { capacity: 0, restoreRate: rate, available: Number.MAX_SAFE_INTEGER };
}

/** A 429: Amazon's bucket is empty now, whatever ours thought; the next token comes at the restore rate. */
export const DRAINED_STATUS: ServerBucketStatus = Object.freeze({ capacity: 0, restoreRate: 0, available: 0 });

/**
 * The first observation of a bucket: adopt the documented defaults as they are.  Until a bucket
 * has been observed once, connectors/core makes every take run alone (it was built for Shopify,
 * where the first answer reports the real bucket); Amazon never reports one, so the client primes
 * each bucket once with its documented burst instead.  Observing an already-observed bucket with it
 * changes nothing (non-authoritative: min).
 */
export const PRIME_STATUS: ServerBucketStatus = Object.freeze({ capacity: 0, restoreRate: 0, available: Number.MAX_SAFE_INTEGER });
