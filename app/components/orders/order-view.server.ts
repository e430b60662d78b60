import type { OrderDetail, OrderListItem } from "#app/modules/orders/index";
import { BEAM_WIDTH, EXACT_LIMIT, humanize, type StoredDecision } from "#app/modules/routing/index";
import type { CandidateGroupView, DecisionView, OrderLineView, OrderListRow, OrderPageData, PlanComparisonGroupView, TraceView } from "./types";

/**
 * Loader-side mapping from the orders and routing services to what the Orders pages render.  The
 * routing core names locations by id inside its reasons (ids are stable, names are not); people
 * read names, so every text goes through `readable` here, once, on the server.
 */

/** Location ids → names, and amounts the core writes in cents ("2639¢") as dollars. */
export function readable(text: string, names: Record<string, string>): string {
  return humanize(text, names).replace(/(-?)(\d+)¢/g, (_, sign: string, cents: string) => `${sign}$${(Number(cents) / 100).toFixed(2)}`);
}

export function searchNote(mode: string | null): string | null {
  if (mode === "exact") return `exact search: every set of candidate locations was tried, fewest shipments first (used up to ${EXACT_LIMIT} candidates)`;
  if (mode === "heuristic") return `heuristic search: more than ${EXACT_LIMIT} candidates, so a beam of ${BEAM_WIDTH} location sets plus local improvement; near-optimal, not guaranteed optimal`;
  return null;
}

export function toTraceView(trace: StoredDecision["trace"], names: Record<string, string>): TraceView {
  const name = (id: string) => names[id] ?? id;
  const candidates: CandidateGroupView[] = [];
  for (const c of trace.candidates) {
    let group = candidates.find((g) => g.ruleId === c.ruleId);
    if (!group) candidates.push((group = { ruleId: c.ruleId, candidates: [] }));
    group.candidates.push({ locationId: c.locationId, location: name(c.locationId), accepted: c.accepted, reason: readable(c.reason, names) });
  }
  const plansCompared: PlanComparisonGroupView[] = [];
  for (const p of trace.plansCompared) {
    let group = plansCompared.find((g) => g.ruleId === p.ruleId);
    if (!group) plansCompared.push((group = { ruleId: p.ruleId, scoreKeys: trace.rules.find((r) => r.ruleId === p.ruleId)?.scoreKeys ?? [], plans: [] }));
    group.plans.push({ locations: p.locations.map(name), score: p.score, chosen: p.chosen });
  }
  return {
    rules: trace.rules.map((r) => ({ ruleId: r.ruleId, matched: r.matched, reasons: r.reasons.map((x) => readable(x, names)) })),
    candidates,
    plansCompared,
    plansConsidered: trace.plansConsidered,
    searchMode: trace.searchMode,
    searchNote: searchNote(trace.searchMode),
  };
}

export function toDecisionView(d: StoredDecision, names: Record<string, string>): DecisionView {
  return {
    id: d.id,
    sequence: d.sequence,
    trigger: d.trigger,
    actor: d.actor,
    createdAt: d.createdAt.toISOString(),
    profileKey: d.profileKey,
    profileVersion: d.profileVersion,
    status: d.status,
    ruleId: d.ruleId,
    queue: d.queue,
    reason: readable(d.reason, names),
    plan: d.plan
      ? {
          shipments: d.plan.shipments.map((s) => ({
            locationId: s.locationId,
            location: names[s.locationId] ?? s.locationId,
            lines: s.lines.map((l) => ({ lineKey: l.lineKey, sku: l.sku, quantity: l.quantity })),
            distanceKm: s.distanceKm,
            costCents: s.costCents,
            days: s.days,
          })),
          totals: { shipments: d.plan.totals.shipments, costCents: d.plan.totals.costCents, maxDays: d.plan.totals.maxDays },
        }
      : null,
    trace: toTraceView(d.trace, names),
  };
}

export function toOrderPageData(detail: OrderDetail): OrderPageData {
  const o = detail.order;
  const names = detail.locationNames;
  const dest = o.destination;
  const lines: OrderLineView[] = detail.lines.map((l) => ({
    lineKey: l.lineKey,
    sku: l.sku,
    title: l.title,
    quantity: l.quantity,
    priceCents: l.priceCents,
    reservation: l.reservation
      ? {
          status: l.reservation.status,
          reason: l.reservation.reason ? readable(l.reservation.reason, names) : null,
          allocations: l.reservation.allocations.map((a) => ({ location: a.location, sku: a.sku, quantity: a.quantity })),
        }
      : null,
  }));
  return {
    order: {
      id: o.id,
      name: o.name,
      externalOrderId: o.externalOrderId,
      channel: { code: o.channel.code, name: o.channel.name, kind: o.channel.kind },
      status: o.status,
      statusReason: o.statusReason ? readable(o.statusReason, names) : null,
      queue: o.queue,
      speed: o.speed,
      b2b: o.b2b,
      companyId: o.companyId,
      customerTags: o.customerTags,
      destination: {
        label: [dest.city, dest.provinceCode, dest.zip, dest.countryCode].filter(Boolean).join(", "),
        countryCode: dest.countryCode,
        provinceCode: dest.provinceCode ?? null,
        zip: dest.zip ?? null,
        city: dest.city ?? null,
        lat: dest.lat,
        lng: dest.lng,
        geocode: dest.geocode ?? "address",
      },
      pickupLocation: o.pickupLocation,
      valueCents: o.valueCents,
      currencyCode: o.currencyCode,
      placedAt: o.placedAt.toISOString(),
      routedAt: o.routedAt ? o.routedAt.toISOString() : null,
    },
    lines,
    decisions: detail.decisions.map((d) => toDecisionView(d, names)),
  };
}

/**
 * A list row.  `queues` holds the queue of each queued order (from its latest decision); the
 * list item itself does not carry it.
 */
export function toOrderListRow(item: OrderListItem, names: Record<string, string>, queues: Map<string, string | null>): OrderListRow {
  return {
    id: item.id,
    name: item.name,
    placedAt: item.placedAt.toISOString(),
    channel: item.channel.name,
    channelCode: item.channel.code,
    b2b: item.b2b,
    status: item.status,
    queue: item.status === "queued" ? queues.get(item.id) ?? null : null,
    reason: item.reason ? readable(item.reason, names) : null,
    speed: item.speed,
    destination: item.destination,
    lines: item.lines,
    units: item.units,
    shipsFrom: item.locations,
    rule: item.rule,
  };
}
