import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";

export type LedgerSource = "shopify_webhook" | "pos" | "marketplace_order" | "return" | "manual" | "sync" | "reservation" | "shopify_order" | "marketplace";

export interface LedgerInput {
  shop: string;
  variantId: string;
  locationId: string;
  quantityName: string;
  delta: number;
  resulting: number;
  source: LedgerSource;
  reason: string;
  reference?: string | null;
  actor: string;
  occurredAt: Date;
}

/** Append-only record of a quantity change; written in the transaction that made the change. */
export function writeLedger(tx: Db | DbTx, entries: LedgerInput[]) {
  if (entries.length === 0) return Promise.resolve({ count: 0 });
  return tx.inventoryLedgerEntry.createMany({ data: entries.map((e) => ({ id: randomUUID(), ...e, reference: e.reference ?? null })) });
}
