import { createRequire } from "node:module";
import path from "node:path";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

/**
 * Prisma with driver adapters and the JS query compiler (engineType = "client"): no Rust engine,
 * nothing downloaded.  SQLite (better-sqlite3) by default, PostgreSQL (pg) when DATABASE_URL says
 * so — one code path, chosen by configuration (ARCHITECTURE.md rule 6).
 * Why two generated clients: docs/decisions/005-sqlite-default-postgres-scaled.md
 */
export type Db = PrismaClient;
export type DbTx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export type Provider = "sqlite" | "postgresql";

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

/** "file:./data/oms.sqlite" → absolute path (relative to cwd, as Prisma does). */
export function sqliteFile(url: string): string {
  const p = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return p === ":memory:" ? p : path.resolve(p);
}

/**
 * SQLite waits this long for another *process's* write lock before SQLITE_BUSY.  better-sqlite3 is
 * synchronous, so the wait blocks this process's event loop: one process keeps one connection (the
 * adapter serialises its transactions), and concurrency across connections means across processes.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export interface DbHandle {
  db: Db;
  provider: Provider;
  url: string;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** Max pooled connections (Postgres only; SQLite uses one connection per client). */
  poolSize?: number;
}

export function createDb(url: string, opts: CreateDbOptions = {}): DbHandle {
  const provider = providerOf(url);
  let db: Db;
  if (provider === "sqlite") {
    db = new PrismaClient({
      adapter: new PrismaBetterSQLite3({ url: sqliteFile(url), timeout: SQLITE_BUSY_TIMEOUT_MS }),
    });
  } else {
    // The Postgres client is generated from prisma/postgres/schema.prisma into its own folder; its
    // API is the same as @prisma/client's (same models), only the SQL dialect differs.  Loaded with
    // require so the Vite server bundle does not try to inline it.
    const require = createRequire(import.meta.url);
    const { PrismaClient: PgClient } = require(path.resolve("node_modules/.prisma/client-postgres")) as {
      PrismaClient: typeof PrismaClient;
    };
    db = new PgClient({ adapter: new PrismaPg({ connectionString: url, max: opts.poolSize ?? 10 }) });
  }
  return { db, provider, url, close: () => db.$disconnect() };
}

/**
 * A transaction that lost to another writer and rolled back whole, so running it again is safe:
 * Postgres deadlock / serialization failure; SQLite busy after its timeout, which Prisma reports as
 * P1008 "Operation has timed out".
 */
export function isRetryableDbError(e: unknown): boolean {
  const msg = String((e as Error)?.message ?? "");
  const code = (e as { code?: string })?.code;
  return code === "P1008" || /deadlock detected|could not serialize|40P01|40001|SQLITE_BUSY|database is locked|Operation has timed out/i.test(msg);
}

/** Prisma's unique-constraint violation, whatever the adapter. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string; cause?: unknown } | undefined;
  if (!err) return false;
  if (err.code === "P2002") return true;
  const msg = String(err.message ?? "");
  return /Unique constraint failed|UNIQUE constraint failed|duplicate key value violates unique constraint/i.test(msg);
}
