// Prisma CLI configuration.  `engine: "js"` makes the CLI use its bundled Wasm schema engine
// through a driver adapter instead of downloading the Rust engines (there is no network here).
// The CLI is only used for `generate`, `validate` and `migrate diff` between schema files, none of
// which touch a database, so an in-memory SQLite adapter serves both providers: the SQL dialect
// comes from the datamodel's provider.  Migrations are applied by app/platform/db/migrate.server.ts.
// Why: docs/decisions/002-offline-prisma.md
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  schema: "prisma/schema.prisma",
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaBetterSQLite3({ url: ":memory:" }),
});
