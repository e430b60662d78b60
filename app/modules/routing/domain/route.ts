/**
 * routeOrder: the first rule (in profile order) that matches the order and finds a plan decides;
 * a rule that matches but finds none applies its fallback.  Every step leaves a trace entry.
 *
 * Locations left out for their settings (no coordinates, network.excluded) are named in the reason
 * when a rule finds no plan, so the merchant sees what to fix.  When *no* location could serve the
 * order whatever the stock — every one is left out for its settings, or the network is empty — the
 * order is unroutable at the first rule that matches: a fallback (a queue, a backorder) is the
 * merchant's answer to stock and capacity, and waiting for stock would not help here.
 *
 * Pure and deterministic: locations are taken in id order, and every tie is broken by location id,
 * so the same input gives the same decision whatever order the caller listed things in.
 */
import { filterCandidates, hasCoordinates, NO_COORDINATES, type Candidate } from "./candidates";
import { evaluateConditions } from "./conditions";
import { searchPlan, type FoundPlan, type SearchOptions } from "./search";
import type { RoutingDecision, RoutingLocation, RoutingNetwork, RoutingOrder, RoutingPlan, RoutingProfile, RoutingTrace, Rule, Shipment } from "./types";
import { validateNetwork, validateOrder, validateProfile } from "./validate";

export function routeOrder(
  order: RoutingOrder,
  network: RoutingNetwork,
  profile: RoutingProfile,
  options: SearchOptions = {},
): RoutingDecision {
  validateOrder(order);
  validateNetwork(network);
  validateProfile(profile);
  const sorted: RoutingNetwork = { ...network, locations: byId(network.locations) };

  const trace: RoutingTrace = { rules: [], candidates: [], plansCompared: [], plansConsidered: 0, searchMode: null };
  const decide = (rest: Omit<RoutingDecision, "orderId" | "profileId" | "profileVersion" | "trace">): RoutingDecision => ({
    orderId: order.id,
    profileId: profile.id,
    profileVersion: profile.version,
    ...rest,
    trace,
  });

  const blocked = blockedReason(order, sorted);
  let fellThrough: string | null = null;
  for (const rule of profile.rules) {
    const conditions = evaluateConditions(rule.conditions, order);
    if (!conditions.matched) {
      trace.rules.push({ ruleId: rule.id, matched: false, reasons: conditions.reasons });
      continue;
    }

    const candidates = filterCandidates(order, sorted, rule);
    const search = searchPlan(order.lines, candidates.accepted, rule.splitPolicy, rule.sort, options);
    const reasons = [...conditions.reasons];
    trace.rules.push({ ruleId: rule.id, matched: true, reasons, scoreKeys: search.scoreKeys });
    trace.candidates.push(...candidates.trace);
    trace.plansCompared.push(
      ...search.compared.map((p, i) => ({ ruleId: rule.id, locations: p.locations, score: p.score, chosen: i === 0 && search.best !== null })),
    );
    trace.plansConsidered += search.considered;
    trace.searchMode = search.mode;

    if (search.best) {
      const plan = buildPlan(order, candidates.accepted, search.best);
      const from = plan.shipments.map((s) => s.locationId).join(" + ");
      const summary = `${plural(plan.totals.shipments, "shipment")} from ${from}; best of ${plural(search.considered, "plan")} (${search.mode} search)`;
      reasons.push(`routed: ${summary}`);
      return decide({ status: "routed", ruleId: rule.id, queue: null, plan, reason: `${ruleName(rule)}: ${summary}` });
    }

    if (blocked !== null) {
      reasons.push(`no plan: ${blocked}; unroutable until that is fixed (the fallback is not applied)`);
      return decide({ status: "unroutable", ruleId: null, queue: null, plan: null, reason: blocked });
    }
    const why = noPlanReason(order, sorted, rule, candidates.trace, search.failure ?? "no plan");
    const fallback = rule.fallback;
    if (fallback.kind === "next_rule") {
      reasons.push(`no plan: ${why}; fallback: next rule`);
      fellThrough = `${ruleName(rule)} found no plan: ${why}`;
      continue;
    }
    if (fallback.kind === "queue") {
      reasons.push(`no plan: ${why}; fallback: queue ${fallback.queue}`);
      return decide({
        status: "queued",
        ruleId: rule.id,
        queue: fallback.queue,
        plan: null,
        reason: `${fallback.reason} (${ruleName(rule)} found no plan: ${why})`,
      });
    }
    reasons.push(`no plan: ${why}; fallback: backorder`);
    return decide({ status: "backordered", ruleId: rule.id, queue: null, plan: null, reason: `backordered: ${ruleName(rule)} found no plan: ${why}` });
  }

  const reason =
    fellThrough === null ? "no rule matched the order" : `no rule left after the last fallback to the next rule (${fellThrough})`;
  return decide({ status: "unroutable", ruleId: null, queue: null, plan: null, reason });
}

/**
 * The decision when routing cannot run for the order at all — no active profile, a catalog or
 * reservation problem the caller found before the rules — so that it is recorded and shown like
 * any other: unroutable, no rule, the reason, an empty trace.  Version 0 stands for "no profile".
 */
export function unroutableDecision(orderId: string, profile: { id: string; version: number } | null, reason: string): RoutingDecision {
  return {
    orderId,
    profileId: profile?.id ?? "",
    profileVersion: profile?.version ?? 0,
    status: "unroutable",
    ruleId: null,
    queue: null,
    plan: null,
    trace: { rules: [], candidates: [], plansCompared: [], plansConsidered: 0, searchMode: null },
    reason,
  };
}

/** A copy of the locations in id order (callers usually pass them in that order already: then no sort). */
function byId(locations: RoutingLocation[]): RoutingLocation[] {
  const ordered = locations.every((l, i) => i === 0 || !(locations[i - 1]!.id > l.id));
  return ordered ? locations.slice() : [...locations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Shipments in location id order, each with its lines in order-line order. */
function buildPlan(order: RoutingOrder, candidates: Candidate[], found: FoundPlan): RoutingPlan {
  const shipments: Shipment[] = found.members.map((c) => {
    const candidate = candidates[c] as Candidate;
    const lines = found.allocations
      .filter((a) => a.candidate === c)
      .sort((a, b) => a.line - b.line)
      .map((a) => {
        const line = order.lines[a.line];
        return { lineKey: line?.lineKey ?? "", sku: line?.sku ?? "", quantity: a.quantity };
      });
    return { locationId: candidate.location.id, lines, distanceKm: candidate.distanceKm, costCents: candidate.costCents, days: candidate.days };
  });
  return {
    shipments,
    totals: {
      shipments: shipments.length,
      costCents: shipments.reduce((sum, s) => sum + s.costCents, 0),
      maxDays: Math.max(0, ...shipments.map((s) => s.days)),
    },
  };
}

/**
 * Why a rule found no plan.  A pickup order has one possible location: say what happened to it
 * rather than "no candidate".  Otherwise the search's failure, plus the locations this rule left
 * out for their settings: fixing them may be all the order needs.
 */
function noPlanReason(
  order: RoutingOrder,
  network: RoutingNetwork,
  rule: Rule,
  candidates: RoutingTrace["candidates"],
  failure: string,
): string {
  if (order.speed !== "pickup") {
    const misconfigured = candidates.filter((c) => c.ruleId === rule.id && c.misconfigured);
    if (misconfigured.length === 0) return failure;
    return `${failure}; left out until their settings are fixed: ${misconfigured.map((c) => `${c.locationId} (${c.reason})`).join("; ")}`;
  }
  const store = order.pickupLocationId ?? "";
  const entry = candidates.find((c) => c.ruleId === rule.id && c.locationId === store);
  if (!entry) return `pickup store ${store} is not in the network`;
  if (!entry.accepted) return `pickup store ${store}: ${entry.reason}`;
  return `pickup store ${store}: ${failure}`;
}

/**
 * Why no location at all could serve this order, whatever the stock and the rules, or null.  For a
 * shipment: no location in the network has coordinates (or there is none).  For a pickup: the
 * store the customer chose is left out for its settings (a store that is simply not eligible for
 * the channel, or out of stock, is the pickup rule's fallback to handle, as before).
 */
function blockedReason(order: RoutingOrder, network: RoutingNetwork): string | null {
  const excluded = network.excluded ?? [];
  if (order.speed === "pickup") {
    const store = excluded.find((e) => e.id === order.pickupLocationId);
    return store ? `pickup store ${store.id} is left out until its settings are fixed: ${store.reason}` : null;
  }
  if (network.locations.some(hasCoordinates)) return null;
  const problems = [
    ...network.locations.map((l) => ({ id: l.id, reason: NO_COORDINATES })),
    ...excluded.map((e) => ({ id: e.id, reason: e.reason })),
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (problems.length === 0) return "no location to ship from: the network is empty (no active location is eligible for the order's channel)";
  return `no location can ship this order until its settings are fixed: ${problems.map((p) => `${p.id} (${p.reason})`).join("; ")}`;
}

function ruleName(rule: Rule): string {
  return `rule "${rule.name}" (${rule.id})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
