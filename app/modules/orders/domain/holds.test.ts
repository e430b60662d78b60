import { describe, expect, it } from "vitest";
import { holdHandleFor, holdRequestSchema, isOwnHold, parseHolds } from "./holds";

describe("holds placed from the order page", () => {
  it("a handle per request, within Shopify's 64 characters", () => {
    expect(holdHandleFor("6f1c2d3e-0000-4000-8000-123456789abc")).toBe("oms-hold-6f1c2d3e-0000-4000-8000-123456789abc");
    expect(holdHandleFor("6f1c2d3e-0000-4000-8000-123456789abc").length).toBeLessThanOrEqual(64);
  });

  it("ours only when Shopify says this app placed it and it carries our handle", () => {
    expect(isOwnHold({ heldByThisApp: true, handle: "oms-hold-1" })).toBe(true);
    expect(isOwnHold({ heldByRequestingApp: true, handle: "oms-hold-1" })).toBe(true);
    // Another app may use the same handle: its hold is not ours.
    expect(isOwnHold({ heldByThisApp: false, handle: "oms-hold-1" })).toBe(false);
    expect(isOwnHold({ heldByRequestingApp: false, handle: "oms-hold-1" })).toBe(false);
    // This app's holds placed some other way (no handle, another handle) are left alone.
    expect(isOwnHold({ heldByThisApp: true, handle: null })).toBe(false);
    expect(isOwnHold({ heldByThisApp: true, handle: "ops-3" })).toBe(false);
    expect(isOwnHold({ handle: "oms-hold-1" })).toBe(false);
  });

  it("reads the recorded holds column, leaving out what is not a hold", () => {
    expect(parseHolds('[{"id":"gid://shopify/FulfillmentHold/1","reason":"OTHER","handle":"oms-hold-1","heldByThisApp":true},{"id":"x"},"text",null]')).toEqual([
      { id: "gid://shopify/FulfillmentHold/1", reason: "OTHER", reasonNotes: null, handle: "oms-hold-1", heldByThisApp: true },
    ]);
    expect(parseHolds([{ id: null, reason: "high_risk_of_fraud", reasonNotes: "flagged", handle: null, heldByThisApp: false }])).toEqual([
      { id: null, reason: "high_risk_of_fraud", reasonNotes: "flagged", handle: null, heldByThisApp: false },
    ]);
    expect(parseHolds("not json")).toEqual([]);
    expect(parseHolds("{}")).toEqual([]);
  });

  it("a request names one of Shopify's reasons; the note is trimmed, empty means none, at most 255 characters", () => {
    expect(holdRequestSchema.parse({ reason: "INCORRECT_ADDRESS", note: "  call first  " })).toEqual({ reason: "INCORRECT_ADDRESS", note: "call first" });
    expect(holdRequestSchema.parse({ reason: "OTHER", note: "   " })).toEqual({ reason: "OTHER", note: undefined });
    const bad = holdRequestSchema.safeParse({ reason: "LUNCH" });
    expect(bad.success ? null : [bad.error.issues[0]!.path, bad.error.issues[0]!.message]).toEqual([["reason"], expect.stringMatching(/^must be one of AWAITING_PAYMENT, HIGH_RISK_OF_FRAUD/)]);
    const long = holdRequestSchema.safeParse({ reason: "OTHER", note: "x".repeat(256) });
    expect(long.success ? null : [long.error.issues[0]!.path, long.error.issues[0]!.message]).toEqual([["note"], "at most 255 characters"]);
  });
});
