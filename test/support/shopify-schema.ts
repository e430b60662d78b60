import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/**
 * Shopify's real GraphQL schemas (introspection JSON from @shopify/dev-mcp's data files; fetched by
 * scripts/toolchain.sh into OMS_SHOPIFY_SCHEMA_DIR — docs/decisions/007-shopify-schemas-offline.md).
 */
export function loadShopifySchema(name = "admin_2026-10"): GraphQLSchema {
  const dir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!dir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run the suite with ./oms test (it fetches Shopify's schemas)");
  const file = path.join(dir, `${name}.json.gz`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run ./oms test once to fetch Shopify's schemas`);
  const json = JSON.parse(gunzipSync(fs.readFileSync(file)).toString("utf8")) as { data?: IntrospectionQuery } & IntrospectionQuery;
  return buildClientSchema(json.data ?? json);
}

export interface GraphqlDocument {
  file: string;
  line: number;
  source: string;
}

const SOURCE_FILE = /\.(ts|tsx|js|mjs)$/;

/** Every `#graphql`-tagged template literal and every .graphql file under the given roots. */
export function findGraphqlDocuments(root: string, dirs: string[]): GraphqlDocument[] {
  const docs: GraphqlDocument[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "sandbox") walk(full);
        continue;
      }
      const rel = path.relative(root, full);
      if (entry.name.endsWith(".graphql")) {
        docs.push({ file: rel, line: 1, source: fs.readFileSync(full, "utf8") });
      } else if (SOURCE_FILE.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        const text = fs.readFileSync(full, "utf8");
        for (const m of text.matchAll(/`\s*#graphql\b([\s\S]*?)`/g)) {
          docs.push({ file: rel, line: text.slice(0, m.index).split("\n").length, source: m[1]! });
        }
      }
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return docs;
}

/** Validation errors for one document ("" when valid). Interpolation is refused: documents must be static. */
export function validateDocument(schema: GraphQLSchema, doc: GraphqlDocument): string[] {
  if (doc.source.includes("${")) return [`${doc.file}:${doc.line}: interpolated GraphQL cannot be validated; use variables`];
  try {
    return validate(schema, parse(doc.source)).map((e) => `${doc.file}:${doc.line}: ${e.message}`);
  } catch (e) {
    return [`${doc.file}:${doc.line}: ${(e as Error).message}`];
  }
}
