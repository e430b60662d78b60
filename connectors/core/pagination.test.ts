import { describe, expect, it } from "vitest";
import { paginate, relayNextCursor, type ConnectionPage } from "./pagination";

const pages: Record<string, ConnectionPage<number>> = {
  start: { nodes: [1, 2], pageInfo: { hasNextPage: true, endCursor: "c2" } },
  c2: { nodes: [3], pageInfo: { hasNextPage: true, endCursor: "c3" } },
  c3: { nodes: [4], pageInfo: { hasNextPage: false, endCursor: "c4" } },
};

describe("paginate", () => {
  it("follows cursors to the end and reports each page's cursor for checkpoints", async () => {
    const seen: unknown[] = [];
    for await (const p of paginate(async (c) => pages[c ?? "start"]!, relayNextCursor)) seen.push([p.cursor, p.page.nodes, p.next]);
    expect(seen).toEqual([
      [null, [1, 2], "c2"],
      ["c2", [3], "c3"],
      ["c3", [4], null],
    ]);
  });

  it("resumes from a checkpoint and stops at maxPages or a cursor that does not move", async () => {
    const from = [];
    for await (const p of paginate(async (c) => pages[c ?? "start"]!, relayNextCursor, { start: "c2", maxPages: 1 })) from.push(p.page.nodes);
    expect(from).toEqual([[3]]);
    const stuck = [];
    for await (const p of paginate(async () => ({ nodes: [9], pageInfo: { hasNextPage: true, endCursor: "same" } }), relayNextCursor, { start: "same" })) stuck.push(p.page.nodes);
    expect(stuck).toEqual([[9]]);
  });
});
