import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createMemoryAccessTokenCache } from "#connectors/amazon/client/access-token";
import { spApiBucketLimits } from "#connectors/amazon/client/rate-limits";
import { sandboxAgent } from "#connectors/amazon/client/sandbox-agent";
import { createSpApiClient } from "#connectors/amazon/client/sp-api-client";
import { startAmazonSandbox, UNKNOWN_SKU_CODE, type AmazonSandbox, type AmazonSandboxConfig } from "#connectors/amazon/sandbox/index";
import { fakeClock } from "#connectors/amazon/sandbox/test-fixtures";
import { ConnectorError } from "#connectors/core/errors";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import {
  AMAZON_POLL_FEED_JOB,
  AMAZON_PUSH_JOB,
  amazonAtsPublisher,
  amazonListingsOverview,
  FATAL_RETRY_DELAY_MS,
  saveAmazonAccount,
  startFeed,
  type AmazonCredentials,
} from "#app/modules/amazon/index";
import { publishAts } from "#app/modules/inventory/index";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import type { Db } from "#app/platform/db/client.server";
import { PATCH_BURST_MAX, pollAmazonFeed, pushAmazonQuantities, type AmazonQuantitiesDeps } from "#app/workflows/amazon-quantities.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation, makeSku, setStock } from "#test/support/inventory";
import { memoryLogger, TEST_KEYS } from "#test/support/runtime";

/**
 * Quantities out to Amazon against the Amazon sandbox peer over real HTTP through the real client:
 * ATS → publisher → AmazonListingQuantity → push (patchListingsItem for small bursts,
 * JSON_LISTINGS_FEED above PATCH_BURST_MAX) → feed polled → processing report mapped to SKUs.
 */
const SHOP = "amz-qty.myshopify.com";
const OTHER = "amz-qty-other.myshopify.com";
const SELLER = "A2TESTSELLER01";
const US = "ATVPDKIKX0DER";
const secrets = createSecretBox(parseKeyring(TEST_KEYS));
const BIG = 500;
const bigSku = (i: number) => `BULK-${String(i).padStart(4, "0")}`;

describeEachDatabase("Amazon quantities out", (tdb) => {
  let peer: AmazonSandbox;
  let clock: ReturnType<typeof fakeClock>;
  let accountId: string;
  let channelId: string;
  let otherChannelId: string;
  let west: string;

  const deps = (p = peer): AmazonQuantitiesDeps => {
    // One bucket store and token cache per test, as the runtime keeps one per process.
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep: async () => {} });
    const tokenCache = createMemoryAccessTokenCache();
    return {
      db: tdb().handle.db,
      secrets,
      logger: memoryLogger("warn"),
      now: () => new Date(clock.now()),
      pollDelayMs: 1_000,
      clientFor: (c: AmazonCredentials) => createSpApiClient({ account: c, buckets, tokenCache, now: clock.now, sleep: async () => {}, random: () => 0.5, transport: { agent: sandboxAgent(p.url) } }),
    };
  };
  const publisher = () => amazonAtsPublisher({ db: tdb().handle.db, now: () => new Date(clock.now()) });

  async function startPeer(over: Partial<AmazonSandboxConfig> = {}) {
    return startAmazonSandbox({
      sellerId: SELLER,
      marketplaces: [US],
      clock: clock.now,
      timings: { feedQueueMs: 10, feedProcessMs: 10 },
      seed: {
        listings: [
          { sku: "AMZ-TEE", quantity: 1 },
          { sku: "AMZ-CAP", quantity: 1 },
          { sku: "AMZ-TENT", quantity: 1 },
          ...Array.from({ length: BIG }, (_, i) => ({ sku: bigSku(i), quantity: 0 })),
        ],
      },
      ...over,
    });
  }

  /** A shop with one warehouse, an Amazon channel, TEE/CAP/TENT/GHOST listed (GHOST is not on Amazon), and BIG bulk SKUs. */
  async function seedShop(db: Db, shop: string) {
    const w = await makeLocation(db, shop, "West");
    const channel = await makeChannel(db, shop, "amazon-us", [w.id], { hubHoldsStock: true });
    for (const sku of ["TEE", "CAP", "TENT", "GHOST"]) {
      const v = await makeSku(db, shop, sku);
      await setStock(db, shop, v.id, w.id, 10);
      await db.channelListing.create({ data: { id: randomUUID(), shop, channelId: channel.id, variantId: v.id, externalSku: `AMZ-${sku}` } });
    }
    await makeSku(db, shop, "NOLISTING");
    const productId = randomUUID();
    await db.product.create({ data: { id: productId, shop, title: "Bulk" } });
    const variants = Array.from({ length: BIG }, (_, i) => ({ id: randomUUID(), shop, productId, sku: `B${i}`, title: `B${i}` }));
    await db.variant.createMany({ data: variants });
    await db.channelListing.createMany({ data: variants.map((v, i) => ({ id: randomUUID(), shop, channelId: channel.id, variantId: v.id, externalSku: bigSku(i) })) });
    return { channelId: channel.id, west: w.id };
  }

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    clock = fakeClock(Date.parse("2026-12-02T10:00:00Z"));
    peer = await startPeer();
    const { db } = tdb().handle;
    const seeded = await seedShop(db, SHOP);
    channelId = seeded.channelId;
    west = seeded.west;
    otherChannelId = (await seedShop(db, OTHER)).channelId;
    const account = await saveAmazonAccount(
      { db, secrets, now: () => new Date(clock.now()), checkCredentials: async () => ({ ok: true }) },
      SHOP,
      { region: "na", sellerId: SELLER, lwaClientId: peer.lwa.clientId, lwaClientSecret: peer.lwa.clientSecret, refreshToken: peer.lwa.refreshToken, marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }], features: {} },
    );
    accountId = account.id;
  });

  afterEach(async () => {
    await peer?.close();
  });

  const calls = (p: AmazonSandbox, op: string) => p.stats().operations[op]?.calls ?? 0;
  const publishBulk = async (n: number, quantityOf: (i: number) => number) => {
    const pub = publisher();
    for (let i = 0; i < n; i++) await pub.publish({ shop: SHOP, channelId, sku: `B${i}`, quantity: quantityOf(i), action: "set" });
  };
  const row = (sellerSku: string) => tdb().handle.db.amazonListingQuantity.findFirstOrThrow({ where: { shop: SHOP, sellerSku } });

  it("three ATS changes → one push job for the window → three patches; the peer holds the values", async () => {
    const { db } = tdb().handle;
    const pub = publisher();
    // Through the inventory module's real ATS job: stock 10 at West, no buffer → ATS 10; TEE then 7.
    const variants = await db.variant.findMany({ where: { shop: SHOP, sku: { in: ["TEE", "CAP", "TENT"] } } });
    for (const v of variants) await publishAts({ db, logger: memoryLogger("warn"), now: () => new Date(clock.now()), publisherFor: (k) => (k === "amazon" ? pub : undefined) }, { channelId, variantId: v.id });
    await setStock(db, SHOP, variants.find((v) => v.sku === "TEE")!.id, west, 7);
    await publishAts({ db, logger: memoryLogger("warn"), now: () => new Date(clock.now()), publisherFor: (k) => (k === "amazon" ? pub : undefined) }, { channelId, variantId: variants.find((v) => v.sku === "TEE")!.id });

    const msgs = await db.outboxMessage.findMany({ where: { shop: SHOP, topic: AMAZON_PUSH_JOB } });
    expect(msgs.length).toBe(4);
    // One job for the whole window: every message carries the same dedupe key.
    expect(new Set(msgs.map((m) => m.jobDedupeKey)).size).toBe(1);
    expect((await row("AMZ-TEE")).desired).toBe(7);

    const report = await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    expect(report).toMatchObject({ path: "patch", pending: 3, accepted: 3, rejected: 0 });
    expect(calls(peer, "patchListingsItem")).toBe(3);
    expect(peer.state.catalog.mfnQuantity("AMZ-TEE")).toBe(7);
    expect(peer.state.catalog.mfnQuantity("AMZ-CAP")).toBe(10);
    expect(peer.state.catalog.mfnQuantity("AMZ-TENT")).toBe(10);
    expect(await row("AMZ-TEE")).toMatchObject({ status: "accepted", desired: 7, sent: 7, accepted: 7, feedId: null });
  });

  it("the same value twice sends nothing the second time; a value back to what Amazon holds sends nothing either", async () => {
    const pub = publisher();
    expect(await pub.publishWithOutcome({ shop: SHOP, channelId, sku: "TEE", quantity: 4, action: "set" })).toEqual({ status: "queued", targets: 1 });
    await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    expect(calls(peer, "patchListingsItem")).toBe(1);
    const outboxBefore = await tdb().handle.db.outboxMessage.count({ where: { topic: AMAZON_PUSH_JOB } });

    expect(await pub.publishWithOutcome({ shop: SHOP, channelId, sku: "TEE", quantity: 4, action: "set" })).toEqual({ status: "unchanged" });
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ pending: 0, path: "none" });
    // 4 → 6 → 4 before any push: Amazon already holds 4, so the row settles without a call.
    await pub.publish({ shop: SHOP, channelId, sku: "TEE", quantity: 6, action: "set" });
    await pub.publish({ shop: SHOP, channelId, sku: "TEE", quantity: 4, action: "set" });
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ pending: 0 });
    expect(calls(peer, "patchListingsItem")).toBe(1);
    expect(await row("AMZ-TEE")).toMatchObject({ status: "accepted", desired: 4, accepted: 4 });
    expect(await tdb().handle.db.outboxMessage.count({ where: { topic: AMAZON_PUSH_JOB } })).toBe(outboxBefore + 1);
    // A delist is quantity 0 on Amazon.
    await pub.publish({ shop: SHOP, channelId, sku: "CAP", quantity: null, action: "delist" });
    await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    expect(peer.state.catalog.mfnQuantity("AMZ-CAP")).toBe(0);
  });

  it("a value that changes while its patch is on the wire stays pending and goes next; nothing is lost", async () => {
    const pub = publisher();
    await pub.publish({ shop: SHOP, channelId, sku: "TEE", quantity: 4, action: "set" });
    const d = deps();
    const real = d.clientFor;
    d.clientFor = (c) => {
      const client = real(c);
      const patch = client.patchListingsItem.bind(client);
      client.patchListingsItem = async (sku, body, o) => {
        const res = await patch(sku, body, o);
        // The ATS moved again after Amazon accepted 4 but before the hub recorded it.
        await pub.publish({ shop: SHOP, channelId, sku: "TEE", quantity: 8, action: "set" });
        return res;
      };
      return client;
    };
    expect(await pushAmazonQuantities(d, { shop: SHOP, accountId })).toMatchObject({ accepted: 1 });
    expect(await row("AMZ-TEE")).toMatchObject({ desired: 8, sent: 4, accepted: 4, status: "pending" });
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ accepted: 1, pending: 1 });
    expect(await row("AMZ-TEE")).toMatchObject({ desired: 8, accepted: 8, status: "accepted" });
    expect(peer.state.catalog.mfnQuantity("AMZ-TEE")).toBe(8);
  });

  it("a 429 storm on patchListingsItem (Amazon's bucket far smaller than documented): every SKU still ends accepted", async () => {
    await peer.close();
    peer = await startPeer({ limits: { patchListingsItem: { rate: 1, burst: 1 } } });
    const d = deps();
    // Waiting moves the shared fake clock, so Amazon's bucket refills while the client backs off.
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep: async (ms) => clock.advance(ms) });
    const tokenCache = createMemoryAccessTokenCache();
    d.clientFor = (c) => createSpApiClient({ account: c, buckets, tokenCache, now: clock.now, sleep: async (ms) => clock.advance(ms), random: () => 0.5, transport: { agent: sandboxAgent(peer.url) } });
    const pub = publisher();
    for (const [i, sku] of ["TEE", "CAP", "TENT"].entries()) await pub.publish({ shop: SHOP, channelId, sku, quantity: 20 + i, action: "set" });
    expect(await pushAmazonQuantities(d, { shop: SHOP, accountId })).toMatchObject({ path: "patch", accepted: 3, retry: 0 });
    expect(peer.stats().operations.patchListingsItem!.throttled).toBeGreaterThan(0);
    expect([peer.state.catalog.mfnQuantity("AMZ-TEE"), peer.state.catalog.mfnQuantity("AMZ-CAP"), peer.state.catalog.mfnQuantity("AMZ-TENT")]).toEqual([20, 21, 22]);
  });

  it("a seller SKU Amazon does not list is rejected with Amazon's issue, shown in the overview", async () => {
    const pub = publisher();
    await pub.publish({ shop: SHOP, channelId, sku: "GHOST", quantity: 3, action: "set" });
    await pub.publish({ shop: SHOP, channelId, sku: "CAP", quantity: 3, action: "set" });
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ path: "patch", accepted: 1, rejected: 1 });
    const ghost = await row("AMZ-GHOST");
    expect(ghost).toMatchObject({ status: "rejected", desired: 3, sent: 3, accepted: null });
    expect(JSON.parse(ghost.issues)).toEqual([expect.objectContaining({ code: UNKNOWN_SKU_CODE, severity: "ERROR" })]);
    // Rejected: not sent again for the same value.
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ pending: 0 });
    const overview = await amazonListingsOverview(tdb().handle.db, SHOP, accountId);
    expect(overview.counts).toMatchObject({ accepted: 1, rejected: 1 });
    expect(overview.rejected).toEqual([expect.objectContaining({ sellerSku: "AMZ-GHOST", desired: 3, issues: [expect.objectContaining({ code: UNKNOWN_SKU_CODE })] })]);
  });

  it("a SKU without a listing and a channel without an account get a status, not an error and not a push", async () => {
    const pub = publisher();
    expect(await pub.publishWithOutcome({ shop: SHOP, channelId, sku: "NOLISTING", quantity: 5, action: "set" })).toMatchObject({ status: "unlisted", message: expect.stringContaining("no active listing") });
    expect(await row("NOLISTING")).toMatchObject({ status: "unlisted", desired: 5 });
    const noAccount = await makeChannel(tdb().handle.db, SHOP, "amazon-uk", []);
    expect(await pub.publishWithOutcome({ shop: SHOP, channelId: noAccount.id, sku: "TEE", quantity: 5, action: "set" })).toMatchObject({ status: "no_account", message: expect.stringContaining("amazon-uk") });
    expect(await tdb().handle.db.outboxMessage.count({ where: { topic: AMAZON_PUSH_JOB } })).toBe(0);
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ pending: 0 });
    expect((await amazonListingsOverview(tdb().handle.db, SHOP, accountId)).counts.unlisted).toBe(1);
    // Once listed (under another seller SKU) the unlisted row gives way to the listing's.
    const { db } = tdb().handle;
    const v = await db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "NOLISTING" } });
    await db.channelListing.create({ data: { id: randomUUID(), shop: SHOP, channelId, variantId: v.id, externalSku: "AMZ-TENT-2" } });
    expect(await pub.publishWithOutcome({ shop: SHOP, channelId, sku: "NOLISTING", quantity: 5, action: "set" })).toEqual({ status: "queued", targets: 1 });
    expect(await db.amazonListingQuantity.findMany({ where: { shop: SHOP, variantId: v.id }, select: { sellerSku: true, status: true } })).toEqual([{ sellerSku: "AMZ-TENT-2", status: "pending" }]);
  });

  it(`${BIG} SKUs → one JSON_LISTINGS_FEED; the processing report marks them accepted (and the unknown one rejected)`, async () => {
    const { db } = tdb().handle;
    await publishBulk(BIG, (i) => (i % 50) + 1);
    await publisher().publish({ shop: SHOP, channelId, sku: "GHOST", quantity: 2, action: "set" });
    const push = await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    expect(push).toMatchObject({ path: "feed", pending: BIG + 1 });
    expect(BIG + 1).toBeGreaterThan(PATCH_BURST_MAX);
    if (!("feeds" in push)) throw new Error("expected a push report");
    expect(push.feeds).toHaveLength(1);
    expect(calls(peer, "patchListingsItem")).toBe(0);
    expect(calls(peer, "createFeed")).toBe(1);
    expect(await db.amazonListingQuantity.count({ where: { shop: SHOP, status: "sending", feedId: push.feeds[0] } })).toBe(BIG + 1);
    // The first poll is queued through the outbox.
    expect(await db.outboxMessage.findFirst({ where: { topic: AMAZON_POLL_FEED_JOB } })).toMatchObject({ jobDedupeKey: `amazon-poll:${push.feeds[0]}:1` });

    // Amazon unreachable at the first poll: the poll is queued again (the feed's SKUs are not stranded).
    const flaky = deps();
    const realClient = flaky.clientFor;
    flaky.clientFor = (c) => {
      const client = realClient(c);
      client.feedOutcome = async () => {
        throw new ConnectorError("UNAVAILABLE", "getFeed: 503 Service Unavailable", { connector: "amazon", code: "TRANSIENT" });
      };
      return client;
    };
    expect(await pollAmazonFeed(flaky, { shop: SHOP, accountId, feedId: push.feeds[0]!, poll: 1 })).toMatchObject({ status: "submitted" });
    expect(await db.outboxMessage.count({ where: { topic: AMAZON_POLL_FEED_JOB, jobDedupeKey: `amazon-poll:${push.feeds[0]}:2` } })).toBe(1);

    await peer.settleFeeds();
    const poll = await pollAmazonFeed(deps(), { shop: SHOP, accountId, feedId: push.feeds[0]!, poll: 2 });
    expect(poll).toMatchObject({ status: "DONE", accepted: BIG, rejected: 1, repending: 0 });
    expect(peer.state.catalog.mfnQuantity(bigSku(0))).toBe(1);
    expect(peer.state.catalog.mfnQuantity(bigSku(BIG - 1))).toBe(((BIG - 1) % 50) + 1);
    expect(await db.amazonListingQuantity.count({ where: { shop: SHOP, status: "accepted" } })).toBe(BIG);
    const ghost = await row("AMZ-GHOST");
    expect(ghost.status).toBe("rejected");
    expect(JSON.parse(ghost.issues)[0]).toMatchObject({ code: UNKNOWN_SKU_CODE });
    const overview = await amazonListingsOverview(db, SHOP, accountId);
    expect(overview.feeds).toEqual([expect.objectContaining({ status: "DONE", messageCount: BIG + 1, accepted: BIG, invalid: 1 })]);
    // A second delivery of the poll changes nothing.
    expect(await pollAmazonFeed(deps(), { shop: SHOP, accountId, feedId: push.feeds[0]!, poll: 3 })).toMatchObject({ skipped: expect.stringContaining("already ended DONE") });
  });

  it("a value changed while its feed is at Amazon stays pending, is not sent alongside, and goes in the next push", async () => {
    const { db } = tdb().handle;
    await publishBulk(BIG, () => 5);
    const push = await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    if (!("feeds" in push)) throw new Error("expected a push report");
    await publisher().publish({ shop: SHOP, channelId, sku: "B7", quantity: 9, action: "set" });
    expect(await row(bigSku(7))).toMatchObject({ desired: 9, status: "pending", feedId: push.feeds[0] });
    // Its feed is still out: the next push must not send 9 in parallel (two feeds may apply in either order).
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ pending: 0 });

    await peer.settleFeeds();
    expect(await pollAmazonFeed(deps(), { shop: SHOP, accountId, feedId: push.feeds[0]!, poll: 1 })).toMatchObject({ status: "DONE", accepted: BIG, repending: 1 });
    expect(await row(bigSku(7))).toMatchObject({ desired: 9, sent: 5, accepted: 5, status: "pending", feedId: null });
    expect(peer.state.catalog.mfnQuantity(bigSku(7))).toBe(5);
    // The poll scheduled the push that carries it.
    expect(await db.outboxMessage.count({ where: { topic: AMAZON_PUSH_JOB, payload: { contains: accountId } } })).toBeGreaterThan(BIG);
    expect(await pushAmazonQuantities(deps(), { shop: SHOP, accountId })).toMatchObject({ path: "patch", pending: 1, accepted: 1 });
    expect(peer.state.catalog.mfnQuantity(bigSku(7))).toBe(9);
    expect(await row(bigSku(7))).toMatchObject({ status: "accepted", accepted: 9 });
  });

  it("a push that dies mid-feed (rows marked, Amazon's answer never recorded) does not strand its SKUs, nor does a lost poll chain: the next push recovers both", async () => {
    const { db } = tdb().handle;
    await publishBulk(BIG, () => 6);
    // What a push killed between marking its rows and recording Amazon's answer leaves behind.
    const rows = await db.amazonListingQuantity.findMany({ where: { shop: SHOP, status: "pending" } });
    await startFeed(db, { shop: SHOP, accountId, marketplaceId: US, rows: rows.map((r) => ({ id: r.id, sent: r.desired })), now: new Date(clock.now()) });
    expect(await db.amazonFeed.findMany({ where: { shop: SHOP }, select: { status: true } })).toEqual([{ status: "building" }]);
    expect(await db.amazonListingQuantity.count({ where: { shop: SHOP, status: "sending" } })).toBe(BIG);

    const push = await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    expect(push).toMatchObject({ path: "feed", pending: BIG });
    const feeds = await db.amazonFeed.findMany({ where: { shop: SHOP }, orderBy: { createdAt: "asc" } });
    expect(feeds.map((f) => f.status).sort()).toEqual(["failed", "submitted"]);
    expect(feeds.find((f) => f.status === "failed")!.error).toMatch(/stopped before Amazon's answer/);
    if (!("feeds" in push)) throw new Error("expected a push report");
    // Its poll chain is lost too (the poll job failed for good): the next push, half an hour on, revives it.
    await db.outboxMessage.deleteMany({ where: { topic: AMAZON_POLL_FEED_JOB } });
    clock.advance(31 * 60_000);
    await publisher().publish({ shop: SHOP, channelId, sku: "TEE", quantity: 2, action: "set" });
    await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    const revived = await db.outboxMessage.findMany({ where: { topic: AMAZON_POLL_FEED_JOB } });
    expect(revived.map((m) => (JSON.parse(m.payload) as { feedId: string }).feedId)).toEqual([push.feeds[0]]);
    await peer.settleFeeds();
    expect(await pollAmazonFeed(deps(), { shop: SHOP, accountId, feedId: push.feeds[0]! })).toMatchObject({ status: "DONE", accepted: BIG });
    expect(peer.state.catalog.mfnQuantity(bigSku(3))).toBe(6);
  });

  it("a FATAL feed: its SKUs are pending again, the error is on the feed, the retry push is delayed", async () => {
    await peer.close();
    // Amazon lowering the per-feed message limit below what we send ends the feed FATAL.
    peer = await startPeer({ maxFeedMessages: 100 });
    const { db } = tdb().handle;
    await publishBulk(BIG, () => 3);
    const before = await db.outboxMessage.count({ where: { topic: AMAZON_PUSH_JOB } });
    const push = await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    if (!("feeds" in push)) throw new Error("expected a push report");
    await peer.settleFeeds();
    expect(await pollAmazonFeed(deps(), { shop: SHOP, accountId, feedId: push.feeds[0]!, poll: 1 })).toMatchObject({ status: "FATAL", repending: BIG });
    const feed = await db.amazonFeed.findUniqueOrThrow({ where: { id: push.feeds[0] } });
    expect(feed).toMatchObject({ status: "FATAL", accepted: 0, invalid: BIG });
    expect(feed.error).toMatch(/at most 100/);
    expect(await db.amazonListingQuantity.count({ where: { shop: SHOP, status: "pending", feedId: null } })).toBe(BIG);
    expect(peer.state.catalog.mfnQuantity(bigSku(0))).toBe(0);
    const retry = await db.outboxMessage.findMany({ where: { topic: AMAZON_PUSH_JOB }, orderBy: { availableAt: "desc" }, take: 1 });
    expect(await db.outboxMessage.count({ where: { topic: AMAZON_PUSH_JOB } })).toBe(before + 1);
    expect(retry[0]!.availableAt.getTime()).toBeGreaterThanOrEqual(clock.now() + FATAL_RETRY_DELAY_MS);
    expect((await amazonListingsOverview(db, SHOP, accountId)).feeds[0]).toMatchObject({ status: "FATAL", error: expect.stringMatching(/at most 100/) });
  });

  it("tenant walls: another shop's channel, account and feeds are out of reach", async () => {
    const { db } = tdb().handle;
    const pub = publisher();
    // SHOP's publisher asked about OTHER's channel: no such channel in SHOP.
    expect(await pub.publishWithOutcome({ shop: SHOP, channelId: otherChannelId, sku: "TEE", quantity: 1, action: "set" })).toMatchObject({ status: "no_account" });
    // OTHER has no Amazon account: its channel gets no rows at all.
    expect(await pub.publishWithOutcome({ shop: OTHER, channelId: otherChannelId, sku: "TEE", quantity: 1, action: "set" })).toMatchObject({ status: "no_account" });
    expect(await db.amazonListingQuantity.count({ where: { shop: OTHER } })).toBe(0);
    await publishBulk(BIG, () => 2);
    const push = await pushAmazonQuantities(deps(), { shop: SHOP, accountId });
    if (!("feeds" in push)) throw new Error("expected a push report");
    expect(await pushAmazonQuantities(deps(), { shop: OTHER, accountId })).toMatchObject({ skipped: expect.stringContaining("not connected") });
    expect(await pollAmazonFeed(deps(), { shop: OTHER, accountId, feedId: push.feeds[0]! })).toMatchObject({ skipped: expect.stringContaining("not one of this account's") });
    expect(await amazonListingsOverview(db, OTHER, accountId)).toMatchObject({ total: 0, feeds: [], rejected: [] });
  });
});
