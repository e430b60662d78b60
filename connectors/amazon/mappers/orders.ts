/**
 * Orders API 2026-01-01 Order → the hub's order intake (app/modules/orders orderIntakeSchema, as plain
 * data) and the order's status facts.  Pure: no I/O, no clock.
 * Model: https://github.com/amzn/selling-partner-api-models/blob/main/models/orders-api-model/orders_2026-01-01.json
 * (examples in connectors/amazon/fixtures/sp-api/searchOrders.* and getOrder2026.*).
 *
 * | Amazon                                                   | hub                                   |
 * |----------------------------------------------------------|---------------------------------------|
 * | salesChannel.marketplaceId                               | channel `amazon-<country>` (marketplaces.ts; overridable) |
 * | orderId                                                  | externalOrderId and name              |
 * | createdTime                                              | placedAt                              |
 * | fulfillment.fulfillmentServiceLevel SAME_DAY             | speed same_day                        |
 * | … EXPEDITED, PRIORITY, NEXT_DAY, SECOND_DAY              | speed expedited                       |
 * | … STANDARD, FREE_ECONOMY, SCHEDULED, absent              | speed standard                        |
 * | programs AMAZON_BUSINESS                                 | b2b                                   |
 * | programs PRIME / AMAZON_BUSINESS                         | customer tags amazon-prime / amazon-business |
 * | recipient.deliveryAddress                                | destination (country, state code, postal code, city) |
 * | no deliveryAddress (Pending orders, no RECIPIENT data)   | destination = the marketplace's country |
 * | proceeds.grandTotal                                      | valueCents, currencyCode              |
 * | fulfillmentStatus not PENDING / PENDING_AVAILABILITY     | paid (Amazon has authorised payment)  |
 * | orderItems[] by product.sellerSku                        | lines (lineKey = orderItemId)         |
 * | fulfillment.fulfilledBy AMAZON (FBA, "AFN")              | recordOnly: the hub records it, reserves and routes nothing |
 * | any item cancellation.cancellationRequest                | cancellationRequested                 |
 * | fulfillmentStatus CANCELLED                              | cancelled                             |
 *
 * Buyer name and e-mail are not copied (PII the hub does not need to route; brief §6.8).
 */
import { z } from "zod";
import type { HubOrderInput } from "#connectors/core/order-intake";
import { channelCodeFor, marketplace } from "./marketplaces";
import { AmazonPayloadError, decimalToCents, parseAmazon } from "./errors";

const money = z.object({ amount: z.string(), currencyCode: z.string().length(3) });
const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date-time");

const orderItem = z.object({
  orderItemId: z.string().min(1),
  quantityOrdered: z.number().int("must be a whole number").nonnegative(),
  product: z.object({ sellerSku: z.string().nullish(), title: z.string().nullish(), asin: z.string().nullish(), price: z.object({ unitPrice: money.nullish() }).nullish() }),
  cancellation: z.object({ cancellationRequest: z.object({ requester: z.string().nullish(), cancelReason: z.string().nullish() }).nullish(), cancellationExecution: z.object({}).passthrough().nullish() }).nullish(),
  fulfillment: z.object({ quantityFulfilled: z.number().int().nullish(), quantityUnfulfilled: z.number().int().nullish() }).nullish(),
});

export const amazonOrderSchema = z.object({
  orderId: z.string().min(1),
  createdTime: dateTime,
  lastUpdatedTime: dateTime,
  programs: z.array(z.string()).nullish(),
  salesChannel: z.object({ channelName: z.string(), marketplaceId: z.string().min(1, "is required to know the hub channel") }),
  recipient: z.object({ deliveryAddress: z.object({ countryCode: z.string().nullish(), stateOrRegion: z.string().nullish(), postalCode: z.string().nullish(), city: z.string().nullish() }).nullish() }).nullish(),
  proceeds: z.object({ grandTotal: money.nullish() }).nullish(),
  fulfillment: z.object({ fulfillmentStatus: z.string(), fulfilledBy: z.string().nullish(), fulfillmentServiceLevel: z.string().nullish() }).nullish(),
  orderItems: z.array(orderItem),
});
export type AmazonOrder = z.output<typeof amazonOrderSchema>;

export interface MappedAmazonOrder {
  intake: HubOrderInput;
  /** FBA order: shown for visibility; the hub reserves and routes nothing. */
  recordOnly: boolean;
  fulfillmentChannel: "MFN" | "AFN";
  /** fulfillment.fulfillmentStatus as Amazon sent it (null without FULFILLMENT data). */
  status: string | null;
  cancellationRequested: boolean;
  cancelled: boolean;
  /** lastUpdatedTime: apply only when newer than what the hub holds (brief §6.6). */
  updatedAt: Date;
  skippedLines: { lineKey: string; reason: string }[];
}

const SPEED_BY_SERVICE_LEVEL: Readonly<Record<string, HubOrderInput["speed"]>> = {
  SAME_DAY: "same_day",
  EXPEDITED: "expedited",
  PRIORITY: "expedited",
  NEXT_DAY: "expedited",
  SECOND_DAY: "expedited",
  STANDARD: "standard",
  FREE_ECONOMY: "standard",
  SCHEDULED: "standard",
};
const UNPAID = new Set(["PENDING", "PENDING_AVAILABILITY"]);

export function parseAmazonOrder(raw: unknown, root = "order"): AmazonOrder {
  return parseAmazon(amazonOrderSchema, raw, root);
}

/** A parsed 2026-01-01 order → the hub's intake and status facts. `channelOverrides` maps marketplace id → channel code. */
export function mapAmazonOrder(o: AmazonOrder, ctx: { channelOverrides?: Readonly<Record<string, string>>; root?: string } = {}): MappedAmazonOrder {
  const root = ctx.root ?? "order";
  const marketplaceId = o.salesChannel.marketplaceId;
  const channel = channelCodeFor(marketplaceId, ctx.channelOverrides);
  if (!channel) throw new AmazonPayloadError(`${root}.salesChannel.marketplaceId`, `unknown marketplace ${marketplaceId}; add it to the channel overrides`);
  const status = o.fulfillment?.fulfillmentStatus ?? null;
  const afn = o.fulfillment?.fulfilledBy === "AMAZON";
  const lines: HubOrderInput["lines"] = [];
  const skippedLines: MappedAmazonOrder["skippedLines"] = [];
  o.orderItems.forEach((it, i) => {
    const sku = it.product.sellerSku?.trim() ?? "";
    if (!sku) return skippedLines.push({ lineKey: it.orderItemId, reason: "no seller SKU" });
    if (it.quantityOrdered <= 0) return skippedLines.push({ lineKey: it.orderItemId, reason: "quantity 0" });
    const unit = it.product.price?.unitPrice;
    lines.push({ lineKey: it.orderItemId, sku, quantity: it.quantityOrdered, title: it.product.title ?? "", priceCents: unit ? Math.max(0, decimalToCents(unit.amount, `${root}.orderItems.${i}.product.price.unitPrice.amount`)) : 0 });
  });
  if (!lines.length) throw new AmazonPayloadError(`${root}.orderItems`, "no item with a seller SKU and a quantity: nothing for the hub to reserve or record");

  const address = o.recipient?.deliveryAddress;
  const m = marketplace(marketplaceId);
  const countryCode = (address?.countryCode ?? m?.countryCode ?? "").toUpperCase();
  if (countryCode.length !== 2) throw new AmazonPayloadError(`${root}.recipient.deliveryAddress.countryCode`, "missing and the marketplace's country is unknown");
  const region = address?.stateOrRegion?.trim() ?? "";
  const destination: HubOrderInput["destination"] = address
    ? {
        countryCode,
        // Only a code (WA, ON, NSW) is a province code; free text such as "England" is not.
        provinceCode: /^[A-Za-z0-9]{1,3}$/.test(region) ? region.toUpperCase() : null,
        zip: address.postalCode?.trim() || null,
        city: address.city?.trim() || null,
        lat: null,
        lng: null,
      }
    : { countryCode, provinceCode: null, zip: null, city: null, lat: null, lng: null };

  const programs = new Set(o.programs ?? []);
  const grand = o.proceeds?.grandTotal;
  const currency = grand?.currencyCode ?? o.orderItems.find((i) => i.product.price?.unitPrice)?.product.price?.unitPrice?.currencyCode ?? m?.currencyCode ?? "USD";
  const level = o.fulfillment?.fulfillmentServiceLevel ?? "STANDARD";
  return {
    intake: {
      channel,
      externalOrderId: o.orderId,
      name: o.orderId,
      placedAt: new Date(o.createdTime),
      speed: SPEED_BY_SERVICE_LEVEL[level] ?? "standard",
      b2b: programs.has("AMAZON_BUSINESS"),
      companyId: null,
      customerRef: null,
      customerTags: [...(programs.has("PRIME") ? ["amazon-prime"] : []), ...(programs.has("AMAZON_BUSINESS") ? ["amazon-business"] : [])],
      destination,
      pickupLocationId: null,
      ...(grand ? { valueCents: Math.max(0, decimalToCents(grand.amount, `${root}.proceeds.grandTotal.amount`)) } : {}),
      currencyCode: currency.toUpperCase(),
      paid: status !== null && !UNPAID.has(status),
      lines,
    },
    recordOnly: afn,
    fulfillmentChannel: afn ? "AFN" : "MFN",
    status,
    cancellationRequested: o.orderItems.some((i) => i.cancellation?.cancellationRequest != null),
    cancelled: status === "CANCELLED",
    updatedAt: new Date(o.lastUpdatedTime),
    skippedLines,
  };
}
