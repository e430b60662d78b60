import { describe, expect, it } from "vitest";
import { groupReasons, routingRelevantChanges, sameUnroutableOutcome, type LocationRoutingSettings } from "./sweep";

const NEWARK: LocationRoutingSettings = {
  active: true,
  readOnly: false,
  latitude: null,
  longitude: null,
  timeZone: "America/New_York",
  openingHours: "{}",
  hoursExceptions: "[]",
  shippingZones: null,
  shipsOnlineOrders: true,
  offersPickup: false,
  shipsFromStore: false,
  dailyShipFromStoreCap: null,
  handlingCostCents: 0,
  handlingDays: 0,
  sameDayCutoffMinutes: null,
};

describe("routingRelevantChanges", () => {
  it("names the coordinates when they are set", () => {
    expect(routingRelevantChanges(NEWARK, { latitude: 40.7357, longitude: -74.1724 })).toEqual(["latitude", "longitude"]);
  });

  it("ignores fields the update does not carry, and values that did not change", () => {
    expect(routingRelevantChanges(NEWARK, {})).toEqual([]);
    expect(routingRelevantChanges(NEWARK, { active: true, timeZone: "America/New_York", latitude: null })).toEqual([]);
  });

  it("ignores what routing does not read (name, address, stock source)", () => {
    const after = { name: "Newark DC 2", address1: "1 Main St", stockSource: "hub", active: true } as Partial<LocationRoutingSettings>;
    expect(routingRelevantChanges(NEWARK, after)).toEqual([]);
  });

  it("names every routing setting that changed, in a fixed order", () => {
    expect(
      routingRelevantChanges(NEWARK, {
        sameDayCutoffMinutes: 840,
        shippingZones: '{"standard":[]}',
        timeZone: "America/Chicago",
        active: false,
        openingHours: '{"mon":[["09:00","17:00"]]}',
        shipsOnlineOrders: false,
        offersPickup: true,
        hoursExceptions: '[{"date":"2026-12-25","closed":true}]',
        dailyShipFromStoreCap: 20,
        handlingDays: 1,
        handlingCostCents: 150,
        shipsFromStore: true,
        readOnly: true,
      }),
    ).toEqual([
      "active",
      "readOnly",
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
    ]);
  });

  it("counts a new active location (it may be the one a stuck order lacked), not a new inactive one", () => {
    expect(routingRelevantChanges(null, { active: true, latitude: 40.7, longitude: -74.1 })).toEqual(["active", "latitude", "longitude"]);
    expect(routingRelevantChanges(null, { active: false, latitude: 40.7, longitude: -74.1 })).toEqual([]);
  });
});

describe("sameUnroutableOutcome", () => {
  const stuck = { status: "unroutable", reason: "no active routing profile", profileVersion: 0, ruleId: null };

  it("is true for unroutable again, same reason, version and rule", () => {
    expect(sameUnroutableOutcome(stuck, { ...stuck })).toBe(true);
  });

  it("is false when anything a merchant reads changed, or there was no decision", () => {
    expect(sameUnroutableOutcome(null, stuck)).toBe(false);
    expect(sameUnroutableOutcome(stuck, { ...stuck, reason: "no rule matched the order", profileVersion: 2 })).toBe(false);
    expect(sameUnroutableOutcome(stuck, { ...stuck, reason: "no rule matched the order" })).toBe(false);
    expect(sameUnroutableOutcome(stuck, { ...stuck, profileVersion: 1 })).toBe(false);
    expect(sameUnroutableOutcome({ ...stuck, ruleId: "a" }, { ...stuck, ruleId: "b" })).toBe(false);
    expect(sameUnroutableOutcome(stuck, { status: "routed", reason: "ok", profileVersion: 1, ruleId: "default" })).toBe(false);
    expect(sameUnroutableOutcome({ ...stuck, status: "routed" }, stuck)).toBe(false);
  });
});

describe("groupReasons", () => {
  it("groups orders by reason, most common first, ties by reason", () => {
    expect(
      groupReasons([
        { name: "#1001", reason: "no rule matched the order" },
        { name: "#1002", reason: "kit KIT has no components" },
        { name: "#1003", reason: "no rule matched the order" },
        { name: "#1004", reason: "b reason" },
      ]),
    ).toEqual([
      { reason: "no rule matched the order", count: 2, orders: ["#1001", "#1003"] },
      { reason: "b reason", count: 1, orders: ["#1004"] },
      { reason: "kit KIT has no components", count: 1, orders: ["#1002"] },
    ]);
    expect(groupReasons([])).toEqual([]);
  });
});
