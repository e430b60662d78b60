import type { Server } from "node:http";
import type { SandboxSeed } from "./seed";

export interface SandboxLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export const silentLogger: SandboxLogger = { info() {}, warn() {} };

export interface ShopifySandboxConfig {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * A server already listening on 127.0.0.1 (port and host are then ignored): the peer serves on it and closes it on
   * stop.  The demo binds it before building the runtime, which must know the peer's URL, so no other
   * socket can take the port in between (a closed "free port" can be taken by any outbound connect).
   */
  listener?: Server;
  /** Directory holding Shopify's introspection files (`admin_2026-10.json.gz`); served versions = files present. */
  schemaDir: string;
  /** The shop's myshopify domain ("demo-outfitters.myshopify.com"). */
  shop: string;
  seed: SandboxSeed;
  /** The app's API secret: webhooks are signed with it. */
  apiSecret: string;
  /** Where webhooks go: `${appUrl}${path}`.  Without it webhooks are recorded, not sent. */
  appUrl?: string | null;
  /** Webhook subscriptions: topic ("orders/create") → path ("/webhooks/orders") or absolute URL; "*" = any other topic. */
  webhooks?: Record<string, string>;
  /** Accepted X-Shopify-Access-Token values (default: ["shpat_sandbox"]). */
  accessTokens?: string[];
  /** Leaky bucket: points restored per second (Shopify Standard plan: 100). */
  restoreRate?: number;
  /** Leaky bucket size in points. */
  bucketSize?: number;
  /** Single-query limit on the requested cost (Shopify: 1000). */
  maxQueryCost?: number;
  /** Clock in ms (injected in tests); drives the bucket and every timestamp. */
  now?: () => number;
  logger?: SandboxLogger;
  webhookRetry?: { attempts?: number; baseDelayMs?: number; timeoutMs?: number };
  /** The app's API client id: default sourceName of orders created through orderCreate. */
  apiClientId?: string;
  bulk?: { pageSize?: number; startDelayMs?: number; dir?: string };
}

export interface SandboxStats {
  /** Start of the counting window (sandbox start or last resetStats), and now, on the sandbox clock. */
  startedAt: number;
  now: number;
  restoreRate: number;
  bucketSize: number;
  requests: number;
  /** GraphQL requests that were executed (not throttled / refused). */
  executed: number;
  queries: number;
  mutations: number;
  throttled: number;
  maxCostExceeded: number;
  invalid: number;
  unauthorized: number;
  pointsRequested: number;
  /** Points actually charged (Σ actualQueryCost of executed requests). */
  pointsUsed: number;
  bulkOperations: number;
  /** Executed requests by operation name (`OmsLocationOnHand`, …; "(anonymous)" without one): calls and Σ actualQueryCost. */
  operations: Record<string, { calls: number; pointsUsed: number }>;
  webhooks: { sent: number; delivered: number; failed: number; retries: number; skipped: number };
  ordersGenerated: number;
}

export interface OrderStreamOptions {
  /** Interval between generated orders (real time). */
  everyMs: number;
  /** Relative weights of the channels: web (online store, shipped), pickup (online, picked up in a store), pos (store sale). */
  channelMix?: { web?: number; pos?: number; pickup?: number };
  /** PRNG seed: the same seed generates the same orders. */
  seed?: number;
  /** Stop after this many orders. */
  maxOrders?: number;
}

export interface OrderStream {
  stop(): void;
  readonly count: number;
}
