/**
 * refunds/create and returns/* → entries for the order's timeline.  Stock is not moved here:
 * restocks reach the hub as Shopify's own inventory_levels/update, except at locations whose stock
 * the hub owns, where the workflow adds a refund's `return` restocks to the hub's count.
 * Samples: https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-refunds/create,
 * …#list-returns/request (and approve, decline, cancel, close, reopen, process, update).
 */
import { z } from "zod";
import { gidOf, toGid } from "./ids";
import { numericId, parsePayload, timestamp } from "./schema";

export const RETURN_TOPICS = ["returns/request", "returns/approve", "returns/decline", "returns/cancel", "returns/close", "returns/reopen", "returns/process", "returns/update"] as const;
export type ReturnTopic = (typeof RETURN_TOPICS)[number];

const refundPayload = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().nullish(),
  order_id: numericId,
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  note: z.string().nullish(),
  restock: z.boolean().nullish(),
  return: z.object({ id: numericId.nullish(), admin_graphql_api_id: z.string().nullish() }).nullish(),
  refund_line_items: z
    .array(z.object({ line_item_id: numericId, quantity: z.number().int().nonnegative(), restock_type: z.string().nullish(), location_id: numericId.nullish() }))
    .default([]),
  transactions: z.array(z.object({ kind: z.string().nullish(), status: z.string().nullish(), amount: z.string().nullish(), currency: z.string().nullish() })).default([]),
});

export interface TimelineEntry {
  orderGid: string | null;
  /** What the entry is about (refund gid, return gid), for later entries that name only it. */
  subjectId: string;
  kind: string;
  occurredAt: Date | null;
  summary: Record<string, unknown>;
}

function cents(amount: string): number {
  return Math.round(Number(amount) * 100);
}

export function mapShopifyRefund(raw: string | unknown, topic = "refunds/create"): TimelineEntry {
  const p = parsePayload(refundPayload, raw, topic);
  const refunded = p.transactions.filter((t) => (t.kind ?? "refund") === "refund" && (t.status ?? "success") === "success" && t.amount);
  return {
    orderGid: toGid("Order", p.order_id),
    subjectId: gidOf("Refund", p.id, p.admin_graphql_api_id)!,
    kind: "refund",
    occurredAt: p.processed_at ?? p.created_at,
    summary: {
      refundId: gidOf("Refund", p.id, p.admin_graphql_api_id),
      note: p.note ?? null,
      amountCents: refunded.reduce((s, t) => s + cents(t.amount!), 0),
      returnId: p.return ? gidOf("Return", p.return.id, p.return.admin_graphql_api_id) : null,
      lines: p.refund_line_items.map((l) => ({ lineKey: l.line_item_id, quantity: l.quantity, restockType: l.restock_type ?? null, locationId: l.location_id ? toGid("Location", l.location_id) : null })),
    },
  };
}

const returnPayload = z.object({
  id: numericId.nullish(),
  admin_graphql_api_id: z.string().startsWith("gid://shopify/Return/", "must be a gid://shopify/Return/… id"),
  status: z.string().nullish(),
  name: z.string().nullish(),
  order: z.object({ id: numericId.nullish(), admin_graphql_api_id: z.string().nullish() }).nullish(),
  order_id: numericId.nullish(),
  total_return_line_items: z.number().int().nullish(),
  decline: z.object({ reason: z.string().nullish(), note: z.string().nullish() }).nullish(),
  return_line_items: z.unknown().optional(),
});

/** A returns/* body → a timeline entry; returns/update names no order (look it up by the return). */
export function mapShopifyReturn(topic: ReturnTopic, raw: string | unknown): TimelineEntry {
  const p = parsePayload(returnPayload, raw, topic);
  const orderGid = p.order ? gidOf("Order", p.order.id, p.order.admin_graphql_api_id) : p.order_id ? toGid("Order", p.order_id) : null;
  const action = topic.split("/")[1]!;
  return {
    orderGid,
    subjectId: p.admin_graphql_api_id,
    kind: `return.${action}`,
    occurredAt: null,
    summary: {
      returnId: p.admin_graphql_api_id,
      status: p.status ?? null,
      name: p.name ?? null,
      ...(p.total_return_line_items != null ? { lineItems: p.total_return_line_items } : {}),
      ...(p.decline ? { declineReason: p.decline.reason ?? null, declineNote: p.decline.note ?? null } : {}),
      ...(topic === "returns/update" ? { changes: p.return_line_items ?? null } : {}),
    },
  };
}
