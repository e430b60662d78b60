import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConnectorError } from "#connectors/core/errors";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { startShopifySandbox, type ShopifySandbox } from "../sandbox/server";
import { smallSeed } from "../sandbox/test-fixtures";
import { ASSUMED_LIMITS, createAdminClient, type CostMemory } from "./admin-client";
import * as D from "./documents";
import { createFetchTransport } from "./fetch-transport";
import { idempotencyKey, setInventoryQuantities } from "./operations";

/**
 * The client against the Shopify sandbox peer (connectors/shopify/sandbox): every document the
 * connector sends runs there, validated against the real schema and charged by its calculated cost;
 * the peer's own leaky bucket says whether the client ever overdrew it.
 */
describe("Admin client × Shopify sandbox peer", () => {
  let sandbox: ShopifySandbox;
  beforeAll(async () => {
    const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
    if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set");
    // A small bucket so that six concurrent jobs must wait for restore.
    sandbox = await startShopifySandbox({ schemaDir, shop: "peer-test.myshopify.com", seed: smallSeed(), apiSecret: "secret", bucketSize: 120, restoreRate: 400 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now: systemClock.now, sleep: systemClock.sleep });
  const learned = new Map<string, number>();
  const costs: CostMemory = { get: (op) => learned.get(op), set: (op, c) => void learned.set(op, c) };
  const client = () =>
    createAdminClient({
      shop: sandbox.shop,
      transport: createFetchTransport({ baseUrl: sandbox.url, shop: sandbox.shop, apiVersion: "2026-10", accessToken: sandbox.accessToken }),
      buckets,
      costs,
      now: systemClock.now,
      sleep: systemClock.sleep,
      random: systemClock.random,
    });

  it("concurrent jobs read the whole shop without a single THROTTLED answer", async () => {
    sandbox.resetStats();
    const job = async () => {
      const c = client();
      const locations = [];
      for await (const page of c.pages(D.LOCATIONS, { first: 2 }, (d) => d.locations)) locations.push(...page.nodes);
      let levels = 0;
      for (const loc of locations) {
        for await (const page of c.pages(D.LOCATION_INVENTORY_LEVELS, { locationId: loc.id, first: 3 }, (d) => d.location?.inventoryLevels)) levels += page.nodes.length;
      }
      const variants = [];
      for await (const page of c.pages(D.PRODUCT_VARIANTS, { first: 2 }, (d) => d.productVariants)) variants.push(...page.nodes);
      return { locations: locations.length, levels, variants: variants.length };
    };
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(job));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    // the small seed: 4 locations the app can see, 6 variants, 10 levels at them
    expect(results[0]).toEqual({ locations: 4, levels: 10, variants: 6 });
    const stats = sandbox.stats();
    expect(stats.throttled).toBe(0);
    expect(stats.invalid).toBe(0);
    expect(stats.executed).toBe(stats.requests);
  }, 60_000);

  it("compare-and-set writes: applied once per key, a stale changeFromQuantity is a CONFLICT naming the row", async () => {
    const c = client();
    const variants = await c.query(D.PRODUCT_VARIANTS, { first: 10, query: "sku:CAP" });
    const item = variants.productVariants.nodes.find((v) => v.sku === "CAP")!.inventoryItem.id;
    const before = await c.query(D.INVENTORY_ITEM_LEVELS, { inventoryItemId: item, first: 10 });
    const level = before.inventoryItem!.inventoryLevels.nodes[0]!;
    const available = level.quantities.find((q) => q.name === "available")!.quantity;
    const row = { inventoryItemId: item, locationId: level.location.id, quantity: available + 5, changeFromQuantity: available };
    const key = idempotencyKey("test-set", item, available + 5);

    const group = await setInventoryQuantities(c, { name: "available", reason: "correction", quantities: [row] }, key);
    expect(group?.changes.find((ch) => ch.name === "available")).toMatchObject({ delta: 5, quantityAfterChange: available + 5 });

    const stale = await setInventoryQuantities(c, { name: "available", reason: "correction", quantities: [{ ...row, quantity: available + 9 }] }, idempotencyKey("test-set", item, available + 9)).catch((e: unknown) => e);
    expect(isConnectorError(stale) && stale).toMatchObject({ kind: "CONFLICT", field: "input.quantities.0.changeFromQuantity" });
  }, 60_000);
});
