import { describe, expect, it } from "vitest";
import { batches, BulkLineError, gidType, groupedObjects, readBulkRows } from "./jsonl";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* chunked(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

// Shape of Shopify's documented example (nested connection rows carry __parentId).
const SAMPLE = [
  '{"id":"gid://shopify/InventoryItem/1","sku":"TEE-S"}',
  '{"id":"gid://shopify/InventoryLevel/11?inventory_item_id=1","location":{"id":"gid://shopify/Location/1"},"quantities":[{"name":"available","quantity":4}],"__parentId":"gid://shopify/InventoryItem/1"}',
  '{"id":"gid://shopify/InventoryItem/2","sku":"Ünïcode-✓"}',
].join("\n");

describe("readBulkRows", () => {
  it("parses rows across arbitrary chunk boundaries, including multi-byte characters split between chunks", async () => {
    for (const size of [1, 3, 7, 64, 10_000]) {
      const rows = await collect(readBulkRows(chunked(SAMPLE + "\n", size)));
      expect(rows.map((r) => [r.id, r.__parentId ?? null])).toEqual([
        ["gid://shopify/InventoryItem/1", null],
        ["gid://shopify/InventoryLevel/11?inventory_item_id=1", "gid://shopify/InventoryItem/1"],
        ["gid://shopify/InventoryItem/2", null],
      ]);
      expect(rows[2]!.sku).toBe("Ünïcode-✓");
    }
  });

  it("reads a last line without a newline, and skips blank lines", async () => {
    expect((await collect(readBulkRows(chunked('{"a":1}\n\n{"a":2}', 4)))).map((r) => r.a)).toEqual([1, 2]);
  });

  it("names the line of malformed JSON", async () => {
    await expect(collect(readBulkRows(chunked('{"a":1}\n{"a":\n', 5)))).rejects.toThrow(new BulkLineError(2, "not JSON (Unexpected end of JSON input)"));
    await expect(collect(readBulkRows(chunked("[1,2]\n", 5)))).rejects.toThrow("bulk result line 1: not a JSON object");
  });

  it("streams 100 000 rows in batches of at most the batch size", async () => {
    async function* many() {
      for (let i = 0; i < 100_000; i++) yield `{"id":"gid://shopify/InventoryLevel/${i}","n":${i}}\n`;
    }
    let count = 0;
    let sum = 0;
    for await (const batch of batches(readBulkRows(many()), 1000)) {
      expect(batch.length).toBeLessThanOrEqual(1000);
      count += batch.length;
      sum += batch.reduce((s, r) => s + (r.n as number), 0);
    }
    expect(count).toBe(100_000);
    expect(sum).toBe((99_999 * 100_000) / 2);
  });
});

describe("gidType", () => {
  it("reads the type from a gid, with or without a query string", () => {
    expect(gidType("gid://shopify/InventoryLevel/11?inventory_item_id=1")).toBe("InventoryLevel");
    expect(gidType("gid://shopify/Location/3")).toBe("Location");
    expect(gidType("nope")).toBeNull();
    expect(gidType(undefined)).toBeNull();
  });
});

describe("groupedObjects (groupObjects: true)", () => {
  const ORDERS = [
    '{"id":"gid://shopify/Order/1","name":"#1001"}',
    '{"id":"gid://shopify/LineItem/11","sku":"TEE-M","__parentId":"gid://shopify/Order/1"}',
    '{"id":"gid://shopify/LineItem/12","sku":"CAP","__parentId":"gid://shopify/Order/1"}',
    '{"id":"gid://shopify/Order/2","name":"#1002"}',
    '{"id":"gid://shopify/Order/3","name":"#1003"}',
    '{"id":"gid://shopify/LineItem/31","sku":"TENT","__parentId":"gid://shopify/Order/3"}',
  ].join("\n");

  it("hands over each object with the child rows that follow it (an object without children too)", async () => {
    const objects = await collect(groupedObjects(readBulkRows(chunked(ORDERS, 5))));
    expect(objects.map((o) => [o.parent.name, o.children.map((c) => c.sku)])).toEqual([
      ["#1001", ["TEE-M", "CAP"]],
      ["#1002", []],
      ["#1003", ["TENT"]],
    ]);
  });

  it("refuses a child that does not follow its parent (an ungrouped result), naming the row", async () => {
    const ungrouped = [
      '{"id":"gid://shopify/Order/1"}',
      '{"id":"gid://shopify/Order/2"}',
      '{"id":"gid://shopify/LineItem/11","__parentId":"gid://shopify/Order/1"}',
    ].join("\n");
    await expect(collect(groupedObjects(readBulkRows(chunked(ungrouped, 64))))).rejects.toThrow(
      new BulkLineError(3, "child of gid://shopify/Order/1 does not follow its parent (the last parent was gid://shopify/Order/2); was the bulk query run with groupObjects: true?"),
    );
    await expect(collect(groupedObjects(readBulkRows(chunked('{"id":"x","__parentId":"y"}', 64))))).rejects.toThrow("bulk result line 1: child of y does not follow its parent;");
  });

  it("holds one object at a time: 100 000 orders stream through", async () => {
    async function* many() {
      for (let i = 0; i < 100_000; i++) yield `{"id":"gid://shopify/Order/${i}"}\n{"id":"gid://shopify/LineItem/${i}","q":${i % 3},"__parentId":"gid://shopify/Order/${i}"}\n`;
    }
    let orders = 0;
    let children = 0;
    let units = 0;
    for await (const o of groupedObjects(readBulkRows(many()))) {
      orders++;
      children += o.children.length;
      units += o.children[0]!.q as number;
    }
    expect([orders, children, units]).toEqual([100_000, 100_000, 99_999]);
  });
});
