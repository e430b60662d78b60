/**
 * Plain data for the inventory domain (no Prisma types): what the pure functions take and return.
 */

/** Shopify's named inventory quantities (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/inventory-states) plus the hub's own holds. */
export interface LevelQuantities {
  onHand: number;
  /** Shopify "available": on hand minus committed, reserved, safety_stock, damaged, quality_control. */
  available: number;
  committed: number;
  reserved: number;
  incoming: number;
  safetyStock: number;
  damaged: number;
  qualityControl: number;
  /** Units this hub holds for orders that Shopify does not know yet (Amazon, B2B portals). */
  held: number;
}

export type LocationKind = "warehouse" | "store" | "3pl" | "wholesale_dc" | "marketplace";

export interface LocationLevel extends LevelQuantities {
  locationId: string;
  locationName: string;
  kind: LocationKind;
  /** Marketplace-managed stock (e.g. Amazon FBA) is read-only and never sellable by other channels. */
  readOnly: boolean;
  /** Location is active and may ship online orders. */
  active: boolean;
}

/** A buffer: fixed units, a percent of the pool, or both (the larger wins). */
export interface Buffer {
  units: number;
  percent: number;
}

export type ZeroPolicy = "zero" | "delist" | "backorder";

export interface ChannelPolicy {
  channelId: string;
  channelName: string;
  /** Locations whose stock this channel may sell. */
  eligibleLocationIds: string[];
  buffer: Buffer;
  /** Never expose more than this many units (null: no cap). */
  maxExposure: number | null;
  /** What to publish when ATS <= 0. */
  zeroPolicy: ZeroPolicy;
  /** Quantity published under the "backorder" policy. */
  backorderQuantity: number;
}

/** Per-SKU or per-tag override of a channel's buffer / cap.  SKU overrides beat tag overrides. */
export interface PolicyOverride {
  channelId: string;
  sku: string | null;
  tag: string | null;
  buffer: Buffer | null;
  maxExposure: number | null;
}

export interface KitComponent {
  sku: string;
  /** Units of the component per kit. */
  quantity: number;
  levels: LocationLevel[];
}

export interface SkuStock {
  sku: string;
  tags: string[];
  /** For a plain SKU: its levels.  For a kit: empty; see components. */
  levels: LocationLevel[];
  /** Non-empty for a kit: a kit consumes its components' stock. */
  components: KitComponent[];
}

export interface LocationContribution {
  locationId: string;
  locationName: string;
  counted: boolean;
  /** Why the location was left out, or a note about how it counted. */
  reason: string;
  available: number;
  held: number;
  /** available - held (for a kit: kits buildable from components here). May be negative. */
  sellable: number;
}

export interface AtsResult {
  channelId: string;
  sku: string;
  /** Units the channel may sell (>= 0). */
  ats: number;
  /** What to publish: a quantity, or null with action "delist". */
  publish: { action: "set"; quantity: number } | { action: "delist" };
  explanation: {
    locations: LocationContribution[];
    /** Sum of counted sellable (may be negative before clamping). */
    pool: number;
    buffer: { units: number; source: string };
    cap: { maxExposure: number | null; source: string; applied: boolean };
    /** Human-readable steps, e.g. ["pool 120 from 3 locations", "buffer −12 (10 % of 120, channel)", "cap 100"]. */
    steps: string[];
  };
}
