/**
 * Shopify order webhooks (orders/create, orders/updated, orders/cancelled; orders/edited) → the
 * hub's order intake and the order's status facts.  Pure: the shop's locations are passed in.
 *
 * Payload shape: the REST Order resource, as in Shopify's sample payloads
 * (https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-orders/create, fixtures in
 * connectors/shopify/fixtures/webhooks/).
 *
 * Channel (which hub channel an order belongs to), first match wins:
 *
 * | the order                          | hub channel code |
 * |------------------------------------|------------------|
 * | has a `company` (Shopify B2B)      | `b2b`            |
 * | `source_name` = "web"              | `online`         |
 * | `source_name` = "pos"              | `pos`            |
 * | any other `source_name` (apps, draft orders, mobile, …) | `online` |
 *
 * Speed:
 *
 * | the order                                                                 | speed      |
 * |---------------------------------------------------------------------------|------------|
 * | POS sale with no shipping address (taken at the counter)                  | `pickup` at the POS `location_id` |
 * | no shipping address, a Shopify-rated shipping line whose code or title is the name of one of the shop's locations (how local pickup shows in the REST payload: https://community.shopify.com/t/how-to-differentiate-a-local-pickup-vs-local-delivery-in-the-fulfillment-process/117153) | `pickup` at that location |
 * | a shipping line titled or coded same day / same-day                       | `same_day` |
 * | a shipping line titled or coded express, expedited, priority, overnight, next day, 1-day, 2-day | `expedited` |
 * | anything else                                                             | `standard` |
 *
 * Paid: `financial_status` is paid, partially_refunded or refunded.  Lines: every line item with a
 * SKU that needs shipping and is not a gift card, with its current quantity (after edits and
 * removals) above zero; the rest are reported in `skippedLines` (they hold no stock).
 */
import { z } from "zod";
import type { HubOrderInput } from "#connectors/core/order-intake";
import { gidOf, toGid, type NumericId } from "./ids";
import { WebhookPayloadError } from "./json";
import { moneyCents, numericId, parsePayload, timestamp } from "./schema";

const address = z
  .object({
    country_code: z.string().nullish(),
    province_code: z.string().nullish(),
    zip: z.string().nullish(),
    city: z.string().nullish(),
    latitude: z.number().nullish(),
    longitude: z.number().nullish(),
  })
  .nullish();

const lineItem = z.object({
  id: numericId,
  sku: z.string().nullish(),
  title: z.string().nullish(),
  name: z.string().nullish(),
  quantity: z.number().int("must be a whole number").nonnegative(),
  current_quantity: z.number().int().nonnegative().nullish(),
  price: moneyCents.nullish(),
  gift_card: z.boolean().nullish(),
  requires_shipping: z.boolean().nullish(),
});

export const shopifyOrderPayload = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().nullish(),
  name: z.string().min(1),
  created_at: timestamp,
  updated_at: timestamp,
  cancelled_at: timestamp.nullish(),
  cancel_reason: z.string().nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  source_name: z.string().nullish(),
  location_id: numericId.nullish(),
  currency: z.string().length(3).nullish(),
  total_price: moneyCents.nullish(),
  current_total_price: moneyCents.nullish(),
  customer: z.object({ id: numericId, tags: z.string().nullish() }).nullish(),
  company: z.object({ id: numericId, location_id: numericId.nullish() }).nullish(),
  shipping_address: address,
  billing_address: address,
  shipping_lines: z
    .array(z.object({ title: z.string().nullish(), code: z.string().nullish(), source: z.string().nullish(), is_removed: z.boolean().nullish() }))
    .nullish(),
  line_items: z.array(lineItem),
});
export type ShopifyOrderPayload = z.output<typeof shopifyOrderPayload>;

/** Hub channel code by `source_name` (B2B orders go to `b2b` first; unknown sources to `online`). */
export const CHANNEL_BY_SOURCE_NAME: Readonly<Record<string, string>> = { web: "online", pos: "pos" };
export const B2B_CHANNEL = "b2b";
export const DEFAULT_CHANNEL = "online";

const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded"]);
const SAME_DAY = /same[\s-]?day/i;
const EXPEDITED = /express|expedited|priority|overnight|next[\s-]?day|\b[12][\s-]?day\b|two[\s-]?day/i;

/** A location of the shop, as the mapper needs it (ids are the hub's; gid is Shopify's). */
export interface ShopLocationRef {
  id: string;
  shopifyLocationGid: string | null;
  name: string;
  countryCode: string | null;
  province: string | null;
  zip: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** The order's status facts, guarded by `updatedAt` when applied. */
export interface OrderFacts {
  externalOrderId: string;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
}

export interface MappedOrder {
  intake: HubOrderInput;
  facts: OrderFacts;
  /** Lines that hold no stock (gift cards, no SKU, no shipping, fully removed), with why. */
  skippedLines: { lineKey: string; reason: string }[];
}

export const orderGid = (o: { id: NumericId; admin_graphql_api_id?: string | null }) => gidOf("Order", o.id, o.admin_graphql_api_id)!;

export function channelFor(o: Pick<ShopifyOrderPayload, "company" | "source_name">): string {
  if (o.company) return B2B_CHANNEL;
  return CHANNEL_BY_SOURCE_NAME[(o.source_name ?? "").toLowerCase()] ?? DEFAULT_CHANNEL;
}

function shippingLines(o: ShopifyOrderPayload) {
  return (o.shipping_lines ?? []).filter((l) => !l.is_removed);
}

/** Where the customer collects the order, if it is a pickup (see the speed table above). */
function pickupLocation(o: ShopifyOrderPayload, locations: readonly ShopLocationRef[], topic: string): ShopLocationRef | null {
  if (o.shipping_address?.country_code) return null;
  if ((o.source_name ?? "").toLowerCase() === "pos" && o.location_id) {
    const gid = toGid("Location", o.location_id);
    const loc = locations.find((l) => l.shopifyLocationGid === gid);
    if (!loc) throw new WebhookPayloadError(`${topic}.location_id`, `no hub location is linked to Shopify location ${gid}; import or link the shop's locations, then replay`);
    return loc;
  }
  for (const line of shippingLines(o)) {
    if ((line.source ?? "shopify") !== "shopify") continue;
    const names = [line.code, line.title].filter((s): s is string => !!s).map((s) => s.trim().toLowerCase());
    const loc = locations.find((l) => names.includes(l.name.trim().toLowerCase()));
    if (loc) return loc;
  }
  return null;
}

function speedFor(o: ShopifyOrderPayload): HubOrderInput["speed"] {
  const labels = shippingLines(o).flatMap((l) => [l.title ?? "", l.code ?? ""]);
  if (labels.some((s) => SAME_DAY.test(s))) return "same_day";
  if (labels.some((s) => EXPEDITED.test(s))) return "expedited";
  return "standard";
}

/** The physical lines of an order at their current quantities, and the ones left out with why. */
export function orderLines(o: Pick<ShopifyOrderPayload, "line_items">) {
  const lines: HubOrderInput["lines"] = [];
  const skippedLines: MappedOrder["skippedLines"] = [];
  for (const li of o.line_items) {
    const quantity = li.current_quantity ?? li.quantity;
    const sku = li.sku?.trim() ?? "";
    const reason = li.gift_card ? "gift card" : li.requires_shipping === false ? "needs no shipping" : !sku ? "no SKU" : quantity <= 0 ? "removed (current quantity 0)" : null;
    if (reason) skippedLines.push({ lineKey: li.id, reason });
    else lines.push({ lineKey: li.id, sku, quantity, title: li.title ?? li.name ?? "", priceCents: li.price ?? 0 });
  }
  return { lines, skippedLines };
}

export function orderFacts(o: ShopifyOrderPayload): OrderFacts {
  return {
    externalOrderId: orderGid(o),
    updatedAt: o.updated_at,
    cancelledAt: o.cancelled_at ?? null,
    cancelReason: o.cancel_reason ?? null,
    financialStatus: o.financial_status ?? null,
    fulfillmentStatus: o.fulfillment_status ?? null,
  };
}

/** Parse an order webhook body (orders/create, orders/updated, orders/cancelled). */
export function parseShopifyOrder(raw: string | unknown, topic: string): ShopifyOrderPayload {
  return parsePayload(shopifyOrderPayload, raw, topic);
}

/** A parsed Shopify order → the hub's intake, its facts and the lines that hold no stock. */
export function mapShopifyOrder(o: ShopifyOrderPayload, ctx: { locations: readonly ShopLocationRef[]; topic: string }): MappedOrder {
  const { lines, skippedLines } = orderLines(o);
  const pickup = pickupLocation(o, ctx.locations, ctx.topic);
  const ship = o.shipping_address?.country_code ? o.shipping_address : null;
  let destination: HubOrderInput["destination"];
  if (ship) {
    destination = { countryCode: ship.country_code!.toUpperCase(), provinceCode: ship.province_code ?? null, zip: ship.zip ?? null, city: ship.city ?? null, lat: ship.latitude ?? null, lng: ship.longitude ?? null };
  } else if (pickup?.countryCode) {
    destination = { countryCode: pickup.countryCode, provinceCode: pickup.province, zip: pickup.zip, city: pickup.city, lat: pickup.latitude, lng: pickup.longitude };
  } else if (o.billing_address?.country_code) {
    const b = o.billing_address;
    destination = { countryCode: b.country_code!.toUpperCase(), provinceCode: b.province_code ?? null, zip: b.zip ?? null, city: b.city ?? null, lat: b.latitude ?? null, lng: b.longitude ?? null };
  } else {
    throw new WebhookPayloadError(`${ctx.topic}.shipping_address`, "missing, the order is not a pickup and has no billing address: the hub needs a destination to route it");
  }
  const value = o.current_total_price ?? o.total_price;
  const tags = (o.customer?.tags ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    intake: {
      channel: channelFor(o),
      externalOrderId: orderGid(o),
      name: o.name,
      placedAt: o.created_at,
      speed: pickup ? "pickup" : speedFor(o),
      b2b: !!o.company,
      companyId: o.company ? o.company.id : null,
      // The numeric customer id: customers/redact names customers by it.
      customerRef: o.customer ? o.customer.id : null,
      customerTags: tags,
      destination,
      pickupLocationId: pickup?.id ?? null,
      ...(value != null && value >= 0 ? { valueCents: value } : {}),
      currencyCode: (o.currency ?? "USD").toUpperCase(),
      paid: PAID_STATUSES.has((o.financial_status ?? "").toLowerCase()),
      lines,
    },
    facts: orderFacts(o),
    skippedLines,
  };
}

// ── orders/edited ─────────────────────────────────────────────────────────────────────────────

const editDelta = z.object({ id: numericId, delta: z.number().int().positive() });
export const shopifyOrderEditPayload = z.object({
  order_edit: z.object({
    id: numericId,
    order_id: numericId,
    created_at: timestamp,
    committed_at: timestamp.nullish(),
    staff_note: z.string().nullish(),
    line_items: z.object({ additions: z.array(editDelta).default([]), removals: z.array(editDelta).default([]) }),
  }),
});
export type ShopifyOrderEdit = z.output<typeof shopifyOrderEditPayload>["order_edit"];

export function parseShopifyOrderEdit(raw: string | unknown, topic = "orders/edited"): ShopifyOrderEdit {
  return parsePayload(shopifyOrderEditPayload, raw, topic).order_edit;
}

/**
 * Apply an order edit's quantity deltas to the lines the hub holds.  orders/edited names lines by
 * id only: an addition of a line the hub has never seen cannot be resolved from this payload (its
 * SKU comes with the next orders/updated), so it is reported in `unresolved` and nothing is applied.
 */
export function applyOrderEdit<L extends { lineKey: string; quantity: number }>(lines: readonly L[], edit: ShopifyOrderEdit): { lines: L[]; unresolved: string[]; changed: boolean } {
  const qty = new Map(lines.map((l) => [l.lineKey, l.quantity]));
  const unresolved: string[] = [];
  for (const a of edit.line_items.additions) {
    if (!qty.has(a.id)) unresolved.push(a.id);
    else qty.set(a.id, qty.get(a.id)! + a.delta);
  }
  for (const r of edit.line_items.removals) {
    if (!qty.has(r.id)) continue; // a line the hub never held (gift card, no SKU): nothing to give back
    qty.set(r.id, Math.max(0, qty.get(r.id)! - r.delta));
  }
  if (unresolved.length) return { lines: [...lines], unresolved, changed: false };
  const next = lines.filter((l) => qty.get(l.lineKey)! > 0).map((l) => ({ ...l, quantity: qty.get(l.lineKey)! }));
  const changed = next.length !== lines.length || next.some((l, i) => l.quantity !== lines[i]!.quantity);
  return { lines: next, unresolved, changed };
}
