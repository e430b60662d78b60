import {
  applyOrderEdit,
  FULFILLMENT_ORDER_TOPICS,
  LOCATION_TOPICS,
  mapBulkOperationFinish,
  mapFulfillmentOrderEvent,
  mapInventoryItem,
  mapInventoryLevel,
  mapInventoryLevelDisconnect,
  mapShopifyFulfillment, type MappedFulfillment,
  mapShopifyLocation,
  mapShopifyLocationDelete,
  parseShopifyJson,
  mapShopifyOrder,
  mapShopifyRefund,
  mapShopifyReturn,
  orderFacts,
  orderGid,
  orderLines,
  parseShopifyOrder,
  parseShopifyOrderEdit,
  RETURN_TOPICS,
  toGid,
  WebhookPayloadError,
  type FulfillmentOrderTopic,
  type LocationTopic,
  type ReturnTopic,
  type ShopifyOrderPayload,
  type TimelineEntry,
} from "#connectors/shopify/mappers/index";
import {
  applyLevelUpdate,
  applyHubOwnedRestock,
  isHubOwnedLocation,
  requestInventoryPush,
  applyShopifyLocation,
  consumeOrder,
  linkInventoryItem,
  locationIdForShopify,
  removeShopifyLocation,
  resolveShopifyLevel,
  shopLocationRefs,
  unlinkInventoryItem,
} from "#app/modules/inventory/index";
import {
  appendOrderEvent,
  applyOrderFacts,
  cancelOrder,
  findOrderByExternalId,
  findOrderByShopifyGid,
  intakeOrder,
  isOlderThanApplied,
  orderIdForSubject,
  orderLinesOf,
  recordFulfillmentOrder,
  resyncOrderLines,
  type OrdersDeps,
} from "#app/modules/orders/index";
import { decisionsFor } from "#app/modules/routing/index";
import { hubOrderCreatedInShopify, SHOPIFY_SYNC_FULFILLMENT_JOB, type ShopifyOrderWriteJob } from "./shopify-writes.server";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { InboundEventHandler, InboundEventRow } from "#app/platform/inbound-events.server";
import type { Logger } from "#app/platform/logger.server";
import { writeOutbox } from "#app/platform/outbox.server";

/**
 * Shopify's webhooks, processed (the routes only verify, store and enqueue: see
 * receive-shopify-webhook.server.ts).  Every handler is idempotent — a replayed event changes
 * nothing — and tenant-scoped: it reads and writes only the event's shop.  Out-of-order
 * deliveries are settled by the payload's updated_at (orders, levels, locations) or, when the
 * payload has none (fulfillment orders, level disconnects), the delivery's X-Shopify-Triggered-At.
 * A payload that does not parse fails the event permanently (INVALID) with the field named; it
 * stays stored for replay.  Topics: shopify.app.toml; payload mapping: connectors/shopify/mappers.
 */
export const SHOPIFY_WEBHOOK_SOURCE = "shopify.webhook";
const ACTOR = "shopify.webhook";

/**
 * Job enqueued when a bulk operation finishes (bulk_operations/finish).  The importer that runs
 * it registers the handler; until then the job waits in the queue.  Payload: BulkFinishedJob.
 */
export const BULK_FINISHED_JOB = "shopify.bulkFinished";
export interface BulkFinishedJob {
  /** gid://shopify/BulkOperation/… — ask the Admin API for its result `url`. */
  bulkOperationId: string;
  /** completed | failed | canceled | expired … (lower-case, as Shopify sends it) */
  status: string;
  /** query | mutation */
  type: string | null;
  errorCode: string | null;
  completedAt: string | null;
  /** The stored webhook (InboundEvent id) this came from. */
  inboundEventId: string;
}

export interface ShopifyInboundDeps {
  db: Db;
  logger: Logger;
  now: () => Date;
  random?: () => number;
  /**
   * Admin API look-up of a fulfillment order's order gid (fulfillment-order webhooks do not name
   * it): `OmsFulfillmentOrderOrder`, wired in app/jobs when the shop has an Admin API.  Without
   * it, a fulfillment order is linked to its order only through the one it was split from, or by
   * the fulfillment sync job.
   */
  fulfillmentOrderOrderGid?: (shop: string, fulfillmentOrderGid: string) => Promise<string | null>;
  /**
   * A shipped fulfillment of an order the hub created in Shopify for another channel: that
   * channel's connector confirms the shipment (Amazon: confirmShipment).
   */
  onChannelOrderShipped?: (args: { shop: string; orderId: string; fulfillment: MappedFulfillment }) => Promise<unknown>;
}

/** "ORDERS_CREATE" ↔ "orders/create" for the topics handled here. */
const enumOf = (topic: string) => topic.toUpperCase().replace("/", "_");

/** A mapper's payload error as the app's INVALID (permanent: retrying cannot fix a payload). */
function mapped<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WebhookPayloadError) throw DomainError.invalid(e.field, e.problem);
    throw e;
  }
}

/**
 * Retries (with the runner's backoff: about 1, 2, 4 s) a fulfillment, refund or return gets while
 * the order it names is unknown; then it is taken as an order the hub does not hold.
 */
const UNKNOWN_ORDER_RETRIES = 3;

const whenOf = (event: InboundEventRow) => event.occurredAt ?? event.receivedAt;
const sourceOf = (event: InboundEventRow) => `${SHOPIFY_WEBHOOK_SOURCE}:${event.topic}`;

export function shopifyInboundHandlers(deps: ShopifyInboundDeps): Record<string, InboundEventHandler> {
  const { db } = deps;
  const log = deps.logger.child({ component: "shopify-inbound" });
  const ordersDeps: OrdersDeps = { db, now: deps.now, logger: deps.logger, ...(deps.random ? { random: deps.random } : {}) };

  const timeline = (event: InboundEventRow, orderId: string, kind: string, summary: Record<string, unknown>, opts: { occurredAt?: Date | null; subjectId?: string | null } = {}) =>
    appendOrderEvent(db, { shop: event.shop, orderId, kind, source: sourceOf(event), occurredAt: opts.occurredAt ?? whenOf(event), summary, subjectId: opts.subjectId ?? null, sourceEventId: event.id });

  /** Record, reserve and route an order Shopify sent in full (cancelling it too if it already is). */
  async function intakeShopifyOrder(event: InboundEventRow, o: ShopifyOrderPayload, topic: string) {
    // Shopify's echo of an order the hub itself created there (an Amazon or portal order): the hub
    // already has it under its own channel; taking it in again would count its stock twice.
    const echo = await hubOrderCreatedInShopify(db, event.shop, parseShopifyJson(event.payload));
    if (echo) {
      log.info("webhook for an order the hub created in Shopify; already tracked", { shop: event.shop, topic, orderId: echo.id, name: echo.name });
      return null;
    }
    const locations = await shopLocationRefs(db, event.shop);
    const m = mapped(() => mapShopifyOrder(o, { locations, topic }));
    if (m.intake.lines.length === 0) {
      log.info("order holds no stock (no physical lines); not tracked", { shop: event.shop, order: m.intake.externalOrderId, skipped: m.skippedLines });
      return null;
    }
    const r = await intakeOrder(ordersDeps, event.shop, m.intake, ACTOR);
    await applyOrderFacts(db, event.shop, r.orderId, m.facts);
    let cancelled = false;
    if (m.facts.cancelledAt) cancelled = (await cancelOrder(ordersDeps, event.shop, r.orderId, { reason: `cancelled in Shopify${m.facts.cancelReason ? ` (${m.facts.cancelReason})` : ""}`, actor: ACTOR })).cancelled;
    if (!r.duplicate) {
      await timeline(event, r.orderId, "created", {
        name: m.intake.name,
        channel: m.intake.channel,
        speed: m.intake.speed,
        status: cancelled ? "cancelled" : r.status,
        lines: m.intake.lines.length,
        skippedLines: m.skippedLines,
        financialStatus: m.facts.financialStatus,
      }, { occurredAt: m.intake.placedAt });
    }
    log.info("shopify order taken in", { shop: event.shop, orderId: r.orderId, name: m.intake.name, duplicate: r.duplicate, status: r.status, cancelled });
    return { orderId: r.orderId, duplicate: r.duplicate };
  }

  const orders: Record<string, InboundEventHandler> = {
    ORDERS_CREATE: async (event) => {
      const o = mapped(() => parseShopifyOrder(event.payload, "orders/create"));
      await intakeShopifyOrder(event, o, "orders/create");
    },

    ORDERS_UPDATED: async (event) => {
      const o = mapped(() => parseShopifyOrder(event.payload, "orders/updated"));
      const order = await findOrderByExternalId(db, event.shop, orderGid(o));
      if (!order) {
        const echo = await hubOrderCreatedInShopify(db, event.shop, parseShopifyJson(event.payload));
        if (echo) return void (await echoUpdate(event, o, echo, "updated"));
        // An update can overtake the order's create: it carries the whole order, so take it in.
        return void (await intakeShopifyOrder(event, o, "orders/updated"));
      }
      const facts = orderFacts(o);
      if (isOlderThanApplied(order, facts.updatedAt)) {
        log.info("orders/updated older than the applied one: ignored", { shop: event.shop, orderId: order.id, updatedAt: facts.updatedAt, applied: order.sourceUpdatedAt });
        await timeline(event, order.id, "updated", { applied: false, reason: "older than the last applied update", updatedAt: facts.updatedAt });
        return;
      }
      await applyOrderFacts(db, event.shop, order.id, facts);
      const summary: Record<string, unknown> = { applied: true, updatedAt: facts.updatedAt, financialStatus: facts.financialStatus, fulfillmentStatus: facts.fulfillmentStatus };
      if (facts.cancelledAt) {
        summary.cancelled = (await cancelOrder(ordersDeps, event.shop, order.id, { reason: `cancelled in Shopify${facts.cancelReason ? ` (${facts.cancelReason})` : ""}`, actor: ACTOR })).cancelled;
      } else {
        const { lines } = orderLines(o);
        const r = await resyncOrderLines(ordersDeps, event.shop, order.id, lines, { reason: `order ${o.name} changed in Shopify`, actor: ACTOR });
        if (r.resynced) summary.lines = { status: r.status, dropped: r.dropped, added: r.added };
      }
      await timeline(event, order.id, "updated", summary);
    },

    ORDERS_CANCELLED: async (event) => {
      const o = mapped(() => parseShopifyOrder(event.payload, "orders/cancelled"));
      const order = await findOrderByExternalId(db, event.shop, orderGid(o));
      if (!order) {
        const echo = await hubOrderCreatedInShopify(db, event.shop, parseShopifyJson(event.payload));
        if (echo) return void (await echoUpdate(event, o, echo, "cancelled"));
        // Never seen: take it in as it is (cancelled), so a late orders/create changes nothing.
        return void (await intakeShopifyOrder(event, o, "orders/cancelled"));
      }
      const facts = orderFacts(o);
      await applyOrderFacts(db, event.shop, order.id, facts);
      // A cancellation is final whatever its timestamp: there is no un-cancel.
      const r = await cancelOrder(ordersDeps, event.shop, order.id, { reason: `cancelled in Shopify${facts.cancelReason ? ` (${facts.cancelReason})` : ""}`, actor: ACTOR });
      await timeline(event, order.id, "cancelled", { cancelled: r.cancelled, reason: facts.cancelReason, financialStatus: facts.financialStatus }, { occurredAt: facts.cancelledAt ?? facts.updatedAt });
    },

    ORDERS_EDITED: async (event) => {
      const edit = mapped(() => parseShopifyOrderEdit(event.payload, "orders/edited"));
      const gid = toGid("Order", edit.order_id);
      const order = await findOrderByShopifyGid(db, event.shop, gid);
      if (!order) {
        log.info("orders/edited for an order the hub does not hold; its orders/updated carries it", { shop: event.shop, order: gid });
        return;
      }
      const at = edit.committed_at ?? edit.created_at;
      const summary: Record<string, unknown> = { editId: toGid("OrderEdit", edit.id), additions: edit.line_items.additions, removals: edit.line_items.removals, staffNote: edit.staff_note ?? null };
      if (order.externalOrderId !== gid) {
        // An order the hub created in Shopify for another channel: its lines are that channel's
        // (other line keys), and that channel says when they change.  The edit is shown; the
        // orders/updated that follows it applies Shopify's status facts.
        await timeline(event, order.id, "edited", { ...summary, shopifyOrderId: gid, applied: false, reason: "lines of an order from another channel follow that channel" }, { occurredAt: at });
        return;
      }
      if (isOlderThanApplied(order, at)) {
        await timeline(event, order.id, "edited", { ...summary, applied: false, reason: "the order's later state is already applied" }, { occurredAt: at });
        return;
      }
      const current = await orderLinesOf(db, event.shop, order.id);
      const r = applyOrderEdit(current, edit);
      if (r.unresolved.length) {
        // New lines are named by id only; their SKUs arrive with the orders/updated that follows.
        await timeline(event, order.id, "edited", { ...summary, applied: false, waitingFor: r.unresolved }, { occurredAt: at });
        return;
      }
      if (r.changed && order.status !== "cancelled") {
        const res = await resyncOrderLines(ordersDeps, event.shop, order.id, r.lines, { reason: `order ${order.name} edited in Shopify`, actor: ACTOR });
        if (res.resynced) summary.lines = { status: res.status, dropped: res.dropped, added: res.added };
      }
      // The order as of the edit is now applied: an older orders/updated must not undo it.
      await applyOrderFacts(db, event.shop, order.id, { updatedAt: at });
      await timeline(event, order.id, "edited", { ...summary, applied: true }, { occurredAt: at });
    },

    REFUNDS_CREATE: async (event) => {
      const e = mapped(() => mapShopifyRefund(event.payload, "refunds/create"));
      await toTimeline(event, e);
      await restockAtHubOwnedLocations(event, e);
    },

    FULFILLMENTS_CREATE: (event) => fulfillment(event, "fulfillments/create"),
    FULFILLMENTS_UPDATE: (event) => fulfillment(event, "fulfillments/update"),
  };

  /**
   * Returns put back on the shelf (`restock_type: "return"`) at a location whose stock the hub owns:
   * Shopify's level webhooks are not mirrored there, so the hub adds the units to its own count
   * (applyHubOwnedRestock, once per refund line).  Elsewhere Shopify's level webhook carries them.
   * A "cancel" restock only ends a commitment (the order's cancellation releases it) and moves no
   * units on or off a shelf.
   */
  async function restockAtHubOwnedLocations(event: InboundEventRow, e: TimelineEntry) {
    const lines = ((e.summary.lines ?? []) as { lineKey: string; quantity: number; restockType: string | null; locationId: string | null }[]).filter((l) => l.restockType === "return" && l.locationId && l.quantity > 0);
    if (lines.length === 0 || !e.orderGid) return;
    const order = await findOrderByShopifyGid(db, event.shop, e.orderGid);
    if (!order) return;
    for (const l of lines) {
      const locationId = await locationIdForShopify(db, event.shop, l.locationId);
      const line = await db.orderLine.findFirst({ where: { shop: event.shop, orderId: order.id, lineKey: l.lineKey }, select: { sku: true } });
      const variant = line ? await db.variant.findFirst({ where: { shop: event.shop, sku: line.sku }, select: { id: true } }) : null;
      if (!locationId || !variant) continue;
      const applied = await applyHubOwnedRestock(deps, {
        shop: event.shop,
        locationId,
        variantId: variant.id,
        quantity: l.quantity,
        reference: `${e.subjectId}|${l.lineKey}`,
        reason: `order ${order.name}: ${l.quantity} returned and restocked in Shopify`,
        occurredAt: e.occurredAt ?? deps.now(),
      });
      if (applied) log.info("return restocked at a location the hub owns: added to the hub's count", { shop: event.shop, order: order.name, sku: line!.sku, quantity: l.quantity, locationId });
    }
  }

  /**
   * The hub order a webhook about an order refers to.  Fulfillments, refunds and returns are
   * queued apart from orders/* (another concurrency key), so one can overtake its order's
   * orders/create (a POS sale fulfils at once): while the event is young it is retried with the
   * runner's backoff; after that the order is taken as one the hub does not hold (placed before
   * install, or with no physical lines) and the event is recorded as processed.
   */
  function waitForOrder(event: InboundEventRow, what: string) {
    // `attempts` counts the earlier tries of this event (the processor bumps it after loading).
    if (event.attempts < UNKNOWN_ORDER_RETRIES) throw new DomainError("UNAVAILABLE", `${what} is not in the hub yet (its webhook may still be queued); retrying`);
  }

  /** A Shopify order's hub order: a Shopify sale, or an order the hub created there (its create job must have recorded it). */
  async function orderFor(event: InboundEventRow, gid: string) {
    const order = await findOrderByShopifyGid(db, event.shop, gid);
    if (!order) waitForOrder(event, `order ${gid}`);
    return order;
  }

  /**
   * A later orders/updated or orders/cancelled of an order the hub created in Shopify (an Amazon
   * or portal order; its create echo is skipped): Shopify's status facts (fulfilled, paid,
   * cancelled) apply to the hub order as to any order, under the same updated_at guard; its lines
   * are not re-synced (they are the other channel's).
   */
  async function echoUpdate(event: InboundEventRow, o: ShopifyOrderPayload, order: NonNullable<Awaited<ReturnType<typeof hubOrderCreatedInShopify>>>, kind: "updated" | "cancelled") {
    const facts = orderFacts(o);
    const base = { shopifyOrderId: orderGid(o), createdByHub: true };
    if (kind === "updated" && isOlderThanApplied(order, facts.updatedAt)) {
      await timeline(event, order.id, kind, { ...base, applied: false, reason: "older than the last applied update", updatedAt: facts.updatedAt });
      return;
    }
    await applyOrderFacts(db, event.shop, order.id, facts);
    const summary: Record<string, unknown> = { ...base, applied: true, updatedAt: facts.updatedAt, financialStatus: facts.financialStatus, fulfillmentStatus: facts.fulfillmentStatus };
    // A cancellation is final whatever its timestamp (as for Shopify's own orders).
    if (facts.cancelledAt) summary.cancelled = (await cancelOrder(ordersDeps, event.shop, order.id, { reason: `cancelled in Shopify${facts.cancelReason ? ` (${facts.cancelReason})` : ""}`, actor: ACTOR })).cancelled;
    await timeline(event, order.id, kind, kind === "cancelled" ? { ...summary, reason: facts.cancelReason } : summary, kind === "cancelled" ? { occurredAt: facts.cancelledAt ?? facts.updatedAt } : {});
    log.info("update of an order the hub created in Shopify applied", { shop: event.shop, orderId: order.id, kind, fulfillmentStatus: facts.fulfillmentStatus, cancelled: summary.cancelled ?? false });
  }

  /** A refund or return entry on its order's timeline (a return update finds its order by the return). */
  async function toTimeline(event: InboundEventRow, e: TimelineEntry) {
    const order = e.orderGid ? await findOrderByShopifyGid(db, event.shop, e.orderGid) : null;
    const orderId = order?.id ?? (await orderIdForSubject(db, event.shop, e.subjectId));
    if (!orderId) waitForOrder(event, e.orderGid ? `order ${e.orderGid}` : `the order of ${e.subjectId}`);
    if (!orderId) {
      log.info("timeline entry for an order the hub does not hold: not recorded", { shop: event.shop, topic: event.topic, order: e.orderGid, subject: e.subjectId });
      return;
    }
    await timeline(event, orderId, e.kind, e.summary, { occurredAt: e.occurredAt, subjectId: e.subjectId });
  }

  async function fulfillment(event: InboundEventRow, topic: string) {
    const f = mapped(() => mapShopifyFulfillment(event.payload, topic));
    const order = await orderFor(event, f.orderGid);
    if (!order) {
      log.info("fulfillment for an order the hub does not hold", { shop: event.shop, order: f.orderGid, fulfillment: f.fulfillmentId });
      return;
    }
    // Shipped units leave Shopify's committed and on_hand; the hub's claim on them is done.  An
    // order the hub created in Shopify keeps its own channel's line keys: matched by SKU.
    const lineKeys = order.externalOrderId === f.orderGid ? f.lines.map((l) => l.lineKey) : await hubLineKeysBySku(event.shop, order.id, f.lines);
    // Where the units left from: at a location whose stock the hub owns, consumeOrder takes them off there.
    const shippedFrom = f.shipped ? await locationIdForShopify(db, event.shop, f.locationGid) : null;
    const consumed = f.shipped && lineKeys.length ? (await consumeOrder({ db, now: deps.now }, { shop: event.shop, channelId: order.channelId, externalOrderId: order.externalOrderId, lineKeys, shippedFrom })).consumed : 0;
    await timeline(
      event,
      order.id,
      "fulfillment",
      { fulfillmentId: f.fulfillmentId, name: f.name, status: f.status, lines: f.lines, tracking: f.tracking, location: f.locationGid, consumedLines: consumed },
      { occurredAt: f.occurredAt, subjectId: f.fulfillmentId },
    );
    if (f.shipped && order.externalOrderId !== f.orderGid && deps.onChannelOrderShipped) await deps.onChannelOrderShipped({ shop: event.shop, orderId: order.id, fulfillment: f });
  }

  /** The hub's line keys of a hub-created order for the SKUs a Shopify fulfillment names (a line without SKU cannot be matched). */
  async function hubLineKeysBySku(shop: string, orderId: string, lines: { sku: string | null }[]) {
    const skus = new Set(lines.map((l) => l.sku).filter((s): s is string => !!s));
    if (lines.some((l) => !l.sku)) log.warn("fulfillment lines without SKU on an order the hub created in Shopify: not matched", { shop, orderId });
    return (await orderLinesOf(db, shop, orderId)).filter((l) => skus.has(l.sku)).map((l) => l.lineKey);
  }

  const returns: Record<string, InboundEventHandler> = Object.fromEntries(
    RETURN_TOPICS.map((topic: ReturnTopic) => [enumOf(topic), async (event: InboundEventRow) => toTimeline(event, mapped(() => mapShopifyReturn(topic, event.payload)))]),
  );

  const fulfillmentOrders: Record<string, InboundEventHandler> = Object.fromEntries(
    FULFILLMENT_ORDER_TOPICS.map((topic: FulfillmentOrderTopic) => [
      enumOf(topic),
      async (event: InboundEventRow) => {
        const ev = mapped(() => mapFulfillmentOrderEvent(topic, event.payload));
        const at = whenOf(event);
        let orderId: string | null = null;
        let applied = false;
        for (const c of ev.changes) {
          const locationId = c.assignedLocationGid !== undefined ? await locationIdForShopify(db, event.shop, c.assignedLocationGid) : undefined;
          const input = { ...c, at, ...(locationId !== undefined ? { locationId } : {}) };
          let r = await recordFulfillmentOrder(db, event.shop, input);
          if (!r.orderId && deps.fulfillmentOrderOrderGid) {
            const gid = await deps.fulfillmentOrderOrderGid(event.shop, c.fulfillmentOrderId);
            // A Shopify sale, or an order the hub created there for another channel.
            const order = gid ? await findOrderByShopifyGid(db, event.shop, gid) : null;
            if (order) r = await recordFulfillmentOrder(db, event.shop, { ...input, orderId: order.id });
            else log.info("fulfillment order of an order the hub does not hold (yet): stored unlinked; the order's fulfillment sync links it", { shop: event.shop, topic, fulfillmentOrder: c.fulfillmentOrderId, order: gid });
          }
          if (!r.applied) log.info("fulfillment-order webhook older than the applied one: ignored", { shop: event.shop, topic, fulfillmentOrder: c.fulfillmentOrderId });
          applied ||= r.applied;
          orderId ??= r.orderId;
        }
        if (orderId) await timeline(event, orderId, `fulfillment_order.${topic.split("/")[1]}`, { ...ev.summary, applied }, { subjectId: ev.changes[0]!.fulfillmentOrderId });
        // Shopify's routing is done: its fulfillment orders exist, so the hub's routing decision
        // can be applied now instead of when the sync job's retry next comes round.
        if (orderId && topic === "fulfillment_orders/order_routing_complete") await syncAfterShopifyRouting(event, orderId);
      },
    ]),
  );

  /**
   * Enqueue the fulfillment sync of a Shopify sale's newest routed decision.  Deduplicated per
   * (order, decision): a replayed or second order_routing_complete (one per fulfillment order)
   * enqueues nothing more.  Orders the hub created in Shopify are moved by their create job.
   */
  async function syncAfterShopifyRouting(event: InboundEventRow, orderId: string) {
    const order = await db.order.findFirst({ where: { id: orderId, shop: event.shop } });
    if (!order || !order.externalOrderId.startsWith("gid://shopify/Order/") || order.status === "cancelled" || order.status === "refused") return;
    const latest = (await decisionsFor(db, event.shop, orderId))[0];
    if (!latest || latest.status !== "routed" || !latest.plan) return;
    const payload: ShopifyOrderWriteJob = { shop: event.shop, orderId, decisionSequence: latest.sequence };
    await writeOutbox(db, {
      shop: event.shop,
      topic: SHOPIFY_SYNC_FULFILLMENT_JOB,
      payload,
      jobKey: `shopify-order:${orderId}`,
      jobDedupeKey: `${SHOPIFY_SYNC_FULFILLMENT_JOB}:${orderId}:${latest.sequence}:routing_complete`,
    });
  }

  const levelUpdate = (topic: string) => async (event: InboundEventRow) => {
    const m = mapped(() => mapInventoryLevel(event.payload, topic));
    const target = await resolveShopifyLevel(db, event.shop, m);
    if (!target.found) {
      // Not an error: the item or location is not (yet) in the hub; the next resync brings it.
      log.info("inventory level for something the hub does not mirror: ignored", { shop: event.shop, topic, reason: target.reason });
      return;
    }
    if (await isHubOwnedLocation(db, event.shop, target.locationId)) {
      // The hub's count is the truth here: a Shopify figure that differs (the webhook carries
      // `available`) is corrected by a push (which compares on_hand), not mirrored.
      const level = await db.inventoryLevel.findUnique({ where: { variantId_locationId: { variantId: target.variantId, locationId: target.locationId } }, select: { available: true } });
      if (m.quantities.available !== undefined && m.quantities.available !== (level?.available ?? 0)) {
        // Only this item is read and written back (a "changed" push, ADR 016), not the whole location.
        await requestInventoryPush(db, event.shop, target.locationId, deps.now(), { variantIds: [target.variantId] });
        log.info("Shopify's count differs at a location the hub owns: pushing the hub's back", { shop: event.shop, item: m.inventoryItemGid, location: m.locationGid, shopify: m.quantities.available, hub: level?.available ?? 0 });
      }
      return;
    }
    const r = await applyLevelUpdate(deps, {
      shop: event.shop,
      variantId: target.variantId,
      locationId: target.locationId,
      quantities: m.quantities,
      sourceUpdatedAt: m.sourceUpdatedAt,
      source: "shopify_webhook",
      reason: topic,
      reference: `${m.locationGid}|${m.inventoryItemGid}`,
      actor: ACTOR,
    });
    if (!r.applied) log.info("inventory level older than the applied one: ignored", { shop: event.shop, topic, item: m.inventoryItemGid, location: m.locationGid, updatedAt: m.sourceUpdatedAt });
  };

  const inventory: Record<string, InboundEventHandler> = {
    INVENTORY_LEVELS_UPDATE: levelUpdate("inventory_levels/update"),
    INVENTORY_LEVELS_CONNECT: levelUpdate("inventory_levels/connect"),
    INVENTORY_LEVELS_DISCONNECT: async (event) => {
      const m = mapped(() => mapInventoryLevelDisconnect(event.payload));
      const target = await resolveShopifyLevel(db, event.shop, m);
      if (!target.found) return void log.info("inventory level disconnect for something the hub does not mirror: ignored", { shop: event.shop, reason: target.reason });
      // No longer stocked there.  The payload has no timestamp: the delivery's orders it.
      await applyLevelUpdate(deps, {
        shop: event.shop,
        variantId: target.variantId,
        locationId: target.locationId,
        quantities: { available: 0, on_hand: 0 },
        sourceUpdatedAt: whenOf(event),
        source: "shopify_webhook",
        reason: "inventory_levels/disconnect",
        reference: `${m.locationGid}|${m.inventoryItemGid}`,
        actor: ACTOR,
      });
    },
    INVENTORY_ITEMS_CREATE: async (event) => {
      const r = await linkInventoryItem(db, event.shop, mapped(() => mapInventoryItem(event.payload, "inventory_items/create")));
      if (!r.linked) log.info("inventory item not linked", { shop: event.shop, reason: r.reason });
    },
    INVENTORY_ITEMS_UPDATE: async (event) => {
      const r = await linkInventoryItem(db, event.shop, mapped(() => mapInventoryItem(event.payload, "inventory_items/update")));
      if (!r.linked) log.info("inventory item not linked", { shop: event.shop, reason: r.reason });
    },
    INVENTORY_ITEMS_DELETE: async (event) => {
      const m = mapped(() => mapInventoryItem(event.payload, "inventory_items/delete"));
      await unlinkInventoryItem(db, event.shop, m.inventoryItemGid);
    },
  };

  const locations: Record<string, InboundEventHandler> = Object.fromEntries(
    LOCATION_TOPICS.map((topic: LocationTopic) => [
      enumOf(topic),
      async (event: InboundEventRow) => {
        if (topic === "locations/delete") {
          const m = mapped(() => mapShopifyLocationDelete(event.payload));
          const r = await removeShopifyLocation(deps, event.shop, m.shopifyLocationGid);
          log.info("shopify location deleted", { shop: event.shop, location: m.shopifyLocationGid, ...r });
          return;
        }
        const m = mapped(() => mapShopifyLocation(topic, event.payload));
        const r = await applyShopifyLocation(deps, event.shop, m);
        log.info("shopify location applied", { shop: event.shop, topic, location: m.shopifyLocationGid, ...r });
      },
    ]),
  );

  const bulk: Record<string, InboundEventHandler> = {
    BULK_OPERATIONS_FINISH: async (event) => {
      const m = mapped(() => mapBulkOperationFinish(event.payload));
      const payload: BulkFinishedJob = { bulkOperationId: m.bulkOperationId, status: m.status, type: m.type, errorCode: m.errorCode, completedAt: m.completedAt?.toISOString() ?? null, inboundEventId: event.id };
      // The dedupe key makes a replay of this event enqueue nothing new.
      await writeOutbox(db, { shop: event.shop, topic: BULK_FINISHED_JOB, payload, jobKey: `${event.shop}|${BULK_FINISHED_JOB}`, jobDedupeKey: `${BULK_FINISHED_JOB}:${event.shop}:${m.bulkOperationId}` });
      log.info("bulk operation finished", { shop: event.shop, ...payload });
    },
  };

  const all = { ...orders, ...returns, ...fulfillmentOrders, ...inventory, ...locations, ...bulk };
  return Object.fromEntries(Object.entries(all).map(([topic, h]) => [`${SHOPIFY_WEBHOOK_SOURCE}:${topic}`, h]));
}
