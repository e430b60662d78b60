import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";
import type { RoutingDecision, RoutingPlan, RoutingTrace } from "./domain/index";

/**
 * What a live routing decision leaves behind: the decision with its whole trace (append-only), and
 * the daily-cap slots its shipments took.
 *
 * A slot is taken by one guarded statement — `UPDATE … SET used = used + 1 WHERE used < cap` — so
 * two workers racing for a store's last slot of the day cannot both get it: the loser's statement
 * changes no row, CapacityTaken rolls its transaction back and it routes again on fresh numbers.
 */
type Q = Db | DbTx;

export class CapacityTaken extends Error {
  constructor(readonly locationId: string, readonly day: string) {
    super(`daily capacity of location ${locationId} on ${day} was taken meanwhile`);
    this.name = "CapacityTaken";
  }
}

export interface Slot {
  locationId: string;
  day: string;
}

/** Take one slot per entry (cap = the location's daily cap), or throw CapacityTaken. */
export async function takeSlotsTx(tx: DbTx, shop: string, slots: (Slot & { cap: number })[]) {
  for (const s of [...slots].sort((a, b) => (a.locationId < b.locationId ? -1 : 1))) {
    // The row may not exist yet today; inserting it (or nothing, when a racer did) first keeps the
    // increment below a single guarded statement on both databases.
    await tx.$executeRaw`
      INSERT INTO "LocationDayCount" ("id", "shop", "locationId", "day", "used") VALUES (${randomUUID()}, ${shop}, ${s.locationId}, ${s.day}, 0)
      ON CONFLICT ("locationId", "day") DO NOTHING`;
    const n = await tx.$executeRaw`
      UPDATE "LocationDayCount" SET "used" = "used" + 1
      WHERE "shop" = ${shop} AND "locationId" = ${s.locationId} AND "day" = ${s.day} AND "used" < ${s.cap}`;
    if (n !== 1) throw new CapacityTaken(s.locationId, s.day);
  }
}

/** Give slots back (the order was re-routed or cancelled the same day); never below zero. */
export async function returnSlotsTx(tx: DbTx, shop: string, slots: Slot[]) {
  for (const s of slots) {
    await tx.$executeRaw`
      UPDATE "LocationDayCount" SET "used" = "used" - 1
      WHERE "shop" = ${shop} AND "locationId" = ${s.locationId} AND "day" = ${s.day} AND "used" > 0`;
  }
}

export interface StoredDecision {
  id: string;
  orderId: string;
  sequence: number;
  profileKey: string;
  profileVersion: number;
  status: RoutingDecision["status"];
  ruleId: string | null;
  queue: string | null;
  reason: string;
  plan: RoutingPlan | null;
  trace: RoutingTrace;
  trigger: string;
  actor: string;
  slots: Slot[];
  createdAt: Date;
}

export async function recordDecisionTx(
  tx: Q,
  shop: string,
  args: { orderId: string; profileKey: string; decision: RoutingDecision; trigger: string; actor: string; slots: Slot[]; now: Date },
): Promise<StoredDecision> {
  const d = args.decision;
  const last = await tx.routingDecision.findFirst({ where: { shop, orderId: args.orderId }, orderBy: { sequence: "desc" }, select: { sequence: true } });
  const row = await tx.routingDecision.create({
    data: {
      id: randomUUID(),
      shop,
      orderId: args.orderId,
      sequence: (last?.sequence ?? 0) + 1,
      profileKey: args.profileKey,
      profileVersion: d.profileVersion,
      status: d.status,
      ruleId: d.ruleId,
      queue: d.queue,
      reason: d.reason,
      plan: d.plan ? JSON.stringify(d.plan) : null,
      trace: JSON.stringify(d.trace),
      trigger: args.trigger,
      actor: args.actor,
      slots: JSON.stringify(args.slots),
      createdAt: args.now,
    },
  });
  return view(row);
}

/**
 * The sequence of the order's newest decision (0: none yet).  A routing attempt reads it again in
 * its transaction, after claiming the order row, to see whether another attempt recorded a
 * decision since it read the order: its own plan would then rest on a stale hold and stale slots.
 */
export async function latestDecisionSequence(q: Q, shop: string, orderId: string): Promise<number> {
  const last = await q.routingDecision.findFirst({ where: { shop, orderId }, orderBy: { sequence: "desc" }, select: { sequence: true } });
  return last?.sequence ?? 0;
}

type Row = Awaited<ReturnType<Db["routingDecision"]["findFirstOrThrow"]>>;
function view(r: Row): StoredDecision {
  return {
    id: r.id,
    orderId: r.orderId,
    sequence: r.sequence,
    profileKey: r.profileKey,
    profileVersion: r.profileVersion,
    status: r.status as StoredDecision["status"],
    ruleId: r.ruleId,
    queue: r.queue,
    reason: r.reason,
    plan: r.plan ? (JSON.parse(r.plan) as RoutingPlan) : null,
    trace: JSON.parse(r.trace) as RoutingTrace,
    trigger: r.trigger,
    actor: r.actor,
    slots: JSON.parse(r.slots) as Slot[],
    createdAt: r.createdAt,
  };
}

/** Every decision for an order, newest first (the first one is current). */
export async function decisionsFor(db: Q, shop: string, orderId: string): Promise<StoredDecision[]> {
  const rows = await db.routingDecision.findMany({ where: { shop, orderId }, orderBy: { sequence: "desc" } });
  return rows.map(view);
}

/** The latest decision per order, for lists. */
export async function latestDecisions(db: Q, shop: string, orderIds: string[]): Promise<Map<string, StoredDecision>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db.routingDecision.findMany({ where: { shop, orderId: { in: orderIds } }, orderBy: { sequence: "asc" } });
  return new Map(rows.map((r) => [r.orderId, view(r)]));
}
