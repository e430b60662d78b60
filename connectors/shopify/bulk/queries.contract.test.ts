import { getNamedType, isLeafType, parse, TypeInfo, validate, visit, visitWithTypeInfo, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAdminSchema } from "../sandbox/schema";
import { startShopifySandbox, type ShopifySandbox } from "../sandbox/server";
import { gqlClient, smallSeed } from "../sandbox/test-fixtures";
import { groupedObjects, readBulkRows } from "./jsonl";
import { BULK_CATALOG_QUERY, BULK_ORDERS_QUERY, bulkOrdersQuery } from "./queries";

/**
 * The import's bulk queries against Shopify's real 2026-10 schema and Shopify's bulk-query
 * restrictions (https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions:
 * at least one connection, at most five, nested at most two levels, no variables), and run by the
 * sandbox peer (which validates and executes them like Shopify would) to check the JSONL the
 * import reads.
 */
let schema: GraphQLSchema;
beforeAll(() => {
  const dir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!dir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run the suite with ./oms test");
  schema = loadAdminSchema(dir, "2026-10");
}, 60_000);

const strip = (q: string) => q.replace(/^\s*#graphql/, "");

/** Connections (fields whose type ends in Connection) and how deep they nest below the root one. */
function connectionShape(query: string) {
  const info = new TypeInfo(schema);
  let depth = -1;
  let deepest = -1;
  let count = 0;
  const stack: boolean[] = [];
  visit(
    parse(query),
    visitWithTypeInfo(info, {
      Field: {
        enter() {
          const t = info.getType();
          const isConnection = !!t && !isLeafType(getNamedType(t)) && getNamedType(t).name.endsWith("Connection");
          stack.push(isConnection);
          if (isConnection) {
            count++;
            depth++;
            deepest = Math.max(deepest, depth);
          }
        },
        leave() {
          if (stack.pop()) depth--;
        },
      },
    }),
  );
  return { count, deepest };
}

describe.each([
  ["BULK_CATALOG_QUERY", BULK_CATALOG_QUERY],
  ["BULK_ORDERS_QUERY (the template)", BULK_ORDERS_QUERY],
  ["bulkOrdersQuery(2026-10-03)", bulkOrdersQuery(new Date("2026-10-03T08:15:00Z"))],
])("%s", (_name, query) => {
  it("is valid against the real 2026-10 schema", () => {
    expect(validate(schema, parse(strip(query))).map((e) => e.message)).toEqual([]);
  });

  it("keeps within Shopify's bulk-query restrictions", () => {
    const doc = parse(strip(query));
    const op = doc.definitions[0]!;
    expect(doc.definitions).toHaveLength(1);
    expect(op.kind === "OperationDefinition" && op.operation).toBe("query");
    expect(op.kind === "OperationDefinition" && (op.variableDefinitions ?? []).length).toBe(0);
    const { count, deepest } = connectionShape(strip(query));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(5);
    expect(deepest).toBeLessThanOrEqual(2);
  });
});

describe("bulkOrdersQuery", () => {
  it("writes the window's start into the search string, quoted, and nothing else", () => {
    const q = bulkOrdersQuery(new Date("2026-10-03T08:15:00Z"));
    expect(q).toContain(`orders(query: "created_at:>='2026-10-03T08:15:00.000Z'")`);
    expect(q.replace("2026-10-03T08:15:00.000Z", "{since}")).toBe(BULK_ORDERS_QUERY);
  });

  it("refuses an invalid date instead of sending an unbounded query", () => {
    expect(() => bulkOrdersQuery(new Date("not a date"))).toThrow("since must be a valid date");
  });
});

describe("BULK_ORDERS_QUERY run by the sandbox peer", () => {
  let sb: ShopifySandbox;
  const DAY = 86_400_000;
  beforeAll(async () => {
    sb = await startShopifySandbox({ schemaDir: process.env.OMS_SHOPIFY_SCHEMA_DIR!, shop: "bulk-orders.myshopify.com", seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0, pageSize: 2 } });
    const s = sb.store;
    const line = (sku: string, quantity: number) => s.lineFromVariant(s.variantBySkuOf(sku)!, quantity);
    const address = { city: "Austin", provinceCode: "TX", countryCode: "US", zip: "78701" };
    const now = Date.now();
    for (const [days, lines] of [
      [70, [line("CAP", 1)]],
      [10, [line("TEE-M", 2), line("CAP", 1), line("TEE-S", 1)]],
      [5, [line("TENT-2P", 1)]],
      [1, [line("TEE-L", 1), line("CAP", 3)]],
    ] as const) {
      s.createOrder({ sourceName: "web", lines: [...lines], shippingAddress: address, inventoryBehaviour: "BYPASS", financialStatus: "PAID", createdAt: now - days * DAY });
    }
  }, 60_000);
  afterAll(async () => sb?.stop());

  it("returns the window's orders, each followed by its line items (groupObjects), with every field the import maps", async () => {
    const gql = gqlClient(sb);
    const since = new Date(Date.now() - 60 * DAY);
    const started = await gql(`mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id } userErrors { code message } } }`, { q: bulkOrdersQuery(since) });
    expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
    let op: { status: string; url: string | null };
    for (;;) {
      op = (await gql(`query($id: ID!) { bulkOperation(id: $id) { status url } }`, { id: started.body.data.bulkOperationRunQuery.bulkOperation.id })).body.data.bulkOperation;
      if (!["CREATED", "RUNNING"].includes(op.status)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(op.status).toBe("COMPLETED");
    const res = await fetch(op.url!);
    const objects = [];
    for await (const o of groupedObjects(readBulkRows(res.body as unknown as AsyncIterable<Uint8Array>))) objects.push(o);
    // The 70-day-old order is outside the window; the others come with all their lines.
    expect(objects.map((o) => o.children.length)).toEqual([3, 1, 2]);
    const [first] = objects;
    expect(Object.keys(first!.parent).sort()).toEqual(
      [
        "id", "name", "createdAt", "updatedAt", "cancelledAt", "closedAt", "sourceName", "sourceIdentifier", "displayFinancialStatus", "displayFulfillmentStatus", "currencyCode",
        "currentTotalPriceSet", "customer", "purchasingEntity", "retailLocation", "shippingAddress", "billingAddress", "shippingLine",
      ].sort(),
    );
    expect(first!.parent).toMatchObject({ sourceName: "web", displayFinancialStatus: "PAID", displayFulfillmentStatus: "UNFULFILLED", shippingAddress: { countryCodeV2: "US", provinceCode: "TX" } });
    expect(first!.children[0]).toMatchObject({ id: expect.stringMatching(/^gid:\/\/shopify\/LineItem\/\d+$/), sku: "TEE-M", quantity: 2, currentQuantity: 2, unfulfilledQuantity: 2, requiresShipping: true, __parentId: first!.parent.id });
  });
});
