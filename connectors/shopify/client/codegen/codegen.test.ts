import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { connectorDocuments, GENERATED_FILE, generateAdminTypes, loadAdminSchema } from "./generate";

/** The committed types must be what codegen makes of today's documents and schema. */
describe("generated Admin GraphQL types", () => {
  it(
    "are up to date with documents.ts (run `npm run codegen:shopify` after changing a document)",
    async () => {
      const fresh = await generateAdminTypes(loadAdminSchema());
      const committed = fs.readFileSync(GENERATED_FILE, "utf8");
      // Compare line by line so a failure shows the first differing lines, not two 80 kB strings.
      expect(committed.split("\n")).toEqual(fresh.split("\n"));
    },
    60_000,
  );

  it("cover every document, each under its operation's name", () => {
    const committed = fs.readFileSync(GENERATED_FILE, "utf8");
    const docs = connectorDocuments();
    expect(docs.length).toBeGreaterThanOrEqual(18);
    for (const d of docs) {
      const [, kind, name] = /^\s*#graphql\s+(query|mutation)\s+(Oms\w+)/.exec(d.source) ?? [];
      const suffix = kind === "mutation" ? "Mutation" : "Query";
      expect(committed, `${d.name}`).toContain(`export type ${name}${suffix} = `);
      expect(committed, `${d.name}`).toContain(`export type ${name}${suffix}Variables = `);
    }
  });
});
