/**
 * Shopify's real Admin GraphQL schema, from the introspection JSON shipped in @shopify/dev-mcp's
 * data files (`admin_<version>.json.gz`, fetched by scripts/toolchain.sh —
 * docs/decisions/007-shopify-schemas-offline.md).  Built once per file and cached.
 */
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const cache = new Map<string, GraphQLSchema>();

/** API versions with a schema file in `schemaDir` ("2026-10", …). */
export function availableVersions(schemaDir: string): string[] {
  if (!fs.existsSync(schemaDir)) return [];
  return fs
    .readdirSync(schemaDir)
    .map((f) => /^admin_(\d{4}-\d{2}|unstable)\.json\.gz$/.exec(f)?.[1])
    .filter((v): v is string => !!v)
    .sort();
}

export function loadAdminSchema(schemaDir: string, version: string): GraphQLSchema {
  const file = path.join(schemaDir, `admin_${version}.json.gz`);
  const hit = cache.get(file);
  if (hit) return hit;
  if (!fs.existsSync(file)) throw new Error(`Shopify sandbox: ${file} is missing (run ./oms test once to fetch Shopify's schemas)`);
  const json = JSON.parse(gunzipSync(fs.readFileSync(file)).toString("utf8")) as { data?: IntrospectionQuery } & IntrospectionQuery;
  const schema = buildClientSchema(json.data ?? json);
  cache.set(file, schema);
  return schema;
}
