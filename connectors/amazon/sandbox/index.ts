/**
 * The Amazon SP-API sandbox peer (issue 6 item 7): LWA + Orders 2026-01-01 / v0 confirmShipment +
 * Listings 2021-08-01 + Feeds 2021-06-30 + FBA Inventory v1 over an in-memory seller.  Never imported
 * by production code paths (ARCHITECTURE.md "Sandbox peers").  See README.md in this folder.
 */
export { startAmazonSandbox, defaultSeed, type AmazonSandbox, type AmazonSandboxConfig, type FeedRec, type DocumentRec, type OrderStreamOptions, type OrderChangeBody, type DestinationRec, type SubscriptionRec } from "./server";
export { DEFAULT_LIMITS, TokenBucket, type OperationName, type RateLimit } from "./limits";
export { type AmazonSandboxSeed, type SeedListing, type SeedFba, type QuantityUpdate } from "./catalog";
export { type OrderRec, type GenerateOptions, FULFILLMENT_STATUSES, INCLUDED_DATA } from "./orders";
export { MAX_FEED_MESSAGES, UNKNOWN_SKU_CODE } from "./feeds";
