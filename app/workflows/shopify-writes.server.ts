import { isConnectorError } from "#connectors/core/errors";
import type { AdminClient } from "#connectors/shopify/client/admin-client";
import {
  FULFILLMENT_ORDER_HOLD,
  FULFILLMENT_ORDER_LINE_ITEMS_PREPARED_FOR_PICKUP,
  FULFILLMENT_ORDER_MOVE,
  FULFILLMENT_ORDER_ORDER,
  FULFILLMENT_ORDER_RELEASE_HOLD,
  ORDER_CREATE,
  ORDER_FULFILLMENT_ORDERS,
  ORDERS,
} from "#connectors/shopify/client/documents";
import type * as G from "#connectors/shopify/client/generated/admin.generated";
import { commitOrder } from "#app/modules/inventory/index";
import {
  appendOrderEvent,
  holdHandleFor,
  isOwnHold,
  recordFulfillmentOrder,
  shopifyOrderGidOf,
  SHOPIFY_ORDER_CREATED_EVENT,
  type FulfillmentActionJob,
  type RecordedHold,
} from "#app/modules/orders/index";
import { decisionsFor, type RoutingPlan } from "#app/modules/routing/index";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";

/**
 * Writes out to Shopify after routing (issue 5 item 4; ADR 009, 010; brief §2.3, §2.4).
 *
 *  - `shopify.syncFulfillment` — an order Shopify sold (online, POS, B2B): load its fulfillment
 *    orders, link them to the hub order, and move every open one whose assigned location is not
 *    the routed one (`fulfillmentOrderMove`; per line when the plan splits the order).
 *  - `shopify.createOrder` — an order another channel sold (Amazon, the B2B portal): create it in
 *    Shopify once (`orderCreate`, DECREMENT_IGNORING_POLICY; the "never twice" check is a search by
 *    `source_identifier` before every create, so a retry after an unknown outcome finds the first
 *    one), commit the hub's hold (held → committed), then the same fulfillment-order sync.
 *
 *  - `shopify.holdFulfillment`, `shopify.releaseHold`, `shopify.pickupReady` — what a person asks
 *    from the order page (app/modules/orders/fulfillment-actions.service.server.ts; ADR 013).
 *
 * The first two are enqueued through the outbox in the routing transaction with the decision's sequence;
 * a job whose decision is no longer the newest does nothing (the newer one has its own job).
 * Re-running after success does nothing: assigned locations are compared before any move.
 * A refusal (userErrors) is written on the order's timeline and fails the job permanently with
 * the field named.
 */
export const SHOPIFY_SYNC_FULFILLMENT_JOB = "shopify.syncFulfillment";
export const SHOPIFY_CREATE_ORDER_JOB = "shopify.createOrder";

export interface ShopifyOrderWriteJob {
  shop: string;
  orderId: string;
  decisionSequence: number;
}

export interface ShopifyWritesDeps {
  db: Db;
  now: () => Date;
  logger: Logger;
  client: AdminClient;
}

const ACTOR = "shopify.writes";
const SOURCE = "shopify.writes";
/** Sized to keep the query under Shopify's single-query cost limit (1000): about 6 × (3 × 40 + 8). */
const FO_PAGE = 6;
const FO_LINES = 40;

const OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN";

/**
 * The client gives up on a mutation that is not retry-safe when its outcome is unknown (5xx,
 * timeout) and marks it permanent: only the caller can check what happened.  Every job here reads
 * Shopify before it writes (a search by source_identifier, the assigned locations, the hold
 * handles), so a run of the job again is that check: the runner retries it with its backoff.
 */
function retryAfterUnknownOutcome(e: unknown) {
  if (isConnectorError(e) && e.code === OUTCOME_UNKNOWN) return new DomainError("UNAVAILABLE", `${e.message}; the job reads Shopify again before retrying`);
  return e;
}

type FulfillmentOrderNode = NonNullable<G.OmsOrderFulfillmentOrdersQuery["order"]>["fulfillmentOrders"]["nodes"][number];

export type WriteOutcome =
  | { status: "skipped"; reason: string }
  | { status: "done"; shopifyOrderId: string; created?: boolean; moved: MoveSummary[]; unchanged: number; fulfillmentOrders: number };

interface MoveSummary {
  fulfillmentOrderId: string;
  movedFulfillmentOrderId: string | null;
  from: string | null;
  to: string;
  lines: { id: string; sku: string | null; quantity: number }[] | "all";
}

/** The order and its newest decision, or why there is nothing to do. */
async function currentDecision(db: Db, job: ShopifyOrderWriteJob) {
  const skip = (reason: string) => ({ ok: false as const, reason });
  const order = await db.order.findFirst({ where: { id: job.orderId, shop: job.shop } });
  if (!order) return skip(`order ${job.orderId} not found`);
  if (order.status === "cancelled" || order.status === "refused") return skip(`order is ${order.status}`);
  const latest = (await decisionsFor(db, job.shop, job.orderId))[0];
  if (!latest || latest.sequence !== job.decisionSequence) return skip(`decision ${job.decisionSequence} is stale (newest: ${latest?.sequence ?? "none"})`);
  if (latest.status !== "routed" || !latest.plan) return skip(`decision ${latest.sequence} is ${latest.status}`);
  const channel = await db.channel.findUniqueOrThrow({ where: { id: order.channelId } });
  return { ok: true as const, order, channel, decision: latest, plan: latest.plan };
}

/** The job `shopify.syncFulfillment`: an order Shopify sold, moved to where routing put it. */
export async function syncShopifyFulfillment(deps: ShopifyWritesDeps, job: ShopifyOrderWriteJob): Promise<WriteOutcome> {
  const cur = await currentDecision(deps.db, job);
  if (!cur.ok) return skipped(deps, job, cur.reason);
  const { order } = cur;
  if (!order.externalOrderId.startsWith("gid://shopify/Order/")) return skipped(deps, job, `${order.externalOrderId} is not a Shopify order`);
  const r = await moveFulfillmentOrders(deps, job, order.id, order.externalOrderId, cur.plan);
  return { status: "done", shopifyOrderId: order.externalOrderId, ...r };
}

/** The job `shopify.createOrder`: another channel's order, created in Shopify once, committed, then moved. */
export async function createShopifyOrder(deps: ShopifyWritesDeps, job: ShopifyOrderWriteJob): Promise<WriteOutcome> {
  const cur = await currentDecision(deps.db, job);
  if (!cur.ok) return skipped(deps, job, cur.reason);
  const { order, channel, plan } = cur;
  const { db, client } = deps;

  let shopify = await findCreatedOrder(client, channel.code, order.externalOrderId);
  let created = false;
  if (!shopify) {
    const lines = await db.orderLine.findMany({ where: { shop: job.shop, orderId: order.id }, orderBy: { lineKey: "asc" } });
    const variants = new Map((await db.variant.findMany({ where: { shop: job.shop, sku: { in: lines.map((l) => l.sku) } } })).map((v) => [v.sku, v]));
    const lineItems: G.OrderCreateLineItemInput[] = [];
    for (const [i, l] of lines.entries()) {
      const variantId = variants.get(l.sku)?.shopifyVariantId;
      if (!variantId) {
        const error = DomainError.invalid(`order.lines.${i}.sku`, `${l.sku} is not linked to a Shopify variant (run the import), so the order cannot be created in Shopify`);
        await failed(deps, job, "shopify.order_create_failed", { field: `order.lines.${i}.sku`, message: error.message });
        throw error;
      }
      lineItems.push({
        variantId,
        quantity: l.quantity,
        priceSet: { shopMoney: { amount: (l.priceCents / 100).toFixed(2), currencyCode: order.currencyCode as G.CurrencyCode } },
      });
    }
    const dest = JSON.parse(order.destination) as { countryCode: string; provinceCode?: string | null; zip?: string | null; city?: string | null };
    const input: G.OrderCreateOrderInput = {
      lineItems,
      // Immutable after creation: the channel and its order id (the idempotency search reads them).
      sourceName: channel.code,
      sourceIdentifier: order.externalOrderId,
      currency: order.currencyCode as G.CurrencyCode,
      shippingAddress: {
        countryCode: dest.countryCode as G.CountryCode,
        ...(dest.provinceCode ? { provinceCode: dest.provinceCode } : {}),
        ...(dest.zip ? { zip: dest.zip } : {}),
        ...(dest.city ? { city: dest.city } : {}),
      },
      tags: [channel.code],
      // No customer: the hub has no email for marketplace buyers (customer.toUpsert needs one).
    };
    try {
      // Not retry-safe: an unknown outcome throws UNAVAILABLE (OUTCOME_UNKNOWN) and the job's retry
      // searches first.
      const data = await client.mutate(ORDER_CREATE, { order: input });
      const o = data.orderCreate?.order;
      if (!o) throw new DomainError("UNAVAILABLE", "orderCreate returned no order");
      shopify = { id: o.id, name: o.name, sourceName: o.sourceName ?? null, sourceIdentifier: o.sourceIdentifier ?? null };
      created = true;
    } catch (e) {
      if (isConnectorError(e) && !e.retryable && e.code !== OUTCOME_UNKNOWN) {
        await failed(deps, job, "shopify.order_create_failed", { field: e.field ?? null, code: e.code ?? null, message: e.message });
      }
      throw retryAfterUnknownOutcome(e);
    }
  }
  // Idempotent on the order: a second run (or a re-route) appends nothing.
  await appendOrderEvent(db, {
    shop: job.shop,
    orderId: order.id,
    kind: SHOPIFY_ORDER_CREATED_EVENT,
    source: SOURCE,
    occurredAt: deps.now(),
    subjectId: shopify.id,
    sourceEventId: `shopify.orderCreate:${order.id}`,
    summary: { shopifyOrderId: shopify.id, name: shopify.name, sourceName: shopify.sourceName, sourceIdentifier: shopify.sourceIdentifier, foundBySearch: !created },
  });
  // Shopify now counts the units (committed at its location): the hub's hold becomes committed so
  // they are not counted twice.  Only held rows change, so this is a no-op on a re-run.
  await commitOrder({ db, now: deps.now }, { shop: job.shop, channelId: order.channelId, externalOrderId: order.externalOrderId, actor: ACTOR, reference: shopify.id });
  if (created) deps.logger.info("order created in Shopify", { shop: job.shop, orderId: order.id, shopifyOrderId: shopify.id, name: shopify.name });
  const r = await moveFulfillmentOrders(deps, job, order.id, shopify.id, plan);
  return { status: "done", shopifyOrderId: shopify.id, created, ...r };
}

/**
 * The hub order behind a Shopify order the hub created (`shopify.createOrder`), from an order
 * webhook's raw payload (`source_name` = the hub channel's code, `source_identifier` = its order
 * id), or null for an order Shopify sold itself.  Order webhooks and the import must not take such
 * an order in again as an "online" order: the sale is already the other channel's hub order.
 */
export async function hubOrderCreatedInShopify(db: Db, shop: string, payload: unknown) {
  const p = (payload ?? {}) as { source_name?: unknown; source_identifier?: unknown };
  if (typeof p.source_name !== "string" || typeof p.source_identifier !== "string" || !p.source_identifier) return null;
  const channel = await db.channel.findFirst({ where: { shop, code: p.source_name, hubHoldsStock: true } });
  if (!channel) return null;
  return db.order.findUnique({ where: { channelId_externalOrderId: { channelId: channel.id, externalOrderId: p.source_identifier } } });
}

/** The Shopify order created earlier for this channel order, if any ("never twice"). */
async function findCreatedOrder(client: AdminClient, sourceName: string, externalOrderId: string) {
  const quoted = `"${externalOrderId.replace(/["\\]/g, "\\$&")}"`;
  const data = await client.query(ORDERS, { first: 5, query: `source_identifier:${quoted}`, lineItemsFirst: 1 });
  const hit = data.orders.nodes.find((o) => o.sourceIdentifier === externalOrderId && o.sourceName === sourceName);
  return hit ? { id: hit.id, name: hit.name, sourceName: hit.sourceName ?? null, sourceIdentifier: hit.sourceIdentifier ?? null } : null;
}

/**
 * Load the Shopify order's fulfillment orders, record and link them, and move each open one (or
 * its lines) whose assigned location is not the plan's.  Quantities are matched by SKU: a line
 * stays where the plan wants some of it first (so a second run moves nothing), the rest goes to
 * the other shipments' locations.
 */
async function moveFulfillmentOrders(deps: ShopifyWritesDeps, job: ShopifyOrderWriteJob, orderId: string, shopifyOrderId: string, plan: RoutingPlan) {
  const { db, client } = deps;
  const data = await client.query(ORDER_FULFILLMENT_ORDERS, { orderId: shopifyOrderId, first: FO_PAGE, lineItemsFirst: FO_LINES });
  if (!data.order) {
    const error = DomainError.notFound(`Shopify order ${shopifyOrderId}`);
    await failed(deps, job, "shopify.fulfillment_sync_failed", { field: "order.id", message: error.message });
    throw error;
  }
  const fos = data.order.fulfillmentOrders.nodes;
  if (data.order.fulfillmentOrders.pageInfo.hasNextPage) deps.logger.warn("order has more fulfillment orders than one page: only the first are synced", { shop: job.shop, orderId, shopifyOrderId, page: FO_PAGE });
  // Brief trap 12: fulfillment orders appear after Shopify's own routing (order_routing_complete).
  // Retry with the runner's backoff until they exist.
  if (!fos.length) throw new DomainError("UNAVAILABLE", `Shopify order ${shopifyOrderId} has no fulfillment orders yet`);

  const locations = await db.location.findMany({ where: { shop: job.shop }, select: { id: true, shopifyLocationId: true, name: true } });
  const hubByGid = new Map(locations.filter((l) => l.shopifyLocationId).map((l) => [l.shopifyLocationId!, l.id]));
  const gidByHub = new Map(locations.map((l) => [l.id, l.shopifyLocationId]));

  // Record and link every fulfillment order as Shopify shows it now.
  for (const fo of fos) await record(deps, job.shop, orderId, fo.id, fo.status, fo.assignedLocation.location?.id ?? null, hubByGid, fo.fulfillmentHolds);

  // What the plan wants, per SKU: [Shopify location, quantity].
  const wants = new Map<string, { gid: string; qty: number }[]>();
  const outside: string[] = [];
  for (const s of plan.shipments) {
    const gid = gidByHub.get(s.locationId);
    if (!gid) {
      outside.push(s.locationId);
      continue;
    }
    for (const l of s.lines) {
      const list = wants.get(l.sku) ?? [];
      const at = list.find((w) => w.gid === gid);
      if (at) at.qty += l.quantity;
      else list.push({ gid, qty: l.quantity });
      wants.set(l.sku, list);
    }
  }
  if (outside.length) {
    await appendOrderEvent(db, {
      shop: job.shop,
      orderId,
      kind: "shopify.fulfillment_sync_note",
      source: SOURCE,
      occurredAt: deps.now(),
      summary: { decisionSequence: job.decisionSequence, note: "routed to locations that are not Shopify locations; their lines are left where Shopify put them", locationIds: outside },
    });
  }

  const movable = (fo: FulfillmentOrderNode) =>
    fo.supportedActions.length ? fo.supportedActions.some((a) => a.action === "MOVE") : fo.status === "OPEN" || fo.status === "SCHEDULED";
  const open = fos.filter((fo) => ["OPEN", "SCHEDULED", "ON_HOLD"].includes(fo.status));
  const left = new Map<string, number>(); // FO line id → quantity not yet placed
  // Pass 1: what is already where the plan wants it stays (this is what makes a re-run a no-op).
  for (const fo of open) {
    const here = fo.assignedLocation.location?.id ?? null;
    for (const line of fo.lineItems.nodes) {
      let qty = line.remainingQuantity;
      const w = line.sku ? wants.get(line.sku)?.find((x) => x.gid === here) : undefined;
      if (w) {
        const take = Math.min(qty, w.qty);
        w.qty -= take;
        qty -= take;
      }
      left.set(line.id, qty);
    }
  }
  // Pass 2: the rest goes to the other planned locations.
  const moved: MoveSummary[] = [];
  let unchanged = 0;
  for (const fo of open) {
    const here = fo.assignedLocation.location?.id ?? null;
    const byTarget = new Map<string, { id: string; sku: string | null; quantity: number }[]>();
    for (const line of fo.lineItems.nodes) {
      let qty = left.get(line.id) ?? 0;
      for (const w of (line.sku ? wants.get(line.sku) : undefined) ?? []) {
        if (qty === 0) break;
        if (w.gid === here || w.qty === 0) continue;
        const take = Math.min(qty, w.qty);
        w.qty -= take;
        qty -= take;
        byTarget.set(w.gid, [...(byTarget.get(w.gid) ?? []), { id: line.id, sku: line.sku ?? null, quantity: take }]);
      }
    }
    if (!byTarget.size) {
      unchanged++;
      continue;
    }
    // The document does not page an FO's lines: a full page may hide more, so such an FO is only
    // ever moved whole, never split on a partial view.
    const truncated = fo.lineItems.nodes.length >= FO_LINES;
    if (!movable(fo) || truncated) {
      await appendOrderEvent(db, {
        shop: job.shop,
        orderId,
        kind: "shopify.fulfillment_order_not_moved",
        source: SOURCE,
        occurredAt: deps.now(),
        subjectId: fo.id,
        summary: { decisionSequence: job.decisionSequence, fulfillmentOrderId: fo.id, status: fo.status, requestStatus: fo.requestStatus, reason: truncated ? `more than ${FO_LINES - 1} lines: not split automatically` : "Shopify does not allow moving this fulfillment order (on hold, or a fulfillment request in progress)", wanted: [...byTarget.keys()] },
      });
      continue;
    }
    const remaining = fo.lineItems.nodes.filter((l) => l.remainingQuantity > 0);
    const [[onlyTarget, onlyLines]] = [...byTarget.entries()] as [[string, { id: string; sku: string | null; quantity: number }[]]];
    const whole =
      byTarget.size === 1 && remaining.length === onlyLines.length && remaining.every((l) => onlyLines.some((m) => m.id === l.id && m.quantity === l.remainingQuantity));
    for (const [target, lines] of byTarget) {
      const move = whole ? { id: fo.id, newLocationId: onlyTarget } : { id: fo.id, newLocationId: target, lineItems: lines.map((l) => ({ id: l.id, quantity: l.quantity })) };
      let result: G.OmsFulfillmentOrderMoveMutation["fulfillmentOrderMove"];
      try {
        // Not retry-safe: after an unknown outcome the job runs again and compares locations first.
        result = (await client.mutate(FULFILLMENT_ORDER_MOVE, move)).fulfillmentOrderMove;
      } catch (e) {
        if (isConnectorError(e) && !e.retryable && e.code !== OUTCOME_UNKNOWN) {
          await failed(deps, job, "shopify.fulfillment_order_move_failed", {
            fulfillmentOrderId: fo.id,
            from: here,
            to: target,
            lines: whole ? "all" : lines,
            field: e.field ?? null,
            code: e.code ?? null,
            message: e.message,
          });
        }
        throw retryAfterUnknownOutcome(e);
      }
      const m = result?.movedFulfillmentOrder;
      if (m) await record(deps, job.shop, orderId, m.id, m.status, m.assignedLocation.location?.id ?? null, hubByGid);
      const o = result?.originalFulfillmentOrder;
      if (o && o.id !== m?.id) await record(deps, job.shop, orderId, o.id, o.status, undefined, hubByGid);
      const summary: MoveSummary = { fulfillmentOrderId: fo.id, movedFulfillmentOrderId: m?.id ?? null, from: here, to: target, lines: whole ? "all" : lines };
      moved.push(summary);
      await appendOrderEvent(db, {
        shop: job.shop,
        orderId,
        kind: "shopify.fulfillment_order_moved",
        source: SOURCE,
        occurredAt: deps.now(),
        subjectId: fo.id,
        summary: { decisionSequence: job.decisionSequence, ...summary, toLocationId: hubByGid.get(target) ?? null },
      });
      if (whole) break;
    }
  }
  deps.logger.info("Shopify fulfillment orders synced", { shop: job.shop, orderId, shopifyOrderId, moved: moved.length, unchanged, decisionSequence: job.decisionSequence });
  return { moved, unchanged, fulfillmentOrders: fos.length };
}

async function record(
  deps: ShopifyWritesDeps,
  shop: string,
  orderId: string,
  fulfillmentOrderId: string,
  status: string,
  locationGid: string | null | undefined,
  hubByGid: Map<string, string>,
  holds?: ShopifyHold[],
) {
  await recordFulfillmentOrder(deps.db, shop, {
    fulfillmentOrderId,
    status,
    orderId,
    // Read from Shopify just now: as recent as anything a webhook can say.
    at: deps.now(),
    ...(locationGid !== undefined ? { assignedLocationGid: locationGid, locationId: locationGid ? (hubByGid.get(locationGid) ?? null) : null } : {}),
    ...(holds ? { holds: holds.map(toRecordedHold) } : {}),
  });
}

/** A refusal on the order's timeline (so it is visible on the order page), before the job fails. */
async function failed(deps: ShopifyWritesDeps, job: ShopifyOrderWriteJob, kind: string, summary: Record<string, unknown>) {
  await appendOrderEvent(deps.db, { shop: job.shop, orderId: job.orderId, kind, source: SOURCE, occurredAt: deps.now(), summary: { decisionSequence: job.decisionSequence, ...summary } });
  deps.logger.warn("Shopify refused a write", { shop: job.shop, orderId: job.orderId, kind, ...summary });
}

function skipped(deps: ShopifyWritesDeps, job: ShopifyOrderWriteJob, reason: string): WriteOutcome {
  deps.logger.info("Shopify write skipped", { shop: job.shop, orderId: job.orderId, decisionSequence: job.decisionSequence, reason });
  return { status: "skipped", reason };
}

// ── Fulfillment-order actions a person asks for on the order page (ADR 013) ────────────────────

/** A hold as Shopify's documents return it. */
interface ShopifyHold {
  id: string;
  reason: string;
  reasonNotes?: string | null;
  handle?: string | null;
  heldByRequestingApp: boolean;
}

const toRecordedHold = (h: ShopifyHold): RecordedHold => ({ id: h.id, reason: h.reason, reasonNotes: h.reasonNotes ?? null, handle: h.handle ?? null, heldByThisApp: h.heldByRequestingApp });


/** A job that cannot succeed by running again (the runner fails it at once). */
const permanent = (error: DomainError) => Object.assign(error, { permanent: true });

export type FulfillmentActionOutcome =
  | { status: "skipped"; reason: string }
  | { status: "done"; fulfillmentOrders: { fulfillmentOrderId: string; holdIds: string[]; adopted?: boolean }[] };

/** The order's fulfillment orders as Shopify has them now (the hub's rows may lag a webhook). */
async function liveFulfillmentOrders(deps: ShopifyWritesDeps, job: FulfillmentActionJob) {
  const order = await deps.db.order.findFirst({ where: { id: job.orderId, shop: job.shop } });
  if (!order) return { ok: false as const, reason: `order ${job.orderId} not found` };
  const gid = await shopifyOrderGidOf(deps.db, job.shop, order);
  if (!gid) return { ok: false as const, reason: `${order.name} is not in Shopify` };
  const data = await deps.client.query(ORDER_FULFILLMENT_ORDERS, { orderId: gid, first: FO_PAGE, lineItemsFirst: 1 });
  if (!data.order) throw permanent(DomainError.notFound(`Shopify order ${gid}`));
  if (data.order.fulfillmentOrders.pageInfo.hasNextPage) deps.logger.warn("order has more fulfillment orders than one page: only the first are acted on", { shop: job.shop, orderId: job.orderId, shopifyOrderId: gid, page: FO_PAGE });
  const locations = await deps.db.location.findMany({ where: { shop: job.shop }, select: { id: true, shopifyLocationId: true } });
  const hubByGid = new Map(locations.filter((l) => l.shopifyLocationId).map((l) => [l.shopifyLocationId!, l.id]));
  return { ok: true as const, order, gid, fos: data.order.fulfillmentOrders.nodes, hubByGid };
}

/** A refusal or failure of an action on the order's timeline, before the job fails. */
async function actionFailed(deps: ShopifyWritesDeps, job: FulfillmentActionJob, kind: string, summary: Record<string, unknown>) {
  await appendOrderEvent(deps.db, { shop: job.shop, orderId: job.orderId, kind, source: SOURCE, occurredAt: deps.now(), subjectId: job.requestId, summary: { requestId: job.requestId, ...summary } });
  deps.logger.warn("Shopify fulfillment action failed", { shop: job.shop, orderId: job.orderId, kind, ...summary });
}

/** Run a mutation; a refusal (not retryable) goes on the timeline first. */
async function mutateOrFail<T>(deps: ShopifyWritesDeps, job: FulfillmentActionJob, kind: string, context: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isConnectorError(e) && !e.retryable && e.code !== OUTCOME_UNKNOWN) {
      await actionFailed(deps, job, kind, { ...context, field: e.field ?? null, code: e.code ?? null, message: e.message });
    }
    throw retryAfterUnknownOutcome(e);
  }
}

/**
 * The job `shopify.holdFulfillment`: hold each open fulfillment order of the order, with the
 * request's handle.  Read before write: a hold with our handle already on the FO (the first
 * attempt was applied but its answer lost: a timeout, a 5xx) is adopted, never placed twice.
 * The hold ids Shopify returns are recorded on the FO (heldByThisApp) for the release.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderHold
 */
export async function holdShopifyFulfillment(deps: ShopifyWritesDeps, job: FulfillmentActionJob): Promise<FulfillmentActionOutcome> {
  if (!job.reason) throw permanent(DomainError.invalid("reason", "a hold needs a reason"));
  const live = await liveFulfillmentOrders(deps, job);
  if (!live.ok) return actionSkipped(deps, job, live.reason);
  if (live.order.status === "cancelled" || live.order.status === "refused") return actionSkipped(deps, job, `${live.order.name} is ${live.order.status}`);
  // Brief trap 12: Shopify creates them after its own routing; the runner retries until then.
  if (!live.fos.length) throw new DomainError("UNAVAILABLE", `Shopify order ${live.gid} has no fulfillment orders yet`);
  const handle = holdHandleFor(job.requestId);
  // What Shopify says may be done with each (an FO already on hold takes more holds since 2025-01).
  const holdable = live.fos.filter((fo) => (fo.supportedActions.length ? fo.supportedActions.some((a) => a.action === "HOLD") : ["OPEN", "SCHEDULED", "ON_HOLD"].includes(fo.status)));
  if (!holdable.length) {
    const message = `no open fulfillment order to hold (Shopify has them as ${[...new Set(live.fos.map((fo) => fo.status.toLowerCase()))].join(", ")})`;
    await actionFailed(deps, job, "shopify.hold_failed", { message });
    throw permanent(new DomainError("CONFLICT", message));
  }
  const done: { fulfillmentOrderId: string; holdIds: string[]; adopted?: boolean }[] = [];
  for (const fo of holdable) {
    const mine = fo.fulfillmentHolds.find((h) => h.heldByRequestingApp && h.handle === handle);
    if (mine) {
      await record(deps, job.shop, job.orderId, fo.id, fo.status, fo.assignedLocation.location?.id ?? null, live.hubByGid, fo.fulfillmentHolds);
      done.push({ fulfillmentOrderId: fo.id, holdIds: [mine.id], adopted: true });
      continue;
    }
    const context = { fulfillmentOrderId: fo.id, reason: job.reason };
    // Not retry-safe for the client (no @idempotent): after an unknown outcome the job runs again
    // and finds the hold by its handle above.
    const r = (
      await mutateOrFail(deps, job, "shopify.hold_failed", context, () =>
        deps.client
          .mutate(FULFILLMENT_ORDER_HOLD, { id: fo.id, hold: { reason: job.reason!, handle, ...(job.note ? { reasonNotes: job.note } : {}), notifyMerchant: false } })
          .catch((e: unknown) => {
            // Our handle is already there (an earlier attempt got through after our read): not a
            // refusal; the runner's next run reads it back and adopts it.
            if (isConnectorError(e) && e.code === "DUPLICATE_FULFILLMENT_HOLD_HANDLE") throw new DomainError("UNAVAILABLE", `hold ${handle} is already on ${fo.id}; re-reading`);
            throw e;
          }),
      )
    ).fulfillmentOrderHold;
    const held = r?.fulfillmentOrder;
    const hold = r?.fulfillmentHold;
    if (!held || !hold) throw new DomainError("UNAVAILABLE", `fulfillmentOrderHold on ${fo.id} returned no hold`);
    await record(deps, job.shop, job.orderId, held.id, held.status, fo.assignedLocation.location?.id ?? null, live.hubByGid, held.fulfillmentHolds);
    done.push({ fulfillmentOrderId: fo.id, holdIds: [hold.id] });
  }
  await appendOrderEvent(deps.db, {
    shop: job.shop,
    orderId: job.orderId,
    kind: "shopify.hold_placed",
    source: SOURCE,
    occurredAt: deps.now(),
    subjectId: job.requestId,
    sourceEventId: `shopify.hold:${job.requestId}`,
    summary: { requestId: job.requestId, reason: job.reason, note: job.note ?? null, handle, fulfillmentOrders: done, held: done.length },
  });
  deps.logger.info("Shopify fulfillment orders held", { shop: job.shop, orderId: job.orderId, requestId: job.requestId, held: done.length });
  return { status: "done", fulfillmentOrders: done };
}

/**
 * The job `shopify.releaseHold`: release exactly the holds this app placed (by id, read from
 * Shopify just now), never another app's or the merchant's: `holdIds` omitted would release them
 * all.  A re-run finds nothing of ours left and releases nothing.
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderReleaseHold
 */
export async function releaseShopifyHolds(deps: ShopifyWritesDeps, job: FulfillmentActionJob): Promise<FulfillmentActionOutcome> {
  const live = await liveFulfillmentOrders(deps, job);
  if (!live.ok) return actionSkipped(deps, job, live.reason);
  const done: { fulfillmentOrderId: string; holdIds: string[] }[] = [];
  const othersLeft: { fulfillmentOrderId: string; holds: number }[] = [];
  for (const fo of live.fos) {
    const ours = fo.fulfillmentHolds.filter(isOwnHold);
    const foreign = fo.fulfillmentHolds.length - ours.length;
    if (!ours.length) {
      // Keep the hub's record in step with what Shopify says now.
      await record(deps, job.shop, job.orderId, fo.id, fo.status, fo.assignedLocation.location?.id ?? null, live.hubByGid, fo.fulfillmentHolds);
      if (foreign) othersLeft.push({ fulfillmentOrderId: fo.id, holds: foreign });
      continue;
    }
    const holdIds = ours.map((h) => h.id);
    const r = (await mutateOrFail(deps, job, "shopify.hold_release_failed", { fulfillmentOrderId: fo.id, holdIds }, () => deps.client.mutate(FULFILLMENT_ORDER_RELEASE_HOLD, { id: fo.id, holdIds })))
      .fulfillmentOrderReleaseHold?.fulfillmentOrder;
    if (!r) throw new DomainError("UNAVAILABLE", `fulfillmentOrderReleaseHold on ${fo.id} returned no fulfillment order`);
    await record(deps, job.shop, job.orderId, r.id, r.status, fo.assignedLocation.location?.id ?? null, live.hubByGid, r.fulfillmentHolds);
    done.push({ fulfillmentOrderId: fo.id, holdIds });
    if (foreign) othersLeft.push({ fulfillmentOrderId: fo.id, holds: foreign });
  }
  await appendOrderEvent(deps.db, {
    shop: job.shop,
    orderId: job.orderId,
    kind: "shopify.hold_released",
    source: SOURCE,
    occurredAt: deps.now(),
    subjectId: job.requestId,
    sourceEventId: `shopify.release:${job.requestId}`,
    summary: {
      requestId: job.requestId,
      released: done.reduce((n, d) => n + d.holdIds.length, 0),
      fulfillmentOrders: done,
      ...(othersLeft.length ? { stillHeldByOthers: othersLeft, note: "holds placed by another app or by staff were left in place" } : {}),
    },
  });
  deps.logger.info("Shopify holds released", { shop: job.shop, orderId: job.orderId, requestId: job.requestId, released: done.length, othersLeft: othersLeft.length });
  return { status: "done", fulfillmentOrders: done };
}

/**
 * The job `shopify.pickupReady`: mark the pickup order's open PICK_UP fulfillment orders at the
 * pickup store ready (Shopify notifies the customer).  Once per fulfillment order: a timeline
 * entry keyed by the FO is written after the call and checked before it, so a second request, or a
 * re-run after success, does not notify the customer again.  (Shopify exposes no "prepared" state
 * to read back: a crash between the call and the entry can still send the notice twice.)
 * https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderLineItemsPreparedForPickup
 */
export async function markShopifyPickupReady(deps: ShopifyWritesDeps, job: FulfillmentActionJob): Promise<FulfillmentActionOutcome> {
  const live = await liveFulfillmentOrders(deps, job);
  if (!live.ok) return actionSkipped(deps, job, live.reason);
  const { order } = live;
  if (order.status === "cancelled" || order.status === "refused") return actionSkipped(deps, job, `${order.name} is ${order.status}`);
  const storeGid = order.pickupLocationId ? ((await deps.db.location.findFirst({ where: { shop: job.shop, id: order.pickupLocationId }, select: { shopifyLocationId: true } }))?.shopifyLocationId ?? null) : null;
  const atStore = live.fos.filter(
    (fo) => fo.deliveryMethod?.methodType === "PICK_UP" && (fo.status === "OPEN" || fo.status === "IN_PROGRESS") && !!storeGid && fo.assignedLocation.location?.id === storeGid,
  );
  if (!atStore.length) {
    const message = !storeGid
      ? `${order.name} has no pickup store linked to a Shopify location`
      : `no open pickup fulfillment order of ${order.name} is assigned to the pickup store in Shopify (${live.fos.map((fo) => `${fo.status.toLowerCase()} at ${fo.assignedLocation.name}`).join("; ") || "none"})`;
    await actionFailed(deps, job, "shopify.pickup_ready_failed", { message });
    throw permanent(new DomainError("CONFLICT", message));
  }
  const keyOf = (foId: string) => `shopify.preparedForPickup:${foId}`;
  const marked = new Set((await deps.db.orderEvent.findMany({ where: { shop: job.shop, sourceEventId: { in: atStore.map((fo) => keyOf(fo.id)) } }, select: { sourceEventId: true } })).map((e) => e.sourceEventId));
  const todo = atStore.filter((fo) => !marked.has(keyOf(fo.id)));
  if (!todo.length) return actionSkipped(deps, job, `${order.name} is already marked ready for pickup`);
  await mutateOrFail(deps, job, "shopify.pickup_ready_failed", { fulfillmentOrderIds: todo.map((fo) => fo.id) }, () =>
    deps.client.mutate(FULFILLMENT_ORDER_LINE_ITEMS_PREPARED_FOR_PICKUP, { input: { lineItemsByFulfillmentOrder: todo.map((fo) => ({ fulfillmentOrderId: fo.id })) } }),
  );
  for (const fo of todo) {
    await appendOrderEvent(deps.db, {
      shop: job.shop,
      orderId: job.orderId,
      kind: "shopify.ready_for_pickup",
      source: SOURCE,
      occurredAt: deps.now(),
      subjectId: fo.id,
      sourceEventId: keyOf(fo.id),
      summary: { requestId: job.requestId, fulfillmentOrderId: fo.id, location: fo.assignedLocation.name },
    });
  }
  deps.logger.info("Shopify pickup marked ready", { shop: job.shop, orderId: job.orderId, fulfillmentOrders: todo.length });
  return { status: "done", fulfillmentOrders: todo.map((fo) => ({ fulfillmentOrderId: fo.id, holdIds: [] })) };
}

function actionSkipped(deps: ShopifyWritesDeps, job: FulfillmentActionJob, reason: string): FulfillmentActionOutcome {
  deps.logger.info("Shopify fulfillment action skipped", { shop: job.shop, orderId: job.orderId, requestId: job.requestId, reason });
  return { status: "skipped", reason };
}

/**
 * A fulfillment order and its order, asked of the Admin API: fulfillment-order webhooks never
 * name the order (order_routing_complete names only the FO).  Null when Shopify has no such FO.
 */
export async function lookUpFulfillmentOrder(client: AdminClient, fulfillmentOrderGid: string) {
  const data = await client.query(FULFILLMENT_ORDER_ORDER, { id: fulfillmentOrderGid });
  const fo = data.fulfillmentOrder;
  if (!fo) return null;
  return { fulfillmentOrderId: fo.id, status: fo.status, assignedLocationGid: fo.assignedLocation.location?.id ?? null, orderGid: fo.order.id };
}
