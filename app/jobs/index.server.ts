import type { AppRuntime } from "#app/platform/runtime.server";
import { requestAmazonShipmentConfirmation } from "#app/workflows/amazon-shipments.server";
import { amazonInboundEventHandlers, registerAmazonJobs } from "./amazon.server";
import { createAmazonAtsPublisher, registerAmazonQuantityJobs } from "./amazon-quantities.server";
import { createInboundEventProcessor, PROCESS_INBOUND_EVENT } from "#app/platform/inbound-events.server";
import { complianceHandlers } from "#app/workflows/compliance.server";
import { BULK_FINISHED_JOB, shopifyInboundHandlers } from "#app/workflows/shopify-inbound.server";
import { importShopifyShop, SHOPIFY_IMPORT_JOB } from "#app/workflows/shopify-import.server";
import {
  createShopifyOrder,
  holdShopifyFulfillment,
  lookUpFulfillmentOrder,
  markShopifyPickupReady,
  releaseShopifyHolds,
  SHOPIFY_CREATE_ORDER_JOB,
  SHOPIFY_SYNC_FULFILLMENT_JOB,
  syncShopifyFulfillment,
  type ShopifyOrderWriteJob,
} from "#app/workflows/shopify-writes.server";
import { SHOPIFY_HOLD_JOB, SHOPIFY_PICKUP_READY_JOB, SHOPIFY_RELEASE_HOLD_JOB, type FulfillmentActionJob } from "#app/modules/orders/index";
import { isConnectorError } from "#connectors/core/errors";
import { isPermanent } from "#app/platform/errors";
import { expireHolds, publishAts, publishChannelAts, PUBLISH_ATS_JOB, PUBLISH_CHANNEL_JOB, SHOPIFY_PUSH_INVENTORY_JOB, type AtsPublisher } from "#app/modules/inventory/index";
import { pushHubInventory } from "#app/workflows/shopify-inventory-push.server";
import { registerRoutingJobs } from "./routing.server";
import { registerOperationsJobs } from "./operations.server";

export const EXPIRE_HOLDS_JOB = "inventory.expireHolds";

/**
 * Channel publishers by channel kind (Amazon: set in registerJobs).  A kind without one (Shopify,
 * B2B portals, for now) records the computed ATS with status "computed; no <kind> connector yet".
 */
const PUBLISHERS: Record<string, AtsPublisher> = {};

/** Every job the app runs, by name.  Entry points only: they resolve dependencies and call workflows. */
export function registerJobs(runtime: AppRuntime) {
  const { db, logger, now } = runtime;
  // Amazon channels publish through the Amazon connector (patchListingsItem / JSON_LISTINGS_FEED);
  // per runtime (its database), not on the module's table.
  const publishers: Record<string, AtsPublisher> = { ...PUBLISHERS, amazon: createAmazonAtsPublisher(runtime) };
  // Fulfillment-order webhooks name no order: ask the Admin API (OmsFulfillmentOrderOrder) when
  // there is one — a Shopify install, or SHOPIFY_ADMIN_URL (the sandbox peer).  A refusal is
  // logged and the FO stored unlinked (the fulfillment sync links it); throttles and 5xx make
  // the webhook's processing retry.
  const hasAdminApi = runtime.env.APP_MODE === "shopify" || !!runtime.env.SHOPIFY_ADMIN_URL;
  const fulfillmentOrderOrderGid = async (shop: string, fulfillmentOrderGid: string) => {
    try {
      return (await lookUpFulfillmentOrder(runtime.shopifyAdmin.adminClientFor(shop), fulfillmentOrderGid))?.orderGid ?? null;
    } catch (e) {
      // A refusal, or no Admin API session for the shop (not installed): nothing a retry fixes.
      if ((isConnectorError(e) && !e.retryable) || isPermanent(e)) {
        logger.warn("fulfillment order look-up refused: stored unlinked", { shop, fulfillmentOrder: fulfillmentOrderGid, err: (e as Error).message });
        return null;
      }
      throw e;
    }
  };
  const inboundHandlers = {
    ...complianceHandlers({ db, logger, now }),
    // orders, fulfillment orders, fulfillments, refunds, returns, inventory, locations, bulk
    // operations.
    ...shopifyInboundHandlers({ db, logger, now, ...(hasAdminApi ? { fulfillmentOrderOrderGid } : {}), onChannelOrderShipped: (args) => requestAmazonShipmentConfirmation({ db, logger, now }, args) }),
    // Amazon ORDER_CHANGE notifications → getOrder.
    ...amazonInboundEventHandlers(runtime),
  };
  const processInbound = createInboundEventProcessor(db, inboundHandlers, now);
  runtime.runner.register<{ eventId: string }>(PROCESS_INBOUND_EVENT, (job) => processInbound(job.data));
  runtime.runner.register<{ channelId: string; variantId: string }>(PUBLISH_ATS_JOB, (job) =>
    publishAts({ db, logger, now, publisherFor: (kind) => publishers[kind] }, job.data),
  );
  runtime.runner.register<{ channelId: string }>(PUBLISH_CHANNEL_JOB, (job) =>
    publishChannelAts({ db, logger, now, publisherFor: (kind) => publishers[kind], signal: job.signal, progress: (d, t) => job.progress(d, t, "republishing ATS") }, job.data),
  );
  runtime.runner.register(EXPIRE_HOLDS_JOB, () => expireHolds({ db, now }));
  // Import / resync from Shopify, with visible progress (the connections page and `oms jobs`).
  runtime.runner.register<{ shop: string }>(SHOPIFY_IMPORT_JOB, (job) =>
    importShopifyShop(
      { db, now, logger, client: runtime.shopifyAdmin.adminClientFor(job.data.shop), signal: job.signal, progress: (d, t, m) => job.progress(d, t, m) },
      job.data.shop,
    ),
  );
  // The import polls its own bulk operation; the finish webhook is recorded (the order timeline and
  // `oms events` show it) and acknowledged here.
  runtime.runner.register<{ bulkOperationId: string; status: string }>(BULK_FINISHED_JOB, async (job) => {
    logger.info("Shopify bulk operation finished", { shop: job.shop, bulkOperationId: job.data.bulkOperationId, status: job.data.status });
  });
  // Writes out after routing (outbox rows of the routing transaction): move Shopify's fulfillment
  // orders to the routed locations; create other channels' orders in Shopify once.
  const writesDeps = (shop: string) => ({ db, now, logger, client: runtime.shopifyAdmin.adminClientFor(shop) });
  runtime.runner.register<ShopifyOrderWriteJob>(SHOPIFY_SYNC_FULFILLMENT_JOB, (job) => syncShopifyFulfillment(writesDeps(job.data.shop), job.data));
  runtime.runner.register<ShopifyOrderWriteJob>(SHOPIFY_CREATE_ORDER_JOB, (job) => createShopifyOrder(writesDeps(job.data.shop), job.data));
  // What a person asks from the order page (outbox rows of app/modules/orders): hold, release
  // this app's holds, mark a pickup ready.
  runtime.runner.register<FulfillmentActionJob>(SHOPIFY_HOLD_JOB, (job) => holdShopifyFulfillment(writesDeps(job.data.shop), job.data));
  runtime.runner.register<FulfillmentActionJob>(SHOPIFY_RELEASE_HOLD_JOB, (job) => releaseShopifyHolds(writesDeps(job.data.shop), job.data));
  runtime.runner.register<FulfillmentActionJob>(SHOPIFY_PICKUP_READY_JOB, (job) => markShopifyPickupReady(writesDeps(job.data.shop), job.data));
  // Counts of locations whose stock the hub owns, pushed to Shopify by compare-and-set.
  runtime.runner.register<{ shop: string; locationId: string }>(SHOPIFY_PUSH_INVENTORY_JOB, (job) =>
    pushHubInventory({ db, logger, client: runtime.shopifyAdmin.adminClientFor(job.data.shop) }, job.data),
  );
  runtime.runner.repeat(EXPIRE_HOLDS_JOB, {}, 60_000);
  // Orders left unroutable, re-routed when something may have fixed them (and every 15 minutes).
  registerRoutingJobs(runtime);
  // The platform's own records (finished jobs, dispatched outbox rows, raw events) pruned hourly.
  registerOperationsJobs(runtime);
  // Amazon: orders in (poll + notifications), shipments out, quantities out, FBA stock in.
  registerAmazonJobs(runtime);
  registerAmazonQuantityJobs(runtime);
}
