/**
 * Bulk operations: the bulk_operations/finish webhook, and orders read through the Admin GraphQL
 * API (bulk JSONL rows or `orders` pages) mapped with the order webhooks' mapper (below).
 *
 * bulk_operations/finish → the finished bulk operation.
 * Sample: https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-bulk_operations/finish
 * The payload has no result URL: the consumer asks the Admin API (`node(id:)` → BulkOperation.url).
 */
import { z } from "zod";
import { gidTail } from "./ids";
import { mapShopifyOrder, parseShopifyOrder, type MappedOrder, type ShopLocationRef } from "./orders";
import { gid, parsePayload, timestamp } from "./schema";

const bulkPayload = z.object({
  admin_graphql_api_id: gid("BulkOperation"),
  status: z.string().min(1),
  type: z.string().nullish(),
  error_code: z.string().nullish(),
  created_at: timestamp.nullish(),
  completed_at: timestamp.nullish(),
});

export interface MappedBulkFinish {
  bulkOperationId: string;
  /** Lower-case as sent: completed | failed | canceled | expired … */
  status: string;
  type: string | null;
  errorCode: string | null;
  createdAt: Date | null;
  completedAt: Date | null;
}

export function mapBulkOperationFinish(raw: string | unknown, topic = "bulk_operations/finish"): MappedBulkFinish {
  const p = parsePayload(bulkPayload, raw, topic);
  return { bulkOperationId: p.admin_graphql_api_id, status: p.status.toLowerCase(), type: p.type ?? null, errorCode: p.error_code ?? null, createdAt: p.created_at ?? null, completedAt: p.completed_at ?? null };
}

// ── Orders read through the Admin GraphQL API (bulk JSONL rows or `orders` pages) ────────────────
//
// The import reads orders as GraphQL objects, the webhooks deliver them as REST objects.  Rather
// than a second mapper, a GraphQL order is rewritten into the REST shape of Shopify's order webhook
// payload (https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-orders/create) and then
// goes through the same parseShopifyOrder + mapShopifyOrder as orders/create: the same channel,
// speed, pickup, destination and line rules, and the same keys (numeric line ids, the order's gid),
// so an order that arrives both ways is recognised as one.
//
// Field correspondence (GraphQL 2026-10 Order → REST order):
// https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order
//   id (gid) → id (numeric tail) + admin_graphql_api_id     displayFinancialStatus PAID → financial_status "paid"
//   displayFulfillmentStatus FULFILLED → "fulfilled", PARTIALLY_FULFILLED → "partial", UNFULFILLED → null
//   purchasingEntity PurchasingCompany → company {id, location_id}   retailLocation → location_id
//   shippingAddress.countryCodeV2 → shipping_address.country_code    shippingLine → shipping_lines[0]
//   currentTotalPriceSet.shopMoney.amount → current_total_price      customer {id, tags[]} → customer {id, tags "a, b"}
//   LineItem: id → id (tail), title/name, quantity, currentQuantity → current_quantity,
//             originalUnitPriceSet.shopMoney.amount → price, requiresShipping → requires_shipping

interface GqlAddress {
  city?: string | null;
  provinceCode?: string | null;
  countryCodeV2?: string | null;
  zip?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

interface GqlMoney {
  shopMoney?: { amount?: string | number | null; currencyCode?: string | null } | null;
}

/** An order as the import's bulk query (or the `orders` page document) returns it; absent fields are allowed. */
export interface GraphqlOrder {
  id: string;
  name?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  cancelledAt?: string | null;
  closedAt?: string | null;
  sourceName?: string | null;
  sourceIdentifier?: string | null;
  displayFinancialStatus?: string | null;
  displayFulfillmentStatus?: string | null;
  currencyCode?: string | null;
  currentTotalPriceSet?: GqlMoney | null;
  customer?: { id: string; tags?: string[] | null } | null;
  purchasingEntity?: { __typename?: string; company?: { id: string } | null; location?: { id: string } | null } | null;
  retailLocation?: { id: string } | null;
  shippingAddress?: GqlAddress | null;
  billingAddress?: GqlAddress | null;
  shippingLine?: { title?: string | null; code?: string | null; source?: string | null } | null;
}

export interface GraphqlLineItem {
  id: string;
  sku?: string | null;
  title?: string | null;
  name?: string | null;
  quantity: number;
  currentQuantity?: number | null;
  unfulfilledQuantity?: number | null;
  requiresShipping?: boolean | null;
  originalUnitPriceSet?: GqlMoney | null;
  variant?: { id: string } | null;
}

/** Where an order stands for the import (see importedOrderState). */
export type ImportedOrderState = "open" | "fulfilled" | "closed" | "cancelled";

export interface ImportedOrder extends MappedOrder {
  state: ImportedOrderState;
  /** Lines the hub holds (it has their SKU) that Shopify has fully fulfilled: their units are gone. */
  fulfilledLineKeys: string[];
  /** The REST-shaped payload the mapper read (the hub's echo check reads source_name/source_identifier from it). */
  payload: Record<string, unknown>;
}

/** Shopify's REST fulfillment_status for a GraphQL displayFulfillmentStatus (null = unfulfilled, as REST sends it). */
export function restFulfillmentStatus(display: string | null | undefined): string | null {
  if (!display) return null;
  switch (display) {
    case "UNFULFILLED":
      return null;
    case "PARTIALLY_FULFILLED":
      return "partial";
    default:
      return display.toLowerCase();
  }
}

const address = (a: GqlAddress | null | undefined) =>
  a ? { country_code: a.countryCodeV2 ?? null, province_code: a.provinceCode ?? null, zip: a.zip ?? null, city: a.city ?? null, latitude: a.latitude ?? null, longitude: a.longitude ?? null } : null;

const amount = (m: GqlMoney | null | undefined) => {
  const v = m?.shopMoney?.amount;
  return v === null || v === undefined ? null : String(v);
};

/**
 * A GraphQL order and its line items → the REST order payload shape (plain data; the mapper
 * validates it).  Ids become the numeric tails REST uses; the order keeps its gid.
 */
export function graphqlOrderToPayload(order: GraphqlOrder, lineItems: readonly GraphqlLineItem[]): Record<string, unknown> {
  const company = order.purchasingEntity?.company ? { id: gidTail(order.purchasingEntity.company.id), location_id: order.purchasingEntity.location ? gidTail(order.purchasingEntity.location.id) : null } : null;
  return {
    id: gidTail(order.id),
    admin_graphql_api_id: order.id,
    name: order.name,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt ?? null,
    financial_status: order.displayFinancialStatus ? order.displayFinancialStatus.toLowerCase() : null,
    fulfillment_status: restFulfillmentStatus(order.displayFulfillmentStatus),
    source_name: order.sourceName ?? null,
    source_identifier: order.sourceIdentifier ?? null,
    location_id: order.retailLocation ? gidTail(order.retailLocation.id) : null,
    currency: order.currencyCode ?? order.currentTotalPriceSet?.shopMoney?.currencyCode ?? null,
    current_total_price: amount(order.currentTotalPriceSet),
    customer: order.customer ? { id: gidTail(order.customer.id), tags: (order.customer.tags ?? []).join(", ") } : null,
    company,
    shipping_address: address(order.shippingAddress),
    billing_address: address(order.billingAddress),
    shipping_lines: order.shippingLine ? [{ title: order.shippingLine.title ?? null, code: order.shippingLine.code ?? null, source: order.shippingLine.source ?? null }] : [],
    line_items: lineItems.map((li) => ({
      id: gidTail(li.id),
      sku: li.sku ?? null,
      title: li.title ?? null,
      name: li.name ?? null,
      quantity: li.quantity,
      current_quantity: li.currentQuantity ?? null,
      price: amount(li.originalUnitPriceSet),
      requires_shipping: li.requiresShipping ?? null,
    })),
  };
}

/**
 * Where an order stands, first match wins:
 *
 * | the order                                                        | state       |
 * |------------------------------------------------------------------|-------------|
 * | `cancelledAt` set                                                | `cancelled` |
 * | `closedAt` set (archived: Shopify closes an order when it is done) | `closed`    |
 * | displayFulfillmentStatus FULFILLED or RESTOCKED, or every line has `unfulfilledQuantity` 0 | `fulfilled` |
 * | anything else (unfulfilled, partially fulfilled, on hold, scheduled, in progress) | `open` |
 *
 * Only `open` orders still hold stock at Shopify (committed), so only they are taken in like an
 * orders/create webhook; the others are history.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/enums/OrderDisplayFulfillmentStatus
 */
export function importedOrderState(order: Pick<GraphqlOrder, "cancelledAt" | "closedAt" | "displayFulfillmentStatus">, lineItems: readonly Pick<GraphqlLineItem, "unfulfilledQuantity">[]): ImportedOrderState {
  if (order.cancelledAt) return "cancelled";
  if (order.closedAt) return "closed";
  if (order.displayFulfillmentStatus === "FULFILLED" || order.displayFulfillmentStatus === "RESTOCKED") return "fulfilled";
  const known = lineItems.filter((l) => l.unfulfilledQuantity !== null && l.unfulfilledQuantity !== undefined);
  if (lineItems.length > 0 && known.length === lineItems.length && known.every((l) => l.unfulfilledQuantity === 0)) return "fulfilled";
  return "open";
}

/**
 * One imported order through the webhook mapper.  `topic` names the source in errors (e.g.
 * "shopify.import.orders"): a field Shopify sent wrong raises WebhookPayloadError naming it.
 */
export function mapImportedOrder(order: GraphqlOrder, lineItems: readonly GraphqlLineItem[], ctx: { locations: readonly ShopLocationRef[]; topic: string }): ImportedOrder {
  const payload = graphqlOrderToPayload(order, lineItems);
  const mapped = mapShopifyOrder(parseShopifyOrder(payload, ctx.topic), ctx);
  const held = new Set(mapped.intake.lines.map((l) => l.lineKey));
  const fulfilledLineKeys = lineItems.filter((li) => li.unfulfilledQuantity === 0 && held.has(gidTail(li.id))).map((li) => gidTail(li.id));
  return { ...mapped, state: importedOrderState(order, lineItems), fulfilledLineKeys, payload };
}

/** The first day of the import's order window: `days` before `now` (Shopify keeps 60 days without read_all_orders). */
export function orderWindowStart(now: Date, days = 60): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`order window must be a whole number of days ≥ 1, got ${days}`);
  return new Date(now.getTime() - days * 86_400_000);
}
