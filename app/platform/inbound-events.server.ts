import { randomUUID } from "node:crypto";
import { isUniqueViolation, type Db } from "./db/client.server";
import { writeOutbox } from "./outbox.server";

/**
 * Inbound-event store (ARCHITECTURE.md rule 4): an event is stored with its external id before it
 * is acknowledged, and in the same transaction an outbox row asks for it to be processed.  The
 * unique (shop, source, externalId) key turns a duplicate delivery into a no-op.
 */
export const PROCESS_INBOUND_EVENT = "inbound.process";

export interface InboundEventInput {
  shop: string;
  source: string;
  externalId: string;
  topic: string;
  payload: string;
  headers?: Record<string, string | null | undefined>;
  occurredAt?: Date | null;
}

export interface RecordResult {
  id: string;
  duplicate: boolean;
}

/** The columns every stored event has, whatever becomes of it. */
function eventRow(input: InboundEventInput) {
  return {
    id: randomUUID(),
    shop: input.shop,
    source: input.source,
    externalId: input.externalId,
    topic: input.topic,
    payload: input.payload,
    headers: input.headers ? JSON.stringify(input.headers) : null,
    occurredAt: input.occurredAt ?? null,
  };
}

/**
 * Store an event once: `insert` writes the row (and whatever must commit with it); a unique
 * violation on (shop, source, externalId) means it is already stored, and the stored row's id is
 * returned as a duplicate.
 */
async function storeOnce(db: Db, input: InboundEventInput, insert: (row: ReturnType<typeof eventRow>) => Promise<unknown>): Promise<RecordResult> {
  if (!input.externalId) throw new Error("inbound event needs an external id to be idempotent");
  const row = eventRow(input);
  try {
    await insert(row);
    return { id: row.id, duplicate: false };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const existing = await db.inboundEvent.findUniqueOrThrow({
      where: { shop_source_externalId: { shop: input.shop, source: input.source, externalId: input.externalId } },
      select: { id: true },
    });
    return { id: existing.id, duplicate: true };
  }
}

export async function recordInboundEvent(db: Db, input: InboundEventInput): Promise<RecordResult> {
  return storeOnce(db, input, (row) =>
    db.$transaction(async (tx) => {
      await tx.inboundEvent.create({ data: row });
      await writeOutbox(tx, {
        shop: input.shop,
        topic: PROCESS_INBOUND_EVENT,
        payload: { eventId: row.id },
        // Events of one shop and topic family are processed one at a time, in arrival order.
        jobKey: `${input.shop}|${input.source}|${input.topic.split("_")[0]}`,
      });
    }),
  );
}

/**
 * Keep something a connector could not take in (a malformed order, an unknown SKU) where people see
 * it — status "quarantined" with the reason — without queueing it for processing.  Idempotent on
 * (shop, source, externalId): the same failure seen again is not stored twice.
 */
export async function recordQuarantinedEvent(db: Db, input: InboundEventInput & { error: string; now: Date }): Promise<RecordResult> {
  return storeOnce(db, input, (row) =>
    db.inboundEvent.create({ data: { ...row, status: "quarantined", error: input.error.slice(0, 2000), processedAt: input.now } }),
  );
}

export type InboundEventRow = Awaited<ReturnType<Db["inboundEvent"]["findUniqueOrThrow"]>>;
export type InboundEventHandler = (event: InboundEventRow) => Promise<void>;

/**
 * The job behind PROCESS_INBOUND_EVENT: look the event up, dispatch by source + topic, record the
 * outcome.  Already-processed events are skipped, so a replayed job does nothing twice.  An event
 * no handler claims is quarantined with a reason, never dropped.
 */
export function createInboundEventProcessor(db: Db, handlers: Record<string, InboundEventHandler>, now: () => Date = () => new Date()) {
  return async ({ eventId }: { eventId: string }) => {
    const event = await db.inboundEvent.findUnique({ where: { id: eventId } });
    if (!event) return { skipped: "event no longer exists (shop purged?)" };
    if (event.status === "processed") return { skipped: "already processed" };
    const handler = handlers[`${event.source}:${event.topic}`];
    if (!handler) {
      await db.inboundEvent.update({
        where: { id: eventId },
        data: { status: "quarantined", error: `no handler for ${event.source}:${event.topic}` },
      });
      return { quarantined: true };
    }
    await db.inboundEvent.update({ where: { id: eventId }, data: { attempts: { increment: 1 } } });
    try {
      await handler(event);
    } catch (e) {
      await db.inboundEvent.updateMany({ where: { id: eventId }, data: { status: "failed", error: (e as Error).message.slice(0, 2_000) } });
      throw e;
    }
    // updateMany: the handler may have purged the shop, event included.
    await db.inboundEvent.updateMany({ where: { id: eventId }, data: { status: "processed", error: null, processedAt: now() } });
    return { processed: true };
  };
}

/** A shop's stored events in pages of `pageSize`, so a big shop never sits in memory at once. */
async function* shopEvents(db: Db, shop: string, pageSize: number) {
  let cursor: string | undefined;
  for (;;) {
    const page = await db.inboundEvent.findMany({
      where: { shop },
      orderBy: { id: "asc" },
      take: pageSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, payload: true, topic: true, receivedAt: true },
    });
    for (const row of page) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(row.payload);
      } catch {
        continue; // not JSON (an X12 document, say): its own area's redactor handles it
      }
      yield { ...row, parsed };
    }
    if (page.length < pageSize) return;
    cursor = page[page.length - 1]!.id;
  }
}

/** Write back every stored payload of the shop that `rewrite` changes (customer redaction). */
export async function rewriteShopPayloads(
  db: Db,
  shop: string,
  rewrite: (payload: unknown) => { doc: unknown; changed: boolean },
  pageSize = 500,
): Promise<number> {
  let changed = 0;
  for await (const row of shopEvents(db, shop, pageSize)) {
    const r = rewrite(row.parsed);
    if (!r.changed) continue;
    await db.inboundEvent.update({ where: { id: row.id }, data: { payload: JSON.stringify(r.doc) } });
    changed++;
  }
  return changed;
}

/** Read-only sibling of rewriteShopPayloads: collect what `pick` finds in each payload. */
export async function collectFromShopPayloads<T>(
  db: Db,
  shop: string,
  pick: (payload: unknown, meta: { topic: string; receivedAt: Date }) => T[],
  pageSize = 500,
): Promise<T[]> {
  const out: T[] = [];
  for await (const row of shopEvents(db, shop, pageSize)) out.push(...pick(row.parsed, row));
  return out;
}
