/**
 * The Shopify sandbox peer (issue 5 item 5): a local Admin GraphQL + webhooks server over an
 * in-memory shop, for the demo, end-to-end tests and benchmarks.  Never imported by production
 * code paths (ARCHITECTURE.md "Sandbox peers").  See README.md in this folder.
 */
export { startShopifySandbox, DEFAULT_ACCESS_TOKEN, type ShopifySandbox } from "./server";
export type { ShopifySandboxConfig, SandboxStats, SandboxLogger, OrderStream, OrderStreamOptions } from "./types";
export type { SandboxSeed, SeedLocation, SeedProduct, SeedLevel, SeedOrder } from "./seed";
export { SandboxStore, QUANTITY_NAMES, type QuantityName, type StoreEvent } from "./store";
export { requestedQueryCost, actualQueryCost, findOperation } from "./cost";
export { webhookHmac, type WebhookDelivery } from "./webhooks";
export { loadAdminSchema, availableVersions } from "./schema";
