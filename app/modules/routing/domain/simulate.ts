/**
 * What-if simulation: route a batch of orders over a copy of the network, one after another, so
 * each routed order consumes the stock (and the daily ship-from-store slots) it was given — as live
 * routing would — without touching live state.  Pure: plain data in, plain data out.
 */
import { routeOrder } from "./route";
import type { LocalTime, RoutingDecision, RoutingNetwork, RoutingOrder, RoutingProfile } from "./types";

export interface SimulationAggregates {
  orders: number;
  routed: number;
  queued: number;
  backordered: number;
  unroutable: number;
  /** Among routed orders. */
  shipments: number;
  shipmentsPerOrder: number;
  /** Share of routed orders with more than one shipment (0–1). */
  splitRate: number;
  costCents: number;
  meanCostCents: number;
  meanDays: number;
  maxDays: number;
}

export interface SimulationResult {
  profileId: string;
  profileVersion: number;
  decisions: RoutingDecision[];
  aggregates: SimulationAggregates;
}

const round = (n: number, places = 3) => Math.round(n * 10 ** places) / 10 ** places;

function cloneNetwork(n: RoutingNetwork): RoutingNetwork {
  return { ...n, locations: n.locations.map((l) => ({ ...l, stock: { ...l.stock } })) };
}

export function aggregate(decisions: RoutingDecision[]): SimulationAggregates {
  const routed = decisions.filter((d) => d.status === "routed" && d.plan);
  const shipments = routed.reduce((s, d) => s + d.plan!.totals.shipments, 0);
  const cost = routed.reduce((s, d) => s + d.plan!.totals.costCents, 0);
  const days = routed.map((d) => d.plan!.totals.maxDays);
  const count = (status: RoutingDecision["status"]) => decisions.filter((d) => d.status === status).length;
  return {
    orders: decisions.length,
    routed: routed.length,
    queued: count("queued"),
    backordered: count("backordered"),
    unroutable: count("unroutable"),
    shipments,
    shipmentsPerOrder: routed.length ? round(shipments / routed.length) : 0,
    splitRate: routed.length ? round(routed.filter((d) => d.plan!.totals.shipments > 1).length / routed.length) : 0,
    costCents: cost,
    meanCostCents: routed.length ? Math.round(cost / routed.length) : 0,
    meanDays: days.length ? round(days.reduce((a, b) => a + b, 0) / days.length) : 0,
    maxDays: days.length ? Math.max(...days) : 0,
  };
}

export interface SimulateOptions {
  /**
   * Location ids an order may ship from at all (its channel's eligible locations); all when null.
   * The order then sees only those locations — the same objects, so stock it takes is gone for
   * the orders after it.
   */
  eligible?: (order: RoutingOrder) => ReadonlySet<string> | null;
  /**
   * Replays: each location's wall-clock time when the order was placed (by location id), so hours,
   * cut-offs and daily caps apply as they did then.  A location whose local date moves on starts
   * the new day with no shipments counted.
   */
  localTimes?: (order: RoutingOrder) => Record<string, LocalTime>;
}

export function simulate(network: RoutingNetwork, profile: RoutingProfile, orders: RoutingOrder[], opts: SimulateOptions = {}): SimulationResult {
  const net = cloneNetwork(network);
  const byId = new Map(net.locations.map((l) => [l.id, l]));
  const decisions: RoutingDecision[] = [];
  for (const order of orders) {
    const times = opts.localTimes?.(order);
    if (times) {
      for (const l of net.locations) {
        const t = times[l.id];
        if (!t) continue;
        if (t.date !== l.localTime.date) l.usedToday = 0;
        l.localTime = t;
      }
    }
    const only = opts.eligible?.(order) ?? null;
    const view = only ? { ...net, locations: net.locations.filter((l) => only.has(l.id)), excluded: net.excluded?.filter((e) => only.has(e.id)) } : net;
    const d = routeOrder(order, view, profile);
    decisions.push(d);
    if (d.status !== "routed" || !d.plan) continue;
    for (const s of d.plan.shipments) {
      const loc = byId.get(s.locationId);
      if (!loc) continue;
      for (const l of s.lines) loc.stock[l.sku] = (loc.stock[l.sku] ?? 0) - l.quantity;
      // Pickups do not use ship-from-store slots (route.ts counts them the same way).
      if (order.speed !== "pickup") loc.usedToday += 1;
    }
  }
  return { profileId: profile.id, profileVersion: profile.version, decisions, aggregates: aggregate(decisions) };
}

/** Profile B minus profile A, per aggregate (what --compare prints). */
export function compareAggregates(a: SimulationAggregates, b: SimulationAggregates): Record<keyof SimulationAggregates, number> {
  const out = {} as Record<keyof SimulationAggregates, number>;
  for (const k of Object.keys(a) as (keyof SimulationAggregates)[]) out[k] = round(b[k] - a[k]);
  return out;
}
