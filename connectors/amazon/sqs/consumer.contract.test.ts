import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import type { LogFields } from "#connectors/core/logger";
import { createSqsClient, createSqsConsumer, sqsArnFromQueueUrl, sqsRegionFromQueueUrl, type MessageHandler, type MessageVerdict } from "./consumer";

/**
 * The consumer through the real @aws-sdk/client-sqs against nock, on SQS's wire format: the AWS JSON
 * 1.0 protocol — POST / with `X-Amz-Target: AmazonSQS.<Operation>` and
 * `Content-Type: application/x-amz-json-1.0`, the request members as a JSON body, errors as
 * `{"__type": "…#Name", "message"}` (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html,
 * …/API_DeleteMessage.html, …/CommonErrors.html), signed with SigV4 for service "sqs".  The body of
 * each message is Amazon's published ORDER_CHANGE example (fixtures/notifications, models@34dc93f),
 * as SP-API puts a notification into the queue: the notification JSON itself.
 */
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/111122223333/oms-order-change";
const SQS = "https://sqs.us-east-1.amazonaws.com";
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const NOTIFICATION = JSON.stringify((JSON.parse(readFileSync(new URL("../fixtures/notifications/OrderChangeNotification.example.json", import.meta.url), "utf8")) as { notification: unknown }).notification);
const AMZ_JSON = { "content-type": "application/x-amz-json-1.0" };

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const message = (id: string, body: string, receiveCount = 1) => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}-${receiveCount}`,
  MD5OfBody: md5(body),
  Body: body,
  Attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: "1700000000000" },
});
const RECEIVE_BODY = { QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 20, MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"] };

function receive() {
  return nock(SQS)
    .matchHeader("x-amz-target", "AmazonSQS.ReceiveMessage")
    .matchHeader("content-type", "application/x-amz-json-1.0")
    .matchHeader("authorization", /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/sqs\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/)
    .post("/", RECEIVE_BODY);
}
const deleted = (receiptHandle: string) =>
  nock(SQS).matchHeader("x-amz-target", "AmazonSQS.DeleteMessage").post("/", { QueueUrl: QUEUE_URL, ReceiptHandle: receiptHandle }).reply(200, "{}", AMZ_JSON);

/** Every consumer a test starts is stopped after it, pass or fail (a failed assertion must not leave a loop running). */
const started: { stop(): Promise<void> }[] = [];

function setup(handle: MessageHandler, opts: { sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {}) {
  const logs: { level: string; msg: string; fields: LogFields }[] = [];
  const capture = (level: string) => (msg: string, fields: LogFields = {}) => void logs.push({ level, msg, fields });
  const sleeps: number[] = [];
  let now = Date.parse("2026-12-02T10:00:00Z");
  const consumer = createSqsConsumer({
    client: createSqsClient({ queueUrl: QUEUE_URL, region: "us-east-1", credentials: CREDENTIALS }),
    queueUrl: QUEUE_URL,
    handle,
    logger: { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") },
    now: () => now,
    sleep:
      opts.sleep ??
      (async (ms) => {
        sleeps.push(ms);
        now += ms;
        // Virtual time, but a real turn of the event loop: a loop failing at once must not starve the test's timers.
        await new Promise((r) => setTimeout(r, 0));
      }),
    random: () => 0.5,
  });
  started.push(consumer);
  return { consumer, logs, sleeps, advance: (ms: number) => void (now += ms) };
}

/** A consumer whose first backoff stops it: the loop runs once through an error and ends. */
function setupStoppingAtFirstBackoff(handle: MessageHandler) {
  const holder: { consumer?: ReturnType<typeof setup>["consumer"] } = {};
  const sleeps: number[] = [];
  const s = setup(handle, {
    sleep: async (ms) => {
      sleeps.push(ms);
      void holder.consumer?.stop();
    },
  });
  holder.consumer = s.consumer;
  return { ...s, sleeps };
}

/** A handler that records what it was given and answers from a script. */
function scripted(...verdicts: (MessageVerdict | Error)[]) {
  const seen: { body: string; messageId: string; receiveCount: number }[] = [];
  const handle: MessageHandler = async (body, meta) => {
    seen.push({ body, ...meta });
    const v = verdicts.shift() ?? { outcome: "accepted" };
    if (v instanceof Error) throw v;
    return v;
  };
  return { seen, handle };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.stop()));
  nock.cleanAll();
});

describe("ReceiveMessage → handler → DeleteMessage", () => {
  it("sends ReceiveMessage as SQS's JSON protocol (long poll 20 s, 10 messages, signed), hands the body over and deletes only after the handler accepted it", async () => {
    const r = receive().reply(200, { Messages: [message("m-1", NOTIFICATION)] }, AMZ_JSON);
    const d = deleted("rh-m-1-1");
    const { seen, handle } = scripted({ outcome: "accepted" });
    const { consumer, logs } = setup(handle);
    expect(await consumer.pollOnce()).toEqual({ received: 1 });
    expect(r.isDone()).toBe(true);
    expect(d.isDone()).toBe(true);
    expect(seen).toEqual([{ body: NOTIFICATION, messageId: "m-1", receiveCount: 1 }]);
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ NotificationType: "ORDER_CHANGE", NotificationMetadata: { NotificationId: "d0e9e693-c3ad-4373-979f-ed4ec98dd746" } });
    expect(consumer.health()).toMatchObject({ consecutiveErrors: 0, lastError: null, counts: { received: 1, accepted: 1, duplicates: 0, leftForRedrive: 0 } });
    expect(consumer.health().lastReceiveAt).not.toBeNull();
    // The secret key never reaches a log line.
    expect(JSON.stringify(logs)).not.toContain(CREDENTIALS.secretAccessKey);
  });

  it("an empty long poll is a healthy receive with nothing to delete", async () => {
    receive().reply(200, {}, AMZ_JSON);
    const { handle, seen } = scripted();
    const { consumer } = setup(handle);
    expect(await consumer.pollOnce()).toEqual({ received: 0 });
    expect(seen).toEqual([]);
    expect(consumer.health().lastReceiveAt).not.toBeNull();
  });

  it("a duplicate delivery (the same notification again, ApproximateReceiveCount 2) is handed over again and deleted once the handler says it has it", async () => {
    receive().reply(200, { Messages: [message("m-1", NOTIFICATION, 1)] }, AMZ_JSON);
    receive().reply(200, { Messages: [message("m-1", NOTIFICATION, 2)] }, AMZ_JSON);
    const d1 = deleted("rh-m-1-1");
    const d2 = deleted("rh-m-1-2");
    const { seen, handle } = scripted({ outcome: "accepted" }, { outcome: "duplicate" });
    const { consumer } = setup(handle);
    await consumer.pollOnce();
    await consumer.pollOnce();
    expect(seen.map((s) => s.receiveCount)).toEqual([1, 2]);
    expect(d1.isDone() && d2.isDone()).toBe(true);
    expect(consumer.health().counts).toMatchObject({ received: 2, accepted: 1, duplicates: 1 });
  });

  it("a malformed body is left for the queue's redrive policy: no DeleteMessage, counted and logged with its receive count", async () => {
    receive().reply(200, { Messages: [message("m-bad", "{not json", 3), message("m-ok", NOTIFICATION)] }, AMZ_JSON);
    const ok = deleted("rh-m-ok-1");
    const { handle } = scripted({ outcome: "unreadable", detail: "notification: not JSON" }, { outcome: "accepted" });
    const { consumer, logs } = setup(handle);
    await consumer.pollOnce();
    // Only the good one was deleted: nock would fail an unmatched DeleteMessage for m-bad.
    expect(ok.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
    expect(consumer.health().counts).toMatchObject({ received: 2, accepted: 1, leftForRedrive: 1 });
    expect(logs.find((l) => l.msg.startsWith("sqs message unreadable"))?.fields).toMatchObject({ messageId: "m-bad", receiveCount: 3, reason: "notification: not JSON" });
  });

  it("a handler failure (database down) leaves that message and the rest of the batch on the queue, and the loop backs off", async () => {
    receive().reply(200, { Messages: [message("m-1", NOTIFICATION), message("m-2", NOTIFICATION)] }, AMZ_JSON);
    const { handle, seen } = scripted(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    const { consumer, sleeps } = setupStoppingAtFirstBackoff(handle);
    consumer.start();
    await waitFor(() => consumer.health().state === "stopped");
    expect(seen.map((s) => s.messageId)).toEqual(["m-1"]);
    expect(nock.pendingMocks()).toEqual([]); // no DeleteMessage was expected, none was sent
    expect(sleeps).toEqual([750]); // 1 s ceiling, equal jitter at random 0.5
    expect(consumer.health()).toMatchObject({ consecutiveErrors: 1, counts: { handlerFailures: 1, accepted: 0 }, lastError: { kind: "handler" } });
    expect(consumer.health().lastError?.message).toMatch(/ECONNREFUSED.*stays on the queue/);
  });

  it("a DeleteMessage that fails is counted and logged; the loop goes on (SQS delivers it again and the handler deduplicates)", async () => {
    receive().reply(200, { Messages: [message("m-1", NOTIFICATION)] }, AMZ_JSON);
    nock(SQS).matchHeader("x-amz-target", "AmazonSQS.DeleteMessage").post("/").reply(500, { __type: "com.amazon.coral.service#InternalFailure", message: "Internal failure" }, AMZ_JSON);
    const { handle } = scripted({ outcome: "accepted" });
    const { consumer, logs } = setup(handle);
    await consumer.pollOnce();
    expect(consumer.health().counts).toMatchObject({ accepted: 1, deleteFailures: 1 });
    expect(logs.find((l) => l.msg.startsWith("sqs delete failed"))?.fields).toMatchObject({ messageId: "m-1", status: 500 });
  });
});

describe("the loop: errors, backoff, health, stop", () => {
  it("SQS 5xx: backs off with jitter (1 s, 2 s …), reports the error, and recovers on the next good receive", async () => {
    receive().reply(500, { __type: "com.amazon.coral.service#InternalFailure", message: "We encountered an internal error. Please try again." }, AMZ_JSON);
    receive().reply(503, { __type: "com.amazon.coral.service#ServiceUnavailableException", message: "Service is unavailable." }, AMZ_JSON);
    receive().reply(200, { Messages: [message("m-1", NOTIFICATION)] }, AMZ_JSON);
    deleted("rh-m-1-1");
    // The fourth receive is a long poll that never answers: stop() aborts it.
    receive().delay(60_000).reply(200, {}, AMZ_JSON);
    const { handle, seen } = scripted({ outcome: "accepted" });
    const { consumer, sleeps } = setup(handle);
    const states: ReturnType<typeof consumer.health>[] = [];
    consumer.start();
    await waitFor(() => {
      states.push(consumer.health());
      return seen.length === 1 && consumer.health().counts.accepted === 1;
    });
    expect(sleeps).toEqual([750, 1500]);
    const health = consumer.health();
    expect(health).toMatchObject({ state: "running", consecutiveErrors: 0, counts: { accepted: 1 } });
    // The last error stays visible (with its time) after recovery; consecutiveErrors says it is over.
    expect(health.lastError).toMatchObject({ kind: "transient" });
    expect(health.lastError?.message).toMatch(/ServiceUnavailable.*HTTP 503.*retrying with backoff/);
    const started = Date.now();
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(consumer.health().state).toBe("stopped");
  });

  it("expired credentials (ExpiredTokenException): an actionable error naming the AWS settings, a 30 s floor on the backoff, no message handled", async () => {
    receive().reply(400, { __type: "com.amazon.coral.service#ExpiredTokenException", message: "The security token included in the request is expired" }, AMZ_JSON);
    const { handle, seen } = scripted();
    const { consumer, sleeps } = setupStoppingAtFirstBackoff(handle);
    consumer.start();
    await waitFor(() => consumer.health().state === "stopped");
    expect(seen).toEqual([]);
    expect(sleeps).toEqual([30_000]);
    const { lastError, consecutiveErrors } = consumer.health();
    expect(consecutiveErrors).toBe(1);
    expect(lastError?.kind).toBe("auth");
    expect(lastError?.message).toMatch(/AWS refused the credentials .*ExpiredTokenException.*AWS_ACCESS_KEY_ID.*sqs:ReceiveMessage and sqs:DeleteMessage.*Polling still takes Amazon orders in/);
    expect(lastError?.message).not.toContain(CREDENTIALS.secretAccessKey);
  });

  it("a queue that does not exist is named with the setting to fix", async () => {
    receive().reply(400, { __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." }, { ...AMZ_JSON, "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender" });
    const { handle } = scripted();
    const { consumer } = setupStoppingAtFirstBackoff(handle);
    consumer.start();
    await waitFor(() => consumer.health().state === "stopped");
    expect(consumer.health().lastError).toMatchObject({ kind: "queue" });
    expect(consumer.health().lastError?.message).toMatch(/cannot be read.*AMAZON_SQS_QUEUE_URL/);
  });

  it("stop() during a long poll aborts it and resolves; stop() twice and before start() are harmless", async () => {
    const { handle } = scripted();
    const idle = setup(handle).consumer;
    await idle.stop();
    expect(idle.health().state).toBe("idle");

    receive().delay(60_000).reply(200, {}, AMZ_JSON);
    const { consumer } = setup(handle);
    consumer.start();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await consumer.stop();
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(consumer.health()).toMatchObject({ state: "stopped", consecutiveErrors: 0, lastError: null });
  });
});

describe("queue URL helpers", () => {
  it("derives the ARN and region of a standard queue URL; other URLs give null", () => {
    expect(sqsArnFromQueueUrl(QUEUE_URL)).toBe("arn:aws:sqs:us-east-1:111122223333:oms-order-change");
    expect(sqsArnFromQueueUrl("https://sqs.eu-west-1.amazonaws.com/111122223333/orders.fifo")).toBe("arn:aws:sqs:eu-west-1:111122223333:orders.fifo");
    expect(sqsRegionFromQueueUrl(QUEUE_URL)).toBe("us-east-1");
    expect(sqsArnFromQueueUrl("http://127.0.0.1:9324/000000000000/local")).toBeNull();
    expect(sqsRegionFromQueueUrl("http://127.0.0.1:9324/000000000000/local")).toBeNull();
    expect(sqsArnFromQueueUrl("not a url")).toBeNull();
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
