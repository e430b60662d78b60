import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ListingsSection, type ListingsOverviewData } from "./ListingsSection";

const render = (overview: ListingsOverviewData) =>
  renderToString(
    <AppProvider i18n={en}>
      <ListingsSection overview={overview} sellerId="A2EXAMPLE12345" />
    </AppProvider>,
  );

const EMPTY: ListingsOverviewData = { total: 0, counts: { pending: 0, sending: 0, accepted: 0, rejected: 0, unlisted: 0 }, feeds: [], rejected: [], moreRejected: 0 };

describe("ListingsSection", () => {
  it("shows the counts, a failed feed with Amazon's error, and each rejected SKU with its issues", () => {
    const html = render({
      total: 12,
      counts: { pending: 2, sending: 0, accepted: 8, rejected: 1, unlisted: 1 },
      feeds: [
        { id: "f1", amazonFeedId: "50012345", marketplaceId: "ATVPDKIKX0DER", status: "FATAL", messageCount: 500, accepted: 0, invalid: 500, error: "The feed has 500 messages; at most 100 are allowed per feed.", createdAt: "2026-12-02T10:00:00.000Z", finishedAt: "2026-12-02T10:03:00.000Z" },
        { id: "f2", amazonFeedId: "50012346", marketplaceId: "ATVPDKIKX0DER", status: "DONE", messageCount: 300, accepted: 299, invalid: 1, error: null, createdAt: "2026-12-02T09:00:00.000Z", finishedAt: "2026-12-02T09:04:00.000Z" },
      ],
      rejected: [{ sellerSku: "AMZ-GHOST", marketplaceId: "ATVPDKIKX0DER", desired: 3, sent: 3, accepted: null, issues: [{ code: "SANDBOX_SKU_NOT_LISTED", message: "The SKU 'AMZ-GHOST' is not listed", severity: "ERROR" }], changedAt: "2026-12-02T10:00:00.000Z" }],
      moreRejected: 4,
    });
    for (const text of ["8 accepted", "2 pending", "1 rejected", "1 not listed", "1 feed failed", "at most 100 are allowed per feed", "50012346", "299", "AMZ-GHOST", "wanted 3", "SANDBOX_SKU_NOT_LISTED", "…and 4 more."]) {
      expect(html).toContain(text.replace(/'/g, "&#x27;"));
    }
  });

  it("says plainly when there is nothing yet", () => {
    const html = render(EMPTY);
    expect(html).toContain("No feed yet");
    expect(html).toContain("Nothing rejected.");
    expect(html).not.toContain("failed");
  });
});
