/**
 * Fulfillment order and fulfillment webhooks → plain changes the hub records.
 *
 * Fulfillment-order payloads are deliberately thin (Shopify's samples:
 * https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-fulfillment_orders/moved and
 * siblings): a gid and a status, plus the assigned location on fulfillment_orders/moved and the
 * holds on fulfillment_orders/placed_on_hold.  None names the order: a fulfillment order that was
 * split off another one (moved, held in part, cancelled and replaced) inherits the original's
 * order; others are linked when the order is known from elsewhere (Admin API).  They carry no
 * updated_at either: the delivery's X-Shopify-Triggered-At orders them.
 */
import { z } from "zod";
import { gidOf, toGid } from "./ids";
import { gid, numericId, parsePayload, timestamp } from "./schema";

export const FULFILLMENT_ORDER_TOPICS = [
  "fulfillment_orders/order_routing_complete",
  "fulfillment_orders/moved",
  "fulfillment_orders/placed_on_hold",
  "fulfillment_orders/hold_released",
  "fulfillment_orders/cancelled",
] as const;
export type FulfillmentOrderTopic = (typeof FULFILLMENT_ORDER_TOPICS)[number];

const foRef = z.object({ id: gid("FulfillmentOrder"), status: z.string().min(1), assigned_location_id: gid("Location").nullish() });
const hold = z.object({
  id: gid("FulfillmentHold").nullish(),
  reason: z.string().min(1),
  reason_notes: z.string().nullish(),
  handle: z.string().nullish(),
  held_by_requesting_app: z.boolean().nullish(),
});
export type FulfillmentHold = { id: string | null; reason: string; reasonNotes: string | null; handle: string | null; heldByThisApp: boolean };

const schemas = {
  "fulfillment_orders/order_routing_complete": z.object({ fulfillment_order: foRef }),
  "fulfillment_orders/hold_released": z.object({ fulfillment_order: foRef }),
  "fulfillment_orders/cancelled": z.object({ fulfillment_order: foRef, replacement_fulfillment_order: foRef.nullish() }),
  "fulfillment_orders/moved": z.object({
    original_fulfillment_order: foRef,
    moved_fulfillment_order: foRef,
    destination_location_id: gid("Location").nullish(),
    source_location: z.object({ id: gid("Location") }).nullish(),
  }),
  "fulfillment_orders/placed_on_hold": z.object({
    fulfillment_order: foRef.extend({ fulfillment_holds: z.array(hold).nullish() }),
    remaining_fulfillment_order: foRef.nullish(),
    created_fulfillment_hold: hold.nullish(),
  }),
} as const;

/** One fulfillment order's new state.  `undefined` fields are unknown from this payload: keep what is stored. */
export interface FulfillmentOrderChange {
  fulfillmentOrderId: string;
  status: string;
  assignedLocationGid?: string | null;
  holds?: FulfillmentHold[];
  /** The fulfillment order this one was split from: it belongs to the same order. */
  splitFrom?: string;
}

export interface MappedFulfillmentOrderEvent {
  changes: FulfillmentOrderChange[];
  /** For the order timeline. */
  summary: Record<string, unknown>;
}

const toHold = (h: z.output<typeof hold>): FulfillmentHold => ({ id: h.id ?? null, reason: h.reason, reasonNotes: h.reason_notes ?? null, handle: h.handle ?? null, heldByThisApp: !!h.held_by_requesting_app });

/** A fulfillment_orders/* body → the fulfillment orders it changes. */
export function mapFulfillmentOrderEvent(topic: FulfillmentOrderTopic, raw: string | unknown): MappedFulfillmentOrderEvent {
  switch (topic) {
    case "fulfillment_orders/order_routing_complete": {
      const p = parsePayload(schemas[topic], raw, topic);
      return { changes: [{ fulfillmentOrderId: p.fulfillment_order.id, status: p.fulfillment_order.status }], summary: { fulfillmentOrderId: p.fulfillment_order.id, status: p.fulfillment_order.status } };
    }
    case "fulfillment_orders/hold_released": {
      const p = parsePayload(schemas[topic], raw, topic);
      // Sent when the fulfillment order is no longer on hold: every hold is gone.
      return { changes: [{ fulfillmentOrderId: p.fulfillment_order.id, status: p.fulfillment_order.status, holds: [] }], summary: { fulfillmentOrderId: p.fulfillment_order.id, status: p.fulfillment_order.status } };
    }
    case "fulfillment_orders/cancelled": {
      const p = parsePayload(schemas[topic], raw, topic);
      const changes: FulfillmentOrderChange[] = [{ fulfillmentOrderId: p.fulfillment_order.id, status: p.fulfillment_order.status }];
      const r = p.replacement_fulfillment_order;
      if (r) changes.push({ fulfillmentOrderId: r.id, status: r.status, splitFrom: p.fulfillment_order.id });
      return { changes, summary: { fulfillmentOrderId: p.fulfillment_order.id, status: p.fulfillment_order.status, replacement: r?.id ?? null } };
    }
    case "fulfillment_orders/moved": {
      const p = parsePayload(schemas[topic], raw, topic);
      const o = p.original_fulfillment_order;
      const m = p.moved_fulfillment_order;
      const changes: FulfillmentOrderChange[] = [
        { fulfillmentOrderId: o.id, status: o.status, ...(o.assigned_location_id !== undefined ? { assignedLocationGid: o.assigned_location_id } : {}) },
      ];
      // Moving a whole fulfillment order keeps its id; moving part of it creates a new one.
      const movedLocation = m.assigned_location_id ?? p.destination_location_id ?? null;
      if (m.id === o.id) changes[0] = { fulfillmentOrderId: m.id, status: m.status, assignedLocationGid: movedLocation };
      else changes.push({ fulfillmentOrderId: m.id, status: m.status, assignedLocationGid: movedLocation, splitFrom: o.id });
      return { changes, summary: { from: o.id, to: m.id, fromLocation: p.source_location?.id ?? o.assigned_location_id ?? null, toLocation: movedLocation, status: m.status } };
    }
    case "fulfillment_orders/placed_on_hold": {
      const p = parsePayload(schemas[topic], raw, topic);
      const fo = p.fulfillment_order;
      const holds = fo.fulfillment_holds ? fo.fulfillment_holds.map(toHold) : p.created_fulfillment_hold ? [toHold(p.created_fulfillment_hold)] : undefined;
      const changes: FulfillmentOrderChange[] = [{ fulfillmentOrderId: fo.id, status: fo.status, ...(holds ? { holds } : {}) }];
      const rest = p.remaining_fulfillment_order;
      if (rest) changes.push({ fulfillmentOrderId: rest.id, status: rest.status, holds: [], splitFrom: fo.id });
      return { changes, summary: { fulfillmentOrderId: fo.id, status: fo.status, holds: (holds ?? []).map((h) => ({ reason: h.reason, notes: h.reasonNotes })), remaining: rest?.id ?? null } };
    }
  }
}

// ── fulfillments/create, fulfillments/update ─────────────────────────────────────────────────

export const shopifyFulfillmentPayload = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().nullish(),
  order_id: numericId,
  status: z.string().min(1),
  name: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp.nullish(),
  location_id: numericId.nullish(),
  tracking_company: z.string().nullish(),
  tracking_number: z.string().nullish(),
  tracking_url: z.string().nullish(),
  line_items: z.array(z.object({ id: numericId, quantity: z.number().int().nonnegative(), sku: z.string().nullish() })),
});

/** Fulfillment statuses that mean the units did not leave (nothing to consume). */
const NOT_SHIPPED = new Set(["cancelled", "error", "failure"]);

export interface MappedFulfillment {
  fulfillmentId: string;
  orderGid: string;
  status: string;
  /** The units left the building (or are on their way): the reservation is consumed. */
  shipped: boolean;
  name: string | null;
  occurredAt: Date;
  locationGid: string | null;
  lines: { lineKey: string; quantity: number; sku: string | null }[];
  tracking: { company: string | null; number: string | null; url: string | null };
}

export function mapShopifyFulfillment(raw: string | unknown, topic: string): MappedFulfillment {
  const p = parsePayload(shopifyFulfillmentPayload, raw, topic);
  return {
    fulfillmentId: gidOf("Fulfillment", p.id, p.admin_graphql_api_id)!,
    orderGid: toGid("Order", p.order_id),
    status: p.status,
    shipped: !NOT_SHIPPED.has(p.status.toLowerCase()),
    name: p.name ?? null,
    occurredAt: p.updated_at ?? p.created_at,
    locationGid: p.location_id ? toGid("Location", p.location_id) : null,
    lines: p.line_items.map((l) => ({ lineKey: l.id, quantity: l.quantity, sku: l.sku ?? null })),
    tracking: { company: p.tracking_company ?? null, number: p.tracking_number ?? null, url: p.tracking_url ?? null },
  };
}
