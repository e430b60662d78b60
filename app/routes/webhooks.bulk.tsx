import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptShopifyWebhook } from "#app/workflows/receive-shopify-webhook.server";

// bulk_operations/finish → verified (HMAC), stored by webhook id, answered; processed by
// app/workflows/shopify-inbound.server.ts, which enqueues the "shopify.bulkFinished" job.
export const action = ({ request, context }: ActionFunctionArgs) => acceptShopifyWebhook(context.runtime, request);
