/**
 * Resolvers of the Admin API subset the sandbox implements, over the in-memory store.  Every
 * (type, field) pair the sandbox can answer is listed here; `unsupportedFields` refuses a document
 * that selects anything else, naming the field — a schema-valid field is never answered with a
 * silent null.  Field names and shapes follow the 2026-10 schema.
 */
import {
  GraphQLError,
  GraphQLString,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  TypeInfo,
  isObjectType,
  type DocumentNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type GraphQLFieldResolver,
} from "graphql";
import { paginate, type BulkPaging, type Connection, type ConnectionArgs } from "./connection";
import { compileSearch, SearchSyntaxError, type SearchSpec } from "./search";
import {
  QUANTITY_NAMES,
  UserErrors,
  type AddressRec,
  type BulkRec,
  type CustomerRec,
  type FoRec,
  type InventoryBehaviour,
  type ItemRec,
  type LevelRec,
  type LineItemRec,
  type LocationRec,
  type NewOrderLine,
  type OrderRec,
  type ProductRec,
  type QuantityName,
  type SandboxStore,
  type UserError,
  type VariantRec,
} from "./store";
import { countryName, decimal, gid, isoUtc, levelGid, parseGid } from "./util";

export interface ResolverContext {
  store: SandboxStore;
  version: string;
  /** Set while a bulk operation executes its query. */
  bulk: BulkPaging | null;
  apiClientId: string;
  /** Starts a bulk query operation (validation, concurrency and the async run live in bulk.ts). */
  runBulkQuery: (query: string, groupObjects: boolean) => { bulkOperation: BulkRec | null; userErrors: UserError[] };
  cancelBulk: (op: BulkRec) => void;
}

type Resolver = (src: any, args: any, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
type Resolvers = Record<string, Record<string, Resolver>>;

const prop = (name: string): Resolver => (src) => (src as Record<string, unknown>)[name] ?? null;
const plain = (...fields: string[]) => Object.fromEntries(fields.map((f) => [f, prop(f)]));

const date = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : isoUtc(ms));
const moneyBag = (amount: number, currencyCode: string) => {
  const m = { __typename: "MoneyV2", amount: decimal(amount), currencyCode };
  return { __typename: "MoneyBag", shopMoney: m, presentmentMoney: m };
};

function bad(message: string): never {
  throw new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });
}

/** `gid://shopify/<type>/<n>` → n (null when the id is of another type or malformed). */
function idOf(type: string, id: unknown): number | null {
  const g = parseGid(id);
  return g && g.type === type ? g.n : null;
}

function search<T>(ctx: ResolverContext, query: string | null | undefined, spec: SearchSpec<T>, field: string) {
  try {
    return compileSearch(query, spec, ctx.store.now(), field);
  } catch (e) {
    if (e instanceof SearchSyntaxError) bad(e.message);
    throw e;
  }
}

function connection<T>(
  rows: readonly T[],
  args: ConnectionArgs,
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
  id: (t: T) => number,
  sortValue?: (t: T) => number | string,
) {
  const page = paginate(rows, args, { id, sortValue, bulk: ctx.bulk, isRoot: !info.path.prev, field: info.fieldName });
  if (ctx.bulk && !info.path.prev) ctx.bulk.last = page as Connection<unknown>;
  return page;
}

const sortBy = <T>(sortKey: string | null | undefined, keys: Record<string, ((t: T) => number | string) | null>, field: string) => {
  const key = sortKey ?? "ID";
  if (!(key in keys)) bad(`sortKey ${key} on ${field} is not supported by the Shopify sandbox (supported: ${Object.keys(keys).join(", ")})`);
  return keys[key] ?? undefined;
};

// ------------------------------------------------------------------ node lookup

/** The record behind a global id (any supported type), or null. */
export function resolveNode(store: SandboxStore, id: unknown): unknown {
  const g = parseGid(id);
  if (!g) return null;
  switch (g.type) {
    case "Shop":
      return g.n === 1 ? { __typename: "Shop" } : null;
    case "Location":
      return store.location(g.n) ?? null;
    case "Product":
      return store.product(g.n) ?? null;
    case "ProductVariant":
      return store.variant(g.n) ?? null;
    case "InventoryItem":
      return store.item(g.n) ?? null;
    case "InventoryLevel": {
      const itemN = Number(g.params.get("inventory_item_id"));
      return store.level(itemN, g.n) ?? null;
    }
    case "Order":
      return store.order(g.n) ?? null;
    case "LineItem":
      return store.lineItem(g.n) ?? null;
    case "FulfillmentOrder":
      return store.fulfillmentOrder(g.n) ?? null;
    case "FulfillmentOrderLineItem":
      return store.foLine(g.n) ?? null;
    case "FulfillmentHold":
      return store.hold(g.n) ?? null;
    case "Customer":
      return store.customer(g.n) ?? null;
    case "Company":
      return store.company(g.n) ?? null;
    case "CompanyLocation":
      return store.companyLocation(g.n) ?? null;
    case "InventoryAdjustmentGroup":
      return store.adjustmentGroup(g.n) ?? null;
    case "BulkOperation":
      return store.bulkOperation(g.n) ?? null;
    default:
      return null;
  }
}

const nodeOf =
  <T>(type: string, get: (store: SandboxStore, n: number) => T | undefined): Resolver =>
  (_src, args: { id: string }, ctx) => {
    const n = idOf(type, args.id);
    if (n === null) {
      if (!parseGid(args.id)) bad(`Invalid global id '${args.id}'`);
      return null;
    }
    return get(ctx.store, n) ?? null;
  };

// ------------------------------------------------------------------ search specs

const orderSearch = (store: SandboxStore): SearchSpec<OrderRec> => ({
  fields: {
    created_at: { type: "time", get: (o) => o.createdAt },
    updated_at: { type: "time", get: (o) => o.updatedAt },
    processed_at: { type: "time", get: (o) => o.processedAt },
    id: { type: "id", get: (o) => o.n },
    name: { type: "string", get: (o) => [o.name, o.name.replace(/^#/, "")] },
    source_name: { type: "string", get: (o) => o.sourceName },
    source_identifier: { type: "string", get: (o) => o.sourceIdentifier },
    channel: { type: "string", get: (o) => o.sourceName },
    email: { type: "string", get: (o) => o.email },
    tag: { type: "string", get: (o) => o.tags },
    sku: { type: "string", get: (o) => o.lineItemNs.map((n) => store.lineItem(n)!.sku).filter((s): s is string => !!s) },
    status: { type: "string", get: (o) => (o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open") },
    financial_status: { type: "string", get: (o) => o.financialStatus.toLowerCase() },
    fulfillment_status: { type: "string", get: (o) => (store.fulfillmentStatusOf(o) === "FULFILLED" ? "shipped" : "unshipped") },
    customer_id: { type: "id", get: (o) => o.customerN },
    location_id: { type: "id", get: (o) => o.retailLocationN },
  },
  text: (o) => [o.name, o.email],
});

const itemSearch: SearchSpec<ItemRec> = {
  fields: {
    id: { type: "id", get: (i) => i.n },
    sku: { type: "string", get: (i) => i.sku },
    created_at: { type: "time", get: (i) => i.createdAt },
    updated_at: { type: "time", get: (i) => i.updatedAt },
  },
};

const variantSearch = (store: SandboxStore): SearchSpec<VariantRec> => ({
  fields: {
    id: { type: "id", get: (v) => v.n },
    sku: { type: "string", get: (v) => v.sku },
    product_id: { type: "id", get: (v) => v.productN },
    barcode: { type: "string", get: (v) => v.barcode },
    title: { type: "string", get: (v) => v.title },
    updated_at: { type: "time", get: (v) => v.updatedAt },
    created_at: { type: "time", get: (v) => v.createdAt },
  },
  text: (v) => [v.sku, v.title, store.product(v.productN)?.title],
});

const productSearch: SearchSpec<ProductRec> = {
  fields: {
    id: { type: "id", get: (p) => p.n },
    title: { type: "string", get: (p) => p.title },
    tag: { type: "string", get: (p) => p.tags },
    vendor: { type: "string", get: (p) => p.vendor },
    handle: { type: "string", get: (p) => p.handle },
    status: { type: "string", get: () => "active" },
    created_at: { type: "time", get: (p) => p.createdAt },
    updated_at: { type: "time", get: (p) => p.updatedAt },
  },
  text: (p) => [p.title, p.handle, ...p.tags],
};

const locationSearch: SearchSpec<LocationRec> = {
  fields: {
    id: { type: "id", get: (l) => l.n },
    name: { type: "string", get: (l) => l.name },
    active: { type: "string", get: (l) => String(l.isActive) },
    city: { type: "string", get: (l) => l.address.city },
    country: { type: "string", get: (l) => l.address.countryCode },
    province: { type: "string", get: (l) => l.address.provinceCode },
    zip: { type: "string", get: (l) => l.address.zip },
    created_at: { type: "time", get: (l) => l.createdAt },
  },
  text: (l) => [l.name, l.address.city],
};

const levelSearch: SearchSpec<LevelRec> = {
  fields: {
    inventory_item_id: { type: "id", get: (l) => l.itemN },
    id: { type: "id", get: (l) => l.locationN },
    created_at: { type: "time", get: (l) => l.createdAt },
    updated_at: { type: "time", get: (l) => l.updatedAt },
  },
};

const foSearch: SearchSpec<FoRec> = {
  fields: {
    id: { type: "id", get: (f) => f.n },
    status: { type: "string", get: (f) => f.status.toLowerCase() },
    assigned_location_id: { type: "id", get: (f) => f.locationN },
    updated_at: { type: "time", get: (f) => f.updatedAt },
  },
};

const customerSearch: SearchSpec<CustomerRec> = {
  fields: {
    id: { type: "id", get: (c) => c.n },
    email: { type: "string", get: (c) => c.email },
    first_name: { type: "string", get: (c) => c.firstName },
    last_name: { type: "string", get: (c) => c.lastName },
    tag: { type: "string", get: (c) => c.tags },
    updated_at: { type: "time", get: (c) => c.updatedAt },
    customer_date: { type: "time", get: (c) => c.createdAt },
  },
  text: (c) => [c.email, c.firstName, c.lastName],
};

const bulkSearch: SearchSpec<BulkRec> = {
  fields: {
    id: { type: "id", get: (b) => b.n },
    status: { type: "string", get: (b) => b.status.toLowerCase() },
    operation_type: { type: "string", get: (b) => b.type.toLowerCase() },
    created_at: { type: "time", get: (b) => b.createdAt },
  },
};

// ------------------------------------------------------------------ views

function mailingAddress(a: AddressRec | null) {
  if (!a) return null;
  return { __typename: "MailingAddress", ...a };
}

function supportedActions(fo: FoRec): string[] {
  switch (fo.status) {
    case "OPEN":
      return ["CREATE_FULFILLMENT", "MOVE", "HOLD", "SPLIT"];
    case "ON_HOLD":
      return ["RELEASE_HOLD", "HOLD", "MOVE"];
    case "SCHEDULED":
      return ["MARK_AS_OPEN", "MOVE"];
    default:
      return [];
  }
}

// ------------------------------------------------------------------ idempotency

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * `@idempotent(key:)` (https://shopify.dev/docs/api/usage/idempotent-requests): the first result
 * for a key is stored and returned for every retry with the same parameters, without applying the
 * change again; the same key with other parameters is IDEMPOTENCY_KEY_PARAMETER_MISMATCH.  Mandatory
 * for the inventory mutations from 2026-04 — the schema cannot say so, Shopify fails at runtime.
 */
function idempotent<T extends { userErrors: UserError[] }>(ctx: ResolverContext, info: GraphQLResolveInfo, args: unknown, run: () => T, empty: Omit<T, "userErrors">): T {
  const directive = info.fieldNodes[0]!.directives?.find((d) => d.name.value === "idempotent");
  const arg = directive?.arguments?.find((a) => a.name.value === "key");
  const key = arg ? (valueFromAST(arg.value, GraphQLString, info.variableValues) as string | undefined) : undefined;
  if (key === undefined) {
    if (ctx.version >= "2026-04") {
      throw new GraphQLError(`${info.fieldName} requires an idempotency key in API version ${ctx.version}: add @idempotent(key: "<uuid>") to the mutation field.`, {
        extensions: { code: "BAD_REQUEST" },
      });
    }
    return run();
  }
  if (!key.trim()) throw new GraphQLError("The idempotency key cannot be an empty string or whitespace only.", { extensions: { code: "BAD_REQUEST" } });
  const id = `${info.fieldName}:${key}`;
  const params = stable(args);
  const prior = ctx.store.idempotency.get(id);
  if (prior) {
    if (prior.params !== params) {
      return { ...empty, userErrors: [{ code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", field: null, message: "The same idempotency key cannot be used with different operation parameters." }] } as T;
    }
    return prior.result as T;
  }
  const result = run();
  ctx.store.idempotency.set(id, { params, result });
  return result;
}

function userErrorsOf(e: unknown): UserError[] {
  if (e instanceof UserErrors) return e.userErrors;
  throw e;
}

// ------------------------------------------------------------------ orderCreate input

const ORDER_INPUT_FIELDS = new Set([
  "lineItems", "customer", "customerId", "email", "phone", "note", "tags", "sourceName", "sourceIdentifier", "sourceUrl", "name", "poNumber",
  "test", "financialStatus", "fulfillmentStatus", "processedAt", "currency", "presentmentCurrency", "shippingAddress", "billingAddress",
  "shippingLines", "fulfillment", "companyLocationId", "transactions", "buyerAcceptsMarketing", "taxesIncluded",
]);

type Input = Record<string, unknown>;

function addressInput(a: Input | null | undefined): Partial<AddressRec> | null {
  if (!a) return null;
  const s = (k: string) => (typeof a[k] === "string" ? (a[k] as string) : null);
  return { firstName: s("firstName"), lastName: s("lastName"), company: s("company"), address1: s("address1"), address2: s("address2"), city: s("city"), provinceCode: s("provinceCode") ?? s("province"), province: s("province") ?? s("provinceCode"), countryCode: s("countryCode"), zip: s("zip"), phone: s("phone") };
}

function orderCreate(ctx: ResolverContext, order: Input, options: Input | null | undefined) {
  const store = ctx.store;
  for (const k of Object.keys(order)) {
    if (!ORDER_INPUT_FIELDS.has(k)) bad(`orderCreate input field order.${k} is not supported by the Shopify sandbox`);
  }
  const errors: UserError[] = [];
  const lineInputs = (order.lineItems as Input[] | undefined) ?? [];
  const lines: NewOrderLine[] = [];
  lineInputs.forEach((li, i) => {
    const quantity = li.quantity as number;
    const priceSet = li.priceSet as { shopMoney?: { amount?: string } } | undefined;
    const price = priceSet?.shopMoney?.amount !== undefined ? Number(priceSet.shopMoney.amount) : undefined;
    if (li.variantId) {
      const v = store.variant(idOf("ProductVariant", li.variantId) ?? -1);
      if (!v) return errors.push({ code: "INVALID", field: ["order", "lineItems", String(i), "variantId"], message: "Variant does not exist." });
      lines.push(store.lineFromVariant(v, quantity, price));
    } else {
      // A line without variantId is a custom item: Shopify does not link it to inventory.
      if (!li.title) return errors.push({ code: "INVALID", field: ["order", "lineItems", String(i), "title"], message: "Title can't be blank for a line item without a variant." });
      lines.push({ variantN: null, sku: (li.sku as string) ?? null, title: li.title as string, variantTitle: (li.variantTitle as string) ?? null, vendor: (li.vendor as string) ?? null, quantity, price: price ?? 0, requiresShipping: (li.requiresShipping as boolean) ?? false });
    }
  });
  let customerN: number | null = null;
  const customer = order.customer as { toAssociate?: Input; toUpsert?: Input } | undefined;
  if (customer && order.customerId) errors.push({ code: "REDUNDANT_CUSTOMER_FIELDS", field: ["order", "customerId"], message: "Only one of customer or customerId can be given." });
  if (customer?.toAssociate && customer.toUpsert) errors.push({ code: "INVALID", field: ["order", "customer"], message: "Only one of toAssociate or toUpsert can be given." });
  if (customer?.toAssociate) {
    const a = customer.toAssociate;
    const rec = a.id ? store.customer(idOf("Customer", a.id) ?? -1) : typeof a.email === "string" ? store.customerByEmail(a.email) : undefined;
    if (!rec) errors.push({ code: "INVALID", field: ["order", "customer", "toAssociate"], message: "Customer does not exist." });
    else customerN = rec.n;
  }
  if (order.customerId) {
    const rec = store.customer(idOf("Customer", order.customerId) ?? -1);
    if (!rec) errors.push({ code: "INVALID", field: ["order", "customerId"], message: "Customer does not exist." });
    else customerN = rec.n;
  }
  let companyLocationN: number | null = null;
  if (order.companyLocationId) {
    companyLocationN = idOf("CompanyLocation", order.companyLocationId);
    if (!companyLocationN || !store.companyLocation(companyLocationN)) errors.push({ code: "INVALID", field: ["order", "companyLocationId"], message: "Company location does not exist." });
  }
  let fulfilledAt: number | null = null;
  const fulfillment = order.fulfillment as { locationId?: string } | undefined;
  if (fulfillment) {
    fulfilledAt = idOf("Location", fulfillment.locationId);
    if (!fulfilledAt || !store.location(fulfilledAt)) errors.push({ code: "INVALID", field: ["order", "fulfillment", "locationId"], message: "Location does not exist." });
  }
  let processedAt: number | null = null;
  if (typeof order.processedAt === "string") {
    processedAt = Date.parse(order.processedAt);
    if (Number.isNaN(processedAt) || processedAt > store.now()) errors.push({ code: "PROCESSED_AT_INVALID", field: ["order", "processedAt"], message: "Processed at must not be in the future." });
  }
  if (errors.length) return { order: null, userErrors: errors };
  if (customer?.toUpsert) {
    const u = customer.toUpsert;
    const addresses = (u.addresses as Input[] | undefined) ?? [];
    customerN = store.upsertCustomer({
      n: idOf("Customer", u.id),
      email: (u.email as string) ?? null,
      firstName: (u.firstName as string) ?? null,
      lastName: (u.lastName as string) ?? null,
      phone: (u.phone as string) ?? null,
      tags: (u.tags as string[]) ?? null,
      address: addresses[0] ? addressInput(addresses[0]) : null,
    }).n;
  }
  const transactions = (order.transactions as Input[] | undefined) ?? [];
  const shippingLines = ((order.shippingLines as Input[] | undefined) ?? []).map((s) => ({
    title: s.title as string,
    code: (s.code as string) ?? null,
    source: (s.source as string) ?? null,
    price: Number((s.priceSet as { shopMoney: { amount: string } }).shopMoney.amount),
  }));
  const behaviour = ((options?.inventoryBehaviour as InventoryBehaviour | undefined) ?? "BYPASS") as InventoryBehaviour;
  try {
    const rec = store.createOrder({
      lines,
      name: (order.name as string) ?? null,
      customerN,
      companyLocationN,
      email: (order.email as string) ?? null,
      phone: (order.phone as string) ?? null,
      note: (order.note as string) ?? null,
      tags: (order.tags as string[]) ?? [],
      sourceName: (order.sourceName as string) ?? ctx.apiClientId,
      sourceIdentifier: (order.sourceIdentifier as string) ?? null,
      financialStatus: (order.financialStatus as OrderRec["financialStatus"]) ?? (transactions.length ? "PAID" : "PENDING"),
      shippingAddress: addressInput(order.shippingAddress as Input),
      billingAddress: addressInput(order.billingAddress as Input),
      shippingLines,
      processedAt,
      inventoryBehaviour: behaviour,
      fulfilledAtLocationN: fulfilledAt,
      test: (order.test as boolean) ?? false,
      poNumber: (order.poNumber as string) ?? null,
      currency: (order.currency as string) ?? undefined,
    });
    return { order: rec, userErrors: [] };
  } catch (e) {
    return { order: null, userErrors: userErrorsOf(e) };
  }
}

// ------------------------------------------------------------------ the resolver map

function buildResolvers(): Resolvers {
  const R: Resolvers = {
    QueryRoot: {
      shop: () => ({ __typename: "Shop" }),
      // Without an id: the shop's primary location (the first one).
      location: (_s, args: { id?: string | null }, ctx) => {
        if (!args.id) return ctx.store.location(1) ?? null;
        if (!parseGid(args.id)) bad(`Invalid global id '${args.id}'`);
        return ctx.store.location(idOf("Location", args.id) ?? -1) ?? null;
      },
      locations: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, locationSearch, "locations");
        const rows = ctx.store.locations.filter((l) => (args.includeInactive || l.isActive) && match(l));
        return connection(rows, args, ctx, info, (l) => l.n, sortBy(args.sortKey ?? "NAME", { NAME: (l: LocationRec) => l.name.toLowerCase(), ID: null }, "locations"));
      },
      product: nodeOf("Product", (s, n) => s.product(n)),
      products: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, productSearch, "products");
        const sort = sortBy(args.sortKey, { ID: null, TITLE: (p: ProductRec) => p.title.toLowerCase(), UPDATED_AT: (p: ProductRec) => p.updatedAt, CREATED_AT: (p: ProductRec) => p.createdAt }, "products");
        return connection(ctx.store.products.filter(match), args, ctx, info, (p) => p.n, sort);
      },
      productVariant: nodeOf("ProductVariant", (s, n) => s.variant(n)),
      productVariants: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, variantSearch(ctx.store), "productVariants");
        const sort = sortBy(args.sortKey, { ID: null, SKU: (v: VariantRec) => v.sku, TITLE: (v: VariantRec) => v.title.toLowerCase() }, "productVariants");
        return connection(ctx.store.variants.filter(match), args, ctx, info, (v) => v.n, sort);
      },
      inventoryItem: nodeOf("InventoryItem", (s, n) => s.item(n)),
      inventoryItems: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, itemSearch, "inventoryItems");
        return connection(args.query ? ctx.store.items.filter(match) : ctx.store.items, args, ctx, info, (i) => i.n);
      },
      inventoryLevel: (_s, args: { id: string }, ctx) => {
        const g = parseGid(args.id);
        if (!g) bad(`Invalid global id '${args.id}'`);
        return g.type === "InventoryLevel" ? resolveNode(ctx.store, args.id) : null;
      },
      order: nodeOf("Order", (s, n) => s.order(n)),
      orders: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, orderSearch(ctx.store), "orders");
        const sort = sortBy(
          args.sortKey ?? "PROCESSED_AT",
          { ID: null, PROCESSED_AT: (o: OrderRec) => o.processedAt, CREATED_AT: (o: OrderRec) => o.createdAt, UPDATED_AT: (o: OrderRec) => o.updatedAt, ORDER_NUMBER: (o: OrderRec) => o.number },
          "orders",
        );
        return connection(ctx.store.orders.filter(match), args, ctx, info, (o) => o.n, sort);
      },
      fulfillmentOrder: nodeOf("FulfillmentOrder", (s, n) => s.fulfillmentOrder(n)),
      fulfillmentOrders: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, foSearch, "fulfillmentOrders");
        const rows = ctx.store.fulfillmentOrders.filter((f) => (args.includeClosed || !["CLOSED", "CANCELLED"].includes(f.status)) && match(f));
        return connection(rows, args, ctx, info, (f) => f.n, sortBy(args.sortKey, { ID: null, UPDATED_AT: (f: FoRec) => f.updatedAt }, "fulfillmentOrders"));
      },
      customer: nodeOf("Customer", (s, n) => s.customer(n)),
      customers: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, customerSearch, "customers");
        const sort = sortBy(args.sortKey, { ID: null, UPDATED_AT: (c: CustomerRec) => c.updatedAt, CREATED_AT: (c: CustomerRec) => c.createdAt }, "customers");
        return connection(ctx.store.customers.filter(match), args, ctx, info, (c) => c.n, sort);
      },
      node: (_s, args: { id: string }, ctx) => {
        if (!parseGid(args.id)) bad(`Invalid global id '${args.id}'`);
        return resolveNode(ctx.store, args.id);
      },
      nodes: (_s, args: { ids: string[] }, ctx) => {
        if (args.ids.length > 250) bad("The input array size of 251 is greater than the maximum allowed of 250.");
        return args.ids.map((id) => {
          if (!parseGid(id)) bad(`Invalid global id '${id}'`);
          return resolveNode(ctx.store, id);
        });
      },
      bulkOperation: nodeOf("BulkOperation", (s, n) => s.bulkOperation(n)),
      currentBulkOperation: (_s, args: { type?: string }, ctx) => [...ctx.store.bulkOperations].reverse().find((b) => b.type === (args.type ?? "QUERY")) ?? null,
      bulkOperations: (_s, args, ctx, info) => {
        const match = search(ctx, args.query, bulkSearch, "bulkOperations");
        // Newest first by default (sortKey CREATED_AT).
        return connection(ctx.store.bulkOperations.filter(match), { ...args, reverse: !args.reverse }, ctx, info, (b) => b.n, sortBy(args.sortKey ?? "CREATED_AT", { CREATED_AT: (b: BulkRec) => b.createdAt, COMPLETED_AT: (b: BulkRec) => b.completedAt ?? 0 }, "bulkOperations"));
      },
    },

    Mutation: {
      orderCreate: (_s, args: { order: Input; options?: Input | null }, ctx) => orderCreate(ctx, args.order, args.options),
      fulfillmentOrderMove: (_s, args: { id: string; newLocationId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null }, ctx) => {
        try {
          const r = ctx.store.moveFulfillmentOrder(
            idOf("FulfillmentOrder", args.id),
            idOf("Location", args.newLocationId),
            args.fulfillmentOrderLineItems?.map((l) => ({ foLineN: idOf("FulfillmentOrderLineItem", l.id), quantity: l.quantity })),
          );
          return { movedFulfillmentOrder: r.moved, originalFulfillmentOrder: r.original, remainingFulfillmentOrder: r.moved === r.original ? null : r.original, userErrors: [] };
        } catch (e) {
          return { movedFulfillmentOrder: null, originalFulfillmentOrder: null, remainingFulfillmentOrder: null, userErrors: userErrorsOf(e) };
        }
      },
      fulfillmentOrderHold: (_s, args: { id: string; fulfillmentHold: Input }, ctx) => {
        try {
          const h = args.fulfillmentHold;
          const r = ctx.store.holdFulfillmentOrder(idOf("FulfillmentOrder", args.id), {
            reason: h.reason as string,
            reasonNotes: (h.reasonNotes as string) ?? null,
            // The input defaults are handle: "" and fulfillmentOrderLineItems: [] (= the whole order).
            handle: (h.handle as string) || null,
            externalId: (h.externalId as string) ?? null,
            lines: (h.fulfillmentOrderLineItems as { id: string; quantity: number }[] | undefined)?.length
              ? (h.fulfillmentOrderLineItems as { id: string; quantity: number }[]).map((l) => ({ foLineN: idOf("FulfillmentOrderLineItem", l.id), quantity: l.quantity }))
              : null,
          });
          return { fulfillmentHold: r.hold, fulfillmentOrder: r.fo, remainingFulfillmentOrder: r.remaining, userErrors: [] };
        } catch (e) {
          return { fulfillmentHold: null, fulfillmentOrder: null, remainingFulfillmentOrder: null, userErrors: userErrorsOf(e) };
        }
      },
      fulfillmentOrderReleaseHold: (_s, args: { id: string; holdIds?: string[] | null }, ctx) => {
        try {
          const fo = ctx.store.releaseHold(idOf("FulfillmentOrder", args.id), args.holdIds?.map((h) => idOf("FulfillmentHold", h)) ?? null);
          return { fulfillmentOrder: fo, userErrors: [] };
        } catch (e) {
          return { fulfillmentOrder: null, userErrors: userErrorsOf(e) };
        }
      },
      fulfillmentOrderLineItemsPreparedForPickup: (_s, args: { input: { lineItemsByFulfillmentOrder: { fulfillmentOrderId: string }[] } }, ctx) => {
        try {
          ctx.store.prepareForPickup(args.input.lineItemsByFulfillmentOrder.map((x) => idOf("FulfillmentOrder", x.fulfillmentOrderId)));
          return { userErrors: [] };
        } catch (e) {
          return { userErrors: userErrorsOf(e) };
        }
      },
      inventorySetQuantities: (_s, args: { input: Input }, ctx, info) =>
        idempotent(
          ctx,
          info,
          args,
          () => {
            try {
              const input = args.input;
              const group = ctx.store.setQuantities({
                name: input.name as string,
                reason: input.reason as string,
                referenceDocumentUri: (input.referenceDocumentUri as string) ?? null,
                quantities: (input.quantities as Input[]).map((q) => ({
                  inventoryItemN: idOf("InventoryItem", q.inventoryItemId),
                  locationN: idOf("Location", q.locationId),
                  quantity: q.quantity as number,
                  changeFromQuantity: q.changeFromQuantity as number | null | undefined,
                  hasChangeFrom: "changeFromQuantity" in q,
                })),
              });
              return { inventoryAdjustmentGroup: group, userErrors: [] as UserError[] };
            } catch (e) {
              return { inventoryAdjustmentGroup: null, userErrors: userErrorsOf(e) };
            }
          },
          { inventoryAdjustmentGroup: null },
        ),
      inventoryAdjustQuantities: (_s, args: { input: Input }, ctx, info) =>
        idempotent(
          ctx,
          info,
          args,
          () => {
            try {
              const input = args.input;
              const group = ctx.store.adjustQuantities({
                name: input.name as string,
                reason: input.reason as string,
                referenceDocumentUri: (input.referenceDocumentUri as string) ?? null,
                changes: (input.changes as Input[]).map((c) => ({
                  inventoryItemN: idOf("InventoryItem", c.inventoryItemId),
                  locationN: idOf("Location", c.locationId),
                  delta: c.delta as number,
                  changeFromQuantity: c.changeFromQuantity as number | null | undefined,
                  hasChangeFrom: "changeFromQuantity" in c,
                  ledgerDocumentUri: (c.ledgerDocumentUri as string) ?? null,
                })),
              });
              return { inventoryAdjustmentGroup: group, userErrors: [] as UserError[] };
            } catch (e) {
              return { inventoryAdjustmentGroup: null, userErrors: userErrorsOf(e) };
            }
          },
          { inventoryAdjustmentGroup: null },
        ),
      bulkOperationRunQuery: (_s, args: { query: string; groupObjects: boolean }, ctx) => ctx.runBulkQuery(args.query, args.groupObjects),
      bulkOperationCancel: (_s, args: { id: string }, ctx) => {
        const op = ctx.store.bulkOperation(idOf("BulkOperation", args.id) ?? -1);
        if (!op) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist", code: null }] };
        if (!["CREATED", "RUNNING"].includes(op.status)) return { bulkOperation: op, userErrors: [{ field: ["id"], message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}`, code: null }] };
        ctx.cancelBulk(op);
        return { bulkOperation: op, userErrors: [] };
      },
    },

    Shop: {
      id: () => gid("Shop", 1),
      name: (_s, _a, ctx) => ctx.store.shop.name,
      myshopifyDomain: (_s, _a, ctx) => ctx.store.shop.myshopifyDomain,
      currencyCode: (_s, _a, ctx) => ctx.store.shop.currencyCode,
      ianaTimezone: (_s, _a, ctx) => ctx.store.shop.ianaTimezone,
      email: (_s, _a, ctx) => ctx.store.shop.email,
      weightUnit: (_s, _a, ctx) => ctx.store.shop.weightUnit,
      plan: (_s, _a, ctx) => ({ __typename: "ShopPlan", publicDisplayName: ctx.store.shop.plan, partnerDevelopment: ctx.store.shop.plan === "Development", shopifyPlus: ctx.store.shop.plan === "Plus" }),
      primaryDomain: (_s, _a, ctx) => ({ __typename: "Domain", id: gid("Domain", 1), host: ctx.store.shop.myshopifyDomain, url: `https://${ctx.store.shop.myshopifyDomain}`, sslEnabled: true }),
    },
    ShopPlan: plain("publicDisplayName", "partnerDevelopment", "shopifyPlus"),
    Domain: plain("id", "host", "url", "sslEnabled"),

    Location: {
      id: (l: LocationRec) => gid("Location", l.n),
      legacyResourceId: (l: LocationRec) => String(l.n),
      name: prop("name"),
      isActive: prop("isActive"),
      fulfillsOnlineOrders: prop("fulfillsOnlineOrders"),
      shipsInventory: prop("fulfillsOnlineOrders"),
      isFulfillmentService: () => false,
      hasActiveInventory: (l: LocationRec, _a, ctx) => ctx.store.levelsAtLocation(l.n).length > 0,
      createdAt: (l: LocationRec) => date(l.createdAt),
      updatedAt: (l: LocationRec) => date(l.updatedAt),
      address: (l: LocationRec) => ({ __typename: "LocationAddress", ...l.address, country: countryName(l.address.countryCode) }),
      localPickupSettingsV2: (l: LocationRec) => (l.offersPickup ? { __typename: "DeliveryLocalPickupSettings", pickupTime: "ONE_HOUR", instructions: "" } : null),
      inventoryLevels: (l: LocationRec, args, ctx, info) => {
        const match = search(ctx, args.query, levelSearch, "inventoryLevels");
        return connection(ctx.store.levelsAtLocation(l.n).filter(match), args, ctx, info, (x) => x.itemN);
      },
      inventoryLevel: (l: LocationRec, args: { inventoryItemId: string }, ctx) => ctx.store.level(idOf("InventoryItem", args.inventoryItemId) ?? -1, l.n) ?? null,
    },
    LocationAddress: {
      ...plain("address1", "address2", "city", "province", "provinceCode", "country", "countryCode", "zip", "phone", "latitude", "longitude"),
      formatted: (a: Record<string, string | null>) => [a.address1, [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "), a.country].filter((x): x is string => !!x),
    },
    DeliveryLocalPickupSettings: plain("pickupTime", "instructions"),

    Product: {
      id: (p: ProductRec) => gid("Product", p.n),
      legacyResourceId: (p: ProductRec) => String(p.n),
      ...plain("title", "handle", "vendor", "tags"),
      status: () => "ACTIVE",
      productType: () => "",
      createdAt: (p: ProductRec) => date(p.createdAt),
      updatedAt: (p: ProductRec) => date(p.updatedAt),
      variants: (p: ProductRec, args, ctx, info) => {
        const rows = p.variantNs.map((n) => ctx.store.variant(n)!);
        const position = new Map(p.variantNs.map((n, i) => [n, i]));
        const sort = sortBy(args.sortKey ?? "POSITION", { POSITION: (v: VariantRec) => position.get(v.n)!, ID: null, SKU: (v: VariantRec) => v.sku }, "variants");
        return connection(rows, args, ctx, info, (v) => v.n, sort);
      },
    },

    ProductVariant: {
      id: (v: VariantRec) => gid("ProductVariant", v.n),
      legacyResourceId: (v: VariantRec) => String(v.n),
      ...plain("sku", "title", "barcode"),
      displayName: (v: VariantRec, _a, ctx) => `${ctx.store.product(v.productN)!.title} - ${v.title}`,
      price: (v: VariantRec) => v.price.toFixed(2),
      inventoryPolicy: () => "DENY",
      inventoryQuantity: (v: VariantRec, _a, ctx) => ctx.store.levelsOfItem(v.itemN).reduce((s, l) => s + l.q.available, 0),
      inventoryItem: (v: VariantRec, _a, ctx) => ctx.store.item(v.itemN),
      product: (v: VariantRec, _a, ctx) => ctx.store.product(v.productN),
      createdAt: (v: VariantRec) => date(v.createdAt),
      updatedAt: (v: VariantRec) => date(v.updatedAt),
    },

    InventoryItem: {
      id: (i: ItemRec) => gid("InventoryItem", i.n),
      legacyResourceId: (i: ItemRec) => String(i.n),
      sku: prop("sku"),
      tracked: prop("tracked"),
      requiresShipping: () => true,
      variant: (i: ItemRec, _a, ctx) => ctx.store.variant(i.variantN),
      createdAt: (i: ItemRec) => date(i.createdAt),
      updatedAt: (i: ItemRec) => date(i.updatedAt),
      inventoryLevels: (i: ItemRec, args, ctx, info) => {
        const match = search(ctx, args.query, levelSearch, "inventoryLevels");
        return connection(ctx.store.levelsOfItem(i.n).filter(match), args, ctx, info, (x) => x.locationN);
      },
      inventoryLevel: (i: ItemRec, args: { locationId: string }, ctx) => ctx.store.level(i.n, idOf("Location", args.locationId) ?? -1) ?? null,
    },

    InventoryLevel: {
      id: (l: LevelRec) => levelGid(l.locationN, l.itemN),
      item: (l: LevelRec, _a, ctx) => ctx.store.item(l.itemN),
      location: (l: LevelRec, _a, ctx) => ctx.store.location(l.locationN),
      isActive: () => true,
      canDeactivate: (l: LevelRec) => l.q.committed === 0,
      createdAt: (l: LevelRec) => date(l.createdAt),
      updatedAt: (l: LevelRec) => date(l.updatedAt),
      quantities: (l: LevelRec, args: { names: string[] }) =>
        args.names.map((name) => {
          if (!(QUANTITY_NAMES as readonly string[]).includes(name)) bad(`Invalid quantity name '${name}' (valid: ${QUANTITY_NAMES.join(", ")})`);
          const q = name as QuantityName;
          return {
            __typename: "InventoryQuantity",
            name: q,
            quantity: l.q[q],
            get id() {
              return `gid://shopify/InventoryQuantity/${l.locationN}?inventory_item_id=${l.itemN}&name=${q}`;
            },
            get updatedAt() {
              return date(l.qUpdatedAt[q]);
            },
          };
        }),
    },
    InventoryQuantity: plain("id", "name", "quantity", "updatedAt"),

    Order: {
      id: (o: OrderRec) => gid("Order", o.n),
      legacyResourceId: (o: OrderRec) => String(o.n),
      ...plain("name", "sourceName", "sourceIdentifier", "email", "phone", "note", "tags", "test", "poNumber"),
      createdAt: (o: OrderRec) => date(o.createdAt),
      updatedAt: (o: OrderRec) => date(o.updatedAt),
      processedAt: (o: OrderRec) => date(o.processedAt),
      closedAt: (o: OrderRec) => date(o.closedAt),
      cancelledAt: (o: OrderRec) => date(o.cancelledAt),
      currencyCode: prop("currency"),
      displayFinancialStatus: prop("financialStatus"),
      displayFulfillmentStatus: (o: OrderRec, _a, ctx) => ctx.store.fulfillmentStatusOf(o),
      customer: (o: OrderRec, _a, ctx) => (o.customerN ? ctx.store.customer(o.customerN) : null),
      purchasingEntity: (o: OrderRec, _a, ctx) => {
        if (o.companyLocationN) {
          const location = ctx.store.companyLocation(o.companyLocationN)!;
          return { __typename: "PurchasingCompany", company: ctx.store.company(location.companyN), location, contact: null };
        }
        return o.customerN ? ctx.store.customer(o.customerN) : null;
      },
      shippingAddress: (o: OrderRec) => mailingAddress(o.shippingAddress),
      billingAddress: (o: OrderRec) => mailingAddress(o.billingAddress),
      retailLocation: (o: OrderRec, _a, ctx) => (o.retailLocationN ? ctx.store.location(o.retailLocationN) : null),
      subtotalPriceSet: (o: OrderRec, _a, ctx) => moneyBag(subtotal(ctx.store, o), o.currency),
      totalPriceSet: (o: OrderRec, _a, ctx) => moneyBag(total(ctx.store, o), o.currency),
      currentTotalPriceSet: (o: OrderRec, _a, ctx) => moneyBag(total(ctx.store, o), o.currency),
      shippingLine: (o: OrderRec) => {
        const s = o.shippingLines[0];
        return s ? { __typename: "ShippingLine", title: s.title, code: s.code, source: s.source, originalPriceSet: moneyBag(s.price, o.currency) } : null;
      },
      lineItems: (o: OrderRec, args, ctx, info) => connection(o.lineItemNs.map((n) => ctx.store.lineItem(n)!), args, ctx, info, (l) => l.n),
      fulfillmentOrders: (o: OrderRec, args, ctx, info) => {
        const match = search(ctx, args.query, foSearch, "fulfillmentOrders");
        return connection(o.foNs.map((n) => ctx.store.fulfillmentOrder(n)!).filter(match), args, ctx, info, (f) => f.n);
      },
    },
    ShippingLine: plain("title", "code", "source", "originalPriceSet"),
    MoneyBag: plain("shopMoney", "presentmentMoney"),
    MoneyV2: plain("amount", "currencyCode"),
    MailingAddress: {
      id: (a: AddressRec) => `gid://shopify/MailingAddress/${a.n}?model_name=Address`,
      ...plain("address1", "address2", "city", "company", "firstName", "lastName", "phone", "province", "provinceCode", "zip", "latitude", "longitude"),
      country: (a: AddressRec) => countryName(a.countryCode),
      countryCode: prop("countryCode"),
      countryCodeV2: prop("countryCode"),
      name: (a: AddressRec) => [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
      coordinatesValidated: (a: AddressRec) => a.latitude !== null,
      formatted: (a: AddressRec) => [a.address1, a.address2, [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "), countryName(a.countryCode)].filter((x): x is string => !!x),
    },

    LineItem: {
      id: (l: LineItemRec) => gid("LineItem", l.n),
      ...plain("sku", "quantity", "title", "variantTitle", "vendor", "requiresShipping"),
      currentQuantity: prop("quantity"),
      name: (l: LineItemRec) => (l.variantTitle && l.variantTitle !== "Default" ? `${l.title} - ${l.variantTitle}` : l.title),
      variant: (l: LineItemRec, _a, ctx) => (l.variantN ? ctx.store.variant(l.variantN) : null),
      product: (l: LineItemRec, _a, ctx) => (l.variantN ? ctx.store.product(ctx.store.variant(l.variantN)!.productN) : null),
      originalUnitPriceSet: (l: LineItemRec, _a, ctx) => moneyBag(l.price, ctx.store.order(l.orderN)!.currency),
      discountedUnitPriceSet: (l: LineItemRec, _a, ctx) => moneyBag(l.price, ctx.store.order(l.orderN)!.currency),
      unfulfilledQuantity: (l: LineItemRec, _a, ctx) => ctx.store.unfulfilledQuantity(l),
    },

    Customer: {
      id: (c: CustomerRec) => gid("Customer", c.n),
      legacyResourceId: (c: CustomerRec) => String(c.n),
      ...plain("email", "firstName", "lastName", "phone", "tags"),
      displayName: (c: CustomerRec) => [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "",
      defaultEmailAddress: (c: CustomerRec) => (c.email ? { __typename: "CustomerEmailAddress", emailAddress: c.email } : null),
      defaultAddress: (c: CustomerRec) => mailingAddress(c.defaultAddress),
      createdAt: (c: CustomerRec) => date(c.createdAt),
      updatedAt: (c: CustomerRec) => date(c.updatedAt),
    },
    CustomerEmailAddress: plain("emailAddress"),
    PurchasingCompany: plain("company", "location", "contact"),
    Company: { id: (c: { n: number }) => gid("Company", c.n), ...plain("name", "externalId") },
    CompanyLocation: { id: (c: { n: number }) => gid("CompanyLocation", c.n), ...plain("name", "externalId") },

    FulfillmentOrder: {
      id: (f: FoRec) => gid("FulfillmentOrder", f.n),
      status: prop("status"),
      requestStatus: () => "UNSUBMITTED",
      fulfillAt: () => null,
      createdAt: (f: FoRec) => date(f.createdAt),
      updatedAt: (f: FoRec) => date(f.updatedAt),
      order: (f: FoRec, _a, ctx) => ctx.store.order(f.orderN),
      orderId: (f: FoRec) => gid("Order", f.orderN),
      orderName: (f: FoRec, _a, ctx) => ctx.store.order(f.orderN)!.name,
      assignedLocation: (f: FoRec, _a, ctx) => {
        const l = ctx.store.location(f.locationN)!;
        return { __typename: "FulfillmentOrderAssignedLocation", location: l, name: l.name, ...l.address };
      },
      destination: (f: FoRec, _a, ctx) => {
        const a = ctx.store.order(f.orderN)!.shippingAddress;
        return a ? { __typename: "FulfillmentOrderDestination", id: gid("FulfillmentOrderDestination", a.n), address1: a.address1, city: a.city, countryCode: a.countryCode, province: a.province, zip: a.zip } : null;
      },
      deliveryMethod: (f: FoRec) => ({ __typename: "DeliveryMethod", id: gid("DeliveryMethod", f.deliveryMethod.n), methodType: f.deliveryMethod.methodType, presentedName: f.deliveryMethod.presentedName }),
      fulfillmentHolds: (f: FoRec) => f.holds,
      supportedActions: (f: FoRec) => supportedActions(f).map((action) => ({ __typename: "FulfillmentOrderSupportedAction", action, externalUrl: null })),
      lineItems: (f: FoRec, args, ctx, info) => connection(f.lineNs.map((n) => ctx.store.foLine(n)!), args, ctx, info, (l) => l.n),
    },
    FulfillmentOrderAssignedLocation: plain("location", "name", "address1", "address2", "city", "province", "zip", "countryCode", "phone"),
    FulfillmentOrderDestination: plain("id", "address1", "city", "countryCode", "province", "zip"),
    FulfillmentOrderSupportedAction: plain("action", "externalUrl"),
    DeliveryMethod: plain("id", "methodType", "presentedName"),
    FulfillmentOrderLineItem: {
      id: (l: { n: number }) => gid("FulfillmentOrderLineItem", l.n),
      ...plain("remainingQuantity", "totalQuantity"),
      lineItem: (l: { lineItemN: number }, _a, ctx) => ctx.store.lineItem(l.lineItemN),
      sku: (l: { lineItemN: number }, _a, ctx) => ctx.store.lineItem(l.lineItemN)!.sku,
      productTitle: (l: { lineItemN: number }, _a, ctx) => ctx.store.lineItem(l.lineItemN)!.title,
      variant: (l: { lineItemN: number }, _a, ctx) => {
        const v = ctx.store.lineItem(l.lineItemN)!.variantN;
        return v ? ctx.store.variant(v) : null;
      },
      inventoryItemId: (l: { lineItemN: number }, _a, ctx) => {
        const v = ctx.store.lineItem(l.lineItemN)!.variantN;
        return v ? gid("InventoryItem", ctx.store.variant(v)!.itemN) : null;
      },
    },
    FulfillmentHold: {
      id: (h: { n: number }) => gid("FulfillmentHold", h.n),
      ...plain("reason", "reasonNotes", "handle"),
      // The sandbox serves one app (its access tokens); holds placed as another app are not its own.
      heldByRequestingApp: (h: { otherApp: string | null }) => h.otherApp === null,
    },

    InventoryAdjustmentGroup: {
      id: (g: { n: number }) => gid("InventoryAdjustmentGroup", g.n),
      createdAt: (g: { createdAt: number }) => date(g.createdAt),
      ...plain("reason", "referenceDocumentUri"),
      changes: (g: { changes: { itemN: number; locationN: number; name: string }[] }, args: { inventoryItemIds?: string[]; locationIds?: string[]; quantityNames?: string[] }, ctx) =>
        g.changes
          .filter((c) => !args.inventoryItemIds || args.inventoryItemIds.some((id) => idOf("InventoryItem", id) === c.itemN))
          .filter((c) => !args.locationIds || args.locationIds.some((id) => idOf("Location", id) === c.locationN))
          .filter((c) => !args.quantityNames || args.quantityNames.includes(c.name))
          .map((c) => ({ __typename: "InventoryChange", ...c, item: ctx.store.item(c.itemN), location: ctx.store.location(c.locationN) })),
    },
    InventoryChange: plain("delta", "name", "quantityAfterChange", "item", "location", "ledgerDocumentUri"),

    BulkOperation: {
      id: (b: BulkRec) => gid("BulkOperation", b.n),
      ...plain("status", "type", "errorCode", "query", "url"),
      createdAt: (b: BulkRec) => date(b.createdAt),
      completedAt: (b: BulkRec) => date(b.completedAt),
      objectCount: (b: BulkRec) => String(b.objectCount),
      rootObjectCount: (b: BulkRec) => String(b.rootObjectCount),
      fileSize: (b: BulkRec) => (b.fileSize === null ? null : String(b.fileSize)),
      partialDataUrl: () => null,
    },

    PageInfo: plain("hasNextPage", "hasPreviousPage", "startCursor", "endCursor"),

    OrderCreatePayload: plain("order", "userErrors"),
    FulfillmentOrderMovePayload: plain("movedFulfillmentOrder", "originalFulfillmentOrder", "remainingFulfillmentOrder", "userErrors"),
    FulfillmentOrderHoldPayload: plain("fulfillmentHold", "fulfillmentOrder", "remainingFulfillmentOrder", "userErrors"),
    FulfillmentOrderReleaseHoldPayload: plain("fulfillmentOrder", "userErrors"),
    FulfillmentOrderLineItemsPreparedForPickupPayload: plain("userErrors"),
    InventorySetQuantitiesPayload: plain("inventoryAdjustmentGroup", "userErrors"),
    InventoryAdjustQuantitiesPayload: plain("inventoryAdjustmentGroup", "userErrors"),
    BulkOperationRunQueryPayload: plain("bulkOperation", "userErrors"),
    BulkOperationCancelPayload: plain("bulkOperation", "userErrors"),

    // Abstract types: only fields every implementation above supports.
    Node: { id: () => null },
    DisplayableError: plain("field", "message"),
  };
  return R;
}

function subtotal(store: SandboxStore, o: OrderRec) {
  return o.lineItemNs.reduce((s, n) => {
    const l = store.lineItem(n)!;
    return s + l.price * l.quantity;
  }, 0);
}

function total(store: SandboxStore, o: OrderRec) {
  return subtotal(store, o) + o.shippingLines.reduce((s, l) => s + l.price, 0);
}

let cached: { schema: GraphQLSchema; resolvers: Resolvers } | null = null;

/** The resolver map completed for one schema: every connection/edge type and user-error type. */
export function resolversFor(schema: GraphQLSchema): Resolvers {
  if (cached?.schema === schema) return cached.resolvers;
  const R = buildResolvers();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || !isObjectType(type)) continue;
    const fields = Object.keys(type.getFields());
    if (type.name.endsWith("Connection") && fields.includes("pageInfo")) R[type.name] ??= plain("edges", "nodes", "pageInfo");
    else if (type.name.endsWith("Edge") && fields.includes("cursor") && fields.includes("node")) R[type.name] ??= plain("cursor", "node");
    else if (type.getInterfaces().some((i) => i.name === "DisplayableError")) {
      R[type.name] ??= plain(...fields.filter((f) => ["code", "field", "message"].includes(f)));
    }
  }
  cached = { schema, resolvers: R };
  return R;
}

export function fieldResolver(schema: GraphQLSchema): GraphQLFieldResolver<unknown, ResolverContext> {
  const R = resolversFor(schema);
  return (src, args, ctx, info) => {
    const fn = R[info.parentType.name]?.[info.fieldName];
    if (!fn) throw new GraphQLError(unsupportedMessage(info.parentType.name, info.fieldName), { extensions: { code: "SANDBOX_UNSUPPORTED_FIELD" } });
    return fn(src, args, ctx, info);
  };
}

export const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value) => (value as { __typename?: string }).__typename;

function unsupportedMessage(type: string, field: string) {
  return `Field '${type}.${field}' is not supported by the Shopify sandbox (connectors/shopify/sandbox); add it to resolvers.ts or leave it out of the query`;
}

/** Every selected field the sandbox cannot answer, as GraphQL errors naming it. */
export function unsupportedFields(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  const R = resolversFor(schema);
  const typeInfo = new TypeInfo(schema);
  const errors: GraphQLError[] = [];
  const seen = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith("__")) return;
        const key = `${parent.name}.${node.name.value}`;
        if (R[parent.name]?.[node.name.value]) return;
        if (!seen.has(key)) {
          seen.add(key);
          errors.push(new GraphQLError(unsupportedMessage(parent.name, node.name.value), { nodes: [node], extensions: { code: "SANDBOX_UNSUPPORTED_FIELD", typeName: parent.name, fieldName: node.name.value } }));
        }
        return false; // its sub-selection cannot run either: one error per unsupported field
      },
    }),
  );
  return errors;
}
