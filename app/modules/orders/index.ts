/** Orders: every order from every channel as the hub sees it — intake, reservation, routing. */
export { locate, US_STATE_CENTROIDS, COUNTRY_CENTROIDS } from "./domain/centroids";
export { toRoutingOrder, planToAllocations, slotsFor, type HubOrder, type HubOrderLine, type OrderStatus, type LineAllocation } from "./domain/order";
export {
  intakeOrder,
  routeExistingOrder,
  cancelOrder,
  recordOrderWithoutStock,
  RECORD_ONLY_STATUSES,
  orderIntakeSchema,
  type RecordOnlyStatus,
  type OrderIntake,
  type IntakeResult,
  type OrdersDeps,
  type RouteTrigger,
} from "./orders.service.server";
export { rerouteUnroutable, rerouteAllUnroutable, countUnroutable, shopsWithUnroutable, SWEEP_BATCH, type SweepResult } from "./unroutable-sweep.service.server";
export {
  listOrders,
  getOrderDetail,
  findOrder,
  recentOrders,
  purgeOrdersData,
  redactCustomerOrders,
  customerOrderData,
  ORDERS_TENANT_MODELS,
  type OrderListFilter,
  type OrderListItem,
  type OrderDetail,
} from "./orders.repository.server";
export { whatIf, MAX_WHAT_IF_ORDERS, type WhatIfReport } from "./what-if.server";
export {
  findOrderByExternalId,
  applyOrderFacts,
  isOlderThanApplied,
  appendOrderEvent,
  orderTimeline,
  orderIdForSubject,
  orderLinesOf,
  resyncOrderLines,
  recordFulfillmentOrder,
  fulfillmentOrdersOf,
  type OrderFactsInput,
  type OrderEventInput,
  type ResyncLine,
  type FulfillmentOrderInput,
} from "./channel-sync.service.server";
export {
  SHOPIFY_HOLD_JOB,
  SHOPIFY_RELEASE_HOLD_JOB,
  SHOPIFY_PICKUP_READY_JOB,
  SHOPIFY_ORDER_CREATED_EVENT,
  findOrderByShopifyGid,
  shopifyOrderGidOf,
  requestOrderHold,
  requestHoldRelease,
  requestPickupReady,
  type FulfillmentActionJob,
  type FulfillmentActionDeps,
} from "./fulfillment-actions.service.server";
export {
  HOLD_HANDLE_PREFIX,
  FULFILLMENT_HOLD_REASONS,
  holdHandleFor,
  holdRequestSchema,
  isOwnHold,
  parseHolds,
  type FulfillmentHoldReason,
  type HoldRequest,
  type RecordedHold,
} from "./domain/holds";
