import { groupReasons } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";
import { routeExistingOrder, type OrdersDeps } from "./orders.service.server";

/**
 * Re-route a shop's `unroutable` orders, oldest first, one bounded batch at a time — the work of
 * the routing.rerouteUnroutable job (queued when a fix may have unblocked them: a profile
 * activated, a location's routing settings changed; or from the orders list) and of
 * `oms route --unroutable`.  docs/routing.md, "Re-routing stuck orders on their own".
 *
 * Each order goes through routeExistingOrder exactly as a person's re-route does (its hold may
 * move, never be released), with trigger "auto-reroute" and the cause as the actor.  One that ends
 * unroutable for the same reason records nothing.  One with nothing left to route (cancelled,
 * routed or shipped meanwhile) is reported as skipped; one whose routing failed as failed; the sweep
 * goes on either way: one bad order never stops the others.  Running it twice is harmless.
 */
export const SWEEP_BATCH = 50;

export interface SweepResult {
  /** Orders looked at in this batch. */
  examined: number;
  routed: number;
  /** Orders that left `unroutable` for another status a rule chose (queued, backordered). */
  otherwise: { name: string; status: string }[];
  /** Still unroutable, grouped by reason (most common first); `unchanged` of them recorded nothing new. */
  stillUnroutable: { reason: string; count: number; orders: string[] }[];
  unchanged: number;
  /** Orders with nothing left to route when the sweep reached them (cancelled, routed by someone else, shipped meanwhile): CONFLICT refusals. */
  skipped: { name: string; reason: string }[];
  /** Orders the sweep could not re-route for another reason (invalid input, stock that kept moving …), with the error. */
  failed: { name: string; error: string }[];
  /** Continue after this order (`<placedAt ISO>|<id>`), or null when the batch reached the last one. */
  next: string | null;
}

function parseCursor(after: string | null | undefined): { placedAt: Date; id: string } | null {
  if (!after) return null;
  const bar = after.indexOf("|");
  const placedAt = new Date(after.slice(0, bar));
  if (bar < 0 || Number.isNaN(placedAt.getTime())) throw DomainError.invalid("after", `"${after}" is not a sweep cursor (<placedAt ISO>|<order id>)`);
  return { placedAt, id: after.slice(bar + 1) };
}

/** One batch of the shop's unroutable orders after `after` (oldest first), re-routed. */
export async function rerouteUnroutable(deps: OrdersDeps, shop: string, args: { cause: string; after?: string | null; limit?: number; signal?: AbortSignal }): Promise<SweepResult> {
  const limit = Math.max(1, Math.min(args.limit ?? SWEEP_BATCH, 500));
  const cursor = parseCursor(args.after);
  const orders = await deps.db.order.findMany({
    where: {
      shop,
      status: "unroutable",
      ...(cursor ? { OR: [{ placedAt: { gt: cursor.placedAt } }, { placedAt: cursor.placedAt, id: { gt: cursor.id } }] } : {}),
    },
    orderBy: [{ placedAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: { id: true, name: true, placedAt: true },
  });
  const batch = orders.slice(0, limit);
  const result: SweepResult = { examined: 0, routed: 0, otherwise: [], stillUnroutable: [], unchanged: 0, skipped: [], failed: [], next: null };
  const stuck: { name: string; reason: string }[] = [];
  const actor = `system: ${args.cause}`;
  for (const o of batch) {
    // A stopping worker gives the batch up; the job's retry runs it again (safe: an order routed
    // meanwhile has left `unroutable`, one unchanged records nothing).
    args.signal?.throwIfAborted();
    result.examined++;
    try {
      const r = await routeExistingOrder(deps, shop, o.id, { trigger: "auto-reroute", actor });
      if (r.status === "routed") result.routed++;
      else if (r.status === "unroutable") {
        stuck.push({ name: o.name, reason: r.decision?.reason ?? "no decision recorded" });
        if (r.unchanged) result.unchanged++;
      } else result.otherwise.push({ name: o.name, status: r.status });
    } catch (e) {
      // Only a database failure is worth failing the job for (it retries the whole batch, which is
      // safe); anything about one order is that order's, reported and skipped.
      if (!(e instanceof DomainError)) throw e;
      // CONFLICT: the order changed under the sweep (cancelled, routed, shipped): nothing is wrong, it just has nothing to route.
      if (e.kind === "CONFLICT") {
        result.skipped.push({ name: o.name, reason: e.message });
        deps.logger?.info("unroutable sweep: order left, it changed meanwhile", { shop, orderId: o.id, name: o.name, reason: e.message });
      } else {
        result.failed.push({ name: o.name, error: e.message });
        deps.logger?.warn("unroutable sweep: order skipped", { shop, orderId: o.id, name: o.name, err: e.message });
      }
    }
  }
  result.stillUnroutable = groupReasons(stuck);
  const last = batch[batch.length - 1];
  result.next = orders.length > limit && last ? `${last.placedAt.toISOString()}|${last.id}` : null;
  deps.logger?.info("unroutable sweep batch", { shop, cause: args.cause, examined: result.examined, routed: result.routed, stillUnroutable: stuck.length, unchanged: result.unchanged, skipped: result.skipped.length, failed: result.failed.length, more: result.next !== null });
  return result;
}

/** Every batch, one after another (the CLI, which waits for the answer): the batches' results added up. */
export async function rerouteAllUnroutable(deps: OrdersDeps, shop: string, args: { cause: string; limit?: number }): Promise<Omit<SweepResult, "next"> & { batches: number }> {
  const total = { examined: 0, routed: 0, otherwise: [] as SweepResult["otherwise"], unchanged: 0, skipped: [] as SweepResult["skipped"], failed: [] as SweepResult["failed"], batches: 0 };
  const stuck: { name: string; reason: string }[] = [];
  let after: string | null = null;
  do {
    const r = await rerouteUnroutable(deps, shop, { cause: args.cause, after, ...(args.limit ? { limit: args.limit } : {}) });
    total.batches++;
    total.examined += r.examined;
    total.routed += r.routed;
    total.unchanged += r.unchanged;
    total.otherwise.push(...r.otherwise);
    total.skipped.push(...r.skipped);
    total.failed.push(...r.failed);
    for (const g of r.stillUnroutable) for (const name of g.orders) stuck.push({ name, reason: g.reason });
    after = r.next;
  } while (after);
  return { ...total, stillUnroutable: groupReasons(stuck) };
}

/** How many of the shop's orders are unroutable (the orders list's banner). */
export async function countUnroutable(deps: Pick<OrdersDeps, "db">, shop: string): Promise<number> {
  return deps.db.order.count({ where: { shop, status: "unroutable" } });
}

/** Shops that have unroutable orders (the periodic sweep queues one sweep for each). */
export async function shopsWithUnroutable(deps: Pick<OrdersDeps, "db">): Promise<string[]> {
  const rows = await deps.db.order.findMany({ where: { status: "unroutable" }, distinct: ["shop"], select: { shop: true }, orderBy: { shop: "asc" } });
  return rows.map((r) => r.shop);
}
