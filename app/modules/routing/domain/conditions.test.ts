import { describe, expect, it } from "vitest";
import { evaluateConditions } from "./conditions";
import { BERLIN, BROOKLYN, order } from "./fixtures";
import type { RuleConditions } from "./types";

const b2bOrder = order({ channel: "b2b_portal", b2b: true, companyId: "acme" });
const tagged = order({
  customerTags: ["VIP", "wholesale"],
  lines: [
    { lineKey: "L1", sku: "A", quantity: 1, tags: ["apparel"], demandTier: "low" },
    { lineKey: "L2", sku: "B", quantity: 2, tags: ["Fragile"], demandTier: "high" },
  ],
});

describe("evaluateConditions", () => {
  it("matches every order when the rule has no conditions (empty lists count as none)", () => {
    expect(evaluateConditions({}, order())).toEqual({ matched: true, reasons: ["no conditions: matches every order"] });
    expect(evaluateConditions({ channels: [], skuTags: [] }, order()).matched).toBe(true);
  });

  const cases: [string, RuleConditions, ReturnType<typeof order>, boolean, string][] = [
    ["channel held", { channels: ["online_store", "pos"] }, order(), true, "channel online_store in [online_store, pos]"],
    ["channel failed", { channels: ["b2b_portal"] }, order(), false, "channel online_store not in [b2b_portal]"],
    ["B2B held", { b2b: true }, b2bOrder, true, "order is B2B"],
    ["B2B failed", { b2b: true }, order(), false, "order is non-B2B, rule wants B2B"],
    ["consumer only failed", { b2b: false }, b2bOrder, false, "order is B2B, rule wants non-B2B"],
    ["company held", { companyIds: ["acme"] }, b2bOrder, true, "company acme in [acme]"],
    ["company failed without a company", { companyIds: ["acme"] }, order(), false, "company none not in [acme]"],
    ["speed held", { speeds: ["expedited", "same_day"] }, order({ speed: "same_day" }), true, "speed same_day in [expedited, same_day]"],
    ["speed failed", { speeds: ["expedited"] }, order(), false, "speed standard not in [expedited]"],
    ["country held", { destination: { countries: ["us"] } }, order(), true, "country US in [us]"],
    ["country failed", { destination: { countries: ["US", "CA"] } }, order({ destination: BERLIN }), false, "country DE not in [US, CA]"],
    ["region (qualified) held", { destination: { regions: ["US-CA"] } }, order(), true, "region US-CA in [US-CA]"],
    ["region (bare) held", { destination: { regions: ["ca"] } }, order(), true, "region US-CA in [ca]"],
    ["region failed", { destination: { regions: ["US-CA", "US-OR"] } }, order({ destination: BROOKLYN }), false, "region US-NY not in [US-CA, US-OR]"],
    ["region failed without a province", { destination: { regions: ["BE"] } }, order({ destination: BERLIN }), false, "region none not in [BE]"],
    ["postal prefix held", { destination: { postalPrefixes: ["920", "921"] } }, order(), true, "postal code 92101 starts with one of [920, 921]"],
    [
      "postal prefix ignores spaces and case",
      { destination: { postalPrefixes: ["sw1a"] } },
      order({ destination: { countryCode: "GB", provinceCode: null, zip: "SW1A 1AA", lat: 51.501, lng: -0.1416 } }),
      true,
      "postal code SW1A 1AA starts with one of [sw1a]",
    ],
    ["postal prefix failed", { destination: { postalPrefixes: ["90"] } }, order(), false, "postal code 92101 does not start with any of [90]"],
    // Los Angeles City Hall to San Diego: about 179 km.
    ["radius held", { destination: { radius: { lat: 34.0537, lng: -118.2428, km: 200 } } }, order(), true, "destination 179.5 km from (34.0537, -118.2428), within 200 km"],
    ["radius failed", { destination: { radius: { lat: 34.0537, lng: -118.2428, km: 100 } } }, order(), false, "destination 179.5 km from (34.0537, -118.2428), more than 100 km"],
    ["SKU tag held (any line, any case)", { skuTags: ["fragile"] }, tagged, true, "line L2 (B) has a tag in [fragile]"],
    ["SKU tag failed", { skuTags: ["hazmat"] }, tagged, false, "no line has a tag in [hazmat]"],
    ["demand tier held", { demandTiers: ["high"] }, tagged, true, "line L2 (B) is in demand tier high"],
    ["demand tier failed", { demandTiers: ["high"] }, order(), false, "no line in demand tier [high] (tiers: [none])"],
    ["order value held", { orderValue: { min: 5000, max: 5000 } }, order(), true, "order value 5000¢ within [5000, 5000]"],
    ["order value below", { orderValue: { min: 10000 } }, order(), false, "order value 5000¢ below minimum 10000¢"],
    ["order value above", { orderValue: { max: 4999 } }, order(), false, "order value 5000¢ above maximum 4999¢"],
    ["line count held", { lineCount: { min: 2 } }, tagged, true, "line count 2 within [2, -]"],
    ["line count above", { lineCount: { max: 1 } }, tagged, false, "line count 2 above maximum 1"],
    ["customer tag held", { customerTags: ["vip"] }, tagged, true, "customer has a tag in [vip]"],
    ["customer tag failed", { customerTags: ["vip"] }, order({ customerTags: ["new"] }), false, "customer tags [new] include none of [vip]"],
  ];
  it.each(cases)("%s", (_name, conditions, input, matched, reason) => {
    expect(evaluateConditions(conditions, input)).toEqual({ matched, reasons: [reason] });
  });

  it("ANDs the conditions and reports every failed one, not just the first", () => {
    const result = evaluateConditions(
      { channels: ["pos"], speeds: ["standard"], destination: { countries: ["US"], regions: ["US-NY"] }, orderValue: { min: 9000 } },
      order(),
    );
    expect(result).toEqual({
      matched: false,
      reasons: ["channel online_store not in [pos]", "region US-CA not in [US-NY]", "order value 5000¢ below minimum 9000¢"],
    });
  });

  it("lists every held condition when the rule matches", () => {
    expect(evaluateConditions({ speeds: ["standard"], destination: { countries: ["US"] } }, order())).toEqual({
      matched: true,
      reasons: ["speed standard in [standard]", "country US in [US]"],
    });
  });
});
