import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptShopifyWebhook } from "#app/workflows/receive-shopify-webhook.server";

// inventory_levels/update|connect|disconnect and inventory_items/create|update|delete → verified
// (HMAC), stored by webhook id, answered; processed by app/workflows/shopify-inbound.server.ts.
export const action = ({ request, context }: ActionFunctionArgs) => acceptShopifyWebhook(context.runtime, request);
