/**
 * What the Orders pages render: plain JSON built by the loaders (order-view.server.ts) with
 * location names already in place of ids, so the components need nothing from the server modules.
 */

export const ORDER_STATUSES = ["received", "reserved", "routed", "queued", "backordered", "unroutable", "refused", "cancelled", "fulfilled_by_channel", "fulfilled", "closed"] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

export type OrderListRow = {
  id: string;
  name: string;
  /** ISO time. */
  placedAt: string;
  channel: string;
  channelCode: string;
  b2b: boolean;
  status: string;
  /** The queue a queued order is parked in. */
  queue: string | null;
  reason: string | null;
  speed: string;
  destination: string;
  lines: number;
  units: number;
  /** Location names of the current plan (routed orders). */
  shipsFrom: string[];
  rule: string | null;
};

export type PlannedLineView = { lineKey: string; sku: string; quantity: number };

export type ShipmentView = {
  locationId: string;
  location: string;
  lines: PlannedLineView[];
  distanceKm: number;
  costCents: number;
  days: number;
};

export type PlanView = {
  shipments: ShipmentView[];
  totals: { shipments: number; costCents: number; maxDays: number };
};

export type RuleTraceView = {
  ruleId: string;
  matched: boolean;
  reasons: string[];
};

export type CandidateView = { locationId: string; location: string; accepted: boolean; reason: string };

/** The candidate locations one evaluated rule looked at. */
export type CandidateGroupView = { ruleId: string; candidates: CandidateView[] };

export type PlanComparisonView = { locations: string[]; score: number[]; chosen: boolean };

/** The plans one rule's search compared; scoreKeys name the numbers of each score. */
export type PlanComparisonGroupView = { ruleId: string; scoreKeys: string[]; plans: PlanComparisonView[] };

export type TraceView = {
  rules: RuleTraceView[];
  candidates: CandidateGroupView[];
  plansCompared: PlanComparisonGroupView[];
  plansConsidered: number;
  searchMode: string | null;
  /** What the search mode means, in words. */
  searchNote: string | null;
};

export type DecisionView = {
  id: string;
  sequence: number;
  trigger: string;
  actor: string;
  /** ISO time. */
  createdAt: string;
  profileKey: string;
  profileVersion: number;
  status: string;
  ruleId: string | null;
  queue: string | null;
  reason: string;
  plan: PlanView | null;
  trace: TraceView;
};

export type DestinationView = {
  /** "San Diego, CA, 92101, US" */
  label: string;
  countryCode: string;
  provinceCode: string | null;
  zip: string | null;
  city: string | null;
  lat: number;
  lng: number;
  /** Where the coordinates come from: "address", "region" or "country" centroid, or "redacted". */
  geocode: string;
};

export type OrderView = {
  id: string;
  name: string;
  externalOrderId: string;
  channel: { code: string; name: string; kind: string };
  status: string;
  statusReason: string | null;
  queue: string | null;
  speed: string;
  b2b: boolean;
  companyId: string | null;
  customerTags: string[];
  destination: DestinationView;
  pickupLocation: string | null;
  valueCents: number;
  currencyCode: string;
  placedAt: string;
  routedAt: string | null;
};

export type AllocationView = { location: string; sku: string; quantity: number };

export type OrderLineView = {
  lineKey: string;
  sku: string;
  title: string;
  quantity: number;
  priceCents: number;
  reservation: { status: string; reason: string | null; allocations: AllocationView[] } | null;
};

export type OrderPageData = {
  order: OrderView;
  lines: OrderLineView[];
  /** Newest first: the first is the current decision. */
  decisions: DecisionView[];
};

export type OrderActionIntent = "reroute" | "cancel";

export type OrderActionResult = { ok: true; intent: OrderActionIntent; message: string } | { ok: false; intent: OrderActionIntent | null; field: string | null; message: string };
