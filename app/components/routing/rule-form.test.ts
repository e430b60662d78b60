import { describe, expect, it } from "vitest";
import { routingFixtures, validateProfile, type Rule } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";
import { parseRulesJson } from "./parse-rules";
import { blankRule, concerns, locateError, summarize, toForm, toRule, toRules } from "./rule-form";

const demoRules = () => routingFixtures.demoProfile().rules;
const roundTrip = (rules: Rule[]) => toRules(rules.map((r, i) => toForm(r, `k${i}`)));

describe("rule editor state", () => {
  it("turns every demo rule into form state and back unchanged", () => {
    expect(roundTrip(demoRules())).toEqual(JSON.parse(JSON.stringify(demoRules())));
  });

  it("round-trips every kind of condition, filter, sort, split and fallback", () => {
    const rule: Rule = {
      id: "all",
      name: "Everything set",
      conditions: {
        channels: ["online", "pos"],
        b2b: false,
        companyIds: ["c1", "c2"],
        speeds: ["expedited", "same_day"],
        destination: { countries: ["US"], regions: ["US-CA", "NV"], postalPrefixes: ["90"], radius: { lat: 34.05, lng: -118.24, km: 50 } },
        skuTags: ["fragile"],
        demandTiers: ["high"],
        orderValue: { min: 1999, max: 250000 },
        lineCount: { min: 1, max: 3 },
        customerTags: ["vip"],
      },
      candidateFilter: { locationKinds: ["store", "3pl"], include: ["a"], exclude: ["b"], maxDistanceKm: 500 },
      sort: [{ by: "shipping_cost", weight: 1 }, { by: "delivery_days", weight: 300 }, { by: "location_priority" }],
      splitPolicy: { kind: "split_lines", maxShipments: 3 },
      fallback: { kind: "queue", queue: "review", reason: "no stock nearby" },
    };
    expect(roundTrip([rule])).toEqual([rule]);
    const n: Rule = { ...rule, conditions: { b2b: true }, candidateFilter: {}, sort: [], splitPolicy: { kind: "max_shipments", n: 2 }, fallback: { kind: "backorder" } };
    expect(roundTrip([n])).toEqual([n]);
  });

  it("stores order values in cents, typed in dollars", () => {
    const form = { ...toForm(demoRules()[0]!, "k"), orderValueMin: "19.99", orderValueMax: "100" };
    expect((toRule(form).conditions as Rule["conditions"]).orderValue).toEqual({ min: 1999, max: 10000 });
    expect(toForm(toRule(form) as unknown as Rule, "k").orderValueMin).toBe("19.99");
  });

  it("posts text that is not a number as it is, so the server names the field", () => {
    const form = { ...toForm(demoRules()[0]!, "k"), splitN: "two", maxDistanceKm: "far" };
    const rule = toRule(form) as unknown as Rule;
    expect(rule.splitPolicy).toEqual({ kind: "max_shipments", n: "two" });
    expect(() => validateProfile({ id: "p", version: 1, rules: [rule] })).toThrow("profile.rules[0].candidateFilter.maxDistanceKm: must be a number >= 0");
  });

  it("adds a blank rule with a fresh id that validates", () => {
    const blank = blankRule(["rule-1", "rule-2"]);
    expect(blank.id).toBe("rule-3");
    expect(() => validateProfile({ id: "p", version: 1, rules: [toRule(blank) as unknown as Rule] })).not.toThrow();
  });

  it("finds the rule and field a server message points at", () => {
    expect(locateError("profile.rules[2].splitPolicy.n")).toEqual({ index: 2, path: "splitPolicy.n" });
    expect(locateError("profile.rules.id[4]")).toEqual({ index: 4, path: "id" });
    expect(locateError("days")).toBeNull();
    expect(concerns("sort[1].weight", "sort[1].weight")).toBe(true);
    expect(concerns("conditions.speeds[0]", "conditions.speeds")).toBe(true);
    expect(concerns("conditions.speedsX", "conditions.speeds")).toBe(false);
  });

  it("summarizes a rule in one line, with locations by name", () => {
    const ca = toForm(demoRules().find((r) => r.id === "california")!, "k");
    const names: Record<string, string> = { west: "West Coast Warehouse", la: "Los Angeles Store", east: "East Coast Fulfillment Center" };
    expect(summarize(ca, (id) => names[id] ?? id)).toBe(
      "When shipping to US-CA · from West Coast Warehouse, Los Angeles Store, East Coast Fulfillment Center · by location priority · up to 2 shipments · else next rule",
    );
  });
});

describe("parseRulesJson", () => {
  const message = (raw: string) => {
    try {
      parseRulesJson(raw);
      return null;
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      return (e as DomainError).message;
    }
  };

  it("accepts the editor's rules", () => {
    expect(parseRulesJson(JSON.stringify(demoRules()))).toHaveLength(6);
  });

  it("refuses malformed posts naming the field", () => {
    expect(message("")).toBe("rules: missing: post the rules as JSON");
    expect(message("{")).toBe("rules: is not valid JSON");
    expect(message("{}")).toBe("rules: must be a list of rules");
    expect(message("[]")).toBe("profile.rules: must have at least one rule");
    expect(message('[{"id":"a","conditions":{},"candidateFilter":{},"sort":{},"splitPolicy":{},"fallback":{}}]')).toBe("profile.rules[0].sort: must be a list");
    expect(message('[{"id":"a","conditions":{"channels":"online"},"candidateFilter":{},"sort":[],"splitPolicy":{},"fallback":{}}]')).toBe("profile.rules[0].conditions.channels: must be a list");
    expect(message('[{"id":"a","conditions":{},"candidateFilter":{"include":[""]},"sort":[],"splitPolicy":{},"fallback":{}}]')).toBe(
      "profile.rules[0].candidateFilter.include[0]: must be non-empty text",
    );
  });
});
