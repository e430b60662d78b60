/**
 * getInventorySummaries (FBA Inventory v1, details=true) → absolute quantities for the hub's read-only
 * "Amazon FBA" location, in the hub's quantity names (app/modules/inventory QUANTITY_NAMES).
 * Model: models/fba-inventory-api-model/fbaInventory.json (Amazon publishes no example; the tests use
 * hand-written payloads that follow the schema).
 *
 * | Amazon inventoryDetails                                   | hub quantity     |
 * |-----------------------------------------------------------|------------------|
 * | fulfillableQuantity                                       | available        |
 * | reservedQuantity.pendingCustomerOrderQuantity             | committed        |
 * | reservedQuantity.pendingTransshipmentQuantity + fcProcessingQuantity | reserved |
 * | unfulfillableQuantity.totalUnfulfillableQuantity          | damaged          |
 * | researchingQuantity.totalResearchingQuantity              | quality_control  |
 * | inboundWorking + inboundShipped + inboundReceiving        | incoming         |
 * | the sum of the five above it (Shopify's on_hand identity) | on_hand          |
 */
import { z } from "zod";
import { AmazonPayloadError, parseAmazon } from "./errors";
import { marketplace } from "./marketplaces";

export const FBA_LOCATION_NAME = "Amazon FBA";

/**
 * The read-only location one marketplace's FBA stock is mirrored at.  getInventorySummaries reports
 * per marketplace (granularityType Marketplace, one marketplaceIds value per call), and marketplaces
 * of a region can report the same pooled units (Pan-European FBA, remote fulfilment), so each
 * marketplace has its own location rather than all adding into one: the account's home (first)
 * marketplace keeps the original "Amazon FBA", each further one is "Amazon FBA (Amazon.ca)".
 */
export function fbaLocationName(marketplaceId: string, home: boolean): string {
  return home ? FBA_LOCATION_NAME : `${FBA_LOCATION_NAME} (${marketplace(marketplaceId)?.name ?? marketplaceId})`;
}

const int = z.number().int().nonnegative();
const summarySchema = z.object({
  sellerSku: z.string().min(1),
  asin: z.string().nullish(),
  fnSku: z.string().nullish(),
  lastUpdatedTime: z.string().nullish(),
  totalQuantity: int.nullish(),
  inventoryDetails: z
    .object({
      fulfillableQuantity: int.nullish(),
      inboundWorkingQuantity: int.nullish(),
      inboundShippedQuantity: int.nullish(),
      inboundReceivingQuantity: int.nullish(),
      reservedQuantity: z.object({ totalReservedQuantity: int.nullish(), pendingCustomerOrderQuantity: int.nullish(), pendingTransshipmentQuantity: int.nullish(), fcProcessingQuantity: int.nullish() }).nullish(),
      researchingQuantity: z.object({ totalResearchingQuantity: int.nullish() }).nullish(),
      unfulfillableQuantity: z.object({ totalUnfulfillableQuantity: int.nullish() }).nullish(),
    })
    .nullish(),
});
/** The response body ({payload, pagination}) or the payload alone (amazon-sp-api merges pagination into it). */
const responseSchema = z.union([
  z.object({ payload: z.object({ inventorySummaries: z.array(summarySchema) }), pagination: z.object({ nextToken: z.string().nullish() }).nullish() }),
  z.object({ inventorySummaries: z.array(summarySchema), nextToken: z.string().nullish() }),
]);

export interface FbaLevel {
  sku: string;
  quantities: { available: number; committed: number; reserved: number; damaged: number; quality_control: number; incoming: number; on_hand: number };
  /** Amazon's lastUpdatedTime, else the time the page was read (passed in). */
  sourceUpdatedAt: Date;
}

export interface MappedFbaPage {
  locationName: typeof FBA_LOCATION_NAME;
  readOnly: true;
  levels: FbaLevel[];
  nextToken: string | null;
}

export function mapFbaSummaries(raw: unknown, ctx: { readAt: Date }): MappedFbaPage {
  const r = parseAmazon(responseSchema, raw, "inventorySummaries");
  const list = "payload" in r ? r.payload.inventorySummaries : r.inventorySummaries;
  const nextToken = ("payload" in r ? r.pagination?.nextToken : r.nextToken) ?? null;
  const levels = list.map((s, i): FbaLevel => {
    const d = s.inventoryDetails;
    if (!d) throw new AmazonPayloadError(`inventorySummaries.${i}.inventoryDetails`, "missing: request getInventorySummaries with details=true (totalQuantity alone cannot be split into available and reserved)");
    const available = d.fulfillableQuantity ?? 0;
    const committed = d.reservedQuantity?.pendingCustomerOrderQuantity ?? 0;
    const reserved = (d.reservedQuantity?.pendingTransshipmentQuantity ?? 0) + (d.reservedQuantity?.fcProcessingQuantity ?? 0);
    const damaged = d.unfulfillableQuantity?.totalUnfulfillableQuantity ?? 0;
    const qualityControl = d.researchingQuantity?.totalResearchingQuantity ?? 0;
    const incoming = (d.inboundWorkingQuantity ?? 0) + (d.inboundShippedQuantity ?? 0) + (d.inboundReceivingQuantity ?? 0);
    const updated = s.lastUpdatedTime && !Number.isNaN(Date.parse(s.lastUpdatedTime)) ? new Date(s.lastUpdatedTime) : ctx.readAt;
    return {
      sku: s.sellerSku,
      quantities: { available, committed, reserved, damaged, quality_control: qualityControl, incoming, on_hand: available + committed + reserved + damaged + qualityControl },
      sourceUpdatedAt: updated,
    };
  });
  return { locationName: FBA_LOCATION_NAME, readOnly: true, levels, nextToken };
}
