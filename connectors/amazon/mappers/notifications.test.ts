import { describe, expect, it } from "vitest";
import { mapOrderChangeNotification } from "./notifications";

// Literal copy of Amazon's ORDER_CHANGE example (connectors/amazon/fixtures/notifications/OrderChangeNotification.example.json).
const example = {
  NotificationVersion: "1.0",
  NotificationType: "ORDER_CHANGE",
  PayloadVersion: "1.0",
  EventTime: "2020-01-11T00:09:53.109Z",
  Payload: {
    OrderChangeNotification: {
      NotificationLevel: "OrderLevel",
      SellerId: "A3TH9S8BH6GOGM",
      AmazonOrderId: "903-8868176-2219830",
      OrderChangeType: "BuyerRequestedChange",
      OrderChangeTrigger: { TimeOfOrderChange: "2022-11-29T19:42:04.284Z", ChangeReason: "Buyer Requested Cancel" },
      Summary: {
        MarketplaceId: "ATVPDKIKX0DER",
        OrderStatus: "Unshipped",
        PurchaseDate: "2022-07-13T19:42:04.284Z",
        DestinationPostalCode: "48110",
        FulfillmentType: "MFN",
        OrderType: "StandardOrder",
        NumberOfItemsShipped: 0,
        NumberOfItemsUnshipped: 10,
        OrderItems: [{ OrderItemId: "OIID34853450", SellerSKU: "SellerSKUID1", SupplySourceId: "d7679e14-031b-4ab3-a81b-ec4fc7a460b3", OrderItemStatus: "Unshipped", Quantity: 10, QuantityShipped: 0, IsBuyerRequestedCancel: true }],
      },
    },
  },
  NotificationMetadata: { ApplicationId: "app-id-d0e9e693-c3ad-4373-979f-ed4ec98dd746", SubscriptionId: "subscription-id-d0e9e693-c3ad-4373-979f-ed4ec98dd746", PublishTime: "2020-07-13T19:42:04.284Z", NotificationId: "d0e9e693-c3ad-4373-979f-ed4ec98dd746" },
};

describe("mapOrderChangeNotification", () => {
  it("turns the SQS message body into a re-fetch trigger with the NotificationId as dedupe key", () => {
    const expected = {
      orderId: "903-8868176-2219830",
      sellerId: "A3TH9S8BH6GOGM",
      notificationId: "d0e9e693-c3ad-4373-979f-ed4ec98dd746",
      changeType: "BuyerRequestedChange",
      changeReason: "Buyer Requested Cancel",
      marketplaceId: "ATVPDKIKX0DER",
      orderStatus: "Unshipped",
      fulfillmentType: "MFN",
      buyerRequestedCancel: true,
      changedAt: new Date("2022-11-29T19:42:04.284Z"),
    };
    expect(mapOrderChangeNotification(example)).toEqual(expected);
    // SQS hands the body over as a string.
    expect(mapOrderChangeNotification(JSON.stringify(example))).toEqual(expected);
  });

  it("accepts an order-level status change without Summary items, and falls back to EventTime", () => {
    const minimal = { ...example, Payload: { OrderChangeNotification: { SellerId: "A1", AmazonOrderId: "111-1111111-1111111", OrderChangeType: "OrderStatusChange" } } };
    expect(mapOrderChangeNotification(minimal)).toMatchObject({ changeType: "OrderStatusChange", buyerRequestedCancel: false, fulfillmentType: null, marketplaceId: null, changedAt: new Date("2020-01-11T00:09:53.109Z") });
  });

  it("refuses other notification types and bodies without the dedupe key, naming the field", () => {
    expect(() => mapOrderChangeNotification({ ...example, NotificationType: "ANY_OFFER_CHANGED" })).toThrow(/^notification\.NotificationType: must be ORDER_CHANGE/);
    expect(() => mapOrderChangeNotification({ ...example, NotificationMetadata: { NotificationId: "" } })).toThrow(/^notification\.NotificationMetadata\.NotificationId: is required \(the dedupe key\)/);
    expect(() => mapOrderChangeNotification({ ...example, Payload: { OrderChangeNotification: { SellerId: "A1", OrderChangeType: "X" } } })).toThrow(/^notification\.Payload\.OrderChangeNotification\.AmazonOrderId/);
    expect(() => mapOrderChangeNotification("not json")).toThrow(/^notification: is not valid JSON/);
  });
});
