import type { Db } from "#app/platform/db/client.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { recordInboundEvent } from "#app/platform/inbound-events.server";
import type { OutboxRelay } from "#app/platform/outbox.server";
import { findShop } from "#app/modules/shops/index";

/** Topics that must be processed even for a shop that has uninstalled the app. */
const AFTER_UNINSTALL_TOPICS = new Set(["APP_UNINSTALLED", "SHOP_REDACT", "CUSTOMERS_REDACT", "CUSTOMERS_DATA_REQUEST"]);

export interface VerifiedWebhook {
  shop: string;
  topic: string; // enum form, e.g. "ORDERS_CREATE"
  webhookId: string;
  eventId?: string | null;
  triggeredAt?: string | null;
  apiVersion?: string | null;
  rawBody: string;
}

/**
 * A webhook whose HMAC has been verified: store it keyed by its webhook id (a duplicate delivery
 * is a no-op) and let the outbox relay hand it to the job runner.  Answering fast is the point:
 * Shopify retries deliveries that take over 5 s.
 * https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates
 */
export async function receiveShopifyWebhook(deps: { db: Db; relay?: OutboxRelay }, w: VerifiedWebhook) {
  if (!AFTER_UNINSTALL_TOPICS.has(w.topic)) {
    const shop = await findShop(deps.db, w.shop);
    // Shopify can deliver webhooks after app/uninstalled; the shop's data is gone and must stay gone.
    if (shop?.installState === "uninstalled") return { stored: false as const, reason: "shop uninstalled" };
  }
  const r = await recordInboundEvent(deps.db, {
    shop: w.shop,
    source: "shopify.webhook",
    externalId: w.webhookId,
    topic: w.topic,
    payload: w.rawBody,
    headers: { eventId: w.eventId, triggeredAt: w.triggeredAt, apiVersion: w.apiVersion },
    occurredAt: w.triggeredAt ? new Date(w.triggeredAt) : null,
  });
  if (!r.duplicate) deps.relay?.nudge();
  return { stored: true as const, eventId: r.id, duplicate: r.duplicate };
}

/**
 * Route glue for every Shopify webhook route: verify the HMAC (authenticate.webhook answers 401
 * itself on a bad signature, and nothing is stored), store, answer 200.  A storage failure answers
 * 500 so Shopify redelivers; nothing is acknowledged that was not stored.
 */
export async function acceptShopifyWebhook(runtime: AppRuntime, request: Request): Promise<Response> {
  const rawBody = await request.clone().text();
  const ctx = await runtime.shopify.authenticate.webhook(request);
  const webhookId = ctx.webhookId || ctx.eventId;
  if (!webhookId) return new Response("missing X-Shopify-Webhook-Id", { status: 400 });
  try {
    const r = await receiveShopifyWebhook(runtime, {
      shop: ctx.shop,
      topic: ctx.topic,
      webhookId,
      eventId: ctx.eventId ?? null,
      triggeredAt: ctx.triggeredAt ?? null,
      apiVersion: ctx.apiVersion ?? null,
      rawBody,
    });
    runtime.logger.info("webhook received", { shop: ctx.shop, topic: ctx.topic, webhookId, ...r });
    return new Response(null, { status: 200 });
  } catch (e) {
    runtime.logger.error("webhook could not be stored; Shopify will retry", { shop: ctx.shop, topic: ctx.topic, webhookId, err: e });
    return new Response("temporarily unavailable", { status: 500 });
  }
}
