/**
 * Webhook payloads in the shapes of Shopify's published examples.
 * Source: the "Sample Payload" of each topic in https://shopify.dev/docs/api/webhooks?reference=toml
 * (API 2026-10): orders/create (REST order: numeric ids, `admin_graphql_api_id`, money as "0.00"
 * strings with `*_set` bags, timestamps with the shop's offset, `tags` as one comma-joined
 * string), inventory_levels/update (`inventory_item_id`, `location_id`, `available`, `updated_at`,
 * `admin_graphql_api_id` = gid://shopify/InventoryLevel/<location>?inventory_item_id=<item>),
 * fulfillment_orders/* (GraphQL gids and lower-case statuses: order_routing_complete
 * `{ fulfillment_order: { id, status } }`, moved with original/moved/destination/source_location,
 * placed_on_hold with holds and created_fulfillment_hold, hold_released, line_items_prepared_for_pickup),
 * fulfillment_holds/added|released, bulk_operations/finish.
 */
import type { AddressRec, BulkRec, FoRec, HoldRec, LevelRec, OrderRec, SandboxStore } from "./store";
import { countryName, gid, isoInZone, levelGid, money2 } from "./util";

const set = (amount: number, currency: string) => {
  const m = { amount: money2(amount), currency_code: currency };
  return { shop_money: m, presentment_money: m };
};

function restAddress(a: AddressRec | null) {
  if (!a) return null;
  return {
    first_name: a.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: countryName(a.countryCode),
    last_name: a.lastName,
    address2: a.address2,
    company: a.company,
    latitude: a.latitude,
    longitude: a.longitude,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    country_code: a.countryCode,
    province_code: a.provinceCode,
  };
}

/** The REST order of orders/create (and orders/updated). */
export function orderPayload(store: SandboxStore, o: OrderRec) {
  const tz = store.shop.ianaTimezone;
  const at = (ms: number | null) => (ms === null ? null : isoInZone(ms, tz));
  const c = o.currency;
  const lines = o.lineItemNs.map((n) => store.lineItem(n)!);
  const subtotal = lines.reduce((s, l) => s + l.price * l.quantity, 0);
  const shipping = o.shippingLines.reduce((s, l) => s + l.price, 0);
  const customer = o.customerN ? store.customer(o.customerN)! : null;
  const status = store.fulfillmentStatusOf(o);
  const companyLocation = o.companyLocationN ? store.companyLocation(o.companyLocationN)! : null;
  return {
    id: o.n,
    admin_graphql_api_id: gid("Order", o.n),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: at(o.cancelledAt),
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: at(o.closedAt),
    company: companyLocation ? { id: companyLocation.companyN, location_id: companyLocation.n } : null,
    confirmation_number: null,
    confirmed: true,
    contact_email: o.email,
    created_at: at(o.createdAt),
    currency: c,
    current_subtotal_price: money2(subtotal),
    current_subtotal_price_set: set(subtotal, c),
    current_total_discounts: "0.00",
    current_total_discounts_set: set(0, c),
    current_total_price: money2(subtotal + shipping),
    current_total_price_set: set(subtotal + shipping, c),
    current_total_tax: "0.00",
    current_total_tax_set: set(0, c),
    customer_locale: "en",
    device_id: null,
    discount_codes: [],
    email: o.email,
    estimated_taxes: false,
    financial_status: o.financialStatus.toLowerCase(),
    fulfillment_status: status === "FULFILLED" ? "fulfilled" : status === "PARTIALLY_FULFILLED" ? "partial" : null,
    landing_site: null,
    landing_site_ref: null,
    location_id: o.retailLocationN,
    name: o.name,
    note: o.note,
    note_attributes: [],
    number: o.number,
    order_number: 1000 + o.number,
    phone: o.phone,
    po_number: o.poNumber,
    presentment_currency: c,
    processed_at: at(o.processedAt),
    reference: null,
    referring_site: null,
    source_identifier: o.sourceIdentifier,
    source_name: o.sourceName,
    source_url: null,
    subtotal_price: money2(subtotal),
    subtotal_price_set: set(subtotal, c),
    tags: o.tags.join(", "),
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: o.test,
    total_discounts: "0.00",
    total_discounts_set: set(0, c),
    total_line_items_price: money2(subtotal),
    total_line_items_price_set: set(subtotal, c),
    total_outstanding: o.financialStatus === "PAID" ? "0.00" : money2(subtotal + shipping),
    total_price: money2(subtotal + shipping),
    total_price_set: set(subtotal + shipping, c),
    total_shipping_price_set: set(shipping, c),
    total_tax: "0.00",
    total_tax_set: set(0, c),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: at(o.updatedAt),
    user_id: null,
    billing_address: restAddress(o.billingAddress),
    customer: customer
      ? {
          id: customer.n,
          created_at: at(customer.createdAt),
          updated_at: at(customer.updatedAt),
          first_name: customer.firstName,
          last_name: customer.lastName,
          state: "disabled",
          note: null,
          verified_email: true,
          multipass_identifier: null,
          tax_exempt: false,
          email: customer.email,
          phone: customer.phone,
          currency: c,
          tax_exemptions: [],
          admin_graphql_api_id: gid("Customer", customer.n),
          default_address: customer.defaultAddress ? { id: customer.defaultAddress.n, customer_id: customer.n, ...restAddress(customer.defaultAddress), default: true } : null,
        }
      : null,
    discount_applications: [],
    fulfillments: [],
    line_items: lines.map((l) => {
      const variant = l.variantN ? store.variant(l.variantN)! : null;
      return {
        id: l.n,
        admin_graphql_api_id: gid("LineItem", l.n),
        attributed_staffs: [],
        current_quantity: l.quantity,
        fulfillable_quantity: store.unfulfilledQuantity(l),
        fulfillment_service: "manual",
        fulfillment_status: store.unfulfilledQuantity(l) === 0 ? "fulfilled" : null,
        gift_card: false,
        grams: 0,
        name: l.variantTitle && l.variantTitle !== "Default" ? `${l.title} - ${l.variantTitle}` : l.title,
        price: money2(l.price),
        price_set: set(l.price, c),
        product_exists: !!variant,
        product_id: variant?.productN ?? null,
        properties: [],
        quantity: l.quantity,
        requires_shipping: l.requiresShipping,
        sales_line_item_group_id: null,
        sku: l.sku,
        taxable: true,
        title: l.title,
        total_discount: "0.00",
        total_discount_set: set(0, c),
        variant_id: variant?.n ?? null,
        variant_inventory_management: variant ? "shopify" : null,
        variant_title: l.variantTitle,
        vendor: l.vendor,
        tax_lines: [],
        duties: [],
        discount_allocations: [],
      };
    }),
    payment_terms: null,
    refunds: [],
    shipping_address: restAddress(o.shippingAddress),
    shipping_lines: o.shippingLines.map((s, i) => ({
      id: o.n * 100 + i + 1,
      carrier_identifier: null,
      code: s.code,
      discounted_price: money2(s.price),
      discounted_price_set: set(s.price, c),
      is_removed: false,
      phone: null,
      price: money2(s.price),
      price_set: set(s.price, c),
      requested_fulfillment_service_id: null,
      source: s.source ?? "shopify",
      title: s.title,
      tax_lines: [],
      discount_allocations: [],
    })),
    returns: [],
    line_item_groups: [],
  };
}

export function inventoryLevelPayload(store: SandboxStore, l: LevelRec) {
  return {
    inventory_item_id: l.itemN,
    location_id: l.locationN,
    available: l.q.available,
    updated_at: isoInZone(l.updatedAt, store.shop.ianaTimezone),
    admin_graphql_api_id: levelGid(l.locationN, l.itemN),
  };
}

export const foRef = (fo: FoRec) => ({ id: gid("FulfillmentOrder", fo.n), status: fo.status.toLowerCase() });

export function holdPayload(h: HoldRec, appId: string) {
  return {
    id: gid("FulfillmentHold", h.n),
    reason: h.reason.toLowerCase(),
    reason_notes: h.reasonNotes,
    // Webhooks go to the sandbox's one app: a hold is "by the requesting app" unless another placed it.
    held_by_requesting_app: h.otherApp === null,
    handle: h.handle,
    held_by_app: { id: gid("App", h.otherApp ?? appId) },
  };
}

export function bulkFinishPayload(store: SandboxStore, op: BulkRec) {
  const tz = store.shop.ianaTimezone;
  return {
    admin_graphql_api_id: gid("BulkOperation", op.n),
    completed_at: op.completedAt === null ? null : isoInZone(op.completedAt, tz),
    created_at: isoInZone(op.createdAt, tz),
    error_code: op.errorCode?.toLowerCase() ?? null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}
