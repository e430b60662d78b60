import { getVariableValues, parse, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { actualQueryCost, findOperation, requestedQueryCost } from "./cost";
import { loadAdminSchema } from "./schema";

let schema: ReturnType<typeof loadAdminSchema>;
beforeAll(() => {
  const dir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!dir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run the suite with ./oms test");
  schema = loadAdminSchema(dir, "2026-10");
}, 60_000);

function requested(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  const op = findOperation(document)!;
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  return requestedQueryCost(schema, document, op, coerced.coerced);
}

function actual(query: string, data: unknown) {
  const document = parse(query);
  return actualQueryCost(schema, document, findOperation(document)!, {}, data);
}

// Rules: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (scalar/enum 0,
// object 1, interface/union max of possible selections, connection sized by first/last,
// mutation 10) and https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity
// (a connection costs 2 plus the objects it returns).
describe("requested query cost", () => {
  it("charges 1 for an object and 0 for its scalars and enums", () => {
    expect(requested(`{ shop { id name currencyCode ianaTimezone } }`)).toBe(1);
  });

  it("charges a connection 2 plus first × the node (Shopify's 252 for first: 250)", () => {
    expect(requested(`{ products(first: 250) { nodes { id } } }`)).toBe(252);
    expect(requested(`{ products(first: 10) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`)).toBe(12);
  });

  it("multiplies nested connections", () => {
    // 2 + 10 × (1 product + 2 + 5 × 1 variant) = 82
    expect(requested(`{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }`)).toBe(82);
    // The community thread's query priced by the documented rules: 1 + 2 + 250 × (1 + 1) = 503.
    expect(requested(`query($id: ID!) { product(id: $id) { variants(first: 250) { nodes { inventoryItem { id tracked } } } } }`, { id: "gid://shopify/Product/1" })).toBe(503);
  });

  it("sizes connections from variables and `last`", () => {
    const q = `query($n: Int!) { orders(first: $n) { nodes { id lineItems(last: 3) { nodes { sku } } } } }`;
    expect(requested(q, { n: 20 })).toBe(2 + 20 * (1 + 2 + 3));
    expect(requested(q, { n: 1 })).toBe(2 + 1 * (1 + 2 + 3));
  });

  it("takes the most expensive possible type for interfaces and unions", () => {
    const q = `query($id: ID!) { node(id: $id) { id ... on Order { lineItems(first: 5) { nodes { id } } } ... on Product { title } } }`;
    expect(requested(q, { id: "gid://shopify/Order/1" })).toBe(1 + 2 + 5);
    expect(requested(`{ order(id: "gid://shopify/Order/1") { purchasingEntity { ... on Customer { id } ... on PurchasingCompany { company { id } location { id } } } } }`)).toBe(1 + 1 + 2);
  });

  it("counts fragments and honours @skip / @include", () => {
    const q = `query($full: Boolean!) { locations(first: 5) { nodes { ...L } } }
      fragment L on Location { id address { city } inventoryLevels(first: 10) @include(if: $full) { nodes { id } } }`;
    expect(requested(q, { full: false })).toBe(2 + 5 * (1 + 1));
    expect(requested(q, { full: true })).toBe(2 + 5 * (1 + 1 + 2 + 10));
  });

  it("sizes a list of objects by its list argument", () => {
    const q = `{ inventoryItem(id: "gid://shopify/InventoryItem/1") { inventoryLevels(first: 4) { nodes { quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } } }`;
    expect(requested(q)).toBe(1 + 2 + 4 * (1 + 3));
  });

  it("charges a mutation 10, its payload objects included", () => {
    const m = `mutation($input: InventorySetQuantitiesInput!) {
      inventorySetQuantities(input: $input) @idempotent(key: "k") { inventoryAdjustmentGroup { id changes { name delta } } userErrors { code field message } } }`;
    expect(requested(m, { input: { name: "available", reason: "correction", quantities: [] } })).toBe(10);
    expect(requested(`mutation { a: bulkOperationCancel(id: "gid://shopify/BulkOperation/1") { userErrors { message } } b: bulkOperationCancel(id: "gid://shopify/BulkOperation/2") { userErrors { message } } }`)).toBe(20);
  });
});

describe("actual query cost", () => {
  it("charges the rows returned instead of first", () => {
    const q = `{ products(first: 250) { nodes { id variants(first: 10) { nodes { id } } } } }`;
    const data = { products: { nodes: [{ id: "p1", variants: { nodes: [{ id: "v1" }, { id: "v2" }] } }, { id: "p2", variants: { nodes: [] } }] } };
    expect(actual(q, data)).toBe(2 + (1 + 2 + 2) + (1 + 2));
    expect(actual(q, { products: { nodes: [] } })).toBe(2);
  });

  it("still charges an object field that resolved to null, but not its children", () => {
    expect(actual(`{ product(id: "gid://shopify/Product/9") { variants(first: 250) { nodes { id } } } }`, { product: null })).toBe(1);
  });
});
