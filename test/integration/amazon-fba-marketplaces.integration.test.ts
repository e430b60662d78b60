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
import { saveAmazonAccount, type AmazonAccountInput, type AmazonCredentials } from "#app/modules/amazon/index";
import { getSkuDetail, listInventory } from "#app/modules/inventory/index";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import { syncAmazonFbaInventory, type AmazonFbaDeps, type FbaSyncReport } from "#app/workflows/amazon-fba.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation, makeSku } from "#test/support/inventory";
import { memoryLogger, TEST_KEYS } from "#test/support/runtime";

/**
 * FBA stock of a seller with several marketplaces in one region, against the Amazon sandbox peer:
 * getInventorySummaries takes one marketplace per call (granularityType Marketplace,
 * granularityId = marketplaceIds = that marketplace), so each marketplace is read on its own, into
 * its own read-only location ("Amazon FBA" for the home marketplace, "Amazon FBA (Amazon.ca)" …),
 * matched through its own channel, with its own watermark.
 */
const SHOP = "amz-fba-multi.myshopify.com";
const SELLER = "A2FBAMULTI0001";
const US = "ATVPDKIKX0DER";
const CA = "A2EUQ1WTGCTBG2";
const MX = "A1AM78C64UM0Y8";
const CA_LOCATION = "Amazon FBA (Amazon.ca)";
const MX_LOCATION = "Amazon FBA (Amazon.com.mx)";
const secrets = createSecretBox(parseKeyring(TEST_KEYS));
const SKUS = ["FBA-A", "FBA-B", "FBA-C"];

describeEachDatabase("Amazon FBA inventory, several marketplaces", (tdb) => {
  let peer: AmazonSandbox;
  let clock: ReturnType<typeof fakeClock>;
  let accountId: string;
  let variants: Record<string, string>;
  /** The reads the workflow asked the client for (first page of each); the wire shape is checked by the peer, which answers 400 to anything but granularityType=Marketplace with granularityId = the single marketplaceIds value. */
  const calls: { marketplaceId: string; startDateTime: string | null }[] = [];

  const deps = (): AmazonFbaDeps => {
    const sleep = async (ms: number) => clock.advance(ms);
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep });
    const tokenCache = createMemoryAccessTokenCache();
    return {
      db: tdb().handle.db,
      secrets,
      logger: memoryLogger("warn"),
      now: () => new Date(clock.now()),
      clientFor: (c: AmazonCredentials) => {
        const client = createSpApiClient({ account: c, buckets, tokenCache, now: clock.now, sleep, random: () => 0.5, transport: { agent: sandboxAgent(peer.url) } });
        // Record each read the workflow starts, then let it through to the peer.
        const get = client.getInventorySummaries.bind(client);
        client.getInventorySummaries = async (args, nextToken) => {
          if (!nextToken) calls.push({ marketplaceId: args.marketplaceId, startDateTime: args.startDateTime ?? null });
          return get(args, nextToken);
        };
        return client;
      },
      queue: { add: async () => ({ id: randomUUID(), deduplicated: false }) },
    };
  };

  const form = (marketplaces: { marketplaceId: string; channelCode: string }[]): AmazonAccountInput => ({
    region: "na",
    sellerId: SELLER,
    lwaClientId: peer.lwa.clientId,
    lwaClientSecret: peer.lwa.clientSecret,
    refreshToken: peer.lwa.refreshToken,
    marketplaces,
    features: {},
  });
  const save = async (marketplaces: { marketplaceId: string; channelCode: string }[], id?: string) =>
    (await saveAmazonAccount({ db: tdb().handle.db, secrets, now: () => new Date(clock.now()), checkCredentials: async () => ({ ok: true }) }, SHOP, form(marketplaces), id)).id;

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    calls.length = 0;
    clock = fakeClock(Date.parse("2026-12-02T10:00:00Z"));
    peer = await startAmazonSandbox({
      sellerId: SELLER,
      marketplaces: [US, CA, MX],
      clock: clock.now,
      fbaPageSize: 2,
      seed: { listings: SKUS.map((s) => ({ sku: `S-${s}`, quantity: 0 })), fba: SKUS.map((s, i) => ({ sku: `S-${s}`, fulfillable: 10 * (i + 1) })) },
    });
    const { db } = tdb().handle;
    const w = await makeLocation(db, SHOP, "West");
    const us = await makeChannel(db, SHOP, "amazon-us", [w.id]);
    const ca = await makeChannel(db, SHOP, "amazon-ca", [w.id]);
    await makeChannel(db, SHOP, "amazon-mx", [w.id]);
    variants = {};
    for (const sku of SKUS) variants[sku] = (await makeSku(db, SHOP, sku)).id;
    // All three listed on Amazon.com; only FBA-A and FBA-B on Amazon.ca (FBA-C is not sold there).
    for (const sku of SKUS) await db.channelListing.create({ data: { id: randomUUID(), shop: SHOP, channelId: us.id, variantId: variants[sku]!, externalSku: `S-${sku}` } });
    for (const sku of SKUS.slice(0, 2)) await db.channelListing.create({ data: { id: randomUUID(), shop: SHOP, channelId: ca.id, variantId: variants[sku]!, externalSku: `S-${sku}` } });
    accountId = await save([{ marketplaceId: US, channelCode: "amazon-us" }]);
  });

  afterEach(async () => {
    await peer?.close();
  });

  const levels = async (db: Db, name: string) => {
    const loc = await db.location.findFirst({ where: { shop: SHOP, name } });
    if (!loc) return null;
    const rows = await db.inventoryLevel.findMany({ where: { shop: SHOP, locationId: loc.id } });
    return Object.fromEntries(SKUS.filter((s) => rows.some((r) => r.variantId === variants[s])).map((s) => [s, rows.find((r) => r.variantId === variants[s])!.available]));
  };

  it("reads every marketplace of the account, one marketplace per call, into a location per marketplace matched through its own channel", async () => {
    const { db } = tdb().handle;
    // The form lists marketplaces in the table's order (Amazon.ca first); the account keeps Amazon.com as its home.
    await save([{ marketplaceId: CA, channelCode: "amazon-ca" }, { marketplaceId: US, channelCode: "amazon-us" }], accountId);
    const stored = JSON.parse((await db.amazonAccount.findUniqueOrThrow({ where: { id: accountId } })).marketplaces) as { marketplaceId: string }[];
    expect(stored.map((m) => m.marketplaceId)).toEqual([US, CA]);

    // Later than the peer's seeded stock (so a read from this watermark on does not see it again).
    clock.advance(2 * 60_000);
    const r = (await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId })) as FbaSyncReport;
    expect(calls).toEqual([
      { marketplaceId: US, startDateTime: null },
      { marketplaceId: CA, startDateTime: null },
    ]);
    // Each read is 3 summaries on 2 pages; the peer checks granularityId = the single marketplaceIds value.
    expect(peer.stats().operations.getInventorySummaries).toMatchObject({ calls: 4, errors: 0 });
    expect(r.marketplaces.map((m) => [m.marketplaceId, m.location, m.full, m.read, m.changed, m.unmatched])).toEqual([
      [US, FBA_LOCATION_NAME, true, 3, 3, 0],
      [CA, CA_LOCATION, true, 3, 2, 1],
    ]);
    expect(r).toMatchObject({ full: true, pages: 4, read: 6, changed: 5, unmatched: 1 });
    expect(await levels(db, FBA_LOCATION_NAME)).toEqual({ "FBA-A": 10, "FBA-B": 20, "FBA-C": 30 });
    // FBA-C is not listed on Amazon.ca: not mirrored there.
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 10, "FBA-B": 20 });
    expect(await db.location.findFirstOrThrow({ where: { shop: SHOP, name: CA_LOCATION } })).toMatchObject({ kind: "marketplace", readOnly: true });
    expect((await db.amazonSyncState.findMany({ where: { accountId }, select: { stream: true }, orderBy: { stream: "asc" } })).map((s) => s.stream)).toEqual([`fba_inventory:${CA}`, `fba_inventory:${US}`]);

    // A marketplace added later starts with a full read; the others continue from their own watermarks.
    clock.advance(5 * 60_000);
    peer.state.catalog.setFba("S-FBA-B", { fulfillable: 7 });
    clock.advance(5 * 60_000);
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }, { marketplaceId: MX, channelCode: "amazon-mx" }], accountId);
    calls.length = 0;
    const second = (await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId })) as FbaSyncReport;
    expect(calls.map((c) => [c.marketplaceId, c.startDateTime !== null])).toEqual([
      [US, true],
      [CA, true],
      [MX, false],
    ]);
    expect(second.full).toBe(false);
    expect(second.marketplaces.map((m) => [m.marketplaceId, m.full, m.read])).toEqual([
      [US, false, 1],
      [CA, false, 1],
      [MX, true, 3],
    ]);
    expect(await levels(db, FBA_LOCATION_NAME)).toEqual({ "FBA-A": 10, "FBA-B": 7, "FBA-C": 30 });
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 10, "FBA-B": 7 });
    // No Amazon.com.mx listings in the hub: read, nothing matched, no levels.
    expect(second.marketplaces[2]).toMatchObject({ unmatched: 3, changed: 0 });
    expect(await levels(db, MX_LOCATION)).toEqual({});
  });

  it("the home marketplace continues from the account-wide watermark of before; removing it makes the new home's next read full", async () => {
    const { db } = tdb().handle;
    // Before per-marketplace reads: one "fba_inventory" watermark per account (the home marketplace's).
    await db.amazonSyncState.create({ data: { id: randomUUID(), shop: SHOP, accountId, stream: "fba_inventory", watermark: new Date(clock.now() - 60 * 60_000) } });
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(calls.map((c) => [c.marketplaceId, c.startDateTime])).toEqual([
      [US, "2026-12-02T08:59:00Z"],
      [CA, null],
    ]);

    // Amazon.com removed: Amazon.ca is the home now, mirrored at "Amazon FBA" — read in full.
    clock.advance(10 * 60_000);
    await save([{ marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    calls.length = 0;
    // Later than the peer's seeded stock (so a read from this watermark on does not see it again).
    clock.advance(2 * 60_000);
    const r = (await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId })) as FbaSyncReport;
    expect(calls).toEqual([{ marketplaceId: CA, startDateTime: null }]);
    expect(r.marketplaces).toEqual([expect.objectContaining({ marketplaceId: CA, location: FBA_LOCATION_NAME, full: true, read: 3 })]);
  });

  it("one marketplace failing does not stop the others; the job fails naming it, and the one that worked keeps its watermark", async () => {
    const { db } = tdb().handle;
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    const d = deps();
    const real = d.clientFor;
    d.clientFor = (c) => {
      const client = real(c);
      const pages = client.inventorySummariesPages.bind(client);
      client.inventorySummariesPages = async function* (args) {
        if (args.marketplaceId === US) throw new Error("Amazon.com read broke");
        yield* pages(args);
      };
      return client;
    };
    await expect(syncAmazonFbaInventory(d, { shop: SHOP, accountId })).rejects.toThrow(`FBA inventory of ${US} could not be read (Amazon.com read broke); the other marketplaces were synced`);
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 10, "FBA-B": 20 });
    const states = await db.amazonSyncState.findMany({ where: { accountId }, orderBy: { stream: "asc" } });
    expect(states.map((s) => [s.stream, s.watermark !== null, s.lastError])).toEqual([
      [`fba_inventory:${CA}`, true, null],
      [`fba_inventory:${US}`, false, "Amazon.com read broke"],
    ]);
  });

  it("the FBA locations of several marketplaces are not added into the SKU's totals, its inventory-list row or any channel's ATS; each is shown on its own", async () => {
    const { db } = tdb().handle;
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    const west = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: "West" } });
    await db.inventoryLevel.updateMany({ where: { shop: SHOP, locationId: west.id, variantId: variants["FBA-A"]! }, data: { available: 4, onHand: 4 } });
    if ((await db.inventoryLevel.count({ where: { shop: SHOP, locationId: west.id, variantId: variants["FBA-A"]! } })) === 0) {
      await db.inventoryLevel.create({ data: { id: randomUUID(), shop: SHOP, locationId: west.id, variantId: variants["FBA-A"]!, available: 4, onHand: 4 } });
    }

    const detail = await getSkuDetail(db, SHOP, "FBA-A");
    // Both FBA locations are listed (10 each: pooled North American stock may be the same units)…
    expect(detail.levels.filter((l) => l.readOnly).map((l) => [l.locationName, l.available])).toEqual([
      [FBA_LOCATION_NAME, 10],
      [CA_LOCATION, 10],
    ]);
    // …and the total is the hub's own stock: not 24.
    expect(detail.totals).toMatchObject({ available: 4, onHand: 4, sellable: 4, readOnlyLeftOut: 2 });
    const row = (await listInventory(db, SHOP, { q: "FBA-A" })).rows.find((r) => r.sku === "FBA-A")!;
    expect(row).toMatchObject({ available: 4, onHand: 4, sellable: 4 });
    // One FBA location picked in the list: that location's own figures.
    const ca = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: CA_LOCATION } });
    expect((await listInventory(db, SHOP, { q: "FBA-A", locationId: ca.id })).rows.find((r) => r.sku === "FBA-A")).toMatchObject({ available: 10 });
    // No channel sells FBA stock: ATS counts West only.
    for (const a of detail.ats) {
      expect(a.explanation.pool).toBeLessThanOrEqual(4);
      expect(a.explanation.locations.filter((l) => l.counted).map((l) => l.locationName)).not.toContain(CA_LOCATION);
    }
  });

  it("a marketplace removed: its FBA location is zeroed with ledger entries naming it; added back, its next read is full and the figures return", async () => {
    const { db } = tdb().handle;
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 10, "FBA-B": 20 });

    clock.advance(10 * 60_000);
    await save([{ marketplaceId: US, channelCode: "amazon-us" }], accountId);
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 0, "FBA-B": 0 });
    const ca = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: CA_LOCATION } });
    const cleared = await db.inventoryLedgerEntry.findMany({ where: { shop: SHOP, locationId: ca.id, reference: { contains: ":retire:" } } });
    expect(cleared.length).toBeGreaterThan(0);
    expect(cleared.every((e) => e.resulting === 0 && /Amazon FBA stock of Amazon\.ca is no longer read into Amazon FBA \(Amazon\.ca\)/.test(e.reason))).toBe(true);
    // The home location is untouched, and nothing is left to clear (the save did it).
    expect(await levels(db, FBA_LOCATION_NAME)).toEqual({ "FBA-A": 10, "FBA-B": 20, "FBA-C": 30 });
    expect((await db.amazonSyncState.findMany({ where: { accountId }, select: { stream: true } })).map((s) => s.stream)).toEqual([`fba_inventory:${US}`]);

    // Added back: read in full, and the unchanged summaries (same lastUpdatedTime as before) apply again.
    clock.advance(10 * 60_000);
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    calls.length = 0;
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(calls.map((c) => [c.marketplaceId, c.startDateTime === null])).toEqual([
      [US, false],
      [CA, true],
    ]);
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 10, "FBA-B": 20 });
  });

  it("the home marketplace removed: \"Amazon FBA\" is cleared before the new home's full read, so SKUs the new home does not report do not keep the old figures", async () => {
    const { db } = tdb().handle;
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(await levels(db, FBA_LOCATION_NAME)).toEqual({ "FBA-A": 10, "FBA-B": 20, "FBA-C": 30 });

    clock.advance(10 * 60_000);
    await save([{ marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    // Both locations cleared: "Amazon FBA" now mirrors Amazon.ca, whose own location is no longer read.
    expect(await levels(db, FBA_LOCATION_NAME)).toEqual({ "FBA-A": 0, "FBA-B": 0, "FBA-C": 0 });
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 0, "FBA-B": 0 });
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    // FBA-C is not listed on Amazon.ca: 0, not Amazon.com's stale 30.
    expect(await levels(db, FBA_LOCATION_NAME)).toEqual({ "FBA-A": 10, "FBA-B": 20, "FBA-C": 0 });
  });

  it("clearing that could not finish at the save is done by the next FBA read", async () => {
    const { db } = tdb().handle;
    await save([{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }], accountId);
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    // As if the process stopped between the save's commit and the clearing: the marker is left.
    await db.amazonSyncState.create({ data: { id: randomUUID(), shop: SHOP, accountId, stream: `fba_retire:${CA}|${CA_LOCATION}` } });
    await db.amazonAccount.update({ where: { id: accountId }, data: { marketplaces: JSON.stringify([{ marketplaceId: US, channelCode: "amazon-us" }]) } });
    clock.advance(10 * 60_000);
    await syncAmazonFbaInventory(deps(), { shop: SHOP, accountId });
    expect(await levels(db, CA_LOCATION)).toEqual({ "FBA-A": 0, "FBA-B": 0 });
    expect(await db.amazonSyncState.count({ where: { accountId, stream: { startsWith: "fba_retire:" } } })).toBe(0);
  });
});
