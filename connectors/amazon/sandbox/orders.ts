/**
 * The peer's orders: records, their rendering in the Orders API 2026-01-01 shape (field names exactly
 * as in Amazon's examples, connectors/amazon/fixtures/sp-api/searchOrders.* and getOrder2026.*),
 * the changes Amazon makes to them (buyer cancellation requests, cancellations, FBA shipping), MFN
 * shipment confirmation (Orders v0 confirmShipment) and the ORDER_CHANGE notifications they cause.
 * Model: https://github.com/amzn/selling-partner-api-models/blob/main/models/orders-api-model/orders_2026-01-01.json
 */
import { marketplace } from "../mappers/marketplaces";
import { digits, invalidInput, isoUtc, parseIsoDateTime, PeerError, prng } from "./util";

export const FULFILLMENT_STATUSES = ["PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];
export const FULFILLED_BY = ["MERCHANT", "AMAZON"] as const;
export type FulfilledBy = (typeof FULFILLED_BY)[number];
export const INCLUDED_DATA = ["BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"] as const;
export type IncludedData = (typeof INCLUDED_DATA)[number];
/** fulfillment.fulfillmentServiceLevel values (model: "Possible values"). */
export const SERVICE_LEVELS = ["EXPEDITED", "FREE_ECONOMY", "NEXT_DAY", "PRIORITY", "SAME_DAY", "SECOND_DAY", "SCHEDULED", "STANDARD"] as const;

export interface OrderItemRec {
  orderItemId: string;
  sku: string;
  asin: string;
  title: string;
  quantityOrdered: number;
  /** Decimal string, as Amazon's Money.amount. */
  unitPrice: string;
  quantityFulfilled: number;
  cancellationRequest: { requester: "BUYER"; cancelReason: string } | null;
  cancellationExecution: { cancelledBy: string; cancelReason: string } | null;
}

export interface PackageRec {
  packageReferenceId: string;
  carrierCode: string;
  carrierName: string | null;
  shippingMethod: string | null;
  trackingNumber: string;
  shipDate: string;
  createdMs: number;
  items: { orderItemId: string; quantity: number; transparencyCodes: string[] }[];
}

export interface AddressRec {
  name: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  stateOrRegion: string | null;
  postalCode: string;
  countryCode: string;
  phone: string;
  addressType: "RESIDENTIAL" | "COMMERCIAL";
}

export interface OrderRec {
  orderId: string;
  marketplaceId: string;
  createdMs: number;
  lastUpdatedMs: number;
  fulfilledBy: FulfilledBy;
  status: FulfillmentStatus;
  serviceLevel: (typeof SERVICE_LEVELS)[number];
  programs: string[];
  buyer: { buyerName: string; buyerEmail: string };
  address: AddressRec;
  currencyCode: string;
  items: OrderItemRec[];
  packages: PackageRec[];
  shipBy: { earliestMs: number; latestMs: number };
  deliverBy: { earliestMs: number; latestMs: number };
}

/** The seller's warehouse as packages[].shipFromAddress shows it (model: MerchantAddress). */
export interface ShipFromAddress {
  name: string;
  addressLine1: string;
  addressLine2: string;
  addressLine3: string;
  city: string;
  districtOrCounty: string;
  stateOrRegion: string;
  municipality: string;
  postalCode: string;
  countryCode: string;
}
export const DEFAULT_SHIP_FROM: ShipFromAddress = { name: "Sandbox Seller Warehouse", addressLine1: "4200 E Airport Dr", addressLine2: "Dock 3", addressLine3: "", city: "Ontario", districtOrCounty: "San Bernardino", stateOrRegion: "CA", municipality: "", postalCode: "91761", countryCode: "US" };

const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });

function times(amount: string, n: number): string {
  const cents = Math.round(Number(amount) * 100) * n;
  return (cents / 100).toFixed(2);
}

/** An order as searchOrders / getOrder return it, with the datasets asked for in `includedData`. */
export function renderOrder(o: OrderRec, included: ReadonlySet<string>, shipFrom: ShipFromAddress = DEFAULT_SHIP_FROM) {
  const m = marketplace(o.marketplaceId);
  const mfn = o.fulfilledBy === "MERCHANT";
  const cancelled = o.status === "CANCELLED";
  const liveItems = o.items.filter((i) => !i.cancellationExecution);
  const grand = liveItems.reduce((s, i) => s + Math.round(Number(i.unitPrice) * 100) * i.quantityOrdered, 0);
  return {
    orderId: o.orderId,
    // Amazon's examples all carry the seller's order id alias; the peer's sellers use the Amazon id.
    orderAliases: [{ aliasId: o.orderId, aliasType: "SELLER_ORDER_ID" }],
    createdTime: isoUtc(o.createdMs),
    lastUpdatedTime: isoUtc(o.lastUpdatedMs),
    programs: [...o.programs],
    associatedOrders: [] as unknown[],
    salesChannel: { channelName: "AMAZON", marketplaceId: o.marketplaceId, marketplaceName: m?.name ?? o.marketplaceId },
    ...(included.has("BUYER") ? { buyer: mfn ? { ...o.buyer } : { buyerName: o.buyer.buyerName } } : {}),
    ...(included.has("RECIPIENT") && !cancelled
      ? {
          recipient: {
            deliveryAddress: {
              name: o.address.name,
              addressLine1: o.address.addressLine1,
              addressLine2: o.address.addressLine2,
              city: o.address.city,
              ...(o.address.stateOrRegion ? { stateOrRegion: o.address.stateOrRegion } : {}),
              postalCode: o.address.postalCode,
              countryCode: o.address.countryCode,
              // Amazon suppresses the phone for FBA orders (model: CustomerAddress.phone).
              ...(mfn ? { phone: o.address.phone } : {}),
              addressType: o.address.addressType,
            },
          },
        }
      : {}),
    ...(included.has("PROCEEDS") ? { proceeds: { grandTotal: money((grand / 100).toFixed(2), o.currencyCode) } } : {}),
    ...(included.has("FULFILLMENT")
      ? {
          fulfillment: {
            fulfillmentStatus: o.status,
            fulfilledBy: o.fulfilledBy,
            fulfillmentServiceLevel: o.serviceLevel,
            shipByWindow: { earliestDateTime: isoUtc(o.shipBy.earliestMs), latestDateTime: isoUtc(o.shipBy.latestMs) },
            deliverByWindow: { earliestDateTime: isoUtc(o.deliverBy.earliestMs), latestDateTime: isoUtc(o.deliverBy.latestMs) },
          },
        }
      : {}),
    orderItems: o.items.map((i) => ({
      orderItemId: i.orderItemId,
      quantityOrdered: i.quantityOrdered,
      product: {
        asin: i.asin,
        title: i.title,
        sellerSku: i.sku,
        condition: { conditionType: "NEW", conditionSubtype: "NEW", conditionNote: "" },
        price: { unitPrice: money(i.unitPrice, o.currencyCode) },
      },
      ...(included.has("PROCEEDS") ? { proceeds: { proceedsTotal: money(times(i.unitPrice, i.quantityOrdered), o.currencyCode), breakdowns: [{ type: "ITEM", subtotal: money(times(i.unitPrice, i.quantityOrdered), o.currencyCode) }] } } : {}),
      ...(included.has("CANCELLATION") && (i.cancellationRequest || i.cancellationExecution)
        ? { cancellation: { ...(i.cancellationRequest ? { cancellationRequest: { ...i.cancellationRequest } } : {}), ...(i.cancellationExecution ? { cancellationExecution: { ...i.cancellationExecution } } : {}) } }
        : {}),
      ...(included.has("FULFILLMENT") ? { fulfillment: { quantityFulfilled: i.quantityFulfilled, quantityUnfulfilled: cancelled ? 0 : i.quantityOrdered - i.quantityFulfilled } } : {}),
    })),
    ...(included.has("PACKAGES") && o.packages.length
      ? {
          packages: o.packages.map((p) => ({
            packageReferenceId: p.packageReferenceId,
            createdTime: isoUtc(p.createdMs),
            packageStatus: { status: "IN_TRANSIT", detailedStatus: "IN_TRANSIT" },
            carrier: p.carrierName ?? p.carrierCode,
            shipTime: p.shipDate,
            ...(p.shippingMethod ? { shippingService: p.shippingMethod } : {}),
            trackingNumber: p.trackingNumber,
            shipFromAddress: { ...shipFrom },
            packageItems: p.items.map((x) => ({ orderItemId: x.orderItemId, quantity: x.quantity, transparencyCodes: [...x.transparencyCodes] })),
          })),
        }
      : {}),
  };
}

/** Orders v0 spelling of a status, as ORDER_CHANGE's Summary.OrderStatus carries it. */
export const V0_STATUS: Readonly<Record<FulfillmentStatus, string>> = {
  PENDING_AVAILABILITY: "PendingAvailability",
  PENDING: "Pending",
  UNSHIPPED: "Unshipped",
  PARTIALLY_SHIPPED: "PartiallyShipped",
  SHIPPED: "Shipped",
  CANCELLED: "Canceled",
  UNFULFILLABLE: "Unfulfillable",
};

export type OrderChangeType = "BuyerRequestedChange" | "OrderStatusChange";

/**
 * The body of the SQS message Amazon sends for ORDER_CHANGE (payload version 1.0), as in
 * schemas/notifications/OrderChangeNotification.json (fixture: notifications/OrderChangeNotification.example.json).
 */
export function orderChangeNotification(o: OrderRec, changeType: OrderChangeType, reason: string, ctx: { sellerId: string; notificationId: string; nowMs: number; applicationId: string; subscriptionId: string }) {
  const shipped = o.items.reduce((s, i) => s + i.quantityFulfilled, 0);
  const ordered = o.items.reduce((s, i) => s + i.quantityOrdered, 0);
  return {
    NotificationVersion: "1.0",
    NotificationType: "ORDER_CHANGE",
    PayloadVersion: "1.0",
    EventTime: new Date(ctx.nowMs).toISOString(),
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: "OrderLevel",
        SellerId: ctx.sellerId,
        AmazonOrderId: o.orderId,
        OrderChangeType: changeType,
        OrderChangeTrigger: { TimeOfOrderChange: new Date(o.lastUpdatedMs).toISOString(), ChangeReason: reason },
        Summary: {
          MarketplaceId: o.marketplaceId,
          OrderStatus: V0_STATUS[o.status],
          PurchaseDate: new Date(o.createdMs).toISOString(),
          DestinationPostalCode: o.address.postalCode,
          FulfillmentType: o.fulfilledBy === "MERCHANT" ? "MFN" : "AFN",
          OrderType: "StandardOrder",
          NumberOfItemsShipped: shipped,
          NumberOfItemsUnshipped: o.status === "CANCELLED" ? 0 : ordered - shipped,
          EarliestShipDate: new Date(o.shipBy.earliestMs).toISOString(),
          LatestShipDate: new Date(o.shipBy.latestMs).toISOString(),
          OrderItems: o.items.map((i) => ({
            OrderItemId: i.orderItemId,
            SellerSKU: i.sku,
            Quantity: i.quantityOrdered,
            QuantityShipped: i.quantityFulfilled,
            IsBuyerRequestedCancel: !!i.cancellationRequest,
          })),
        },
      },
    },
    NotificationMetadata: { ApplicationId: ctx.applicationId, SubscriptionId: ctx.subscriptionId, PublishTime: new Date(ctx.nowMs).toISOString(), NotificationId: ctx.notificationId },
  };
}

// ── confirmShipment (Orders v0) ────────────────────────────────────────────────────────────────

export interface ConfirmShipmentBody {
  marketplaceId: string;
  packageDetail: {
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    shippingMethod?: string;
    trackingNumber: string;
    shipDate: string;
    shipFromSupplySourceId?: string;
    orderItems: { orderItemId: string; quantity: number; transparencyCodes?: string[] }[];
  };
  codCollectionMethod?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0;

/** Checks a ConfirmShipmentRequest (ordersV0.json definitions) and names the first field that is wrong. */
export function parseConfirmShipment(body: unknown): ConfirmShipmentBody {
  if (!isObj(body)) throw invalidInput("The request body must be a JSON object (ConfirmShipmentRequest).");
  if (!nonEmpty(body.marketplaceId)) throw invalidInput("marketplaceId is required.");
  const p = body.packageDetail;
  if (!isObj(p)) throw invalidInput("packageDetail is required.");
  for (const f of ["packageReferenceId", "carrierCode", "trackingNumber", "shipDate"] as const) {
    if (!nonEmpty(p[f])) throw invalidInput(`packageDetail.${f} is required.`);
  }
  if (!/^\d+$/.test(p.packageReferenceId as string) || Number(p.packageReferenceId) < 1) throw invalidInput("packageDetail.packageReferenceId must be a positive number.");
  if (p.carrierCode === "Other" && !nonEmpty(p.carrierName)) throw invalidInput('packageDetail.carrierName is required when carrierCode is "Other".');
  if (parseIsoDateTime(p.shipDate as string) === null) throw invalidInput(`packageDetail.shipDate must be an ISO 8601 date-time, got "${p.shipDate as string}".`);
  if (!Array.isArray(p.orderItems) || p.orderItems.length === 0) throw invalidInput("packageDetail.orderItems must list at least one item.");
  p.orderItems.forEach((it, i) => {
    if (!isObj(it) || !nonEmpty(it.orderItemId)) throw invalidInput(`packageDetail.orderItems[${i}].orderItemId is required.`);
    if (!Number.isInteger(it.quantity) || (it.quantity as number) < 1) throw invalidInput(`packageDetail.orderItems[${i}].quantity must be a positive integer.`);
  });
  return body as unknown as ConfirmShipmentBody;
}

// ── The order book ─────────────────────────────────────────────────────────────────────────────

export interface OrderChange {
  order: OrderRec;
  changeType: OrderChangeType;
  reason: string;
}

export class OrderBook {
  private readonly orders = new Map<string, OrderRec>();
  private readonly listeners: ((c: OrderChange) => void)[] = [];

  constructor(private readonly now: () => number) {}

  onChange(fn: (c: OrderChange) => void) {
    this.listeners.push(fn);
  }

  private emit(order: OrderRec, changeType: OrderChangeType, reason: string) {
    for (const fn of this.listeners) fn({ order, changeType, reason });
  }

  /** A change Amazon makes stamps lastUpdatedTime; it never goes backwards, even on a stepped clock. */
  private touch(o: OrderRec) {
    o.lastUpdatedMs = Math.max(this.now(), o.lastUpdatedMs + 1000);
  }

  add(o: OrderRec) {
    if (this.orders.has(o.orderId)) throw new Error(`Amazon sandbox: order ${o.orderId} exists`);
    this.orders.set(o.orderId, o);
    this.emit(o, "OrderStatusChange", "Order created");
  }

  get(orderId: string): OrderRec | undefined {
    return this.orders.get(orderId);
  }

  all(): OrderRec[] {
    return [...this.orders.values()];
  }

  private mustGet(orderId: string): OrderRec {
    const o = this.orders.get(orderId);
    if (!o) throw new Error(`Amazon sandbox: no order ${orderId}`);
    return o;
  }

  /** The buyer asks to cancel (before shipment): items carry cancellationRequest{requester: BUYER}. */
  requestCancellation(orderId: string, cancelReason = "Buyer requested cancellation"): OrderRec {
    const o = this.mustGet(orderId);
    if (o.status === "SHIPPED" || o.status === "CANCELLED") throw new Error(`Amazon sandbox: order ${orderId} is ${o.status}; a buyer can no longer request cancellation`);
    for (const i of o.items) if (i.quantityFulfilled < i.quantityOrdered) i.cancellationRequest = { requester: "BUYER", cancelReason };
    this.touch(o);
    this.emit(o, "BuyerRequestedChange", "Buyer Requested Cancel");
    return o;
  }

  /** The order is cancelled (by the buyer before payment, by Amazon, or by the seller in Seller Central). */
  cancel(orderId: string, cancelledBy: "BUYER" | "MERCHANT" | "AMAZON" = "MERCHANT", cancelReason = "Buyer requested cancellation"): OrderRec {
    const o = this.mustGet(orderId);
    if (o.status === "SHIPPED" || o.status === "PARTIALLY_SHIPPED") throw new Error(`Amazon sandbox: order ${orderId} is ${o.status}; it can no longer be cancelled`);
    if (o.status === "CANCELLED") return o;
    o.status = "CANCELLED";
    for (const i of o.items) i.cancellationExecution = { cancelledBy, cancelReason };
    this.touch(o);
    this.emit(o, "OrderStatusChange", "Order canceled");
    return o;
  }

  /** Moves a PENDING order to UNSHIPPED (payment authorised). */
  authorise(orderId: string): OrderRec {
    const o = this.mustGet(orderId);
    if (o.status !== "PENDING") return o;
    o.status = "UNSHIPPED";
    this.touch(o);
    this.emit(o, "OrderStatusChange", "Payment authorized");
    return o;
  }

  /** Amazon ships an FBA order from its fulfilment centre. */
  shipAfn(orderId: string): OrderRec {
    const o = this.mustGet(orderId);
    if (o.fulfilledBy !== "AMAZON") throw new Error(`Amazon sandbox: order ${orderId} is merchant-fulfilled`);
    if (o.status !== "UNSHIPPED" && o.status !== "PENDING") return o;
    for (const i of o.items) i.quantityFulfilled = i.quantityOrdered;
    o.status = "SHIPPED";
    this.touch(o);
    this.emit(o, "OrderStatusChange", "Order shipped");
    return o;
  }

  /**
   * confirmShipment for one package.  The same packageReferenceId again edits that package (Amazon:
   * "If you need to make an edit to the shipment, submit another confirmShipment operation with the
   * same packageReferenceID", https://developer-docs.amazon.com/sp-api/docs/confirm-the-shipment-status);
   * another id adds a package (several tracking numbers per order).
   */
  confirmShipment(orderId: string, body: ConfirmShipmentBody): OrderRec {
    const o = this.orders.get(orderId);
    if (!o) throw new PeerError(404, "NotFound", "The specified resource does not exist.", `No order ${orderId} for this seller.`);
    if (body.marketplaceId !== o.marketplaceId) throw invalidInput(`marketplaceId ${body.marketplaceId} is not the order's marketplace (${o.marketplaceId}).`);
    if (o.fulfilledBy !== "MERCHANT") throw invalidInput(`Order ${orderId} is fulfilled by Amazon; only merchant-fulfilled orders can be confirmed.`);
    if (o.status === "CANCELLED") throw invalidInput(`Order ${orderId} is cancelled.`);
    if (o.status === "PENDING" || o.status === "PENDING_AVAILABILITY") throw invalidInput(`Order ${orderId} is ${o.status}; it cannot be shipped before payment is authorised.`);
    const p = body.packageDetail;
    const others = o.packages.filter((x) => x.packageReferenceId !== p.packageReferenceId);
    const seen = new Set<string>();
    for (const it of p.orderItems) {
      const item = o.items.find((i) => i.orderItemId === it.orderItemId);
      if (!item) throw invalidInput(`orderItemId ${it.orderItemId} is not an item of order ${orderId}.`);
      if (seen.has(it.orderItemId)) throw invalidInput(`orderItemId ${it.orderItemId} appears twice in the package.`);
      seen.add(it.orderItemId);
      const inOthers = others.reduce((s, pk) => s + pk.items.filter((x) => x.orderItemId === it.orderItemId).reduce((a, x) => a + x.quantity, 0), 0);
      if (inOthers + it.quantity > item.quantityOrdered) throw invalidInput(`orderItemId ${it.orderItemId}: ${it.quantity} + ${inOthers} already confirmed exceeds the ${item.quantityOrdered} ordered.`);
    }
    const previous = o.packages.find((x) => x.packageReferenceId === p.packageReferenceId);
    const pkg: PackageRec = {
      packageReferenceId: p.packageReferenceId,
      carrierCode: p.carrierCode,
      carrierName: p.carrierName ?? null,
      shippingMethod: p.shippingMethod ?? null,
      trackingNumber: p.trackingNumber,
      shipDate: p.shipDate,
      createdMs: previous?.createdMs ?? this.now(),
      items: p.orderItems.map((x) => ({ orderItemId: x.orderItemId, quantity: x.quantity, transparencyCodes: x.transparencyCodes ?? [] })),
    };
    o.packages = [...others, pkg].sort((a, b) => Number(a.packageReferenceId) - Number(b.packageReferenceId));
    for (const item of o.items) {
      item.quantityFulfilled = o.packages.reduce((s, pk) => s + pk.items.filter((x) => x.orderItemId === item.orderItemId).reduce((a, x) => a + x.quantity, 0), 0);
    }
    const all = o.items.every((i) => i.quantityFulfilled >= i.quantityOrdered);
    const some = o.items.some((i) => i.quantityFulfilled > 0);
    const before = o.status;
    o.status = all ? "SHIPPED" : some ? "PARTIALLY_SHIPPED" : "UNSHIPPED";
    this.touch(o);
    if (before !== o.status) this.emit(o, "OrderStatusChange", previous ? "Shipment edited" : "Shipment confirmed");
    return o;
  }
}

// ── Generated orders ───────────────────────────────────────────────────────────────────────────

export interface StockSource {
  /** SKUs the seller lists in the marketplace, or (AMAZON) those with FBA inventory; the generator samples it. */
  skus(marketplaceId: string, fulfilledBy: FulfilledBy): readonly string[];
  /** A listed SKU's product data, MFN quantity and FBA fulfillable units (live). */
  info(sku: string): { asin: string; title: string; price: string; mfnQuantity: number; fbaFulfillable: number } | undefined;
  takeMfn(sku: string, quantity: number): void;
  takeFba(sku: string, quantity: number): void;
}

export interface GenerateOptions {
  marketplaceId?: string;
  /** Share of orders fulfilled by Amazon (FBA), 0..1. Default 0.25. */
  afnShare?: number;
  /** Share of MFN orders with an expedited service level. Default 0.15. */
  expeditedShare?: number;
  /** Initial status of MFN orders: UNSHIPPED (default) or PENDING (payment not yet authorised). */
  initialStatus?: "UNSHIPPED" | "PENDING";
  /** Force a fulfilment channel for every order generated. */
  fulfilledBy?: FulfilledBy;
  /** Order exactly these SKUs (one line each, quantity 1 unless given) instead of random ones. */
  skus?: { sku: string; quantity?: number }[];
}

const NAMES = ["Ava Carter", "Liam Brooks", "Mia Turner", "Noah Price", "Emma Hayes", "Lucas Reed", "Olivia Ward", "Ethan Cole", "Sofia Bell", "Mason Gray"];
const PLACES: Record<string, { city: string; stateOrRegion: string | null; postalCode: string }[]> = {
  US: [
    { city: "Seattle", stateOrRegion: "WA", postalCode: "98109" },
    { city: "Austin", stateOrRegion: "TX", postalCode: "78701" },
    { city: "Columbus", stateOrRegion: "OH", postalCode: "43215" },
    { city: "Brooklyn", stateOrRegion: "NY", postalCode: "11201" },
    { city: "Denver", stateOrRegion: "CO", postalCode: "80202" },
  ],
  CA: [{ city: "Toronto", stateOrRegion: "ON", postalCode: "M5V 2T6" }],
  GB: [{ city: "Manchester", stateOrRegion: "England", postalCode: "M1 2AB" }],
  DE: [{ city: "Berlin", stateOrRegion: null, postalCode: "10115" }],
};
const STREETS = ["Pine St", "Maple Ave", "Oak Blvd", "Cedar Ln", "Elm Rd"];

export class OrderGenerator {
  private readonly rnd: () => number;
  private serial = 0;

  constructor(
    private readonly book: OrderBook,
    private readonly stock: StockSource,
    private readonly marketplaceIds: readonly string[],
    private readonly now: () => number,
    seed = 1,
  ) {
    this.rnd = prng(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  /** Up to `n` new orders now (fewer when stock runs out). */
  generate(n: number, opts: GenerateOptions = {}): OrderRec[] {
    const out: OrderRec[] = [];
    for (let k = 0; k < n; k++) {
      const o = this.one(opts);
      if (o) out.push(o);
    }
    return out;
  }

  private one(opts: GenerateOptions): OrderRec | null {
    const marketplaceId = opts.marketplaceId ?? this.pick(this.marketplaceIds);
    const m = marketplace(marketplaceId);
    if (!m) throw new Error(`Amazon sandbox: unknown marketplace ${marketplaceId}`);
    let fulfilledBy: FulfilledBy = opts.fulfilledBy ?? (this.rnd() < (opts.afnShare ?? 0.25) ? "AMAZON" : "MERCHANT");
    // No FBA stock at all: a randomly chosen FBA order becomes a merchant-fulfilled one.
    if (!opts.fulfilledBy && fulfilledBy === "AMAZON" && !this.stock.skus(marketplaceId, "AMAZON").some((sku) => (this.stock.info(sku)?.fbaFulfillable ?? 0) > 0)) fulfilledBy = "MERCHANT";
    const skus = this.stock.skus(marketplaceId, fulfilledBy);
    const stockOf = (sku: string) => {
      const i = this.stock.info(sku);
      return i ? (fulfilledBy === "AMAZON" ? i.fbaFulfillable : i.mfnQuantity) : 0;
    };
    let wanted: { sku: string; quantity: number }[];
    if (opts.skus?.length) {
      wanted = opts.skus.map((s) => ({ sku: s.sku, quantity: s.quantity ?? 1 }));
      for (const w of wanted) {
        if (!this.stock.skus(marketplaceId, "MERCHANT").includes(w.sku)) throw new Error(`Amazon sandbox: SKU ${w.sku} is not listed in ${marketplaceId}`);
        if (stockOf(w.sku) < w.quantity) throw new Error(`Amazon sandbox: SKU ${w.sku} has ${stockOf(w.sku)} ${fulfilledBy === "AMAZON" ? "FBA fulfillable" : "MFN"} units, ${w.quantity} wanted`);
      }
    } else {
      // Sample the catalogue (it may hold 100 000 SKUs); a full scan only when sampling finds nothing.
      const count = this.rnd() < 0.7 ? 1 : this.rnd() < 0.7 ? 2 : 3;
      const chosen = new Map<string, number>();
      for (let tries = 0; chosen.size < count && tries < 60 && skus.length; tries++) {
        const sku = this.pick(skus);
        const available = stockOf(sku);
        if (available > 0 && !chosen.has(sku)) chosen.set(sku, available >= 2 && this.rnd() < 0.15 ? 2 : 1);
      }
      if (!chosen.size) {
        const inStock = skus.filter((sku) => stockOf(sku) > 0);
        if (!inStock.length) return null;
        chosen.set(this.pick(inStock), 1);
      }
      wanted = [...chosen].map(([sku, quantity]) => ({ sku, quantity }));
    }
    const now = this.now();
    const n = ++this.serial;
    const orderId = `${100 + Math.floor(this.rnd() * 900)}-${digits(this.rnd, 7)}-${digits(this.rnd, 7)}`;
    const name = this.pick(NAMES);
    const place = this.pick(PLACES[m.countryCode] ?? [{ city: "Capital", stateOrRegion: null, postalCode: "00000" }]);
    const expedited = fulfilledBy === "MERCHANT" && this.rnd() < (opts.expeditedShare ?? 0.15);
    const items: OrderItemRec[] = wanted.map((w, i) => {
      const c = { sku: w.sku, ...this.stock.info(w.sku)! };
      if (fulfilledBy === "AMAZON") this.stock.takeFba(w.sku, w.quantity);
      else this.stock.takeMfn(w.sku, w.quantity);
      return { orderItemId: `${orderId.replace(/-/g, "").slice(0, 10)}${String(i + 1).padStart(4, "0")}`, sku: c.sku, asin: c.asin, title: c.title, quantityOrdered: w.quantity, unitPrice: c.price, quantityFulfilled: 0, cancellationRequest: null, cancellationExecution: null };
    });
    const day = 86_400_000;
    const o: OrderRec = {
      orderId,
      marketplaceId,
      createdMs: now,
      lastUpdatedMs: now,
      fulfilledBy,
      status: fulfilledBy === "AMAZON" ? "UNSHIPPED" : (opts.initialStatus ?? "UNSHIPPED"),
      serviceLevel: expedited ? this.pick(["EXPEDITED", "NEXT_DAY", "SECOND_DAY"] as const) : "STANDARD",
      programs: this.rnd() < 0.3 || fulfilledBy === "AMAZON" ? ["PRIME"] : [],
      buyer: { buyerName: name, buyerEmail: `buyer${n}-${digits(this.rnd, 6)}@marketplace.amazon.${m.countryCode === "US" ? "com" : m.countryCode.toLowerCase()}` },
      address: {
        name,
        addressLine1: `${100 + Math.floor(this.rnd() * 9800)} ${this.pick(STREETS)}`,
        addressLine2: this.rnd() < 0.3 ? `Apt ${1 + Math.floor(this.rnd() * 40)}` : "",
        city: place.city,
        stateOrRegion: place.stateOrRegion,
        postalCode: place.postalCode,
        countryCode: m.countryCode,
        phone: `+1 555 ${digits(this.rnd, 3)} ${digits(this.rnd, 4)}`,
        addressType: this.rnd() < 0.9 ? "RESIDENTIAL" : "COMMERCIAL",
      },
      currencyCode: m.currencyCode,
      items,
      packages: [],
      shipBy: { earliestMs: now, latestMs: now + (expedited ? 1 : 2) * day },
      deliverBy: { earliestMs: now + (expedited ? 1 : 3) * day, latestMs: now + (expedited ? 2 : 7) * day },
    };
    this.book.add(o);
    return o;
  }
}
