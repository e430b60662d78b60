import { accountsDueForNotifications, AMAZON_DROP_NOTIFICATIONS_JOB, AMAZON_ENSURE_NOTIFICATIONS_JOB, connectedAmazonAccounts } from "#app/modules/amazon/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { dropOrderNotifications, ensureOrderNotifications, handleOrderChangeMessage, type AmazonNotificationsDeps } from "#app/workflows/amazon-notifications.server";
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

export function amazonNotificationsDeps(runtime: AppRuntime): AmazonNotificationsDeps {
  return {
    ...amazonOrdersDeps(runtime),
    appClientFor: (app) => runtime.amazon.appClientFor(app),
    pollEveryMs: runtime.env.OMS_AMAZON_POLL_MS ?? DEFAULT_AMAZON_POLL_MS,
    sandbox: runtime.amazon.sandboxUrl !== undefined,
  };
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
    // Notification subscriptions that are due a check (new, failed and waited long enough, daily).
    for (const a of await accountsDueForNotifications(runtime.db, runtime.now())) {
      await runtime.runner.add(AMAZON_ENSURE_NOTIFICATIONS_JOB, { shop: a.shop, accountId: a.id }, { shop: a.shop, dedupeKey: `amazon-notifications:${a.id}:${window}`, concurrencyKey: `amazon-notifications:${a.id}`, attempts: 1 });
    }
  });
  runtime.runner.repeat(AMAZON_SCHEDULE_JOB, {}, pollEvery);
  // ORDER_CHANGE notifications: the subscription follows the account (connect/edit → ensure,
  // disconnect → drop; both queued through the outbox by the amazon module) …
  const notifications = amazonNotificationsDeps(runtime);
  runtime.runner.register<{ shop: string; accountId: string }>(AMAZON_ENSURE_NOTIFICATIONS_JOB, (job) => ensureOrderNotifications(notifications, job.data));
  runtime.runner.register<{ shop: string; accountId: string }>(AMAZON_DROP_NOTIFICATIONS_JOB, (job) => dropOrderNotifications(notifications, job.data, { attempt: job.attempt, maxAttempts: job.maxAttempts }));
  // … and, with AMAZON_SQS_QUEUE_URL set, the queue is read beside the job runner.
  const consumer = runtime.amazon.notifications.createConsumer((body, meta) => handleOrderChangeMessage(notifications, body, meta));
  if (consumer) runtime.addService({ name: "amazon-sqs", start: () => consumer.start(), stop: () => consumer.stop() });
  // Shipments out: one confirmShipment per (Amazon order, package), queued by the fulfillments/create webhook.
  runtime.runner.register<{ shop: string; confirmationId: string }>(AMAZON_CONFIRM_SHIPMENT_JOB, (job) => confirmAmazonShipment(deps, job.data));
}
