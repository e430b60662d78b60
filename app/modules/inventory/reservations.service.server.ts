import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { isRetryableDbError, isUniqueViolation, type Db, type DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { planAllocation, type CandidateLocation, type Requirement } from "./domain/allocation";
import { writeLedger, type LedgerInput } from "./ledger.server";
import { requestInventoryPush } from "./hub-counts.service.server";
import { markAtsChanged } from "./publishing.service.server";

/**
 * Reservations: the instant an order arrives from any channel, its lines claim stock.
 *
 * The guard (ARCHITECTURE.md rule 5) is one conditional statement per (SKU, location):
 *   UPDATE "InventoryLevel" SET held = held + n WHERE id = ? AND available - held >= n RETURNING held
 * checked by the rows it returns — never read-then-write across an await.  An order's takes run in
 * one transaction in a fixed (location, SKU) order, so two orders cannot deadlock; if another
 * worker took the stock between our snapshot and our update, the transaction rolls back and we
 * re-plan on fresh numbers.  The quantity model and how it reconciles with Shopify: docs/inventory.md
 */
export interface OrderLineInput {
  lineKey: string;
  sku: string;
  quantity: number;
}

export interface ReserveOrderInput {
  shop: string;
  channelId: string;
  externalOrderId: string;
  lines: OrderLineInput[];
  /** Unpaid holds expire (default: the channel's holdTtlMinutes). */
  expiresAt?: Date | null;
  actor: string;
  /**
   * Add these lines to an order that already holds others (an edited order's new lines): the
   * duplicate check then looks at these line keys only.  Default: the order is reserved whole.
   */
  append?: boolean;
}

export interface LineOutcome {
  lineKey: string;
  sku: string;
  quantity: number;
  reservationId: string;
  status: "held" | "committed" | "refused" | "released" | "consumed";
  reason: string | null;
  allocations: { locationId: string; variantId: string; quantity: number }[];
}

export interface ReserveOrderResult {
  status: "reserved" | "refused";
  duplicate: boolean;
  lines: LineOutcome[];
  attempts: number;
}

class StockMoved extends Error {}

const MAX_ATTEMPTS = 25;
const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 };

async function existingOutcome(db: Db, channelId: string, externalOrderId: string, lineKeys?: string[]): Promise<ReserveOrderResult | null> {
  const rows = await db.reservation.findMany({ where: { channelId, externalOrderId, ...(lineKeys ? { lineKey: { in: lineKeys } } : {}) }, orderBy: { lineKey: "asc" } });
  if (rows.length === 0) return null;
  const allocs = await db.reservationAllocation.findMany({ where: { reservationId: { in: rows.map((r) => r.id) } } });
  const variants = await db.variant.findMany({ where: { id: { in: rows.map((r) => r.variantId) } }, select: { id: true, sku: true } });
  const skuOf = new Map(variants.map((v) => [v.id, v.sku]));
  const lines = rows.map((r) => ({
    lineKey: r.lineKey,
    sku: skuOf.get(r.variantId) ?? r.variantId,
    quantity: r.quantity,
    reservationId: r.id,
    status: r.status as LineOutcome["status"],
    reason: r.reason,
    allocations: allocs.filter((a) => a.reservationId === r.id).map((a) => ({ locationId: a.locationId, variantId: a.variantId, quantity: a.quantity })),
  }));
  return { status: lines.some((l) => l.status === "refused") ? "refused" : "reserved", duplicate: true, lines, attempts: 0 };
}

/** Reserve every line of an order, or refuse the whole order with a reason per line. Idempotent. */
export async function reserveOrder(deps: { db: Db; now: () => Date; random?: () => number }, input: ReserveOrderInput): Promise<ReserveOrderResult> {
  const { db } = deps;
  const random = deps.random ?? Math.random;
  if (input.lines.length === 0) throw DomainError.invalid("lines", "an order needs at least one line");
  const keys = new Set<string>();
  for (const [i, l] of input.lines.entries()) {
    if (!Number.isInteger(l.quantity) || l.quantity < 1) throw DomainError.invalid(`lines[${i}].quantity`, `must be a positive integer, got ${l.quantity}`);
    if (!l.lineKey) throw DomainError.invalid(`lines[${i}].lineKey`, "is required");
    if (keys.has(l.lineKey)) throw DomainError.invalid(`lines[${i}].lineKey`, `"${l.lineKey}" appears twice`);
    keys.add(l.lineKey);
  }

  const onlyLines = input.append ? input.lines.map((l) => l.lineKey) : undefined;
  const dup = await existingOutcome(db, input.channelId, input.externalOrderId, onlyLines);
  if (dup) return dup;

  const channel = await db.channel.findFirst({ where: { id: input.channelId, shop: input.shop } });
  if (!channel) throw DomainError.notFound(`channel ${input.channelId}`);
  const eligible = JSON.parse(channel.eligibleLocationIds) as string[];
  const hubHolds = channel.hubHoldsStock;
  const expiresAt = input.expiresAt !== undefined ? input.expiresAt : channel.holdTtlMinutes ? new Date(deps.now().getTime() + channel.holdTtlMinutes * 60_000) : null;

  // Resolve SKUs (a kit resolves to its components).
  const variants = await db.variant.findMany({ where: { shop: input.shop, sku: { in: input.lines.map((l) => l.sku) } } });
  const bySku = new Map(variants.map((v) => [v.sku, v]));
  const kitIds = variants.filter((v) => v.isKit).map((v) => v.id);
  const kitComps = kitIds.length ? await db.kitComponent.findMany({ where: { shop: input.shop, kitVariantId: { in: kitIds } } }) : [];
  const reqsFor = (variantId: string, isKit: boolean): Requirement[] =>
    isKit ? kitComps.filter((k) => k.kitVariantId === variantId).map((k) => ({ variantId: k.componentVariantId, perUnit: k.quantity })) : [{ variantId, perUnit: 1 }];

  const unknown = input.lines.filter((l) => !bySku.has(l.sku));
  const neededVariantIds = [...new Set(variants.flatMap((v) => reqsFor(v.id, v.isKit).map((r) => r.variantId)))];

  for (let attempt = 1; ; attempt++) {
    // 1. Snapshot (outside the transaction): sellable per variant at each eligible, active, writable location.
    // Keyed on (variantId, locationId) only, so SQLite uses that unique index; with `shop` in the
    // WHERE its planner (no ANALYZE statistics) picked the (shop, locationId) index and scanned the
    // shop's whole stock: 237 ms instead of 1 ms at 200 000 levels (bench:reservations).  The
    // variant ids were resolved within the shop, and the shop check below keeps the wall.
    const levels = (
      await db.inventoryLevel.findMany({ where: { variantId: { in: neededVariantIds }, locationId: { in: eligible } } })
    ).filter((l) => l.shop === input.shop);
    const locs = await db.location.findMany({ where: { shop: input.shop, id: { in: eligible }, active: true, readOnly: false }, select: { id: true } });
    const usable = new Set(locs.map((l) => l.id));
    const levelId = new Map<string, string>(); // `${variantId}|${locationId}` → level id
    const pool = new Map<string, CandidateLocation>();
    for (const l of levels) {
      if (!usable.has(l.locationId)) continue;
      levelId.set(`${l.variantId}|${l.locationId}`, l.id);
      const c = pool.get(l.locationId) ?? { locationId: l.locationId, sellable: {} };
      c.sellable[l.variantId] = l.available - l.held;
      pool.set(l.locationId, c);
    }

    // 2. Plan every line against the same snapshot, consuming it so lines do not double count.
    const plans: { line: OrderLineInput; variantId: string; takes: { locationId: string; variantId: string; quantity: number }[]; reason: string | null }[] = [];
    for (const line of input.lines) {
      const v = bySku.get(line.sku);
      if (!v) {
        plans.push({ line, variantId: "", takes: [], reason: `unknown SKU "${line.sku}"` });
        continue;
      }
      const reqs = reqsFor(v.id, v.isKit);
      if (reqs.length === 0) {
        plans.push({ line, variantId: v.id, takes: [], reason: `kit ${line.sku} has no components` });
        continue;
      }
      const plan = planAllocation(line.quantity, reqs, [...pool.values()]);
      const takes = plan.takes.flatMap((t) => t.takes.map((x) => ({ locationId: t.locationId, variantId: x.variantId, quantity: x.quantity })));
      for (const t of takes) pool.get(t.locationId)!.sellable[t.variantId]! -= t.quantity;
      const reason =
        hubHolds && plan.shortfall > 0
          ? `insufficient stock: ${line.quantity} wanted, ${plan.coverable} sellable across ${usable.size} eligible location(s) for ${channel.name}`
          : null;
      plans.push({ line, variantId: v.id, takes, reason });
    }

    const refused = unknown.length > 0 || plans.some((p) => p.reason);
    const now = deps.now();
    try {
      const outcome = await db.$transaction(async (tx) => {
        // The first statement is a write (all lines in one insert): on SQLite it takes the write
        // lock up front; the unique key makes a concurrent duplicate delivery fail right here.
        const created: LineOutcome[] = plans.map((p) => {
          const status: LineOutcome["status"] = refused ? "refused" : hubHolds ? "held" : "committed";
          const reason = refused ? (p.reason ?? "another line of the order could not be reserved") : null;
          return { lineKey: p.line.lineKey, sku: p.line.sku, quantity: p.line.quantity, reservationId: randomUUID(), status, reason, allocations: refused ? [] : p.takes };
        });
        await tx.reservation.createMany({
          data: created.map((c, i) => ({
            id: c.reservationId,
            shop: input.shop,
            channelId: channel.id,
            externalOrderId: input.externalOrderId,
            lineKey: c.lineKey,
            variantId: plans[i]!.variantId || "unknown",
            quantity: c.quantity,
            status: c.status,
            reason: c.reason,
            expiresAt: c.status === "held" ? expiresAt : null,
          })),
        });
        if (refused) return created;

        const takes = created
          .flatMap((c) => c.allocations.map((a) => ({ ...a, reservationId: c.reservationId })))
          .sort((a, b) => (a.locationId + a.variantId < b.locationId + b.variantId ? -1 : 1));
        const ledger: LedgerInput[] = [];
        for (const t of takes) {
          const id = levelId.get(`${t.variantId}|${t.locationId}`)!;
          if (hubHolds) {
            const rows = await tx.$queryRaw<{ held: number | bigint }[]>`
              UPDATE "InventoryLevel" SET "held" = "held" + ${t.quantity}, "version" = "version" + 1
              WHERE "id" = ${id} AND "available" - "held" >= ${t.quantity}
              RETURNING "held"`;
            if (rows.length !== 1) throw new StockMoved();
            ledger.push({ shop: input.shop, variantId: t.variantId, locationId: t.locationId, quantityName: "held", delta: t.quantity, resulting: Number(rows[0]!.held), source: "reservation", reason: `hold for ${channel.name} order ${input.externalOrderId}`, reference: t.reservationId, actor: input.actor, occurredAt: now });
          } else {
            // Shopify already sold these (its own channels): mirror the commitment at once so other
            // channels' ATS drops now; Shopify's next absolute level for this item overwrites it.
            const rows = await tx.$queryRaw<{ available: number | bigint; committed: number | bigint }[]>`
              UPDATE "InventoryLevel" SET "available" = "available" - ${t.quantity}, "committed" = "committed" + ${t.quantity}, "version" = "version" + 1
              WHERE "id" = ${id}
              RETURNING "available", "committed"`;
            ledger.push(
              { shop: input.shop, variantId: t.variantId, locationId: t.locationId, quantityName: "available", delta: -t.quantity, resulting: Number(rows[0]!.available), source: "shopify_order", reason: `expected commit for ${channel.name} order ${input.externalOrderId}`, reference: t.reservationId, actor: input.actor, occurredAt: now },
              { shop: input.shop, variantId: t.variantId, locationId: t.locationId, quantityName: "committed", delta: t.quantity, resulting: Number(rows[0]!.committed), source: "shopify_order", reason: `expected commit for ${channel.name} order ${input.externalOrderId}`, reference: t.reservationId, actor: input.actor, occurredAt: now },
            );
          }
        }
        await tx.reservationAllocation.createMany({
          data: takes.map((t) => ({ id: randomUUID(), shop: input.shop, reservationId: t.reservationId, variantId: t.variantId, locationId: t.locationId, quantity: t.quantity })),
        });
        await writeLedger(tx, ledger);
        await markAtsChanged(tx, input.shop, [...new Set(takes.map((t) => t.variantId))], now);
        return created;
      }, TX_OPTIONS);
      return { status: refused ? "refused" : "reserved", duplicate: false, lines: outcome, attempts: attempt };
    } catch (e) {
      if (isUniqueViolation(e)) {
        // The same order arrived twice at once: the other delivery won; report what it did.
        const winner = await existingOutcome(db, input.channelId, input.externalOrderId, onlyLines);
        if (winner) return winner;
      }
      if ((e instanceof StockMoved || isRetryableDbError(e)) && attempt < MAX_ATTEMPTS) {
        await sleep(Math.floor(random() * Math.min(50, 2 * attempt)));
        continue;
      }
      if (e instanceof StockMoved) {
        throw new DomainError("CONFLICT", `stock for order ${input.externalOrderId} kept changing under ${MAX_ATTEMPTS} attempts; retry`);
      }
      throw e;
    }
  }
}

type Q = Db | DbTx;

async function allocationsOf(tx: Q, reservationId: string) {
  return tx.reservationAllocation.findMany({ where: { reservationId }, orderBy: [{ locationId: "asc" }, { variantId: "asc" }] });
}

/** Give held units back (cancellation, expiry).  Guarded so `held` never goes negative. */
async function releaseHeld(tx: Q, r: { id: string; shop: string }, reason: string, actor: string, now: Date) {
  const ledger: LedgerInput[] = [];
  const allocs = await allocationsOf(tx, r.id);
  for (const a of allocs) {
    const rows = await tx.$queryRaw<{ held: number | bigint }[]>`
      UPDATE "InventoryLevel" SET "held" = "held" - ${a.quantity}, "version" = "version" + 1
      WHERE "shop" = ${r.shop} AND "variantId" = ${a.variantId} AND "locationId" = ${a.locationId} AND "held" >= ${a.quantity}
      RETURNING "held"`;
    if (rows.length !== 1) throw new DomainError("CONFLICT", `held quantity for reservation ${r.id} is already gone at ${a.locationId}`);
    ledger.push({ shop: r.shop, variantId: a.variantId, locationId: a.locationId, quantityName: "held", delta: -a.quantity, resulting: Number(rows[0]!.held), source: "reservation", reason, reference: r.id, actor, occurredAt: now });
  }
  await writeLedger(tx, ledger);
  return allocs.map((a) => a.variantId);
}

/** Release an order's reservations (cancelled anywhere).  Idempotent: released lines stay released. */
export async function releaseOrder(deps: { db: Db; now: () => Date }, args: { shop: string; channelId: string; externalOrderId: string; reason: string; actor: string }) {
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.reservation.findMany({ where: { shop: args.shop, channelId: args.channelId, externalOrderId: args.externalOrderId, status: { in: ["held", "committed"] } } });
    const changed: string[] = [];
    for (const r of rows) {
      // Claim the transition first: a concurrent release of the same order updates 0 rows and stops.
      const claim = await tx.reservation.updateMany({ where: { id: r.id, status: r.status }, data: { status: "released", reason: args.reason } });
      if (claim.count !== 1) continue;
      if (r.status === "held") changed.push(...(await releaseHeld(tx, r, args.reason, args.actor, deps.now())));
      // A committed line is Shopify's: cancelling the order in Shopify returns its units there,
      // and the next inventory level from Shopify carries that.
    }
    if (changed.length) await markAtsChanged(tx, args.shop, changed, deps.now());
    return { released: rows.length };
  }, TX_OPTIONS);
}

/**
 * held → committed: the order now exists in Shopify (created by the hub with inventory decrement),
 * so Shopify's committed quantity covers these units.  In one transaction the hub's hold is
 * dropped and the mirror moves available → committed, so the units are never counted twice.
 */
export async function commitOrder(deps: { db: Db; now: () => Date }, args: { shop: string; channelId: string; externalOrderId: string; actor: string; reference?: string }) {
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.reservation.findMany({ where: { shop: args.shop, channelId: args.channelId, externalOrderId: args.externalOrderId, status: "held" } });
    const ledger: LedgerInput[] = [];
    const variants: string[] = [];
    for (const r of rows) {
      const claim = await tx.reservation.updateMany({ where: { id: r.id, status: "held" }, data: { status: "committed", expiresAt: null } });
      if (claim.count !== 1) continue;
      for (const a of await allocationsOf(tx, r.id)) {
        const out = await tx.$queryRaw<{ held: number | bigint; available: number | bigint; committed: number | bigint }[]>`
          UPDATE "InventoryLevel"
          SET "held" = "held" - ${a.quantity}, "available" = "available" - ${a.quantity}, "committed" = "committed" + ${a.quantity}, "version" = "version" + 1
          WHERE "shop" = ${args.shop} AND "variantId" = ${a.variantId} AND "locationId" = ${a.locationId} AND "held" >= ${a.quantity}
          RETURNING "held", "available", "committed"`;
        if (out.length !== 1) throw new DomainError("CONFLICT", `reservation ${r.id} holds less than it claims at ${a.locationId}`);
        const o = out[0]!;
        const base = { shop: args.shop, variantId: a.variantId, locationId: a.locationId, source: "reservation" as const, reason: `order ${args.externalOrderId} created in Shopify`, reference: args.reference ?? r.id, actor: args.actor, occurredAt: now };
        ledger.push({ ...base, quantityName: "held", delta: -a.quantity, resulting: Number(o.held) }, { ...base, quantityName: "available", delta: -a.quantity, resulting: Number(o.available) }, { ...base, quantityName: "committed", delta: a.quantity, resulting: Number(o.committed) });
        variants.push(a.variantId);
      }
    }
    await writeLedger(tx, ledger);
    // ATS is unchanged by a commit (held and available drop together) but other views move.
    return { committed: rows.length, variants: [...new Set(variants)] };
  }, TX_OPTIONS);
}

/**
 * committed → consumed: fulfilled.  With `lineKeys`, only those lines (a partial fulfillment).
 *
 * Where Shopify's counts are the truth, Shopify's on_hand/committed carry the physical change and
 * the hub mirrors them from the level webhooks.  At a location whose stock the hub owns
 * (stockSource "hub") those webhooks are not mirrored, so the hub applies what Shopify did there
 * itself; otherwise its count would keep the sold units and the next reconciling push would put
 * them back in Shopify (stock that is not there: an oversell).  What Shopify did, per allocation of
 * q units at location X, shipped from location Y (`shippedFrom`, the fulfillment's location; X when
 * unknown):
 *  - at X, the commitment ends: committed − q, and when Y ≠ X (the fulfillment order was moved
 *    away from X in Shopify) available + q as well;
 *  - at Y, the units leave: on_hand − q, and when Y ≠ X available − q (Shopify committed them at Y
 *    when the fulfillment order moved there, and let go of them when it shipped).
 * The changes are relative (one UPDATE … SET x = x + d each), so a reservation or a count on the same
 * level at the same moment is never undone.  Each hub-owned level touched is then pushed (a `changed`
 * push of those items, its record of Shopify's figure cleared): the hub does not assume what Shopify
 * holds after the shipment, it reads it.
 */
export async function consumeOrder(deps: { db: Db; now?: () => Date }, args: { shop: string; channelId: string; externalOrderId: string; lineKeys?: string[]; shippedFrom?: string | null }) {
  const now = deps.now?.() ?? new Date();
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.reservation.findMany({
      where: { shop: args.shop, channelId: args.channelId, externalOrderId: args.externalOrderId, status: "committed", ...(args.lineKeys ? { lineKey: { in: args.lineKeys } } : {}) },
      select: { id: true },
    });
    let consumed = 0;
    // (variant, location) → the deltas to apply, with the reservation that caused them.
    const deltas = new Map<string, { variantId: string; locationId: string; onHand: number; available: number; committed: number; reference: string }>();
    const add = (variantId: string, locationId: string, reference: string, d: { onHand?: number; available?: number; committed?: number }) => {
      const key = `${variantId}|${locationId}`;
      const cur = deltas.get(key) ?? { variantId, locationId, onHand: 0, available: 0, committed: 0, reference };
      cur.onHand += d.onHand ?? 0;
      cur.available += d.available ?? 0;
      cur.committed += d.committed ?? 0;
      deltas.set(key, cur);
    };
    const hubOwnedCache = new Map<string, boolean>();
    const isHubOwned = async (locationId: string) => {
      if (!hubOwnedCache.has(locationId)) hubOwnedCache.set(locationId, (await tx.location.count({ where: { shop: args.shop, id: locationId, stockSource: "hub" } })) === 1);
      return hubOwnedCache.get(locationId)!;
    };
    for (const r of rows) {
      // Claimed one by one: a redelivered fulfillment, or two at once, consumes a line once.
      const claim = await tx.reservation.updateMany({ where: { id: r.id, status: "committed" }, data: { status: "consumed" } });
      if (claim.count !== 1) continue;
      consumed++;
      for (const a of await tx.reservationAllocation.findMany({ where: { reservationId: r.id } })) {
        const from = args.shippedFrom ?? a.locationId;
        const moved = from !== a.locationId;
        if (await isHubOwned(a.locationId)) add(a.variantId, a.locationId, r.id, { committed: -a.quantity, available: moved ? a.quantity : 0 });
        if (await isHubOwned(from)) add(a.variantId, from, r.id, { onHand: -a.quantity, available: moved ? -a.quantity : 0 });
      }
    }
    const ledger: LedgerInput[] = [];
    const pushes = new Map<string, string[]>();
    for (const d of deltas.values()) {
      if (d.onHand === 0 && d.available === 0 && d.committed === 0) continue;
      const where = { variantId_locationId: { variantId: d.variantId, locationId: d.locationId } };
      if (!(await tx.inventoryLevel.findUnique({ where, select: { id: true } }))) continue; // nothing stocked there in the hub: the push reconciles it
      const after = await tx.inventoryLevel.update({
        where,
        data: { onHand: { increment: d.onHand }, available: { increment: d.available }, committed: { increment: d.committed }, version: { increment: 1 } },
        select: { onHand: true, available: true, committed: true },
      });
      const base = { shop: args.shop, variantId: d.variantId, locationId: d.locationId, source: "reservation" as const, reason: `order ${args.externalOrderId} shipped (the hub owns this location's stock)`, reference: d.reference, actor: "system:fulfillment", occurredAt: now };
      if (d.onHand) ledger.push({ ...base, quantityName: "on_hand", delta: d.onHand, resulting: after.onHand });
      if (d.available) ledger.push({ ...base, quantityName: "available", delta: d.available, resulting: after.available });
      if (d.committed) ledger.push({ ...base, quantityName: "committed", delta: d.committed, resulting: after.committed });
      pushes.set(d.locationId, [...(pushes.get(d.locationId) ?? []), d.variantId]);
    }
    await writeLedger(tx, ledger);
    for (const [locationId, variantIds] of pushes) await requestInventoryPush(tx, args.shop, locationId, now, { variantIds });
    if (pushes.size) await markAtsChanged(tx, args.shop, [...new Set([...pushes.values()].flat())], now);
    return { consumed };
  }, TX_OPTIONS);
}

/**
 * An order's lines changed at the channel (a Shopify order edit): make its reservation match.
 * Lines that are unchanged keep their reservation untouched.  Lines that went away or changed
 * (quantity or SKU), and lines refused before, are dropped in one transaction: held units are
 * given back under the guard; a committed line only disappears, because Shopify's committed
 * quantity changed with the edit and its next absolute level for the item carries that.  Then the
 * new and changed lines are reserved like any order's (committed lines apply the mirror at once).
 * Consumed (fulfilled) lines are never touched.  Routing afterwards is the caller's.
 */
export async function resyncOrderReservation(
  deps: { db: Db; now: () => Date; random?: () => number },
  args: { shop: string; channelId: string; externalOrderId: string; lines: OrderLineInput[]; reason: string; actor: string },
) {
  const want = new Map(args.lines.map((l) => [l.lineKey, l]));
  const dropped = await deps.db.$transaction(async (tx) => {
    const rows = await tx.reservation.findMany({ where: { shop: args.shop, channelId: args.channelId, externalOrderId: args.externalOrderId } });
    const variants = await tx.variant.findMany({ where: { shop: args.shop, sku: { in: args.lines.map((l) => l.sku) } }, select: { id: true, sku: true } });
    const variantOf = new Map(variants.map((v) => [v.sku, v.id]));
    const drop = rows.filter((r) => {
      if (r.status === "consumed") return false;
      const w = want.get(r.lineKey);
      return !w || r.status === "refused" || r.status === "released" || w.quantity !== r.quantity || variantOf.get(w.sku) !== r.variantId;
    });
    const changed: string[] = [];
    const now = deps.now();
    for (const r of drop) {
      if (r.status === "held") changed.push(...(await releaseHeld(tx, r, args.reason, args.actor, now)));
      await tx.reservationAllocation.deleteMany({ where: { reservationId: r.id } });
      await tx.reservation.delete({ where: { id: r.id } });
    }
    if (changed.length) await markAtsChanged(tx, args.shop, [...new Set(changed)], now);
    return { dropped: drop.map((r) => r.lineKey), kept: rows.filter((r) => !drop.includes(r)).map((r) => r.lineKey) };
  }, TX_OPTIONS);
  const kept = new Set(dropped.kept);
  const add = args.lines.filter((l) => !kept.has(l.lineKey));
  if (add.length === 0) return { dropped: dropped.dropped, added: [] as string[], status: "reserved" as const, reason: null };
  const r = await reserveOrder(deps, { shop: args.shop, channelId: args.channelId, externalOrderId: args.externalOrderId, lines: add, actor: args.actor, append: true });
  const reason = r.lines.find((l) => l.status === "refused" && l.reason)?.reason ?? null;
  return { dropped: dropped.dropped, added: add.map((l) => l.lineKey), status: r.status, reason };
}

/** Release every unpaid hold whose time is up.  Safe to run from several workers at once. */
export async function expireHolds(deps: { db: Db; now: () => Date }, args: { shop?: string; limit?: number } = {}) {
  const now = deps.now();
  const due = await deps.db.reservation.findMany({
    where: { status: "held", expiresAt: { lte: now }, ...(args.shop ? { shop: args.shop } : {}) },
    take: args.limit ?? 500,
    orderBy: { expiresAt: "asc" },
  });
  let expired = 0;
  for (const r of due) {
    const done = await deps.db.$transaction(async (tx) => {
      const claim = await tx.reservation.updateMany({ where: { id: r.id, status: "held" }, data: { status: "released", reason: "unpaid hold expired" } });
      if (claim.count !== 1) return false;
      const variants = await releaseHeld(tx, r, "unpaid hold expired", "system:expire-holds", now);
      await markAtsChanged(tx, r.shop, variants, now);
      return true;
    }, TX_OPTIONS);
    if (done) expired++;
  }
  return { expired };
}

/** Raised inside a transaction when stock moved since the caller's snapshot; the caller re-plans. */
export class AllocationConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AllocationConflict";
  }
}

export interface Reallocation {
  /** The order's reservation line → where its units should sit now (components for a kit). */
  lines: { lineKey: string; allocations: { locationId: string; variantId: string; quantity: number }[] }[];
  reason: string;
  actor: string;
}

/**
 * Move an order's reserved units to the locations routing chose, inside the caller's transaction
 * (so the daily-cap slots and the decision commit with it, or nothing does).
 *
 * Only the net change per (SKU, location) is written, in a fixed order, and every increase is
 * guarded like a new hold (`available - held >= n`): if another order took the stock since the
 * routing snapshot, AllocationConflict is thrown and the whole transaction rolls back.
 * Held lines move `held`; committed lines (Shopify's own orders) move the mirrored
 * available → committed, which Shopify's next level for the item confirms after fulfillmentOrderMove.
 */
export async function reallocateOrderTx(tx: DbTx, args: { shop: string; channelId: string; externalOrderId: string; now: Date } & Reallocation) {
  const rows = await tx.reservation.findMany({ where: { shop: args.shop, channelId: args.channelId, externalOrderId: args.externalOrderId, status: { in: ["held", "committed"] } } });
  const byLine = new Map(rows.map((r) => [r.lineKey, r]));
  const deltas = new Map<string, { variantId: string; locationId: string; held: number; committed: number }>();
  const add = (variantId: string, locationId: string, kind: "held" | "committed", q: number) => {
    const k = `${locationId}|${variantId}`;
    const d = deltas.get(k) ?? { variantId, locationId, held: 0, committed: 0 };
    d[kind] += q;
    deltas.set(k, d);
  };
  const replaced: { reservationId: string; allocations: Reallocation["lines"][number]["allocations"] }[] = [];
  for (const line of args.lines) {
    const r = byLine.get(line.lineKey);
    if (!r) throw DomainError.invalid("lines.lineKey", `order ${args.externalOrderId} has no active reservation for line ${line.lineKey}`);
    const kind = r.status as "held" | "committed";
    for (const a of await allocationsOf(tx, r.id)) add(a.variantId, a.locationId, kind, -a.quantity);
    for (const a of line.allocations) add(a.variantId, a.locationId, kind, a.quantity);
    replaced.push({ reservationId: r.id, allocations: line.allocations });
  }
  const ledger: LedgerInput[] = [];
  const changed = new Set<string>();
  const ordered = [...deltas.values()].filter((d) => d.held !== 0 || d.committed !== 0).sort((a, b) => (a.locationId + a.variantId < b.locationId + b.variantId ? -1 : 1));
  for (const d of ordered) {
    const base = { shop: args.shop, variantId: d.variantId, locationId: d.locationId, source: "reservation" as const, reason: args.reason, reference: args.externalOrderId, actor: args.actor, occurredAt: args.now };
    if (d.held !== 0) {
      const rows =
        d.held > 0
          ? await tx.$queryRaw<{ held: number | bigint }[]>`
              UPDATE "InventoryLevel" SET "held" = "held" + ${d.held}, "version" = "version" + 1
              WHERE "shop" = ${args.shop} AND "variantId" = ${d.variantId} AND "locationId" = ${d.locationId} AND "available" - "held" >= ${d.held}
              RETURNING "held"`
          : await tx.$queryRaw<{ held: number | bigint }[]>`
              UPDATE "InventoryLevel" SET "held" = "held" - ${-d.held}, "version" = "version" + 1
              WHERE "shop" = ${args.shop} AND "variantId" = ${d.variantId} AND "locationId" = ${d.locationId} AND "held" >= ${-d.held}
              RETURNING "held"`;
      if (rows.length !== 1) throw new AllocationConflict(`stock of ${d.variantId} at ${d.locationId} moved since routing looked`);
      ledger.push({ ...base, quantityName: "held", delta: d.held, resulting: Number(rows[0]!.held) });
    }
    if (d.committed !== 0) {
      // Moving a commitment away gives the units back to `available` unguarded: Shopify sold them
      // there and its next absolute level is the truth either way.
      const rows =
        d.committed > 0
          ? await tx.$queryRaw<{ available: number | bigint; committed: number | bigint }[]>`
              UPDATE "InventoryLevel" SET "available" = "available" - ${d.committed}, "committed" = "committed" + ${d.committed}, "version" = "version" + 1
              WHERE "shop" = ${args.shop} AND "variantId" = ${d.variantId} AND "locationId" = ${d.locationId} AND "available" - "held" >= ${d.committed}
              RETURNING "available", "committed"`
          : await tx.$queryRaw<{ available: number | bigint; committed: number | bigint }[]>`
              UPDATE "InventoryLevel" SET "available" = "available" + ${-d.committed}, "committed" = "committed" - ${-d.committed}, "version" = "version" + 1
              WHERE "shop" = ${args.shop} AND "variantId" = ${d.variantId} AND "locationId" = ${d.locationId}
              RETURNING "available", "committed"`;
      if (rows.length !== 1) throw new AllocationConflict(`stock of ${d.variantId} at ${d.locationId} moved since routing looked`);
      ledger.push({ ...base, quantityName: "available", delta: -d.committed, resulting: Number(rows[0]!.available) }, { ...base, quantityName: "committed", delta: d.committed, resulting: Number(rows[0]!.committed) });
    }
    changed.add(d.variantId);
  }
  for (const r of replaced) {
    await tx.reservationAllocation.deleteMany({ where: { reservationId: r.reservationId } });
    await tx.reservationAllocation.createMany({
      data: r.allocations.map((a) => ({ id: randomUUID(), shop: args.shop, reservationId: r.reservationId, variantId: a.variantId, locationId: a.locationId, quantity: a.quantity })),
    });
  }
  await writeLedger(tx, ledger);
  if (changed.size) await markAtsChanged(tx, args.shop, [...changed], args.now);
  return { moved: ordered.length };
}

/** Where an order's reserved units sit now, per line (for routing and the order page). */
export async function orderAllocations(db: Q, args: { shop: string; channelId: string; externalOrderId: string }) {
  const rows = await db.reservation.findMany({ where: { shop: args.shop, channelId: args.channelId, externalOrderId: args.externalOrderId }, orderBy: { lineKey: "asc" } });
  const allocs = rows.length ? await db.reservationAllocation.findMany({ where: { reservationId: { in: rows.map((r) => r.id) } } }) : [];
  return rows.map((r) => ({
    lineKey: r.lineKey,
    reservationId: r.id,
    variantId: r.variantId,
    quantity: r.quantity,
    status: r.status as LineOutcome["status"],
    reason: r.reason,
    expiresAt: r.expiresAt,
    allocations: allocs.filter((a) => a.reservationId === r.id).map((a) => ({ locationId: a.locationId, variantId: a.variantId, quantity: a.quantity })),
  }));
}
