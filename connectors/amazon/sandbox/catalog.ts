/**
 * The seller's listings (Listings Items API 2021-08-01) and FBA inventory (FBA Inventory API v1) as
 * the peer keeps them.  Quantities pushed by patchListingsItem or JSON_LISTINGS_FEED land here and
 * are recorded per SKU so tests and benchmarks can read exactly what Amazon would hold.
 * Models: listingsItems_2021-08-01.json, fbaInventory.json (amzn/selling-partner-api-models@34dc93f).
 */
import { invalidInput, isoUtc } from "./util";

export interface SeedListing {
  sku: string;
  asin?: string;
  title?: string;
  /** Decimal string, the listing price in the marketplace currency. */
  price?: string;
  productType?: string;
  /** MFN quantity (fulfillment_availability DEFAULT). */
  quantity?: number;
  leadTimeToShipMaxDays?: number;
  /** Marketplaces the SKU is listed in (default: all of the peer's). */
  marketplaceIds?: string[];
}

export interface SeedFba {
  sku: string;
  fulfillable: number;
  inboundWorking?: number;
  inboundShipped?: number;
  inboundReceiving?: number;
  reserved?: number;
  unfulfillable?: number;
  researching?: number;
}

export interface AmazonSandboxSeed {
  listings: SeedListing[];
  fba?: SeedFba[];
}

export interface ListingRec {
  sku: string;
  asin: string;
  title: string;
  price: string;
  productType: string;
  marketplaceIds: string[];
  createdMs: number;
  lastUpdatedMs: number;
  /** Attributes as Amazon stores them (snake_case names, arrays of values). */
  attributes: Record<string, Record<string, unknown>[]>;
}

export interface QuantityUpdate {
  sku: string;
  quantity: number;
  via: "patchListingsItem" | "JSON_LISTINGS_FEED";
  atMs: number;
  /** submissionId (patch) or feedId (feed). */
  reference: string;
}

export interface FbaRec {
  sku: string;
  asin: string;
  fnSku: string;
  title: string;
  fulfillable: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  pendingCustomerOrder: number;
  fcProcessing: number;
  unfulfillable: number;
  researching: number;
  lastUpdatedMs: number;
}

export const PATCH_OPS = ["add", "replace", "merge", "delete"] as const;
export type PatchOp = (typeof PATCH_OPS)[number];
export interface PatchOperation {
  op: PatchOp;
  path: string;
  value?: Record<string, unknown>[];
}

export interface SubmissionIssue {
  code: string;
  message: string;
  severity: "ERROR" | "WARNING" | "INFO";
  attributeNames?: string[];
  categories?: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Validates a patches array (ListingsItemPatchRequest.patches / a feed PATCH message).  Returns the
 * issues that make it INVALID; empty when it can be applied.  `merge` on fulfillment_availability
 * needs the selector fulfillment_channel_code in every value
 * (https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-use-case-guide).
 */
export function patchIssues(patches: unknown): SubmissionIssue[] {
  const issues: SubmissionIssue[] = [];
  const bad = (message: string, attr?: string) => issues.push({ code: "4000001", message, severity: "ERROR", ...(attr ? { attributeNames: [attr] } : {}), categories: ["INVALID_ATTRIBUTE"] });
  if (!Array.isArray(patches) || patches.length === 0) {
    bad("patches must contain at least one JSON Patch operation.");
    return issues;
  }
  patches.forEach((p, i) => {
    if (!isObj(p)) return bad(`patches[${i}] must be an object.`);
    if (!PATCH_OPS.includes(p.op as PatchOp)) return bad(`patches[${i}].op must be one of ${PATCH_OPS.join(", ")}.`);
    const m = typeof p.path === "string" ? /^\/attributes\/([a-z0-9_]+)$/.exec(p.path) : null;
    if (!m) return bad(`patches[${i}].path must be a top-level attribute such as /attributes/fulfillment_availability.`);
    const attr = m[1]!;
    if (p.op !== "delete" && (!Array.isArray(p.value) || p.value.length === 0 || !p.value.every(isObj))) return bad(`patches[${i}].value must be a non-empty array of objects.`, attr);
    if (attr === "fulfillment_availability" && Array.isArray(p.value)) {
      for (const v of p.value as Record<string, unknown>[]) {
        if (typeof v.fulfillment_channel_code !== "string" || !v.fulfillment_channel_code) return bad("fulfillment_channel_code is required in each fulfillment_availability value.", attr);
        if (v.quantity !== undefined && (!Number.isInteger(v.quantity) || (v.quantity as number) < 0)) return bad(`The provided value for 'quantity' is invalid: ${JSON.stringify(v.quantity)} (a whole number ≥ 0).`, attr);
      }
    }
  });
  return issues;
}

export class Catalog {
  private readonly listings = new Map<string, ListingRec>();
  private readonly fba = new Map<string, FbaRec>();
  readonly quantityUpdates: QuantityUpdate[] = [];

  constructor(
    seed: AmazonSandboxSeed,
    private readonly marketplaceIds: readonly string[],
    private readonly now: () => number,
  ) {
    const t = now();
    seed.listings.forEach((l, i) => {
      if (this.listings.has(l.sku)) throw new Error(`Amazon sandbox seed: SKU ${l.sku} appears twice`);
      const asin = l.asin ?? `B0${String(100000000 + i * 7919).slice(-8)}`;
      this.listings.set(l.sku, {
        sku: l.sku,
        asin,
        title: l.title ?? l.sku,
        price: l.price ?? "19.99",
        productType: l.productType ?? "PRODUCT",
        marketplaceIds: l.marketplaceIds ?? [...marketplaceIds],
        createdMs: t,
        lastUpdatedMs: t,
        attributes: { fulfillment_availability: [{ fulfillment_channel_code: "DEFAULT", quantity: l.quantity ?? 0, ...(l.leadTimeToShipMaxDays !== undefined ? { lead_time_to_ship_max_days: l.leadTimeToShipMaxDays } : {}) }] },
      });
    });
    for (const f of seed.fba ?? []) {
      const l = this.listings.get(f.sku);
      if (!l) throw new Error(`Amazon sandbox seed: FBA SKU ${f.sku} is not a listing`);
      this.fba.set(f.sku, {
        sku: f.sku,
        asin: l.asin,
        fnSku: `X00${l.asin.slice(-7)}`,
        title: l.title,
        fulfillable: f.fulfillable,
        inboundWorking: f.inboundWorking ?? 0,
        inboundShipped: f.inboundShipped ?? 0,
        inboundReceiving: f.inboundReceiving ?? 0,
        pendingCustomerOrder: f.reserved ?? 0,
        fcProcessing: 0,
        unfulfillable: f.unfulfillable ?? 0,
        researching: f.researching ?? 0,
        lastUpdatedMs: t,
      });
    }
  }

  listing(sku: string): ListingRec | undefined {
    return this.listings.get(sku);
  }

  skus(): string[] {
    return [...this.listings.keys()];
  }

  private readonly byMarketplace = new Map<string, string[]>();

  /** SKUs listed in a marketplace (cached; a DELETE clears the cache). */
  skusIn(marketplaceId: string): readonly string[] {
    let list = this.byMarketplace.get(marketplaceId);
    if (!list) {
      list = [...this.listings.values()].filter((l) => l.marketplaceIds.includes(marketplaceId)).map((l) => l.sku);
      this.byMarketplace.set(marketplaceId, list);
    }
    return list;
  }

  /** MFN quantity (fulfillment_availability DEFAULT) of a SKU; null when it has none. */
  mfnQuantity(sku: string): number | null {
    const fa = this.listings.get(sku)?.attributes.fulfillment_availability?.find((v) => v.fulfillment_channel_code === "DEFAULT");
    return typeof fa?.quantity === "number" ? fa.quantity : null;
  }

  /** Applies validated patches (see patchIssues) to a listing, recording MFN quantity changes. */
  applyPatches(sku: string, patches: PatchOperation[], via: QuantityUpdate["via"], reference: string) {
    const l = this.listings.get(sku);
    if (!l) throw new Error(`Amazon sandbox: no listing ${sku}`);
    for (const p of patches) {
      const attr = p.path.slice("/attributes/".length);
      const current = l.attributes[attr] ?? [];
      const value = (p.value ?? []).map((v) => ({ ...v }));
      if (p.op === "delete") delete l.attributes[attr];
      else if (p.op === "merge" && attr === "fulfillment_availability") {
        // merge: values are matched on their selector (fulfillment_channel_code); given keys replace, others stay.
        const merged = current.map((c) => ({ ...c }));
        for (const v of value) {
          const at = merged.findIndex((c) => c.fulfillment_channel_code === v.fulfillment_channel_code);
          if (at >= 0) merged[at] = { ...merged[at], ...v };
          else merged.push(v);
        }
        l.attributes[attr] = merged;
      } else if (p.op === "merge") {
        l.attributes[attr] = current.length ? current.map((c, i) => ({ ...c, ...(value[i] ?? {}) })) : value;
      } else l.attributes[attr] = value;
    }
    this.touchListing(l, via, reference);
  }

  /** A feed PARTIAL_UPDATE / UPDATE: attributes replaced as given (UPDATE drops the others). */
  setAttributes(sku: string, attributes: Record<string, Record<string, unknown>[]>, full: boolean, via: QuantityUpdate["via"], reference: string) {
    const l = this.listings.get(sku);
    if (!l) throw new Error(`Amazon sandbox: no listing ${sku}`);
    l.attributes = full ? { ...attributes } : { ...l.attributes, ...attributes };
    this.touchListing(l, via, reference);
  }

  /** SKUs listed in a marketplace that have FBA inventory. */
  fbaSkusIn(marketplaceId: string): readonly string[] {
    const key = `fba:${marketplaceId}`;
    let list = this.byMarketplace.get(key);
    if (!list) {
      list = [...this.fba.keys()].filter((sku) => this.listings.get(sku)?.marketplaceIds.includes(marketplaceId));
      this.byMarketplace.set(key, list);
    }
    return list;
  }

  deleteListing(sku: string) {
    this.listings.delete(sku);
    this.byMarketplace.clear();
  }

  private touchListing(l: ListingRec, via: QuantityUpdate["via"], reference: string) {
    l.lastUpdatedMs = this.now();
    const q = this.mfnQuantity(l.sku);
    if (q !== null) this.quantityUpdates.push({ sku: l.sku, quantity: q, via, atMs: l.lastUpdatedMs, reference });
  }

  /** An MFN order took units (Amazon lowers the offer's quantity when an order is placed). */
  takeMfn(sku: string, quantity: number) {
    const fa = this.listings.get(sku)?.attributes.fulfillment_availability?.find((v) => v.fulfillment_channel_code === "DEFAULT");
    if (!fa || typeof fa.quantity !== "number" || fa.quantity < quantity) throw new Error(`Amazon sandbox: SKU ${sku} has not ${quantity} MFN units`);
    fa.quantity -= quantity;
  }

  /** An FBA order reserved units: fulfillable → reserved (pending customer order). */
  takeFba(sku: string, quantity: number) {
    const f = this.fba.get(sku);
    if (!f || f.fulfillable < quantity) throw new Error(`Amazon sandbox: SKU ${sku} has not ${quantity} FBA fulfillable units`);
    f.fulfillable -= quantity;
    f.pendingCustomerOrder += quantity;
    f.lastUpdatedMs = this.now();
  }

  /** FBA shipped reserved units to the customer. */
  shipFba(sku: string, quantity: number) {
    const f = this.fba.get(sku);
    if (!f) return;
    f.pendingCustomerOrder = Math.max(0, f.pendingCustomerOrder - quantity);
    f.lastUpdatedMs = this.now();
  }

  /** Test hook: set FBA quantities (e.g. a receipt at the fulfilment centre). */
  setFba(sku: string, q: Partial<Pick<FbaRec, "fulfillable" | "inboundWorking" | "inboundShipped" | "inboundReceiving" | "pendingCustomerOrder" | "fcProcessing" | "unfulfillable" | "researching">>) {
    const f = this.fba.get(sku);
    if (!f) throw new Error(`Amazon sandbox: SKU ${sku} has no FBA inventory`);
    Object.assign(f, q);
    f.lastUpdatedMs = this.now();
  }

  fbaRecords(): FbaRec[] {
    return [...this.fba.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }

  fbaRecord(sku: string): FbaRec | undefined {
    return this.fba.get(sku);
  }

  marketplaceCheck(ids: string[]) {
    for (const id of ids) if (!this.marketplaceIds.includes(id)) throw invalidInput(`Marketplace ${id} is not one the seller participates in.`, "Invalid Input");
  }
}

/** getListingsItem's answer for the datasets in includedData (default summaries), as in getListingsItem.200.* fixtures. */
export function renderListing(l: ListingRec, marketplaceIds: string[], included: ReadonlySet<string>, currencyOf: (marketplaceId: string) => string) {
  const fa = (l.attributes.fulfillment_availability ?? []).map((v) => ({ fulfillmentChannelCode: String(v.fulfillment_channel_code), ...(typeof v.quantity === "number" ? { quantity: v.quantity } : {}) }));
  return {
    sku: l.sku,
    ...(included.has("summaries")
      ? {
          summaries: marketplaceIds.map((marketplaceId) => ({
            marketplaceId,
            asin: l.asin,
            productType: l.productType,
            conditionType: "new_new",
            status: fa.some((f) => (f.quantity ?? 0) > 0) ? ["BUYABLE", "DISCOVERABLE"] : ["DISCOVERABLE"],
            itemName: l.title,
            createdDate: isoUtc(l.createdMs),
            lastUpdatedDate: isoUtc(l.lastUpdatedMs),
          })),
        }
      : {}),
    ...(included.has("attributes") ? { attributes: structuredClone(l.attributes) } : {}),
    ...(included.has("issues") ? { issues: [] as SubmissionIssue[] } : {}),
    ...(included.has("offers") ? { offers: marketplaceIds.map((marketplaceId) => ({ marketplaceId, offerType: "B2C", price: { currencyCode: currencyOf(marketplaceId), amount: l.price } })) } : {}),
    ...(included.has("fulfillmentAvailability") ? { fulfillmentAvailability: fa } : {}),
  };
}
