import { beforeAll, describe, expect, it } from "vitest";
import type { GraphQLSchema } from "graphql";
import { ROOT } from "#test/support/databases";
import { findGraphqlDocuments, loadShopifySchema, validateDocument } from "#test/support/shopify-schema";

/**
 * Every GraphQL document the app or a connector sends is checked against Shopify's real Admin
 * API 2026-10 schema, so a misspelt field fails here and not in a merchant's store.
 */
describe("Admin GraphQL documents vs Shopify's 2026-10 schema", () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = loadShopifySchema("admin_2026-10");
  });

  const docs = findGraphqlDocuments(ROOT, ["app", "connectors"]);

  it("finds the documents (the scanner is not silently empty)", () => {
    expect(docs.map((d) => d.file)).toContain("app/modules/shops/shops.service.server.ts");
  });

  it.each(docs.map((d) => [`${d.file}:${d.line}`, d] as const))("%s is valid", (_name, doc) => {
    expect(validateDocument(schema, doc)).toEqual([]);
  });

  it("every operation is named with the app's prefix (readable in Shopify's API logs)", () => {
    const unnamed = docs.filter((d) => !/^\s*(query|mutation|subscription)\s+Oms[A-Z]\w*/.test(d.source));
    expect(unnamed.map((d) => `${d.file}:${d.line}`)).toEqual([]);
  });

  it("catches a misspelt field, an unknown argument and interpolation", () => {
    const at = { file: "x.ts", line: 1 };
    expect(validateDocument(schema, { ...at, source: "query OmsX { shop { nmae } }" })).toEqual([
      'x.ts:1: Cannot query field "nmae" on type "Shop". Did you mean "name"?',
    ]);
    expect(validateDocument(schema, { ...at, source: "query OmsY { locations(frist: 5) { nodes { id } } }" })[0]).toMatch(/Unknown argument "frist"/);
    expect(validateDocument(schema, { ...at, source: "query OmsZ { shop { ${field} } }" })[0]).toMatch(/interpolated GraphQL/);
  });
});
