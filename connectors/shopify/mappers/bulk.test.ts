import { describe, expect, it } from "vitest";
import { graphqlOrderToPayload, importedOrderState, mapImportedOrder, orderWindowStart, restFulfillmentStatus, type GraphqlLineItem, type GraphqlOrder } from "./bulk";
import { WebhookPayloadError } from "./json";
import type { ShopLocationRef } from "./orders";

/** Pure mapping of orders read through the Admin GraphQL API (bulk rows, `orders` pages) with the webhooks' mapper. */
const LA: ShopLocationRef = { id: "hub-la", shopifyLocationGid: "gid://shopify/Location/3", name: "LA Store", countryCode: "US", province: "CA", zip: "90069", city: "Los Angeles", latitude: 34.0812, longitude: -118.3763 };
const LOCATIONS = [LA];
const TOPIC = "shopify.import.orders";

const ORDER: GraphqlOrder = {
  id: "gid://shopify/Order/5001",
  name: "#1042",
  createdAt: "2026-11-20T10:00:00Z",
  updatedAt: "2026-11-21T09:30:00Z",
  cancelledAt: null,
  closedAt: null,
  sourceName: "web",
  sourceIdentifier: null,
  displayFinancialStatus: "PAID",
  displayFulfillmentStatus: "UNFULFILLED",
  currencyCode: "USD",
  currentTotalPriceSet: { shopMoney: { amount: "69.50", currencyCode: "USD" } },
  customer: { id: "gid://shopify/Customer/77", tags: ["VIP", " wholesale "] },
  purchasingEntity: { __typename: "Customer" },
  retailLocation: null,
  shippingAddress: { city: "New York", provinceCode: "NY", countryCodeV2: "US", zip: "10118", latitude: 40.7484, longitude: -73.9857 },
  billingAddress: null,
  shippingLine: { title: "Express", code: "EXPRESS", source: "shopify" },
};
const LINES: GraphqlLineItem[] = [
  { id: "gid://shopify/LineItem/9007199254740993", sku: "TEE-M", title: "Trail Tee", name: "Trail Tee - M", quantity: 2, currentQuantity: 2, unfulfilledQuantity: 2, requiresShipping: true, originalUnitPriceSet: { shopMoney: { amount: "25.00" } }, variant: { id: "gid://shopify/ProductVariant/2" } },
  { id: "gid://shopify/LineItem/12", sku: "CAP", title: "Camp Cap", name: "Camp Cap", quantity: 1, currentQuantity: 1, unfulfilledQuantity: 0, requiresShipping: true, originalUnitPriceSet: { shopMoney: { amount: "19.50" } }, variant: { id: "gid://shopify/ProductVariant/4" } },
  { id: "gid://shopify/LineItem/13", sku: "GIFT", title: "Gift card", name: "Gift card", quantity: 1, currentQuantity: 1, unfulfilledQuantity: 1, requiresShipping: false, originalUnitPriceSet: { shopMoney: { amount: "50.00" } }, variant: null },
];

describe("graphqlOrderToPayload", () => {
  it("writes the REST order webhook's shape: numeric ids (exact above 2^53), lower-case statuses, one shipping line", () => {
    expect(graphqlOrderToPayload(ORDER, LINES.slice(0, 1))).toEqual({
      id: "5001",
      admin_graphql_api_id: "gid://shopify/Order/5001",
      name: "#1042",
      created_at: "2026-11-20T10:00:00Z",
      updated_at: "2026-11-21T09:30:00Z",
      cancelled_at: null,
      financial_status: "paid",
      fulfillment_status: null,
      source_name: "web",
      source_identifier: null,
      location_id: null,
      currency: "USD",
      current_total_price: "69.50",
      customer: { id: "77", tags: "VIP,  wholesale " },
      company: null,
      shipping_address: { country_code: "US", province_code: "NY", zip: "10118", city: "New York", latitude: 40.7484, longitude: -73.9857 },
      billing_address: null,
      shipping_lines: [{ title: "Express", code: "EXPRESS", source: "shopify" }],
      line_items: [{ id: "9007199254740993", sku: "TEE-M", title: "Trail Tee", name: "Trail Tee - M", quantity: 2, current_quantity: 2, price: "25.00", requires_shipping: true }],
    });
  });

  it("a PurchasingCompany becomes the REST `company` with its location; a retail location becomes location_id", () => {
    const p = graphqlOrderToPayload(
      { ...ORDER, purchasingEntity: { __typename: "PurchasingCompany", company: { id: "gid://shopify/Company/8" }, location: { id: "gid://shopify/CompanyLocation/81" } }, retailLocation: { id: "gid://shopify/Location/3" } },
      [],
    );
    expect(p).toMatchObject({ company: { id: "8", location_id: "81" }, location_id: "3" });
  });

  it("reads what an `orders` page lacks as absent, not as an error", () => {
    const p = graphqlOrderToPayload({ id: "gid://shopify/Order/1", name: "#1", createdAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-01T00:00:00Z" }, [{ id: "gid://shopify/LineItem/5", sku: "CAP", quantity: 1 }]);
    expect(p).toMatchObject({ customer: null, company: null, shipping_lines: [], current_total_price: null, line_items: [{ id: "5", sku: "CAP", quantity: 1, current_quantity: null, price: null, requires_shipping: null }] });
  });
});

describe("restFulfillmentStatus", () => {
  it("maps GraphQL's display status onto REST's fulfillment_status", () => {
    expect([null, "UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED", "RESTOCKED", "ON_HOLD"].map(restFulfillmentStatus)).toEqual([null, null, "partial", "fulfilled", "restocked", "on_hold"]);
  });
});

describe("importedOrderState", () => {
  const open = { cancelledAt: null, closedAt: null, displayFulfillmentStatus: "UNFULFILLED" };
  it.each([
    ["cancelled wins over everything", { ...open, cancelledAt: "2026-11-22T00:00:00Z", closedAt: "2026-11-22T00:00:00Z" }, [{ unfulfilledQuantity: 1 }], "cancelled"],
    ["closed (archived)", { ...open, closedAt: "2026-11-22T00:00:00Z" }, [{ unfulfilledQuantity: 1 }], "closed"],
    ["FULFILLED", { ...open, displayFulfillmentStatus: "FULFILLED" }, [{ unfulfilledQuantity: 0 }], "fulfilled"],
    ["RESTOCKED", { ...open, displayFulfillmentStatus: "RESTOCKED" }, [], "fulfilled"],
    ["every line at unfulfilledQuantity 0", open, [{ unfulfilledQuantity: 0 }, { unfulfilledQuantity: 0 }], "fulfilled"],
    ["partially fulfilled", { ...open, displayFulfillmentStatus: "PARTIALLY_FULFILLED" }, [{ unfulfilledQuantity: 0 }, { unfulfilledQuantity: 2 }], "open"],
    ["on hold", { ...open, displayFulfillmentStatus: "ON_HOLD" }, [{ unfulfilledQuantity: 1 }], "open"],
    ["unfulfilled quantities unknown (not selected)", open, [{}, {}], "open"],
    ["no lines at all", open, [], "open"],
  ] as const)("%s", (_name, order, lines, state) => {
    expect(importedOrderState(order, lines)).toBe(state);
  });
});

describe("mapImportedOrder", () => {
  it("maps through the webhook mapper: channel, speed, destination, lines at their current quantity, gift cards skipped, fulfilled lines named", () => {
    const m = mapImportedOrder(ORDER, LINES, { locations: LOCATIONS, topic: TOPIC });
    expect(m.state).toBe("open");
    expect(m.intake).toEqual({
      channel: "online",
      externalOrderId: "gid://shopify/Order/5001",
      name: "#1042",
      placedAt: new Date("2026-11-20T10:00:00Z"),
      speed: "expedited",
      b2b: false,
      companyId: null,
      customerRef: "77",
      customerTags: ["VIP", "wholesale"],
      destination: { countryCode: "US", provinceCode: "NY", zip: "10118", city: "New York", lat: 40.7484, lng: -73.9857 },
      pickupLocationId: null,
      valueCents: 6950,
      currencyCode: "USD",
      paid: true,
      lines: [
        { lineKey: "9007199254740993", sku: "TEE-M", quantity: 2, title: "Trail Tee", priceCents: 2500 },
        { lineKey: "12", sku: "CAP", quantity: 1, title: "Camp Cap", priceCents: 1950 },
      ],
    });
    expect(m.skippedLines).toEqual([{ lineKey: "13", reason: "needs no shipping" }]);
    expect(m.fulfilledLineKeys).toEqual(["12"]);
    expect(m.facts).toEqual({ externalOrderId: "gid://shopify/Order/5001", updatedAt: new Date("2026-11-21T09:30:00Z"), cancelledAt: null, cancelReason: null, financialStatus: "paid", fulfillmentStatus: null });
    expect(m.payload).toMatchObject({ source_name: "web", source_identifier: null });
  });

  it("a B2B order goes to the b2b channel; a POS sale without an address is a pickup at its store", () => {
    const b2b = mapImportedOrder({ ...ORDER, purchasingEntity: { __typename: "PurchasingCompany", company: { id: "gid://shopify/Company/8" }, location: { id: "gid://shopify/CompanyLocation/81" } } }, LINES, { locations: LOCATIONS, topic: TOPIC });
    expect(b2b.intake).toMatchObject({ channel: "b2b", b2b: true, companyId: "8" });
    const pos = mapImportedOrder({ ...ORDER, sourceName: "pos", shippingAddress: null, shippingLine: null, retailLocation: { id: "gid://shopify/Location/3" }, displayFulfillmentStatus: "FULFILLED", closedAt: "2026-11-20T10:00:05Z" }, LINES, { locations: LOCATIONS, topic: TOPIC });
    expect(pos.intake).toMatchObject({ channel: "pos", speed: "pickup", pickupLocationId: "hub-la", destination: { countryCode: "US", city: "Los Angeles" } });
    expect(pos.state).toBe("closed");
  });

  it("cancelled: the facts carry the cancellation", () => {
    const m = mapImportedOrder({ ...ORDER, cancelledAt: "2026-11-21T09:30:00Z", displayFinancialStatus: "REFUNDED" }, LINES, { locations: LOCATIONS, topic: TOPIC });
    expect(m.state).toBe("cancelled");
    expect(m.facts).toMatchObject({ cancelledAt: new Date("2026-11-21T09:30:00Z"), financialStatus: "refunded" });
    expect(m.intake.paid).toBe(true);
  });

  it("bad data names the field, under the import's topic", () => {
    expect(() => mapImportedOrder({ ...ORDER, updatedAt: "yesterday" }, LINES, { locations: LOCATIONS, topic: TOPIC })).toThrow(new WebhookPayloadError("shopify.import.orders.updated_at", "must be an ISO 8601 timestamp"));
    expect(() => mapImportedOrder(ORDER, [{ ...LINES[0]!, quantity: 1.5 }], { locations: LOCATIONS, topic: TOPIC })).toThrow(new WebhookPayloadError("shopify.import.orders.line_items.0.quantity", "must be a whole number"));
    // A POS sale at a store the hub has not linked: the webhook mapper's own error.
    expect(() => mapImportedOrder({ ...ORDER, sourceName: "pos", shippingAddress: null, retailLocation: { id: "gid://shopify/Location/99" } }, LINES, { locations: LOCATIONS, topic: TOPIC })).toThrow(/shopify\.import\.orders\.location_id: no hub location is linked to Shopify location gid:\/\/shopify\/Location\/99/);
  });
});

describe("orderWindowStart", () => {
  it("is `days` whole days before now", () => {
    expect(orderWindowStart(new Date("2026-12-02T11:00:00Z"))).toEqual(new Date("2026-10-03T11:00:00Z"));
    expect(orderWindowStart(new Date("2026-12-02T11:00:00Z"), 1)).toEqual(new Date("2026-12-01T11:00:00Z"));
  });
  it("refuses a window that is not a positive whole number of days", () => {
    expect(() => orderWindowStart(new Date("2026-12-02T11:00:00Z"), 0)).toThrow("order window must be a whole number of days ≥ 1, got 0");
    expect(() => orderWindowStart(new Date("2026-12-02T11:00:00Z"), 2.5)).toThrow(RangeError);
  });
});
