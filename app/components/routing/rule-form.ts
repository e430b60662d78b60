/**
 * The rule editor's client-side state: one RuleForm per rule, every input kept as the text the
 * merchant typed.  toRules turns it into the rules JSON posted to the server, which validates it
 * (validateProfile) and names the field when something is wrong — so a number that does not parse
 * is sent as the text itself, and the server's message says which field.
 *
 * Pure and browser-safe: type imports only.
 */
import type { LocationKind, Rule, SortKey, SpeedClass } from "#app/modules/routing/index";

export type SplitKind = "none" | "max_shipments" | "split_lines";
export type FallbackKind = "next_rule" | "queue" | "backorder";
export type B2bChoice = "any" | "yes" | "no";

export interface SortForm {
  /** React key only. */
  key: string;
  by: string;
  weight: string;
}

export interface RuleForm {
  /** React key only (stable across renames and moves). */
  key: string;
  id: string;
  name: string;
  channels: string[];
  b2b: B2bChoice;
  companyIds: string;
  speeds: string[];
  countries: string;
  regions: string;
  postalPrefixes: string;
  radiusOn: boolean;
  radiusLat: string;
  radiusLng: string;
  radiusKm: string;
  skuTags: string;
  demandTiers: string;
  /** Dollars (the rule stores cents). */
  orderValueMin: string;
  orderValueMax: string;
  lineCountMin: string;
  lineCountMax: string;
  customerTags: string;
  kinds: string[];
  include: string[];
  exclude: string[];
  maxDistanceKm: string;
  sort: SortForm[];
  split: SplitKind;
  splitN: string;
  splitMaxShipments: string;
  fallback: FallbackKind;
  queue: string;
  queueReason: string;
}

export const SPEEDS: { value: SpeedClass; label: string }[] = [
  { value: "standard", label: "Standard" },
  { value: "expedited", label: "Expedited" },
  { value: "same_day", label: "Same day" },
  { value: "pickup", label: "Store pickup" },
];

export const LOCATION_KINDS: { value: LocationKind; label: string }[] = [
  { value: "warehouse", label: "Warehouse" },
  { value: "store", label: "Store" },
  { value: "3pl", label: "3PL" },
  { value: "wholesale_dc", label: "Wholesale DC" },
];

export const SORT_KEYS: { value: SortKey; label: string; help: string }[] = [
  { value: "distance", label: "Distance", help: "Km to the customer (nearest first)" },
  { value: "shipping_cost", label: "Shipping cost", help: "Estimated cost (cheapest first)" },
  { value: "delivery_days", label: "Delivery days", help: "Estimated days to deliver (fastest first)" },
  { value: "stock_depth", label: "Stock depth", help: "Units available for the order's SKUs (deepest first)" },
  { value: "weeks_of_supply", label: "Weeks of supply", help: "Stock ÷ weekly demand (most first)" },
  { value: "remaining_capacity", label: "Remaining daily capacity", help: "Ship-from-store slots left today (most first)" },
  { value: "location_priority", label: "Location priority", help: "Your explicit ranking (lowest number first)" },
];

export const SPLIT_POLICIES: { value: SplitKind; label: string }[] = [
  { value: "none", label: "No split (one shipment)" },
  { value: "max_shipments", label: "Up to N shipments (each line whole)" },
  { value: "split_lines", label: "Split lines across locations" },
];

export const FALLBACKS: { value: FallbackKind; label: string }[] = [
  { value: "next_rule", label: "Try the next rule" },
  { value: "queue", label: "Park in a named queue" },
  { value: "backorder", label: "Backorder" },
];

const list = (xs: readonly string[] | undefined) => (xs ?? []).join(", ");
const text = (n: number | undefined) => (n === undefined || n === null ? "" : String(n));
const dollars = (cents: number | undefined) => (cents === undefined || cents === null ? "" : String(cents / 100));

let seq = 0;
/** A fresh React key for a rule or sort row added in the browser. */
export function newKey(prefix: string): string {
  seq += 1;
  return `${prefix}-new-${seq}`;
}

export function toForm(rule: Rule, key: string): RuleForm {
  const c = rule.conditions ?? {};
  const d = c.destination ?? {};
  const f = rule.candidateFilter ?? {};
  const split = rule.splitPolicy ?? { kind: "none" };
  const fallback = rule.fallback ?? { kind: "next_rule" };
  return {
    key,
    id: rule.id,
    name: rule.name ?? "",
    channels: [...(c.channels ?? [])],
    b2b: c.b2b === true ? "yes" : c.b2b === false ? "no" : "any",
    companyIds: list(c.companyIds),
    speeds: [...(c.speeds ?? [])],
    countries: list(d.countries),
    regions: list(d.regions),
    postalPrefixes: list(d.postalPrefixes),
    radiusOn: Boolean(d.radius),
    radiusLat: text(d.radius?.lat),
    radiusLng: text(d.radius?.lng),
    radiusKm: text(d.radius?.km),
    skuTags: list(c.skuTags),
    demandTiers: list(c.demandTiers),
    orderValueMin: dollars(c.orderValue?.min),
    orderValueMax: dollars(c.orderValue?.max),
    lineCountMin: text(c.lineCount?.min),
    lineCountMax: text(c.lineCount?.max),
    customerTags: list(c.customerTags),
    kinds: [...(f.locationKinds ?? [])],
    include: [...(f.include ?? [])],
    exclude: [...(f.exclude ?? [])],
    maxDistanceKm: text(f.maxDistanceKm),
    sort: (rule.sort ?? []).map((s, i) => ({ key: `${key}-s${i}`, by: s.by, weight: text(s.weight) })),
    split: split.kind,
    splitN: split.kind === "max_shipments" ? text(split.n) : "2",
    splitMaxShipments: split.kind === "split_lines" ? text(split.maxShipments) : "",
    fallback: fallback.kind,
    queue: fallback.kind === "queue" ? fallback.queue : "",
    queueReason: fallback.kind === "queue" ? fallback.reason : "",
  };
}

export function blankRule(existingIds: string[]): RuleForm {
  let n = existingIds.length + 1;
  while (existingIds.includes(`rule-${n}`)) n += 1;
  return toForm({ id: `rule-${n}`, name: "", conditions: {}, candidateFilter: {}, sort: [{ by: "distance" }], splitPolicy: { kind: "none" }, fallback: { kind: "next_rule" } }, newKey("rule"));
}

/** "US, ca ,US-CA" → ["US", "ca", "US-CA"]. */
function split(textValue: string): string[] | undefined {
  const items = textValue
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** A number when the text is one; the text itself otherwise (the server then names the field). */
function num(value: string): number | string | undefined {
  const t = value.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function cents(value: string): number | string | undefined {
  const n = num(value);
  return typeof n === "number" ? Math.round(n * 100) : n;
}

function range(min: number | string | undefined, max: number | string | undefined) {
  if (min === undefined && max === undefined) return undefined;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The rule as posted: shaped like Rule, but numbers that did not parse stay text for the server to reject. */
export function toRule(r: RuleForm): Record<string, unknown> {
  const destination = compact({
    countries: split(r.countries),
    regions: split(r.regions),
    postalPrefixes: split(r.postalPrefixes),
    radius: r.radiusOn ? compact({ lat: num(r.radiusLat), lng: num(r.radiusLng), km: num(r.radiusKm) }) : undefined,
  });
  const conditions = compact({
    channels: r.channels.length ? r.channels : undefined,
    b2b: r.b2b === "yes" ? true : r.b2b === "no" ? false : undefined,
    companyIds: split(r.companyIds),
    speeds: r.speeds.length ? r.speeds : undefined,
    destination: Object.keys(destination).length ? destination : undefined,
    skuTags: split(r.skuTags),
    demandTiers: split(r.demandTiers),
    orderValue: range(cents(r.orderValueMin), cents(r.orderValueMax)),
    lineCount: range(num(r.lineCountMin), num(r.lineCountMax)),
    customerTags: split(r.customerTags),
  });
  const candidateFilter = compact({
    locationKinds: r.kinds.length ? r.kinds : undefined,
    include: r.include.length ? r.include : undefined,
    exclude: r.exclude.length ? r.exclude : undefined,
    maxDistanceKm: num(r.maxDistanceKm),
  });
  const splitPolicy =
    r.split === "max_shipments"
      ? { kind: "max_shipments", n: num(r.splitN) ?? "" }
      : r.split === "split_lines"
        ? compact({ kind: "split_lines", maxShipments: num(r.splitMaxShipments) })
        : { kind: "none" };
  const fallback = r.fallback === "queue" ? { kind: "queue", queue: r.queue.trim(), reason: r.queueReason.trim() } : { kind: r.fallback };
  return {
    id: r.id.trim(),
    name: r.name.trim(),
    conditions,
    candidateFilter,
    sort: r.sort.map((s) => compact({ by: s.by, weight: num(s.weight) })),
    splitPolicy,
    fallback,
  };
}

export function toRules(forms: RuleForm[]): Record<string, unknown>[] {
  return forms.map(toRule);
}

/**
 * Where a server message points: "profile.rules[2].splitPolicy.n: must be …" → rule 2, path
 * "splitPolicy.n".  A duplicate id ("profile.rules.id[2]") points at rule 2's id.
 */
export function locateError(field: string | null): { index: number; path: string } | null {
  if (!field) return null;
  const dup = /^profile\.rules\.id\[(\d+)\]$/.exec(field);
  if (dup) return { index: Number(dup[1]), path: "id" };
  const m = /^(?:profile\.)?rules\[(\d+)\]\.(.+)$/.exec(field);
  return m ? { index: Number(m[1]), path: m[2]! } : null;
}

/** Does an error path concern this field (the field itself, an item of it, or a part of it)? */
export function concerns(errorPath: string | null | undefined, ...fields: string[]): boolean {
  if (!errorPath) return false;
  return fields.some((f) => errorPath === f || errorPath.startsWith(`${f}.`) || errorPath.startsWith(`${f}[`));
}

const label = <T extends string>(options: { value: T; label: string }[], value: string) => options.find((o) => o.value === value)?.label ?? value;

/** One line for a collapsed rule: when, from where, ranked how, split how, else what. */
export function summarize(r: RuleForm, locationName: (id: string) => string): string {
  const when: string[] = [];
  if (r.channels.length) when.push(`channel ${r.channels.join("/")}`);
  if (r.b2b !== "any") when.push(r.b2b === "yes" ? "B2B" : "not B2B");
  if (r.companyIds.trim()) when.push("given companies");
  if (r.speeds.length) when.push(r.speeds.map((s) => label(SPEEDS, s).toLowerCase()).join("/"));
  const dest = [r.countries, r.regions, r.postalPrefixes].map((s) => s.trim()).filter(Boolean);
  if (dest.length) when.push(`shipping to ${dest.join(", ")}`);
  if (r.radiusOn) when.push(`within ${r.radiusKm || "?"} km of a point`);
  if (r.skuTags.trim()) when.push(`SKU tags ${r.skuTags}`);
  if (r.demandTiers.trim()) when.push(`demand tier ${r.demandTiers}`);
  if (r.orderValueMin.trim() || r.orderValueMax.trim()) when.push(`value $${r.orderValueMin || "0"}–${r.orderValueMax ? `$${r.orderValueMax}` : "any"}`);
  if (r.lineCountMin.trim() || r.lineCountMax.trim()) when.push(`${r.lineCountMin || "0"}–${r.lineCountMax || "any"} lines`);
  if (r.customerTags.trim()) when.push(`customer tags ${r.customerTags}`);
  const from: string[] = [];
  if (r.kinds.length) from.push(`${r.kinds.map((k) => label(LOCATION_KINDS, k)).join("/")} locations`);
  if (r.include.length) from.push(r.include.map(locationName).join(", "));
  let fromText = from.length ? from.join(" among ") : "any location";
  if (r.exclude.length) fromText += ` except ${r.exclude.map(locationName).join(", ")}`;
  if (r.maxDistanceKm.trim()) fromText += ` within ${r.maxDistanceKm} km`;
  const by = r.sort.map((s) => `${label(SORT_KEYS, s.by).toLowerCase()}${s.weight.trim() ? ` ×${s.weight}` : ""}`).join(", then ");
  const splitText = r.split === "none" ? "one shipment" : r.split === "max_shipments" ? `up to ${r.splitN || "?"} shipments` : `lines may split${r.splitMaxShipments.trim() ? ` (≤ ${r.splitMaxShipments})` : ""}`;
  const elseText = r.fallback === "queue" ? `queue "${r.queue}"` : r.fallback === "backorder" ? "backorder" : "next rule";
  return [
    `When ${when.length ? when.join(", ") : "any order"}`,
    `from ${fromText}`,
    by ? `by ${by}` : "fewest shipments only",
    splitText,
    `else ${elseText}`,
  ].join(" · ");
}
