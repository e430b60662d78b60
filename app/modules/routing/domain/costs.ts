/**
 * The cost and time model: a shipment's cost and delivery days from the location's zone table for
 * the order's speed class, plus the location's handling cost and days.
 */
import type { RoutingLocation, RoutingNetwork, SpeedClass, ZoneBand, ZoneTable } from "./types";

/**
 * Defaults for a US-style ground network (cents, days); a shop replaces them per location.  Same-day
 * stops at 40 km: further away it is not a same-day delivery, whatever the rule says.
 */
export const DEFAULT_ZONE_TABLE: ZoneTable = {
  standard: [
    { maxKm: 50, costCents: 599, transitDays: 1 },
    { maxKm: 300, costCents: 799, transitDays: 2 },
    { maxKm: 800, costCents: 999, transitDays: 3 },
    { maxKm: 1800, costCents: 1199, transitDays: 4 },
    { maxKm: 3200, costCents: 1399, transitDays: 5 },
    { maxKm: null, costCents: 2499, transitDays: 8 },
  ],
  expedited: [
    { maxKm: 300, costCents: 1499, transitDays: 1 },
    { maxKm: 1800, costCents: 2199, transitDays: 2 },
    { maxKm: 3200, costCents: 2799, transitDays: 2 },
    { maxKm: null, costCents: 4999, transitDays: 4 },
  ],
  sameDay: [{ maxKm: 40, costCents: 1299, transitDays: 0 }],
};

export type Estimate = { ok: true; costCents: number; days: number } | { ok: false; reason: string };

export function zoneTableFor(network: RoutingNetwork, locationId: string): ZoneTable {
  return network.zoneTables?.[locationId] ?? network.defaultZoneTable ?? DEFAULT_ZONE_TABLE;
}

function bandsFor(table: ZoneTable, speed: SpeedClass): ZoneBand[] {
  if (speed === "expedited") return table.expedited ?? table.standard;
  if (speed === "same_day") return table.sameDay ?? table.standard;
  return table.standard;
}

/** Cost and days of one shipment from `location` over `distanceKm`, or why that speed cannot reach so far. */
export function estimateShipment(
  location: RoutingLocation,
  table: ZoneTable,
  speed: SpeedClass,
  distanceKm: number,
): Estimate {
  // The customer collects: no carrier, and the cut-off check already promised "ready today".
  if (speed === "pickup") return { ok: true, costCents: location.handlingCostCents, days: 0 };
  const bands = bandsFor(table, speed);
  const band = bands.find((b) => b.maxKm === null || distanceKm <= b.maxKm);
  if (!band) {
    const last = bands[bands.length - 1]?.maxKm ?? 0;
    return { ok: false, reason: `outside its ${speed} zone table (${distanceKm} km > ${last} km)` };
  }
  // Same-day is picked, packed and delivered today: handling days do not add.
  const days = speed === "same_day" ? band.transitDays : location.handlingDays + band.transitDays;
  return { ok: true, costCents: location.handlingCostCents + band.costCents, days };
}
