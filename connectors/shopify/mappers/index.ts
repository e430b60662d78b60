/** Pure mappers from Shopify's webhook payloads to plain hub inputs (no I/O; zod at the edge). */
export { parseShopifyJson, WebhookPayloadError } from "./json";
export { toGid, gidTail, gidOf, splitInventoryLevelGid } from "./ids";
export {
  mapShopifyOrder,
  parseShopifyOrder,
  orderFacts,
  orderLines,
  orderGid,
  channelFor,
  parseShopifyOrderEdit,
  applyOrderEdit,
  CHANNEL_BY_SOURCE_NAME,
  B2B_CHANNEL,
  DEFAULT_CHANNEL,
  type OrderFacts,
  type MappedOrder,
  type ShopLocationRef,
  type ShopifyOrderPayload,
  type ShopifyOrderEdit,
} from "./orders";
export {
  mapFulfillmentOrderEvent,
  mapShopifyFulfillment,
  FULFILLMENT_ORDER_TOPICS,
  type FulfillmentOrderTopic,
  type FulfillmentOrderChange,
  type FulfillmentHold,
  type MappedFulfillment,
} from "./fulfillments";
export { mapShopifyRefund, mapShopifyReturn, RETURN_TOPICS, type ReturnTopic, type TimelineEntry } from "./order-events";
export { mapInventoryLevel, mapInventoryLevelDisconnect, mapInventoryItem, type MappedLevelUpdate, type MappedInventoryItem } from "./inventory";
export { mapShopifyLocation, mapShopifyLocationDelete, LOCATION_TOPICS, type LocationTopic, type MappedLocation } from "./locations";
export { mapBulkOperationFinish, type MappedBulkFinish } from "./bulk";
