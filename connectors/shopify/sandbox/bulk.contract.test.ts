import http from "node:http";
import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAdminSchema } from "./schema";
import { startShopifySandbox, type ShopifySandbox } from "./server";
import type { SandboxSeed } from "./seed";
import { gqlClient, smallSeed } from "./test-fixtures";
import type { ShopifySandboxConfig } from "./types";

const started: ShopifySandbox[] = [];
async function sandbox(extra: Partial<ShopifySandboxConfig> = {}, seed: SandboxSeed = smallSeed()) {
  const dir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!dir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run the suite with ./oms test");
  const sb = await startShopifySandbox({ schemaDir: dir, shop: "test-shop.myshopify.com", seed, apiSecret: "secret", ...extra });
  started.push(sb);
  return sb;
}
// Building Shopify's schema takes seconds: once per file, outside the tests' timeouts.
beforeAll(() => {
  loadAdminSchema(process.env.OMS_SHOPIFY_SCHEMA_DIR ?? "", "2026-10");
}, 60_000);
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

const RUN = `mutation($query: String!, $group: Boolean!) { bulkOperationRunQuery(query: $query, groupObjects: $group) { bulkOperation { id status } userErrors { code field message } } }`;
const POLL = `query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url completedAt } }`;

async function runBulk(sb: ShopifySandbox, query: string, group: boolean) {
  const gql = gqlClient(sb);
  const started = await gql(RUN, { query, group });
  const { bulkOperation, userErrors } = started.body.data.bulkOperationRunQuery;
  expect(userErrors).toEqual([]);
  expect(bulkOperation.status).toBe("CREATED");
  for (;;) {
    const r = await gql(POLL, { id: bulkOperation.id });
    const op = r.body.data.bulkOperation;
    if (!["CREATED", "RUNNING"].includes(op.status)) return op;
    await new Promise((res) => setTimeout(res, 20));
  }
}

async function lines(url: string): Promise<Record<string, unknown>[]> {
  const text = await (await fetch(url)).text();
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const PRODUCTS = `{ products { edges { node { id title variants { edges { node { id sku } } } } } } }`;

describe("bulk operations", () => {
  it("writes Shopify's JSONL: one object per line, nested connection rows with __parentId after their parent", async () => {
    const sb = await sandbox();
    const op = await runBulk(sb, PRODUCTS, true);
    expect(op).toMatchObject({ status: "COMPLETED", errorCode: null, objectCount: "10", rootObjectCount: "4", url: `${sb.url}/bulk/1.jsonl` });
    const rows = await lines(op.url);
    expect(Number(op.fileSize)).toBe(Buffer.byteLength(rows.map((r) => `${JSON.stringify(r)}\n`).join("")));
    expect(rows.slice(0, 5)).toEqual([
      { id: "gid://shopify/Product/1", title: "Trail Tee" },
      { id: "gid://shopify/ProductVariant/1", sku: "TEE-S", __parentId: "gid://shopify/Product/1" },
      { id: "gid://shopify/ProductVariant/2", sku: "TEE-M", __parentId: "gid://shopify/Product/1" },
      { id: "gid://shopify/ProductVariant/3", sku: "TEE-L", __parentId: "gid://shopify/Product/1" },
      { id: "gid://shopify/Product/2", title: "Camp Cap" },
    ]);
    expect(Object.keys(rows[1]!).at(-1)).toBe("__parentId");
  });

  it("keeps nested objects inline, adds the node id a child points to, and lists children after the page without groupObjects", async () => {
    const sb = await sandbox({ bulk: { pageSize: 2 } });
    const op = await runBulk(sb, `{ inventoryItems(query: "sku:TEE*") { nodes { sku variant { title product { title } } inventoryLevels { nodes { location { id } quantities(names: ["available", "on_hand"]) { name quantity } } } } } }`, false);
    const rows = await lines(op.url);
    expect(rows.map((r) => (r.__parentId ? `  ${r.__parentId as string} @ ${(r.location as { id: string }).id}` : r.sku))).toEqual([
      "TEE-S",
      "TEE-M",
      "  gid://shopify/InventoryItem/1 @ gid://shopify/Location/1",
      "  gid://shopify/InventoryItem/1 @ gid://shopify/Location/2",
      "  gid://shopify/InventoryItem/2 @ gid://shopify/Location/1",
      "  gid://shopify/InventoryItem/2 @ gid://shopify/Location/2",
      "  gid://shopify/InventoryItem/2 @ gid://shopify/Location/3",
      "TEE-L",
      "  gid://shopify/InventoryItem/3 @ gid://shopify/Location/2",
    ]);
    expect(rows[0]).toEqual({ id: "gid://shopify/InventoryItem/1", sku: "TEE-S", variant: { title: "S", product: { title: "Trail Tee" } } });
    expect(rows[8]).toEqual({ id: "gid://shopify/InventoryLevel/2?inventory_item_id=3", location: { id: "gid://shopify/Location/2" }, quantities: [{ name: "available", quantity: 4 }, { name: "on_hand", quantity: 6 }], __parentId: "gid://shopify/InventoryItem/3" });
  });

  it("runs one query at a time per shop, validates the bulk shape, and sends bulk_operations/finish", async () => {
    const received: { topic: string; body: Record<string, unknown> }[] = [];
    const app = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ topic: String(req.headers["x-shopify-topic"]), body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
    const sb = await sandbox({ appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`, webhooks: { "bulk_operations/finish": "/webhooks/bulk" }, bulk: { startDelayMs: 50 } });
    const gql = gqlClient(sb);
    const first = await gql(RUN, { query: PRODUCTS, group: false });
    const id = first.body.data.bulkOperationRunQuery.bulkOperation.id;
    const second = await gql(RUN, { query: PRODUCTS, group: false });
    expect(second.body.data.bulkOperationRunQuery).toEqual({ bulkOperation: null, userErrors: [{ code: "OPERATION_IN_PROGRESS", field: null, message: `A bulk query operation for this app and shop is already in progress: ${id}.` }] });
    const current = await gql(`{ currentBulkOperation { id status } node(id: "${id}") { ... on BulkOperation { status } } }`);
    expect(current.body.data).toEqual({ currentBulkOperation: { id, status: "CREATED" }, node: { status: "CREATED" } });
    for (const [query, message] of [
      [`{ shop { name } }`, /exactly one top-level field \(a connection\)|connection at the top level/],
      [`{ node(id: "gid://shopify/Product/1") { id } }`, /node and nodes/],
      [`{ products { edges { node { variants { edges { node { inventoryItem { inventoryLevels { edges { node { location { inventoryLevels { edges { node { id } } } } } } } } } } } } } } }`, /nested more than 2 levels/],
      [`{ products { nodes { id app { id } } } }`, /Invalid bulk query|not supported/],
    ] as const) {
      const r = await gql(RUN, { query, group: false });
      expect(r.body.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ code: "INVALID", field: ["query"], message: expect.stringMatching(message) });
    }
    while (sb.store.bulkOperation(1)!.status !== "COMPLETED") await new Promise((r) => setTimeout(r, 20));
    await sb.flushWebhooks();
    expect(received).toEqual([{ topic: "bulk_operations/finish", body: { admin_graphql_api_id: id, completed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/), created_at: expect.any(String), error_code: null, status: "completed", type: "query" } }]);
    await new Promise<void>((r) => app.close(() => r()));
  });

  it("streams 100 000+ rows to the file and serves them", async () => {
    const locations = Array.from({ length: 20 }, (_, i) => ({ key: `l${i}`, name: `Location ${i}` }));
    const products = Array.from({ length: 1000 }, (_, p) => ({ title: `P${p}`, variants: Array.from({ length: 5 }, (_, v) => ({ sku: `P${p}-V${v}`, title: `V${v}` })) }));
    const levels = products.flatMap((p) => p.variants.flatMap((v) => locations.map((l, i) => ({ sku: v.sku, location: l.key, available: i }))));
    const sb = await sandbox({ bulk: { pageSize: 250 } }, { locations, products, levels });
    const op = await runBulk(sb, `{ inventoryItems { edges { node { id sku inventoryLevels { edges { node { id } } } } } } }`, true);
    expect(op).toMatchObject({ status: "COMPLETED", objectCount: String(5000 + 100_000), rootObjectCount: "5000" });
    let count = 0;
    let children = 0;
    let orphans = 0;
    let parent = "";
    const body = (await fetch(op.url)).body!;
    for await (const line of readline.createInterface({ input: Readable.fromWeb(body as WebReadableStream) })) {
      const row = JSON.parse(line) as { id: string; __parentId?: string };
      count++;
      if (!row.__parentId) parent = row.id;
      else if (++children && row.__parentId !== parent) orphans++;
    }
    expect({ count, children, orphans }).toEqual({ count: 105_000, children: 100_000, orphans: 0 });
  }, 90_000);
});
