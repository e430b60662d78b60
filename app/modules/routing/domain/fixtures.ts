/**
 * The demo shop's network and profile as routing input (see app/cli/demo-data.ts), plus small
 * builders.  Used by the routing tests; a fixed moment: Tuesday 2026-11-24, 10:30 in Los Angeles.
 */
import type { OpeningHours, RoutingLocation, RoutingNetwork, RoutingOrder, RoutingProfile, Rule } from "./types";

export const STORE_HOURS: OpeningHours = {
  mon: [["10:00", "20:00"]],
  tue: [["10:00", "20:00"]],
  wed: [["10:00", "20:00"]],
  thu: [["10:00", "20:00"]],
  fri: [["10:00", "21:00"]],
  sat: [["10:00", "21:00"]],
  sun: [["11:00", "18:00"]],
};

export const DC_HOURS: OpeningHours = {
  mon: [["06:00", "22:00"]],
  tue: [["06:00", "22:00"]],
  wed: [["06:00", "22:00"]],
  thu: [["06:00", "22:00"]],
  fri: [["06:00", "22:00"]],
};

const PACIFIC = { weekday: "tue", minutes: 10 * 60 + 30, date: "2026-11-24" } as const;
const EASTERN = { weekday: "tue", minutes: 13 * 60 + 30, date: "2026-11-24" } as const;
const CENTRAL = { weekday: "tue", minutes: 12 * 60 + 30, date: "2026-11-24" } as const;
const AMSTERDAM = { weekday: "tue", minutes: 19 * 60 + 30, date: "2026-11-24" } as const;

/** A warehouse with no stock, open around the clock, no cap; override what the test needs. */
export function location(id: string, fields: Partial<RoutingLocation> = {}): RoutingLocation {
  return {
    id,
    name: id,
    kind: "warehouse",
    lat: 34.0559,
    lng: -117.5972,
    priority: 10,
    shipsOnline: true,
    offersPickup: false,
    shipsFromStore: false,
    dailyCap: null,
    usedToday: 0,
    localTime: { ...PACIFIC },
    openingHours: null,
    exceptions: [],
    handlingCostCents: 0,
    handlingDays: 1,
    stock: {},
    ...fields,
  };
}

/** A standard-speed consumer order to San Diego, one line of SKU "A"; override what the test needs. */
export function order(fields: Partial<RoutingOrder> = {}): RoutingOrder {
  return {
    id: "o1",
    channel: "online_store",
    b2b: false,
    companyId: null,
    speed: "standard",
    destination: { countryCode: "US", provinceCode: "CA", zip: "92101", lat: 32.7157, lng: -117.1611 },
    valueCents: 5000,
    customerTags: [],
    lines: [{ lineKey: "L1", sku: "A", quantity: 1, tags: [] }],
    ...fields,
  };
}

/** A rule with no conditions, no filter, no sort, no split, fallback to the next rule. */
export function rule(id: string, fields: Partial<Rule> = {}): Rule {
  return {
    id,
    name: id,
    conditions: {},
    candidateFilter: {},
    sort: [],
    splitPolicy: { kind: "none" },
    fallback: { kind: "next_rule" },
    ...fields,
  };
}

export function profile(rules: Rule[]): RoutingProfile {
  return { id: "p1", version: 1, rules };
}

/** Destinations used by the scenarios. */
export const SAN_DIEGO = { countryCode: "US", provinceCode: "CA", zip: "92101", lat: 32.7157, lng: -117.1611 };
export const BROOKLYN = { countryCode: "US", provinceCode: "NY", zip: "11201", lat: 40.6782, lng: -73.9442 };
export const PHILADELPHIA = { countryCode: "US", provinceCode: "PA", zip: "19103", lat: 39.9526, lng: -75.1652 };
export const BERLIN = { countryCode: "DE", provinceCode: null, zip: "10115", lat: 52.52, lng: 13.405 };

/** The demo network (stock is per test), with two regional US 3PLs added for expedited orders. */
export function demoNetwork(stock: Record<string, Record<string, number>> = {}): RoutingNetwork {
  const s = (id: string) => stock[id] ?? {};
  return {
    locations: [
      location("west", { name: "West Coast Warehouse", lat: 34.0559, lng: -117.5972, priority: 1, openingHours: DC_HOURS, handlingCostCents: 150, stock: s("west") }),
      location("east", { name: "East Coast Fulfillment Center", lat: 40.5187, lng: -74.3457, priority: 3, localTime: { ...EASTERN }, openingHours: DC_HOURS, handlingCostCents: 140, stock: s("east") }),
      location("la", {
        name: "Los Angeles Store", kind: "store", lat: 34.0812, lng: -118.3763, priority: 2, offersPickup: true, shipsFromStore: true,
        dailyCap: 40, usedToday: 12, openingHours: STORE_HOURS, sameDayCutoffMinutes: 16 * 60, handlingCostCents: 400, stock: s("la"),
      }),
      location("ny", {
        name: "New York Store", kind: "store", lat: 40.7241, lng: -73.9986, priority: 4, offersPickup: true, shipsFromStore: true,
        dailyCap: 30, usedToday: 3, localTime: { ...EASTERN }, openingHours: STORE_HOURS, sameDayCutoffMinutes: 16 * 60, handlingCostCents: 450, stock: s("ny"),
      }),
      location("eu", { name: "European 3PL", kind: "3pl", lat: 51.3704, lng: 6.1724, priority: 5, localTime: { ...AMSTERDAM }, openingHours: DC_HOURS, handlingCostCents: 250, handlingDays: 2, stock: s("eu") }),
      location("3pl-reno", { name: "Reno 3PL", kind: "3pl", lat: 39.5296, lng: -119.8138, priority: 6, handlingCostCents: 200, stock: s("3pl-reno") }),
      location("3pl-allentown", { name: "Allentown 3PL", kind: "3pl", lat: 40.6023, lng: -75.4714, priority: 6, localTime: { ...EASTERN }, handlingCostCents: 200, stock: s("3pl-allentown") }),
      location("wholesale", {
        name: "Wholesale DC", kind: "wholesale_dc", lat: 32.7995, lng: -96.8372, priority: 7, shipsOnline: false,
        localTime: { ...CENTRAL }, openingHours: DC_HOURS, handlingCostCents: 90, handlingDays: 2, stock: s("wholesale"),
      }),
    ],
  };
}

/** The demo shop's routing profile: the seed article's scenarios, most specific rule first. */
export function demoProfile(): RoutingProfile {
  return {
    id: "demo",
    version: 3,
    rules: [
      rule("b2b", {
        name: "B2B portal orders from the wholesale DC",
        conditions: { b2b: true },
        candidateFilter: { locationKinds: ["wholesale_dc"] },
        sort: [{ by: "shipping_cost" }],
        splitPolicy: { kind: "max_shipments", n: 2 },
        fallback: { kind: "queue", queue: "b2b-review", reason: "wholesale DC cannot fill the order" },
      }),
      rule("pickup", {
        name: "Store pickup",
        conditions: { speeds: ["pickup"] },
        fallback: { kind: "queue", queue: "pickup-exceptions", reason: "pickup store cannot fill the order today" },
      }),
      rule("expedited", {
        name: "Expedited from the nearest regional 3PL",
        conditions: { speeds: ["expedited"], destination: { countries: ["US"] } },
        // "Regional": a 3PL across an ocean is not an expedited option.
        candidateFilter: { locationKinds: ["3pl"], maxDistanceKm: 3000 },
        sort: [{ by: "distance" }],
      }),
      rule("high-demand", {
        name: "High-demand items from the deepest stock",
        conditions: { demandTiers: ["high"] },
        candidateFilter: { exclude: ["eu"] },
        sort: [{ by: "stock_depth" }],
      }),
      rule("california", {
        name: "California: West Coast, else LA store, else split with the East Coast",
        conditions: { destination: { regions: ["US-CA"] } },
        candidateFilter: { include: ["west", "la", "east"] },
        sort: [{ by: "location_priority" }],
        splitPolicy: { kind: "max_shipments", n: 2 },
      }),
      rule("default", {
        name: "Everything else: cheapest, then fastest",
        sort: [{ by: "shipping_cost" }, { by: "delivery_days" }],
        splitPolicy: { kind: "split_lines" },
        fallback: { kind: "backorder" },
      }),
    ],
  };
}
