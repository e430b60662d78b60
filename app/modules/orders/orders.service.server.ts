import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { AllocationConflict, orderAllocations, reallocateOrderTx, releaseOrder, reserveOrder } from "#app/modules/inventory/index";
import {
  CapacityTaken,
  DEFAULT_PROFILE,
  getActive,
  loadRoutingNetwork,
  localTimeIn,
  recordDecisionTx,
  returnSlotsTx,
  routeOrder,
  sameUnroutableOutcome,
  decisionsFor,
  latestDecisionSequence,
  takeSlotsTx,
  unroutableDecision,
  type LoadedNetwork,
  type RoutingDecision,
  type SpeedClass,
  type StoredDecision,
} from "#app/modules/routing/index";
import { isRetryableDbError, isUniqueViolation, type Db, type DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { domainErrorFromZod } from "#app/platform/http.server";
import type { Logger } from "#app/platform/logger.server";
import { writeOutbox } from "#app/platform/outbox.server";
import { locate } from "./domain/centroids";
import { planToAllocations, slotsFor, toRoutingOrder, type HubOrder, type OrderStatus } from "./domain/order";

/**
 * Order intake from any channel: record the order (idempotent on channel + external id), reserve
 * its lines at once, then route it — moving the reservation to the chosen locations and taking
 * daily-cap slots in the same transaction as the decision, so stock, capacity and the recorded
 * decision can never disagree.  Flow: ARCHITECTURE.md "order arrives"; docs/routing.md.
 */
const SPEEDS = ["standard", "expedited", "same_day", "pickup"] as const;

export const orderIntakeSchema = z.object({
  channel: z.string().min(1, "is required (a channel code such as online, amazon-us, portal)"),
  externalOrderId: z.string().min(1, "is required"),
  name: z.string().min(1).optional(),
  placedAt: z.coerce.date().optional(),
  speed: z.enum(SPEEDS).default("standard"),
  b2b: z.boolean().default(false),
  companyId: z.string().nullish(),
  customerRef: z.string().nullish(),
  customerTags: z.array(z.string()).default([]),
  destination: z.object({
    countryCode: z.string().length(2, "must be an ISO 3166-1 alpha-2 code such as US"),
    provinceCode: z.string().nullish(),
    zip: z.string().nullish(),
    city: z.string().nullish(),
    lat: z.number().min(-90).max(90).nullish(),
    lng: z.number().min(-180).max(180).nullish(),
  }),
  pickupLocationId: z.string().nullish(),
  valueCents: z.number().int().min(0).optional(),
  currencyCode: z.string().length(3).default("USD"),
  /** Paid orders hold stock until fulfilled or cancelled; unpaid ones for the channel's hold TTL. */
  paid: z.boolean().default(false),
  lines: z
    .array(
      z.object({
        lineKey: z.string().min(1, "is required"),
        sku: z.string().min(1, "is required"),
        quantity: z.number().int("must be a whole number").min(1, "must be at least 1"),
        title: z.string().optional(),
        priceCents: z.number().int().min(0).default(0),
      }),
    )
    .min(1, "an order needs at least one line"),
});
export type OrderIntake = z.input<typeof orderIntakeSchema>;

export interface OrdersDeps {
  db: Db;
  now: () => Date;
  logger?: Logger;
  random?: () => number;
}

export interface IntakeResult {
  orderId: string;
  duplicate: boolean;
  status: OrderStatus;
  decision: StoredDecision | null;
  /** An automatic re-route that ended unroutable for the same reason: nothing was recorded, `decision` is the current one. */
  unchanged?: boolean;
}

/**
 * Why an order is routed: taken in, re-routed on request (channel facts, a person), or re-routed
 * on its own after something that may have fixed its cause ("auto-reroute", the unroutable sweep).
 */
export type RouteTrigger = "intake" | "reroute" | "manual" | "auto-reroute";

const ROUTE_ATTEMPTS = 8;

/**
 * The order changed between a routing attempt's read and its transaction: cancelled, or routed by
 * another attempt (a person's re-route, the sweep).  The transaction rolls back — no decision, no
 * moved hold, no Shopify outbox row — and the attempt reads the order again.
 */
class OrderChangedMeanwhile extends Error {
  constructor(name: string, wasStatus: string) {
    super(`order ${name} changed while it was being routed (it was ${wasStatus})`);
    this.name = "OrderChangedMeanwhile";
  }
}

/** Statuses of orders the hub records but holds no stock for (another party ships them, or they are history). */
export const RECORD_ONLY_STATUSES = ["fulfilled_by_channel", "fulfilled", "closed", "cancelled"] as const;
export type RecordOnlyStatus = (typeof RECORD_ONLY_STATUSES)[number];

type RecordedRows =
  | { existing: null; orderId: string; input: z.output<typeof orderIntakeSchema>; channel: { id: string; kind: string } }
  | { existing: { id: string; status: string }; raced: boolean };

/**
 * Check an order and write its rows (order + lines), or find it when the channel already sent it
 * (unique on channel + external id, so two deliveries at once record it once).  The bad field is
 * named; nothing is written when the input is wrong.
 */
async function recordOrderRows(deps: OrdersDeps, shop: string, raw: OrderIntake, state: { status: OrderStatus; statusReason: string | null }): Promise<RecordedRows> {
  const parsed = orderIntakeSchema.safeParse(raw);
  if (!parsed.success) throw domainErrorFromZod(parsed.error, "order");
  const input = parsed.data;
  const channel = await deps.db.channel.findFirst({ where: { shop, code: input.channel } });
  if (!channel) throw DomainError.invalid("order.channel", `no channel "${input.channel}" in this shop`);
  if (input.speed === "pickup") {
    if (!input.pickupLocationId) throw DomainError.invalid("order.pickupLocationId", "a pickup order needs the store the customer chose");
    const store = await deps.db.location.findFirst({ where: { shop, id: input.pickupLocationId } });
    if (!store) throw DomainError.invalid("order.pickupLocationId", `no location ${input.pickupLocationId} in this shop`);
  }
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    if (seen.has(l.lineKey)) throw DomainError.invalid(`order.lines.${i}.lineKey`, `"${l.lineKey}" appears twice`);
    seen.add(l.lineKey);
  });
  const where = locate(input.destination);
  if (!where) throw DomainError.invalid("order.destination", `no coordinates and no known centroid for country ${input.destination.countryCode}; send lat/lng`);

  const existing = await deps.db.order.findUnique({ where: { channelId_externalOrderId: { channelId: channel.id, externalOrderId: input.externalOrderId } } });
  if (existing) return { existing, raced: false };

  const now = deps.now();
  const orderId = randomUUID();
  const destination = {
    countryCode: input.destination.countryCode.toUpperCase(),
    provinceCode: input.destination.provinceCode ?? null,
    zip: input.destination.zip ?? null,
    city: input.destination.city ?? null,
    lat: where.lat,
    lng: where.lng,
    geocode: where.source,
  };
  try {
    await deps.db.$transaction(async (tx) => {
      await tx.order.create({
        data: {
          id: orderId,
          shop,
          channelId: channel.id,
          externalOrderId: input.externalOrderId,
          name: input.name ?? input.externalOrderId,
          status: state.status,
          statusReason: state.statusReason,
          speed: input.speed,
          // A B2B channel's orders are B2B whatever the payload says (a portal PO has no flag).
          b2b: input.b2b || channel.kind === "b2b_portal" || channel.kind === "shopify_b2b",
          companyId: input.companyId ?? null,
          customerRef: input.customerRef ?? null,
          customerTags: input.customerTags.map((t) => t.trim().toLowerCase()).filter(Boolean).join(","),
          destination: JSON.stringify(destination),
          pickupLocationId: input.pickupLocationId ?? null,
          valueCents: input.valueCents ?? input.lines.reduce((s, l) => s + l.priceCents * l.quantity, 0),
          currencyCode: input.currencyCode,
          placedAt: input.placedAt ?? now,
        },
      });
      await tx.orderLine.createMany({
        data: input.lines.map((l) => ({ id: randomUUID(), shop, orderId, lineKey: l.lineKey, sku: l.sku, title: l.title ?? "", quantity: l.quantity, priceCents: l.priceCents })),
      });
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // The same order arrived twice at once: the other delivery recorded it (and, for intake, routes it).
    const winner = await deps.db.order.findUniqueOrThrow({ where: { channelId_externalOrderId: { channelId: channel.id, externalOrderId: input.externalOrderId } } });
    return { existing: winner, raced: true };
  }
  return { existing: null, orderId, input, channel };
}

/**
 * Record an order the hub holds no stock for: one a marketplace ships from its own stock (Amazon
 * FBA), or history (closed, fulfilled or cancelled before the hub saw it).  It shows in the orders
 * list and the customer's history; nothing is reserved or routed.  It does not count in routing's
 * weekly demand, which is per location and read from reservations: the hub does not know which
 * location fulfilled a history order (docs/routing.md, "Weekly demand").
 */
export async function recordOrderWithoutStock(deps: OrdersDeps, shop: string, raw: OrderIntake, args: { status: RecordOnlyStatus; reason: string; actor: string }): Promise<{ orderId: string; duplicate: boolean }> {
  const recorded = await recordOrderRows(deps, shop, raw, { status: args.status, statusReason: args.reason });
  if (recorded.existing) return { orderId: recorded.existing.id, duplicate: true };
  deps.logger?.info("order recorded without stock", { shop, orderId: recorded.orderId, externalOrderId: recorded.input.externalOrderId, status: args.status, actor: args.actor });
  return { orderId: recorded.orderId, duplicate: false };
}

/** Record, reserve and route an order.  A second delivery of the same order changes nothing. */
export async function intakeOrder(deps: OrdersDeps, shop: string, raw: OrderIntake, actor: string): Promise<IntakeResult> {
  const recorded = await recordOrderRows(deps, shop, raw, { status: "received", statusReason: null });
  if (recorded.existing) {
    const existing = recorded.existing;
    // Reserved but never routed: the first delivery's routing threw (the database went away, stock
    // kept moving) after the stock was held.  The channel's redelivery, or the job's retry, is what
    // finishes it — otherwise nothing ever would.  Routing is safe to run twice (ADR 009).
    if (!recorded.raced && existing.status === "reserved") {
      const routed = await routeExistingOrder(deps, shop, existing.id, { trigger: "intake", actor });
      return { ...routed, duplicate: true };
    }
    return { orderId: existing.id, duplicate: true, status: existing.status as OrderStatus, decision: recorded.raced ? null : ((await decisionsFor(deps.db, shop, existing.id))[0] ?? null) };
  }
  const { orderId, input, channel } = recorded;

  const reserved = await reserveOrder(deps, {
    shop,
    channelId: channel.id,
    externalOrderId: input.externalOrderId,
    lines: input.lines.map((l) => ({ lineKey: l.lineKey, sku: l.sku, quantity: l.quantity })),
    ...(input.paid ? { expiresAt: null } : {}),
    actor,
  });
  // Guarded on "received": the order may have been cancelled since it was recorded (a cancel
  // webhook, a person), and a cancel is never written over.
  if (reserved.status === "refused") {
    const reason = reserved.lines.find((l) => l.status === "refused" && l.reason)?.reason ?? "refused";
    const r = await deps.db.order.updateMany({ where: { id: orderId, shop, status: "received" }, data: { status: "refused", statusReason: reason } });
    if (r.count !== 1) return changedDuringIntake(deps, shop, orderId, actor);
    return { orderId, duplicate: false, status: "refused", decision: null };
  }
  const r = await deps.db.order.updateMany({ where: { id: orderId, shop, status: "received" }, data: { status: "reserved" } });
  if (r.count !== 1) return changedDuringIntake(deps, shop, orderId, actor);
  return routeExistingOrder(deps, shop, orderId, { trigger: "intake", actor });
}

/**
 * The order left "received" while intake was reserving it: only a cancel does that.  The cancel may
 * have released the order's holds before intake made them, so they are released again (a no-op
 * otherwise), and the order is left as the cancel put it.
 */
async function changedDuringIntake(deps: OrdersDeps, shop: string, orderId: string, actor: string): Promise<IntakeResult> {
  const order = await deps.db.order.findFirstOrThrow({ where: { id: orderId, shop } });
  if (order.status === "cancelled") {
    await releaseOrder(deps, { shop, channelId: order.channelId, externalOrderId: order.externalOrderId, reason: order.statusReason ?? "cancelled while it was being taken in", actor });
  }
  deps.logger?.info("order changed during intake: left as it is", { shop, orderId, name: order.name, status: order.status });
  return { orderId, duplicate: false, status: order.status as OrderStatus, decision: (await decisionsFor(deps.db, shop, orderId))[0] ?? null };
}

/** The order as routing sees it, loaded from the tables. */
async function loadHubOrder(db: Db, shop: string, orderId: string) {
  const order = await db.order.findFirst({ where: { id: orderId, shop } });
  if (!order) throw DomainError.notFound(`order ${orderId}`);
  const [lines, channel] = await Promise.all([
    db.orderLine.findMany({ where: { orderId }, orderBy: { lineKey: "asc" } }),
    db.channel.findUniqueOrThrow({ where: { id: order.channelId } }),
  ]);
  const dest = JSON.parse(order.destination) as HubOrder["destination"] & { city?: string | null; geocode?: string };
  const hub: HubOrder = {
    id: order.id,
    channelCode: channel.code,
    b2b: order.b2b,
    companyId: order.companyId,
    speed: order.speed as SpeedClass,
    destination: { countryCode: dest.countryCode, provinceCode: dest.provinceCode, zip: dest.zip, lat: dest.lat, lng: dest.lng },
    pickupLocationId: order.pickupLocationId,
    valueCents: order.valueCents,
    customerTags: order.customerTags ? order.customerTags.split(",") : [],
    lines: lines.map((l) => ({ lineKey: l.lineKey, sku: l.sku, quantity: l.quantity })),
  };
  return { order, channel, hub };
}

/**
 * Route (or re-route) an order under the shop's active profile.  Stock the order already holds
 * counts as available to it, so re-routing can keep or move it.  When another worker takes the
 * stock or the last daily slot between our snapshot and our transaction, the transaction rolls
 * back and we route again on fresh numbers.
 *
 * Every attempt that gets as far as deciding leaves a decision and a status the merchant sees:
 * when routing cannot place the order — no active profile, a line that holds no stock, a kit the
 * catalog no longer describes, a configuration it cannot read — the order is `unroutable` with the
 * reason, its reservation stays exactly where it is (never released, never moved), and a re-route
 * after the fix routes it.  Only the database failing, or stock that kept moving through every
 * attempt, still throws (and the order says so when it was never routed).
 */
export async function routeExistingOrder(deps: OrdersDeps, shop: string, orderId: string, args: { trigger: RouteTrigger; actor: string }): Promise<IntakeResult> {
  const random = deps.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    const { order, channel, hub } = await loadHubOrder(deps.db, shop, orderId);
    if (order.status === "cancelled" || order.status === "refused" || (RECORD_ONLY_STATUSES as readonly string[]).includes(order.status)) {
      throw new DomainError("CONFLICT", `order ${order.name} is ${order.status.replaceAll("_", " ")}; there is nothing to route`);
    }
    // The sweep re-routes unroutable orders only: one that a person (or another attempt) routed
    // since the sweep listed it keeps that decision.
    if (args.trigger === "auto-reroute" && order.status !== "unroutable") {
      throw new DomainError("CONFLICT", `order ${order.name} is ${order.status.replaceAll("_", " ")} now, no longer unroutable: the sweep leaves it`);
    }
    const reservation = await orderAllocations(deps.db, { shop, channelId: channel.id, externalOrderId: order.externalOrderId });
    const now = deps.now();
    const { decision, loaded } = await decide(deps, shop, { order, channel, hub, reservation, now });
    const previous = (await decisionsFor(deps.db, shop, orderId))[0] ?? null;
    // An automatic re-route that changes nothing records nothing: the order keeps its latest
    // decision and reason (a person's re-route is always recorded — they asked and look for it).
    if (args.trigger === "auto-reroute" && order.status === "unroutable" && sameUnroutableOutcome(previous, decision)) {
      return { orderId, duplicate: false, status: "unroutable", decision: previous, unchanged: true };
    }
    const caps = new Map((loaded?.network.locations ?? []).map((l) => [l.id, l.dailyCap]));
    const slots = decision.plan && loaded ? slotsFor(decision.plan, hub.speed, caps, loaded.localDates) : [];
    try {
      const stored = await deps.db.$transaction(
        async (tx) => {
          // Claim the order first, on the status this attempt read (outside the transaction): a
          // cancel, or another attempt, that committed since then matches no row, and nothing below
          // is written.  First, so that on Postgres the row lock also makes a concurrent cancel or
          // routing attempt wait for this transaction and then find the status changed.  The
          // decision this one replaces must still be the newest too (its slots go back below).
          const claimed = await tx.order.updateMany({
            where: { id: orderId, shop, status: order.status },
            data: { status: decision.status, routedAt: decision.status === "routed" ? now : order.routedAt, queue: decision.queue, statusReason: decision.reason },
          });
          if (claimed.count !== 1 || (await latestDecisionSequence(tx, shop, orderId)) !== (previous?.sequence ?? 0)) throw new OrderChangedMeanwhile(order.name, order.status);
          if (decision.status === "routed" && decision.plan && loaded) {
            await reallocateOrderTx(tx, {
              shop,
              channelId: channel.id,
              externalOrderId: order.externalOrderId,
              lines: planToAllocations(decision.plan, loaded.requirements),
              reason: `routed by rule ${decision.ruleId} (${args.trigger})`,
              actor: args.actor,
              now,
            });
            // Slots of the previous plan are given back first (same local day only: yesterday's
            // shipments were yesterday's work).
            if (previous?.slots.length) await returnSlotsTx(tx, shop, previous.slots.filter((s) => s.day === loaded.localDates.get(s.locationId)));
            await takeSlotsTx(tx, shop, slots);
          }
          // Not routed: nothing moves — the hold stays where it is and so do the slots it came with.
          const rec = await recordDecisionTx(tx, shop, { orderId, profileKey: DEFAULT_PROFILE, decision, trigger: args.trigger, actor: args.actor, slots: decision.status === "routed" ? slots.map(({ locationId, day }) => ({ locationId, day })) : (previous?.slots ?? []), now });
          if (decision.status === "routed" && decision.plan) await writeShopifyOutboxTx(tx, shop, { order, channel, sequence: rec.sequence, locationIds: decision.plan.shipments.map((s) => s.locationId) });
          return rec;
        },
        { maxWait: 20_000, timeout: 20_000 },
      );
      if (decision.status === "unroutable") deps.logger?.warn("order unroutable", { shop, orderId, name: order.name, reason: decision.reason, attempt });
      else deps.logger?.info("order routed", { shop, orderId, name: order.name, status: decision.status, rule: decision.ruleId, attempt });
      return { orderId, duplicate: false, status: decision.status, decision: stored };
    } catch (e) {
      const raced = e instanceof AllocationConflict || e instanceof CapacityTaken || e instanceof OrderChangedMeanwhile || isUniqueViolation(e) || isRetryableDbError(e);
      if (raced && attempt < ROUTE_ATTEMPTS) {
        await sleep(Math.floor(random() * 10 * attempt));
        continue;
      }
      if (raced) {
        const message = `stock or capacity kept changing over ${ROUTE_ATTEMPTS} routing attempts`;
        // An order routed before keeps its current decision; one never routed says why it is
        // still only reserved (the order page and `oms route` show it; a re-route retries).
        await deps.db.order.updateMany({ where: { id: orderId, shop, status: "reserved" }, data: { statusReason: `not routed yet: ${message}; re-route it` } });
        throw new DomainError("CONFLICT", `order ${order.name}: ${message}; retry`);
      }
      throw e;
    }
  }
}

const ACTIVE_RESERVATION = ["held", "committed"];

/**
 * The decision for an order, or why routing cannot make one (an unroutable decision with the
 * reason; `loaded` is then null).  Lines that have shipped (their reservation consumed) are not
 * routed again.
 */
async function decide(
  deps: OrdersDeps,
  shop: string,
  ctx: { order: { name: string }; channel: { id: string; eligibleLocationIds: string }; hub: HubOrder; reservation: Awaited<ReturnType<typeof orderAllocations>>; now: Date },
): Promise<{ decision: RoutingDecision; loaded: LoadedNetwork | null }> {
  const { hub, reservation } = ctx;
  const active = await getActive(deps.db, shop, DEFAULT_PROFILE);
  const cannot = (reason: string) => ({ decision: unroutableDecision(hub.id, active ? active.profile : null, reason), loaded: null });
  if (!active) {
    return cannot("no active routing profile: activate one on the Routing page (or `oms routing activate <version>`), then re-route; the order's stock stays reserved where intake found it");
  }

  const byLine = new Map(reservation.map((r) => [r.lineKey, r]));
  const shipped = hub.lines.filter((l) => byLine.get(l.lineKey)?.status === "consumed");
  const lines = hub.lines.filter((l) => ACTIVE_RESERVATION.includes(byLine.get(l.lineKey)?.status ?? ""));
  if (lines.length === 0 && shipped.length === hub.lines.length) {
    throw new DomainError("CONFLICT", `order ${ctx.order.name}: every line has shipped; there is nothing to route`);
  }
  const holdingNothing = hub.lines.filter((l) => !shipped.includes(l) && !lines.includes(l));
  if (holdingNothing.length) {
    const what = holdingNothing.map((l) => {
      const r = byLine.get(l.lineKey);
      return `line ${l.lineKey} (${l.sku} ×${l.quantity}) holds no stock${r ? ` (its reservation is ${r.status}${r.reason ? `: ${r.reason}` : ""})` : ""}`;
    });
    return cannot(`${what.join("; ")}: routing moves an order's reservation and cannot make a new one — cancel the order, or edit its lines in the channel so they are reserved again`);
  }

  const own = reservation.filter((r) => ACTIVE_RESERVATION.includes(r.status)).flatMap((r) => r.allocations);
  try {
    const loaded = await loadRoutingNetwork(deps.db, shop, ctx.now, {
      skus: lines.map((l) => l.sku),
      locationIds: JSON.parse(ctx.channel.eligibleLocationIds) as string[],
      ownAllocations: own,
    });
    const broken = lines.filter((l) => loaded.skuProblems.has(l.sku));
    if (broken.length) return cannot(`${broken.map((l) => `line ${l.lineKey}: ${loaded.skuProblems.get(l.sku)}`).join("; ")}; then re-route`);
    const decision = routeOrder(toRoutingOrder({ ...hub, lines }, loaded.skuInfo), loaded.network, active.profile);
    return { decision, loaded };
  } catch (e) {
    // Input routing refuses (a profile that no longer validates, an order it cannot read): the
    // order says why instead of failing its intake for good (an INVALID error is not retried).
    if (e instanceof DomainError && e.kind === "INVALID") return cannot(`routing could not run: ${e.message}; fix it, then re-route`);
    throw e;
  }
}

/**
 * Job names of app/workflows/shopify-writes.server.ts (a module may not import a workflow, so the
 * names are repeated here; the integration test runs the whole path).
 */
const SHOPIFY_SYNC_FULFILLMENT_JOB = "shopify.syncFulfillment";
const SHOPIFY_CREATE_ORDER_JOB = "shopify.createOrder";

/**
 * Tell Shopify about a routing decision, in the decision's transaction (transactional outbox):
 *  - Shopify's own orders (the channel does not hold stock; the external id is the order's gid):
 *    move its fulfillment orders to the routed locations;
 *  - other channels' orders (hubHoldsStock): create the order in Shopify (once), then the same.
 * Only when a routed location is linked to a Shopify location: a shop without Shopify (or a plan
 * entirely outside it) has nothing to tell.  The job drops a decision that is no longer the newest.
 */
async function writeShopifyOutboxTx(
  tx: DbTx,
  shop: string,
  args: { order: { id: string; externalOrderId: string }; channel: { hubHoldsStock: boolean }; sequence: number; locationIds: string[] },
) {
  const shopifyOrder = args.order.externalOrderId.startsWith("gid://shopify/Order/");
  if (!args.channel.hubHoldsStock && !shopifyOrder) return;
  const linked = await tx.location.count({ where: { shop, id: { in: [...new Set(args.locationIds)] }, shopifyLocationId: { not: null } } });
  if (linked === 0) return;
  await writeOutbox(tx, {
    shop,
    topic: args.channel.hubHoldsStock ? SHOPIFY_CREATE_ORDER_JOB : SHOPIFY_SYNC_FULFILLMENT_JOB,
    payload: { shop, orderId: args.order.id, decisionSequence: args.sequence },
    // One Shopify write per order at a time: a re-route's job waits for the previous one.
    jobKey: `shopify-order:${args.order.id}`,
  });
}

/**
 * Cancel an order anywhere: its holds go back and today's daily-cap slots are returned.
 *
 * The status is claimed first, guarded on the status read (a routing attempt that committed since
 * then is seen, and the cancel reads the order again), and the holds are released after that
 * commits: from then on a routing attempt that read the order earlier finds it changed and writes
 * nothing, so no route can move a hold the cancel is releasing.  A cancel interrupted between the
 * two steps is finished by the next call (releasing is idempotent).
 */
export async function cancelOrder(deps: OrdersDeps, shop: string, orderId: string, args: { reason: string; actor: string }) {
  for (let attempt = 1; ; attempt++) {
    const order = await deps.db.order.findFirst({ where: { id: orderId, shop } });
    if (!order) throw DomainError.notFound(`order ${orderId}`);
    const release = () => releaseOrder(deps, { shop, channelId: order.channelId, externalOrderId: order.externalOrderId, reason: args.reason, actor: args.actor });
    if (order.status === "cancelled") {
      await release();
      return { cancelled: false };
    }
    const now = deps.now();
    const claimed = await deps.db.$transaction(async (tx) => {
      const r = await tx.order.updateMany({ where: { id: orderId, shop, status: order.status }, data: { status: "cancelled", statusReason: args.reason, queue: null } });
      if (r.count !== 1) return false;
      // Read after the claim: the decision of a routing attempt that committed just before counts.
      // Only today's slots come back: a shipment counted on an earlier day was that day's work.
      const latest = (await decisionsFor(tx, shop, orderId))[0];
      const zones = new Map((await tx.location.findMany({ where: { shop, id: { in: (latest?.slots ?? []).map((s) => s.locationId) } }, select: { id: true, timeZone: true } })).map((l) => [l.id, l.timeZone]));
      const today = (latest?.slots ?? []).filter((s) => zones.has(s.locationId) && localTimeIn(zones.get(s.locationId)!, now).date === s.day);
      if (today.length) await returnSlotsTx(tx, shop, today);
      return true;
    });
    if (claimed) {
      await release();
      return { cancelled: true };
    }
    if (attempt >= ROUTE_ATTEMPTS) throw new DomainError("CONFLICT", `order ${order.name} kept changing while it was being cancelled; retry`);
  }
}
