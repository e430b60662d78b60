/**
 * The mappers against Shopify's own published webhook samples (fixtures/webhooks/SOURCE.md).
 * Each test asserts the mapped contract, not a snapshot of the payload.
 */
import { describe, expect, it } from "vitest";
import bulkFinish from "../fixtures/webhooks/bulk-operations-finish.json?raw";
import foCancelled from "../fixtures/webhooks/fulfillment-orders-cancelled.json?raw";
import foHoldReleased from "../fixtures/webhooks/fulfillment-orders-hold-released.json?raw";
import foMoved from "../fixtures/webhooks/fulfillment-orders-moved.json?raw";
import foOnHold from "../fixtures/webhooks/fulfillment-orders-placed-on-hold.json?raw";
import foRouted from "../fixtures/webhooks/fulfillment-orders-order-routing-complete.json?raw";
import fulfillmentCreate from "../fixtures/webhooks/fulfillments-create.json?raw";
import itemDelete from "../fixtures/webhooks/inventory-items-delete.json?raw";
import itemUpdate from "../fixtures/webhooks/inventory-items-update.json?raw";
import levelConnect from "../fixtures/webhooks/inventory-levels-connect.json?raw";
import levelDisconnect from "../fixtures/webhooks/inventory-levels-disconnect.json?raw";
import levelUpdate from "../fixtures/webhooks/inventory-levels-update.json?raw";
import locationCreate from "../fixtures/webhooks/locations-create.json?raw";
import locationDelete from "../fixtures/webhooks/locations-delete.json?raw";
import orderCreate from "../fixtures/webhooks/orders-create.json?raw";
import orderEdited from "../fixtures/webhooks/orders-edited.json?raw";
import refundCreate from "../fixtures/webhooks/refunds-create.json?raw";
import returnClose from "../fixtures/webhooks/returns-close.json?raw";
import returnDecline from "../fixtures/webhooks/returns-decline.json?raw";
import returnRequest from "../fixtures/webhooks/returns-request.json?raw";
import returnUpdate from "../fixtures/webhooks/returns-update.json?raw";
import {
  applyOrderEdit,
  mapBulkOperationFinish,
  mapFulfillmentOrderEvent,
  mapInventoryItem,
  mapInventoryLevel,
  mapInventoryLevelDisconnect,
  mapShopifyFulfillment,
  mapShopifyLocation,
  mapShopifyLocationDelete,
  mapShopifyOrder,
  mapShopifyRefund,
  mapShopifyReturn,
  parseShopifyJson,
  parseShopifyOrder,
  parseShopifyOrderEdit,
  WebhookPayloadError,
  type ShopLocationRef,
} from "./index";

const NO_LOCATIONS: ShopLocationRef[] = [];
const LA_STORE: ShopLocationRef = { id: "hub-la", shopifyLocationGid: "gid://shopify/Location/655441491", name: "Los Angeles Store", countryCode: "US", province: "CA", zip: "90069", city: "Los Angeles", latitude: 34.0812, longitude: -118.3763 };

/** The sample with some fields changed (as a real shop's orders differ from the sample). */
function orderVariant(change: (o: Record<string, unknown>) => void) {
  const doc = parseShopifyJson(orderCreate) as Record<string, unknown>;
  change(doc);
  return parseShopifyOrder(doc, "orders/create");
}

function payloadError(fn: () => unknown): WebhookPayloadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WebhookPayloadError) return e;
    throw e;
  }
  throw new Error("expected a WebhookPayloadError");
}

describe("parseShopifyJson", () => {
  it("keeps ids above 2^53 exact, where JSON.parse rounds them", () => {
    expect(String((JSON.parse(orderCreate) as { line_items: { id: number }[] }).line_items[0]!.id)).toBe("487817672276298560"); // rounded
    const doc = parseShopifyJson(orderCreate) as { id: string; line_items: { id: string; quantity: number }[]; total_weight: number };
    expect(doc.id).toBe("820982911946154508");
    expect(doc.line_items[0]!.id).toBe("487817672276298554");
    expect(doc.line_items[0]!.quantity).toBe(1); // small numbers stay numbers
    expect(doc.total_weight).toBe(0);
  });

  it("names the topic when the body is not JSON", () => {
    expect(payloadError(() => parseShopifyJson("{nope", "orders/create")).field).toBe("orders/create");
  });
});

describe("orders/create (Shopify's sample) → order intake", () => {
  const mapped = mapShopifyOrder(parseShopifyOrder(orderCreate, "orders/create"), { locations: NO_LOCATIONS, topic: "orders/create" });

  it("maps the order's identity, channel, speed and customer", () => {
    expect(mapped.intake).toMatchObject({
      channel: "online", // source_name "web"
      externalOrderId: "gid://shopify/Order/820982911946154508",
      name: "#9999",
      speed: "standard", // "Generic Shipping"
      b2b: false,
      companyId: null,
      customerRef: "115310627314723954", // exact, the id customers/redact names
      customerTags: [],
      pickupLocationId: null,
      currencyCode: "USD",
      paid: false, // financial_status "voided"
      valueCents: 41495, // current_total_price
    });
    expect(mapped.intake.placedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
  });

  it("takes the destination from the shipping address (no coordinates in the sample: the hub uses a centroid)", () => {
    expect(mapped.intake.destination).toEqual({ countryCode: "US", provinceCode: "KY", zip: "40003", city: "Shippington", lat: null, lng: null });
  });

  it("keys every line by its exact line item id, with SKU, quantity, title and price in cents", () => {
    expect(mapped.intake.lines).toEqual([
      { lineKey: "487817672276298554", sku: "SKU2006-001", quantity: 1, title: "Aviator sunglasses", priceCents: 8999 },
      { lineKey: "789012345678901234", sku: "LENS-PROTECT-2YR", quantity: 1, title: "Lens Protection Plan (2 Year)", priceCents: 1999 },
      { lineKey: "890123456789012345", sku: "CASE-LEATHER-PREM", quantity: 1, title: "Premium Leather Case", priceCents: 2499 },
      { lineKey: "976318377106520349", sku: "SKU2006-020", quantity: 1, title: "Mid-century lounger", priceCents: 15999 },
      { lineKey: "315789986012684393", sku: "SKU2006-035", quantity: 1, title: "Coffee table", priceCents: 11999 },
    ]);
    expect(mapped.skippedLines).toEqual([]);
  });

  it("reports the status facts with their updated_at (the sample is a cancelled, voided order)", () => {
    expect(mapped.facts).toMatchObject({ externalOrderId: "gid://shopify/Order/820982911946154508", cancelReason: "customer", financialStatus: "voided", fulfillmentStatus: null });
    expect(mapped.facts.updatedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(mapped.facts.cancelledAt?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
  });
});

describe("order mapping rules (the sample, changed as real orders differ)", () => {
  const map = (change: (o: Record<string, unknown>) => void, locations = NO_LOCATIONS) => mapShopifyOrder(orderVariant(change), { locations, topic: "orders/create" });

  it("puts an order with a company on the b2b channel, whatever its source", () => {
    const m = map((o) => Object.assign(o, { company: { id: 987654321, location_id: 1234 }, source_name: "pos" }));
    expect(m.intake).toMatchObject({ channel: "b2b", b2b: true, companyId: "987654321" });
  });

  it("maps source_name pos → pos and any other source → online", () => {
    expect(map((o) => (o.source_name = "pos")).intake.channel).toBe("pos");
    expect(map((o) => (o.source_name = "shopify_draft_order")).intake.channel).toBe("online");
    expect(map((o) => (o.source_name = "1234567")).intake.channel).toBe("online");
  });

  it("reads expedited and same-day from the shipping line", () => {
    const line = (title: string) => (o: Record<string, unknown>) => ((o.shipping_lines as Record<string, unknown>[])[0]!.title = title);
    expect(map(line("UPS Next Day Air")).intake.speed).toBe("expedited");
    expect(map(line("Express")).intake.speed).toBe("expedited");
    expect(map(line("Same-day courier")).intake.speed).toBe("same_day");
    expect(map(line("Ground")).intake.speed).toBe("standard");
  });

  it("treats a POS sale without a shipping address as a pickup at the POS location", () => {
    const m = map((o) => Object.assign(o, { source_name: "pos", location_id: 655441491, shipping_address: null, shipping_lines: [] }), [LA_STORE]);
    expect(m.intake).toMatchObject({ channel: "pos", speed: "pickup", pickupLocationId: "hub-la", destination: { countryCode: "US", provinceCode: "CA", lat: 34.0812, lng: -118.3763 } });
  });

  it("treats a local-pickup shipping line (titled with a location's name, no shipping address) as a pickup there", () => {
    const m = map((o) => Object.assign(o, { shipping_address: null, shipping_lines: [{ title: "Los Angeles Store", code: "Los Angeles Store", source: "shopify", price: "0.00" }] }), [LA_STORE]);
    expect(m.intake).toMatchObject({ speed: "pickup", pickupLocationId: "hub-la" });
  });

  it("names location_id when a POS location is not linked to a hub location", () => {
    const e = payloadError(() => map((o) => Object.assign(o, { source_name: "pos", location_id: 42, shipping_address: null })));
    expect(e.field).toBe("orders/create.location_id");
  });

  it("leaves out lines that hold no stock, and uses the current quantity after edits", () => {
    const m = map((o) => {
      const items = o.line_items as Record<string, unknown>[];
      items[0]!.gift_card = true;
      items[1]!.requires_shipping = false;
      items[2]!.sku = null;
      items[3]!.current_quantity = 0;
      items[4]!.quantity = 3;
      items[4]!.current_quantity = 2;
    });
    expect(m.intake.lines).toEqual([{ lineKey: "315789986012684393", sku: "SKU2006-035", quantity: 2, title: "Coffee table", priceCents: 11999 }]);
    expect(m.skippedLines.map((l) => l.reason)).toEqual(["gift card", "needs no shipping", "no SKU", "removed (current quantity 0)"]);
  });

  it("reads customer tags and marks paid orders", () => {
    const m = map((o) => {
      (o.customer as Record<string, unknown>).tags = "VIP, wholesale ";
      o.financial_status = "paid";
    });
    expect(m.intake).toMatchObject({ customerTags: ["VIP", "wholesale"], paid: true });
  });

  it("names the field when a payload does not parse", () => {
    const doc = parseShopifyJson(orderCreate) as { line_items: Record<string, unknown>[] };
    doc.line_items[0]!.quantity = "two";
    expect(payloadError(() => parseShopifyOrder(doc, "orders/create")).field).toBe("orders/create.line_items.0.quantity");
    expect(payloadError(() => parseShopifyOrder({ ...doc, updated_at: "yesterday" }, "orders/updated")).field).toBe("orders/updated.updated_at");
  });
});

describe("orders/edited", () => {
  const edit = parseShopifyOrderEdit(orderEdited);
  const held = [
    { lineKey: "487817672276298554", sku: "SKU2006-001", quantity: 1 },
    { lineKey: "976318377106520349", sku: "SKU2006-020", quantity: 2 },
  ];

  it("parses the sample with exact ids", () => {
    expect(edit).toMatchObject({ order_id: "820982911946154508", line_items: { additions: [{ id: "78643924236718232", delta: 1 }], removals: [{ id: "487817672276298554", delta: 1 }] } });
    expect(edit.committed_at?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
  });

  it("cannot apply an addition of a line it has never seen (its SKU comes with orders/updated)", () => {
    expect(applyOrderEdit(held, edit)).toEqual({ lines: held, unresolved: ["78643924236718232"], changed: false });
  });

  it("applies removals and additions to known lines", () => {
    const known = { ...edit, line_items: { additions: [{ id: "976318377106520349", delta: 1 }], removals: [{ id: "487817672276298554", delta: 1 }] } };
    expect(applyOrderEdit(held, known)).toEqual({ lines: [{ lineKey: "976318377106520349", sku: "SKU2006-020", quantity: 3 }], unresolved: [], changed: true });
  });
});

describe("fulfillment orders", () => {
  it("order_routing_complete: the fulfillment order and its status", () => {
    expect(mapFulfillmentOrderEvent("fulfillment_orders/order_routing_complete", foRouted).changes).toEqual([{ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1", status: "open" }]);
  });

  it("moved: the original closes, the moved one is at the new location and belongs to the same order", () => {
    const ev = mapFulfillmentOrderEvent("fulfillment_orders/moved", foMoved);
    expect(ev.changes).toEqual([
      { fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1", status: "closed", assignedLocationGid: "gid://shopify/Location/0" },
      { fulfillmentOrderId: "gid://shopify/FulfillmentOrder/2", status: "open", assignedLocationGid: "gid://shopify/Location/1", splitFrom: "gid://shopify/FulfillmentOrder/1" },
    ]);
    expect(ev.summary).toMatchObject({ fromLocation: "gid://shopify/Location/0", toLocation: "gid://shopify/Location/1" });
  });

  it("placed_on_hold: every hold of the fulfillment order; the remaining part is open and holds nothing", () => {
    const ev = mapFulfillmentOrderEvent("fulfillment_orders/placed_on_hold", foOnHold);
    expect(ev.changes[0]).toMatchObject({ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1", status: "on_hold" });
    expect(ev.changes[0]!.holds).toEqual([
      { id: "gid://shopify/FulfillmentHold/1", reason: "other", reasonNotes: "example", handle: "example-hold-1", heldByThisApp: false },
      { id: "gid://shopify/FulfillmentHold/2", reason: "inventory_out_of_stock", reasonNotes: "Stacked hold", handle: "example-hold-2", heldByThisApp: false },
    ]);
    expect(ev.changes[1]).toEqual({ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/2", status: "open", holds: [], splitFrom: "gid://shopify/FulfillmentOrder/1" });
  });

  it("hold_released clears the holds; cancelled names its replacement", () => {
    expect(mapFulfillmentOrderEvent("fulfillment_orders/hold_released", foHoldReleased).changes).toEqual([{ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1", status: "open", holds: [] }]);
    expect(mapFulfillmentOrderEvent("fulfillment_orders/cancelled", foCancelled).changes).toEqual([
      { fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1", status: "cancelled" },
      { fulfillmentOrderId: "gid://shopify/FulfillmentOrder/2", status: "open", splitFrom: "gid://shopify/FulfillmentOrder/1" },
    ]);
  });

  it("names the field of a malformed fulfillment order", () => {
    expect(payloadError(() => mapFulfillmentOrderEvent("fulfillment_orders/moved", { original_fulfillment_order: { id: "1", status: "open" } })).field).toBe("fulfillment_orders/moved.original_fulfillment_order.id");
  });
});

describe("fulfillments, refunds, returns", () => {
  it("fulfillments/create: the order, the fulfilled lines by exact id, tracking; a pending fulfillment counts as shipped", () => {
    const f = mapShopifyFulfillment(fulfillmentCreate, "fulfillments/create");
    expect(f).toMatchObject({ fulfillmentId: "gid://shopify/Fulfillment/123456", orderGid: "gid://shopify/Order/820982911946154508", status: "pending", shipped: true, name: "#9999.1", locationGid: null });
    expect(f.lines.map((l) => l.lineKey)).toEqual(["487817672276298554", "789012345678901234", "890123456789012345", "976318377106520349", "315789986012684393"]);
    expect(f.tracking).toEqual({ company: "UPS", number: "1z827wk74630", url: "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630" });
    const cancelled = mapShopifyFulfillment({ ...(parseShopifyJson(fulfillmentCreate) as object), status: "cancelled" }, "fulfillments/update");
    expect(cancelled.shipped).toBe(false);
  });

  it("refunds/create: amount refunded, lines with their restock type", () => {
    const r = mapShopifyRefund(refundCreate);
    expect(r).toMatchObject({ orderGid: "gid://shopify/Order/820982911946154508", subjectId: "gid://shopify/Refund/890088186047892319", kind: "refund" });
    expect(r.summary).toMatchObject({ note: "Things were damaged", amountCents: 8500, returnId: null });
    expect((r.summary.lines as unknown[])[0]).toEqual({ lineKey: "487817672276298554", quantity: 1, restockType: "no_restock", locationId: null });
  });

  it("returns: the order from `order` or `order_id`; returns/update names only the return", () => {
    expect(mapShopifyReturn("returns/request", returnRequest)).toMatchObject({ orderGid: "gid://shopify/Order/4783296544821", subjectId: "gid://shopify/Return/123134564567890", kind: "return.request", summary: { status: "requested", lineItems: 2 } });
    expect(mapShopifyReturn("returns/decline", returnDecline).summary).toMatchObject({ status: "declined", declineReason: "return_period_ended" });
    expect(mapShopifyReturn("returns/close", returnClose)).toMatchObject({ orderGid: "gid://shopify/Order/4783296544821", kind: "return.close", summary: { status: "closed" } });
    expect(mapShopifyReturn("returns/update", returnUpdate)).toMatchObject({ orderGid: null, subjectId: "gid://shopify/Return/123134564567890", kind: "return.update" });
  });
});

describe("inventory", () => {
  it("inventory_levels/update and connect: absolute available, both ends from the level's gid, updated_at", () => {
    for (const raw of [levelUpdate, levelConnect]) {
      const m = mapInventoryLevel(raw);
      expect(m).toMatchObject({ inventoryItemGid: "gid://shopify/InventoryItem/271878346596884015", locationGid: "gid://shopify/Location/24826418", quantities: { available: 10 } });
      expect(m.sourceUpdatedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    }
  });

  it("inventory_levels/disconnect: the ends from the numeric ids, exact", () => {
    expect(mapInventoryLevelDisconnect(levelDisconnect)).toEqual({ inventoryItemGid: "gid://shopify/InventoryItem/271878346596884015", locationGid: "gid://shopify/Location/24826418" });
  });

  it("an untracked level (available null) changes no quantity; a fractional one names the field", () => {
    expect(mapInventoryLevel({ ...(parseShopifyJson(levelUpdate) as object), available: null }).quantities).toEqual({});
    expect(payloadError(() => mapInventoryLevel({ ...(parseShopifyJson(levelUpdate) as object), available: 1.5 })).field).toBe("inventory_levels/update.available");
  });

  it("inventory_items: the item gid and its SKU", () => {
    expect(mapInventoryItem(itemUpdate)).toMatchObject({ inventoryItemGid: "gid://shopify/InventoryItem/271878346596884015", sku: "example-sku", tracked: true });
    expect(mapInventoryItem(itemDelete, "inventory_items/delete")).toMatchObject({ inventoryItemGid: "gid://shopify/InventoryItem/271878346596884015", sku: null });
  });
});

describe("locations and bulk operations", () => {
  it("locations/create: address fields, active, updated_at; (de)activate decide active by topic", () => {
    const m = mapShopifyLocation("locations/create", locationCreate);
    expect(m).toMatchObject({ shopifyLocationGid: "gid://shopify/Location/866550311766439020", name: "Example Shop", address1: "34 Example Street", city: "ottawa", province: "ON", countryCode: "CA", zip: "k1n5t5", active: true });
    expect(m.coordinates).toBeUndefined(); // the REST location carries none
    expect(mapShopifyLocation("locations/deactivate", locationCreate).active).toBe(false);
    expect(mapShopifyLocation("locations/update", { ...(parseShopifyJson(locationCreate) as object), latitude: 45.42, longitude: -75.69 }).coordinates).toEqual({ latitude: 45.42, longitude: -75.69 });
    expect(mapShopifyLocationDelete(locationDelete)).toEqual({ shopifyLocationGid: "gid://shopify/Location/866550311766439020" });
  });

  it("bulk_operations/finish: the operation's gid, status and type", () => {
    expect(mapBulkOperationFinish(bulkFinish)).toMatchObject({ bulkOperationId: "gid://shopify/BulkOperation/147595010", status: "completed", type: "query", errorCode: null });
  });
});
