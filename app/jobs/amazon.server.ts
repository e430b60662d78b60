import { connectedAmazonAccounts } from "#app/modules/amazon/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { AMAZON_POLL_ORDERS_JOB, amazonInboundHandlers, pollAmazonOrders, type AmazonOrdersDeps } from "#app/workflows/amazon-orders.server";
import { AMAZON_CONFIRM_SHIPMENT_JOB, confirmAmazonShipment } from "#app/workflows/amazon-shipments.server";

/** Every `OMS_AMAZON_POLL_MS` (default 3 min) each connected account's orders are polled. */
export const AMAZON_SCHEDULE_JOB = "amazon.schedule";
/**
 * searchOrders allows 0.0056 requests/s with a burst of 20 (one call per 180 s sustained:
 * https://developer-docs.amazon.com/sp-api/docs/orders-api-rate-limits): polling faster would only
 * wait in the bucket.  ORDER_CHANGE notifications bring single orders in between (getOrder, 0.5 rps).
 */
export const DEFAULT_AMAZON_POLL_MS = 180_000;

export function amazonOrdersDeps(runtime: AppRuntime): AmazonOrdersDeps {
  return { db: runtime.db, secrets: runtime.secrets, logger: runtime.logger, now: runtime.now, clientFor: (c) => runtime.amazon.clientFor(c) };
}

/** Inbound-event handlers (ORDER_CHANGE notifications) to add to the processor's table. */
export function amazonInboundEventHandlers(runtime: AppRuntime) {
  return amazonInboundHandlers(amazonOrdersDeps(runtime));
}

export function registerAmazonJobs(runtime: AppRuntime) {
  const deps = amazonOrdersDeps(runtime);
  const pollEvery = runtime.env.OMS_AMAZON_POLL_MS ?? DEFAULT_AMAZON_POLL_MS;
  runtime.runner.register<{ shop: string; accountId: string }>(AMAZON_POLL_ORDERS_JOB, (job) => pollAmazonOrders(deps, job.data, { signal: job.signal }));
  runtime.runner.register(AMAZON_SCHEDULE_JOB, async () => {
    const window = Math.floor(runtime.now().getTime() / pollEvery);
    for (const a of await connectedAmazonAccounts(runtime.db)) {
      // One poll per account per period, never two at once for one account (the checkpoint is per account).
      await runtime.runner.add(AMAZON_POLL_ORDERS_JOB, { shop: a.shop, accountId: a.id }, { shop: a.shop, dedupeKey: `amazon-poll:${a.id}:${window}`, concurrencyKey: `amazon-orders:${a.id}`, attempts: 3 });
    }
  });
  runtime.runner.repeat(AMAZON_SCHEDULE_JOB, {}, pollEvery);
  // Shipments out: one confirmShipment per (Amazon order, package), queued by the fulfillments/create webhook.
  runtime.runner.register<{ shop: string; confirmationId: string }>(AMAZON_CONFIRM_SHIPMENT_JOB, (job) => confirmAmazonShipment(deps, job.data));
}
