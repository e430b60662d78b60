/**
 * The in-memory shop behind the sandbox: locations, products / variants / inventory items,
 * inventory levels with every quantity name, customers, B2B companies, orders, fulfillment orders,
 * holds, adjustment groups and bulk operations.  All business rules of the mutations live here
 * (GraphQL resolvers only translate); every change emits a StoreEvent that the webhook layer turns
 * into Shopify's webhooks.  Ids are dense per type, so gids are deterministic (Location/1 …).
 */
import type { SandboxSeed, SeedLocation } from "./seed";
import { hashString, handleize } from "./util";
import { geocode } from "./places";

export const QUANTITY_NAMES = ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];
/** The states that make up on_hand (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states). */
const ON_HAND_PARTS: QuantityName[] = ["available", "committed", "reserved", "damaged", "safety_stock", "quality_control"];

/** Reasons accepted by inventorySetQuantities / inventoryAdjustQuantities (Shopify's documented list). */
export const INVENTORY_REASONS = new Set([
  "correction", "cycle_count_available", "damaged", "movement_created", "movement_updated", "movement_received", "movement_canceled",
  "other", "promotion", "quality_control", "received", "reservation_created", "reservation_deleted", "reservation_updated", "restock",
  "safety_stock", "shrinkage",
]);

export interface AddressRec {
  n: number;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface LocationRec {
  __typename: "Location";
  n: number;
  key: string;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  offersPickup: boolean;
  retail: boolean;
  address: Omit<AddressRec, "n" | "firstName" | "lastName" | "company">;
  createdAt: number;
  updatedAt: number;
}

export interface ProductRec {
  __typename: "Product";
  n: number;
  title: string;
  handle: string;
  vendor: string;
  tags: string[];
  variantNs: number[];
  createdAt: number;
  updatedAt: number;
}

export interface VariantRec {
  __typename: "ProductVariant";
  n: number;
  productN: number;
  sku: string;
  title: string;
  price: number;
  barcode: string | null;
  itemN: number;
  /** A bundle parent has no inventory of its own (NON_MUTABLE_INVENTORY_ITEM). */
  isBundle: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ItemRec {
  __typename: "InventoryItem";
  n: number;
  variantN: number;
  sku: string;
  tracked: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface LevelRec {
  __typename: "InventoryLevel";
  itemN: number;
  locationN: number;
  q: Record<QuantityName, number>;
  qUpdatedAt: Record<QuantityName, number>;
  createdAt: number;
  updatedAt: number;
}

export interface CustomerRec {
  __typename: "Customer";
  n: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  tags: string[];
  defaultAddress: AddressRec | null;
  createdAt: number;
  updatedAt: number;
}

export interface CompanyRec {
  __typename: "Company";
  n: number;
  key: string;
  name: string;
  externalId: string | null;
  locationNs: number[];
}

export interface CompanyLocationRec {
  __typename: "CompanyLocation";
  n: number;
  key: string;
  companyN: number;
  name: string;
  externalId: string | null;
}

export interface LineItemRec {
  __typename: "LineItem";
  n: number;
  orderN: number;
  variantN: number | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  quantity: number;
  price: number;
  requiresShipping: boolean;
}

export type DeliveryMethodType = "SHIPPING" | "PICK_UP" | "RETAIL" | "LOCAL" | "NONE" | "PICKUP_POINT";

export interface ShippingLineRec {
  title: string;
  code: string | null;
  source: string | null;
  price: number;
}

export type FinancialStatus = "AUTHORIZED" | "EXPIRED" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "PENDING" | "REFUNDED" | "VOIDED";

export interface OrderRec {
  __typename: "Order";
  n: number;
  name: string;
  number: number;
  createdAt: number;
  updatedAt: number;
  processedAt: number;
  cancelledAt: number | null;
  closedAt: number | null;
  sourceName: string;
  sourceIdentifier: string | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  test: boolean;
  poNumber: string | null;
  currency: string;
  financialStatus: FinancialStatus;
  customerN: number | null;
  companyLocationN: number | null;
  shippingAddress: AddressRec | null;
  billingAddress: AddressRec | null;
  lineItemNs: number[];
  foNs: number[];
  retailLocationN: number | null;
  shippingLines: ShippingLineRec[];
  /** Whether inventory was claimed (inventoryBehaviour ≠ BYPASS): moves carry committed along. */
  inventoryClaimed: boolean;
}

export type FoStatus = "OPEN" | "ON_HOLD" | "IN_PROGRESS" | "CLOSED" | "CANCELLED" | "SCHEDULED" | "INCOMPLETE";

export interface FoRec {
  __typename: "FulfillmentOrder";
  n: number;
  orderN: number;
  locationN: number;
  status: FoStatus;
  lineNs: number[];
  holds: HoldRec[];
  deliveryMethod: { n: number; methodType: DeliveryMethodType; presentedName: string | null };
  preparedForPickupAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface FoLineRec {
  __typename: "FulfillmentOrderLineItem";
  n: number;
  foN: number;
  lineItemN: number;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface HoldRec {
  __typename: "FulfillmentHold";
  n: number;
  foN: number;
  reason: string;
  reasonNotes: string | null;
  handle: string | null;
  externalId: string | null;
  /**
   * The app that placed it when it is not the app calling the sandbox (another app, or the
   * merchant in the admin): `heldByRequestingApp` is false for it, and its handles are its own.
   */
  otherApp: string | null;
}

export interface ChangeRec {
  itemN: number;
  locationN: number;
  name: QuantityName;
  delta: number;
  quantityAfterChange: number;
  ledgerDocumentUri: string | null;
}

export interface AdjustmentGroupRec {
  __typename: "InventoryAdjustmentGroup";
  n: number;
  createdAt: number;
  reason: string;
  referenceDocumentUri: string | null;
  changes: ChangeRec[];
}

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

export interface BulkRec {
  __typename: "BulkOperation";
  n: number;
  type: "QUERY" | "MUTATION";
  status: BulkStatus;
  query: string;
  groupObjects: boolean;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  filePath: string | null;
}

export interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/** A mutation refused with Shopify-style userErrors; nothing was changed. */
export class UserErrors extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.message).join("; "));
  }
}

const fail = (code: string | null, field: (string | number)[] | null, message: string): never => {
  throw new UserErrors([{ code, field: field?.map(String) ?? null, message }]);
};

export type StoreEvent =
  | { type: "order.created"; order: OrderRec }
  | { type: "fo.routed"; fo: FoRec }
  | { type: "inventory.changed"; level: LevelRec }
  | { type: "fo.moved"; original: FoRec; moved: FoRec; sourceLocationN: number; requested: { foLineN: number; quantity: number }[] }
  | { type: "fo.held"; fo: FoRec; hold: HoldRec; remaining: FoRec | null; held: { foLineN: number; quantity: number }[] }
  | { type: "fo.hold_released"; fo: FoRec; holds: HoldRec[] }
  | { type: "fo.prepared_for_pickup"; fo: FoRec }
  | { type: "bulk.finished"; op: BulkRec };

export interface NewOrderLine {
  variantN: number | null;
  sku: string | null;
  title: string;
  variantTitle?: string | null;
  vendor?: string | null;
  quantity: number;
  price: number;
  requiresShipping?: boolean;
}

export type InventoryBehaviour = "BYPASS" | "DECREMENT_IGNORING_POLICY" | "DECREMENT_OBEYING_POLICY";

export interface NewOrder {
  lines: NewOrderLine[];
  name?: string | null;
  customerN?: number | null;
  companyLocationN?: number | null;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  sourceName: string;
  sourceIdentifier?: string | null;
  financialStatus?: FinancialStatus;
  shippingAddress?: Partial<AddressRec> | null;
  billingAddress?: Partial<AddressRec> | null;
  shippingLines?: ShippingLineRec[];
  processedAt?: number | null;
  createdAt?: number;
  inventoryBehaviour: InventoryBehaviour;
  /** orderCreate's `fulfillment.locationId`: the order is created fulfilled from this location. */
  fulfilledAtLocationN?: number | null;
  /** Local pickup at this location (deliveryMethod PICK_UP). */
  pickupLocationN?: number | null;
  /** POS sale at this store (fulfilled on the spot, deliveryMethod RETAIL). */
  retailLocationN?: number | null;
  test?: boolean;
  poNumber?: string | null;
  currency?: string;
}

export interface StoreOptions {
  shopDomain: string;
  now: () => number;
}

const zeroQuantities = (): Record<QuantityName, number> => ({ available: 0, on_hand: 0, committed: 0, reserved: 0, incoming: 0, damaged: 0, safety_stock: 0, quality_control: 0 });

/** The in-memory shop. */
export class SandboxStore {
  readonly shop: { name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string; email: string; weightUnit: string; plan: string };
  readonly locations: LocationRec[] = [];
  readonly products: ProductRec[] = [];
  readonly variants: VariantRec[] = [];
  readonly items: ItemRec[] = [];
  readonly customers: CustomerRec[] = [];
  readonly companies: CompanyRec[] = [];
  readonly companyLocations: CompanyLocationRec[] = [];
  readonly orders: OrderRec[] = [];
  readonly lineItems: LineItemRec[] = [];
  readonly fulfillmentOrders: FoRec[] = [];
  readonly foLines: FoLineRec[] = [];
  readonly holds: HoldRec[] = [];
  readonly adjustmentGroups: AdjustmentGroupRec[] = [];
  readonly bulkOperations: BulkRec[] = [];
  /** Idempotency records of `@idempotent` mutations: `${mutation}:${key}` → params hash + result. */
  readonly idempotency = new Map<string, { params: string; result: unknown }>();

  /** Keyed by levelKey(item, location). */
  private readonly levels = new Map<number, LevelRec>();
  private readonly levelsByItem = new Map<number, LevelRec[]>();
  private readonly levelsByLocation = new Map<number, LevelRec[]>();
  private readonly variantBySku = new Map<string, VariantRec>();
  private readonly locationByKey = new Map<string, LocationRec>();
  private readonly listeners: ((e: StoreEvent) => void)[] = [];
  private addressN = 0;
  private deliveryMethodN = 0;
  private muted = 0;
  readonly now: () => number;

  constructor(seed: SandboxSeed, opts: StoreOptions) {
    this.now = opts.now;
    const t = opts.now();
    this.shop = {
      name: seed.shop?.name ?? opts.shopDomain.replace(/\.myshopify\.com$/, ""),
      myshopifyDomain: opts.shopDomain,
      currencyCode: seed.shop?.currencyCode ?? "USD",
      ianaTimezone: seed.shop?.ianaTimezone ?? "America/New_York",
      email: seed.shop?.email ?? `owner@${opts.shopDomain}`,
      weightUnit: seed.shop?.weightUnit ?? "KILOGRAMS",
      plan: seed.shop?.plan ?? "Advanced",
    };
    for (const l of seed.locations) if (!l.readOnly) this.addLocation(l, t);
    for (const p of seed.products) {
      const product: ProductRec = { __typename: "Product", n: this.products.length + 1, title: p.title, handle: handleize(p.title), vendor: p.vendor ?? this.shop.name, tags: [...(p.tags ?? [])], variantNs: [], createdAt: t, updatedAt: t };
      this.products.push(product);
      for (const v of p.variants) {
        if (this.variantBySku.has(v.sku)) throw new Error(`seed: duplicate SKU ${v.sku}`);
        const variantN = this.variants.length + 1;
        const item: ItemRec = { __typename: "InventoryItem", n: this.items.length + 1, variantN, sku: v.sku, tracked: !v.kit, createdAt: t, updatedAt: t };
        this.items.push(item);
        const variant: VariantRec = { __typename: "ProductVariant", n: variantN, productN: product.n, sku: v.sku, title: v.title, price: v.price ?? defaultPrice(v.sku), barcode: v.barcode ?? null, itemN: item.n, isBundle: !!v.kit, createdAt: t, updatedAt: t };
        this.variants.push(variant);
        this.variantBySku.set(v.sku, variant);
        product.variantNs.push(variantN);
      }
    }
    for (const l of seed.levels) {
      const variant = this.variantBySku.get(l.sku);
      if (!variant) throw new Error(`seed: level for unknown SKU ${l.sku}`);
      const location = this.locationByKey.get(l.location);
      if (!location) {
        if (seed.locations.some((s) => s.key === l.location && s.readOnly)) continue;
        throw new Error(`seed: level at unknown location ${l.location}`);
      }
      const level = this.connect(variant.itemN, location.n, t);
      const q = level.q;
      q.available = l.available;
      q.committed = l.committed ?? 0;
      q.incoming = l.incoming ?? 0;
      q.safety_stock = l.safetyStock ?? 0;
      q.damaged = l.damaged ?? 0;
      q.reserved = l.reserved ?? 0;
      q.quality_control = l.qualityControl ?? 0;
      q.on_hand = ON_HAND_PARTS.reduce((s, name) => s + q[name], 0);
    }
    for (const c of seed.companies ?? []) {
      const company: CompanyRec = { __typename: "Company", n: this.companies.length + 1, key: c.key, name: c.name, externalId: c.externalId ?? null, locationNs: [] };
      this.companies.push(company);
      for (const cl of c.locations) {
        const rec: CompanyLocationRec = { __typename: "CompanyLocation", n: this.companyLocations.length + 1, key: cl.key, companyN: company.n, name: cl.name, externalId: cl.externalId ?? null };
        this.companyLocations.push(rec);
        company.locationNs.push(rec.n);
      }
    }
    this.muted++;
    try {
      for (const o of seed.orders ?? []) {
        const at = Date.parse(o.createdAt);
        const customer = o.email ? this.upsertCustomer({ email: o.email, firstName: o.firstName ?? null, lastName: o.lastName ?? null }, at) : null;
        const fulfilledAt = o.fulfilledAt ? this.locationByKey.get(o.fulfilledAt) : undefined;
        this.createOrder({
          lines: o.lines.map((line) => {
            const v = this.variantBySku.get(line.sku);
            if (!v) throw new Error(`seed: order line for unknown SKU ${line.sku}`);
            return this.lineFromVariant(v, line.quantity);
          }),
          sourceName: o.sourceName ?? "web",
          customerN: customer?.n ?? null,
          email: o.email ?? null,
          financialStatus: "PAID",
          shippingAddress: o.shippingAddress ? { ...o.shippingAddress, firstName: o.firstName ?? null, lastName: o.lastName ?? null } : null,
          inventoryBehaviour: "DECREMENT_IGNORING_POLICY",
          createdAt: at,
          processedAt: at,
          fulfilledAtLocationN: fulfilledAt?.n ?? null,
          retailLocationN: o.sourceName === "pos" ? (fulfilledAt?.n ?? null) : null,
        });
      }
    } finally {
      this.muted--;
    }
  }

  // ---------------------------------------------------------------- events

  onEvent(listener: (e: StoreEvent) => void) {
    this.listeners.push(listener);
  }

  private emit(e: StoreEvent) {
    if (this.muted) return;
    for (const l of this.listeners) l(e);
  }

  // ---------------------------------------------------------------- lookups

  location(n: number) {
    return this.locations[n - 1];
  }
  locationByKeyOf(key: string) {
    return this.locationByKey.get(key);
  }
  product(n: number) {
    return this.products[n - 1];
  }
  variant(n: number) {
    return this.variants[n - 1];
  }
  variantBySkuOf(sku: string) {
    return this.variantBySku.get(sku);
  }
  item(n: number) {
    return this.items[n - 1];
  }
  customer(n: number) {
    return this.customers[n - 1];
  }
  company(n: number) {
    return this.companies[n - 1];
  }
  companyLocation(n: number) {
    return this.companyLocations[n - 1];
  }
  order(n: number) {
    return this.orders[n - 1];
  }
  lineItem(n: number) {
    return this.lineItems[n - 1];
  }
  fulfillmentOrder(n: number) {
    return this.fulfillmentOrders[n - 1];
  }
  foLine(n: number) {
    return this.foLines[n - 1];
  }
  hold(n: number) {
    return this.holds[n - 1];
  }
  adjustmentGroup(n: number) {
    return this.adjustmentGroups[n - 1];
  }
  bulkOperation(n: number) {
    return this.bulkOperations[n - 1];
  }
  level(itemN: number, locationN: number) {
    return this.levels.get(levelKey(itemN, locationN));
  }
  levelsOfItem(itemN: number): readonly LevelRec[] {
    return this.levelsByItem.get(itemN) ?? [];
  }
  levelsAtLocation(locationN: number): readonly LevelRec[] {
    return this.levelsByLocation.get(locationN) ?? [];
  }
  allLevels(): IterableIterator<LevelRec> {
    return this.levels.values();
  }
  customerByEmail(email: string) {
    const e = email.trim().toLowerCase();
    return this.customers.find((c) => c.email?.toLowerCase() === e);
  }

  /** Display status of an order, derived from its fulfillment orders. */
  fulfillmentStatusOf(order: OrderRec): string {
    const fos = order.foNs.map((n) => this.fulfillmentOrder(n)!).filter((f) => f.status !== "CANCELLED");
    const remaining = order.lineItemNs.reduce((s, n) => s + this.unfulfilledQuantity(this.lineItem(n)!), 0);
    const total = order.lineItemNs.reduce((s, n) => s + this.lineItem(n)!.quantity, 0);
    if (total > 0 && remaining === 0) return "FULFILLED";
    if (fos.some((f) => f.status === "ON_HOLD")) return "ON_HOLD";
    if (remaining < total) return "PARTIALLY_FULFILLED";
    return "UNFULFILLED";
  }

  /** Units of a line item still to fulfil (remaining in its open fulfillment orders). */
  unfulfilledQuantity(line: LineItemRec): number {
    const order = this.order(line.orderN)!;
    let n = 0;
    for (const foN of order.foNs) {
      const fo = this.fulfillmentOrder(foN)!;
      if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
      for (const l of fo.lineNs) {
        const fl = this.foLine(l)!;
        if (fl.lineItemN === line.n) n += fl.remainingQuantity;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- catalog

  private addLocation(l: SeedLocation, t: number) {
    const provinceCode = l.provinceCode ?? l.province ?? null;
    const rec: LocationRec = {
      __typename: "Location",
      n: this.locations.length + 1,
      key: l.key,
      name: l.name,
      isActive: l.isActive ?? true,
      fulfillsOnlineOrders: l.fulfillsOnlineOrders ?? l.shipsOnlineOrders ?? true,
      offersPickup: l.offersPickup ?? false,
      retail: l.kind === "store" || !!l.offersPickup,
      address: {
        address1: l.address1 ?? null,
        address2: l.address2 ?? null,
        city: l.city ?? null,
        province: provinceCode,
        provinceCode,
        countryCode: l.countryCode ?? null,
        zip: l.zip ?? null,
        phone: l.phone ?? null,
        latitude: l.latitude ?? null,
        longitude: l.longitude ?? null,
      },
      createdAt: t,
      updatedAt: t,
    };
    if (this.locationByKey.has(l.key)) throw new Error(`seed: duplicate location key ${l.key}`);
    this.locations.push(rec);
    this.locationByKey.set(l.key, rec);
  }

  /** The level of an item at a location, created with zero quantities when absent ("stocked"). */
  connect(itemN: number, locationN: number, t = this.now()): LevelRec {
    const key = levelKey(itemN, locationN);
    const existing = this.levels.get(key);
    if (existing) return existing;
    const level: LevelRec = {
      __typename: "InventoryLevel",
      itemN,
      locationN,
      q: zeroQuantities(),
      qUpdatedAt: { available: t, on_hand: t, committed: t, reserved: t, incoming: t, damaged: t, safety_stock: t, quality_control: t },
      createdAt: t,
      updatedAt: t,
    };
    this.levels.set(key, level);
    insertSorted(this.levelsByItem, itemN, level);
    insertSorted(this.levelsByLocation, locationN, level);
    return level;
  }

  /** Applies a delta to one quantity name, keeping on_hand = Σ of its parts. */
  private applyDelta(level: LevelRec, name: QuantityName, delta: number, t: number, changes?: ChangeRec[], ledgerDocumentUri: string | null = null) {
    if (delta === 0) return;
    const bump = (n: QuantityName, d: number) => {
      level.q[n] += d;
      level.qUpdatedAt[n] = t;
      changes?.push({ itemN: level.itemN, locationN: level.locationN, name: n, delta: d, quantityAfterChange: level.q[n], ledgerDocumentUri: n === name ? ledgerDocumentUri : null });
    };
    if (name === "on_hand") {
      bump("on_hand", delta);
      bump("available", delta);
    } else {
      bump(name, delta);
      if (ON_HAND_PARTS.includes(name)) bump("on_hand", delta);
    }
    level.updatedAt = t;
    const item = this.item(level.itemN);
    if (item) item.updatedAt = t;
  }

  // ---------------------------------------------------------------- inventory mutations

  /**
   * inventorySetQuantities: absolute values of `available` or `on_hand`, with compare-and-swap on
   * changeFromQuantity (https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/inventorySetQuantities).
   * All rows are checked before any is applied.
   */
  setQuantities(input: {
    name: string;
    reason: string;
    referenceDocumentUri?: string | null;
    quantities: { inventoryItemN: number | null; locationN: number | null; quantity: number; changeFromQuantity?: number | null; hasChangeFrom: boolean }[];
  }): AdjustmentGroupRec {
    const errors: UserError[] = [];
    const err = (code: string, field: (string | number)[], message: string) => errors.push({ code, field: field.map(String), message });
    if (input.name !== "available" && input.name !== "on_hand") err("INVALID_NAME", ["input", "name"], "The quantity name must be either 'available' or 'on_hand'.");
    if (!INVENTORY_REASONS.has(input.reason)) err("INVALID_REASON", ["input", "reason"], "The specified reason is invalid.");
    const seen = new Set<string>();
    const rows: { level: LevelRec; quantity: number }[] = [];
    input.quantities.forEach((row, i) => {
      const f = (k: string) => ["input", "quantities", i, k];
      const item = row.inventoryItemN ? this.item(row.inventoryItemN) : undefined;
      const location = row.locationN ? this.location(row.locationN) : undefined;
      if (!item) return err("INVALID_INVENTORY_ITEM", f("inventoryItemId"), "The specified inventory item could not be found.");
      if (!location) return err("INVALID_LOCATION", f("locationId"), "The specified location could not be found.");
      const key = `${item.n}:${location.n}`;
      if (seen.has(key)) return err("NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", f("inventoryItemId"), "The combination of inventoryItemId and locationId must be unique.");
      seen.add(key);
      if (this.variant(item.variantN)?.isBundle) return err("NON_MUTABLE_INVENTORY_ITEM", f("inventoryItemId"), "The specified inventory item is not allowed to be adjusted via API.");
      // Since 2026-04 changeFromQuantity must be sent explicitly (null opts out); the schema cannot say so.
      if (!row.hasChangeFrom) return err("COMPARE_QUANTITY_REQUIRED", f("changeFromQuantity"), "changeFromQuantity must be given for every quantity (pass null to skip the compare-and-swap check).");
      if (row.quantity > 1_000_000_000) return err("INVALID_QUANTITY_TOO_HIGH", f("quantity"), "The total quantity can't be higher than 1,000,000,000.");
      if (row.quantity < -1_000_000_000) return err("INVALID_QUANTITY_TOO_LOW", f("quantity"), "The total quantity can't be lower than -1,000,000,000.");
      if (input.name === "on_hand" && row.quantity < 0) return err("INVALID_QUANTITY_NEGATIVE", f("quantity"), "The quantity can't be negative.");
      const level = this.level(item.n, location.n);
      if (!level) return err("INVALID_LOCATION", f("locationId"), `The inventory item is not stocked at ${location.name}.`);
      const current = level.q[input.name as QuantityName];
      if (row.changeFromQuantity !== null && row.changeFromQuantity !== undefined && row.changeFromQuantity !== current) {
        return err("CHANGE_FROM_QUANTITY_STALE", f("changeFromQuantity"), "The changeFromQuantity value does not match persisted value.");
      }
      rows.push({ level, quantity: row.quantity });
    });
    if (errors.length) throw new UserErrors(errors);
    const t = this.now();
    const group = this.newGroup(input.reason, input.referenceDocumentUri ?? null, t);
    for (const { level, quantity } of rows) {
      const name = input.name as QuantityName;
      this.applyDelta(level, name, quantity - level.q[name], t, group.changes);
      this.emit({ type: "inventory.changed", level });
    }
    return group;
  }

  /**
   * inventoryAdjustQuantities: deltas to one quantity name, with changeFromQuantity CAS
   * (https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/inventoryAdjustQuantities).
   */
  adjustQuantities(input: {
    name: string;
    reason: string;
    referenceDocumentUri?: string | null;
    changes: { inventoryItemN: number | null; locationN: number | null; delta: number; changeFromQuantity?: number | null; hasChangeFrom: boolean; ledgerDocumentUri?: string | null }[];
  }): AdjustmentGroupRec {
    const errors: UserError[] = [];
    const err = (code: string, field: (string | number)[], message: string) => errors.push({ code, field: field.map(String), message });
    const adjustable = ["available", "damaged", "incoming", "quality_control", "reserved", "safety_stock"];
    if (!adjustable.includes(input.name)) err("INVALID_QUANTITY_NAME", ["input", "name"], "The specified quantity name is invalid.");
    if (!INVENTORY_REASONS.has(input.reason)) err("INVALID_REASON", ["input", "reason"], "The specified reason is invalid.");
    const rows: { level: LevelRec; delta: number; ledger: string | null }[] = [];
    const ledgers = new Set<string | null>();
    input.changes.forEach((c, i) => {
      const f = (k: string) => ["input", "changes", i, k];
      const item = c.inventoryItemN ? this.item(c.inventoryItemN) : undefined;
      const location = c.locationN ? this.location(c.locationN) : undefined;
      if (!item) return err("INVALID_INVENTORY_ITEM", f("inventoryItemId"), "The specified inventory item could not be found.");
      if (!location) return err("INVALID_LOCATION", f("locationId"), "The specified location could not be found.");
      if (this.variant(item.variantN)?.isBundle) return err("NON_MUTABLE_INVENTORY_ITEM", f("inventoryItemId"), "The specified inventory item is not allowed to be adjusted via API.");
      const ledger = c.ledgerDocumentUri ?? null;
      if (input.name === "available" && ledger) return err("INVALID_AVAILABLE_DOCUMENT", f("ledgerDocumentUri"), "A ledger document URI is not allowed when adjusting available.");
      if (input.name !== "available" && !ledger) return err("INVALID_QUANTITY_DOCUMENT", f("ledgerDocumentUri"), "A ledger document URI is required except when adjusting available.");
      if (ledger?.startsWith("gid://shopify/")) return err("INTERNAL_LEDGER_DOCUMENT", f("ledgerDocumentUri"), "Internal (gid://shopify/) ledger documents are not allowed to be adjusted via API.");
      ledgers.add(ledger);
      if (!c.hasChangeFrom) return err("CHANGE_FROM_QUANTITY_STALE", f("changeFromQuantity"), "changeFromQuantity must be given for every change (pass null to skip the compare-and-swap check).");
      const level = this.level(item.n, location.n);
      if (!level) return err("INVALID_LOCATION", f("locationId"), `The inventory item is not stocked at ${location.name}.`);
      const name = input.name as QuantityName;
      if (c.changeFromQuantity !== null && c.changeFromQuantity !== undefined && c.changeFromQuantity !== level.q[name]) {
        return err("CHANGE_FROM_QUANTITY_STALE", f("changeFromQuantity"), "The changeFromQuantity argument no longer matches the persisted quantity.");
      }
      if (Math.abs(level.q[name] + c.delta) > 2_000_000_000) return err(c.delta > 0 ? "INVALID_QUANTITY_TOO_HIGH" : "INVALID_QUANTITY_TOO_LOW", f("delta"), "The quantity is out of range.");
      rows.push({ level, delta: c.delta, ledger });
    });
    if (ledgers.size > 1) err("MAX_ONE_LEDGER_DOCUMENT", ["input", "changes"], "All changes must have the same ledger document URI or, in the case of adjusting available, no ledger document URI.");
    if (errors.length) throw new UserErrors(errors);
    const t = this.now();
    const group = this.newGroup(input.reason, input.referenceDocumentUri ?? null, t);
    for (const { level, delta, ledger } of rows) {
      this.applyDelta(level, input.name as QuantityName, delta, t, group.changes, ledger);
      this.emit({ type: "inventory.changed", level });
    }
    return group;
  }

  private newGroup(reason: string, referenceDocumentUri: string | null, t: number): AdjustmentGroupRec {
    const group: AdjustmentGroupRec = { __typename: "InventoryAdjustmentGroup", n: this.adjustmentGroups.length + 1, createdAt: t, reason, referenceDocumentUri, changes: [] };
    this.adjustmentGroups.push(group);
    return group;
  }

  // ---------------------------------------------------------------- customers

  /** Finds a customer by email (or id) and updates the given fields, or creates one. */
  upsertCustomer(c: { n?: number | null; email?: string | null; firstName?: string | null; lastName?: string | null; phone?: string | null; tags?: string[] | null; address?: Partial<AddressRec> | null }, t = this.now()): CustomerRec {
    let rec = c.n ? this.customer(c.n) : undefined;
    if (!rec && c.email) rec = this.customerByEmail(c.email);
    if (!rec) {
      rec = { __typename: "Customer", n: this.customers.length + 1, email: c.email?.trim().toLowerCase() ?? null, firstName: null, lastName: null, phone: null, tags: [], defaultAddress: null, createdAt: t, updatedAt: t };
      this.customers.push(rec);
    }
    if (c.email) rec.email = c.email.trim().toLowerCase();
    if (c.firstName !== undefined && c.firstName !== null) rec.firstName = c.firstName;
    if (c.lastName !== undefined && c.lastName !== null) rec.lastName = c.lastName;
    if (c.phone !== undefined && c.phone !== null) rec.phone = c.phone;
    if (c.tags) rec.tags = [...new Set(c.tags)];
    if (c.address) rec.defaultAddress = this.address({ firstName: rec.firstName, lastName: rec.lastName, ...c.address });
    rec.updatedAt = t;
    return rec;
  }

  address(a: Partial<AddressRec>): AddressRec {
    const coords = a.latitude != null && a.longitude != null ? { lat: a.latitude, lng: a.longitude } : geocode(a);
    return {
      n: ++this.addressN,
      firstName: a.firstName ?? null,
      lastName: a.lastName ?? null,
      company: a.company ?? null,
      address1: a.address1 ?? null,
      address2: a.address2 ?? null,
      city: a.city ?? null,
      province: a.province ?? a.provinceCode ?? null,
      provinceCode: a.provinceCode ?? null,
      countryCode: a.countryCode ?? null,
      zip: a.zip ?? null,
      phone: a.phone ?? null,
      latitude: coords?.lat ?? null,
      longitude: coords?.lng ?? null,
    };
  }

  // ---------------------------------------------------------------- orders

  lineFromVariant(v: VariantRec, quantity: number, price?: number): NewOrderLine {
    const product = this.product(v.productN)!;
    return { variantN: v.n, sku: v.sku, title: product.title, variantTitle: v.title, vendor: product.vendor, quantity, price: price ?? v.price, requiresShipping: true };
  }

  /**
   * The sandbox's stand-in for Shopify's order routing (default rules: ship from the fewest
   * locations, then location priority — here the seed order): one location that can ship every
   * line from available stock; otherwise line by line the first location with enough stock, then
   * the first that stocks the item at all.  Candidates: active locations that fulfil online orders.
   */
  route(lines: NewOrderLine[]): Map<number, number[]> {
    const candidates = this.locations.filter((l) => l.isActive && l.fulfillsOnlineOrders);
    if (!candidates.length) fail("INVALID", ["order", "lineItems"], "The shop has no active location that fulfils online orders.");
    const stockAt = (line: NewOrderLine, loc: LocationRec) => {
      if (line.variantN === null) return Infinity;
      const level = this.level(this.variant(line.variantN)!.itemN, loc.n);
      return level ? level.q.available : -Infinity;
    };
    const placement = new Map<number, number[]>();
    const whole = candidates.find((loc) => lines.every((line) => stockAt(line, loc) >= line.quantity));
    if (whole) {
      placement.set(whole.n, lines.map((_, i) => i));
      return placement;
    }
    lines.forEach((line, i) => {
      const loc =
        candidates.find((l) => stockAt(line, l) >= line.quantity) ??
        candidates.find((l) => stockAt(line, l) > -Infinity) ??
        candidates[0]!;
      placement.set(loc.n, [...(placement.get(loc.n) ?? []), i]);
    });
    return placement;
  }

  /**
   * Creates an order with its line items and fulfillment orders, claiming inventory per
   * `inventoryBehaviour` (orderCreate's default is BYPASS: no claim).  A claim on an unfulfilled
   * order moves units from available to committed at the assigned location; a fulfilled order
   * (fulfillment.locationId, POS sale) takes them from available and on_hand.
   */
  createOrder(o: NewOrder): OrderRec {
    if (!o.lines.length) fail("INVALID", ["order", "lineItems"], "Line items can't be blank.");
    o.lines.forEach((l, i) => {
      if (!(l.quantity > 0)) fail("INVALID", ["order", "lineItems", i, "quantity"], "Quantity must be greater than 0.");
    });
    const t = o.createdAt ?? this.now();
    const fulfilledAt = o.fulfilledAtLocationN ?? o.retailLocationN ?? null;
    const fixed = fulfilledAt ?? o.pickupLocationN ?? null;
    if (fixed !== null && !this.location(fixed)) fail("INVALID", ["order", "fulfillment", "locationId"], "Location does not exist.");
    const placement = fixed !== null ? new Map([[fixed, o.lines.map((_, i) => i)]]) : this.route(o.lines);
    const claim = o.inventoryBehaviour !== "BYPASS";
    // Check every claim before changing anything.
    if (o.inventoryBehaviour === "DECREMENT_OBEYING_POLICY") {
      for (const [locN, idx] of placement) {
        for (const i of idx) {
          const line = o.lines[i]!;
          if (line.variantN === null) continue;
          const level = this.level(this.variant(line.variantN)!.itemN, locN);
          if (!level || level.q.available < line.quantity) {
            fail("INVENTORY_CLAIM_FAILED", ["order", "lineItems", i], `Not enough inventory of ${line.sku ?? line.title} at ${this.location(locN)!.name} to claim ${line.quantity}.`);
          }
        }
      }
    }
    const number = this.orders.length + 1;
    const order: OrderRec = {
      __typename: "Order",
      n: number,
      name: o.name ?? `#${1000 + number}`,
      number,
      createdAt: t,
      updatedAt: t,
      processedAt: o.processedAt ?? t,
      cancelledAt: null,
      closedAt: null,
      sourceName: o.sourceName,
      sourceIdentifier: o.sourceIdentifier ?? null,
      email: o.email ?? (o.customerN ? (this.customer(o.customerN)?.email ?? null) : null),
      phone: o.phone ?? null,
      note: o.note ?? null,
      tags: [...(o.tags ?? [])],
      test: o.test ?? false,
      poNumber: o.poNumber ?? null,
      currency: o.currency ?? this.shop.currencyCode,
      financialStatus: o.financialStatus ?? "PENDING",
      customerN: o.customerN ?? null,
      companyLocationN: o.companyLocationN ?? null,
      shippingAddress: o.shippingAddress ? this.address(o.shippingAddress) : null,
      billingAddress: o.billingAddress ? this.address(o.billingAddress) : o.shippingAddress ? this.address(o.shippingAddress) : null,
      lineItemNs: [],
      foNs: [],
      retailLocationN: o.retailLocationN ?? null,
      shippingLines: o.shippingLines ?? [],
      inventoryClaimed: claim,
    };
    this.orders.push(order);
    const lineNs = o.lines.map((l) => {
      const rec: LineItemRec = {
        __typename: "LineItem",
        n: this.lineItems.length + 1,
        orderN: order.n,
        variantN: l.variantN,
        sku: l.sku,
        title: l.title,
        variantTitle: l.variantTitle ?? null,
        vendor: l.vendor ?? null,
        quantity: l.quantity,
        price: l.price,
        requiresShipping: l.requiresShipping ?? true,
      };
      this.lineItems.push(rec);
      order.lineItemNs.push(rec.n);
      return rec.n;
    });
    const methodType: DeliveryMethodType = o.retailLocationN ? "RETAIL" : o.pickupLocationN ? "PICK_UP" : order.shippingAddress ? "SHIPPING" : "NONE";
    const touched: LevelRec[] = [];
    const fos: FoRec[] = [];
    for (const [locN, idx] of placement) {
      const fo = this.newFo(order, locN, methodType, fulfilledAt !== null ? "CLOSED" : "OPEN", t);
      for (const i of idx) {
        const line = o.lines[i]!;
        this.newFoLine(fo, lineNs[i]!, line.quantity, fulfilledAt !== null ? 0 : line.quantity);
        if (claim && line.variantN !== null) {
          const level = this.connect(this.variant(line.variantN)!.itemN, locN, t);
          if (fulfilledAt !== null) {
            this.applyDelta(level, "available", -line.quantity, t);
          } else {
            this.applyDelta(level, "available", -line.quantity, t);
            this.applyDelta(level, "committed", line.quantity, t);
          }
          if (!touched.includes(level)) touched.push(level);
        }
      }
      fos.push(fo);
    }
    if (fulfilledAt !== null) order.closedAt = t;
    this.emit({ type: "order.created", order });
    for (const fo of fos) if (fo.status !== "CLOSED") this.emit({ type: "fo.routed", fo });
    for (const level of touched) this.emit({ type: "inventory.changed", level });
    return order;
  }

  private newFo(order: OrderRec, locationN: number, methodType: DeliveryMethodType, status: FoStatus, t: number): FoRec {
    const fo: FoRec = {
      __typename: "FulfillmentOrder",
      n: this.fulfillmentOrders.length + 1,
      orderN: order.n,
      locationN,
      status,
      lineNs: [],
      holds: [],
      deliveryMethod: { n: ++this.deliveryMethodN, methodType, presentedName: methodType === "PICK_UP" ? "Pickup in store" : methodType === "SHIPPING" ? (order.shippingLines[0]?.title ?? "Standard") : null },
      preparedForPickupAt: null,
      createdAt: t,
      updatedAt: t,
    };
    this.fulfillmentOrders.push(fo);
    order.foNs.push(fo.n);
    return fo;
  }

  private newFoLine(fo: FoRec, lineItemN: number, total: number, remaining: number): FoLineRec {
    const rec: FoLineRec = { __typename: "FulfillmentOrderLineItem", n: this.foLines.length + 1, foN: fo.n, lineItemN, totalQuantity: total, remainingQuantity: remaining };
    this.foLines.push(rec);
    fo.lineNs.push(rec.n);
    return rec;
  }

  private touchOrder(fo: FoRec, t: number) {
    fo.updatedAt = t;
    const order = this.order(fo.orderN);
    if (order) order.updatedAt = t;
  }

  /** Resolves `[{ id: foLineN, quantity }]` against a fulfillment order, validating quantities. */
  private pickLines(fo: FoRec, requested: { foLineN: number | null; quantity: number }[] | null | undefined, field: string, codes: { duplicate: string | null; zero: string | null; tooMany: string | null }) {
    if (!requested) return fo.lineNs.map((n) => this.foLine(n)!).filter((l) => l.remainingQuantity > 0).map((l) => ({ line: l, quantity: l.remainingQuantity }));
    const seen = new Set<number>();
    return requested.map((r, i) => {
      const line = r.foLineN ? this.foLine(r.foLineN) : undefined;
      if (!line || line.foN !== fo.n) fail(null, [field, i, "id"], "The fulfillment order line item does not belong to the fulfillment order.");
      if (seen.has(line!.n)) fail(codes.duplicate, [field, i, "id"], "Duplicated fulfillment order line items.");
      seen.add(line!.n);
      if (r.quantity <= 0) fail(codes.zero, [field, i, "quantity"], "Quantity must be greater than zero.");
      if (r.quantity > line!.remainingQuantity) fail(codes.tooMany, [field, i, "quantity"], `Quantity must be less than or equal to the remaining quantity (${line!.remainingQuantity}).`);
      return { line: line!, quantity: r.quantity };
    });
  }

  /** Moves `picks` out of `fo` into a new fulfillment order at `locationN` (split). */
  private splitInto(fo: FoRec, picks: { line: FoLineRec; quantity: number }[], locationN: number, status: FoStatus, t: number): FoRec {
    const order = this.order(fo.orderN)!;
    const target = this.newFo(order, locationN, fo.deliveryMethod.methodType, status, t);
    target.deliveryMethod.presentedName = fo.deliveryMethod.presentedName;
    for (const { line, quantity } of picks) {
      line.remainingQuantity -= quantity;
      line.totalQuantity -= quantity;
      this.newFoLine(target, line.lineItemN, quantity, quantity);
    }
    fo.lineNs = fo.lineNs.filter((n) => this.foLine(n)!.totalQuantity > 0);
    return target;
  }

  /**
   * fulfillmentOrderMove (https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/fulfillmentOrderMove):
   * all remaining line items (or the given subset) go to the new location.  Fails when the
   * fulfillment order is closed, the location is unknown/inactive or does not stock an item.
   * Claimed inventory moves along (committed leaves the old location, is taken at the new one).
   */
  moveFulfillmentOrder(foN: number | null, newLocationN: number | null, requested?: { foLineN: number | null; quantity: number }[] | null) {
    const fo = foN ? this.fulfillmentOrder(foN) : undefined;
    if (!fo) return fail(null, ["id"], "Fulfillment order does not exist.");
    if (!["OPEN", "SCHEDULED", "ON_HOLD"].includes(fo.status)) fail(null, ["id"], `Cannot move a fulfillment order with status ${fo.status}.`);
    const dest = newLocationN ? this.location(newLocationN) : undefined;
    if (!dest) return fail(null, ["newLocationId"], "Location does not exist.");
    if (!dest.isActive) fail(null, ["newLocationId"], `${dest.name} is not active.`);
    if (dest.n === fo.locationN) fail(null, ["newLocationId"], `The fulfillment order is already assigned to ${dest.name}.`);
    const picks = this.pickLines(fo, requested, "fulfillmentOrderLineItems", { duplicate: null, zero: null, tooMany: null });
    if (!picks.length) fail(null, ["id"], "The fulfillment order has no line items left to move.");
    const order = this.order(fo.orderN)!;
    for (const { line } of picks) {
      const li = this.lineItem(line.lineItemN)!;
      if (li.variantN === null) continue;
      if (!this.level(this.variant(li.variantN)!.itemN, dest.n)) {
        fail(null, ["newLocationId"], `${dest.name} does not stock ${li.sku ?? li.title}.`);
      }
    }
    const t = this.now();
    const sourceLocationN = fo.locationN;
    const whole = picks.every((p) => p.quantity === p.line.totalQuantity) && picks.length === fo.lineNs.filter((n) => this.foLine(n)!.totalQuantity > 0).length;
    const otherAtDest = order.foNs.some((n) => n !== fo.n && this.fulfillmentOrder(n)!.locationN === dest.n && ["OPEN", "ON_HOLD", "SCHEDULED"].includes(this.fulfillmentOrder(n)!.status));
    let moved: FoRec;
    if (whole && !otherAtDest) {
      fo.locationN = dest.n;
      moved = fo;
    } else if (whole) {
      // "If the new location is already assigned to another active fulfillment order on the same
      // order, a new fulfillment order is created; the existing one is closed."
      moved = this.splitInto(fo, picks, dest.n, "OPEN", t);
      fo.status = "CLOSED";
    } else {
      moved = this.splitInto(fo, picks, dest.n, "OPEN", t);
    }
    const touched: LevelRec[] = [];
    if (order.inventoryClaimed) {
      for (const { line, quantity } of picks) {
        const li = this.lineItem(line.lineItemN)!;
        if (li.variantN === null) continue;
        const itemN = this.variant(li.variantN)!.itemN;
        const from = this.level(itemN, sourceLocationN);
        const to = this.connect(itemN, dest.n, t);
        if (from) {
          this.applyDelta(from, "committed", -quantity, t);
          this.applyDelta(from, "available", quantity, t);
          touched.push(from);
        }
        this.applyDelta(to, "available", -quantity, t);
        this.applyDelta(to, "committed", quantity, t);
        touched.push(to);
      }
    }
    this.touchOrder(fo, t);
    this.touchOrder(moved, t);
    this.emit({ type: "fo.moved", original: fo, moved, sourceLocationN, requested: picks.map((p) => ({ foLineN: p.line.n, quantity: p.quantity })) });
    for (const level of new Set(touched)) this.emit({ type: "inventory.changed", level });
    return { original: fo, moved };
  }

  /** fulfillmentOrderHold: a hold (optionally on some line items, which splits the order first). */
  holdFulfillmentOrder(
    foN: number | null,
    h: { reason: string; reasonNotes?: string | null; handle?: string | null; externalId?: string | null; lines?: { foLineN: number | null; quantity: number }[] | null; otherApp?: string | null },
  ) {
    const fo = foN ? this.fulfillmentOrder(foN) : undefined;
    if (!fo) return fail("FULFILLMENT_ORDER_NOT_FOUND", ["id"], "Fulfillment order not found.");
    if (!["OPEN", "ON_HOLD", "SCHEDULED"].includes(fo.status)) fail(null, ["id"], `Cannot hold a fulfillment order with status ${fo.status}.`);
    // Limits and handles are per app (FulfillmentOrderHoldUserErrorCode): another app's holds do not count.
    const app = h.otherApp ?? null;
    const appHolds = fo.holds.filter((x) => x.otherApp === app);
    if (appHolds.length >= 10) fail("FULFILLMENT_ORDER_HOLD_LIMIT_REACHED", ["id"], "The maximum number of fulfillment holds for this fulfillment order has been reached for this app.");
    if (h.handle && appHolds.some((x) => x.handle === h.handle)) fail("DUPLICATE_FULFILLMENT_HOLD_HANDLE", ["fulfillmentHold", "handle"], "The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.");
    const picks = h.lines ? this.pickLines(fo, h.lines, "fulfillmentHold", { duplicate: "DUPLICATED_FULFILLMENT_ORDER_LINE_ITEMS", zero: "GREATER_THAN_ZERO", tooMany: "INVALID_LINE_ITEM_QUANTITY" }) : null;
    const t = this.now();
    let remaining: FoRec | null = null;
    if (picks) {
      const held = new Map(picks.map((p) => [p.line.n, p.quantity]));
      const rest = fo.lineNs
        .map((n) => this.foLine(n)!)
        .map((line) => ({ line, quantity: line.remainingQuantity - (held.get(line.n) ?? 0) }))
        .filter((p) => p.quantity > 0);
      if (rest.length) remaining = this.splitInto(fo, rest, fo.locationN, fo.status === "ON_HOLD" ? "OPEN" : fo.status, t);
    }
    const hold: HoldRec = { __typename: "FulfillmentHold", n: this.holds.length + 1, foN: fo.n, reason: h.reason, reasonNotes: h.reasonNotes ?? null, handle: h.handle ?? null, externalId: h.externalId ?? null, otherApp: app };
    this.holds.push(hold);
    fo.holds.push(hold);
    fo.status = "ON_HOLD";
    this.touchOrder(fo, t);
    this.emit({ type: "fo.held", fo, hold, remaining, held: (picks ?? this.pickLines(fo, null, "", { duplicate: null, zero: null, tooMany: null })).map((p) => ({ foLineN: p.line.n, quantity: p.quantity })) });
    return { fo, hold, remaining };
  }

  /** fulfillmentOrderReleaseHold: releases the given holds (all of them when holdIds is omitted). */
  releaseHold(foN: number | null, holdNs?: (number | null)[] | null) {
    const fo = foN ? this.fulfillmentOrder(foN) : undefined;
    if (!fo) return fail("FULFILLMENT_ORDER_NOT_FOUND", ["id"], "Fulfillment order not found.");
    const targets = holdNs
      ? holdNs.map((n, i) => {
          const hold = fo.holds.find((x) => x.n === n);
          if (!hold) fail(null, ["holdIds", i], "The fulfillment hold was not found on this fulfillment order.");
          return hold!;
        })
      : [...fo.holds];
    if (!targets.length && fo.status !== "ON_HOLD") fail(null, ["id"], "The fulfillment order is not on hold.");
    const t = this.now();
    fo.holds = fo.holds.filter((x) => !targets.includes(x));
    if (!fo.holds.length && fo.status === "ON_HOLD") fo.status = "OPEN";
    this.touchOrder(fo, t);
    this.emit({ type: "fo.hold_released", fo, holds: targets });
    return fo;
  }

  /** fulfillmentOrderLineItemsPreparedForPickup: marks pickup orders ready (sends "ready for pickup"). */
  prepareForPickup(foNs: (number | null)[]) {
    const fos = foNs.map((n, i) => {
      const fo = n ? this.fulfillmentOrder(n) : undefined;
      const field = ["input", "lineItemsByFulfillmentOrder", i, "fulfillmentOrderId"];
      if (!fo) return fail("FULFILLMENT_ORDER_INVALID", field, "Fulfillment order does not exist.");
      if (fo.deliveryMethod.methodType !== "PICK_UP" || !["OPEN", "IN_PROGRESS"].includes(fo.status)) fail("FULFILLMENT_ORDER_INVALID", field, "The fulfillment order is not an open local pickup fulfillment order.");
      if (!fo.lineNs.some((l) => this.foLine(l)!.remainingQuantity > 0)) fail("NO_LINE_ITEMS_TO_PREPARE_FOR_FULFILLMENT_ORDER", field, "There are no line items to prepare for this fulfillment order.");
      return fo;
    });
    const t = this.now();
    for (const fo of fos) {
      fo.preparedForPickupAt = t;
      this.touchOrder(fo, t);
      this.emit({ type: "fo.prepared_for_pickup", fo });
    }
    return fos;
  }

  // ---------------------------------------------------------------- bulk operations

  newBulkOperation(query: string, groupObjects: boolean): BulkRec {
    const op: BulkRec = { __typename: "BulkOperation", n: this.bulkOperations.length + 1, type: "QUERY", status: "CREATED", query, groupObjects, createdAt: this.now(), completedAt: null, objectCount: 0, rootObjectCount: 0, fileSize: null, url: null, errorCode: null, filePath: null };
    this.bulkOperations.push(op);
    return op;
  }

  finishBulk(op: BulkRec) {
    this.emit({ type: "bulk.finished", op });
  }
}

/** A numeric map key for (item, location): locations stay below 2^20. */
const levelKey = (itemN: number, locationN: number) => itemN * 1_048_576 + locationN;

function insertSorted(index: Map<number, LevelRec[]>, key: number, level: LevelRec) {
  const list = index.get(key);
  if (!list) {
    index.set(key, [level]);
    return;
  }
  let i = list.length;
  while (i > 0 && compareLevels(list[i - 1]!, level) > 0) i--;
  list.splice(i, 0, level);
}

/** Levels are listed by location, then item (their id order). */
function compareLevels(a: LevelRec, b: LevelRec) {
  return a.locationN - b.locationN || a.itemN - b.itemN;
}

/** A stable, plausible price for a seed variant without one ($19–$149). */
function defaultPrice(sku: string): number {
  return 19 + (hashString(sku) % 27) * 5;
}
