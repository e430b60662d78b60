/**
 * Holds this app places on Shopify fulfillment orders: the reasons a person may choose, the
 * request's shape, the handle that makes a retried hold findable, and which recorded holds are
 * ours.  Pure (no I/O).  ADR 013.
 */
import { z } from "zod";

/**
 * Every hold this app places has a handle `oms-hold-<request id>`: unique per request (Shopify keeps
 * handles unique per app and fulfillment order, ≤ 64 characters), so a retried job finds the hold
 * its first attempt placed instead of placing a second one.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/input-objects/FulfillmentOrderHoldInput
 */
export const HOLD_HANDLE_PREFIX = "oms-hold-";
export const holdHandleFor = (requestId: string) => `${HOLD_HANDLE_PREFIX}${requestId}`;

/** Shopify's FulfillmentHoldReason values (2026-10) a person may choose. */
export const FULFILLMENT_HOLD_REASONS = ["AWAITING_PAYMENT", "HIGH_RISK_OF_FRAUD", "INCORRECT_ADDRESS", "INVENTORY_OUT_OF_STOCK", "UNKNOWN_DELIVERY_DATE", "OTHER"] as const;
export type FulfillmentHoldReason = (typeof FULFILLMENT_HOLD_REASONS)[number];

export const holdRequestSchema = z.object({
  reason: z.enum(FULFILLMENT_HOLD_REASONS, { message: `must be one of ${FULFILLMENT_HOLD_REASONS.join(", ")}` }),
  note: z
    .string()
    .trim()
    .max(255, "at most 255 characters")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type HoldRequest = z.input<typeof holdRequestSchema>;

/** A hold as the hub records it on ShopifyFulfillmentOrder.holds. */
export interface RecordedHold {
  id: string | null;
  reason: string;
  reasonNotes: string | null;
  handle: string | null;
  heldByThisApp: boolean;
}

/** A hold placed by this app from the order page: Shopify says it is ours (heldByRequestingApp) and it has our handle. */
export const isOwnHold = (h: { heldByThisApp?: boolean; heldByRequestingApp?: boolean; handle?: string | null }) =>
  (h.heldByThisApp ?? h.heldByRequestingApp ?? false) && !!h.handle?.startsWith(HOLD_HANDLE_PREFIX);

/**
 * The holds recorded on a fulfillment order (the JSON column, or its parsed array).  Entries
 * that are not holds (older shapes, hand edits) are left out rather than failing the page.
 */
export function parseHolds(raw: string | readonly unknown[]): RecordedHold[] {
  let list: unknown = raw;
  if (typeof raw === "string") {
    try {
      list = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  return list
    .filter((h): h is Record<string, unknown> => !!h && typeof h === "object" && typeof (h as { reason?: unknown }).reason === "string")
    .map((h) => ({
      id: typeof h.id === "string" ? h.id : null,
      reason: h.reason as string,
      reasonNotes: typeof h.reasonNotes === "string" ? h.reasonNotes : null,
      handle: typeof h.handle === "string" ? h.handle : null,
      heldByThisApp: h.heldByThisApp === true,
    }));
}

