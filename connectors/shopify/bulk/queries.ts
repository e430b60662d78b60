/**
 * The bulk queries the Shopify import runs (https://shopify.dev/docs/api/usage/bulk-operations/queries).
 * They are the `query` variable of bulkOperationRunQuery (connectors/shopify/client/documents.ts),
 * not documents of their own: Shopify runs them asynchronously and writes JSONL.  Checked against
 * the real 2026-10 schema and Shopify's bulk restrictions by queries.contract.test.ts.
 */
/**
 * Variants with their product and every inventory level.  Two connections, one nested: within
 * Shopify's bulk limits (≤ 5 connections, nesting depth ≤ 2).
 * https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions
 */
export const BULK_CATALOG_QUERY = `#graphql
  query OmsBulkCatalog {
    productVariants {
      edges {
        node {
          id
          sku
          title
          barcode
          product {
            id
            title
            vendor
            tags
          }
          inventoryItem {
            id
            inventoryLevels {
              edges {
                node {
                  id
                  updatedAt
                  location {
                    id
                  }
                  quantities(names: ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"]) {
                    name
                    quantity
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * Orders created since `{since}` with their line items: what the order webhooks' mapper reads
 * (connectors/shopify/mappers/bulk.ts maps these fields onto the REST payload), plus the state the
 * import classifies by (cancelledAt, closedAt, displayFulfillmentStatus, unfulfilledQuantity).
 * Two connections, one nested.  Bulk queries take no variables, so the date is written into the
 * search string by bulkOrdersQuery; `{since}` keeps this text a valid, checkable document.
 * Search syntax: https://shopify.dev/docs/api/usage/search-syntax (dates quoted, `>=`).
 * Fields: https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order
 */
export const BULK_ORDERS_QUERY = `#graphql
  query OmsBulkOrders {
    orders(query: "created_at:>='{since}'") {
      edges {
        node {
          id
          name
          createdAt
          updatedAt
          cancelledAt
          closedAt
          sourceName
          sourceIdentifier
          displayFinancialStatus
          displayFulfillmentStatus
          currencyCode
          currentTotalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          customer {
            id
            tags
          }
          purchasingEntity {
            __typename
            ... on PurchasingCompany {
              company {
                id
              }
              location {
                id
              }
            }
          }
          retailLocation {
            id
          }
          shippingAddress {
            city
            provinceCode
            countryCodeV2
            zip
            latitude
            longitude
          }
          billingAddress {
            city
            provinceCode
            countryCodeV2
            zip
            latitude
            longitude
          }
          shippingLine {
            title
            code
            source
          }
          lineItems {
            edges {
              node {
                id
                sku
                title
                name
                quantity
                currentQuantity
                unfulfilledQuantity
                requiresShipping
                originalUnitPriceSet {
                  shopMoney {
                    amount
                  }
                }
                variant {
                  id
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** BULK_ORDERS_QUERY for orders created at or after `since`. */
export function bulkOrdersQuery(since: Date): string {
  if (Number.isNaN(since.getTime())) throw new RangeError("bulkOrdersQuery: since must be a valid date");
  return BULK_ORDERS_QUERY.replace("{since}", since.toISOString());
}
