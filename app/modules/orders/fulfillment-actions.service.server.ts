import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { domainErrorFromZod } from "#app/platform/http.server";
import { writeOutbox } from "#app/platform/outbox.server";
import { appendOrderEvent, findOrderByExternalId, fulfillmentOrdersOf } from "./channel-sync.service.server";
import { holdRequestSchema, isOwnHold, parseHolds, type FulfillmentHoldReason, type HoldRequest } from "./domain/holds";

/**
 * What a person asks of Shopify's fulfillment orders from the order page: hold the order, release
 * the holds this app placed, mark a pickup ready.  The request is validated here against what the
 * hub knows (so the person gets an error they can act on at once), then written to the outbox in
 * the same transaction as its timeline entry; the job (app/workflows/shopify-writes.server.ts)
 * does the Admin API calls with the runner's retries and re-checks everything against Shopify's
 * live answer.  ADR 013.
 */
type Q = Db | DbTx;

/** Job names (the workflow registers them; a module may not import a workflow). */
export const SHOPIFY_HOLD_JOB = "shopify.holdFulfillment";
export const SHOPIFY_RELEASE_HOLD_JOB = "shopify.releaseHold";
export const SHOPIFY_PICKUP_READY_JOB = "shopify.pickupReady";

/** The job payload of all three actions. */
export interface FulfillmentActionJob {
  shop: string;
  orderId: string;
  /** Stable for the request: the hold's handle and the timeline's idempotency key come from it. */
  requestId: string;
  actor: string;
  reason?: FulfillmentHoldReason;
  note?: string;
}

const SHOPIFY_ORDER_GID = "gid://shopify/Order/";
/** Timeline kind written when the hub created another channel's order in Shopify (its subject is the Shopify order gid). */
export const SHOPIFY_ORDER_CREATED_EVENT = "shopify.order_created";

/**
 * The hub order behind a Shopify order gid: a Shopify sale (its gid is the external id), or an
 * order the hub created in Shopify for another channel (found by the `shopify.order_created`
 * timeline entry the create job wrote).  Tenant-scoped.
 */
export async function findOrderByShopifyGid(db: Q, shop: string, gid: string) {
  const own = await findOrderByExternalId(db, shop, gid);
  if (own) return own;
  const created = await db.orderEvent.findFirst({ where: { shop, kind: SHOPIFY_ORDER_CREATED_EVENT, subjectId: gid }, select: { orderId: true } });
  return created ? db.order.findFirst({ where: { shop, id: created.orderId } }) : null;
}

/** The Shopify order gid of a hub order, or null when Shopify does not have it (yet). */
export async function shopifyOrderGidOf(db: Q, shop: string, order: { id: string; externalOrderId: string }) {
  if (order.externalOrderId.startsWith(SHOPIFY_ORDER_GID)) return order.externalOrderId;
  const created = await db.orderEvent.findFirst({ where: { shop, orderId: order.id, kind: SHOPIFY_ORDER_CREATED_EVENT }, select: { subjectId: true } });
  return created?.subjectId ?? null;
}

const OPEN_STATUSES = new Set(["open", "scheduled", "on_hold", "in_progress"]);

async function actionable(db: Db, shop: string, orderId: string, what: string) {
  const order = await db.order.findFirst({ where: { id: orderId, shop } });
  if (!order) throw DomainError.notFound(`order ${orderId}`);
  if (order.status === "cancelled" || order.status === "refused") throw new DomainError("CONFLICT", `${order.name} is ${order.status}: there is nothing to ${what}`);
  const gid = await shopifyOrderGidOf(db, shop, order);
  if (!gid) throw new DomainError("CONFLICT", `${order.name} is not in Shopify yet (the hub creates it there once it is routed); try again when its fulfillment orders are shown`);
  const fos = await fulfillmentOrdersOf(db, shop, orderId);
  return { order, gid, fos };
}

async function enqueue(db: Db, topic: string, job: FulfillmentActionJob, kind: string, summary: Record<string, unknown>, now: Date) {
  await db.$transaction(async (tx) => {
    await writeOutbox(tx, {
      shop: job.shop,
      topic,
      payload: job,
      // The same key as routing's Shopify writes: one write per order at a time, in order.
      jobKey: `shopify-order:${job.orderId}`,
      jobDedupeKey: `${topic}:${job.requestId}`,
    });
    await appendOrderEvent(tx, { shop: job.shop, orderId: job.orderId, kind, source: `hub:${job.actor}`, occurredAt: now, subjectId: job.requestId, sourceEventId: `${kind}:${job.requestId}`, summary: { requestId: job.requestId, ...summary } });
  });
}

export interface FulfillmentActionDeps {
  db: Db;
  now: () => Date;
}

/**
 * Hold every open fulfillment order of the order in Shopify (reason + note).  Refused when the
 * hub already knows of an open hold this app placed on it (release it first): this is what stops
 * a second click from stacking a second hold.
 */
export async function requestOrderHold(deps: FulfillmentActionDeps, shop: string, orderId: string, input: HoldRequest & { actor: string }) {
  const parsed = holdRequestSchema.safeParse(input);
  if (!parsed.success) throw domainErrorFromZod(parsed.error);
  const { order, fos } = await actionable(deps.db, shop, orderId, "hold");
  const open = fos.filter((f) => OPEN_STATUSES.has(f.status));
  if (fos.length && !open.length) throw new DomainError("CONFLICT", `${order.name} has no open fulfillment order in Shopify (all are ${[...new Set(fos.map((f) => f.status))].join(", ")}): there is nothing left to hold`);
  if (open.some((f) => parseHolds(f.holds).some(isOwnHold))) {
    throw new DomainError("CONFLICT", `${order.name} is already on hold by this app; release that hold first to place another`);
  }
  const job: FulfillmentActionJob = { shop, orderId, requestId: randomUUID(), actor: input.actor, reason: parsed.data.reason, ...(parsed.data.note ? { note: parsed.data.note } : {}) };
  await enqueue(deps.db, SHOPIFY_HOLD_JOB, job, "hold_requested", { reason: job.reason, note: job.note ?? null, actor: input.actor }, deps.now());
  return { requestId: job.requestId, orderName: order.name };
}

/** Release the holds this app placed (only those: another app's or the merchant's stay). */
export async function requestHoldRelease(deps: FulfillmentActionDeps, shop: string, orderId: string, input: { actor: string }) {
  const { order, fos } = await actionable(deps.db, shop, orderId, "release");
  const ours = fos.flatMap((f) => parseHolds(f.holds).filter(isOwnHold));
  if (!ours.length) {
    const others = fos.reduce((n, f) => n + f.holds.length, 0);
    throw new DomainError(
      "CONFLICT",
      others
        ? `${order.name} has no hold placed from this page; its ${others} other hold(s) belong to another app or to staff, so release them in the Shopify admin`
        : `${order.name} is not on hold`,
    );
  }
  const job: FulfillmentActionJob = { shop, orderId, requestId: randomUUID(), actor: input.actor };
  await enqueue(deps.db, SHOPIFY_RELEASE_HOLD_JOB, job, "hold_release_requested", { holds: ours.length, actor: input.actor }, deps.now());
  return { requestId: job.requestId, orderName: order.name };
}

/**
 * Mark a pickup order ready for the customer.  Only a pickup order whose fulfillment order Shopify
 * has assigned to the pickup store: otherwise the person is told what to do first.
 */
export async function requestPickupReady(deps: FulfillmentActionDeps, shop: string, orderId: string, input: { actor: string }) {
  const { order, fos } = await actionable(deps.db, shop, orderId, "mark ready");
  if (order.speed !== "pickup" || !order.pickupLocationId) throw new DomainError("CONFLICT", `${order.name} is not a pickup order: it ships, so there is nothing to mark ready for pickup`);
  const store = await deps.db.location.findFirst({ where: { shop, id: order.pickupLocationId }, select: { name: true } });
  const storeName = store?.name ?? order.pickupLocationId;
  if (!fos.length) throw new DomainError("CONFLICT", `Shopify has not created ${order.name}'s fulfillment orders yet; try again in a minute`);
  const atStore = fos.filter((f) => f.locationId === order.pickupLocationId && (f.status === "open" || f.status === "in_progress"));
  if (!atStore.length) {
    const elsewhere = fos.filter((f) => OPEN_STATUSES.has(f.status));
    throw new DomainError(
      "CONFLICT",
      elsewhere.length
        ? `${order.name}'s open fulfillment order is not at the pickup store ${storeName}${elsewhere.some((f) => f.status === "on_hold") ? " (or it is on hold: release it first)" : ": move it there (re-route) first"}`
        : `${order.name} has no open fulfillment order at ${storeName} (already picked up, closed or cancelled)`,
    );
  }
  const job: FulfillmentActionJob = { shop, orderId, requestId: randomUUID(), actor: input.actor };
  await enqueue(deps.db, SHOPIFY_PICKUP_READY_JOB, job, "pickup_ready_requested", { store: storeName, actor: input.actor }, deps.now());
  return { requestId: job.requestId, orderName: order.name, storeName };
}
