import { randomUUID } from "node:crypto";
import type { Db } from "#app/platform/db/client.server";

/**
 * Where an account's orders read stands (AmazonSyncState, stream "orders"), in the shape of the
 * client's OrdersCheckpoint (connectors/amazon/client/paging.ts): the watermark (`after`), the
 * window end and the next page's token with when it was issued.  Saved after each page.
 */
export interface StoredOrdersCheckpoint {
  by: "lastUpdated";
  after: string;
  before: string | null;
  paginationToken: string | null;
  tokenIssuedAtMs: number | null;
}

const STREAM = "orders";
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export async function loadOrdersCheckpoint(db: Db, shop: string, accountId: string): Promise<StoredOrdersCheckpoint | null> {
  const row = await db.amazonSyncState.findFirst({ where: { shop, accountId, stream: STREAM } });
  if (!row?.watermark) return null;
  return {
    by: "lastUpdated",
    after: iso(row.watermark),
    before: row.windowEnd ? iso(row.windowEnd) : null,
    paginationToken: row.pageToken,
    tokenIssuedAtMs: row.pageTokenIssuedAt?.getTime() ?? null,
  };
}

export async function saveOrdersCheckpoint(db: Db, shop: string, accountId: string, c: { after: string; before: string | null; paginationToken: string | null; tokenIssuedAtMs: number | null }, now: Date) {
  const data = {
    watermark: new Date(c.after),
    windowEnd: c.before ? new Date(c.before) : null,
    pageToken: c.paginationToken,
    pageTokenIssuedAt: c.tokenIssuedAtMs !== null ? new Date(c.tokenIssuedAtMs) : null,
    lastRunAt: now,
    lastError: null,
  };
  await db.amazonSyncState.upsert({
    where: { accountId_stream: { accountId, stream: STREAM } },
    create: { id: randomUUID(), shop, accountId, stream: STREAM, ...data },
    update: data,
  });
}

export async function recordOrdersRunError(db: Db, shop: string, accountId: string, message: string, now: Date) {
  await db.amazonSyncState.updateMany({ where: { shop, accountId, stream: STREAM }, data: { lastError: message.slice(0, 500), lastRunAt: now } });
}

/** The orders stream's state for the page: watermark, last run, last error. */
export async function ordersSyncStatus(db: Db, shop: string, accountId: string) {
  const row = await db.amazonSyncState.findFirst({ where: { shop, accountId, stream: STREAM } });
  return row ? { watermark: row.watermark?.toISOString() ?? null, lastRunAt: row.lastRunAt?.toISOString() ?? null, lastError: row.lastError, midWindow: row.pageToken !== null } : null;
}

/** The orders and shipments side of an account, for the Amazon page. */
export async function amazonOrdersOverview(db: Db, shop: string, accountId: string) {
  const [sync, quarantined, shipments, byStatus] = await Promise.all([
    ordersSyncStatus(db, shop, accountId),
    db.inboundEvent.findMany({ where: { shop, source: "amazon.order", status: "quarantined" }, orderBy: { receivedAt: "desc" }, take: 10, select: { externalId: true, error: true, receivedAt: true } }),
    db.amazonShipmentConfirmation.findMany({ where: { shop, accountId }, orderBy: { createdAt: "desc" }, take: 10 }),
    db.amazonShipmentConfirmation.groupBy({ by: ["status"], where: { shop, accountId }, _count: { _all: true } }),
  ]);
  return {
    sync,
    quarantined: quarantined.map((q) => ({ amazonOrderId: q.externalId.split("@")[0]!, error: q.error, receivedAt: q.receivedAt.toISOString() })),
    shipmentCounts: Object.fromEntries(byStatus.map((g) => [g.status, g._count._all])) as Record<string, number>,
    shipments: shipments.map((s) => ({
      amazonOrderId: s.amazonOrderId,
      packageReferenceId: s.packageReferenceId,
      carrier: s.carrierName ?? s.carrierCode,
      trackingNumber: s.trackingNumber,
      status: s.status,
      attempts: s.attempts,
      lastError: s.lastError,
      confirmedAt: s.confirmedAt?.toISOString() ?? null,
    })),
  };
}
export type AmazonOrdersOverview = Awaited<ReturnType<typeof amazonOrdersOverview>>;
