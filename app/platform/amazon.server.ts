import type https from "node:https";
import { classifyLwaAnswer, createMemoryAccessTokenCache, postLwaToken } from "#connectors/amazon/client/access-token";
import { spApiBucketLimits } from "#connectors/amazon/client/rate-limits";
import { sandboxAgent } from "#connectors/amazon/client/sandbox-agent";
import { createSpApiAppClient, createSpApiClient, type SpApiApp, type SpApiAppClient, type SpApiClient } from "#connectors/amazon/client/sp-api-client";
import { createSqsClient, createSqsConsumer, sqsRegionFromQueueUrl, type MessageHandler, type SqsConsumer, type SqsConsumerHealth } from "#connectors/amazon/sqs/index";
import { systemClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import type { AmazonCredentials, CredentialCheck } from "#app/modules/amazon/index";
import type { Env } from "./env.server";
import type { Logger } from "./logger.server";

/** How this process reaches Amazon: the real hosts, or (AMAZON_SANDBOX_URL) the local sandbox peer for every host. */
export interface AmazonPlatform {
  /** The https agent every Amazon call uses (undefined: Node's default, the real hosts). */
  agent: https.Agent | undefined;
  sandboxUrl: string | undefined;
  /** The connect page's check: one LWA token exchange with the typed credentials. */
  checkCredentials: CredentialCheck;
  /**
   * An SP-API client for one account.  Every client of the process shares one bucket store (the
   * limits are per seller × operation, whichever job calls) and one access-token cache (one LWA
   * token per account, refreshed once for all callers): docs/decisions/012-amazon-sp-api-client.md.
   */
  clientFor(creds: Pick<AmazonCredentials, "sellerId" | "region" | "marketplaceIds" | "lwaClientId" | "lwaClientSecret" | "refreshToken">): SpApiClient;
  /** The application's grantless Notifications calls in a region (destinations, deleting a subscription). */
  appClientFor(app: SpApiApp): SpApiAppClient;
  /**
   * ORDER_CHANGE notifications from SQS (AMAZON_SQS_QUEUE_URL): docs/decisions/015-amazon-notifications-sqs.md.
   * The app hands in what to do with each message body; the runtime starts and stops the consumer
   * with its workers.
   */
  notifications: AmazonNotificationsIntake;
}

export interface AmazonNotificationsIntake {
  /** The queue this process reads, or null (not configured: polling is the only intake). */
  queueUrl: string | null;
  /** The consumer for the configured queue (made once), or null without one. */
  createConsumer(handle: MessageHandler): SqsConsumer | null;
  consumer(): SqsConsumer | null;
  /** How the consumer is doing, or `off` without a queue. */
  health(): SqsConsumerHealth | { state: "off"; queueUrl: null };
}

const LWA_CHECK_TIMEOUT_MS = 10_000;

export function createAmazonPlatform(env: Pick<Env, "AMAZON_SANDBOX_URL" | "AMAZON_SQS_QUEUE_URL" | "AMAZON_SQS_REGION">, logger: Logger): AmazonPlatform {
  const agent = env.AMAZON_SANDBOX_URL ? sandboxAgent(env.AMAZON_SANDBOX_URL) : undefined;
  const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: systemClock.now, sleep: systemClock.sleep });
  const tokenCache = createMemoryAccessTokenCache();
  const clientLog = logger.child({ connector: "amazon" });
  return {
    agent,
    sandboxUrl: env.AMAZON_SANDBOX_URL,
    async checkCredentials(creds) {
      // LWA checks the client id, secret and refresh token together; its error says which part is
      // wrong (https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html):
      // invalid_client → the client id/secret, invalid_grant → the refresh token.  An unreachable
      // or failing LWA throws (a 503 "try again"), it does not reject the credentials.
      const answer = await postLwaToken({ clientId: creds.lwaClientId, clientSecret: creds.lwaClientSecret, refreshToken: creds.refreshToken }, { agent, timeoutMs: LWA_CHECK_TIMEOUT_MS });
      const verdict = classifyLwaAnswer(answer);
      if (verdict.ok) return { ok: true };
      if (verdict.error.retryable) throw verdict.error;
      const oauth = String((verdict.error.details as { oauthError?: unknown } | undefined)?.oauthError ?? "");
      const field = oauth === "invalid_grant" ? "refreshToken" : oauth === "invalid_client" || oauth === "unauthorized_client" ? "lwaClientSecret" : "credentials";
      logger.info("amazon credentials refused by LWA", { region: creds.region, sellerId: creds.sellerId, oauthError: oauth || null, status: answer.status });
      return { ok: false, field, message: verdict.error.message };
    },
    appClientFor(app) {
      return createSpApiAppClient({ app, buckets, tokenCache, logger: clientLog, now: systemClock.now, sleep: systemClock.sleep, random: systemClock.random, transport: { agent } });
    },
    notifications: notificationsIntake(env, logger),
    clientFor(creds) {
      return createSpApiClient({
        account: { sellerId: creds.sellerId, region: creds.region, marketplaceIds: creds.marketplaceIds, lwaClientId: creds.lwaClientId, lwaClientSecret: creds.lwaClientSecret, refreshToken: creds.refreshToken },
        buckets,
        tokenCache,
        logger: clientLog,
        now: systemClock.now,
        sleep: systemClock.sleep,
        random: systemClock.random,
        transport: { agent },
      });
    },
  };
}


function notificationsIntake(env: Pick<Env, "AMAZON_SQS_QUEUE_URL" | "AMAZON_SQS_REGION">, logger: Logger): AmazonNotificationsIntake {
  const queueUrl = env.AMAZON_SQS_QUEUE_URL ?? null;
  let consumer: SqsConsumer | null = null;
  return {
    queueUrl,
    createConsumer(handle) {
      if (!queueUrl) return null;
      if (consumer) return consumer;
      // parseEnv made sure one of the two names the region.
      const region = env.AMAZON_SQS_REGION ?? sqsRegionFromQueueUrl(queueUrl)!;
      consumer = createSqsConsumer({
        client: createSqsClient({ queueUrl, region }),
        queueUrl,
        handle,
        logger: logger.child({ connector: "amazon-sqs" }),
        now: systemClock.now,
        sleep: systemClock.sleep,
        random: systemClock.random,
      });
      return consumer;
    },
    consumer: () => consumer,
    health: () => consumer?.health() ?? { state: "off", queueUrl: null },
  };
}
