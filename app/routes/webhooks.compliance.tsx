import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptShopifyWebhook } from "#app/workflows/receive-shopify-webhook.server";

// customers/data_request, customers/redact, shop/redact → stored, then handled by
// app/workflows/compliance.server.ts.
export const action = ({ request, context }: ActionFunctionArgs) => acceptShopifyWebhook(context.runtime, request);
