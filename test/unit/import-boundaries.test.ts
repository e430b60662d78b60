import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "#test/support/databases";

/** The house rules are enforced by eslint.config.js; prove each one bites. */
describe("import boundaries (eslint.config.js)", () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  async function messages(filePath: string, code: string) {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => m.message).join("\n");
  }

  it("pure domain code may not touch Prisma, Node I/O, env, the clock or randomness", async () => {
    const file = "app/modules/inventory/domain/ats.ts";
    expect(await messages(file, 'import { PrismaClient } from "@prisma/client";\nexport const x = PrismaClient;\n')).toContain("Pure code may not touch the database");
    expect(await messages(file, 'import fs from "node:fs";\nexport const x = fs;\n')).toContain("Pure code may not do I/O or use Node APIs");
    expect(await messages(file, "export const x = process.env.X;\n")).toContain("Pure code gets configuration passed in; it may not read process");
    expect(await messages(file, "export const x = Date.now();\n")).toContain("Pure code takes the time as an argument (no clock)");
    expect(await messages(file, "export const x = new Date();\n")).toContain("Pure code takes the time as an argument (no clock)");
    expect(await messages(file, "export const x = Math.random();\n")).toContain("Pure code takes randomness as an argument");
    expect(await messages(file, 'import { createDb } from "#app/platform/db/client.server";\nexport const x = createDb;\n')).toContain("Pure code may not touch the database");
    // …and what it may do:
    expect(await messages(file, 'import { DomainError } from "#app/platform/errors";\nexport const f = (now: Date) => new DomainError("INVALID", now.toISOString());\n')).toBe("");
  });

  it("connectors may not import app/ or Prisma", async () => {
    const file = "connectors/amazon/client.ts";
    expect(await messages(file, 'import { x } from "#app/platform/logger.server";\nexport const y = x;\n')).toContain("connectors/ may not import app/ (ARCHITECTURE.md rule 3)");
    expect(await messages(file, 'import { Prisma } from "@prisma/client";\nexport const y = Prisma;\n')).toContain("Connectors never touch the database");
  });

  it("routes may not import Prisma; nobody reaches into another module's internals", async () => {
    expect(await messages("app/routes/app.things.tsx", 'import { PrismaClient } from "@prisma/client";\nexport const y = PrismaClient;\n')).toContain("Routes are glue: call a module or workflow, never Prisma");
    expect(await messages("app/workflows/x.server.ts", 'import { findShop } from "#app/modules/shops/shops.repository.server";\nexport const y = findShop;\n')).toContain("Import a module through its index.ts (ARCHITECTURE.md rule 2)");
    expect(await messages("app/workflows/x.server.ts", "export const y = process.env.FOO;\n")).toContain("Read configuration from runtime.env (app/platform/env.server.ts)");
  });
});
