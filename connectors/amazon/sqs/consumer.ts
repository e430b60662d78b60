import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { silentLogger, type ConnectorLogger } from "#connectors/core/logger";
import { backoffDelay } from "#connectors/core/retry";
import { classifySqsError, describeSqsFailure, oneLine, type SqsFailureKind } from "./errors";

/**
 * A long-polling SQS consumer for SP-API notifications (docs/decisions/015-amazon-notifications-sqs.md).
 *
 * One loop: ReceiveMessage (WaitTimeSeconds 20, MaxNumberOfMessages 10 — SQS's maxima:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html),
 * then each message to `handle`, one at a time, and DeleteMessage only for the verdicts that say the
 * message is done with:
 *
 *  - accepted / duplicate / ignored → DeleteMessage.  The handler has stored it durably (or knows it
 *    stored it before, or that nothing here wants it); a failed delete only means SQS delivers it
 *    again, and the handler deduplicates.
 *  - unreadable → left on the queue, not deleted and not made visible early: after the queue's
 *    visibility timeout it comes back, and after maxReceiveCount receives the queue's redrive policy
 *    moves it to the dead-letter queue, where it waits for a person (and a fix) instead of being
 *    lost.  Without a redrive policy it keeps coming back; every receive is logged with its
 *    ApproximateReceiveCount so that is visible.
 *  - the handler throws (the database is down …) → this and the rest of the batch are left on the
 *    queue (they come back after the visibility timeout) and the loop backs off.
 *
 * Errors of SQS itself back off exponentially with jitter (1 s doubling to `backoff.capMs`, 5 min);
 * refused credentials and a missing queue start at 30 s, because only a person fixes those.  `stop()`
 * aborts the long poll in flight, lets the message being handled finish and resolves when the loop
 * has ended.  `health()` says how it is going, for the connections page.
 */
export type MessageVerdict =
  | { outcome: "accepted" | "duplicate" | "ignored"; detail?: string }
  | { outcome: "unreadable"; detail: string };

export interface MessageMeta {
  messageId: string;
  /** How many times SQS has handed this message out (ApproximateReceiveCount), 1 the first time. */
  receiveCount: number;
}

export type MessageHandler = (body: string, meta: MessageMeta) => Promise<MessageVerdict>;

export interface SqsConsumerHealth {
  /** idle: never started; running: polling; backing_off: waiting after an error; stopped. */
  state: "idle" | "running" | "backing_off" | "stopped";
  queueUrl: string;
  startedAt: string | null;
  /** The last ReceiveMessage that SQS answered (with or without messages). */
  lastReceiveAt: string | null;
  /** The last message handed to the handler. */
  lastMessageAt: string | null;
  lastError: { at: string; kind: SqsFailureKind | "handler"; message: string } | null;
  /** Failures since the last good receive; 0 when healthy. */
  consecutiveErrors: number;
  /** While backing off: when the next receive goes out. */
  nextAttemptAt: string | null;
  counts: { received: number; accepted: number; duplicates: number; ignored: number; leftForRedrive: number; handlerFailures: number; deleteFailures: number };
}

export interface SqsConsumer {
  start(): void;
  /** Abort the long poll, finish the message in hand, end the loop. */
  stop(): Promise<void>;
  health(): SqsConsumerHealth;
  /** One receive → handle → delete cycle (tests; the loop calls it). Throws what the receive threw. */
  pollOnce(signal?: AbortSignal): Promise<{ received: number }>;
}

export interface SqsConsumerDeps {
  client: Pick<SQSClient, "send">;
  queueUrl: string;
  handle: MessageHandler;
  logger?: ConnectorLogger;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** 1–20 s (default 20: the longest long poll, fewest empty receives). */
  waitTimeSeconds?: number;
  /** 1–10 (default 10). */
  maxMessages?: number;
  backoff?: { baseMs: number; capMs: number };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createSqsConsumer(deps: SqsConsumerDeps): SqsConsumer {
  const log = deps.logger ?? silentLogger;
  const waitTimeSeconds = deps.waitTimeSeconds ?? 20;
  const maxMessages = deps.maxMessages ?? 10;
  const backoff = deps.backoff ?? { baseMs: 1_000, capMs: 5 * 60_000 };
  const queueUrl = deps.queueUrl;
  const h: SqsConsumerHealth = {
    state: "idle",
    queueUrl,
    startedAt: null,
    lastReceiveAt: null,
    lastMessageAt: null,
    lastError: null,
    consecutiveErrors: 0,
    nextAttemptAt: null,
    counts: { received: 0, accepted: 0, duplicates: 0, ignored: 0, leftForRedrive: 0, handlerFailures: 0, deleteFailures: 0 },
  };
  let controller: AbortController | null = null;
  let loop: Promise<void> | null = null;

  /** Thrown out of a batch when the handler fails: the loop backs off like for an SQS error. */
  class HandlerFailed extends Error {}

  async function remove(m: Message) {
    try {
      // Not aborted by stop(): the message has been dealt with, and deleting it spares a redelivery.
      await deps.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    } catch (e) {
      const f = classifySqsError(e);
      h.counts.deleteFailures++;
      log.warn("sqs delete failed: the message will be delivered again (and deduplicated)", { queueUrl, messageId: m.MessageId ?? null, error: f.name, status: f.status, message: f.message });
    }
  }

  async function handleOne(m: Message) {
    const meta: MessageMeta = { messageId: m.MessageId ?? "unknown", receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? "1") || 1 };
    h.counts.received++;
    h.lastMessageAt = iso(deps.now());
    let verdict: MessageVerdict;
    try {
      verdict = await deps.handle(m.Body ?? "", meta);
    } catch (e) {
      h.counts.handlerFailures++;
      const message = `A notification could not be stored (${oneLine((e as Error)?.message ?? String(e))}); it stays on the queue and comes back after the visibility timeout.`;
      h.lastError = { at: iso(deps.now()), kind: "handler", message };
      log.warn("sqs message not handled: left on the queue", { queueUrl, ...meta, err: oneLine((e as Error)?.message ?? String(e)) });
      throw new HandlerFailed(message);
    }
    switch (verdict.outcome) {
      case "accepted":
        h.counts.accepted++;
        break;
      case "duplicate":
        h.counts.duplicates++;
        break;
      case "ignored":
        h.counts.ignored++;
        log.info("sqs message ignored and deleted", { queueUrl, ...meta, reason: verdict.detail ?? null });
        break;
      case "unreadable":
        h.counts.leftForRedrive++;
        // Not deleted: the queue's redrive policy moves it to the dead-letter queue after maxReceiveCount receives.
        log.warn("sqs message unreadable: left for the queue's redrive policy (dead-letter queue)", { queueUrl, ...meta, reason: verdict.detail });
        return;
    }
    await remove(m);
  }

  async function pollOnce(signal?: AbortSignal): Promise<{ received: number }> {
    const res = await deps.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: maxMessages, WaitTimeSeconds: waitTimeSeconds, MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"] }),
      signal ? { abortSignal: signal } : {},
    );
    h.lastReceiveAt = iso(deps.now());
    h.consecutiveErrors = 0;
    h.nextAttemptAt = null;
    const messages = res.Messages ?? [];
    for (const m of messages) await handleOne(m);
    return { received: messages.length };
  }

  async function run(signal: AbortSignal) {
    while (!signal.aborted) {
      h.state = "running";
      try {
        await pollOnce(signal);
        continue;
      } catch (e) {
        if (signal.aborted) break;
        let kind: SqsFailureKind | "handler";
        let message: string;
        if (e instanceof HandlerFailed) {
          kind = "handler";
          message = e.message;
        } else {
          const f = classifySqsError(e);
          if (f.kind === "aborted") break;
          kind = f.kind;
          message = describeSqsFailure(f, queueUrl);
          log.warn("sqs receive failed", { queueUrl, error: f.name, status: f.status, kind: f.kind, message: f.message, consecutiveErrors: h.consecutiveErrors + 1 });
        }
        h.consecutiveErrors++;
        h.lastError = { at: iso(deps.now()), kind, message };
        // Only a person fixes credentials or the queue URL: no point asking every second.
        const floor = kind === "auth" || kind === "queue" ? 30_000 : 0;
        const delay = Math.max(floor, backoffDelay(h.consecutiveErrors, deps.random(), backoff));
        h.state = "backing_off";
        h.nextAttemptAt = iso(deps.now() + delay);
        try {
          await deps.sleep(delay, signal);
        } catch {
          break; // aborted while waiting
        }
      }
    }
    h.state = "stopped";
    h.nextAttemptAt = null;
  }

  return {
    start() {
      if (loop) return;
      controller = new AbortController();
      h.startedAt = iso(deps.now());
      h.state = "running";
      log.info("sqs consumer started", { queueUrl, waitTimeSeconds, maxMessages });
      loop = run(controller.signal).catch((e: unknown) => {
        // run() catches everything it expects; anything else is a bug worth a loud line.
        h.state = "stopped";
        log.error("sqs consumer loop ended unexpectedly", { queueUrl, err: oneLine((e as Error)?.message ?? String(e)) });
      });
    },
    async stop() {
      if (!loop) {
        h.state = h.state === "idle" ? "idle" : "stopped";
        return;
      }
      controller?.abort();
      await loop;
      loop = null;
      controller = null;
      log.info("sqs consumer stopped", { queueUrl, ...h.counts });
    },
    health: () => structuredClone(h),
    pollOnce,
  };
}

export interface SqsClientOptions {
  queueUrl: string;
  region: string;
  /** Tests only: fixed credentials instead of the default AWS chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * The SDK client for one queue.  Credentials come from the SDK's default chain (environment,
 * shared config/SSO, web identity, ECS/EC2 roles) unless given; the endpoint is the queue URL's
 * origin, so a queue on a local SQS-compatible server works the same way; the socket timeout
 * outlasts the 20-second long poll.
 */
export function createSqsClient(opts: SqsClientOptions): SQSClient {
  const origin = new URL(opts.queueUrl).origin;
  return new SQSClient({
    region: opts.region,
    endpoint: origin,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    maxAttempts: 1, // the consumer's loop is the retry (with its own backoff and health)
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 35_000 },
  });
}

/**
 * The queue ARN for a standard SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>),
 * the form createDestination wants; null for URLs that do not say their region and account.
 */
export function sqsArnFromQueueUrl(queueUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(queueUrl);
  } catch {
    return null;
  }
  const host = /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/.exec(u.hostname);
  const path = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80}(\.fifo)?)$/.exec(u.pathname);
  if (!host || !path) return null;
  return `arn:aws:sqs:${host[1]}:${path[1]}:${path[2]}`;
}

/** The region named in a standard SQS queue URL's host, or null. */
export function sqsRegionFromQueueUrl(queueUrl: string): string | null {
  try {
    return /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(queueUrl).hostname)?.[1] ?? null;
  } catch {
    return null;
  }
}
