import { randomUUID } from "node:crypto";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { ASSUMED_LIMITS, createAdminClient, type AdminClient } from "#connectors/shopify/client/admin-client";
import { createFetchTransport } from "#connectors/shopify/client/fetch-transport";
import type { Transport } from "#connectors/shopify/client/transport";
import { startShopifySandbox, type ShopifySandbox } from "#connectors/shopify/sandbox/server";
import { smallSeed } from "#connectors/shopify/sandbox/test-fixtures";
import { activateVersion, routingFixtures, saveDraft } from "#app/modules/routing/index";
import type { Db } from "#app/platform/db/client.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { importShopifyShop } from "#app/workflows/shopify-import.server";
import { truncateAll, type TestDatabase } from "#test/support/databases";
import { memoryLogger, testRuntime } from "#test/support/runtime";

/** The peer's Admin API over real HTTP: what an import test talks to. */
export function peerTransport(sandbox: ShopifySandbox, shop: string): Transport {
  return createFetchTransport({ baseUrl: sandbox.url, shop, apiVersion: "2026-10", accessToken: sandbox.accessToken });
}

/**
 * The connector's cost-aware client on the system clock with buckets of its own, over `transport`
 * (default: peerTransport; a test that counts or breaks requests wraps that one).
 */
export function peerAdminClient(sandbox: ShopifySandbox, shop: string, transport: Transport = peerTransport(sandbox, shop)): AdminClient {
  return createAdminClient({
    shop,
    transport,
    buckets: createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now: systemClock.now, sleep: systemClock.sleep }),
    now: systemClock.now,
    sleep: systemClock.sleep,
    random: systemClock.random,
  });
}

export type ImportHubChannel = "online" | "pos" | "b2b";
const CHANNEL_KINDS: Record<ImportHubChannel, string> = { online: "online_store", pos: "pos", b2b: "shopify_b2b" };

/**
 * A hub ready to take an import's orders: the West Warehouse, East DC and LA Store (the import links
 * them to the smallSeed peer's by name), the given Shopify channels selling from all three (Shopify
 * holds their stock), and routing profile v1 active (nearest first, lines may split).
 */
export async function prepareImportHub(db: Db, shop: string, channels: readonly ImportHubChannel[] = ["online", "pos", "b2b"]) {
  const loc = (id: string, name: string, lat: number, lng: number, kind = "warehouse") =>
    db.location.create({ data: { id, shop, name, kind, countryCode: "US", latitude: lat, longitude: lng, routingPriority: 1 } });
  await loc("hub-west", "West Warehouse", 34.0559, -117.5972);
  await loc("hub-east", "East DC", 40.5187, -74.3457);
  await loc("hub-la", "LA Store", 34.0812, -118.3763, "store");
  const all = JSON.stringify(["hub-west", "hub-east", "hub-la"]);
  for (const code of channels) {
    await db.channel.create({ data: { id: randomUUID(), shop, code, name: code, kind: CHANNEL_KINDS[code], eligibleLocationIds: all, hubHoldsStock: false } });
  }
  const { rule } = routingFixtures;
  await saveDraft(db, shop, { rules: [rule("nearest", { sort: [{ by: "distance" }], splitPolicy: { kind: "split_lines" } })], actor: "test" });
  await activateVersion({ db, now: () => new Date() }, shop, 1);
}

/**
 * The Shopify peer with the small seed, a runtime pointed at it, and this test database emptied and
 * filled by a real import: the starting point of the hub-owned push tests.
 */
export async function startImportedPeerShop(tdb: TestDatabase, shop: string): Promise<{ sandbox: ShopifySandbox; rt: AppRuntime & { logs: ReturnType<typeof memoryLogger> } }> {
  const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  if (!schemaDir) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
  const sandbox = await startShopifySandbox({ schemaDir, shop, seed: smallSeed(), apiSecret: "secret", bulk: { startDelayMs: 0 } });
  const rt = testRuntime(tdb.url, { SHOPIFY_ADMIN_URL: sandbox.url, SHOPIFY_ADMIN_TOKEN: sandbox.accessToken });
  await truncateAll(tdb.handle);
  await importShopifyShop({ db: rt.db, now: () => new Date(), logger: memoryLogger("warn"), pollMs: 20, client: rt.shopifyAdmin.adminClientFor(shop) }, shop);
  return { sandbox, rt };
}
