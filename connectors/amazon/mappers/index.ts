/** Pure mappers between Amazon SP-API payloads and plain hub inputs (no I/O, time passed in; zod at the edge). */
export { AmazonPayloadError, parseAmazon, decimalToCents } from "./errors";
export { MARKETPLACES, marketplace, channelCodeFor, type Marketplace } from "./marketplaces";
export { parseAmazonOrder, mapAmazonOrder, amazonOrderSchema, type AmazonOrder, type MappedAmazonOrder } from "./orders";
export { mapOrderChangeNotification, type OrderChangeTrigger, type OrderChangeType } from "./notifications";
export {
  quantityPatchBody,
  buildListingsFeeds,
  MFN_CHANNEL_CODE,
  MAX_FEED_MESSAGES,
  DEFAULT_PRODUCT_TYPE,
  type QuantityChange,
  type ListingsFeedDocument,
  type ListingsFeedMessage,
  type BuiltFeeds,
  type FulfillmentAvailabilityPatch,
} from "./listings";
export { mapProcessingReport, type MappedProcessingReport, type SkuIssue } from "./reports";
export { amazonCarrier, type AmazonCarrier } from "./carriers";
export { mapFbaSummaries, FBA_LOCATION_NAME, fbaLocationName, type FbaLevel, type MappedFbaPage } from "./fba";
