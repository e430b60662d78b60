import { describe, expect, it } from "vitest";
import { buildListingsFeeds, quantityPatchBody } from "./listings";

describe("quantityPatchBody", () => {
  it("merges the MFN quantity on fulfillment_availability with selector DEFAULT (the brief's body, op merge)", () => {
    expect(quantityPatchBody(7)).toEqual({
      productType: "PRODUCT",
      patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 7 }] }],
    });
    expect(quantityPatchBody(3, "LUGGAGE").productType).toBe("LUGGAGE");
  });

  it("publishes an oversold (negative) ATS as 0 and refuses fractions", () => {
    expect(quantityPatchBody(-4).patches[0].value[0].quantity).toBe(0);
    expect(() => quantityPatchBody(1.5)).toThrow(/^ats: must be a whole number of units, got 1.5/);
  });
});

describe("buildListingsFeeds", () => {
  it("coalesces to the latest value per SKU, skips values Amazon already has, and writes the v2 feed (listings-feed-schema-v2.example.json, message 5)", () => {
    const built = buildListingsFeeds({
      sellerId: "AXXXXXXXXXXXX",
      changes: [
        { sku: "My-SKU-E", ats: 4 },
        { sku: "My-SKU-F", ats: 2 },
        { sku: "My-SKU-E", ats: 10 },
        { sku: "My-SKU-G", ats: 5 },
        { sku: "My-SKU-F", ats: 3 },
      ],
      lastSent: new Map([["My-SKU-G", 5], ["My-SKU-F", 2]]),
    });
    expect(built.unchanged).toEqual(["My-SKU-G"]);
    expect([...built.sending]).toEqual([
      ["My-SKU-E", 10],
      ["My-SKU-F", 3],
    ]);
    expect(built.feeds).toEqual([
      {
        header: { sellerId: "AXXXXXXXXXXXX", version: "2.0", issueLocale: "en_US" },
        messages: [
          { messageId: 1, sku: "My-SKU-E", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 10 }] }] },
          { messageId: 2, sku: "My-SKU-F", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 3 }] }] },
        ],
      },
    ]);
  });

  it("a SKU that goes back to the value Amazon has sends nothing", () => {
    const built = buildListingsFeeds({ sellerId: "A1", changes: [{ sku: "S", ats: 9 }, { sku: "S", ats: 5 }], lastSent: new Map([["S", 5]]) });
    expect(built.feeds).toEqual([]);
    expect(built.unchanged).toEqual(["S"]);
  });

  it("chunks at 25 000 messages per feed, messageIds restarting at 1 in each", () => {
    const changes = Array.from({ length: 60_001 }, (_, i) => ({ sku: `SKU-${i}`, ats: i % 7 }));
    const built = buildListingsFeeds({ sellerId: "A1", changes });
    expect(built.feeds.map((f) => f.messages.length)).toEqual([25_000, 25_000, 10_001]);
    expect(built.feeds[1]!.messages[0]).toMatchObject({ messageId: 1, sku: "SKU-25000" });
    expect(built.feeds[2]!.messages.at(-1)).toMatchObject({ messageId: 10_001, sku: "SKU-60000" });
    expect(new Set(built.feeds.flatMap((f) => f.messages.map((m) => m.sku))).size).toBe(60_001);
    expect(buildListingsFeeds({ sellerId: "A1", changes: changes.slice(0, 5), maxMessages: 2 }).feeds.map((f) => f.messages.length)).toEqual([2, 2, 1]);
  });

  it("names bad input", () => {
    expect(() => buildListingsFeeds({ sellerId: "A1", changes: [{ sku: "", ats: 1 }] })).toThrow(/^changes\.0\.sku: is required/);
    expect(() => buildListingsFeeds({ sellerId: "A1", changes: [{ sku: "S", ats: 0.5 }] })).toThrow(/^changes\.0\.ats: must be a whole number/);
    expect(() => buildListingsFeeds({ sellerId: "A1", changes: [], maxMessages: 25_001 })).toThrow(/^maxMessages: must be between 1 and 25000/);
    expect(() => buildListingsFeeds({ sellerId: "", changes: [] })).toThrow(/^sellerId: is required/);
  });
});
