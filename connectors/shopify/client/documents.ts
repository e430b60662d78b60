/**
 * Every Admin GraphQL document the Shopify connector sends (API 2026-10).
 *
 * Rules (checked by test/unit/shopify-graphql-documents.test.ts and ./documents.test.ts):
 *  - a template literal tagged with the #graphql comment, no interpolation: anything that varies is a variable;
 *  - the operation is named `Oms…` (readable in Shopify's API logs and our call logs, and the
 *    key of the client's per-operation cost estimate);
 *  - valid against the real 2026-10 schema, no deprecated fields;
 *  - typed by codegen: `npm run codegen:shopify` rewrites generated/admin.generated.ts, and a test
 *    fails when that file is stale.
 * Connection sizes are variables because they drive the query cost
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
 */
import type * as G from "./generated/admin.generated";
import type { TypedDocument } from "./typed-document";

/** Every inventory quantity name (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps#inventory-states). */
export const INVENTORY_QUANTITY_NAMES = ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"] as const;

// ---------------------------------------------------------------------------------------------
// Shop and locations

/** The shop's identity, plan, currency and time zone. https://shopify.dev/docs/api/admin-graphql/2026-10/queries/shop */
export const SHOP_INFO = `#graphql
  query OmsShopInfo {
    shop {
      id
      name
      myshopifyDomain
      email
      currencyCode
      ianaTimezone
      weightUnit
      plan {
        publicDisplayName
        partnerDevelopment
        shopifyPlus
      }
      primaryDomain {
        host
      }
    }
  }
` as TypedDocument<G.OmsShopInfoQuery, G.OmsShopInfoQueryVariables>;

/**
 * One page of locations, inactive and fulfillment-service (3PL) ones included: the hub decides
 * what is sellable. https://shopify.dev/docs/api/admin-graphql/2026-10/queries/locations
 */
export const LOCATIONS = `#graphql
  query OmsLocations($first: Int!, $after: String) {
    locations(first: $first, after: $after, includeInactive: true, includeLegacy: true, sortKey: ID) {
      nodes {
        id
        name
        isActive
        fulfillsOnlineOrders
        hasActiveInventory
        shipsInventory
        isFulfillmentService
        updatedAt
        address {
          address1
          address2
          city
          provinceCode
          countryCode
          zip
          phone
          latitude
          longitude
        }
        localPickupSettingsV2 {
          pickupTime
          instructions
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` as TypedDocument<G.OmsLocationsQuery, G.OmsLocationsQueryVariables>;

// ---------------------------------------------------------------------------------------------
// Catalog

/** One page of products (`query` e.g. "updated_at:>=2026-10-01"). https://shopify.dev/docs/api/admin-graphql/2026-10/queries/products */
export const PRODUCTS = `#graphql
  query OmsProducts($first: Int!, $after: String, $query: String) {
    products(first: $first, after: $after, query: $query, sortKey: ID) {
      nodes {
        id
        title
        handle
        status
        vendor
        productType
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` as TypedDocument<G.OmsProductsQuery, G.OmsProductsQueryVariables>;

/**
 * One page of variants with their product and inventory item — the SKU catalogue the hub keys
 * stock on. https://shopify.dev/docs/api/admin-graphql/2026-10/queries/productVariants
 */
export const PRODUCT_VARIANTS = `#graphql
  query OmsProductVariants($first: Int!, $after: String, $query: String) {
    productVariants(first: $first, after: $after, query: $query, sortKey: ID) {
      nodes {
        id
        sku
        title
        barcode
        price
        updatedAt
        product {
          id
          title
          handle
          status
        }
        inventoryItem {
          id
          sku
          tracked
          requiresShipping
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` as TypedDocument<G.OmsProductVariantsQuery, G.OmsProductVariantsQueryVariables>;

/** One page of inventory items. https://shopify.dev/docs/api/admin-graphql/2026-10/queries/inventoryItems */
export const INVENTORY_ITEMS = `#graphql
  query OmsInventoryItems($first: Int!, $after: String, $query: String) {
    inventoryItems(first: $first, after: $after, query: $query) {
      nodes {
        id
        sku
        tracked
        requiresShipping
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` as TypedDocument<G.OmsInventoryItemsQuery, G.OmsInventoryItemsQueryVariables>;

// ---------------------------------------------------------------------------------------------
// Inventory levels

/**
 * One page of a location's inventory levels with every quantity name (one pagination dimension,
 * so a checkpoint is a (location, cursor) pair). https://shopify.dev/docs/api/admin-graphql/2026-10/objects/InventoryLevel
 */
export const LOCATION_INVENTORY_LEVELS = `#graphql
  query OmsLocationInventoryLevels($locationId: ID!, $first: Int!, $after: String, $query: String) {
    location(id: $locationId) {
      id
      inventoryLevels(first: $first, after: $after, query: $query) {
        nodes {
          id
          updatedAt
          item {
            id
            sku
          }
          quantities(names: ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"]) {
            name
            quantity
            updatedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
` as TypedDocument<G.OmsLocationInventoryLevelsQuery, G.OmsLocationInventoryLevelsQueryVariables>;

/**
 * One item's levels at every location (resync of a SKU; the `changeFromQuantity` read before a
 * compare-and-set write). https://shopify.dev/docs/api/admin-graphql/2026-10/queries/inventoryItem
 */
export const INVENTORY_ITEM_LEVELS = `#graphql
  query OmsInventoryItemLevels($inventoryItemId: ID!, $first: Int!) {
    inventoryItem(id: $inventoryItemId) {
      id
      sku
      tracked
      inventoryLevels(first: $first) {
        nodes {
          id
          updatedAt
          location {
            id
          }
          quantities(names: ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"]) {
            name
            quantity
            updatedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
` as TypedDocument<G.OmsInventoryItemLevelsQuery, G.OmsInventoryItemLevelsQueryVariables>;

/**
 * On-hand only, of a location's levels, one page: the reconciling read of the hub's push to a
 * location it owns (shopify.pushInventory).  One quantity name makes a level cost 3 points
 * (level + item + one quantity) instead of the 10 of LOCATION_INVENTORY_LEVELS, so 250 levels fit
 * in one page (2 + 250 × 3 = 752 + 1 for the location, under the 1 000-point single-query cap).
 * https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Location#field-Location.fields.inventoryLevels
 */
export const LOCATION_ON_HAND = `#graphql
  query OmsLocationOnHand($locationId: ID!, $first: Int!, $after: String) {
    location(id: $locationId) {
      id
      inventoryLevels(first: $first, after: $after) {
        nodes {
          item {
            id
          }
          quantities(names: ["on_hand"]) {
            name
            quantity
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
` as TypedDocument<G.OmsLocationOnHandQuery, G.OmsLocationOnHandQueryVariables>;

/**
 * On-hand of the given inventory items at one location (≤ 250 ids, the `nodes` limit): what a
 * push reads for just the counts that changed, as the `changeFromQuantity` of its compare-and-set
 * write.  3 points an item (item + level + one quantity); an item not stocked at the location
 * has `inventoryLevel: null`; an unknown id is a null node.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/queries/nodes
 * https://shopify.dev/docs/api/admin-graphql/2026-10/objects/InventoryItem#field-InventoryItem.fields.inventoryLevel
 */
export const INVENTORY_ITEMS_ON_HAND_AT = `#graphql
  query OmsInventoryItemsOnHandAt($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["on_hand"]) {
            name
            quantity
          }
        }
      }
    }
  }
` as TypedDocument<G.OmsInventoryItemsOnHandAtQuery, G.OmsInventoryItemsOnHandAtQueryVariables>;

// ---------------------------------------------------------------------------------------------
// Orders and fulfillment orders

/**
 * One page of orders, oldest change first.  `query` selects them, e.g. the import's
 * "updated_at:>=2026-10-03T00:00:00Z" (60 days back; older orders need read_all_orders) or
 * "source_identifier:<external id>" (has an order from another channel been created already?).
 * https://shopify.dev/docs/api/admin-graphql/2026-10/queries/orders
 */
export const ORDERS = `#graphql
  query OmsOrders($first: Int!, $after: String, $query: String, $lineItemsFirst: Int!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        createdAt
        updatedAt
        processedAt
        cancelledAt
        closedAt
        sourceName
        sourceIdentifier
        displayFinancialStatus
        displayFulfillmentStatus
        currencyCode
        tags
        shippingAddress {
          city
          provinceCode
          countryCodeV2
          zip
          latitude
          longitude
        }
        lineItems(first: $lineItemsFirst) {
          nodes {
            id
            sku
            quantity
            unfulfilledQuantity
            variant {
              id
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` as TypedDocument<G.OmsOrdersQuery, G.OmsOrdersQueryVariables>;

/**
 * An order's fulfillment orders: where each is assigned, its holds (ours are told apart by
 * `handle`), what may be done with it, and its lines. https://shopify.dev/docs/api/admin-graphql/2026-10/objects/FulfillmentOrder
 */
export const ORDER_FULFILLMENT_ORDERS = `#graphql
  query OmsOrderFulfillmentOrders($orderId: ID!, $first: Int!, $lineItemsFirst: Int!) {
    order(id: $orderId) {
      id
      name
      updatedAt
      fulfillmentOrders(first: $first) {
        nodes {
          id
          status
          requestStatus
          updatedAt
          fulfillAt
          assignedLocation {
            name
            location {
              id
            }
          }
          deliveryMethod {
            methodType
          }
          fulfillmentHolds {
            id
            handle
            reason
            reasonNotes
            heldByRequestingApp
          }
          supportedActions {
            action
          }
          lineItems(first: $lineItemsFirst) {
            nodes {
              id
              sku
              inventoryItemId
              totalQuantity
              remainingQuantity
              lineItem {
                id
              }
              variant {
                id
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
` as TypedDocument<G.OmsOrderFulfillmentOrdersQuery, G.OmsOrderFulfillmentOrdersQueryVariables>;

/**
 * One fulfillment order and the order it belongs to.  Fulfillment-order webhooks
 * (order_routing_complete, moved, placed_on_hold, …) name the fulfillment order but never its
 * order, so the hub asks: https://shopify.dev/docs/api/admin-graphql/2026-10/queries/fulfillmentOrder
 */
export const FULFILLMENT_ORDER_ORDER = `#graphql
  query OmsFulfillmentOrderOrder($id: ID!) {
    fulfillmentOrder(id: $id) {
      id
      status
      assignedLocation {
        location {
          id
        }
      }
      order {
        id
        legacyResourceId
      }
    }
  }
` as TypedDocument<G.OmsFulfillmentOrderOrderQuery, G.OmsFulfillmentOrderOrderQueryVariables>;

// ---------------------------------------------------------------------------------------------
// Bulk operations (https://shopify.dev/docs/api/usage/bulk-operations/queries)

/**
 * Start a bulk query.  `groupObjects` is a required variable because its default changed between
 * versions (true until 2025-10, false from 2026-01): the caller states what its JSONL reader needs.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/bulkOperationRunQuery
 */
export const BULK_OPERATION_RUN_QUERY = `#graphql
  mutation OmsBulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation {
        id
        status
        createdAt
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as TypedDocument<G.OmsBulkOperationRunQueryMutation, G.OmsBulkOperationRunQueryMutationVariables>;

/** Poll one bulk operation by id. https://shopify.dev/docs/api/admin-graphql/2026-10/queries/bulkOperation */
export const BULK_OPERATION = `#graphql
  query OmsBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      type
      status
      errorCode
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
      createdAt
      completedAt
    }
  }
` as TypedDocument<G.OmsBulkOperationQuery, G.OmsBulkOperationQueryVariables>;

/**
 * The shop's latest bulk query (is one still running? did the last finish?).  Replaces
 * `currentBulkOperation(type: QUERY)`, deprecated in 2026-10 ("use bulkOperations with status filter").
 * https://shopify.dev/docs/api/admin-graphql/2026-10/queries/bulkOperations
 */
export const LATEST_BULK_QUERY = `#graphql
  query OmsLatestBulkQuery {
    bulkOperations(first: 1, query: "operation_type:query", sortKey: CREATED_AT, reverse: true) {
      nodes {
        id
        status
        errorCode
        objectCount
        url
        partialDataUrl
        createdAt
        completedAt
      }
    }
  }
` as TypedDocument<G.OmsLatestBulkQueryQuery, G.OmsLatestBulkQueryQueryVariables>;

// ---------------------------------------------------------------------------------------------
// Writes

/**
 * Record an order taken on another channel.  Options are literals so the choice is visible here:
 *  - DECREMENT_IGNORING_POLICY: the sale already happened (the channel accepted and charged it) and
 *    the hub reserved the units at the routed location; Shopify's count may lag the hub's, and
 *    OBEYING would refuse an order we have already committed to.  A negative quantity then shows
 *    the discrepancy to the resync instead of stranding the order.  (BYPASS, the default, would
 *    not decrement at all.)
 *  - no receipts: the channel already notified its customer.
 * The order's `sourceName`/`sourceIdentifier` (immutable after creation) carry the channel and the
 * external order id; orderCreate takes no `@idempotent` key (not in Shopify's list), so the
 * "never twice" check is `ORDERS` with "source_identifier:<id>" before a retry.
 * `order.customer.toUpsert` creates or updates the customer by email/phone.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/orderCreate
 */
export const ORDER_CREATE = `#graphql
  mutation OmsOrderCreate($order: OrderCreateOrderInput!) {
    orderCreate(
      order: $order
      options: { inventoryBehaviour: DECREMENT_IGNORING_POLICY, sendReceipt: false, sendFulfillmentReceipt: false }
    ) {
      order {
        id
        name
        sourceName
        sourceIdentifier
        createdAt
        fulfillmentOrders(first: 10) {
          nodes {
            id
            status
            assignedLocation {
              location {
                id
              }
            }
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as TypedDocument<G.OmsOrderCreateMutation, G.OmsOrderCreateMutationVariables>;

/**
 * Move a fulfillment order (or some of its lines) to the routed location.  Fails for FOs with a
 * 3PL request in progress or manually reported progress.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderMove
 */
export const FULFILLMENT_ORDER_MOVE = `#graphql
  mutation OmsFulfillmentOrderMove($id: ID!, $newLocationId: ID!, $lineItems: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $newLocationId, fulfillmentOrderLineItems: $lineItems) {
      movedFulfillmentOrder {
        id
        status
        assignedLocation {
          location {
            id
          }
        }
      }
      originalFulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
` as TypedDocument<G.OmsFulfillmentOrderMoveMutation, G.OmsFulfillmentOrderMoveMutationVariables>;

/**
 * Put a fulfillment order on hold.  Give the hold a `handle` so ours can be told from other apps'
 * and released by id. https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderHold
 */
export const FULFILLMENT_ORDER_HOLD = `#graphql
  mutation OmsFulfillmentOrderHold($id: ID!, $hold: FulfillmentOrderHoldInput!) {
    fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) {
      fulfillmentHold {
        id
        handle
        reason
      }
      fulfillmentOrder {
        id
        status
        fulfillmentHolds {
          id
          handle
          reason
          reasonNotes
          heldByRequestingApp
        }
      }
      remainingFulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as TypedDocument<G.OmsFulfillmentOrderHoldMutation, G.OmsFulfillmentOrderHoldMutationVariables>;

/**
 * Release only the given holds.  `$holdIds` is non-null on purpose: without holdIds Shopify
 * releases every hold, other apps' included.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderReleaseHold
 */
export const FULFILLMENT_ORDER_RELEASE_HOLD = `#graphql
  mutation OmsFulfillmentOrderReleaseHold($id: ID!, $holdIds: [ID!]!) {
    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
      fulfillmentOrder {
        id
        status
        fulfillmentHolds {
          id
          handle
          reason
          reasonNotes
          heldByRequestingApp
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as TypedDocument<G.OmsFulfillmentOrderReleaseHoldMutation, G.OmsFulfillmentOrderReleaseHoldMutationVariables>;

/**
 * Mark pickup lines ready (the customer is notified by Shopify).
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderLineItemsPreparedForPickup
 */
export const FULFILLMENT_ORDER_LINE_ITEMS_PREPARED_FOR_PICKUP = `#graphql
  mutation OmsFulfillmentOrderLineItemsPreparedForPickup($input: FulfillmentOrderLineItemsPreparedForPickupInput!) {
    fulfillmentOrderLineItemsPreparedForPickup(input: $input) {
      userErrors {
        field
        message
        code
      }
    }
  }
` as TypedDocument<G.OmsFulfillmentOrderLineItemsPreparedForPickupMutation, G.OmsFulfillmentOrderLineItemsPreparedForPickupMutationVariables>;

/**
 * Set absolute quantities where the hub is the source of truth.  Every row must carry
 * `changeFromQuantity` (compare-and-set; explicit null opts out) — mandatory from 2026-04, a stale
 * one answers CHANGE_FROM_QUANTITY_STALE — and the mutation must carry `@idempotent` (required from
 * 2026-04; the key is a variable, stable per intent and reused on retries).
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/inventorySetQuantities
 * https://shopify.dev/docs/api/usage/idempotent-requests
 */
export const INVENTORY_SET_QUANTITIES = `#graphql
  mutation OmsInventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
        reason
        referenceDocumentUri
        changes {
          name
          delta
          quantityAfterChange
          item {
            id
          }
          location {
            id
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as TypedDocument<G.OmsInventorySetQuantitiesMutation, G.OmsInventorySetQuantitiesMutationVariables>;
