import { randomUUID } from "node:crypto";
import { releaseOrder, resyncOrderReservation } from "#app/modules/inventory/index";
import { isUniqueViolation, type Db, type DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { routeExistingOrder, type OrdersDeps } from "./orders.service.server";
import type { OrderStatus } from "./domain/order";

/**
 * What a sales channel tells the hub about an order after intake (Shopify's orders/updated,
 * orders/edited, fulfillment orders, fulfillments, refunds, returns): the order's status facts
 * (applied only when newer than what is stored), its timeline, its lines when they change, and
 * the channel's fulfillment orders.
 */
type Q = Db | DbTx;

/** The hub order for a channel's order id, in any of the shop's channels. */
export async function findOrderByExternalId(db: Q, shop: string, externalOrderId: string) {
  return db.order.findFirst({ where: { shop, externalOrderId } });
}

export interface OrderFactsInput {
  /** The channel's updated_at for these facts. */
  updatedAt: Date;
  financialStatus?: string | null;
  fulfillmentStatus?: string | null;
}

/**
 * Record the channel's status facts if they are not older than the last applied ones.  One
 * conditional statement, so a concurrent older update cannot overwrite a newer one.  Equal
 * timestamps apply (the same state again changes nothing).
 */
export async function applyOrderFacts(db: Q, shop: string, orderId: string, facts: OrderFactsInput) {
  const r = await db.order.updateMany({
    where: { id: orderId, shop, OR: [{ sourceUpdatedAt: null }, { sourceUpdatedAt: { lte: facts.updatedAt } }] },
    data: {
      sourceUpdatedAt: facts.updatedAt,
      ...(facts.financialStatus !== undefined ? { financialStatus: facts.financialStatus } : {}),
      ...(facts.fulfillmentStatus !== undefined ? { fulfillmentStatus: facts.fulfillmentStatus } : {}),
    },
  });
  return { applied: r.count === 1 };
}

/** True when `updatedAt` is older than the facts already applied to the order. */
export function isOlderThanApplied(order: { sourceUpdatedAt: Date | null }, updatedAt: Date) {
  return !!order.sourceUpdatedAt && updatedAt < order.sourceUpdatedAt;
}

export interface OrderEventInput {
  shop: string;
  orderId: string;
  kind: string;
  source: string;
  occurredAt: Date;
  summary: Record<string, unknown>;
  subjectId?: string | null;
  /** The inbound event this entry comes from: a replay of it appends nothing. */
  sourceEventId?: string | null;
}

/** Append one entry to the order's timeline (idempotent on sourceEventId). */
export async function appendOrderEvent(db: Q, e: OrderEventInput) {
  try {
    await db.orderEvent.create({
      data: {
        id: randomUUID(),
        shop: e.shop,
        orderId: e.orderId,
        kind: e.kind,
        source: e.source,
        occurredAt: e.occurredAt,
        summary: JSON.stringify(e.summary),
        subjectId: e.subjectId ?? null,
        sourceEventId: e.sourceEventId ?? null,
      },
    });
    return { appended: true };
  } catch (err) {
    if (isUniqueViolation(err)) return { appended: false };
    throw err;
  }
}

/** The order's timeline, oldest first. */
export async function orderTimeline(db: Q, shop: string, orderId: string) {
  const rows = await db.orderEvent.findMany({ where: { shop, orderId }, orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }] });
  return rows.map((r) => ({ id: r.id, kind: r.kind, source: r.source, occurredAt: r.occurredAt, subjectId: r.subjectId, summary: JSON.parse(r.summary) as Record<string, unknown> }));
}

/** The order an earlier timeline entry about `subjectId` (a return, a refund) belongs to. */
export async function orderIdForSubject(db: Q, shop: string, subjectId: string) {
  return (await db.orderEvent.findFirst({ where: { shop, subjectId }, select: { orderId: true } }))?.orderId ?? null;
}

/** The order's current lines (as intake or the last re-sync left them). */
export async function orderLinesOf(db: Q, shop: string, orderId: string) {
  const rows = await db.orderLine.findMany({ where: { shop, orderId }, orderBy: { lineKey: "asc" } });
  return rows.map((l) => ({ lineKey: l.lineKey, sku: l.sku, quantity: l.quantity, title: l.title, priceCents: l.priceCents }));
}

export interface ResyncLine {
  lineKey: string;
  sku: string;
  quantity: number;
  title?: string;
  priceCents?: number;
}

const sameLines = (a: ResyncLine[], b: ResyncLine[]) => {
  const key = (l: ResyncLine) => `${l.lineKey}|${l.sku}|${l.quantity}`;
  return a.map(key).sort().join(",") === b.map(key).sort().join(",");
};

/**
 * The channel changed the order's lines (an edit, a removal): make the reservation match
 * (unchanged lines keep theirs), replace the lines, and route the order again.  Nothing happens
 * when the lines are the same, or when the order is cancelled.  Safe to replay after a crash at
 * any step: the reservation is made to match first (a no-op the second time), the lines and the
 * "reserved" status are written together, and an order left "reserved" by an interrupted re-sync
 * is routed on the next call.
 */
export async function resyncOrderLines(deps: OrdersDeps, shop: string, orderId: string, lines: ResyncLine[], args: { reason: string; actor: string }) {
  const order = await deps.db.order.findFirst({ where: { id: orderId, shop } });
  if (!order) throw DomainError.notFound(`order ${orderId}`);
  if (order.status === "cancelled") return { resynced: false as const, reason: "the order is cancelled" };
  const current = await orderLinesOf(deps.db, shop, orderId);
  if (sameLines(current, lines)) {
    if (order.status !== "reserved") return { resynced: false as const, reason: "lines unchanged" };
    const routed = await routeExistingOrder(deps, shop, orderId, { trigger: "reroute", actor: args.actor });
    return { resynced: true as const, status: routed.status, dropped: [] as string[], added: [] as string[] };
  }
  if (lines.length === 0) return { resynced: false as const, reason: "no lines left that hold stock; cancel the order instead" };

  const r = await resyncOrderReservation(deps, {
    shop,
    channelId: order.channelId,
    externalOrderId: order.externalOrderId,
    lines: lines.map((l) => ({ lineKey: l.lineKey, sku: l.sku, quantity: l.quantity })),
    reason: args.reason,
    actor: args.actor,
  });
  const refused = r.status === "refused";
  const written = await deps.db.$transaction(async (tx) => {
    // Guarded: an order cancelled since it was read above is never brought back to "reserved".
    const claimed = await tx.order.updateMany({ where: { id: orderId, shop, status: { not: "cancelled" } }, data: refused ? { status: "refused", statusReason: r.reason ?? "refused" } : { status: "reserved", statusReason: null } });
    if (claimed.count !== 1) return false;
    await tx.orderLine.deleteMany({ where: { shop, orderId } });
    await tx.orderLine.createMany({
      data: lines.map((l) => ({ id: randomUUID(), shop, orderId, lineKey: l.lineKey, sku: l.sku, title: l.title ?? "", quantity: l.quantity, priceCents: l.priceCents ?? 0 })),
    });
    return true;
  });
  if (!written) {
    // The cancel may have released the holds before the re-sync above made new ones: release again.
    await releaseOrder(deps, { shop, channelId: order.channelId, externalOrderId: order.externalOrderId, reason: "the order was cancelled while its lines were re-synced", actor: args.actor });
    return { resynced: false as const, reason: "the order was cancelled meanwhile" };
  }
  if (refused) return { resynced: true as const, status: "refused" as OrderStatus, dropped: r.dropped, added: r.added };
  const routed = await routeExistingOrder(deps, shop, orderId, { trigger: "reroute", actor: args.actor });
  return { resynced: true as const, status: routed.status, dropped: r.dropped, added: r.added };
}

// ── Channel fulfillment orders (Shopify) ─────────────────────────────────────────────────────

export interface FulfillmentOrderInput {
  fulfillmentOrderId: string;
  status: string;
  /** undefined: unknown from this webhook, keep what is stored. */
  assignedLocationGid?: string | null;
  locationId?: string | null;
  holds?: unknown[];
  /** The hub order, when known (else inherited from `splitFrom`, else kept). */
  orderId?: string | null;
  splitFrom?: string;
  /** When the channel said this (X-Shopify-Triggered-At): an older delivery is ignored. */
  at: Date;
}

/**
 * Record what a fulfillment-order webhook says.  Guarded by `at`: an older delivery than the last
 * applied one changes nothing.  Returns the hub order it belongs to, when known.
 */
export async function recordFulfillmentOrder(db: Db, shop: string, fo: FulfillmentOrderInput) {
  return db.$transaction(async (tx) => {
    const existing = await tx.shopifyFulfillmentOrder.findUnique({ where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId: fo.fulfillmentOrderId } } });
    const parent = fo.splitFrom ? await tx.shopifyFulfillmentOrder.findUnique({ where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId: fo.splitFrom } } }) : null;
    const orderId = fo.orderId ?? existing?.orderId ?? parent?.orderId ?? null;
    if (existing?.sourceUpdatedAt && fo.at < existing.sourceUpdatedAt) return { applied: false as const, orderId, reason: "older than the last applied webhook" };
    const data = {
      status: fo.status.toLowerCase(),
      orderId,
      sourceUpdatedAt: fo.at,
      ...(fo.assignedLocationGid !== undefined ? { assignedLocationGid: fo.assignedLocationGid } : !existing && parent ? { assignedLocationGid: parent.assignedLocationGid } : {}),
      ...(fo.locationId !== undefined ? { locationId: fo.locationId } : !existing && parent ? { locationId: parent.locationId } : {}),
      ...(fo.holds !== undefined ? { holds: JSON.stringify(fo.holds) } : {}),
    };
    if (existing) await tx.shopifyFulfillmentOrder.update({ where: { id: existing.id }, data });
    else await tx.shopifyFulfillmentOrder.create({ data: { id: randomUUID(), shop, fulfillmentOrderId: fo.fulfillmentOrderId, ...data } });
    return { applied: true as const, orderId };
  });
}

/** The channel's fulfillment orders of a hub order (for the order page). */
export async function fulfillmentOrdersOf(db: Q, shop: string, orderId: string) {
  const rows = await db.shopifyFulfillmentOrder.findMany({ where: { shop, orderId }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({
    fulfillmentOrderId: r.fulfillmentOrderId,
    status: r.status,
    assignedLocationGid: r.assignedLocationGid,
    locationId: r.locationId,
    holds: JSON.parse(r.holds) as unknown[],
    updatedAt: r.sourceUpdatedAt,
  }));
}
