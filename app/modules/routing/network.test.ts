import { describe, expect, it } from "vitest";
import { demandTierOf, localTimeIn } from "./network.server";

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
