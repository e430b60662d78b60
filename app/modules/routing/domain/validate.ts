/**
 * Input checks for the routing core.  Bad input throws DomainError.invalid naming the field, so the
 * caller (or the simulator's input file) can be fixed; a merely unlucky order is not an error.
 */
import { DomainError } from "#app/platform/errors";
import { parseClock } from "./hours";
import type { RoutingLocation, RoutingNetwork, RoutingOrder, RoutingProfile, TimeRange, ZoneBand, ZoneTable } from "./types";

const SPEEDS = ["standard", "expedited", "same_day", "pickup"];
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const KINDS = ["warehouse", "store", "3pl", "wholesale_dc", "marketplace"];
const SORT_KEYS = ["distance", "shipping_cost", "delivery_days", "stock_depth", "weeks_of_supply", "remaining_capacity", "location_priority"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const fail = (field: string, problem: string): never => {
  throw DomainError.invalid(field, problem);
};
const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isWhole = (x: unknown, min: number) => Number.isInteger(x) && (x as number) >= min;

function nonEmpty(value: unknown, field: string): void {
  if (typeof value !== "string" || value.trim() === "") fail(field, "must be a non-empty string");
}

function atLeast(value: unknown, min: number, field: string): void {
  if (!isNumber(value) || value < min) fail(field, `must be a number >= ${min}`);
}

function coordinates(lat: unknown, lng: unknown, field: string): void {
  if (!isNumber(lat) || lat < -90 || lat > 90) fail(`${field}.lat`, "must be a latitude between -90 and 90");
  if (!isNumber(lng) || lng < -180 || lng > 180) fail(`${field}.lng`, "must be a longitude between -180 and 180");
}

function unique(ids: string[], field: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) fail(`${field}[${i}]`, `duplicate id "${id}"`);
    seen.add(id);
  });
}

export function validateOrder(order: RoutingOrder): void {
  nonEmpty(order.id, "order.id");
  if (!SPEEDS.includes(order.speed)) fail("order.speed", `must be one of ${SPEEDS.join(", ")}`);
  coordinates(order.destination.lat, order.destination.lng, "order.destination");
  atLeast(order.valueCents, 0, "order.valueCents");
  if (order.speed === "pickup" && !order.pickupLocationId) fail("order.pickupLocationId", "is required for a pickup order");
  if (order.lines.length === 0) fail("order.lines", "must not be empty");
  order.lines.forEach((line, i) => {
    nonEmpty(line.lineKey, `order.lines[${i}].lineKey`);
    nonEmpty(line.sku, `order.lines[${i}].sku`);
    if (!isWhole(line.quantity, 1)) fail(`order.lines[${i}].quantity`, "must be a whole number >= 1");
  });
  unique(order.lines.map((l) => l.lineKey), "order.lines.lineKey");
}

function ranges(list: TimeRange[], field: string): void {
  list.forEach(([from, to], i) => {
    if (parseClock(from, `${field}[${i}][0]`) >= parseClock(to, `${field}[${i}][1]`)) {
      // Overnight hours are two ranges (e.g. fri 22:00-24:00 and sat 00:00-02:00).
      fail(`${field}[${i}]`, `opens at ${from}, not before it closes at ${to}`);
    }
  });
}

function bands(list: ZoneBand[], field: string): void {
  if (list.length === 0) fail(field, "must have at least one band");
  let previous = -Infinity;
  list.forEach((band, i) => {
    const at = `${field}[${i}]`;
    if (band.maxKm === null) {
      if (i !== list.length - 1) fail(`${at}.maxKm`, "only the last band may be unbounded (null)");
    } else {
      atLeast(band.maxKm, 0, `${at}.maxKm`);
      if (band.maxKm <= previous) fail(`${at}.maxKm`, "bands must be in ascending order of maxKm");
      previous = band.maxKm;
    }
    atLeast(band.costCents, 0, `${at}.costCents`);
    atLeast(band.transitDays, 0, `${at}.transitDays`);
  });
}

function zoneTable(table: ZoneTable, field: string): void {
  bands(table.standard, `${field}.standard`);
  if (table.expedited) bands(table.expedited, `${field}.expedited`);
  if (table.sameDay) bands(table.sameDay, `${field}.sameDay`);
}

export function validateNetwork(network: RoutingNetwork): void {
  unique(network.locations.map((l) => l.id), "network.locations.id");
  network.locations.forEach((l, i) => validateLocation(l, `network.locations[${i}]`));
  const ids = new Set(network.locations.map((l) => l.id));
  (network.excluded ?? []).forEach((e, i) => {
    const at = `network.excluded[${i}]`;
    nonEmpty(e.id, `${at}.id`);
    nonEmpty(e.reason, `${at}.reason`);
    if (e.kind !== undefined && !KINDS.includes(e.kind)) fail(`${at}.kind`, `must be one of ${KINDS.join(", ")}`);
    if (ids.has(e.id)) fail(`${at}.id`, `duplicate id "${e.id}" (a location is either in the network or excluded from it, once)`);
    ids.add(e.id);
  });
  for (const [id, table] of Object.entries(network.zoneTables ?? {})) zoneTable(table, `network.zoneTables.${id}`);
  if (network.defaultZoneTable) zoneTable(network.defaultZoneTable, "network.defaultZoneTable");
}

/**
 * What is wrong with one location's settings (and its zone table), or null.  The live network
 * (network.server.ts) leaves such a location out — network.excluded, with this as the reason —
 * rather than let validateNetwork fail routing for the whole shop.
 */
export function locationProblem(location: RoutingLocation, table?: ZoneTable): string | null {
  try {
    validateLocation(location, "location");
    if (table) zoneTable(table, "location.shippingZones");
    return null;
  } catch (e) {
    // Settings read from a database may have any shape (a string where ranges belong): a TypeError
    // is as much the location's problem as a DomainError.
    if (!(e instanceof DomainError)) return `settings not in the expected format (${e instanceof Error ? e.message : String(e)}) — fix the location's settings`;
    return `invalid ${e.message.replace(/^location\./, "")} — fix the location's settings`;
  }
}

function validateLocation(l: RoutingLocation, at: string): void {
  nonEmpty(l.id, `${at}.id`);
  if (!KINDS.includes(l.kind)) fail(`${at}.kind`, `must be one of ${KINDS.join(", ")}`);
  // Both null: a location without coordinates (it ships nothing; candidates.ts).  One of the two
  // alone is a mistake, not a missing pair.
  if (l.lat !== null || l.lng !== null) coordinates(l.lat, l.lng, at);
  if (!isNumber(l.priority)) fail(`${at}.priority`, "must be a number");
  if (l.dailyCap !== null && !isWhole(l.dailyCap, 0)) fail(`${at}.dailyCap`, "must be a whole number >= 0 or null");
  if (!isWhole(l.usedToday, 0)) fail(`${at}.usedToday`, "must be a whole number >= 0");
  if (!WEEKDAYS.includes(l.localTime.weekday)) fail(`${at}.localTime.weekday`, `must be one of ${WEEKDAYS.join(", ")}`);
  if (!isWhole(l.localTime.minutes, 0) || l.localTime.minutes > 1439) fail(`${at}.localTime.minutes`, "must be a whole number 0..1439");
  if (!DATE.test(l.localTime.date)) fail(`${at}.localTime.date`, "must be YYYY-MM-DD");
  for (const [day, list] of Object.entries(l.openingHours ?? {})) {
    if (!WEEKDAYS.includes(day)) fail(`${at}.openingHours.${day}`, "is not a weekday (mon..sun)");
    ranges(list ?? [], `${at}.openingHours.${day}`);
  }
  l.exceptions.forEach((e, j) => {
    if (!DATE.test(e.date)) fail(`${at}.exceptions[${j}].date`, "must be YYYY-MM-DD");
    ranges(e.hours ?? [], `${at}.exceptions[${j}].hours`);
  });
  const cutoff = l.sameDayCutoffMinutes;
  if (cutoff !== undefined && (!isWhole(cutoff, 0) || cutoff > 1440)) fail(`${at}.sameDayCutoffMinutes`, "must be a whole number 0..1440");
  atLeast(l.handlingCostCents, 0, `${at}.handlingCostCents`);
  atLeast(l.handlingDays, 0, `${at}.handlingDays`);
  for (const [sku, units] of Object.entries(l.stock)) {
    if (!isNumber(units)) fail(`${at}.stock.${sku}`, "must be a number");
  }
  for (const [sku, units] of Object.entries(l.weeklyDemand ?? {})) atLeast(units, 0, `${at}.weeklyDemand.${sku}`);
}

export function validateProfile(profile: RoutingProfile): void {
  nonEmpty(profile.id, "profile.id");
  unique(profile.rules.map((r) => r.id), "profile.rules.id");
  profile.rules.forEach((rule, i) => {
    const at = `profile.rules[${i}]`;
    nonEmpty(rule.id, `${at}.id`);
    const c = rule.conditions;
    (c.speeds ?? []).forEach((s, j) => {
      if (!SPEEDS.includes(s)) fail(`${at}.conditions.speeds[${j}]`, `must be one of ${SPEEDS.join(", ")}`);
    });
    const radius = c.destination?.radius;
    if (radius) {
      coordinates(radius.lat, radius.lng, `${at}.conditions.destination.radius`);
      atLeast(radius.km, 0, `${at}.conditions.destination.radius.km`);
    }
    for (const name of ["orderValue", "lineCount"] as const) {
      const range = c[name];
      if (range?.min !== undefined && !isNumber(range.min)) fail(`${at}.conditions.${name}.min`, "must be a number");
      if (range?.max !== undefined && !isNumber(range.max)) fail(`${at}.conditions.${name}.max`, "must be a number");
      if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
        fail(`${at}.conditions.${name}`, `min ${range.min} is above max ${range.max}`);
      }
    }
    (rule.candidateFilter.locationKinds ?? []).forEach((k, j) => {
      if (!KINDS.includes(k)) fail(`${at}.candidateFilter.locationKinds[${j}]`, `must be one of ${KINDS.join(", ")}`);
    });
    if (rule.candidateFilter.maxDistanceKm !== undefined) atLeast(rule.candidateFilter.maxDistanceKm, 0, `${at}.candidateFilter.maxDistanceKm`);
    rule.sort.forEach((s, j) => {
      if (!SORT_KEYS.includes(s.by)) fail(`${at}.sort[${j}].by`, `must be one of ${SORT_KEYS.join(", ")}`);
      if (s.weight !== undefined && (!isNumber(s.weight) || s.weight <= 0)) fail(`${at}.sort[${j}].weight`, "must be a number > 0");
    });
    const split = rule.splitPolicy;
    if (split.kind === "max_shipments" && !isWhole(split.n, 1)) fail(`${at}.splitPolicy.n`, "must be a whole number >= 1");
    if (split.kind === "split_lines" && split.maxShipments !== undefined && !isWhole(split.maxShipments, 1)) {
      fail(`${at}.splitPolicy.maxShipments`, "must be a whole number >= 1");
    }
    if (!["none", "max_shipments", "split_lines"].includes(split.kind)) fail(`${at}.splitPolicy.kind`, "must be none, max_shipments or split_lines");
    const fallback = rule.fallback;
    if (!["next_rule", "queue", "backorder"].includes(fallback.kind)) fail(`${at}.fallback.kind`, "must be next_rule, queue or backorder");
    if (fallback.kind === "queue") nonEmpty(fallback.queue, `${at}.fallback.queue`);
  });
}
