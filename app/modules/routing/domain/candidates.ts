/**
 * Which locations may serve an order under a rule: the rule's filter, the location's switches,
 * stock, hours and cut-offs for same-day, and the daily ship-from-store cap.  Every location gets
 * an entry with the first reason that rules it out (or what it offers).
 *
 * Hours bind same-day orders only.  A pickup goes to the store the customer chose whatever the
 * time: placed overnight or after closing, it is ready when the store opens (Shopify's local
 * pickup promises a pickup time, from one hour to days), so the trace notes it rather than
 * refusing the order.
 */
import { closedReason } from "./hours";
import { estimateShipment, zoneTableFor } from "./costs";
import { haversineKm, roundKm } from "./geo";
import type { CandidateTrace, RoutingLocation, RoutingNetwork, RoutingOrder, Rule } from "./types";

/** An accepted location with what one shipment from it would cost the order. */
export interface Candidate {
  location: RoutingLocation;
  distanceKm: number;
  costCents: number;
  days: number;
  /** Units of each of the order's SKUs it may ship (never negative). */
  stock: Record<string, number>;
  /** Shipments left under today's cap; null when uncapped (or for pickup, which ships nothing). */
  remainingCap: number | null;
}

export interface CandidateResult {
  accepted: Candidate[];
  trace: CandidateTrace[];
}

/** A record lookup that ignores inherited keys (a SKU called "constructor" must read 0). */
export function own(record: Record<string, number> | undefined, key: string): number | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Locations are expected sorted by id (routeOrder does so), which keeps the trace in a stable order. */
export function filterCandidates(order: RoutingOrder, network: RoutingNetwork, rule: Rule): CandidateResult {
  const accepted: Candidate[] = [];
  const trace: CandidateTrace[] = [];
  for (const location of network.locations) {
    const result = assess(order, network, rule, location);
    if (typeof result === "string") {
      trace.push({ ruleId: rule.id, locationId: location.id, accepted: false, reason: result });
    } else {
      const { candidate, stockedLines, note } = result;
      accepted.push(candidate);
      trace.push({
        ruleId: rule.id,
        locationId: location.id,
        accepted: true,
        reason: `${candidate.distanceKm} km, ${candidate.costCents}¢, ${candidate.days} days; stocks ${stockedLines} of ${order.lines.length} lines${note ? `; ${note}` : ""}`,
      });
    }
  }
  return { accepted, trace };
}

/** The candidate (and how many lines it stocks), or the first reason the location cannot serve this order under this rule. */
function assess(order: RoutingOrder, network: RoutingNetwork, rule: Rule, location: RoutingLocation): { candidate: Candidate; stockedLines: number; note?: string } | string {
  const filter = rule.candidateFilter;
  const pickup = order.speed === "pickup";

  if (pickup && location.id !== order.pickupLocationId) return `pickup at another store (${order.pickupLocationId})`;
  if (filter.locationKinds && filter.locationKinds.length > 0 && !filter.locationKinds.includes(location.kind)) {
    return `kind ${location.kind} not allowed (rule allows ${filter.locationKinds.join(", ")})`;
  }
  if (filter.include && filter.include.length > 0 && !filter.include.includes(location.id)) return "not in the rule's include list";
  if (filter.exclude?.includes(location.id)) return "excluded by the rule";

  if (pickup) {
    if (!location.offersPickup) return "does not offer pickup";
  } else {
    // A wholesale DC typically ships no consumer orders yet serves B2B ones.
    if (!order.b2b && !location.shipsOnline) return "does not ship online orders";
    if (location.kind === "store" && !location.shipsFromStore) return "ship-from-store is off";
  }

  // The customer comes to a pickup store: distance plays no part.
  const distanceKm = pickup ? 0 : roundKm(haversineKm(location.lat, location.lng, order.destination.lat, order.destination.lng));
  if (filter.maxDistanceKm !== undefined && distanceKm > filter.maxDistanceKm) {
    return `too far: ${distanceKm} km > ${filter.maxDistanceKm} km`;
  }
  const estimate = estimateShipment(location, zoneTableFor(network, location.id), order.speed, distanceKm);
  if (!estimate.ok) return estimate.reason;

  const stock: Record<string, number> = {};
  // Lines of one SKU read the same units, so counting per line here counts what stock[line.sku] holds.
  let stockedLines = 0;
  for (const line of order.lines) {
    const units = Math.max(0, own(location.stock, line.sku) ?? 0);
    stock[line.sku] = units;
    if (units > 0) stockedLines++;
  }
  if (stockedLines === 0) {
    return `no stock for any line (${order.lines.map((l) => l.sku).filter((s, i, all) => all.indexOf(s) === i).join(", ")})`;
  }

  if (order.speed === "same_day") {
    const closed = closedReason(location);
    if (closed !== null) return closed;
  }
  const closedForPickup = pickup ? closedReason(location) : null;

  // Caps count shipments a store packs; a pickup is collected, not shipped.
  let remainingCap: number | null = null;
  if (!pickup && location.dailyCap !== null) {
    remainingCap = location.dailyCap - location.usedToday;
    if (remainingCap <= 0) return `daily ship-from-store cap reached (${location.usedToday}/${location.dailyCap})`;
  }

  return {
    candidate: { location, distanceKm, costCents: estimate.costCents, days: estimate.days, stock, remainingCap },
    stockedLines,
    ...(closedForPickup ? { note: `${closedForPickup}: ready for pickup when it opens` } : {}),
  };
}
