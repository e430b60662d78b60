import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptShopifyWebhook } from "#app/workflows/receive-shopify-webhook.server";

// fulfillment_orders/* and fulfillments/create|update → verified (HMAC), stored by webhook id,
// answered; processed by app/workflows/shopify-inbound.server.ts in the job runner.
export const action = ({ request, context }: ActionFunctionArgs) => acceptShopifyWebhook(context.runtime, request);
