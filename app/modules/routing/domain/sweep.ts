/**
 * Which changes can unblock an order routing could not place, and when a re-route of such an order
 * decided nothing new.  Pure: the callers (the profiles service, the Shopify location sync, the
 * unroutable sweep) do the I/O.  docs/routing.md, "Re-routing stuck orders on their own".
 */

/** A location's settings as routing reads them (network.server.ts): the columns, as stored. */
export interface LocationRoutingSettings {
  active: boolean;
  readOnly: boolean;
  latitude: number | null;
  longitude: number | null;
  timeZone: string;
  openingHours: string;
  hoursExceptions: string;
  shippingZones: string | null;
  shipsOnlineOrders: boolean;
  offersPickup: boolean;
  shipsFromStore: boolean;
  dailyShipFromStoreCap: number | null;
  handlingCostCents: number;
  handlingDays: number;
  sameDayCutoffMinutes: number | null;
}

/** The fields above, in the order they are reported. */
export const ROUTING_LOCATION_FIELDS = [
  "active",
  "readOnly",
  "latitude",
  "longitude",
  "timeZone",
  "openingHours",
  "hoursExceptions",
  "shippingZones",
  "shipsOnlineOrders",
  "offersPickup",
  "shipsFromStore",
  "dailyShipFromStoreCap",
  "handlingCostCents",
  "handlingDays",
  "sameDayCutoffMinutes",
] as const satisfies readonly (keyof LocationRoutingSettings)[];

/**
 * The routing settings that differ between `before` and `after` (fields `after` does not carry are
 * unchanged).  A new location (`before` null) counts as a change of every field it brings when it
 * is active: it may be the location a stuck order was missing.  Name, address and stock source do
 * not matter to routing and are never reported.
 */
export function routingRelevantChanges(before: LocationRoutingSettings | null, after: Partial<LocationRoutingSettings>): string[] {
  if (before === null) return after.active === false ? [] : ROUTING_LOCATION_FIELDS.filter((f) => after[f] !== undefined);
  return ROUTING_LOCATION_FIELDS.filter((f) => after[f] !== undefined && after[f] !== before[f]);
}

/** What the sweep compares between the order's current decision and the one it would record. */
export interface DecisionOutcomeKey {
  status: string;
  reason: string;
  profileVersion: number;
  ruleId: string | null;
}

/**
 * True when an automatic re-route of an unroutable order ended where it was: unroutable again, for
 * the same reason, under the same profile version and rule.  The sweep then records nothing (a
 * row per sweep would bury the one decision that says what to fix); the order keeps its latest
 * decision.  Any other difference — routed, queued, another reason — is recorded.
 */
export function sameUnroutableOutcome(previous: DecisionOutcomeKey | null, next: DecisionOutcomeKey): boolean {
  return (
    previous !== null &&
    previous.status === "unroutable" &&
    next.status === "unroutable" &&
    previous.reason === next.reason &&
    previous.profileVersion === next.profileVersion &&
    previous.ruleId === next.ruleId
  );
}

/** Reasons of the orders still unroutable after a sweep, most common first (ties: by reason). */
export function groupReasons(items: { name: string; reason: string }[]): { reason: string; count: number; orders: string[] }[] {
  const by = new Map<string, string[]>();
  for (const i of items) by.set(i.reason, [...(by.get(i.reason) ?? []), i.name]);
  return [...by]
    .map(([reason, orders]) => ({ reason, count: orders.length, orders }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}
