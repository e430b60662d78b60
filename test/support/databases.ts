import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { createDb, type DbHandle, type Provider } from "#app/platform/db/client.server";
import { migrate } from "#app/platform/db/migrate.server";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Integration tests run against SQLite always and against PostgreSQL whenever DATABASE_URL is a
 * postgres:// URL (CI sets one).  Each test file gets fresh, migrated databases of its own —
 * a temp SQLite file, or a new Postgres database on the same server — so files run in parallel.
 */
export function providersUnderTest(): Provider[] {
  return /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? ["sqlite", "postgresql"] : ["sqlite"];
}

export interface TestDatabase {
  provider: Provider;
  url: string;
  /** The main client for the test. */
  handle: DbHandle;
  /** Another, independent connection (a second "worker"). */
  connect(opts?: { poolSize?: number }): DbHandle;
  drop(): Promise<void>;
}

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  const suffix = randomBytes(5).toString("hex");
  let url: string;
  let dropRaw: () => Promise<void>;
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-it-"));
    url = `file:${path.join(dir, "test.sqlite")}`;
    dropRaw = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const base = new URL(process.env.DATABASE_URL!);
    const name = `oms_it_${suffix}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(base.toString());
    u.pathname = `/${name}`;
    url = u.toString();
    dropRaw = async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  }
  await migrate(url, ROOT);
  const opened: DbHandle[] = [];
  const connect = (o: { poolSize?: number } = {}) => {
    const h = createDb(url, o);
    opened.push(h);
    return h;
  };
  const handle = connect();
  return {
    provider,
    url,
    handle,
    connect,
    async drop() {
      await Promise.all(opened.map((h) => h.close().catch(() => undefined)));
      await dropRaw();
    },
  };
}

/**
 * describe() once per database under test; the callback gets a getter for that file's database.
 * Test names carry the provider, e.g. "job runner [postgresql] › retries …".
 */
export function describeEachDatabase(name: string, body: (db: () => TestDatabase) => void) {
  for (const provider of providersUnderTest()) {
    describe(`${name} [${provider}]`, () => {
      let tdb: TestDatabase | undefined;
      beforeAll(async () => {
        tdb = await createTestDatabase(provider);
      });
      afterAll(async () => {
        await tdb?.drop();
      });
      body(() => {
        if (!tdb) throw new Error("test database not ready");
        return tdb;
      });
    });
  }
}

/** Remove every row (between tests in one file), children first. */
export async function truncateAll(h: DbHandle) {
  const db = h.db;
  for (const m of ["amazonShipmentConfirmation", "amazonFeed", "amazonListingQuantity", "amazonSyncState", "amazonAccount", "amazonNotificationDestination"] as const) {
    await (db[m] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await db.routingProfileVersion.deleteMany();
  await db.routingDecision.deleteMany();
  await db.locationDayCount.deleteMany();
  await db.orderEvent.deleteMany();
  await db.shopifyFulfillmentOrder.deleteMany();
  await db.orderLine.deleteMany();
  await db.order.deleteMany();
  for (const m of ["reservationAllocation", "reservation", "atsPublication", "channelPolicyOverride", "channelListing", "channel", "inventoryLedgerEntry", "inventoryLevel", "kitComponent", "variant", "product", "location"] as const) {
    await (db[m] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await db.job.deleteMany();
  await db.outboxMessage.deleteMany();
  await db.inboundEvent.deleteMany();
  await db.dataExport.deleteMany();
  await db.session.deleteMany();
  await db.shop.deleteMany();
}
