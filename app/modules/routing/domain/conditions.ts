/**
 * Does a rule apply to an order?  Every failed condition is reported with the values compared, so
 * the trace can say why an earlier rule did not match.
 */
import { haversineKm, roundKm } from "./geo";
import type { Range, RoutingOrder, RuleConditions } from "./types";

export interface ConditionResult {
  matched: boolean;
  /** When matched: the conditions that held; otherwise: the ones that failed. */
  reasons: string[];
}

const given = <T>(list: T[] | undefined): list is T[] => list !== undefined && list.length > 0;
const lower = (values: string[]) => values.map((v) => v.trim().toLowerCase());
const show = (values: readonly string[]) => `[${values.join(", ")}]`;
const compactPostal = (zip: string) => zip.replace(/\s+/g, "").toUpperCase();

/** Evaluates every condition (not just up to the first failure), so the trace names them all. */
export function evaluateConditions(conditions: RuleConditions, order: RoutingOrder): ConditionResult {
  const held: string[] = [];
  const failed: string[] = [];
  const check = (ok: boolean, pass: string, fail: string) => (ok ? held : failed).push(ok ? pass : fail);

  if (given(conditions.channels)) {
    const ok = conditions.channels.includes(order.channel);
    check(ok, `channel ${order.channel} in ${show(conditions.channels)}`, `channel ${order.channel} not in ${show(conditions.channels)}`);
  }
  if (conditions.b2b !== undefined) {
    const want = conditions.b2b ? "B2B" : "non-B2B";
    check(conditions.b2b === order.b2b, `order is ${want}`, `order is ${order.b2b ? "B2B" : "non-B2B"}, rule wants ${want}`);
  }
  if (given(conditions.companyIds)) {
    const company = order.companyId ?? "none";
    const ok = order.companyId !== null && conditions.companyIds.includes(order.companyId);
    check(ok, `company ${company} in ${show(conditions.companyIds)}`, `company ${company} not in ${show(conditions.companyIds)}`);
  }
  if (given(conditions.speeds)) {
    const ok = conditions.speeds.includes(order.speed);
    check(ok, `speed ${order.speed} in ${show(conditions.speeds)}`, `speed ${order.speed} not in ${show(conditions.speeds)}`);
  }

  const destination = conditions.destination;
  const dest = order.destination;
  const country = dest.countryCode.toUpperCase();
  if (destination && given(destination.countries)) {
    const ok = destination.countries.some((c) => c.toUpperCase() === country);
    check(ok, `country ${country} in ${show(destination.countries)}`, `country ${country} not in ${show(destination.countries)}`);
  }
  if (destination && given(destination.regions)) {
    const province = dest.provinceCode?.toUpperCase() ?? null;
    const region = province === null ? "none" : `${country}-${province}`;
    // "US-CA" names the country too; a bare "CA" matches the province code of any country.
    const ok =
      province !== null && destination.regions.some((r) => [province, `${country}-${province}`].includes(r.toUpperCase()));
    check(ok, `region ${region} in ${show(destination.regions)}`, `region ${region} not in ${show(destination.regions)}`);
  }
  if (destination && given(destination.postalPrefixes)) {
    const zip = dest.zip === null ? null : compactPostal(dest.zip);
    const ok = zip !== null && destination.postalPrefixes.some((p) => zip.startsWith(compactPostal(p)));
    check(
      ok,
      `postal code ${dest.zip} starts with one of ${show(destination.postalPrefixes)}`,
      `postal code ${dest.zip ?? "none"} does not start with any of ${show(destination.postalPrefixes)}`,
    );
  }
  if (destination?.radius) {
    const { lat, lng, km } = destination.radius;
    const distance = roundKm(haversineKm(lat, lng, dest.lat, dest.lng));
    const where = `${distance} km from (${lat}, ${lng})`;
    check(distance <= km, `destination ${where}, within ${km} km`, `destination ${where}, more than ${km} km`);
  }

  if (given(conditions.skuTags)) {
    const wanted = lower(conditions.skuTags);
    const hit = order.lines.find((l) => lower(l.tags).some((t) => wanted.includes(t)));
    check(
      hit !== undefined,
      `line ${hit?.lineKey} (${hit?.sku}) has a tag in ${show(conditions.skuTags)}`,
      `no line has a tag in ${show(conditions.skuTags)}`,
    );
  }
  if (given(conditions.demandTiers)) {
    const tiers = conditions.demandTiers;
    const hit = order.lines.find((l) => l.demandTier !== undefined && tiers.includes(l.demandTier));
    check(
      hit !== undefined,
      `line ${hit?.lineKey} (${hit?.sku}) is in demand tier ${hit?.demandTier}`,
      `no line in demand tier ${show(tiers)} (tiers: ${show(distinct(order.lines.map((l) => l.demandTier ?? "none")))})`,
    );
  }
  if (conditions.orderValue) {
    rangeCheck(conditions.orderValue, order.valueCents, "order value", "¢", held, failed);
  }
  if (conditions.lineCount) {
    rangeCheck(conditions.lineCount, order.lines.length, "line count", "", held, failed);
  }
  if (given(conditions.customerTags)) {
    const wanted = lower(conditions.customerTags);
    const ok = lower(order.customerTags).some((t) => wanted.includes(t));
    check(
      ok,
      `customer has a tag in ${show(conditions.customerTags)}`,
      `customer tags ${show(order.customerTags)} include none of ${show(conditions.customerTags)}`,
    );
  }

  if (failed.length > 0) return { matched: false, reasons: failed };
  return { matched: true, reasons: held.length > 0 ? held : ["no conditions: matches every order"] };
}

function rangeCheck(range: Range, value: number, label: string, unit: string, held: string[], failed: string[]) {
  if (range.min !== undefined && value < range.min) {
    failed.push(`${label} ${value}${unit} below minimum ${range.min}${unit}`);
  } else if (range.max !== undefined && value > range.max) {
    failed.push(`${label} ${value}${unit} above maximum ${range.max}${unit}`);
  } else {
    held.push(`${label} ${value}${unit} within [${range.min ?? "-"}, ${range.max ?? "-"}]`);
  }
}

function distinct(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}
