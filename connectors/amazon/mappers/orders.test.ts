import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AmazonPayloadError } from "./errors";
import { mapAmazonOrder, parseAmazonOrder } from "./orders";

// Literal copy (trimmed to what the mapper reads, plus a few fields it must ignore) of Amazon's
// getOrder 2026-01-01 sandbox case: connectors/amazon/fixtures/sp-api/getOrder2026.200.sandbox0.json.
const brazilMfn = {
  orderId: "171-9876543-2109876",
  orderAliases: [{ aliasId: "BR-CONSUMER-ORDER-2024-003", aliasType: "SELLER_ORDER_ID" }],
  createdTime: "2024-12-24T20:30:00Z",
  lastUpdatedTime: "2024-12-25T08:15:00Z",
  programs: ["PRIME"],
  salesChannel: { channelName: "AMAZON", marketplaceId: "A2Q3Y263D00KWC", marketplaceName: "Amazon.com.br" },
  buyer: { buyerName: "Maria Silva Santos", buyerEmail: "buyer-email@marketplace.amazon.com.br" },
  recipient: {
    deliveryAddress: { name: "Maria Silva Santos", addressLine1: "Rua das Flores, 123", city: "São Paulo", districtOrCounty: "", stateOrRegion: "SP", postalCode: "01234-567", countryCode: "BR", phone: "+55 11 98765-4321", addressType: "RESIDENTIAL" },
  },
  proceeds: { grandTotal: { amount: "299.90", currencyCode: "BRL" } },
  fulfillment: { fulfillmentStatus: "UNSHIPPED", fulfilledBy: "MERCHANT", fulfillmentServiceLevel: "STANDARD", shipByWindow: { earliestDateTime: "2024-12-26T00:00:00Z", latestDateTime: "2024-12-27T23:59:59Z" } },
  orderItems: [
    {
      orderItemId: "17198765432109",
      quantityOrdered: 1,
      product: { asin: "B08N5WRWNW", title: "Echo Dot (4ª Geração) | Smart Speaker com Alexa | Cor Preta", sellerSku: "ECHO-DOT-4-BR-PRETO", price: { unitPrice: { amount: "299.90", currencyCode: "BRL" } } },
      fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
    },
  ],
};

describe("mapAmazonOrder", () => {
  it("maps Amazon's MFN sandbox order to exactly the hub's intake shape", () => {
    const m = mapAmazonOrder(parseAmazonOrder(brazilMfn));
    expect(m).toEqual({
      intake: {
        channel: "amazon-br",
        externalOrderId: "171-9876543-2109876",
        name: "171-9876543-2109876",
        placedAt: new Date("2024-12-24T20:30:00Z"),
        speed: "standard",
        b2b: false,
        companyId: null,
        customerRef: null,
        customerTags: ["amazon-prime"],
        destination: { countryCode: "BR", provinceCode: "SP", zip: "01234-567", city: "São Paulo", lat: null, lng: null },
        pickupLocationId: null,
        valueCents: 29990,
        currencyCode: "BRL",
        paid: true,
        lines: [{ lineKey: "17198765432109", sku: "ECHO-DOT-4-BR-PRETO", quantity: 1, title: "Echo Dot (4ª Geração) | Smart Speaker com Alexa | Cor Preta", priceCents: 29990 }],
      },
      recordOnly: false,
      fulfillmentChannel: "MFN",
      status: "UNSHIPPED",
      cancellationRequested: false,
      cancelled: false,
      updatedAt: new Date("2024-12-25T08:15:00Z"),
      skippedLines: [],
    });
  });

  it("keeps a free-text region out of provinceCode and reads AMAZON_BUSINESS as B2B (getOrder2026 example, GB)", () => {
    const gb = {
      ...brazilMfn,
      orderId: "202-1234567-8901234",
      programs: ["PRIME", "AMAZON_BUSINESS"],
      salesChannel: { channelName: "AMAZON", marketplaceId: "A1F83G8C2ARO7P", marketplaceName: "Amazon.co.uk" },
      recipient: { deliveryAddress: { city: "Manchester", districtOrCounty: "Greater Manchester", stateOrRegion: "England", postalCode: "M1 2AB", countryCode: "GB" } },
      proceeds: { grandTotal: { amount: "103.97", currencyCode: "GBP" } },
      fulfillment: { fulfillmentStatus: "SHIPPED", fulfilledBy: "MERCHANT", fulfillmentServiceLevel: "NEXT_DAY" },
    };
    const m = mapAmazonOrder(parseAmazonOrder(gb));
    expect(m.intake).toMatchObject({ channel: "amazon-gb", b2b: true, customerTags: ["amazon-prime", "amazon-business"], speed: "expedited", valueCents: 10397, currencyCode: "GBP" });
    expect(m.intake.destination).toEqual({ countryCode: "GB", provinceCode: null, zip: "M1 2AB", city: "Manchester", lat: null, lng: null });
  });

  it("marks FBA orders record-only (searchOrders sandbox case, JP, fulfilledBy AMAZON) and reads JPY amounts without float error", () => {
    const jp = {
      orderId: "250-1234567-8901234",
      createdTime: "2024-12-25T02:30:00Z",
      lastUpdatedTime: "2024-12-25T06:45:00Z",
      programs: ["PRIME"],
      salesChannel: { channelName: "AMAZON", marketplaceId: "A1VC38T7YXB528", marketplaceName: "Amazon.co.jp" },
      recipient: { deliveryAddress: { name: "John Smith", addressLine1: "123 Business Park", addressLine2: "Suite 456", city: "Tokyo", postalCode: "150-0002", countryCode: "JP", addressType: "RESIDENTIAL" } },
      proceeds: { grandTotal: { amount: "19940", currencyCode: "JPY" } },
      fulfillment: { fulfillmentStatus: "SHIPPED", fulfilledBy: "AMAZON", fulfillmentServiceLevel: "STANDARD" },
      orderItems: [
        { orderItemId: "25012345678901", quantityOrdered: 1, product: { sellerSku: "ECHO-DOT-4-JP-CHARCOAL", price: { unitPrice: { amount: "5980", currencyCode: "JPY" } } } },
        { orderItemId: "25012345678902", quantityOrdered: 2, product: { sellerSku: "FIRE-TV-4K-MAX-JP", price: { unitPrice: { amount: "6980", currencyCode: "JPY" } } } },
      ],
    };
    const m = mapAmazonOrder(parseAmazonOrder(jp));
    expect(m.recordOnly).toBe(true);
    expect(m.fulfillmentChannel).toBe("AFN");
    expect(m.intake.valueCents).toBe(1_994_000);
    expect(m.intake.lines.map((l) => [l.sku, l.quantity, l.priceCents])).toEqual([
      ["ECHO-DOT-4-JP-CHARCOAL", 1, 598_000],
      ["FIRE-TV-4K-MAX-JP", 2, 698_000],
    ]);
    expect(m.intake.destination).toMatchObject({ countryCode: "JP", provinceCode: null, zip: "150-0002", city: "Tokyo" });
  });

  it("reports a buyer's cancellation request and a cancellation (searchOrders example, US)", () => {
    const us = {
      ...brazilMfn,
      orderId: "123-4567890-1234567",
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER" },
      fulfillment: { fulfillmentStatus: "CANCELLED", fulfilledBy: "MERCHANT" },
      orderItems: [
        { orderItemId: "12345678901234", quantityOrdered: 1, product: { sellerSku: "ECHO-DOT-4-CHARCOAL" }, cancellation: { cancellationRequest: { requester: "BUYER", cancelReason: "Changed mind about purchase" }, cancellationExecution: { cancelledBy: "MERCHANT", cancelReason: "Buyer requested cancellation" } } },
        { orderItemId: "12345678901235", quantityOrdered: 1, product: { sellerSku: "FIRE-TV-4K-2021" } },
      ],
    };
    const m = mapAmazonOrder(parseAmazonOrder(us));
    expect(m).toMatchObject({ cancellationRequested: true, cancelled: true, status: "CANCELLED" });
    expect(m.intake.lines.map((l) => l.priceCents)).toEqual([0, 0]);
    expect(m.intake.channel).toBe("amazon-us");
  });

  it("routes a Pending order (no address yet) to the marketplace's country and leaves it unpaid", () => {
    const pending = { ...brazilMfn, recipient: undefined, proceeds: undefined, fulfillment: { fulfillmentStatus: "PENDING", fulfilledBy: "MERCHANT", fulfillmentServiceLevel: "SAME_DAY" } };
    const m = mapAmazonOrder(parseAmazonOrder(pending));
    expect(m.intake.destination).toEqual({ countryCode: "BR", provinceCode: null, zip: null, city: null, lat: null, lng: null });
    expect(m.intake.paid).toBe(false);
    expect(m.intake.speed).toBe("same_day");
    expect("valueCents" in m.intake).toBe(false);
    expect(m.intake.currencyCode).toBe("BRL"); // from the item price
  });

  it("skips items without a seller SKU, honours channel overrides, and names what is wrong", () => {
    const mixed = { ...brazilMfn, orderItems: [...brazilMfn.orderItems, { orderItemId: "X1", quantityOrdered: 1, product: { asin: "B000" } }] };
    const m = mapAmazonOrder(parseAmazonOrder(mixed), { channelOverrides: { A2Q3Y263D00KWC: "amazon-brasil" } });
    expect(m.skippedLines).toEqual([{ lineKey: "X1", reason: "no seller SKU" }]);
    expect(m.intake.channel).toBe("amazon-brasil");

    const err = (raw: unknown) => {
      try {
        mapAmazonOrder(parseAmazonOrder(raw));
      } catch (e) {
        expect(e).toBeInstanceOf(AmazonPayloadError);
        return (e as AmazonPayloadError).message;
      }
      throw new Error("expected an AmazonPayloadError");
    };
    expect(err({ ...brazilMfn, salesChannel: { channelName: "AMAZON", marketplaceId: "AXXXXXXXX" } })).toMatch(/^order\.salesChannel\.marketplaceId: unknown marketplace AXXXXXXXX/);
    expect(err({ ...brazilMfn, orderItems: [{ ...brazilMfn.orderItems[0], quantityOrdered: 1.5 }] })).toMatch(/^order\.orderItems\.0\.quantityOrdered: must be a whole number/);
    expect(err({ ...brazilMfn, orderItems: [{ orderItemId: "X1", quantityOrdered: 1, product: {} }] })).toMatch(/^order\.orderItems: no item with a seller SKU/);
    expect(err({ ...brazilMfn, proceeds: { grandTotal: { amount: "1,299.00", currencyCode: "BRL" } } })).toMatch(/^order\.proceeds\.grandTotal\.amount: must be a decimal amount/);
    expect(err({ ...brazilMfn, createdTime: "1.569521782042E9" })).toMatch(/^order\.createdTime: must be an ISO 8601/);
    expect(err("{")).toMatch(/^order: is not valid JSON/);
  });

  it("maps every published 2026 order example as it is", () => {
    const read = (f: string) => JSON.parse(readFileSync(new URL(`../fixtures/sp-api/${f}`, import.meta.url), "utf8")).response;
    const orders = [...read("searchOrders.200.sandbox0.json").orders, ...read("searchOrders.200.example.json").orders, read("getOrder2026.200.sandbox0.json").order, read("getOrder2026.200.example.json").order];
    expect(orders.map((o) => mapAmazonOrder(parseAmazonOrder(o)).intake.channel)).toEqual(["amazon-jp", "amazon-us", "amazon-br", "amazon-gb"]);
  });
});
