/**
 * The plain seed object the sandbox starts from.  Structurally compatible with the app's
 * `CatalogLoad` (app/modules/inventory/catalog.repository.server.ts): a `CatalogLoad` value can be
 * passed as-is (extra properties such as `kind`, `timeZone` or `channels` are ignored), but this
 * folder never imports app/ (ARCHITECTURE.md rule 3).
 */
export interface SandboxSeed {
  shop?: { name?: string; currencyCode?: string; ianaTimezone?: string; email?: string; weightUnit?: "GRAMS" | "KILOGRAMS" | "OUNCES" | "POUNDS"; plan?: string };
  locations: SeedLocation[];
  products: SeedProduct[];
  /** Absolute Shopify quantities by SKU × location key (on_hand is derived). */
  levels: SeedLevel[];
  /** B2B companies with their locations (purchasingEntity on orders). */
  companies?: { key: string; name: string; externalId?: string; locations: { key: string; name: string; externalId?: string }[] }[];
  /** Historical orders created at start (no webhooks are sent for them). */
  orders?: SeedOrder[];
}

export interface SeedLocation {
  key: string;
  name: string;
  address1?: string;
  address2?: string;
  city?: string;
  /** Province / state code ("CA"); CatalogLoad calls it `province`. */
  province?: string;
  provinceCode?: string;
  countryCode?: string;
  zip?: string;
  phone?: string;
  latitude?: number;
  longitude?: number;
  fulfillsOnlineOrders?: boolean;
  /** CatalogLoad's name for fulfillsOnlineOrders. */
  shipsOnlineOrders?: boolean;
  isActive?: boolean;
  offersPickup?: boolean;
  /** CatalogLoad: "store" locations sell over POS in the order stream. */
  kind?: string;
  /** CatalogLoad: a read-only location (Amazon FBA) is not a Shopify location and is skipped. */
  readOnly?: boolean;
}

export interface SeedProduct {
  title: string;
  vendor?: string;
  tags?: string[];
  variants: { sku: string; title: string; price?: number; barcode?: string; kit?: unknown[] }[];
}

export interface SeedLevel {
  sku: string;
  /** Location key. */
  location: string;
  available: number;
  committed?: number;
  incoming?: number;
  safetyStock?: number;
  damaged?: number;
  reserved?: number;
  qualityControl?: number;
}

export interface SeedOrder {
  sourceName?: string;
  /** ISO timestamp; createdAt / processedAt / updatedAt of the order. */
  createdAt: string;
  lines: { sku: string; quantity: number }[];
  email?: string;
  firstName?: string;
  lastName?: string;
  shippingAddress?: { address1?: string; city?: string; provinceCode?: string; countryCode?: string; zip?: string };
  /** Location key of an already fulfilled order (POS sale); otherwise the order is routed and open. */
  fulfilledAt?: string;
}
