import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptShopifyWebhook } from "#app/workflows/receive-shopify-webhook.server";

// Topic app/scopes_update → stored, then the job records the granted scopes.
export const action = ({ request, context }: ActionFunctionArgs) => acceptShopifyWebhook(context.runtime, request);
