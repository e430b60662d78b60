import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { providerOf, sqliteFile, SQLITE_BUSY_TIMEOUT_MS, type Provider } from "./client.server";

/**
 * Applies prisma/migrations/<provider>/<NNNN_name>/migration.sql in order, each in its own
 * transaction, recording name + checksum in _oms_migrations.  We apply the SQL ourselves instead of
 * `prisma migrate deploy` because the CLI's Postgres path through the driver adapter is broken
 * upstream (prisma/orm#27403) — see docs/decisions/002-offline-prisma.md.  An applied migration
 * whose file changed afterwards stops the process: history is append-only.
 */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  provider: Provider;
  applied: string[];
  alreadyApplied: number;
}

export function migrationsDir(root: string, provider: Provider): string {
  return path.join(root, "prisma", "migrations", provider);
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkHistory(files: MigrationFile[], applied: Map<string, string>) {
  for (const [name, checksum] of applied) {
    const file = files.find((f) => f.name === name);
    if (!file) throw new Error(`migration ${name} is recorded in the database but missing from prisma/migrations`);
    if (file.checksum !== checksum) {
      throw new Error(`migration ${name} was edited after it was applied (checksum mismatch); add a new migration instead`);
    }
  }
}

const LEDGER = `CREATE TABLE IF NOT EXISTS "_oms_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`;

export async function migrate(url: string, root: string): Promise<MigrateResult> {
  const provider = providerOf(url);
  const files = readMigrations(migrationsDir(root, provider));
  return provider === "sqlite" ? migrateSqlite(url, files) : migratePostgres(url, files);
}

function migrateSqlite(url: string, files: MigrationFile[]): MigrateResult {
  const file = sqliteFile(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    // WAL lets readers proceed while one writer commits; it persists in the file.
    db.pragma("journal_mode = WAL");
    db.exec(LEDGER);
    const applied: string[] = [];
    // BEGIN IMMEDIATE takes the write lock up front, so two processes migrating at once serialise.
    const run = db.transaction(() => {
      const done = new Map(
        (db.prepare(`SELECT name, checksum FROM "_oms_migrations"`).all() as { name: string; checksum: string }[]).map(
          (r) => [r.name, r.checksum],
        ),
      );
      checkHistory(files, done);
      for (const f of files) {
        if (done.has(f.name)) continue;
        db.exec(f.sql);
        db.prepare(`INSERT INTO "_oms_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)`).run(
          f.name,
          f.checksum,
          new Date().toISOString(),
        );
        applied.push(f.name);
      }
      return done.size;
    });
    const already = run.immediate();
    return { provider: "sqlite", applied, alreadyApplied: already };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, files: MigrationFile[]): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time across processes (any fixed 64-bit key works).
    await client.query("SELECT pg_advisory_lock(727274)");
    await client.query(LEDGER);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_oms_migrations"`);
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    checkHistory(files, done);
    const applied: string[] = [];
    for (const f of files) {
      if (done.has(f.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(f.sql);
        await client.query(`INSERT INTO "_oms_migrations" (name, checksum, "appliedAt") VALUES ($1, $2, $3)`, [
          f.name,
          f.checksum,
          new Date().toISOString(),
        ]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${f.name} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(f.name);
    }
    return { provider: "postgresql", applied, alreadyApplied: done.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock(727274)").catch(() => undefined);
    await client.end();
  }
}
