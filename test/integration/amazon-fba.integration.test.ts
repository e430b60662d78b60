import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createMemoryAccessTokenCache } from "#connectors/amazon/client/access-token";
import { spApiBucketLimits } from "#connectors/amazon/client/rate-limits";
import { sandboxAgent } from "#connectors/amazon/client/sandbox-agent";
import { createSpApiClient } from "#connectors/amazon/client/sp-api-client";
import { FBA_LOCATION_NAME } from "#connectors/amazon/mappers/index";
import { startAmazonSandbox, type AmazonSandbox } from "#connectors/amazon/sandbox/index";
import { fakeClock } from "#connectors/amazon/sandbox/test-fixtures";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { saveAmazonAccount, type AmazonCredentials } from "#app/modules/amazon/index";
import { getSkuDetail, listInventory } from "#app/modules/inventory/index";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import type { AddJobOptions } from "#app/platform/queue/types";
import { AMAZON_FBA_SYNC_JOB, syncAmazonFbaInventory, type AmazonFbaDeps } from "#app/workflows/amazon-fba.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation, makeSku, setStock } from "#test/support/inventory";
import { memoryLogger, TEST_KEYS } from "#test/support/runtime";

/**
 * FBA stock in against the Amazon sandbox peer over real HTTP through the real client:
 * getInventorySummaries pages → a read-only "Amazon FBA" location → the inventory module's level
 * updates (ledger), full first, incremental after, a second read writing nothing.
 */
const SHOP = "amz-fba.myshopify.com";
const OTHER = "amz-fba-other.myshopify.com";
const SELLER = "A2TESTSELLER01";
const US = "ATVPDKIKX0DER";
const secrets = createSecretBox(parseKeyring(TEST_KEYS));
const FBA_SKUS = ["FBA-A", "FBA-B", "FBA-C", "FBA-D", "FBA-E"];

describeEachDatabase("Amazon FBA inventory in", (tdb) => {
  let peer: AmazonSandbox;
  let clock: ReturnType<typeof fakeClock>;
  let accountId: string;
  const added: { name: string; data: unknown; opts?: AddJobOptions }[] = [];

  const deps = (): AmazonFbaDeps => {
    // getInventorySummaries is 2 requests/s with a burst of 2: waiting for a token moves the shared fake clock (the peer refills on it too).
    const sleep = async (ms: number) => clock.advance(ms);
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep });
    const tokenCache = createMemoryAccessTokenCache();
    return {
      db: tdb().handle.db,
      secrets,
      logger: memoryLogger("warn"),
      now: () => new Date(clock.now()),
      clientFor: (c: AmazonCredentials) => createSpApiClient({ account: c, buckets, tokenCache, now: clock.now, sleep, random: () => 0.5, transport: { agent: sandboxAgent(peer.url) } }),
      queue: {
        add: async (name, data, opts) => {
          added.push({ name, data, ...(opts ? { opts } : {}) });
          return { id: randomUUID(), deduplicated: false };
        },
      },
    };
  };

  async function seedShop(db: Db, shop: string) {
    const w = await makeLocation(db, shop, "West");
    const channel = await makeChannel(db, shop, "amazon-us", [w.id]);
    const ids: Record<string, string> = {};
    // FBA-E is at Amazon but not linked in the hub.
    for (const sku of FBA_SKUS.slice(0, 4)) {
      const v = await makeSku(db, shop, sku);
      ids[sku] = v.id;
      await setStock(db, shop, v.id, w.id, 3);
      await db.channelListing.create({ data: { id: randomUUID(), shop, channelId: channel.id, variantId: v.id, externalSku: `S-${sku}` } });
    }
    return ids;
  }

  let variants: Record<string, string>;

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    added.length = 0;
    clock = fakeClock(Date.parse("2026-12-02T10:00:00Z"));
    peer = await startAmazonSandbox({
      sellerId: SELLER,
      marketplaces: [US],
      clock: clock.now,
      // Two summaries per page: the read takes several pages, each with its 30-second nextToken.
      fbaPageSize: 2,
      seed: {
        listings: FBA_SKUS.map((s) => ({ sku: `S-${s}`, quantity: 0 })),
        fba: FBA_SKUS.map((s, i) => ({ sku: `S-${s}`, fulfillable: 10 * (i + 1), inboundShipped: i, reserved: 1, unfulfillable: i % 2 })),
      },
    });
    const { db } = tdb().handle;
    variants = await seedShop(db, SHOP);
    await seedShop(db, OTHER);
    accountId = (
      await saveAmazonAccount(
        { db, secrets, now: () => new Date(clock.now()), checkCredentials: async () => ({ ok: true }) },
        SHOP,
        { region: "na", sellerId: SELLER, lwaClientId: peer.lwa.clientId, lwaClientSecret: peer.lwa.clientSecret, refreshToken: peer.lwa.refreshToken, marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }], features: {} },
      )
    ).id;
  });

  afterEach(async () => {
    await peer?.close();
  });

  const fbaLevels = async (db: Db, shop: string) => {
    const loc = await db.location.findFirst({ where: { shop, name: FBA_LOCATION_NAME } });
    if (!loc) return null;
    const levels = await db.inventoryLevel.findMany({ where: { shop, locationId: loc.id } });
    return { loc, byVariant: new Map(levels.map((l) => [l.variantId, l])) };
  };

  it("mirrors the peer's FBA quantities at a read-only Amazon FBA location; a second run writes nothing; a change comes in incrementally", async () => {
    const { db } = tdb().handle;
    const first = await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(first).toMatchObject({ full: true, pages: 3, read: 5, changed: 4, unmatched: 1 });

    const got = await fbaLevels(db, SHOP);
    expect(got?.loc).toMatchObject({ kind: "marketplace", readOnly: true, name: FBA_LOCATION_NAME });
    for (const sku of FBA_SKUS.slice(0, 4)) {
      const rec = peer.state.catalog.fbaRecord(`S-${sku}`)!;
      const level = got!.byVariant.get(variants[sku]!)!;
      expect({ sku, available: level.available, committed: level.committed, incoming: level.incoming, damaged: level.damaged }).toEqual({
        sku,
        available: rec.fulfillable,
        committed: rec.pendingCustomerOrder,
        incoming: rec.inboundWorking + rec.inboundShipped + rec.inboundReceiving,
        damaged: rec.unfulfillable,
      });
      expect(level.onHand).toBe(rec.fulfillable + rec.pendingCustomerOrder + rec.fcProcessing + rec.unfulfillable + rec.researching);
    }
    const ledger = await db.inventoryLedgerEntry.count({ where: { shop: SHOP, locationId: got!.loc.id } });
    expect(ledger).toBeGreaterThan(0);
    // Visible in the inventory views: the SKU's locations include Amazon FBA.
    const detail = await getSkuDetail(db, SHOP, "FBA-A");
    expect(JSON.stringify(detail)).toContain(FBA_LOCATION_NAME);
    const atFba = await listInventory(db, SHOP, { locationId: got!.loc.id });
    expect(JSON.stringify(atFba)).toContain("FBA-A");

    clock.advance(5 * 60_000);
    const second = await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(second).toMatchObject({ full: false, changed: 0 });
    expect(await db.inventoryLedgerEntry.count({ where: { shop: SHOP, locationId: got!.loc.id } })).toBe(ledger);
    expect(await db.location.count({ where: { shop: SHOP, name: FBA_LOCATION_NAME } })).toBe(1);

    // A receipt at the fulfilment centre: only that SKU comes back, and its level moves.
    clock.advance(60_000);
    peer.state.catalog.setFba("S-FBA-B", { fulfillable: 77 });
    clock.advance(5 * 60_000);
    const third = await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(third).toMatchObject({ full: false, read: 1, changed: 1 });
    expect((await fbaLevels(db, SHOP))!.byVariant.get(variants["FBA-B"]!)!.available).toBe(77);
    expect(await db.inventoryLedgerEntry.findFirst({ where: { shop: SHOP, variantId: variants["FBA-B"]!, quantityName: "available", resulting: 77 } })).toMatchObject({ delta: 77 - 20, actor: "amazon-fba" });
  });

  it("a page token that expires mid-read restarts from startDateTime and still ends with Amazon's figures", async () => {
    const { db } = tdb().handle;
    let n = 0;
    const d = deps();
    const real = d.clientFor;
    // Let 31 s pass between pages once: Amazon's nextToken is dead by then.
    d.clientFor = (c) => {
      const client = real(c);
      const pages = client.inventorySummariesPages.bind(client);
      client.inventorySummariesPages = async function* (args) {
        for await (const p of pages(args)) {
          if (n++ === 0) clock.advance(31_000);
          yield p;
        }
      };
      return client;
    };
    const r = await syncAmazonFbaInventory(d, { shop: SHOP, accountId });
    expect(r).toMatchObject({ restarted: true, unmatched: expect.any(Number) });
    const got = await fbaLevels(db, SHOP);
    for (const sku of FBA_SKUS.slice(0, 4)) expect(got!.byVariant.get(variants[sku]!)!.available).toBe(peer.state.catalog.fbaRecord(`S-${sku}`)!.fulfillable);
  });

  it("tenant walls and switches: another shop gets nothing; fbaInventory off skips; the recurring run enqueues one job per account with it on", async () => {
    const { db } = tdb().handle;
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(await fbaLevels(db, OTHER)).toBeNull();
    expect(await db.inventoryLedgerEntry.count({ where: { shop: OTHER } })).toBe(0);
    expect(await syncAmazonFbaInventory(deps(), { shop: OTHER, accountId })).toMatchObject({ skipped: expect.stringContaining("not connected") });

    expect(await syncAmazonFbaInventory(deps(), {})).toEqual({ enqueued: 1 });
    expect(added).toEqual([expect.objectContaining({ name: AMAZON_FBA_SYNC_JOB, data: { shop: SHOP, accountId } })]);
    await db.amazonAccount.update({ where: { id: accountId }, data: { features: JSON.stringify({ fbaInventory: false }) } });
    expect(await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId })).toMatchObject({ skipped: expect.stringContaining("off") });
    expect(await syncAmazonFbaInventory(deps(), {})).toEqual({ enqueued: 0 });
  });
});
