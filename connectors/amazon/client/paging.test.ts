import { describe, expect, it } from "vitest";
import { checkpointAfterPage, inventoryQuery, isoSeconds, nextTokenUsable, ordersWindow, resumeFrom, searchOrdersQuery, type OrdersCheckpoint } from "./paging";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("orders windows", () => {
  it("ends a window 2 minutes (+5 s of skew) before now, on a whole second", () => {
    expect(ordersWindow({ by: "lastUpdated", after: "2026-03-01T10:00:00Z", nowMs: NOW + 999 })).toEqual({ by: "lastUpdated", after: "2026-03-01T10:00:00Z", before: "2026-03-01T11:57:55Z" });
  });

  it("keeps an earlier `until`, never a later one", () => {
    expect(ordersWindow({ by: "created", after: "2026-03-01T10:00:00Z", until: "2026-03-01T11:00:00Z", nowMs: NOW })!.before).toBe("2026-03-01T11:00:00Z");
    expect(ordersWindow({ by: "created", after: "2026-03-01T10:00:00Z", until: "2026-03-01T12:00:00Z", nowMs: NOW })!.before).toBe("2026-03-01T11:57:55Z");
  });

  it("has nothing to search when the watermark is within the last 2 minutes", () => {
    expect(ordersWindow({ by: "lastUpdated", after: "2026-03-01T11:58:30Z", nowMs: NOW })).toBeNull();
    expect(ordersWindow({ by: "lastUpdated", after: "2026-03-01T11:57:55Z", nowMs: NOW })).toBeNull();
  });

  it("refuses a watermark that is not ISO 8601, naming the field", () => {
    expect(() => ordersWindow({ by: "lastUpdated", after: "1.569521782042E9", nowMs: NOW })).toThrow(/lastUpdatedAfter must be an ISO 8601 date-time, got "1.569521782042E9"/);
    try {
      ordersWindow({ by: "created", after: "yesterday", nowMs: NOW });
    } catch (e) {
      expect(e).toMatchObject({ kind: "INVALID", field: "createdAfter" });
    }
  });

  it("isoSeconds drops milliseconds", () => {
    expect(isoSeconds(Date.parse("2024-12-25T00:00:00.999Z"))).toBe("2024-12-25T00:00:00Z");
  });
});

describe("searchOrders query", () => {
  it("uses the created or lastUpdated pair, the filters, and the token — a new object each time", () => {
    const filters = { marketplaceIds: ["A1VC38T7YXB528"], includedData: ["BUYER", "FULFILLMENT"], fulfilledBy: ["MERCHANT"], maxResultsPerPage: 100 };
    const q1 = searchOrdersQuery({ by: "created", after: "2024-12-25T00:00:00Z" }, filters);
    expect(q1).toEqual({ createdAfter: "2024-12-25T00:00:00Z", marketplaceIds: ["A1VC38T7YXB528"], includedData: ["BUYER", "FULFILLMENT"], fulfilledBy: ["MERCHANT"], maxResultsPerPage: 100 });
    const q2 = searchOrdersQuery({ by: "lastUpdated", after: "2026-03-01T10:00:00Z", before: "2026-03-01T11:57:55Z" }, filters, "tok");
    expect(q2).toEqual({ lastUpdatedAfter: "2026-03-01T10:00:00Z", lastUpdatedBefore: "2026-03-01T11:57:55Z", marketplaceIds: ["A1VC38T7YXB528"], includedData: ["BUYER", "FULFILLMENT"], fulfilledBy: ["MERCHANT"], maxResultsPerPage: 100, paginationToken: "tok" });
    expect(q2.marketplaceIds).not.toBe(filters.marketplaceIds);
  });

  it("refuses out-of-range page sizes and more than 50 marketplaces", () => {
    expect(() => searchOrdersQuery({ by: "created", after: "2024-12-25T00:00:00Z" }, { maxResultsPerPage: 101 })).toThrow(/maxResultsPerPage must be an integer from 1 to 100, got 101/);
    expect(() => searchOrdersQuery({ by: "created", after: "2024-12-25T00:00:00Z" }, { marketplaceIds: Array.from({ length: 51 }, (_, i) => `M${i}`) })).toThrow(/at most 50 marketplaceIds/);
  });
});

describe("checkpoints", () => {
  const window = { by: "lastUpdated" as const, after: "2026-03-01T10:00:00Z", before: "2026-03-01T11:57:55Z" };

  it("mid-window: keeps the window and stores the next token with its issue time", () => {
    expect(checkpointAfterPage(window, { pagination: { nextToken: "T2" }, lastUpdatedBefore: "2026-03-01T11:57:55Z" }, NOW)).toEqual({
      by: "lastUpdated",
      after: "2026-03-01T10:00:00Z",
      before: "2026-03-01T11:57:55Z",
      paginationToken: "T2",
      tokenIssuedAtMs: NOW,
    });
  });

  it("last page: the watermark moves to the window end Amazon echoed (else the one sent)", () => {
    expect(checkpointAfterPage(window, { lastUpdatedBefore: "2026-03-01T11:57:00Z" }, NOW)).toEqual({ by: "lastUpdated", after: "2026-03-01T11:57:00Z", before: null, paginationToken: null, tokenIssuedAtMs: null });
    expect(checkpointAfterPage(window, { pagination: null }, NOW).after).toBe("2026-03-01T11:57:55Z");
    expect(checkpointAfterPage(window, { lastUpdatedBefore: "1.569521782042E9" }, NOW).after).toBe("2026-03-01T11:57:55Z");
    expect(checkpointAfterPage({ ...window, by: "created" }, { createdBefore: "2026-03-01T11:50:00Z", lastUpdatedBefore: "2026-03-01T11:00:00Z" }, NOW).after).toBe("2026-03-01T11:50:00Z");
  });

  it("resumes with a token younger than 24 h; an older one restarts the same window from its watermark", () => {
    const cp: OrdersCheckpoint = { by: "lastUpdated", after: "2026-03-01T10:00:00Z", before: "2026-03-01T11:57:55Z", paginationToken: "T2", tokenIssuedAtMs: NOW };
    expect(resumeFrom(cp, NOW + 60 * 60_000)).toEqual({ window, paginationToken: "T2" });
    expect(resumeFrom(cp, NOW + 24 * 60 * 60_000)).toEqual({ window, paginationToken: null });
  });

  it("between windows: a new window from the watermark to 2 minutes before now", () => {
    const cp: OrdersCheckpoint = { by: "lastUpdated", after: "2026-03-01T11:00:00Z", before: null, paginationToken: null, tokenIssuedAtMs: null };
    expect(resumeFrom(cp, NOW)).toEqual({ window: { by: "lastUpdated", after: "2026-03-01T11:00:00Z", before: "2026-03-01T11:57:55Z" }, paginationToken: null });
    expect(resumeFrom({ ...cp, after: "2026-03-01T11:59:00Z" }, NOW)).toEqual({ window: null, paginationToken: null });
  });
});

describe("FBA inventory query", () => {
  it("one marketplace, startDateTime on every page, the token when there is one", () => {
    expect(inventoryQuery({ marketplaceId: "ATVPDKIKX0DER", startDateTime: "2026-02-01T00:00:00Z", details: true }, "NT")).toEqual({
      granularityType: "Marketplace",
      granularityId: "ATVPDKIKX0DER",
      marketplaceIds: ["ATVPDKIKX0DER"],
      details: true,
      startDateTime: "2026-02-01T00:00:00Z",
      nextToken: "NT",
    });
  });

  it("sends sellerSkus only without startDateTime (Amazon ignores them then) and refuses SKUs with commas", () => {
    expect(inventoryQuery({ marketplaceId: "M", sellerSkus: ["A", "B"] })).toMatchObject({ sellerSkus: ["A", "B"] });
    expect(inventoryQuery({ marketplaceId: "M", sellerSkus: ["A"], startDateTime: "2026-02-01T00:00:00Z" })).not.toHaveProperty("sellerSkus");
    expect(() => inventoryQuery({ marketplaceId: "M", sellerSkus: ["A,B"] })).toThrow(/SKU "A,B" contains a comma/);
    expect(() => inventoryQuery({ marketplaceId: "" })).toThrow(/needs a marketplaceId/);
  });

  it("a nextToken is used only while younger than 25 s (it dies at 30 s)", () => {
    expect(nextTokenUsable(1_000, 25_999)).toBe(true);
    expect(nextTokenUsable(1_000, 26_000)).toBe(false);
  });
});
