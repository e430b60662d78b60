/** Inventory: stock per SKU × location, ATS per channel, reservations, ledger, coalesced publishing. */
export * from "./domain/index";
export { planAllocation, buildableAt, type AllocationPlan, type CandidateLocation, type Requirement } from "./domain/allocation";
export {
  findVariantBySku,
  listLocations,
  listChannels,
  listOverrides,
  loadSkuStock,
  loadAllSkuStock,
  purgeInventoryData,
  toChannelPolicy,
  splitTags,
  INVENTORY_TENANT_MODELS,
} from "./inventory.repository.server";
export {
  reserveOrder,
  releaseOrder,
  commitOrder,
  consumeOrder,
  resyncOrderReservation,
  expireHolds,
  reallocateOrderTx,
  orderAllocations,
  AllocationConflict,
  type ReserveOrderInput,
  type ReserveOrderResult,
  type LineOutcome,
  type Reallocation,
} from "./reservations.service.server";
export { applyLevelUpdate, applyLevelUpdates, HUB_OWNED_REASON, QUANTITY_NAMES, type LevelUpdate, type QuantityName } from "./levels.service.server";
export {
  markAtsChanged,
  markChannelChanged,
  publishAts,
  publishChannelAts,
  PUBLISH_ATS_JOB,
  PUBLISH_CHANNEL_JOB,
  PUBLISH_WINDOW_MS,
  type AtsPublisher,
} from "./publishing.service.server";
export { writeLedger, type LedgerInput, type LedgerSource } from "./ledger.server";
export { getSkuDetail, listInventory, type SkuDetail, type InventoryListFilter } from "./queries.server";
export {
  updateChannelPolicy,
  addPolicyOverride,
  removePolicyOverride,
  listChannelsWithOverrides,
  channelPolicyInput,
  overrideInput,
  type ChannelPolicyInput,
} from "./channels.service.server";
export { loadCatalog, type CatalogLoad } from "./catalog.repository.server";
export {
  applyShopifyLocation,
  removeShopifyLocation,
  linkInventoryItem,
  unlinkInventoryItem,
  resolveShopifyLevel,
  shopLocationRefs,
  locationIdForShopify,
  type ShopifyLocationInput,
} from "./shopify-sync.service.server";
export { sellerSkuMap } from "./listings.server";
export { ensureMarketplaceLocation, marketplaceLocationId } from "./marketplace-locations.server";
export {
  applyHubOwnedRestock,
  SHOPIFY_PUSH_INVENTORY_JOB,
  STOCK_SOURCES,
  PUSH_WINDOW_MS,
  isHubOwnedLocation,
  inventoryPushJobKey,
  requestInventoryPush,
  setLocationStockSource,
  setHubCount,
  type StockSource,
  type InventoryPushJob,
  type InventoryPushScope,
} from "./hub-counts.service.server";
export { getLocation, ledgerAtLocation } from "./locations.queries.server";
