import { describe, expect, it } from "vitest";
import { fbaLocationName, mapFbaSummaries } from "./fba";

// Amazon publishes no getInventorySummaries example; this page is written by hand from the schema in
// models/fba-inventory-api-model/fbaInventory.json (GetInventorySummariesResponse, details=true).
const page = {
  pagination: { nextToken: "seed-next-token" },
  payload: {
    granularity: { granularityType: "Marketplace", granularityId: "ATVPDKIKX0DER" },
    inventorySummaries: [
      {
        asin: "B0020MLK00",
        fnSku: "X000ABC123",
        sellerSku: "TEE-M",
        condition: "NewItem",
        inventoryDetails: {
          fulfillableQuantity: 40,
          inboundWorkingQuantity: 5,
          inboundShippedQuantity: 12,
          inboundReceivingQuantity: 3,
          reservedQuantity: { totalReservedQuantity: 6, pendingCustomerOrderQuantity: 4, pendingTransshipmentQuantity: 1, fcProcessingQuantity: 1 },
          researchingQuantity: { totalResearchingQuantity: 2, researchingQuantityBreakdown: [] },
          unfulfillableQuantity: { totalUnfulfillableQuantity: 3, customerDamagedQuantity: 1, warehouseDamagedQuantity: 2, distributorDamagedQuantity: 0, carrierDamagedQuantity: 0, defectiveQuantity: 0, expiredQuantity: 0 },
        },
        lastUpdatedTime: "2026-11-26T08:00:00Z",
        productName: "Trail Tee M",
        totalQuantity: 71,
      },
      { sellerSku: "CAP", inventoryDetails: { fulfillableQuantity: 0 }, totalQuantity: 0 },
    ],
  },
};

describe("mapFbaSummaries", () => {
  it("maps a details=true page to absolute hub quantities for the read-only Amazon FBA location", () => {
    const readAt = new Date("2026-11-27T10:00:00Z");
    expect(mapFbaSummaries(page, { readAt })).toEqual({
      locationName: "Amazon FBA",
      readOnly: true,
      nextToken: "seed-next-token",
      levels: [
        { sku: "TEE-M", quantities: { available: 40, committed: 4, reserved: 2, damaged: 3, quality_control: 2, incoming: 20, on_hand: 51 }, sourceUpdatedAt: new Date("2026-11-26T08:00:00Z") },
        { sku: "CAP", quantities: { available: 0, committed: 0, reserved: 0, damaged: 0, quality_control: 0, incoming: 0, on_hand: 0 }, sourceUpdatedAt: readAt },
      ],
    });
  });

  it("reads the payload as amazon-sp-api returns it (pagination merged into the payload)", () => {
    const merged = { ...page.payload, nextToken: "t2" };
    const r = mapFbaSummaries(merged, { readAt: new Date(0) });
    expect(r.nextToken).toBe("t2");
    expect(r.levels.map((l) => l.sku)).toEqual(["TEE-M", "CAP"]);
  });

  it("asks for details=true when the details are missing, and names bad quantities", () => {
    const noDetails = { payload: { inventorySummaries: [{ sellerSku: "TEE-M", totalQuantity: 71 }] } };
    expect(() => mapFbaSummaries(noDetails, { readAt: new Date(0) })).toThrow(/^inventorySummaries\.0\.inventoryDetails: missing: request getInventorySummaries with details=true/);
    const negative = { payload: { inventorySummaries: [{ sellerSku: "X", inventoryDetails: { fulfillableQuantity: -1 } }] } };
    expect(() => mapFbaSummaries(negative, { readAt: new Date(0) })).toThrow(/fulfillableQuantity/);
  });
});

describe("fbaLocationName", () => {
  it("keeps Amazon FBA for the home marketplace and names each further one after its marketplace", () => {
    expect(fbaLocationName("ATVPDKIKX0DER", true)).toBe("Amazon FBA");
    expect(fbaLocationName("A2EUQ1WTGCTBG2", false)).toBe("Amazon FBA (Amazon.ca)");
    expect(fbaLocationName("A1AM78C64UM0Y8", false)).toBe("Amazon FBA (Amazon.com.mx)");
    // An id the table does not know is still a distinct, stable name.
    expect(fbaLocationName("AXXXXXXXXXXXX", false)).toBe("Amazon FBA (AXXXXXXXXXXXX)");
  });
});
