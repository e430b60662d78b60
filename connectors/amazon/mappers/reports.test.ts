import { describe, expect, it } from "vitest";
import { buildListingsFeeds } from "./listings";
import { mapProcessingReport } from "./reports";

// Literal copy (header, issues, summary) of Amazon's listings-feed-processing-report-schema-v2.example.json
// (amzn/selling-partner-api-models@34dc93f schemas/feeds/).
const amazonExample = {
  header: { sellerId: "AXXXXXXXXXXXX", version: "2.0", feedId: "1234567890", report: { includedData: ["issues"], apiVersion: "2021-08-01" } },
  issues: [
    { messageId: 4, sku: "My-SKU-B", code: "90220", severity: "ERROR", message: "'[batteries_required]' is required but not supplied." },
    { messageId: 4, sku: "My-SKU-B", code: "90220", severity: "ERROR", message: "'[supplier_declared_dg_hz_regulation]' is required but not supplied." },
    { messageId: 5, sku: "My-SKU-C", code: "99022", severity: "ERROR", message: "The field '\"prices\"' for the attribute 'purchasable_offer.our_price' does not have enough values. The required minimum is '1' value(s).", attributeName: "purchasable_offer.our_price" },
  ],
  summary: { errors: 3, warnings: 0, messagesProcessed: 4, messagesAccepted: 2, messagesInvalid: 2, itemSummary: { items: 2, errors: 0, warnings: 2 } },
};

describe("mapProcessingReport", () => {
  it("groups Amazon's example issues per SKU", () => {
    const r = mapProcessingReport(amazonExample);
    expect(r.feedId).toBe("1234567890");
    expect(r.summary).toEqual({ errors: 3, warnings: 0, messagesProcessed: 4, messagesAccepted: 2, messagesInvalid: 2 });
    expect([...r.issuesBySku.keys()]).toEqual(["My-SKU-B", "My-SKU-C"]);
    expect(r.issuesBySku.get("My-SKU-B")).toHaveLength(2);
    expect(r.issuesBySku.get("My-SKU-C")).toEqual([{ code: "99022", severity: "ERROR", message: amazonExample.issues[2]!.message, attributeName: "purchasable_offer.our_price", messageId: 5 }]);
    expect(r.feedIssues).toEqual([]);
  });

  it("finds the SKU through the messageId of the feed sent when an issue has none, and splits accepted from rejected", () => {
    const sent = buildListingsFeeds({ sellerId: "A1", changes: [{ sku: "A", ats: 1 }, { sku: "B", ats: 2 }, { sku: "C", ats: 3 }] }).feeds[0]!;
    const r = mapProcessingReport(
      {
        header: { sellerId: "A1", version: "2.0", feedId: "77" },
        issues: [
          { messageId: 2, code: "4000001", severity: "ERROR", message: "The provided value for 'quantity' is invalid." },
          { messageId: 3, sku: "C", code: "18448", severity: "WARNING", message: "Attributes tagged as relevant_attributes are incomplete." },
        ],
        summary: { errors: 1, warnings: 1, messagesProcessed: 3, messagesAccepted: 2, messagesInvalid: 1 },
      },
      sent,
    );
    expect(r.issuesBySku.get("B")![0]).toMatchObject({ messageId: 2, severity: "ERROR" });
    expect(r.rejectedSkus).toEqual(["B"]);
    expect(r.acceptedSkus).toEqual(["A", "C"]); // a WARNING does not reject
  });

  it("a FATAL report (feed-level error, no messageId) rejects every SKU sent", () => {
    const sent = buildListingsFeeds({ sellerId: "A1", changes: [{ sku: "A", ats: 1 }] }).feeds[0]!;
    const r = mapProcessingReport({ header: { sellerId: "A1", version: "2.0", feedId: "78" }, issues: [{ code: "FATAL", severity: "ERROR", message: "The feed document is not valid JSON" }], summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 } }, sent);
    expect(r.feedIssues).toHaveLength(1);
    expect(r.rejectedSkus).toEqual(["A"]);
    expect(r.acceptedSkus).toEqual([]);
  });

  it("names what is missing", () => {
    expect(() => mapProcessingReport({ header: {}, issues: [] })).toThrow(/^report\.summary/);
    expect(() => mapProcessingReport({ ...amazonExample, issues: [{ severity: "FATALITY", message: "x" }] })).toThrow(/^report\.issues\.0\.severity/);
  });
});
