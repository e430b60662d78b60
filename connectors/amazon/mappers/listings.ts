/**
 * Quantities to Amazon: one SKU's ATS → a patchListingsItem body, and many → JSON_LISTINGS_FEED
 * documents (coalesced, chunked).  Both use JSON Patch `merge` on fulfillment_availability with the
 * selector fulfillment_channel_code DEFAULT (merchant-fulfilled stock), so quantity changes never
 * clobber lead_time_to_ship_max_days or restock_date
 * (https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-use-case-guide;
 * feed format schemas/feeds/listings-feed-schema-v2.json, ≤ 25 000 messages per feed).
 */
import { AmazonPayloadError } from "./errors";

export const MFN_CHANNEL_CODE = "DEFAULT";
export const MAX_FEED_MESSAGES = 25_000;
export const DEFAULT_PRODUCT_TYPE = "PRODUCT";

/** Amazon takes 0 or more; a negative ATS (oversold) is published as 0. */
function quantityFor(ats: number, field: string): number {
  if (!Number.isInteger(ats)) throw new AmazonPayloadError(field, `must be a whole number of units, got ${ats}`);
  return Math.max(0, ats);
}

export interface FulfillmentAvailabilityPatch {
  op: "merge";
  path: "/attributes/fulfillment_availability";
  value: [{ fulfillment_channel_code: string; quantity: number }];
}

function mergePatch(quantity: number): FulfillmentAvailabilityPatch {
  return { op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: MFN_CHANNEL_CODE, quantity }] };
}

/** The body of PATCH /listings/2021-08-01/items/{sellerId}/{sku} for a new MFN quantity. */
export function quantityPatchBody(ats: number, productType = DEFAULT_PRODUCT_TYPE): { productType: string; patches: [FulfillmentAvailabilityPatch] } {
  return { productType, patches: [mergePatch(quantityFor(ats, "ats"))] };
}

export interface QuantityChange {
  sku: string;
  ats: number;
  productType?: string;
}

export interface ListingsFeedMessage {
  messageId: number;
  sku: string;
  operationType: "PATCH";
  productType: string;
  patches: [FulfillmentAvailabilityPatch];
}

export interface ListingsFeedDocument {
  header: { sellerId: string; version: "2.0"; issueLocale: string };
  messages: ListingsFeedMessage[];
}

export interface BuiltFeeds {
  feeds: ListingsFeedDocument[];
  /** SKU → quantity that the feeds will set (what to remember as "last sent" once a feed is DONE without errors for it). */
  sending: Map<string, number>;
  /** SKUs left out because Amazon already has that value. */
  unchanged: string[];
}

/**
 * Builds JSON_LISTINGS_FEED documents from quantity changes in the order they happened: the latest
 * value of a SKU wins, a SKU whose latest value equals `lastSent` is skipped, and messages are split
 * into feeds of at most `maxMessages` (Amazon: 25 000).  messageId counts from 1 in each feed.
 */
export function buildListingsFeeds(input: { sellerId: string; changes: readonly QuantityChange[]; lastSent?: ReadonlyMap<string, number>; maxMessages?: number; issueLocale?: string }): BuiltFeeds {
  const max = input.maxMessages ?? MAX_FEED_MESSAGES;
  if (!Number.isInteger(max) || max < 1 || max > MAX_FEED_MESSAGES) throw new AmazonPayloadError("maxMessages", `must be between 1 and ${MAX_FEED_MESSAGES}, got ${max}`);
  if (!input.sellerId) throw new AmazonPayloadError("sellerId", "is required in the feed header");
  const latest = new Map<string, { quantity: number; productType: string }>();
  input.changes.forEach((c, i) => {
    if (!c.sku) throw new AmazonPayloadError(`changes.${i}.sku`, "is required");
    latest.delete(c.sku); // re-insert so the SKU's position follows its latest change
    latest.set(c.sku, { quantity: quantityFor(c.ats, `changes.${i}.ats`), productType: c.productType ?? DEFAULT_PRODUCT_TYPE });
  });
  const sending = new Map<string, number>();
  const unchanged: string[] = [];
  const messages: Omit<ListingsFeedMessage, "messageId">[] = [];
  for (const [sku, v] of latest) {
    if (input.lastSent?.get(sku) === v.quantity) {
      unchanged.push(sku);
      continue;
    }
    sending.set(sku, v.quantity);
    messages.push({ sku, operationType: "PATCH", productType: v.productType, patches: [mergePatch(v.quantity)] });
  }
  const feeds: ListingsFeedDocument[] = [];
  for (let at = 0; at < messages.length; at += max) {
    feeds.push({
      header: { sellerId: input.sellerId, version: "2.0", issueLocale: input.issueLocale ?? "en_US" },
      messages: messages.slice(at, at + max).map((m, i) => ({ messageId: i + 1, ...m })),
    });
  }
  return { feeds, sending, unchanged };
}
