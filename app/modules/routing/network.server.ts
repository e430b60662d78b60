import type { Db, DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { locationProblem } from "./domain/index";
import type { ExcludedLocation, HoursException, LocalTime, LocationKind, OpeningHours, RoutingLocation, RoutingNetwork, Weekday, ZoneTable } from "./domain/index";

/**
 * The routing network as the live shop sees it: every active, writable location with its ATS per
 * SKU net of the hub's holds, today's shipments against its cap, and its wall-clock time.
 *
 * The pure core has no clock and no Intl (it must run in a Shopify Function), so local time is
 * computed here, per location time zone, with Intl.DateTimeFormat.
 *
 * Nothing about one location's settings may fail the whole load: a location whose time zone,
 * hours or zone table routing cannot read is listed in `network.excluded` with what to fix, and
 * routing goes on with the others (a location without coordinates stays in; the core keeps it out
 * of shipments).  Errors still thrown here are the database's.
 */
type Q = Db | DbTx;

const WEEKDAYS: Record<string, Weekday> = { Mon: "mon", Tue: "tue", Wed: "wed", Thu: "thu", Fri: "fri", Sat: "sat", Sun: "sun" };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in an IANA zone; an unknown zone is a configuration error naming the location. */
export function localTimeIn(timeZone: string, at: Date, where = "location"): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    } catch {
      throw DomainError.invalid(`${where}.timeZone`, `"${timeZone}" is not an IANA time zone (e.g. America/Los_Angeles)`);
    }
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    weekday: WEEKDAYS[parts.weekday!]!,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** Demand tier of a SKU from its tags: `demand:<tier>`, or the catalog's `high-demand` tag. */
export function demandTierOf(tags: string[]): string | undefined {
  for (const t of tags) if (t.startsWith("demand:")) return t.slice("demand:".length);
  return tags.includes("high-demand") ? "high" : undefined;
}

const DEMAND_WINDOW_DAYS = 28;

export interface NetworkOptions {
  /** SKUs the network needs stock for (the order's, or the replayed orders'). */
  skus: string[];
  /** Only these location ids (a channel's eligible locations); all when absent. */
  locationIds?: string[];
  /** Units this order already holds, added back so re-routing can keep or move them. */
  ownAllocations?: { locationId: string; variantId: string; quantity: number }[];
}

export interface LoadedNetwork {
  network: RoutingNetwork;
  /** SKU → how one unit resolves to stocked variants (a kit to its components). */
  requirements: Map<string, { variantId: string; perUnit: number }[]>;
  /** Per location id: its local date (the daily-cap counter's key). */
  localDates: Map<string, string>;
  /** Per SKU: its tags and demand tier, for the order lines. */
  skuInfo: Map<string, { tags: string[]; demandTier?: string }>;
  /**
   * SKUs routing cannot place whatever the stock, and why: not in the catalog any more, a kit with
   * no components, a kit whose component is gone.  Left to the caller: an order with such a line
   * is unroutable until the catalog is fixed (no backorder would ever fill it).
   */
  skuProblems: Map<string, string>;
}

export async function loadRoutingNetwork(db: Q, shop: string, now: Date, opts: NetworkOptions): Promise<LoadedNetwork> {
  const locations = await db.location.findMany({
    where: { shop, active: true, readOnly: false, ...(opts.locationIds ? { id: { in: opts.locationIds } } : {}) },
    orderBy: { id: "asc" },
  });
  const skus = [...new Set(opts.skus)];
  const variants = skus.length ? await db.variant.findMany({ where: { shop, sku: { in: skus } } }) : [];
  const products = variants.length ? await db.product.findMany({ where: { shop, id: { in: [...new Set(variants.map((v) => v.productId))] } }, select: { id: true, tags: true } }) : [];
  const productTags = new Map(products.map((p) => [p.id, p.tags]));
  const kitIds = variants.filter((v) => v.isKit).map((v) => v.id);
  const kits = kitIds.length ? await db.kitComponent.findMany({ where: { shop, kitVariantId: { in: kitIds } } }) : [];

  const requirements = new Map<string, { variantId: string; perUnit: number }[]>();
  const skuInfo = new Map<string, { tags: string[]; demandTier?: string }>();
  for (const v of variants) {
    requirements.set(v.sku, v.isKit ? kits.filter((k) => k.kitVariantId === v.id).map((k) => ({ variantId: k.componentVariantId, perUnit: k.quantity })) : [{ variantId: v.id, perUnit: 1 }]);
    const tags = [...splitCsv(productTags.get(v.productId) ?? ""), ...splitCsv(v.tags)];
    skuInfo.set(v.sku, { tags: [...new Set(tags)], demandTier: demandTierOf(tags) });
  }
  const skuProblems = new Map<string, string>();
  for (const sku of skus) if (!requirements.has(sku)) skuProblems.set(sku, `SKU ${sku} is not in the catalog (no variant has it)`);
  const componentIds = [...new Set(kits.map((k) => k.componentVariantId))];
  const components = componentIds.length ? new Set((await db.variant.findMany({ where: { shop, id: { in: componentIds } }, select: { id: true } })).map((v) => v.id)) : new Set<string>();
  for (const v of variants) {
    if (!v.isKit) continue;
    const reqs = requirements.get(v.sku) ?? [];
    if (reqs.length === 0) skuProblems.set(v.sku, `kit ${v.sku} has no components — set its components in the catalog`);
    else if (reqs.some((r) => !components.has(r.variantId))) skuProblems.set(v.sku, `kit ${v.sku} has a component that is no longer in the catalog — fix its components`);
  }
  const stocked = [...new Set([...requirements.values()].flat().map((r) => r.variantId))];
  const locIds = locations.map((l) => l.id);
  const levels = stocked.length && locIds.length ? await db.inventoryLevel.findMany({ where: { variantId: { in: stocked }, locationId: { in: locIds } }, select: { shop: true, variantId: true, locationId: true, available: true, held: true } }) : [];
  const sellable = new Map<string, number>(); // `${locationId}|${variantId}`
  for (const l of levels) if (l.shop === shop) sellable.set(`${l.locationId}|${l.variantId}`, l.available - l.held);
  for (const a of opts.ownAllocations ?? []) {
    const k = `${a.locationId}|${a.variantId}`;
    if (sellable.has(k)) sellable.set(k, sellable.get(k)! + a.quantity);
  }

  // Weekly demand per location: units allocated there over the last four weeks (reservations of
  // every channel), for "weeks of supply".
  const since = new Date(now.getTime() - DEMAND_WINDOW_DAYS * 86_400_000);
  const demand = new Map<string, number>(); // `${locationId}|${variantId}` → units per week
  if (stocked.length) {
    const recent = await db.reservation.findMany({
      where: { shop, variantId: { in: stocked }, createdAt: { gte: since }, status: { in: ["held", "committed", "consumed"] } },
      select: { id: true },
    });
    for (let i = 0; i < recent.length; i += 500) {
      const allocs = await db.reservationAllocation.findMany({ where: { reservationId: { in: recent.slice(i, i + 500).map((r) => r.id) } }, select: { locationId: true, variantId: true, quantity: true } });
      for (const a of allocs) {
        const k = `${a.locationId}|${a.variantId}`;
        demand.set(k, (demand.get(k) ?? 0) + a.quantity / (DEMAND_WINDOW_DAYS / 7));
      }
    }
  }

  // Each location is read on its own: one whose settings routing cannot use is left out with the
  // reason (network.excluded; every decision's trace names it), instead of failing routing for the
  // whole shop.  A location without coordinates stays in: it cannot ship, but it can hand over a
  // pickup (domain/candidates.ts says why).
  const localDates = new Map<string, string>();
  const excluded: ExcludedLocation[] = [];
  const usable: { row: (typeof locations)[number]; time: LocalTime; hours: OpeningHours; exceptions: HoursException[]; zones: ZoneTable | null }[] = [];
  for (const l of locations) {
    const problem = settingsProblem(l, now);
    if (typeof problem === "string") {
      excluded.push({ id: l.id, name: l.name, ...(isKind(l.kind) ? { kind: l.kind } : {}), reason: problem });
      continue;
    }
    usable.push({ row: l, ...problem });
  }
  const counts = usable.length ? await db.locationDayCount.findMany({ where: { shop, OR: usable.map((u) => ({ locationId: u.row.id, day: u.time.date })) } }) : [];
  const used = new Map(counts.map((c) => [c.locationId, c.used]));

  const zoneTables: Record<string, ZoneTable> = {};
  const routingLocations: RoutingLocation[] = [];
  for (const { row: l, time, hours, exceptions, zones } of usable) {
    const stock: Record<string, number> = {};
    const weeklyDemand: Record<string, number> = {};
    for (const [sku, reqs] of requirements) {
      if (reqs.length === 0) continue;
      // A kit is as available as its scarcest component allows.
      const units = Math.min(...reqs.map((r) => Math.floor(Math.max(0, sellable.get(`${l.id}|${r.variantId}`) ?? 0) / r.perUnit)));
      if (units > 0) stock[sku] = units;
      const d = Math.max(...reqs.map((r) => (demand.get(`${l.id}|${r.variantId}`) ?? 0) / r.perUnit));
      if (d > 0) weeklyDemand[sku] = Math.round(d * 100) / 100;
    }
    const location: RoutingLocation = {
      id: l.id,
      name: l.name,
      kind: l.kind as LocationKind,
      // Both or neither: half a pair is as good as none.
      lat: l.latitude !== null && l.longitude !== null ? l.latitude : null,
      lng: l.latitude !== null && l.longitude !== null ? l.longitude : null,
      priority: l.routingPriority,
      shipsOnline: l.shipsOnlineOrders,
      offersPickup: l.offersPickup,
      shipsFromStore: l.shipsFromStore,
      dailyCap: l.dailyShipFromStoreCap,
      usedToday: used.get(l.id) ?? 0,
      localTime: time,
      // "{}" means the merchant set no hours: no hours constraint (a 24/7 warehouse).
      openingHours: Object.keys(hours).length ? hours : null,
      exceptions,
      ...(l.sameDayCutoffMinutes !== null ? { sameDayCutoffMinutes: l.sameDayCutoffMinutes } : {}),
      handlingCostCents: l.handlingCostCents,
      handlingDays: l.handlingDays,
      stock,
      weeklyDemand,
    };
    // The same checks routeOrder makes on the whole network, per location, so a bad value (hours
    // that close before they open, a negative handling time…) leaves this one location out.
    const invalid = locationProblem(location, zones ?? undefined);
    if (invalid !== null) {
      excluded.push({ id: l.id, name: l.name, ...(isKind(l.kind) ? { kind: l.kind } : {}), reason: invalid });
      continue;
    }
    localDates.set(l.id, time.date);
    if (zones) zoneTables[l.id] = zones;
    routingLocations.push(location);
  }
  return { network: { locations: routingLocations, zoneTables, ...(excluded.length ? { excluded } : {}) }, requirements, localDates, skuInfo, skuProblems };
}

const KINDS: readonly string[] = ["warehouse", "store", "3pl", "wholesale_dc", "marketplace"] satisfies LocationKind[];
const isKind = (k: string): k is LocationKind => KINDS.includes(k);

type LocationRow = { name: string; timeZone: string; openingHours: string; hoursExceptions: string; shippingZones: string | null };

/**
 * What routing needs from a location's settings that may not parse — its clock (the IANA zone),
 * hours, dated exceptions and zone table — or, when one does not, what the merchant should fix.
 */
export function settingsProblem(l: LocationRow, now: Date): { time: LocalTime; hours: OpeningHours; exceptions: HoursException[]; zones: ZoneTable | null } | string {
  let time: LocalTime;
  try {
    time = localTimeIn(l.timeZone, now);
  } catch {
    return `time zone "${l.timeZone}" is not an IANA zone such as America/New_York — fix the location's time zone (hours, cut-offs and daily caps run on it)`;
  }
  const hours = readJson(l.openingHours, (v) => isPlainObject(v), "opening hours");
  if (typeof hours === "string") return hours;
  const exceptions = readJson(l.hoursExceptions, (v) => Array.isArray(v) && v.every(isPlainObject), "dated hours exceptions");
  if (typeof exceptions === "string") return exceptions;
  const zones = l.shippingZones === null ? { value: null } : readJson(l.shippingZones, (v) => isPlainObject(v) && Array.isArray(v.standard), "shipping zone table");
  if (typeof zones === "string") return zones;
  return { time, hours: hours.value as OpeningHours, exceptions: exceptions.value as HoursException[], zones: zones.value as ZoneTable | null };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readJson(text: string, shaped: (v: unknown) => boolean, what: string): { value: unknown } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `${what}: not valid JSON (${(e as Error).message}) — fix the location's settings`;
  }
  return shaped(value) ? { value } : `${what}: not in the expected format — fix the location's settings`;
}

function splitCsv(s: string): string[] {
  return s
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}
