/**
 * Plain data for the routing core: the merchant's rules, the order and the network it is routed over,
 * and the decision with its trace.
 *
 * The same code is meant to run inside a Shopify Function at checkout, so nothing here needs Node, Intl
 * or a clock: the caller passes each location's local time, already computed in its time zone.
 */

export type SpeedClass = "standard" | "expedited" | "same_day" | "pickup";

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** Same values as the inventory area's LocationKind (copied: pure code may not reach into another module). */
export type LocationKind = "warehouse" | "store" | "3pl" | "wholesale_dc" | "marketplace";

// ---- rules ------------------------------------------------------------------------------------

/** Inclusive bounds; a missing bound is open. */
export interface Range {
  min?: number;
  max?: number;
}

export interface RadiusCondition {
  lat: number;
  lng: number;
  km: number;
}

export interface DestinationCondition {
  /** ISO 3166-1 alpha-2, e.g. "US". */
  countries?: string[];
  /** Province codes, either bare ("CA") or country-qualified ("US-CA", which cannot be mistaken for Canada). */
  regions?: string[];
  /** Compared without spaces and case, so "SW1" matches "sw1a 1aa". */
  postalPrefixes?: string[];
  radius?: RadiusCondition;
}

/**
 * When a rule applies.  Every condition given must hold (AND); inside a list any value may match (OR).
 * An absent or empty list is no condition at all.  Tag comparisons ignore case, as Shopify's tags do.
 */
export interface RuleConditions {
  channels?: string[];
  /** true: B2B orders only; false: consumer orders only. */
  b2b?: boolean;
  companyIds?: string[];
  speeds?: SpeedClass[];
  destination?: DestinationCondition;
  /** Some line carries one of these tags. */
  skuTags?: string[];
  /** Some line is in one of these demand tiers (e.g. "high"). */
  demandTiers?: string[];
  /** Order value in cents. */
  orderValue?: Range;
  lineCount?: Range;
  /** The customer carries one of these tags. */
  customerTags?: string[];
}

/** Which locations a rule may ship from.  All given filters apply (AND). */
export interface CandidateFilter {
  locationKinds?: LocationKind[];
  /** When non-empty: only these location ids. */
  include?: string[];
  exclude?: string[];
  maxDistanceKm?: number;
}

export type SortKey =
  | "distance"
  | "shipping_cost"
  | "delivery_days"
  | "stock_depth"
  | "weeks_of_supply"
  | "remaining_capacity"
  | "location_priority";

/**
 * One sort criterion.  Unweighted criteria compare lexicographically in list order.  Weighted ones are
 * summed into one score at the position of the first weighted criterion: a weight converts the
 * criterion's unit into a common one (e.g. cost weight 1, days weight 300 = "a day is worth $3").
 */
export interface SortCriterion {
  by: SortKey;
  weight?: number;
}

export type SplitPolicy =
  | { kind: "none" }
  /** Up to n shipments; each line ships whole from one location. */
  | { kind: "max_shipments"; n: number }
  /** A line may be split across locations (optionally still capped at maxShipments). */
  | { kind: "split_lines"; maxShipments?: number };

export type Fallback =
  | { kind: "next_rule" }
  | { kind: "queue"; queue: string; reason: string }
  | { kind: "backorder" };

export interface Rule {
  id: string;
  name: string;
  conditions: RuleConditions;
  candidateFilter: CandidateFilter;
  /** Priority order; "fewest shipments" always comes before all of them. */
  sort: SortCriterion[];
  splitPolicy: SplitPolicy;
  /** What happens when the rule matches but no plan satisfies it. */
  fallback: Fallback;
}

export interface RoutingProfile {
  id: string;
  version: number;
  /** Evaluated in order; the first rule that matches and routes wins. */
  rules: Rule[];
}

// ---- order ------------------------------------------------------------------------------------

export interface OrderLine {
  /** Unique within the order (Shopify line item id). */
  lineKey: string;
  sku: string;
  quantity: number;
  tags: string[];
  demandTier?: string;
}

export interface Destination {
  countryCode: string;
  provinceCode: string | null;
  zip: string | null;
  /** Geocoded by the caller (address or postal-code centroid): distances need coordinates. */
  lat: number;
  lng: number;
}

export interface RoutingOrder {
  id: string;
  channel: string;
  b2b: boolean;
  companyId: string | null;
  speed: SpeedClass;
  destination: Destination;
  /** Required for speed "pickup": the store the customer chose. */
  pickupLocationId?: string | null;
  valueCents: number;
  customerTags: string[];
  lines: OrderLine[];
}

// ---- network ----------------------------------------------------------------------------------

/** ["09:00", "18:00"]: open from 09:00 up to (not including) 18:00; "24:00" closes at midnight. */
export type TimeRange = [string, string];

/** A weekday missing from the map is a closed day. */
export type OpeningHours = Partial<Record<Weekday, TimeRange[]>>;

/** A dated exception (holiday, short day) that replaces the weekday's hours. */
export interface HoursException {
  date: string;
  closed?: boolean;
  hours?: TimeRange[];
}

/** Wall-clock time at the location, computed by the caller from its time zone (no Intl in here). */
export interface LocalTime {
  weekday: Weekday;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
  /** YYYY-MM-DD, to look up exceptions. */
  date: string;
}

export interface RoutingLocation {
  id: string;
  name: string;
  kind: LocationKind;
  /**
   * null (both): the merchant has not set the location's coordinates (Shopify's REST Location has
   * none).  Such a location ships nothing — distance, shipping cost, transit days and the zone
   * bands that decide whether a speed reaches the customer all come from them — but it can still
   * hand over a pickup, where distance plays no part.  See candidates.ts.
   */
  lat: number | null;
  lng: number | null;
  /** Explicit merchant priority: lower is preferred. */
  priority: number;
  /** Fulfils consumer online orders at all (B2B orders are not bound by it). */
  shipsOnline: boolean;
  offersPickup: boolean;
  /** For stores: ship-from-store is switched on. */
  shipsFromStore: boolean;
  /** Shipments per local day; null: no cap. */
  dailyCap: number | null;
  /** Shipments already counted against today's cap (read from the transactional counter). */
  usedToday: number;
  localTime: LocalTime;
  /** null: no hours constraint (e.g. a 24/7 warehouse). */
  openingHours: OpeningHours | null;
  exceptions: HoursException[];
  /** Same-day orders must be placed before this many minutes after local midnight. */
  sameDayCutoffMinutes?: number;
  handlingCostCents: number;
  handlingDays: number;
  /** ATS per SKU here, net of reservations; a missing SKU is 0 and a negative value counts as 0. */
  stock: Record<string, number>;
  /** Units per week per SKU, for weeks of supply. */
  weeklyDemand?: Record<string, number>;
}

/** Shipping cost and transit time up to a distance; maxKm null covers everything beyond. */
export interface ZoneBand {
  maxKm: number | null;
  costCents: number;
  transitDays: number;
}

/**
 * Distance bands (ascending maxKm) per speed class.  Expedited and same-day fall back to the standard
 * bands when absent; a distance beyond the last band cannot be served at that speed.
 */
export interface ZoneTable {
  standard: ZoneBand[];
  expedited?: ZoneBand[];
  sameDay?: ZoneBand[];
}

/**
 * A location of the network that routing cannot use at all until the merchant fixes its settings
 * (a time zone that is not an IANA zone, opening hours or a zone table that do not parse…).  The
 * caller leaves it out of `locations` and lists it here, so one badly configured location does not
 * stop routing for the whole shop, and every decision says why it was not considered.
 */
export interface ExcludedLocation {
  id: string;
  name: string;
  /** When known and valid, so a rule's kind filter can still speak first in the trace. */
  kind?: LocationKind;
  /** What is wrong and what to do: "time zone \"Pacific\" is not an IANA zone … — fix the location's time zone". */
  reason: string;
}

export interface RoutingNetwork {
  locations: RoutingLocation[];
  /** Locations left out for their configuration, with why (not routed to; named in every trace). */
  excluded?: ExcludedLocation[];
  /** Per location id; locations without one use defaultZoneTable (or DEFAULT_ZONE_TABLE). */
  zoneTables?: Record<string, ZoneTable>;
  defaultZoneTable?: ZoneTable;
}

// ---- decision ---------------------------------------------------------------------------------

export interface PlannedLine {
  lineKey: string;
  sku: string;
  quantity: number;
}

export interface Shipment {
  locationId: string;
  lines: PlannedLine[];
  distanceKm: number;
  costCents: number;
  days: number;
}

export interface RoutingPlan {
  shipments: Shipment[];
  totals: { shipments: number; costCents: number; maxDays: number };
}

export interface RuleTrace {
  ruleId: string;
  matched: boolean;
  /** Failed conditions (with the values) when not matched; held conditions and the outcome when matched. */
  reasons: string[];
  /** What each number of a compared plan's score means, when the rule got as far as the search. */
  scoreKeys?: string[];
}

export interface CandidateTrace {
  ruleId: string;
  locationId: string;
  accepted: boolean;
  reason: string;
  /**
   * Rejected for the location's own settings (no coordinates, an excluded location), not for the
   * order, stock or the rule: the merchant fixes the location, then re-routes.
   */
  misconfigured?: true;
}

export interface PlanComparison {
  ruleId: string;
  locations: string[];
  /** Lower is better, compared left to right; see RuleTrace.scoreKeys. */
  score: number[];
  chosen: boolean;
}

export type SearchMode = "exact" | "heuristic";

export interface RoutingTrace {
  rules: RuleTrace[];
  candidates: CandidateTrace[];
  /** The best plans of each search, at most MAX_PLANS_TRACED per rule. */
  plansCompared: PlanComparison[];
  /** Feasible plans scored in total (the list above is capped). */
  plansConsidered: number;
  /** Mode of the last search run; null when no rule got as far as a search. */
  searchMode: SearchMode | null;
}

export type RoutingStatus = "routed" | "queued" | "backordered" | "unroutable";

export interface RoutingDecision {
  orderId: string;
  profileId: string;
  profileVersion: number;
  status: RoutingStatus;
  /** The rule that decided (routed, queued, backordered); null when no rule did. */
  ruleId: string | null;
  /** Set when status is "queued". */
  queue: string | null;
  /** Set when status is "routed". */
  plan: RoutingPlan | null;
  trace: RoutingTrace;
  reason: string;
}
