import { compareAggregates, loadRoutingNetwork, localTimeIn, simulate, validateProfile, type LocalTime, type RoutingProfile, type SimulationResult } from "#app/modules/routing/index";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { toRoutingOrder } from "./domain/order";
import { activeAllocationsOf, recentOrders } from "./orders.repository.server";

/**
 * What-if on the shop's own recent orders: replay them, oldest first, under a profile (and
 * optionally a second one) without touching live state.
 *
 * The replay starts from today's stock with the replayed orders' own reservations given back (as
 * if they had not been placed yet), each order sees only its channel's eligible locations, and each
 * location's clock is set to when the order was placed — so hours, cut-offs and daily caps apply as
 * they did then.  Stock that arrived or left since is not rewound: that is what the ledger would be
 * for, and the report says the replay runs on today's stock.
 */
export interface WhatIfReport {
  days: number;
  orders: number;
  base: SimulationResult;
  compare: SimulationResult | null;
  delta: ReturnType<typeof compareAggregates> | null;
  /** Order id → display name, for the report. */
  names: Record<string, string>;
  locationNames: Record<string, string>;
  notes: string[];
}

export const MAX_WHAT_IF_ORDERS = 5000;

export async function whatIf(deps: { db: Db; now: () => Date }, shop: string, args: { days: number; profile: RoutingProfile; compare?: RoutingProfile | null }): Promise<WhatIfReport> {
  if (!Number.isInteger(args.days) || args.days < 1 || args.days > 365) throw DomainError.invalid("days", `must be a whole number of days from 1 to 365, got ${args.days}`);
  validateProfile(args.profile);
  if (args.compare) validateProfile(args.compare);
  const now = deps.now();
  const orders = await recentOrders(deps.db, shop, new Date(now.getTime() - args.days * 86_400_000), MAX_WHAT_IF_ORDERS);
  const own = await activeAllocationsOf(deps.db, shop, orders);
  const loaded = await loadRoutingNetwork(deps.db, shop, now, { skus: orders.flatMap((o) => o.lines.map((l) => l.sku)), ownAllocations: own });
  // Replays start each location's day from zero: today's counter is today's, not the replay's.
  for (const l of loaded.network.locations) l.usedToday = 0;
  const zones = new Map((await deps.db.location.findMany({ where: { shop }, select: { id: true, timeZone: true, name: true } })).map((l) => [l.id, l]));
  const routingOrders = orders.map((o) => toRoutingOrder({ ...o, channelCode: o.channelCode }, loaded.skuInfo));
  const placed = new Map(orders.map((o) => [o.id, o]));
  const eligible = new Map(orders.map((o) => [o.id, new Set(o.eligibleLocationIds)]));
  const opts = {
    eligible: (o: { id: string }) => eligible.get(o.id) ?? null,
    localTimes: (o: { id: string }) => {
      const at = placed.get(o.id)!.placedAt;
      const out: Record<string, LocalTime> = {};
      for (const l of loaded.network.locations) out[l.id] = localTimeIn(zones.get(l.id)!.timeZone, at);
      return out;
    },
  };
  const base = simulate(loaded.network, args.profile, routingOrders, opts);
  const compare = args.compare ? simulate(loaded.network, args.compare, routingOrders, opts) : null;
  const notes = ["replayed on today's stock, with these orders' own reservations given back", "each order saw its channel's eligible locations at the local time it was placed"];
  if (orders.length === MAX_WHAT_IF_ORDERS) notes.push(`only the oldest ${MAX_WHAT_IF_ORDERS} orders of the period were replayed`);
  return {
    days: args.days,
    orders: orders.length,
    base,
    compare,
    delta: compare ? compareAggregates(base.aggregates, compare.aggregates) : null,
    names: Object.fromEntries(orders.map((o) => [o.id, o.name])),
    locationNames: Object.fromEntries([...zones.values()].map((l) => [l.id, l.name])),
    notes,
  };
}
