import { NoDeprecatedCustomRule, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { loadShopifySchema } from "#test/support/shopify-schema";
import { describeDocument } from "./admin-client";
import { connectorDocuments } from "./codegen/generate";
import * as D from "./documents";

/**
 * What test/unit/shopify-graphql-documents.test.ts checks for every document (valid against the
 * 2026-10 schema, named Oms…), plus what the connector relies on.
 */
describe("connector documents", () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = loadShopifySchema("admin_2026-10");
  });
  const docs = connectorDocuments();

  it.each(docs.map((d) => [d.name, d.source] as const))("%s uses no deprecated field, argument or enum value", (_name, source) => {
    expect(validate(schema, parse(source), [NoDeprecatedCustomRule]).map((e) => e.message)).toEqual([]);
  });

  it("reads every inventory quantity name", () => {
    for (const doc of [D.LOCATION_INVENTORY_LEVELS, D.INVENTORY_ITEM_LEVELS]) {
      const names = /quantities\(names: \[([^\]]*)\]\)/.exec(doc)?.[1]?.match(/"(\w+)"/g)?.map((n) => n.slice(1, -1));
      expect(names).toEqual([...D.INVENTORY_QUANTITY_NAMES]);
    }
  });

  it("inventorySetQuantities carries @idempotent with a variable key; orderCreate decrements stock at the routed location", () => {
    expect(describeDocument(D.INVENTORY_SET_QUANTITIES)).toEqual({ operation: "OmsInventorySetQuantities", mutation: true, idempotencyVariable: "idempotencyKey" });
    expect(D.ORDER_CREATE).toMatch(/inventoryBehaviour: DECREMENT_IGNORING_POLICY/);
    expect(describeDocument(D.ORDER_CREATE)).toEqual({ operation: "OmsOrderCreate", mutation: true, idempotencyVariable: undefined });
    expect(describeDocument(D.LOCATIONS)).toMatchObject({ operation: "OmsLocations", mutation: false });
  });

  it("holds are released by explicit ids only", () => {
    expect(D.FULFILLMENT_ORDER_RELEASE_HOLD).toMatch(/\$holdIds: \[ID!\]!/);
  });

  it("bulk queries state groupObjects", () => {
    expect(D.BULK_OPERATION_RUN_QUERY).toMatch(/\$groupObjects: Boolean!/);
  });

  it("a literal @idempotent key is refused (it would repeat for every intent), as is a document without one named operation", () => {
    expect(() => describeDocument('mutation OmsX { inventorySetQuantities(input: {name: "a", reason: "b", quantities: []}) @idempotent(key: "fixed") { userErrors { field } } }')).toThrow(/must be a variable/);
    expect(() => describeDocument("{ shop { id } }")).toThrow(/one named operation/);
  });
});
