/**
 * ORDER_CHANGE notification (SQS message body, payload version 1.0) → a trigger to re-fetch the order.
 * Schema: schemas/notifications/OrderChangeNotification.json (fixture: connectors/amazon/fixtures/notifications/
 * OrderChangeNotification.example.json).  SQS is at-least-once, so NotificationId is the dedupe key,
 * and the notification is never applied as the order's state: it only says "go and read order X"
 * (https://developer-docs.amazon.com/sp-api/docs/notifications-api-v1-use-case-guide).
 */
import { z } from "zod";
import { parseAmazon } from "./errors";

const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date-time");

const orderChangeSchema = z.object({
  NotificationType: z.literal("ORDER_CHANGE", { error: "must be ORDER_CHANGE" }),
  PayloadVersion: z.string().nullish(),
  EventTime: dateTime.nullish(),
  Payload: z.object({
    OrderChangeNotification: z.object({
      NotificationLevel: z.string().nullish(),
      SellerId: z.string().min(1),
      AmazonOrderId: z.string().min(1),
      OrderChangeType: z.string().min(1),
      OrderChangeTrigger: z.object({ TimeOfOrderChange: dateTime.nullish(), ChangeReason: z.string().nullish() }).nullish(),
      Summary: z
        .object({
          MarketplaceId: z.string().nullish(),
          OrderStatus: z.string().nullish(),
          FulfillmentType: z.string().nullish(),
          OrderItems: z.array(z.object({ SellerSKU: z.string().nullish(), IsBuyerRequestedCancel: z.boolean().nullish() })).nullish(),
        })
        .nullish(),
    }),
  }),
  NotificationMetadata: z.object({ NotificationId: z.string().min(1, "is required (the dedupe key)"), PublishTime: dateTime.nullish(), SubscriptionId: z.string().nullish(), ApplicationId: z.string().nullish() }),
});

export type OrderChangeType = "BuyerRequestedChange" | "DeliveryTipChange" | "OrderStatusChange" | (string & {});

export interface OrderChangeTrigger {
  orderId: string;
  sellerId: string;
  /** Dedupe key: SQS may deliver the same message more than once. */
  notificationId: string;
  changeType: OrderChangeType;
  changeReason: string | null;
  marketplaceId: string | null;
  /** Orders v0 spelling (Unshipped, Canceled …) as the notification carries it; informative only. */
  orderStatus: string | null;
  fulfillmentType: "MFN" | "AFN" | null;
  buyerRequestedCancel: boolean;
  /** When the change happened (TimeOfOrderChange, else EventTime), for ordering and logs. */
  changedAt: Date | null;
}

/** Parse an SQS message body (string or parsed JSON) holding an ORDER_CHANGE notification. */
export function mapOrderChangeNotification(body: unknown): OrderChangeTrigger {
  const n = parseAmazon(orderChangeSchema, body, "notification");
  const p = n.Payload.OrderChangeNotification;
  const when = p.OrderChangeTrigger?.TimeOfOrderChange ?? n.EventTime ?? null;
  const ft = p.Summary?.FulfillmentType;
  return {
    orderId: p.AmazonOrderId,
    sellerId: p.SellerId,
    notificationId: n.NotificationMetadata.NotificationId,
    changeType: p.OrderChangeType,
    changeReason: p.OrderChangeTrigger?.ChangeReason ?? null,
    marketplaceId: p.Summary?.MarketplaceId ?? null,
    orderStatus: p.Summary?.OrderStatus ?? null,
    fulfillmentType: ft === "MFN" || ft === "AFN" ? ft : null,
    buyerRequestedCancel: (p.Summary?.OrderItems ?? []).some((i) => i.IsBuyerRequestedCancel === true),
    changedAt: when ? new Date(when) : null,
  };
}
