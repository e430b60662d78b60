import { createHash } from "node:crypto";
import { ConnectorError } from "#connectors/core/errors";
import type { AdminClient, CallOptions } from "./admin-client";
import { FULFILLMENT_ORDER_RELEASE_HOLD, INVENTORY_SET_QUANTITIES } from "./documents";
import type * as G from "./generated/admin.generated";

/**
 * Typed helpers for the writes whose rules the schema cannot express (the generated input types
 * make these fields optional; Shopify rejects them missing at run time).
 */

/**
 * An idempotency key that is the same for the same intent and different for another: a UUID-shaped
 * SHA-256 of the intent's parts, e.g. `idempotencyKey("inventory-set", shop, outboxMessageId)`.
 * Retries of one intent (a job attempt, a network retry) reuse it; a new intent — even with the same
 * variables — must bring a new part (its own outbox row id).
 * https://shopify.dev/docs/api/usage/implementing-idempotency
 */
export function idempotencyKey(...intent: (string | number)[]): string {
  if (!intent.length) throw new ConnectorError("INVALID", "an idempotency key needs the parts that identify the intent", { connector: "shopify" });
  const hex = createHash("sha256").update(intent.map(String).join("\u001f")).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** One compare-and-set row: `changeFromQuantity` is required — the quantity read before deciding, or explicit null to opt out. */
export type CasQuantity = Omit<G.InventoryQuantityInput, "changeFromQuantity"> & { changeFromQuantity: number | null };

export interface SetQuantitiesInput {
  /** The quantity name, e.g. "available" or "on_hand". */
  name: string;
  /** One of Shopify's inventory reasons, e.g. "correction", "received", "cycle_count_available". */
  reason: string;
  /** Where the change comes from, e.g. "gid://oms/OutboxMessage/42" (shown in Shopify's inventory history). */
  referenceDocumentUri?: string;
  quantities: CasQuantity[];
}

/**
 * `inventorySetQuantities` with compare-and-set on every row and an idempotency key.  A stale row
 * throws CONFLICT naming it (`input.quantities.N.changeFromQuantity`): re-read and decide again.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/inventorySetQuantities
 */
export async function setInventoryQuantities(client: AdminClient, input: SetQuantitiesInput, key: string, opts?: CallOptions) {
  input.quantities.forEach((q, i) => {
    if (!Object.prototype.hasOwnProperty.call(q, "changeFromQuantity") || q.changeFromQuantity === undefined) {
      throw new ConnectorError("INVALID", `input.quantities.${i}.changeFromQuantity: required (the quantity read before, or null to opt out)`, {
        connector: "shopify",
        field: `input.quantities.${i}.changeFromQuantity`,
      });
    }
  });
  const data = await client.mutate(INVENTORY_SET_QUANTITIES, { input, idempotencyKey: key }, opts);
  return data.inventorySetQuantities?.inventoryAdjustmentGroup ?? null;
}

/**
 * Release our holds only — never an empty list, which would leave Shopify to release every hold,
 * other apps' included. https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderReleaseHold
 */
export async function releaseHolds(client: AdminClient, fulfillmentOrderId: string, holdIds: string[], opts?: CallOptions) {
  if (!holdIds.length) throw new ConnectorError("INVALID", "holdIds: name the holds to release (an empty list would release every hold)", { connector: "shopify", field: "holdIds" });
  // Releasing the same holds twice changes nothing more: safe to repeat after an unknown outcome.
  const data = await client.mutate(FULFILLMENT_ORDER_RELEASE_HOLD, { id: fulfillmentOrderId, holdIds }, { retrySafe: true, ...opts });
  return data.fulfillmentOrderReleaseHold?.fulfillmentOrder ?? null;
}
