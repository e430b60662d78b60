import { randomUUID } from "node:crypto";
import type { SpApiClient } from "#connectors/amazon/client/sp-api-client";
import { AmazonPayloadError, amazonCarrier } from "#connectors/amazon/mappers/index";
import { isConnectorError } from "#connectors/core/errors";
import type { MappedFulfillment } from "#connectors/shopify/mappers/fulfillments";
import { amazonCredentials, parseFeatures, parseMarketplaces, type AmazonCredentials } from "#app/modules/amazon/index";
import { appendOrderEvent, orderLinesOf } from "#app/modules/orders/index";
import type { SecretBox } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import type { Logger } from "#app/platform/logger.server";
import { writeOutbox } from "#app/platform/outbox.server";

/**
 * Shipments out (issue 6 item 5).  When Shopify reports a fulfillment of an order the hub created
 * there for Amazon (fulfillments/create), the hub records one AmazonShipmentConfirmation per
 * (Amazon order, package) and a job calls confirmShipment (Orders v0: the only confirmation
 * operation; https://developer-docs.amazon.com/sp-api/docs/orders-api-v0-reference#confirmshipment).
 *
 * Idempotent end to end: the package reference id is the Shopify fulfillment's numeric id, so a
 * replayed webhook finds the same row, and a repeated confirmShipment with the same
 * packageReferenceId edits that package at Amazon instead of adding one.  Refusals are kept on the
 * row and the order's timeline; a 429/5xx is retried by the runner.
 */
export const AMAZON_CONFIRM_SHIPMENT_JOB = "amazon.confirmShipment";
const SOURCE = "amazon";

export interface AmazonShipmentsDeps {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  now: () => Date;
  clientFor: (creds: AmazonCredentials) => SpApiClient;
}

export type ShipmentRequestOutcome = { queued: true; confirmationId: string; duplicate: boolean } | { queued: false; reason: string };

/** Called for a shipped Shopify fulfillment of an order the hub created in Shopify (any channel). */
export async function requestAmazonShipmentConfirmation(
  deps: Pick<AmazonShipmentsDeps, "db" | "logger" | "now">,
  args: { shop: string; orderId: string; fulfillment: MappedFulfillment },
): Promise<ShipmentRequestOutcome> {
  const { db } = deps;
  const f = args.fulfillment;
  const order = await db.order.findFirst({ where: { shop: args.shop, id: args.orderId } });
  if (!order) return { queued: false, reason: "no such order" };
  const channel = await db.channel.findFirst({ where: { id: order.channelId, shop: args.shop } });
  if (channel?.kind !== "amazon") return { queued: false, reason: "not an Amazon order" };
  const accounts = await db.amazonAccount.findMany({ where: { shop: args.shop, status: { in: ["connected", "error"] } } });
  const account = accounts.map((a) => ({ a, m: parseMarketplaces(a.marketplaces).find((x) => x.channelCode === channel.code) })).find((x) => x.m);
  if (!account?.m) return refuse(deps, args.shop, order.id, f, `no connected Amazon account sells through channel ${channel.code}`);
  if (parseFeatures(account.a.features).shipments === false) return { queued: false, reason: "shipment confirmation is off for this account" };

  // Amazon's order item ids are the hub's line keys for Amazon orders; Shopify's lines are matched by SKU.
  const hubLines = await orderLinesOf(db, args.shop, order.id);
  const items: { orderItemId: string; quantity: number }[] = [];
  for (const l of f.lines) {
    const line = hubLines.find((h) => h.sku === l.sku);
    if (!line) return refuse(deps, args.shop, order.id, f, `fulfillment line ${l.sku ?? "(no SKU)"} matches no line of Amazon order ${order.externalOrderId}`);
    const existing = items.find((i) => i.orderItemId === line.lineKey);
    if (existing) existing.quantity += l.quantity;
    else items.push({ orderItemId: line.lineKey, quantity: l.quantity });
  }
  if (items.length === 0) return refuse(deps, args.shop, order.id, f, "the fulfillment has no lines");
  if (!f.tracking.number) return refuse(deps, args.shop, order.id, f, "the fulfillment has no tracking number; Amazon needs one to confirm the shipment (add it in Shopify)");
  let carrier;
  try {
    carrier = amazonCarrier(f.tracking.company);
  } catch (e) {
    if (e instanceof AmazonPayloadError) return refuse(deps, args.shop, order.id, f, `the fulfillment names no carrier (${e.message})`);
    throw e;
  }
  const packageReferenceId = /(\d+)$/.exec(f.fulfillmentId)?.[1] ?? "";
  if (!/^[1-9]\d*$/.test(packageReferenceId)) return refuse(deps, args.shop, order.id, f, `fulfillment id ${f.fulfillmentId} has no numeric id to use as the package reference`);

  const key = { accountId_amazonOrderId_packageReferenceId: { accountId: account.a.id, amazonOrderId: order.externalOrderId, packageReferenceId } };
  const existing = await db.amazonShipmentConfirmation.findUnique({ where: key });
  if (existing) return { queued: true, confirmationId: existing.id, duplicate: true };
  const id = randomUUID();
  try {
    await db.$transaction(async (tx) => {
      await tx.amazonShipmentConfirmation.create({
        data: {
          id,
          shop: args.shop,
          accountId: account.a.id,
          amazonOrderId: order.externalOrderId,
          marketplaceId: account.m!.marketplaceId,
          packageReferenceId,
          fulfillmentGid: f.fulfillmentId,
          carrierCode: carrier.carrierCode,
          carrierName: carrier.carrierName ?? null,
          shippingMethod: null,
          trackingNumber: f.tracking.number!,
          shipDate: f.occurredAt,
          items: JSON.stringify(items),
        },
      });
      await writeOutbox(tx, { shop: args.shop, topic: AMAZON_CONFIRM_SHIPMENT_JOB, payload: { shop: args.shop, confirmationId: id }, jobKey: `${args.shop}|amazon-shipment|${order.externalOrderId}`, jobDedupeKey: `amazon-shipment:${id}` });
    });
  } catch (e) {
    // The same webhook processed twice at once: the other one recorded it.
    const winner = await db.amazonShipmentConfirmation.findUnique({ where: key });
    if (winner) return { queued: true, confirmationId: winner.id, duplicate: true };
    throw e;
  }
  return { queued: true, confirmationId: id, duplicate: false };
}

/** The job `amazon.confirmShipment`. */
export async function confirmAmazonShipment(deps: AmazonShipmentsDeps, job: { shop: string; confirmationId: string }) {
  const { db } = deps;
  const row = await db.amazonShipmentConfirmation.findFirst({ where: { shop: job.shop, id: job.confirmationId } });
  if (!row) return { skipped: "no such confirmation" };
  if (row.status === "confirmed") return { skipped: "already confirmed" };
  const order = await db.order.findFirst({ where: { shop: job.shop, externalOrderId: row.amazonOrderId } });
  const creds = await amazonCredentials(deps, job.shop, row.accountId);
  const items = JSON.parse(row.items) as { orderItemId: string; quantity: number }[];
  try {
    await deps.clientFor(creds).confirmShipment(row.amazonOrderId, {
      marketplaceId: row.marketplaceId,
      packageDetail: {
        packageReferenceId: row.packageReferenceId,
        carrierCode: row.carrierCode,
        ...(row.carrierName ? { carrierName: row.carrierName } : {}),
        ...(row.shippingMethod ? { shippingMethod: row.shippingMethod } : {}),
        trackingNumber: row.trackingNumber,
        shipDate: row.shipDate.toISOString(),
        orderItems: items,
      },
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const permanent = isConnectorError(e) ? !e.retryable : false;
    await db.amazonShipmentConfirmation.update({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastError: message.slice(0, 500), ...(permanent ? { status: "failed" } : {}) } });
    if (permanent && order) {
      await appendOrderEvent(db, { shop: job.shop, orderId: order.id, kind: "amazon.shipment_confirmation_failed", source: SOURCE, occurredAt: deps.now(), subjectId: row.fulfillmentGid, summary: { amazonOrderId: row.amazonOrderId, packageReferenceId: row.packageReferenceId, error: message } });
    }
    throw e;
  }
  await db.amazonShipmentConfirmation.update({ where: { id: row.id }, data: { status: "confirmed", confirmedAt: deps.now(), attempts: { increment: 1 }, lastError: null } });
  if (order) {
    await appendOrderEvent(db, {
      shop: job.shop,
      orderId: order.id,
      kind: "amazon.shipment_confirmed",
      source: SOURCE,
      occurredAt: deps.now(),
      subjectId: row.fulfillmentGid,
      summary: { amazonOrderId: row.amazonOrderId, packageReferenceId: row.packageReferenceId, carrier: row.carrierName ?? row.carrierCode, tracking: row.trackingNumber, items: items.length },
    });
  }
  deps.logger.info("amazon shipment confirmed", { shop: job.shop, amazonOrderId: row.amazonOrderId, packageReferenceId: row.packageReferenceId });
  return { confirmed: true };
}

async function refuse(deps: Pick<AmazonShipmentsDeps, "db" | "logger" | "now">, shop: string, orderId: string, f: MappedFulfillment, reason: string): Promise<ShipmentRequestOutcome> {
  await appendOrderEvent(deps.db, {
    shop,
    orderId,
    kind: "amazon.shipment_not_confirmed",
    source: SOURCE,
    occurredAt: deps.now(),
    subjectId: f.fulfillmentId,
    sourceEventId: `amazon-shipment-refused:${f.fulfillmentId}`,
    summary: { fulfillmentId: f.fulfillmentId, reason },
  });
  deps.logger.warn("amazon shipment not confirmed", { shop, orderId, fulfillment: f.fulfillmentId, reason });
  return { queued: false, reason };
}
