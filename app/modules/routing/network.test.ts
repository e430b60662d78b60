import { describe, expect, it } from "vitest";
import { demandTierOf, localTimeIn, settingsProblem } from "./network.server";

describe("localTimeIn", () => {
  it("gives the wall-clock weekday, minutes and date in the location's zone", () => {
    const at = new Date("2026-11-24T18:30:00Z"); // a Tuesday
    expect(localTimeIn("America/Los_Angeles", at)).toEqual({ weekday: "tue", minutes: 10 * 60 + 30, date: "2026-11-24" });
    expect(localTimeIn("America/New_York", at)).toEqual({ weekday: "tue", minutes: 13 * 60 + 30, date: "2026-11-24" });
    expect(localTimeIn("Europe/Amsterdam", at)).toEqual({ weekday: "tue", minutes: 19 * 60 + 30, date: "2026-11-24" });
    // Past local midnight in Amsterdam while still Tuesday evening in Los Angeles.
    expect(localTimeIn("Europe/Amsterdam", new Date("2026-11-24T23:30:00Z"))).toEqual({ weekday: "wed", minutes: 30, date: "2026-11-25" });
  });

  it("follows daylight saving (Los Angeles is UTC-7 in July)", () => {
    expect(localTimeIn("America/Los_Angeles", new Date("2026-07-01T17:00:00Z")).minutes).toBe(10 * 60);
  });

  it("names the location when its time zone is not an IANA zone", () => {
    expect(() => localTimeIn("Pacific Time", new Date(), "location LA Store")).toThrow('location LA Store.timeZone: "Pacific Time" is not an IANA time zone');
  });
});

describe("demandTierOf", () => {
  it("reads demand:<tier> tags, and the catalog's high-demand tag as tier high", () => {
    expect(demandTierOf(["apparel", "demand:a"])).toBe("a");
    expect(demandTierOf(["high-demand"])).toBe("high");
    expect(demandTierOf(["apparel"])).toBeUndefined();
  });
});

describe("settingsProblem: what routing needs from a location's settings, or what to fix", () => {
  const at = new Date("2026-11-24T18:30:00Z");
  const ok = { name: "Brooklyn Store", timeZone: "America/New_York", openingHours: "{}", hoursExceptions: "[]", shippingZones: null };

  it("reads the clock in the location's zone, its hours, exceptions and zone table", () => {
    expect(settingsProblem(ok, at)).toEqual({ time: { weekday: "tue", minutes: 13 * 60 + 30, date: "2026-11-24" }, hours: {}, exceptions: [], zones: null });
    const zones = { standard: [{ maxKm: null, costCents: 500, transitDays: 2 }] };
    expect(settingsProblem({ ...ok, openingHours: '{"mon":[["09:00","17:00"]]}', shippingZones: JSON.stringify(zones) }, at)).toMatchObject({ hours: { mon: [["09:00", "17:00"]] }, zones });
  });

  it("names what to fix, instead of throwing for the whole shop", () => {
    expect(settingsProblem({ ...ok, timeZone: "Eastern" }, at)).toBe('time zone "Eastern" is not an IANA zone such as America/New_York — fix the location\'s time zone (hours, cut-offs and daily caps run on it)');
    expect(settingsProblem({ ...ok, openingHours: "{mon:" }, at)).toMatch(/^opening hours: not valid JSON \(.+\) — fix the location's settings$/);
    expect(settingsProblem({ ...ok, openingHours: "null" }, at)).toBe("opening hours: not in the expected format — fix the location's settings");
    expect(settingsProblem({ ...ok, hoursExceptions: "{}" }, at)).toBe("dated hours exceptions: not in the expected format — fix the location's settings");
    expect(settingsProblem({ ...ok, shippingZones: '{"expedited":[]}' }, at)).toBe("shipping zone table: not in the expected format — fix the location's settings");
  });
});
