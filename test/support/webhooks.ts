import { createHmac, randomUUID } from "node:crypto";
import { TEST_API_SECRET } from "./runtime";

/** A webhook request as Shopify sends it: raw JSON body, base64 HMAC-SHA256 of it, classic headers. */
export function shopifyWebhookRequest(args: {
  path: string;
  topic: string; // "app/uninstalled"
  shop: string;
  body: unknown;
  webhookId?: string;
  secret?: string;
  hmac?: string;
  triggeredAt?: string;
}) {
  const raw = JSON.stringify(args.body);
  const hmac = args.hmac ?? createHmac("sha256", args.secret ?? TEST_API_SECRET).update(raw).digest("base64");
  return new Request(`https://oms.test${args.path}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Topic": args.topic,
      "X-Shopify-Shop-Domain": args.shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": args.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": args.triggeredAt ?? "2026-11-27T10:00:00.000Z",
    },
  });
}

/** A Shopify orders/create-shaped payload with one customer (the parts that hold personal data). */
export function orderPayload(o: { id: number; customerId: number; email: string; firstName: string; lastName: string; phone?: string }) {
  const address = { first_name: o.firstName, last_name: o.lastName, address1: "1 Market St", city: "San Francisco", zip: "94105", country_code: "US", phone: o.phone ?? null, name: `${o.firstName} ${o.lastName}` };
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: `#${o.id}`,
    email: o.email,
    phone: o.phone ?? null,
    total_price: "59.00",
    currency: "USD",
    customer: { id: o.customerId, email: o.email, first_name: o.firstName, last_name: o.lastName, phone: o.phone ?? null, default_address: address },
    shipping_address: address,
    billing_address: address,
    line_items: [{ id: o.id * 10, sku: "TEE-BLU-M", name: "Blue Tee - M", quantity: 2, price: "29.50" }],
  };
}
