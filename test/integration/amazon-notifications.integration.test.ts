import { afterEach, beforeEach, expect, it } from "vitest";
import { createMemoryAccessTokenCache } from "#connectors/amazon/client/access-token";
import { spApiBucketLimits } from "#connectors/amazon/client/rate-limits";
import { sandboxAgent } from "#connectors/amazon/client/sandbox-agent";
import { createSpApiAppClient, createSpApiClient } from "#connectors/amazon/client/sp-api-client";
import { startAmazonSandbox, type AmazonSandbox } from "#connectors/amazon/sandbox/index";
import { fakeClock } from "#connectors/amazon/sandbox/test-fixtures";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import {
  accountsDueForNotifications,
  amazonNotificationsOverview,
  AMAZON_DROP_NOTIFICATIONS_JOB,
  AMAZON_ENSURE_NOTIFICATIONS_JOB,
  disconnectAmazonAccount,
  listAmazonAccounts,
  saveAmazonAccount,
  type AmazonAccountInput,
} from "#app/modules/amazon/index";
import { createSecretBox, parseKeyring } from "#app/platform/crypto.server";
import { createNotificationDestinations, dropOrderNotifications, ensureOrderNotifications, handleOrderChangeMessage, type AmazonNotificationsDeps } from "#app/workflows/amazon-notifications.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation } from "#test/support/inventory";
import { memoryLogger, TEST_KEYS } from "#test/support/runtime";

/**
 * ORDER_CHANGE subscriptions against the Amazon sandbox peer over real HTTP through the real
 * client (the peer implements Notifications v1 as Amazon's model has it: the seller's
 * getSubscription/createSubscription, the application's grantless destinations and
 * deleteSubscriptionById): the operator's destination, connect → subscribed for the account's
 * marketplaces, edits that change what is needed, orders off, disconnect → deleted and the
 * application secret destroyed, Amazon refusing the marketplace filter, and failures a person
 * can act on.
 */
const SHOP = "amz-notify.myshopify.com";
const OTHER = "amz-notify-other.myshopify.com";
const SELLER = "A2NOTIFYSELLER1";
const US = "ATVPDKIKX0DER";
const CA = "A2EUQ1WTGCTBG2";
const QUEUE_ARN = "arn:aws:sqs:us-east-1:111122223333:oms-order-change";
const secrets = createSecretBox(parseKeyring(TEST_KEYS));

describeEachDatabase("Amazon ORDER_CHANGE subscriptions", (tdb) => {
  let peer: AmazonSandbox;
  let clock: ReturnType<typeof fakeClock>;
  let logger: ReturnType<typeof memoryLogger>;

  const deps = (): AmazonNotificationsDeps => {
    const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep: async () => {} });
    const tokenCache = createMemoryAccessTokenCache();
    const common = { buckets, tokenCache, now: clock.now, sleep: async () => {}, random: () => 0.5, transport: { agent: sandboxAgent(peer.url) } };
    return {
      db: tdb().handle.db,
      secrets,
      logger,
      now: () => new Date(clock.now()),
      clientFor: (c) => createSpApiClient({ account: c, ...common }),
      appClientFor: (app) => createSpApiAppClient({ app, ...common }),
      pollEveryMs: 180_000,
    };
  };
  const accountDeps = () => ({ db: tdb().handle.db, secrets, now: () => new Date(clock.now()), checkCredentials: async () => ({ ok: true as const }) });
  const form = (over: Partial<AmazonAccountInput> = {}): AmazonAccountInput => ({
    region: "na",
    sellerId: SELLER,
    lwaClientId: peer.lwa.clientId,
    lwaClientSecret: peer.lwa.clientSecret,
    refreshToken: peer.lwa.refreshToken,
    marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }],
    features: {},
    ...over,
  });
  const connect = async (over: Partial<AmazonAccountInput> = {}, id?: string) => (await saveAmazonAccount(accountDeps(), SHOP, form(over), id)).id;
  const connectIn = async (shop: string, over: Partial<AmazonAccountInput> = {}, id?: string) => (await saveAmazonAccount(accountDeps(), shop, form(over), id)).id;
  const onlyUS = { marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }] };
  const onlyCA = { marketplaces: [{ marketplaceId: CA, channelCode: "amazon-ca" }] };
  const edit = { lwaClientSecret: "", refreshToken: "" };
  // Checks a minute apart, as the scheduler runs them: the peer holds the seller to Amazon's 1 request/s (burst 5).
  const ensure = async (shop: string, accountId: string) => {
    clock.advance(60_000);
    return ensureOrderNotifications(deps(), { shop, accountId });
  };
  const row = (id: string) => tdb().handle.db.amazonAccount.findUniqueOrThrow({ where: { id } });

  async function start(opts: { refuseMarketplaceFilter?: boolean } = {}) {
    peer = await startAmazonSandbox({ sellerId: SELLER, marketplaces: [US, CA], clock: clock.now, notifications: opts });
  }

  beforeEach(async () => {
    const { db } = tdb().handle;
    await truncateAll(tdb().handle);
    // Application-level (no shop column), so truncateAll does not know it.
    await db.amazonNotificationDestination.deleteMany();
    clock = fakeClock(Date.parse("2026-12-02T10:00:00Z"));
    logger = memoryLogger("warn");
    for (const shop of [SHOP, OTHER]) {
      const w = await makeLocation(db, shop, "West");
      await makeChannel(db, shop, "amazon-us", [w.id]);
      await makeChannel(db, shop, "amazon-ca", [w.id]);
    }
  });

  afterEach(async () => {
    await peer?.close();
  });

  it("no destination: off, saying what the operator runs; the connect queued the check through the outbox", async () => {
    await start();
    const { db } = tdb().handle;
    const id = await connect();
    expect(await db.outboxMessage.findMany({ where: { shop: SHOP, topic: AMAZON_ENSURE_NOTIFICATIONS_JOB }, select: { payload: true } })).toEqual([{ payload: JSON.stringify({ shop: SHOP, accountId: id }) }]);
    expect((await row(id)).notificationsStatus).toBe("pending");

    const r = await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    expect(r).toMatchObject({ outcome: "off" });
    const view = (await listAmazonAccounts(accountDeps(), SHOP))[0]!;
    expect(view.notifications.status).toBe("off");
    expect(view.notifications.message).toMatch(/no SQS destination .* region na\. The operator runs `oms amazon-destination --sqs-arn <queue ARN>` once .*orders still arrive by polling every 3 min/);
    // Nothing was asked of Amazon's Notifications API.
    expect(peer.stats().operations.getSubscription).toBeUndefined();
  });

  it("the operator's destination (once per application and region, idempotent) → subscribed for the account's marketplaces; a second check keeps it", async () => {
    await start();
    const { db } = tdb().handle;
    const id = await connect();
    const [first] = await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    expect(first).toMatchObject({ lwaClientId: peer.lwa.clientId, region: "na", created: true, accounts: 1 });
    expect([...peer.state.destinations.values()]).toEqual([{ destinationId: first!.destinationId, name: "oms-order-change-na", resource: { sqs: { arn: QUEUE_ARN } } }]);
    // Running it again finds Amazon's destination for the same queue: no second one.
    const [again] = await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    expect(again).toMatchObject({ destinationId: first!.destinationId, created: false });
    expect(peer.state.destinations.size).toBe(1);
    expect(await db.amazonNotificationDestination.findMany({ select: { lwaClientId: true, region: true, destinationId: true, sqsArn: true } })).toEqual([{ lwaClientId: peer.lwa.clientId, region: "na", destinationId: first!.destinationId, sqsArn: QUEUE_ARN }]);

    const r = await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    expect(r).toMatchObject({ outcome: "created", destinationId: first!.destinationId, marketplaceFilter: true });
    const sub = peer.state.subscriptions.get("ORDER_CHANGE")!;
    expect(sub).toEqual({
      subscriptionId: (r as { subscriptionId: string }).subscriptionId,
      payloadVersion: "1.0",
      destinationId: first!.destinationId,
      processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", marketplaceIds: [US], orderChangeTypes: ["OrderStatusChange", "BuyerRequestedChange"] } },
    });
    expect(await row(id)).toMatchObject({ notificationsStatus: "subscribed", notificationsSubscriptionId: sub.subscriptionId, notificationsDestinationId: first!.destinationId, notificationsMessage: null, notificationsFailures: 0 });

    expect(await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id })).toMatchObject({ outcome: "kept", subscriptionId: sub.subscriptionId });
    expect(peer.stats().operations.createSubscription?.calls).toBe(1);
    // Subscribed: checked again in a day, not on every schedule run.
    expect(await accountsDueForNotifications(db, new Date(clock.now() + 60_000))).toEqual([]);
    expect(await accountsDueForNotifications(db, new Date(clock.now() + 24 * 3_600_000))).toEqual([{ id, shop: SHOP }]);
  });

  it("an edit that adds a marketplace replaces the subscription; orders switched off deletes it", async () => {
    await start();
    const id = await connect();
    await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    const created = await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    const firstId = (created as { subscriptionId: string }).subscriptionId;

    await connect({ lwaClientSecret: "", refreshToken: "", marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }, { marketplaceId: CA, channelCode: "amazon-ca" }] }, id);
    const replaced = await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    expect(replaced).toMatchObject({ outcome: "replaced" });
    const sub = peer.state.subscriptions.get("ORDER_CHANGE")!;
    expect(sub.subscriptionId).not.toBe(firstId);
    expect(sub.processingDirective?.eventFilter?.marketplaceIds).toEqual([CA, US]);

    await connect({ lwaClientSecret: "", refreshToken: "", features: { orders: false } }, id);
    expect(await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id })).toMatchObject({ outcome: "off", reason: expect.stringContaining("Orders are off") });
    expect(peer.state.subscriptions.size).toBe(0);
    expect(await row(id)).toMatchObject({ notificationsStatus: "off", notificationsSubscriptionId: null });
  });

  it("disconnect: the refresh token goes at once, the subscription is deleted by the queued job (grantless), then the application secret goes too", async () => {
    await start();
    const { db } = tdb().handle;
    const id = await connect();
    await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    expect(peer.state.subscriptions.size).toBe(1);

    await disconnectAmazonAccount({ ...accountDeps() }, SHOP, id);
    const mid = await row(id);
    expect(mid).toMatchObject({ status: "disconnected", refreshTokenEnc: "", notificationsStatus: "unsubscribing" });
    expect(mid.lwaClientSecretEnc).not.toBe("");
    expect(await db.outboxMessage.count({ where: { shop: SHOP, topic: AMAZON_DROP_NOTIFICATIONS_JOB } })).toBe(1);
    // A disconnected account is never due an ensure.
    expect(await accountsDueForNotifications(db, new Date(clock.now() + 48 * 3_600_000))).toEqual([]);

    expect(await dropOrderNotifications(deps(), { shop: SHOP, accountId: id }, { attempt: 1, maxAttempts: 5 })).toEqual({ deleted: true });
    expect(peer.state.subscriptions.size).toBe(0);
    expect(await row(id)).toMatchObject({ lwaClientSecretEnc: "", notificationsStatus: "off", notificationsSubscriptionId: null });
    // Run again (a replayed job): nothing left to do.
    expect(await dropOrderNotifications(deps(), { shop: SHOP, accountId: id }, { attempt: 1, maxAttempts: 5 })).toMatchObject({ skipped: expect.any(String) });
  });

  it("a delete that keeps failing: retried by the job runner, and after the last attempt the secret is destroyed and the page says what Amazon still has", async () => {
    await start();
    const id = await connect();
    await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    const subId = peer.state.subscriptions.get("ORDER_CHANGE")!.subscriptionId;
    await disconnectAmazonAccount({ ...accountDeps() }, SHOP, id);
    // Amazon's LWA refuses the application (its secret was rotated, say).
    const d = deps();
    const failing: AmazonNotificationsDeps = { ...d, appClientFor: (app) => d.appClientFor({ ...app, lwaClientSecret: "rotated-meanwhile" }) };
    // Not the last attempt, but a refusal (not retryable): no point in trying again.
    const r = await dropOrderNotifications(failing, { shop: SHOP, accountId: id }, { attempt: 1, maxAttempts: 5 });
    expect(r).toMatchObject({ failed: expect.stringContaining(`Amazon still has ORDER_CHANGE subscription ${subId} for seller ${SELLER}`) });
    const after = await row(id);
    expect(after).toMatchObject({ lwaClientSecretEnc: "", notificationsStatus: "unsubscribe_failed" });
    expect(after.notificationsMessage).toMatch(/invalid_client.*reconnect the account and disconnect it again/);
    expect(peer.state.subscriptions.size).toBe(1);
  });

  it("Amazon refusing the marketplace filter: subscribed for every marketplace, and the page says so", async () => {
    await start({ refuseMarketplaceFilter: true });
    const id = await connect();
    await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    const r = await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    expect(r).toMatchObject({ outcome: "created", marketplaceFilter: false });
    expect(peer.state.subscriptions.get("ORDER_CHANGE")!.processingDirective?.eventFilter).toEqual({ eventFilterType: "ORDER_CHANGE", orderChangeTypes: ["OrderStatusChange", "BuyerRequestedChange"] });
    const view = (await listAmazonAccounts(accountDeps(), SHOP))[0]!;
    expect(view.notifications).toMatchObject({ status: "subscribed" });
    expect(view.notifications.message).toMatch(/Amazon refused the marketplace filter .* notifications for marketplaces this account does not list are ignored/);
    // The next check keeps it (no loop of delete + create).
    expect(await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id })).toMatchObject({ outcome: "kept" });
  });

  it("a destination Amazon does not know: failed with what to run, retried later with a growing wait; tenant walls on the overview", async () => {
    await start();
    const { db } = tdb().handle;
    const id = await connect();
    await db.amazonNotificationDestination.create({ data: { id: "d-1", lwaClientId: peer.lwa.clientId, region: "na", destinationId: "deleted-at-amazon", sqsArn: QUEUE_ARN, name: "old" } });
    const r = await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    expect(r).toMatchObject({ outcome: "failed" });
    const view = (await listAmazonAccounts(accountDeps(), SHOP))[0]!;
    expect(view.notifications.status).toBe("failed");
    expect(view.notifications.message).toMatch(/Subscribing seller A2NOTIFYSELLER1 to ORDER_CHANGE failed: Amazon does not know the destination .*Run `oms amazon-destination` again for LWA application .* in na; orders still arrive by polling every 3 min/);
    expect(await accountsDueForNotifications(db, new Date(clock.now() + 2 * 60_000))).toEqual([]);
    expect(await accountsDueForNotifications(db, new Date(clock.now() + 3 * 60_000))).toEqual([{ id, shop: SHOP }]);
    await ensureOrderNotifications(deps(), { shop: SHOP, accountId: id });
    expect((await row(id)).notificationsFailures).toBe(2);
    expect(await accountsDueForNotifications(db, new Date(clock.now() + 5 * 60_000))).toEqual([]);

    const mine = await amazonNotificationsOverview(db, SHOP, new Date(clock.now()));
    expect(mine.accounts).toEqual([expect.objectContaining({ accountId: id, sellerId: SELLER, status: "failed" })]);
    expect((await amazonNotificationsOverview(db, OTHER, new Date(clock.now()))).accounts).toEqual([]);
  });

  it("messages: a notification for this seller is stored once (a redelivery is a duplicate); another seller, another marketplace, another type are ignored; a malformed body is unreadable", async () => {
    await start();
    const { db } = tdb().handle;
    await connect();
    const [order] = peer.generateOrders(1, { fulfilledBy: "MERCHANT", marketplaceId: US, skus: [{ sku: "TEE-M", quantity: 1 }] });
    const body = JSON.stringify(peer.state.notifications.find((n) => JSON.stringify(n).includes(order!.orderId)));
    const d = deps();
    const meta = { messageId: "m-1", receiveCount: 1 };
    expect(await handleOrderChangeMessage(d, body, meta)).toEqual({ outcome: "accepted", detail: order!.orderId });
    expect(await handleOrderChangeMessage(d, body, { ...meta, receiveCount: 2 })).toEqual({ outcome: "duplicate", detail: order!.orderId });
    expect(await db.inboundEvent.count({ where: { shop: SHOP, source: "amazon.notification" } })).toBe(1);

    const n = JSON.parse(body) as { Payload: { OrderChangeNotification: { SellerId: string; Summary: { MarketplaceId: string } } }; NotificationMetadata: { NotificationId: string }; NotificationType: string };
    const variant = (f: (x: typeof n) => void) => {
      const c = structuredClone(n);
      c.NotificationMetadata.NotificationId = `${c.NotificationMetadata.NotificationId}-v${Math.random()}`;
      f(c);
      return JSON.stringify(c);
    };
    expect(await handleOrderChangeMessage(d, variant((c) => (c.Payload.OrderChangeNotification.SellerId = "A9OTHERSELLER9")), meta)).toMatchObject({ outcome: "ignored", detail: "no connected account for seller A9OTHERSELLER9" });
    expect(await handleOrderChangeMessage(d, variant((c) => (c.Payload.OrderChangeNotification.Summary.MarketplaceId = CA)), meta)).toMatchObject({ outcome: "ignored", detail: `seller ${SELLER} is not connected for marketplace ${CA}` });
    expect(await handleOrderChangeMessage(d, variant((c) => (c.NotificationType = "FEED_PROCESSING_FINISHED")), meta)).toMatchObject({ outcome: "ignored" });
    expect(await handleOrderChangeMessage(d, "{not json", meta)).toEqual({ outcome: "unreadable", detail: "message m-1 is not JSON" });
    expect(await handleOrderChangeMessage(d, JSON.stringify({ NotificationType: "ORDER_CHANGE", Payload: {} }), meta)).toMatchObject({ outcome: "unreadable" });
    expect(await db.inboundEvent.count({ where: { source: "amazon.notification" } })).toBe(1);
  });

  it("two shops, one seller: one subscription for both shops' marketplaces, kept on every check (no flip-flop); one turns orders off → narrowed to the other's; both off → deleted", async () => {
    await start();
    const a = await connectIn(SHOP, onlyUS);
    const b = await connectIn(OTHER, onlyCA);
    await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });

    const first = await ensure(SHOP, a);
    expect(first).toMatchObject({ outcome: "created", marketplaceFilter: true });
    const subId = (first as { subscriptionId: string }).subscriptionId;
    expect(peer.state.subscriptions.get("ORDER_CHANGE")!.processingDirective?.eventFilter?.marketplaceIds).toEqual([CA, US]);
    // Each shop's check, again and again: the same union, so the same subscription.
    for (const [shop, id] of [[OTHER, b], [SHOP, a], [OTHER, b], [SHOP, a]] as const) {
      expect(await ensure(shop, id)).toMatchObject({ outcome: "kept", subscriptionId: subId });
    }
    expect(peer.stats().operations.createSubscription?.calls).toBe(1);
    expect(peer.stats().operations.deleteSubscriptionById).toBeUndefined();
    expect(peer.state.subscriptions.size).toBe(1);
    expect(await row(a)).toMatchObject({ notificationsStatus: "subscribed", notificationsSubscriptionId: subId });
    expect(await row(b)).toMatchObject({ notificationsStatus: "subscribed", notificationsSubscriptionId: subId });

    // The US shop switches orders off: the CA shop still needs the subscription — narrowed to CA, not deleted.
    await connectIn(SHOP, { ...edit, ...onlyUS, features: { orders: false } }, a);
    const off = await ensure(SHOP, a);
    expect(off).toMatchObject({ outcome: "off", reason: expect.stringMatching(/Orders are off for this account\. Seller A2NOTIFYSELLER1's ORDER_CHANGE subscription stays: another connected account uses it/) });
    expect(peer.state.subscriptions.size).toBe(1);
    const narrowed = peer.state.subscriptions.get("ORDER_CHANGE")!;
    expect(narrowed.processingDirective?.eventFilter?.marketplaceIds).toEqual([CA]);
    expect(await row(a)).toMatchObject({ notificationsStatus: "off", notificationsSubscriptionId: null });
    // The CA shop's record follows the replacement, so its disconnect would delete the one that exists.
    expect(await row(b)).toMatchObject({ notificationsStatus: "subscribed", notificationsSubscriptionId: narrowed.subscriptionId });
    for (const [shop, id] of [[OTHER, b], [SHOP, a], [OTHER, b]] as const) await ensure(shop, id);
    expect(peer.state.subscriptions.get("ORDER_CHANGE")!.subscriptionId).toBe(narrowed.subscriptionId);
    expect(peer.stats().operations.createSubscription?.calls).toBe(2);

    // Both off: nobody needs it.
    await connectIn(OTHER, { ...edit, ...onlyCA, features: { orders: false } }, b);
    expect(await ensure(OTHER, b)).toMatchObject({ outcome: "off", reason: "Orders are off for this account, so it has no ORDER_CHANGE subscription." });
    expect(peer.state.subscriptions.size).toBe(0);
    expect(await row(b)).toMatchObject({ notificationsStatus: "off", notificationsSubscriptionId: null });
    expect(await ensure(SHOP, a)).toMatchObject({ outcome: "off" });
    expect(peer.state.subscriptions.size).toBe(0);
  });

  it("two shops, one seller: a disconnect keeps the subscription the other shop needs and has it narrowed; the last one with orders on deletes it", async () => {
    await start();
    const { db } = tdb().handle;
    const a = await connectIn(SHOP, onlyUS);
    const b = await connectIn(OTHER, onlyCA);
    await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    await ensure(SHOP, a);
    await ensure(OTHER, b);

    await disconnectAmazonAccount(accountDeps(), SHOP, a);
    expect(await dropOrderNotifications(deps(), { shop: SHOP, accountId: a }, { attempt: 1, maxAttempts: 5 })).toEqual({ kept: "another connected account uses the same seller subscription" });
    expect(peer.state.subscriptions.size).toBe(1);
    expect(await row(a)).toMatchObject({ lwaClientSecretEnc: "", notificationsStatus: "off", notificationsSubscriptionId: null });
    // The other shop's account is checked at the next scheduler run, which narrows it to CA.
    expect(await accountsDueForNotifications(db, new Date(clock.now()))).toEqual([{ id: b, shop: OTHER }]);
    expect(await ensure(OTHER, b)).toMatchObject({ outcome: "replaced" });
    const narrowed = peer.state.subscriptions.get("ORDER_CHANGE")!;
    expect(narrowed.processingDirective?.eventFilter?.marketplaceIds).toEqual([CA]);

    await disconnectAmazonAccount(accountDeps(), OTHER, b);
    expect(await dropOrderNotifications(deps(), { shop: OTHER, accountId: b }, { attempt: 1, maxAttempts: 5 })).toEqual({ deleted: true });
    expect(peer.state.subscriptions.size).toBe(0);
  });

  it("two shops, one seller: a disconnect deletes the subscription when the other shop's account has orders off", async () => {
    await start();
    const a = await connectIn(SHOP, onlyUS);
    const b = await connectIn(OTHER, { ...onlyCA, features: { orders: false } });
    await createNotificationDestinations(deps(), { sqsArn: QUEUE_ARN });
    await ensure(SHOP, a);
    expect(await ensure(OTHER, b)).toMatchObject({ outcome: "off", reason: expect.stringContaining("subscription stays") });
    expect(peer.state.subscriptions.get("ORDER_CHANGE")!.processingDirective?.eventFilter?.marketplaceIds).toEqual([US]);

    await disconnectAmazonAccount(accountDeps(), SHOP, a);
    expect(await dropOrderNotifications(deps(), { shop: SHOP, accountId: a }, { attempt: 1, maxAttempts: 5 })).toEqual({ deleted: true });
    expect(peer.state.subscriptions.size).toBe(0);
  });

  it("messages for a seller two shops connect: each goes to the shop that lists its marketplace; to both when both list it; never to an account with orders off", async () => {
    await start();
    const { db } = tdb().handle;
    const a = await connectIn(SHOP, onlyUS);
    const b = await connectIn(OTHER, onlyCA);
    const d = deps();
    const bodyFor = (marketplaceId: string) => {
      const [order] = peer.generateOrders(1, { fulfilledBy: "MERCHANT", marketplaceId, skus: [{ sku: "TEE-M", quantity: 1 }] });
      return { orderId: order!.orderId, body: JSON.stringify(peer.state.notifications.find((n) => JSON.stringify(n).includes(order!.orderId))) };
    };
    const stored = async (shop: string) => (await db.inboundEvent.findMany({ where: { shop, source: "amazon.notification" }, select: { payload: true } })).map((e) => JSON.parse(e.payload) as { accountId: string; orderId: string }).map((p) => [p.accountId, p.orderId]).sort(byOrder);
    const meta = { messageId: "m-1", receiveCount: 1 };
    const byOrder = (x: string[], y: string[]) => x[1]!.localeCompare(y[1]!);

    const us = bodyFor(US);
    const ca = bodyFor(CA);
    expect(await handleOrderChangeMessage(d, us.body, meta)).toEqual({ outcome: "accepted", detail: us.orderId });
    expect(await handleOrderChangeMessage(d, ca.body, meta)).toEqual({ outcome: "accepted", detail: ca.orderId });
    expect(await stored(SHOP)).toEqual([[a, us.orderId]]);
    expect(await stored(OTHER)).toEqual([[b, ca.orderId]]);

    // Both list US: each shop gets it (each shop's polling would read it too); a redelivery is a duplicate for both.
    await connectIn(OTHER, { ...edit, marketplaces: [{ marketplaceId: CA, channelCode: "amazon-ca" }, { marketplaceId: US, channelCode: "amazon-us" }] }, b);
    const both = bodyFor(US);
    expect(await handleOrderChangeMessage(d, both.body, meta)).toEqual({ outcome: "accepted", detail: both.orderId });
    expect(await handleOrderChangeMessage(d, both.body, { ...meta, receiveCount: 2 })).toEqual({ outcome: "duplicate", detail: both.orderId });
    expect(await stored(SHOP)).toEqual([[a, us.orderId], [a, both.orderId]].sort(byOrder));
    expect(await stored(OTHER)).toEqual([[b, ca.orderId], [b, both.orderId]].sort(byOrder));

    // Orders off in the US shop: US notifications go to the other shop only; with both off, nobody takes them.
    await connectIn(SHOP, { ...edit, ...onlyUS, features: { orders: false } }, a);
    const later = bodyFor(US);
    expect(await handleOrderChangeMessage(d, later.body, meta)).toEqual({ outcome: "accepted", detail: later.orderId });
    expect((await stored(SHOP)).length).toBe(2);
    expect(await stored(OTHER)).toContainEqual([b, later.orderId]);
    await connectIn(OTHER, { ...edit, ...onlyCA, features: { orders: false } }, b);
    expect(await handleOrderChangeMessage(d, bodyFor(CA).body, meta)).toEqual({ outcome: "ignored", detail: `orders are off for every account of seller ${SELLER}` });
  });
});
