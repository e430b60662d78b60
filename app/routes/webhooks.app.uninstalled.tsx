import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptShopifyWebhook } from "#app/workflows/receive-shopify-webhook.server";

// Topic app/uninstalled → stored, then the job deletes the shop's data (app/workflows/compliance.server.ts).
export const action = ({ request, context }: ActionFunctionArgs) => acceptShopifyWebhook(context.runtime, request);
