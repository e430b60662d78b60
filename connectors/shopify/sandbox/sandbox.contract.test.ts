import "@shopify/shopify-api/adapters/node";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { parse } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as connectorDocuments from "../client/documents";
import { unsupportedFields } from "./resolvers";
import { loadAdminSchema } from "./schema";
import { startShopifySandbox, type ShopifySandbox } from "./server";
import { fakeClock, gqlClient, smallSeed } from "./test-fixtures";
import type { ShopifySandboxConfig } from "./types";

const SECRET = "test-api-secret";
const schemaDir = () => {
  const dir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!dir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run the suite with ./oms test");
  return dir;
};

// Building Shopify's schema takes seconds: once per file, outside the tests' timeouts.
beforeAll(() => {
  loadAdminSchema(schemaDir(), "2026-10");
}, 60_000);

const started: ShopifySandbox[] = [];
async function sandbox(extra: Partial<ShopifySandboxConfig> = {}) {
  const sb = await startShopifySandbox({ schemaDir: schemaDir(), shop: "test-shop.myshopify.com", seed: smallSeed(), apiSecret: SECRET, ...extra });
  started.push(sb);
  return sb;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

/** A local app that records webhook requests; `answer` decides the status of each. */
async function receiver(answer: (n: number) => number = () => 200) {
  const received: { headers: http.IncomingHttpHeaders; body: string; status: number; req: http.IncomingMessage; res: http.ServerResponse }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = answer(received.length);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status, req, res });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())), topics: () => received.map((r) => String(r.headers["x-shopify-topic"])) };
}

const item = (sb: ShopifySandbox, sku: string) => `gid://shopify/InventoryItem/${sb.store.variantBySkuOf(sku)!.itemN}`;
const loc = (sb: ShopifySandbox, key: string) => `gid://shopify/Location/${sb.store.locationByKeyOf(key)!.n}`;
const qty = (sb: ShopifySandbox, sku: string, key: string) => sb.store.level(sb.store.variantBySkuOf(sku)!.itemN, sb.store.locationByKeyOf(key)!.n)!.q;

describe("HTTP surface and documents", () => {
  let sb: ShopifySandbox;
  let gql: ReturnType<typeof gqlClient>;
  beforeAll(async () => {
    sb = await sandbox();
    gql = gqlClient(sb);
  });

  it("answers 401 in Shopify's shape without a known access token", async () => {
    for (const token of [null, "shpat_wrong"]) {
      const r = await gqlClient(sb, { token })(`{ shop { name } }`);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    expect(sb.stats().unauthorized).toBe(2);
  });

  it("serves only the API versions it has a schema for", async () => {
    const r = await gqlClient(sb, { version: "2019-13" })(`{ shop { name } }`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ errors: "Not Found" });
    const prefixed = await fetch(`${sb.url}/shops/test-shop.myshopify.com/admin/api/2026-10/graphql.json`, { method: "POST", headers: { "X-Shopify-Access-Token": sb.accessToken, "Content-Type": "application/json" }, body: JSON.stringify({ query: "{ shop { name } }" }) });
    expect(((await prefixed.json()) as { data: unknown }).data).toEqual({ shop: { name: "Test Outfitters" } });
    const otherShop = await fetch(`${sb.url}/shops/other.myshopify.com/admin/api/2026-10/graphql.json`, { method: "POST", headers: { "X-Shopify-Access-Token": sb.accessToken }, body: "{}" });
    expect(otherShop.status).toBe(404);
    const missing = await fetch(sb.graphqlUrl, { method: "POST", headers: { "X-Shopify-Access-Token": sb.accessToken, "Content-Type": "application/json" }, body: "{}" });
    expect(missing.status).toBe(400);
  });

  it("validates every document against the real 2026-10 schema (200 with errors, no data)", async () => {
    const unknownField = await gql(`{ shop { name nickname } }`);
    expect(unknownField.status).toBe(200);
    expect(unknownField.body.data).toBeUndefined();
    expect(unknownField.body.errors[0].message).toMatch(/Cannot query field "nickname" on type "Shop"/);
    expect(unknownField.body.extensions.cost.requestedQueryCost).toBe(0);
    const badArg = await gql(`{ orders(first: "ten") { nodes { id } } }`);
    expect(badArg.body.errors[0].message).toMatch(/Int cannot represent/);
    const syntax = await gql(`{ shop { name }`);
    expect(syntax.body.errors[0].message).toMatch(/Syntax Error/);
  });

  it("names a schema-valid field the sandbox does not implement instead of answering null", async () => {
    const r = await gql(`{ orders(first: 1) { nodes { id app { name } } } }`);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].message).toMatch(/Field 'Order\.app' is not supported by the Shopify sandbox/);
    expect(r.body.errors[0].extensions).toMatchObject({ code: "SANDBOX_UNSUPPORTED_FIELD", typeName: "Order", fieldName: "app" });
    const search = await gql(`{ orders(first: 1, query: "risk_level:high") { nodes { id } } }`);
    expect(search.body.errors[0].message).toMatch(/risk_level.*not supported by the Shopify sandbox/);
  });

  it("answers shop and locations with deterministic gids and every response carries extensions.cost", async () => {
    const r = await gql(`{
      shop { name myshopifyDomain currencyCode ianaTimezone }
      locations(first: 10, sortKey: ID) { edges { node { id name isActive fulfillsOnlineOrders address { address1 city provinceCode countryCode zip latitude longitude } } } pageInfo { hasNextPage } }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.shop).toEqual({ name: "Test Outfitters", myshopifyDomain: "test-shop.myshopify.com", currencyCode: "USD", ianaTimezone: "America/Los_Angeles" });
    const nodes = r.body.data.locations.edges.map((e: { node: unknown }) => e.node);
    // The read-only FBA location of the seed is not a Shopify location.
    expect(nodes.map((n: { id: string; name: string }) => [n.id, n.name])).toEqual([
      ["gid://shopify/Location/1", "West Warehouse"],
      ["gid://shopify/Location/2", "East DC"],
      ["gid://shopify/Location/3", "LA Store"],
      ["gid://shopify/Location/4", "Wholesale DC"],
    ]);
    expect(nodes[0].address).toEqual({ address1: "4200 E Airport Dr", city: "Ontario", provinceCode: "CA", countryCode: "US", zip: "91761", latitude: 34.0559, longitude: -117.5972 });
    expect(nodes[3].fulfillsOnlineOrders).toBe(false);
    expect(r.body.extensions.cost).toEqual({
      requestedQueryCost: 1 + 2 + 10 * (1 + 1),
      actualQueryCost: 1 + 2 + 4 * (1 + 1),
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: expect.any(Number), restoreRate: 100 },
    });
  });

  it("pages with first/after until hasNextPage is false, and filters with query", async () => {
    const skus: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await gql(`query($after: String) { inventoryItems(first: 2, after: $after) { edges { cursor node { id sku } } pageInfo { hasNextPage endCursor } } }`, { after });
      pages++;
      skus.push(...r.body.data.inventoryItems.edges.map((e: { node: { sku: string } }) => e.node.sku));
      if (!r.body.data.inventoryItems.pageInfo.hasNextPage) break;
      after = r.body.data.inventoryItems.pageInfo.endCursor;
    }
    expect(skus).toEqual(["TEE-S", "TEE-M", "TEE-L", "CAP", "TENT-2P", "CAMP-KIT"]);
    expect(pages).toBe(3);
    const filtered = await gql(`{ productVariants(first: 5, query: "sku:TEE*") { nodes { sku title product { title } inventoryItem { id } } } }`);
    expect(filtered.body.data.productVariants.nodes.map((v: { sku: string }) => v.sku)).toEqual(["TEE-S", "TEE-M", "TEE-L"]);
    const noFirst = await gql(`{ inventoryItems(query: "sku:CAP") { nodes { id } } }`);
    expect(noFirst.body.errors[0].message).toBe("you must provide one of first or last");
  });

  it("reads every quantity name through inventoryItem.inventoryLevels and location.inventoryLevels", async () => {
    const names = `["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"]`;
    const r = await gql(`query($id: ID!, $loc: ID!) {
      inventoryItem(id: $id) { sku inventoryLevels(first: 5) { nodes { id location { id } quantities(names: ${names}) { name quantity } } } }
      location(id: $loc) { inventoryLevels(first: 10) { nodes { item { sku } quantities(names: ["available"]) { quantity } } } }
    }`, { id: item(sb, "TEE-L"), loc: loc(sb, "west") });
    const level = r.body.data.inventoryItem.inventoryLevels.nodes[0];
    expect(level.id).toBe(`gid://shopify/InventoryLevel/2?inventory_item_id=${sb.store.variantBySkuOf("TEE-L")!.itemN}`);
    expect(Object.fromEntries(level.quantities.map((q: { name: string; quantity: number }) => [q.name, q.quantity]))).toEqual({
      available: 4, on_hand: 6, committed: 0, reserved: 0, incoming: 0, damaged: 1, safety_stock: 1, quality_control: 0,
    });
    expect(r.body.data.location.inventoryLevels.nodes.map((n: { item: { sku: string } }) => n.item.sku)).toEqual(["TEE-S", "TEE-M", "CAP"]);
  });

  it("resolves node and nodes by gid", async () => {
    const r = await gql(`{ nodes(ids: ["gid://shopify/Location/3", "gid://shopify/ProductVariant/2", "gid://shopify/Order/999"]) { __typename id ... on Location { name } ... on ProductVariant { sku } } node(id: "gid://shopify/InventoryItem/4") { ... on InventoryItem { sku } } }`);
    expect(r.body.data.nodes).toEqual([{ __typename: "Location", id: "gid://shopify/Location/3", name: "LA Store" }, { __typename: "ProductVariant", id: "gid://shopify/ProductVariant/2", sku: "TEE-M" }, null]);
    expect(r.body.data.node).toEqual({ sku: "CAP" });
  });

  it("refuses a query above the 1,000-point single-query limit (MAX_COST_EXCEEDED)", async () => {
    const r = await gql(`{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }`);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * (1 + 2 + 250), maxCost: 1000 });
    expect(r.body.errors[0].message).toMatch(/^Query cost is 63252, which exceeds the single query max cost limit \(1000\)/);
  });
});

describe("throttling (leaky bucket on the injected clock)", () => {
  it("returns THROTTLED when the requested cost exceeds what is available, and recovers after restore", async () => {
    const clock = fakeClock();
    const sb = await sandbox({ now: clock.now, bucketSize: 30, restoreRate: 10 });
    const gql = gqlClient(sb);
    const adjust = (key: string) =>
      gql(`mutation($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) @idempotent(key: "${key}") { userErrors { code message } } }`, {
        input: { name: "available", reason: "correction", changes: [{ inventoryItemId: item(sb, "CAP"), locationId: loc(sb, "west"), delta: 1, changeFromQuantity: null }] },
      });
    for (const [i, left] of [[1, 20], [2, 10], [3, 0]] as const) {
      const r = await adjust(`k${i}`);
      expect(r.body.extensions.cost).toEqual({ requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 30, currentlyAvailable: left, restoreRate: 10 } });
    }
    const throttled = await adjust("k4");
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/limits#rate-limits" } }],
      extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 30, currentlyAvailable: 0, restoreRate: 10 } } },
    });
    expect(qty(sb, "CAP", "west").available).toBe(23); // the throttled call did not run
    clock.advance(500);
    expect((await adjust("k4")).body.errors?.[0].message).toBe("Throttled"); // 5 points: not enough
    clock.advance(500);
    const again = await adjust("k4");
    expect(again.body.errors).toBeUndefined();
    expect(again.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
    expect(qty(sb, "CAP", "west").available).toBe(24);

    // A query needs its requested (not its actual) cost available; the difference is refunded after.
    clock.advance(2500); // 25 points
    const q = `{ locations(first: 14) { nodes { id } } }`; // requests 16, costs 2 + 4
    const ok = await gql(q);
    expect(ok.body.extensions.cost).toMatchObject({ requestedQueryCost: 16, actualQueryCost: 6, throttleStatus: { currentlyAvailable: 19 } });
    expect((await gql(`{ locations(first: 20) { nodes { id } } }`)).body.errors[0].extensions.code).toBe("THROTTLED");
    expect(sb.stats()).toMatchObject({ throttled: 3, executed: 5, mutations: 4, queries: 1, pointsUsed: 46, pointsRequested: 56 });
  });
});

describe("inventory mutations", () => {
  let sb: ShopifySandbox;
  let gql: ReturnType<typeof gqlClient>;
  beforeAll(async () => {
    sb = await sandbox();
    gql = gqlClient(sb);
  });
  const SET = `mutation($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange item { sku } location { id } } }
      userErrors { code field message } } }`;
  const ADJUST = `mutation($input: InventoryAdjustQuantitiesInput!, $key: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } } userErrors { code field message } } }`;

  it("sets available with compare-and-set: a stale changeFromQuantity changes nothing", async () => {
    const input = (changeFromQuantity: number | null, quantity: number) => ({ name: "available", reason: "correction", referenceDocumentUri: "gid://oms/Sync/1", quantities: [{ inventoryItemId: item(sb, "TEE-M"), locationId: loc(sb, "west"), quantity, changeFromQuantity }] });
    const ok = await gql(SET, { input: input(10, 12), key: "set-1" });
    expect(ok.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(ok.body.data.inventorySetQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: 2, quantityAfterChange: 12, item: { sku: "TEE-M" }, location: { id: loc(sb, "west") } },
      { name: "on_hand", delta: 2, quantityAfterChange: 12, item: { sku: "TEE-M" }, location: { id: loc(sb, "west") } },
    ]);
    const stale = await gql(SET, { input: input(10, 15), key: "set-2" });
    expect(stale.body.data.inventorySetQuantities).toEqual({
      inventoryAdjustmentGroup: null,
      userErrors: [{ code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "quantities", "0", "changeFromQuantity"], message: "The changeFromQuantity value does not match persisted value." }],
    });
    expect(qty(sb, "TEE-M", "west")).toMatchObject({ available: 12, on_hand: 12 });
    const optOut = await gql(SET, { input: input(null, 15), key: "set-3" });
    expect(optOut.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(qty(sb, "TEE-M", "west").available).toBe(15);
  });

  it("requires changeFromQuantity on every row and the @idempotent directive (2026-04+)", async () => {
    const omitted = await gql(SET, { input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: item(sb, "CAP"), locationId: loc(sb, "west"), quantity: 1 }] }, key: "set-4" });
    expect(omitted.body.data.inventorySetQuantities.userErrors[0]).toMatchObject({ code: "COMPARE_QUANTITY_REQUIRED", field: ["input", "quantities", "0", "changeFromQuantity"] });
    const noKey = await gql(`mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`, {
      input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: item(sb, "CAP"), locationId: loc(sb, "west"), quantity: 1, changeFromQuantity: null }] },
    });
    expect(noKey.body.errors[0].message).toMatch(/requires an idempotency key.*@idempotent/);
    expect(qty(sb, "CAP", "west").available).toBe(20);
  });

  it("applies an idempotency key once: a retry returns the first result, other parameters are refused", async () => {
    const input = (delta: number) => ({ name: "available", reason: "received", changes: [{ inventoryItemId: item(sb, "CAP"), locationId: loc(sb, "la"), delta, changeFromQuantity: null }] });
    const first = await gql(ADJUST, { input: input(3), key: "adj-1" });
    const retry = await gql(ADJUST, { input: input(3), key: "adj-1" });
    expect(retry.body.data).toEqual(first.body.data);
    expect(first.body.data.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: 3, quantityAfterChange: 8 },
      { name: "on_hand", delta: 3, quantityAfterChange: 8 },
    ]);
    expect(qty(sb, "CAP", "la")).toMatchObject({ available: 8, on_hand: 8 });
    const mismatch = await gql(ADJUST, { input: input(4), key: "adj-1" });
    expect(mismatch.body.data.inventoryAdjustQuantities.userErrors[0].code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect(qty(sb, "CAP", "la").available).toBe(8);
  });

  it("adjusts other states with a ledger document and keeps on_hand = Σ of its parts", async () => {
    const r = await gql(ADJUST, {
      input: { name: "damaged", reason: "damaged", changes: [{ inventoryItemId: item(sb, "CAP"), locationId: loc(sb, "la"), delta: 2, changeFromQuantity: 0, ledgerDocumentUri: "gid://oms/Damage/7" }] },
      key: "adj-2",
    });
    expect(r.body.data.inventoryAdjustQuantities.userErrors).toEqual([]);
    expect(qty(sb, "CAP", "la")).toMatchObject({ available: 8, damaged: 2, on_hand: 10 });
    const noLedger = await gql(ADJUST, { input: { name: "damaged", reason: "damaged", changes: [{ inventoryItemId: item(sb, "CAP"), locationId: loc(sb, "la"), delta: 1, changeFromQuantity: null }] }, key: "adj-3" });
    expect(noLedger.body.data.inventoryAdjustQuantities.userErrors[0].code).toBe("INVALID_QUANTITY_DOCUMENT");
    const bundle = await gql(ADJUST, { input: { name: "available", reason: "correction", changes: [{ inventoryItemId: item(sb, "CAMP-KIT"), locationId: loc(sb, "west"), delta: 1, changeFromQuantity: null }] }, key: "adj-4" });
    expect(bundle.body.data.inventoryAdjustQuantities.userErrors[0].code).toBe("NON_MUTABLE_INVENTORY_ITEM");
  });
});

describe("orders, fulfillment orders and webhooks", () => {
  const clock = fakeClock();
  let sb: ShopifySandbox;
  let gql: ReturnType<typeof gqlClient>;
  let app: Awaited<ReturnType<typeof receiver>>;
  const validator = shopifyApi({ apiKey: "key", apiSecretKey: SECRET, apiVersion: ApiVersion.October26, hostName: "oms.test", isEmbeddedApp: true, logger: { log: () => {} } });
  beforeAll(async () => {
    app = await receiver();
    sb = await sandbox({
      now: clock.now,
      appUrl: app.url,
      webhooks: { "orders/create": "/webhooks/orders", "inventory_levels/update": "/webhooks/inventory", "*": "/webhooks/other" },
      webhookRetry: { attempts: 3, baseDelayMs: 5 },
    });
    gql = gqlClient(sb);
  });
  afterAll(() => app.close());
  afterEach(async () => {
    await sb.flushWebhooks();
    app.received.length = 0;
  });

  const CREATE = `mutation($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order { id name sourceName displayFulfillmentStatus customer { id tags } purchasingEntity { __typename ... on PurchasingCompany { company { name } location { name } } }
        shippingAddress { city latitude longitude }
        lineItems(first: 5) { nodes { id sku quantity originalUnitPriceSet { shopMoney { amount currencyCode } } } }
        fulfillmentOrders(first: 5) { nodes { id status assignedLocation { location { id } } deliveryMethod { methodType } lineItems(first: 5) { nodes { id remainingQuantity lineItem { sku } } } } } }
      userErrors { code field message } } }`;
  const lineItems = (...lines: [string, number][]) => lines.map(([sku, quantity]) => ({ variantId: `gid://shopify/ProductVariant/${sb.store.variantBySkuOf(sku)!.n}`, quantity }));

  it("orderCreate claims stock at the routed location, keeps sourceName, upserts the customer by email", async () => {
    const r = await gql(CREATE, {
      order: {
        lineItems: lineItems(["TEE-M", 2], ["CAP", 1]),
        sourceName: "amazon-us",
        sourceIdentifier: "111-0000001",
        financialStatus: "PAID",
        customer: { toUpsert: { email: "Ava@Example.com", firstName: "Ava", tags: ["vip"] } },
        shippingAddress: { address1: "1 Market St", city: "San Francisco", provinceCode: "CA", countryCode: "US", zip: "94103" },
      },
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    const { order, userErrors } = r.body.data.orderCreate;
    expect(userErrors).toEqual([]);
    expect(order).toMatchObject({ id: "gid://shopify/Order/1", name: "#1001", sourceName: "amazon-us", displayFulfillmentStatus: "UNFULFILLED", customer: { id: "gid://shopify/Customer/1", tags: ["vip"] } });
    expect(order.purchasingEntity).toEqual({ __typename: "Customer" });
    expect(order.shippingAddress).toEqual({ city: "San Francisco", latitude: 37.7725, longitude: -122.4091 });
    expect(order.lineItems.nodes[0].originalUnitPriceSet.shopMoney).toEqual({ amount: "25.0", currencyCode: "USD" });
    const [fo] = order.fulfillmentOrders.nodes;
    expect(order.fulfillmentOrders.nodes).toHaveLength(1);
    expect(fo).toMatchObject({ status: "OPEN", assignedLocation: { location: { id: loc(sb, "west") } }, deliveryMethod: { methodType: "SHIPPING" } });
    expect(qty(sb, "TEE-M", "west")).toMatchObject({ available: 8, committed: 2, on_hand: 10 });
    expect(qty(sb, "CAP", "west")).toMatchObject({ available: 19, committed: 1, on_hand: 20 });

    const again = await gql(CREATE, { order: { lineItems: lineItems(["CAP", 1]), customer: { toUpsert: { email: "ava@example.com", lastName: "Nguyen" } } } });
    expect(again.body.data.orderCreate.order.customer).toEqual({ id: "gid://shopify/Customer/1", tags: ["vip"] });
    expect(sb.store.customer(1)).toMatchObject({ firstName: "Ava", lastName: "Nguyen", email: "ava@example.com" });
    // BYPASS (orderCreate's default) claims nothing.
    expect(qty(sb, "CAP", "west").available).toBe(19);
  });

  it("sends orders/create, then order_routing_complete, then inventory_levels/update, signed like Shopify", async () => {
    await gql(CREATE, { order: { lineItems: lineItems(["TENT-2P", 1]), email: "bo@example.com" }, options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" } });
    await sb.flushWebhooks();
    expect(app.topics()).toEqual(["orders/create", "fulfillment_orders/order_routing_complete", "inventory_levels/update"]);
    const [create, routed, level] = app.received;
    expect(create!.req.url).toBe("/webhooks/orders");
    expect(routed!.req.url).toBe("/webhooks/other");
    const check = await validator.webhooks.validate({ rawBody: create!.body, rawRequest: create!.req, rawResponse: create!.res });
    expect(check).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: "test-shop.myshopify.com", apiVersion: "2026-10" });
    const forged = await validator.webhooks.validate({ rawBody: create!.body.replace("TENT-2P", "TENT-3P"), rawRequest: create!.req, rawResponse: create!.res });
    expect(forged.valid).toBe(false);
    expect(create!.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(create!.headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(create!.headers["x-shopify-triggered-at"]).toBe("2026-11-27T10:00:00.000Z");
    const payload = JSON.parse(create!.body);
    expect(payload).toMatchObject({
      id: 3,
      admin_graphql_api_id: "gid://shopify/Order/3",
      name: "#1003",
      email: "bo@example.com",
      created_at: "2026-11-27T02:00:00-08:00",
      financial_status: "pending",
      fulfillment_status: null,
      line_items: [{ id: 4, admin_graphql_api_id: "gid://shopify/LineItem/4", sku: "TENT-2P", quantity: 1, price: "189.00", price_set: { shop_money: { amount: "189.00", currency_code: "USD" } }, variant_id: 5, product_id: 3 }],
    });
    expect(JSON.parse(routed!.body)).toEqual({ fulfillment_order: { id: "gid://shopify/FulfillmentOrder/3", status: "open" } });
    const tentAtEast = sb.store.variantBySkuOf("TENT-2P")!.itemN;
    expect(JSON.parse(level!.body)).toEqual({ inventory_item_id: tentAtEast, location_id: 2, available: 1, updated_at: "2026-11-27T02:00:00-08:00", admin_graphql_api_id: `gid://shopify/InventoryLevel/2?inventory_item_id=${tentAtEast}` });
  });

  it("refuses a claim that cannot be met (DECREMENT_OBEYING_POLICY), and fulfils from fulfillment.locationId", async () => {
    const short = await gql(CREATE, { order: { lineItems: lineItems(["TEE-L", 9]) }, options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } });
    expect(short.body.data.orderCreate).toMatchObject({ order: null, userErrors: [{ code: "INVENTORY_CLAIM_FAILED" }] });
    const fulfilled = await gql(CREATE, { order: { lineItems: lineItems(["TEE-L", 1]), fulfillment: { locationId: loc(sb, "east") } }, options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } });
    expect(fulfilled.body.data.orderCreate.order).toMatchObject({ displayFulfillmentStatus: "FULFILLED", fulfillmentOrders: { nodes: [{ status: "CLOSED" }] } });
    expect(qty(sb, "TEE-L", "east")).toMatchObject({ available: 3, committed: 0, on_hand: 5 });
    const b2b = await gql(CREATE, { order: { lineItems: lineItems(["TENT-2P", 1]), companyLocationId: "gid://shopify/CompanyLocation/1" } });
    expect(b2b.body.data.orderCreate.order.purchasingEntity).toEqual({ __typename: "PurchasingCompany", company: { name: "Acme Outfitters" }, location: { name: "Acme HQ" } });
  });

  it("fulfillmentOrderMove carries the committed stock along, and fails where the items are not stocked", async () => {
    const created = await gql(CREATE, { order: { lineItems: lineItems(["TEE-M", 1], ["CAP", 1]) }, options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } });
    const order = created.body.data.orderCreate.order;
    const foId = order.fulfillmentOrders.nodes[0].id;
    expect(order.fulfillmentOrders.nodes[0].assignedLocation.location.id).toBe(loc(sb, "west"));
    const MOVE = `mutation($id: ID!, $to: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $to) { movedFulfillmentOrder { id status assignedLocation { location { id } } } originalFulfillmentOrder { id } userErrors { field message } } }`;
    const before = { ...qty(sb, "CAP", "west") };
    const refused = await gql(MOVE, { id: foId, to: loc(sb, "east") });
    expect(refused.body.data.fulfillmentOrderMove.movedFulfillmentOrder).toBeNull();
    expect(refused.body.data.fulfillmentOrderMove.userErrors).toEqual([{ field: ["newLocationId"], message: "East DC does not stock CAP." }]);
    expect(qty(sb, "CAP", "west")).toEqual(before);
    await sb.flushWebhooks();
    app.received.length = 0;
    const moved = await gql(MOVE, { id: foId, to: loc(sb, "la") });
    expect(moved.body.data.fulfillmentOrderMove).toEqual({ movedFulfillmentOrder: { id: foId, status: "OPEN", assignedLocation: { location: { id: loc(sb, "la") } } }, originalFulfillmentOrder: { id: foId }, userErrors: [] });
    expect(qty(sb, "CAP", "west")).toMatchObject({ available: before.available + 1, committed: before.committed - 1 });
    expect(qty(sb, "CAP", "la")).toMatchObject({ available: 4, committed: 1, on_hand: 5 });
    await sb.flushWebhooks();
    expect(app.topics()).toEqual(["fulfillment_orders/moved", "inventory_levels/update", "inventory_levels/update", "inventory_levels/update", "inventory_levels/update"]);
    expect(JSON.parse(app.received[0]!.body)).toMatchObject({
      original_fulfillment_order: { id: foId, status: "open", assigned_location_id: loc(sb, "la") },
      moved_fulfillment_order: { id: foId, status: "open", assigned_location_id: loc(sb, "la") },
      destination_location_id: loc(sb, "la"),
      source_location: { id: loc(sb, "west") },
    });
  });

  it("holds and releases with explicit holdIds", async () => {
    const created = await gql(CREATE, { order: { lineItems: lineItems(["CAP", 1]) } });
    const foId = created.body.data.orderCreate.order.fulfillmentOrders.nodes[0].id;
    const HOLD = `mutation($id: ID!, $hold: FulfillmentOrderHoldInput!) { fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) { fulfillmentHold { id handle reason } fulfillmentOrder { status fulfillmentHolds { id } } userErrors { code message } } }`;
    const a = await gql(HOLD, { id: foId, hold: { reason: "INCORRECT_ADDRESS", handle: "oms-address", reasonNotes: "verify" } });
    const b = await gql(HOLD, { id: foId, hold: { reason: "OTHER", handle: "someone-else" } });
    const dup = await gql(HOLD, { id: foId, hold: { reason: "OTHER", handle: "oms-address" } });
    expect(dup.body.data.fulfillmentOrderHold.userErrors[0].code).toBe("DUPLICATE_FULFILLMENT_HOLD_HANDLE");
    const holdA = a.body.data.fulfillmentOrderHold.fulfillmentHold.id;
    expect(b.body.data.fulfillmentOrderHold.fulfillmentOrder).toEqual({ status: "ON_HOLD", fulfillmentHolds: [{ id: holdA }, { id: b.body.data.fulfillmentOrderHold.fulfillmentHold.id }] });
    const RELEASE = `mutation($id: ID!, $holdIds: [ID!]) { fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) { fulfillmentOrder { status fulfillmentHolds { handle } } userErrors { message } } }`;
    const released = await gql(RELEASE, { id: foId, holdIds: [holdA] });
    expect(released.body.data.fulfillmentOrderReleaseHold.fulfillmentOrder).toEqual({ status: "ON_HOLD", fulfillmentHolds: [{ handle: "someone-else" }] });
    const all = await gql(RELEASE, { id: foId });
    expect(all.body.data.fulfillmentOrderReleaseHold.fulfillmentOrder).toEqual({ status: "OPEN", fulfillmentHolds: [] });
    await sb.flushWebhooks();
    expect(app.topics().filter((t) => t.startsWith("fulfillment_orders/"))).toEqual(["fulfillment_orders/order_routing_complete", "fulfillment_orders/placed_on_hold", "fulfillment_orders/placed_on_hold", "fulfillment_orders/hold_released"]);
  });

  it("marks pickup orders ready and refuses shipping ones", async () => {
    const pickup = sb.generateOrder("pickup")!;
    const fo = sb.store.fulfillmentOrder(pickup.foNs[0]!)!;
    expect(fo.deliveryMethod.methodType).toBe("PICK_UP");
    expect(sb.store.location(fo.locationN)!.key).toBe("la");
    const READY = `mutation($input: FulfillmentOrderLineItemsPreparedForPickupInput!) { fulfillmentOrderLineItemsPreparedForPickup(input: $input) { userErrors { code field } } }`;
    const ok = await gql(READY, { input: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${fo.n}` }] } });
    expect(ok.body.data.fulfillmentOrderLineItemsPreparedForPickup.userErrors).toEqual([]);
    const shipping = await gql(READY, { input: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" }] } });
    expect(shipping.body.data.fulfillmentOrderLineItemsPreparedForPickup.userErrors[0].code).toBe("FULFILLMENT_ORDER_INVALID");
  });

  it("filters orders by updated_at / created_at on the injected clock", async () => {
    clock.advance(3_600_000);
    const later = sb.generateOrder("web")!;
    const pos = sb.generateOrder("pos")!;
    expect(pos.sourceName).toBe("pos");
    expect(sb.store.fulfillmentStatusOf(pos)).toBe("FULFILLED");
    const r = await gql(`{ orders(first: 10, query: "updated_at:>'2026-11-27T10:30:00Z'") { nodes { id name sourceName createdAt } } }`);
    expect(r.body.data.orders.nodes.map((o: { id: string }) => o.id)).toEqual([`gid://shopify/Order/${later.n}`, `gid://shopify/Order/${pos.n}`]);
    const older = await gql(`{ orders(first: 50, query: "created_at:<='2026-11-27T10:00:00Z'", sortKey: ID) { nodes { id } } }`);
    expect(older.body.data.orders.nodes).toHaveLength(later.n - 1);
  });

  it("retries a webhook on non-2xx with the same webhook id", async () => {
    const flaky = await receiver((n) => (n < 2 ? 500 : 200));
    const sb2 = await sandbox({ appUrl: flaky.url, webhooks: { "app/uninstalled": "/webhooks/app" }, webhookRetry: { attempts: 4, baseDelayMs: 5 } });
    const delivery = await sb2.emitWebhook("app/uninstalled", { id: 1, domain: "test-shop.myshopify.com" });
    expect(delivery.status).toBe("delivered");
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(new Set(flaky.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    const skipped = await sb2.emitWebhook("orders/paid", {});
    expect(skipped.status).toBe("skipped");
    await flaky.close();
  });
});

describe("the Shopify connector's own documents (connectors/shopify/client/documents.ts)", () => {
  const documents = Object.entries(connectorDocuments).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trimStart().startsWith("#graphql"));

  it("are all answered by the sandbox: no field it does not implement", () => {
    const schema = loadAdminSchema(schemaDir(), "2026-10");
    expect(documents.length).toBeGreaterThan(10);
    const gaps = documents.flatMap(([name, source]) => unsupportedFields(schema, parse(source)).map((e) => `${name}: ${e.message}`));
    expect(gaps).toEqual([]);
  });

  it("run without errors, reads and writes, in the order the connector uses them", async () => {
    const sb = await sandbox();
    const gql = gqlClient(sb);
    const run = async (doc: string, variables: Record<string, unknown>) => {
      const r = await gql(doc, variables);
      expect(r.body.errors, doc.slice(0, 80)).toBeUndefined();
      return r.body.data;
    };
    const D = connectorDocuments;
    const page = { first: 5, after: null, query: null };
    expect((await run(D.SHOP_INFO, {})).shop).toMatchObject({ myshopifyDomain: "test-shop.myshopify.com", plan: { shopifyPlus: false } });
    expect((await run(D.LOCATIONS, { first: 10, after: null })).locations.nodes).toHaveLength(4);
    await run(D.PRODUCTS, page);
    await run(D.PRODUCT_VARIANTS, page);
    await run(D.INVENTORY_ITEMS, page);
    await run(D.LOCATION_INVENTORY_LEVELS, { ...page, locationId: loc(sb, "west") });
    const levels = await run(D.INVENTORY_ITEM_LEVELS, { inventoryItemId: item(sb, "TEE-M"), first: 10 });
    const west = levels.inventoryItem.inventoryLevels.nodes.find((n: { location: { id: string } }) => n.location.id === loc(sb, "west"));
    const available = west.quantities.find((q: { name: string }) => q.name === "available").quantity;
    const set = await run(D.INVENTORY_SET_QUANTITIES, {
      input: { name: "available", reason: "correction", referenceDocumentUri: "gid://oms/Sync/1", quantities: [{ inventoryItemId: item(sb, "TEE-M"), locationId: loc(sb, "west"), quantity: available + 1, changeFromQuantity: available }] },
      idempotencyKey: "0b7f0a5e-5a8e-4a34-8f6e-1f3f5d0c9a01",
    });
    expect(set.inventorySetQuantities.userErrors).toEqual([]);
    const created = await run(D.ORDER_CREATE, { order: { lineItems: [{ variantId: `gid://shopify/ProductVariant/${sb.store.variantBySkuOf("TEE-M")!.n}`, quantity: 1 }], sourceName: "amazon-us", sourceIdentifier: "111-2222222-3333333", customer: { toUpsert: { email: "buyer@example.com" } }, shippingAddress: { city: "Austin", provinceCode: "TX", countryCode: "US", zip: "78701" } } });
    expect(created.orderCreate.userErrors).toEqual([]);
    const orderId = created.orderCreate.order.id;
    expect((await run(D.ORDERS, { ...page, lineItemsFirst: 5, query: "source_identifier:111-2222222-3333333" })).orders.nodes.map((o: { id: string }) => o.id)).toEqual([orderId]);
    const fos = await run(D.ORDER_FULFILLMENT_ORDERS, { orderId, first: 5, lineItemsFirst: 5 });
    const foId = fos.order.fulfillmentOrders.nodes[0].id;
    expect((await run(D.FULFILLMENT_ORDER_MOVE, { id: foId, newLocationId: loc(sb, "east"), lineItems: null })).fulfillmentOrderMove.userErrors).toEqual([]);
    const held = await run(D.FULFILLMENT_ORDER_HOLD, { id: foId, hold: { reason: "OTHER", handle: "oms-route" } });
    expect(held.fulfillmentOrderHold.userErrors).toEqual([]);
    const released = await run(D.FULFILLMENT_ORDER_RELEASE_HOLD, { id: foId, holdIds: [held.fulfillmentOrderHold.fulfillmentHold.id] });
    expect(released.fulfillmentOrderReleaseHold.fulfillmentOrder).toMatchObject({ status: "OPEN", fulfillmentHolds: [] });
    const pickup = sb.generateOrder("pickup")!;
    expect((await run(D.FULFILLMENT_ORDER_LINE_ITEMS_PREPARED_FOR_PICKUP, { input: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${pickup.foNs[0]}` }] } })).fulfillmentOrderLineItemsPreparedForPickup.userErrors).toEqual([]);
    const bulk = await run(D.BULK_OPERATION_RUN_QUERY, { query: `{ locations { nodes { id name } } }`, groupObjects: false });
    expect(bulk.bulkOperationRunQuery.userErrors).toEqual([]);
    await run(D.BULK_OPERATION, { id: bulk.bulkOperationRunQuery.bulkOperation.id });
    expect((await run(D.LATEST_BULK_QUERY, {})).bulkOperations.nodes).toHaveLength(1);
  });
});

describe("the hub's push reads (OmsInventoryItemsOnHandAt, OmsLocationOnHand)", () => {
  it("reads on_hand of just the given items at one location, 3 points an item; an item not stocked there has no level, an unknown id is a null node", async () => {
    const sb = await sandbox();
    const gql = gqlClient(sb);
    sb.resetStats();
    const r = await gql(connectorDocuments.INVENTORY_ITEMS_ON_HAND_AT, { ids: [item(sb, "TEE-M"), item(sb, "TEE-L"), item(sb, "CAP"), "gid://shopify/InventoryItem/999999"], locationId: loc(sb, "east") });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.nodes).toEqual([
      { id: item(sb, "TEE-M"), inventoryLevel: { quantities: [{ name: "on_hand", quantity: 6 }] } }, // 5 available + 1 committed
      { id: item(sb, "TEE-L"), inventoryLevel: { quantities: [{ name: "on_hand", quantity: 6 }] } }, // 4 + 1 safety stock + 1 damaged
      { id: item(sb, "CAP"), inventoryLevel: null },
      null,
    ]);
    // Requested: 4 ids × (item 1 + level 1 + one quantity 1); actual: TEE-M and TEE-L 3 each, CAP 2 (its null level still pays its point), the null node 0.
    expect(r.body.extensions.cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: 8 });
    expect(sb.stats().operations).toEqual({ OmsInventoryItemsOnHandAt: { calls: 1, pointsUsed: 8 } });
    const tooMany = await gql(connectorDocuments.INVENTORY_ITEMS_ON_HAND_AT, { ids: Array.from({ length: 251 }, () => item(sb, "TEE-M")), locationId: loc(sb, "east") });
    expect(tooMany.body.errors?.[0]?.message).toMatch(/251 is greater than the maximum allowed of 250/);
  });

  it("pages a location's on_hand with one quantity name: 250 levels a page fit under the 1 000-point cap", async () => {
    const sb = await sandbox();
    const gql = gqlClient(sb);
    sb.resetStats();
    const r = await gql(connectorDocuments.LOCATION_ON_HAND, { locationId: loc(sb, "east"), first: 250, after: null });
    expect(r.body.errors).toBeUndefined();
    const levels = r.body.data.location.inventoryLevels;
    expect(Object.fromEntries(levels.nodes.map((n: { item: { id: string }; quantities: { name: string; quantity: number }[] }) => [n.item.id, n.quantities]))).toEqual({
      [item(sb, "TEE-M")]: [{ name: "on_hand", quantity: 6 }],
      [item(sb, "TEE-S")]: [{ name: "on_hand", quantity: 3 }],
      [item(sb, "TEE-L")]: [{ name: "on_hand", quantity: 6 }],
      [item(sb, "TENT-2P")]: [{ name: "on_hand", quantity: 2 }],
    });
    expect(levels.pageInfo.hasNextPage).toBe(false);
    // location 1 + connection 2 + 250 × (level 1 + item 1 + one quantity 1); actual: 1 + 2 + 4 × 3.
    expect(r.body.extensions.cost).toMatchObject({ requestedQueryCost: 753, actualQueryCost: 15 });
    expect(sb.stats().operations).toEqual({ OmsLocationOnHand: { calls: 1, pointsUsed: 15 } });
    sb.resetStats();
    expect(sb.stats().operations).toEqual({});
  });
});

describe("order stream", () => {
  it("creates online, pickup and POS orders over time from stock on hand, sending orders/create", async () => {
    const sb = await sandbox();
    const stream = sb.startOrderStream({ everyMs: 2, channelMix: { web: 2, pickup: 1, pos: 1 }, seed: 7, maxOrders: 12 });
    while (stream.count < 12) await new Promise((r) => setTimeout(r, 5));
    stream.stop();
    const orders = sb.store.orders;
    expect(orders).toHaveLength(12);
    expect(new Set(orders.map((o) => o.sourceName))).toEqual(new Set(["web", "pos"]));
    const methods = new Set(orders.flatMap((o) => o.foNs.map((n) => sb.store.fulfillmentOrder(n)!.deliveryMethod.methodType)));
    expect(methods).toEqual(new Set(["SHIPPING", "PICK_UP", "RETAIL"]));
    for (const o of orders.filter((x) => x.shippingAddress)) expect(o.shippingAddress!.latitude).toEqual(expect.any(Number));
    // No claim left stock negative, and on_hand stays the sum of its states.
    for (const l of sb.store.allLevels()) {
      expect(l.q.on_hand).toBe(l.q.available + l.q.committed + l.q.reserved + l.q.damaged + l.q.safety_stock + l.q.quality_control);
      expect(l.q.available).toBeGreaterThanOrEqual(0);
    }
    expect(sb.webhookDeliveries().filter((d) => d.topic === "orders/create")).toHaveLength(12);
    expect(sb.stats().ordersGenerated).toBe(12);
  });
});
