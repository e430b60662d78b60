import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Prisma } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import { migrate } from "#app/platform/db/migrate.server";
import { EncryptedSessionStorage } from "#app/platform/session-storage.server";
import { PURGED_MODELS } from "#app/workflows/purge-shop.server";
import { describeEachDatabase, ROOT, truncateAll } from "#test/support/databases";
import { TEST_KEYS } from "#test/support/runtime";

describeEachDatabase("database platform", (tdb) => {
  beforeEach(async () => truncateAll(tdb().handle));

  it("re-running migrations applies nothing new", async () => {
    const r = await migrate(tdb().url, ROOT);
    expect(r.applied).toEqual([]);
    expect(r.alreadyApplied).toBeGreaterThan(0);
  });

  it("encrypts Shopify access and refresh tokens at rest and reads them back", async () => {
    const { db } = tdb().handle;
    const box = createSecretBox(parseKeyring(TEST_KEYS));
    const storage = new EncryptedSessionStorage(new PrismaSessionStorage(db), box);
    const session = new Session({
      id: "offline_a.myshopify.com",
      shop: "a.myshopify.com",
      state: "",
      isOnline: false,
      scope: "read_orders",
      accessToken: "shpat_secret_value",
      refreshToken: "shprt_refresh_value",
      refreshTokenExpires: new Date("2027-01-01T00:00:00Z"),
    });
    expect(await storage.storeSession(session)).toBe(true);
    const row = await db.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.accessToken).not.toContain("shpat_secret_value");
    expect(row.accessToken).toMatch(/^v1\.t1\./);
    expect(row.refreshToken).toMatch(/^v1\.t1\./);
    const loaded = await storage.loadSession(session.id);
    expect(loaded?.accessToken).toBe("shpat_secret_value");
    expect(loaded?.refreshToken).toBe("shprt_refresh_value");
    expect((await storage.findSessionsByShop("a.myshopify.com")).map((s) => s.accessToken)).toEqual(["shpat_secret_value"]);

    // A ciphertext moved onto another session's row does not decrypt (bound to its session id).
    await db.session.create({ data: { id: "offline_b.myshopify.com", shop: "b.myshopify.com", state: "", accessToken: row.accessToken } });
    await expect(storage.loadSession("offline_b.myshopify.com")).rejects.toThrow(/failed authentication/);
  });

  it("the shop purge covers every model that holds tenant data", () => {
    const tenantModels = Prisma.dmmf.datamodel.models.filter((m) => m.fields.some((f) => f.name === "shop" || (m.name === "Shop" && f.name === "domain"))).map((m) => m.name);
    expect([...PURGED_MODELS].sort()).toEqual(tenantModels.sort());
  });
});

// Migration history is append-only: an edited, already-applied migration stops the process.
describeEachDatabase("migration history", (tdb) => {
  let tmpRoot: string;
  beforeAll(() => {
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "oms-mig-"));
    fs.cpSync(path.join(ROOT, "prisma/migrations"), path.join(tmpRoot, "prisma/migrations"), { recursive: true });
  });
  afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

  it("refuses to run when an applied migration file was edited", async () => {
    const dir = path.join(tmpRoot, "prisma/migrations", tdb().provider);
    const first = fs.readdirSync(dir).sort()[0]!;
    fs.appendFileSync(path.join(dir, first, "migration.sql"), "\n-- edited later\n");
    await expect(migrate(tdb().url, tmpRoot)).rejects.toThrow(`migration ${first} was edited after it was applied`);
  });
});
