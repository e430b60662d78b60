import { createHash, randomUUID } from "node:crypto";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { startAmazonSandbox, type AmazonSandbox } from "#connectors/amazon/sandbox/index";
import { saveAmazonAccount } from "#app/modules/amazon/index";
import { activateVersion, routingFixtures, saveDraft } from "#app/modules/routing/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation, makeSku, setStock, total } from "#test/support/inventory";
import { testRuntime } from "#test/support/runtime";

/**
 * ORDER_CHANGE notifications through SQS, with the app's own runtime: AMAZON_SQS_QUEUE_URL makes
 * the runtime build the consumer (registered beside the job runner), SQS is nock on its JSON wire
 * protocol, AWS credentials come from the environment as the SDK's default chain reads them, and
 * every Amazon call goes to the sandbox peer (AMAZON_SANDBOX_URL).  The same notification delivered
 * twice → stored once, the order fetched once (getOrder) and taken in once; both deliveries deleted.
 */
const SHOP = "amz-sqs.myshopify.com";
const SELLER = "A2SQSSELLER001";
const US = "ATVPDKIKX0DER";
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/111122223333/oms-order-change";
const SQS = "https://sqs.us-east-1.amazonaws.com";
const AMZ_JSON = { "content-type": "application/x-amz-json-1.0" };

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const sqsMessage = (id: string, body: string, receiveCount: number) => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}-${receiveCount}`,
  MD5OfBody: md5(body),
  Body: body,
  Attributes: { ApproximateReceiveCount: String(receiveCount) },
});
const receive = () => nock(SQS).matchHeader("x-amz-target", "AmazonSQS.ReceiveMessage").post("/", (b: { QueueUrl?: string; WaitTimeSeconds?: number }) => b.QueueUrl === QUEUE_URL && b.WaitTimeSeconds === 20);
const deleted = (receiptHandle: string) => nock(SQS).matchHeader("x-amz-target", "AmazonSQS.DeleteMessage").post("/", { QueueUrl: QUEUE_URL, ReceiptHandle: receiptHandle }).reply(200, "{}", AMZ_JSON);

describeEachDatabase("Amazon notifications from SQS (runtime, peer, nock SQS)", (tdb) => {
  let peer: AmazonSandbox;
  let rt: AppRuntime;

  beforeAll(() => {
    // The SDK's default credential chain: the environment first (and no instance metadata lookups).
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  beforeEach(async () => {
    peer = await startAmazonSandbox({ sellerId: SELLER, marketplaces: [US], randomSeed: 11, seed: { listings: [{ sku: "DO-TEE", quantity: 50 }] } });
    rt = testRuntime(tdb().url, { AMAZON_SANDBOX_URL: peer.url, AMAZON_SQS_QUEUE_URL: QUEUE_URL });
    await truncateAll(tdb().handle);
    const db = rt.db;
    const w = await makeLocation(db, SHOP, "West");
    await db.location.update({ where: { id: w.id }, data: { latitude: 34.05, longitude: -117.6, routingPriority: 1 } });
    const channel = await makeChannel(db, SHOP, "amazon-us", [w.id], { hubHoldsStock: true });
    const tee = await makeSku(db, SHOP, "TEE");
    await setStock(db, SHOP, tee.id, w.id, 20);
    await db.channelListing.create({ data: { id: randomUUID(), shop: SHOP, channelId: channel.id, variantId: tee.id, externalSku: "DO-TEE" } });
    await saveDraft(db, SHOP, { rules: [routingFixtures.rule("default", { sort: [{ by: "location_priority" }], splitPolicy: { kind: "split_lines" }, fallback: { kind: "backorder" } })], actor: "test" });
    await activateVersion({ db, now: () => new Date() }, SHOP, 1);
    await saveAmazonAccount(
      { db, secrets: rt.secrets, now: rt.now, checkCredentials: rt.amazon.checkCredentials },
      SHOP,
      { region: "na", sellerId: SELLER, lwaClientId: peer.lwa.clientId, lwaClientSecret: peer.lwa.clientSecret, refreshToken: peer.lwa.refreshToken, marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }], features: {} },
    );
  });

  afterEach(async () => {
    await rt?.close();
    await peer?.close();
  });

  async function settle() {
    for (let i = 0; i < 3; i++) {
      await rt.relay.runOnce();
      await rt.runner.drain({ timeoutMs: 30_000 });
    }
  }

  it("a notification delivered twice: stored once, the order fetched once and taken in once, both deliveries deleted", async () => {
    const [order] = peer.generateOrders(1, { fulfilledBy: "MERCHANT", marketplaceId: US, skus: [{ sku: "DO-TEE", quantity: 2 }] });
    const body = JSON.stringify(peer.state.notifications.find((n) => JSON.stringify(n).includes(order!.orderId)));
    receive().reply(200, { Messages: [sqsMessage("m-1", body, 1)] }, AMZ_JSON);
    receive().reply(200, { Messages: [sqsMessage("m-1", body, 2)] }, AMZ_JSON);
    const d1 = deleted("rh-m-1-1");
    const d2 = deleted("rh-m-1-2");

    const consumer = rt.amazon.notifications.consumer();
    expect(consumer).not.toBeNull();
    await consumer!.pollOnce();
    await settle();
    await consumer!.pollOnce();
    await settle();

    expect(d1.isDone() && d2.isDone()).toBe(true);
    const events = await rt.db.inboundEvent.findMany({ where: { shop: SHOP, source: "amazon.notification" } });
    expect(events.map((e) => e.status)).toEqual(["processed"]);
    const hub = await rt.db.order.findMany({ where: { shop: SHOP }, select: { externalOrderId: true, status: true } });
    expect(hub).toEqual([{ externalOrderId: order!.orderId, status: "routed" }]);
    const tee = await rt.db.variant.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE" } });
    expect(await total(rt.db, tee.id, "held")).toBe(2);
    // One getOrder for the one stored notification (the order is not yet visible to searchOrders: 2 minutes).
    expect(peer.stats().operations.getOrder?.calls).toBe(1);
    expect(rt.amazon.notifications.health()).toMatchObject({ queueUrl: QUEUE_URL, consecutiveErrors: 0, counts: { received: 2, accepted: 1, duplicates: 1, leftForRedrive: 0 } });
    // The connect queued a subscription check (outbox → amazon.ensureNotifications); against the sandbox peer
    // without a destination it says why there is no subscription.
    expect(await rt.db.amazonAccount.findFirstOrThrow({ where: { shop: SHOP }, select: { notificationsStatus: true, notificationsMessage: true } })).toEqual({
      notificationsStatus: "off",
      notificationsMessage: "Sandbox: the Amazon sandbox peer's ORDER_CHANGE notifications are handed to the hub directly, so no SQS subscription is made.",
    });
  }, 60_000);

  it("runs beside the job runner: startWorkers starts the long poll, close() stops it promptly", async () => {
    // A long poll that would answer after a minute.
    receive().delay(60_000).reply(200, {}, AMZ_JSON);
    rt.startWorkers();
    await vi.waitFor(() => expect(rt.amazon.notifications.health().state).toBe("running"));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await rt.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(rt.amazon.notifications.health().state).toBe("stopped");
  }, 60_000);
});
