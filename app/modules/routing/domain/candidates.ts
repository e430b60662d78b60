/**
 * Which locations may serve an order under a rule: the rule's filter, the location's switches,
 * stock, hours and cut-offs for same-day, and the daily ship-from-store cap.  Every location gets
 * an entry with the first reason that rules it out (or what it offers).
 *
 * Hours bind same-day orders only.  A pickup goes to the store the customer chose whatever the
 * time: placed overnight or after closing, it is ready when the store opens (Shopify's local
 * pickup promises a pickup time, from one hour to days), so the trace notes it rather than
 * refusing the order.
 *
 * A location whose settings routing cannot use is left out with a reason that says what to fix
 * (`misconfigured` in the trace), never an error: one badly configured location must not stop
 * routing for the whole shop.  Two kinds:
 *  - no coordinates: left out of every *shipment*, whatever the rule sorts by.  Distance is not
 *    only a sort key: the zone bands turn it into the shipping cost and transit days of every plan,
 *    and decide whether a speed reaches the customer at all (same-day stops at 40 km), so a rule
 *    sorted by priority alone would still pick a location it cannot cost or promise a date for.  A
 *    pickup needs no distance (the customer comes to the store), so the store still hands it over;
 *  - network.excluded (the caller could not read its time zone, hours or zone table): left out of
 *    everything, pickups included, since hours, cut-offs and daily caps all need them.
 */
import { closedReason } from "./hours";
import { estimateShipment, zoneTableFor } from "./costs";
import { haversineKm, roundKm } from "./geo";
import type { CandidateTrace, ExcludedLocation, LocationKind, RoutingLocation, RoutingNetwork, RoutingOrder, Rule } from "./types";

/** Why a location without coordinates ships nothing (the trace reason; the merchant's fix). */
export const NO_COORDINATES = "no coordinates — complete its address in Shopify, then resync";

/** True when the location has both coordinates (a half-set pair is refused by validateNetwork). */
export function hasCoordinates(location: Pick<RoutingLocation, "lat" | "lng">): location is { lat: number; lng: number } {
  return location.lat !== null && location.lng !== null;
}

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

/**
 * Locations are expected sorted by id (routeOrder does so), which keeps the trace in a stable order;
 * excluded locations are merged into it by id.
 */
export function filterCandidates(order: RoutingOrder, network: RoutingNetwork, rule: Rule): CandidateResult {
  const accepted: Candidate[] = [];
  const trace: CandidateTrace[] = [];
  for (const entry of inIdOrder(network)) {
    if ("excluded" in entry) {
      const reason = ruleFilterReason(order, rule, entry.excluded);
      trace.push(reason ? { ruleId: rule.id, locationId: entry.excluded.id, accepted: false, reason } : { ruleId: rule.id, locationId: entry.excluded.id, accepted: false, reason: entry.excluded.reason, misconfigured: true });
      continue;
    }
    const location = entry.location;
    const result = assess(order, network, rule, location);
    if (typeof result === "string") {
      trace.push({ ruleId: rule.id, locationId: location.id, accepted: false, reason: result, ...(result === NO_COORDINATES ? { misconfigured: true as const } : {}) });
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

type Entry = { location: RoutingLocation } | { excluded: ExcludedLocation };

/** The network's locations and its excluded ones, by id (code-unit order, as everywhere in the core). */
function inIdOrder(network: RoutingNetwork): Entry[] {
  const entries: Entry[] = network.locations.map((location) => ({ location }));
  if (!network.excluded?.length) return entries;
  const id = (e: Entry) => ("excluded" in e ? e.excluded.id : e.location.id);
  return [...entries, ...network.excluded.map((excluded) => ({ excluded }))].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

/**
 * The rule's own filter, first: a location the rule would not use anyway is reported as such, so
 * the trace only blames a location's settings where they made the difference.
 */
function ruleFilterReason(order: RoutingOrder, rule: Rule, location: { id: string; kind?: LocationKind }): string | null {
  const filter = rule.candidateFilter;
  if (order.speed === "pickup" && location.id !== order.pickupLocationId) return `pickup at another store (${order.pickupLocationId})`;
  if (location.kind && filter.locationKinds && filter.locationKinds.length > 0 && !filter.locationKinds.includes(location.kind)) {
    return `kind ${location.kind} not allowed (rule allows ${filter.locationKinds.join(", ")})`;
  }
  if (filter.include && filter.include.length > 0 && !filter.include.includes(location.id)) return "not in the rule's include list";
  if (filter.exclude?.includes(location.id)) return "excluded by the rule";
  return null;
}

/** The candidate (and how many lines it stocks), or the first reason the location cannot serve this order under this rule. */
function assess(order: RoutingOrder, network: RoutingNetwork, rule: Rule, location: RoutingLocation): { candidate: Candidate; stockedLines: number; note?: string } | string {
  const filter = rule.candidateFilter;
  const pickup = order.speed === "pickup";

  const filtered = ruleFilterReason(order, rule, location);
  if (filtered !== null) return filtered;

  if (pickup) {
    if (!location.offersPickup) return "does not offer pickup";
  } else {
    // A wholesale DC typically ships no consumer orders yet serves B2B ones.
    if (!order.b2b && !location.shipsOnline) return "does not ship online orders";
    if (location.kind === "store" && !location.shipsFromStore) return "ship-from-store is off";
  }

  // Shipping needs the location's coordinates, whatever the rule sorts by (see the top of the file).
  if (!pickup && !hasCoordinates(location)) return NO_COORDINATES;

  // The customer comes to a pickup store: distance plays no part.
  const distanceKm = pickup || !hasCoordinates(location) ? 0 : roundKm(haversineKm(location.lat, location.lng, order.destination.lat, order.destination.lng));
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
