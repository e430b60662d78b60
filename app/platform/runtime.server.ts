import type { Session } from "@shopify/shopify-api";
import { createSecretBox, parseKeyring, type SecretBox } from "./crypto.server";
import { createDb, type Db, type Provider } from "./db/client.server";
import type { Env } from "./env.server";
import { createLogger, type Logger } from "./logger.server";
import { createOutboxRelay, type OutboxRelay } from "./outbox.server";
import { createInProcessRunner } from "./queue/in-process-runner.server";
import type { JobRunner } from "./queue/types";
import { createShopifyApp, type AdminGraphql, type ShopifyApp } from "./shopify.server";
import { createShopifyAdmin, type ShopifyAdmin } from "./shopify-admin.server";
import { createAmazonPlatform, type AmazonPlatform } from "./amazon.server";
import { createAdminAuth, type AdminAuth } from "./auth.server";

/**
 * Everything a request or a job needs, built once per process and handed to Remix loaders through
 * the load context (no module-level singletons, so the CLI, the server and tests each build their
 * own).  Swapping SQLite→Postgres or in-process→BullMQ is configuration here, not a code fork.
 */
export interface AppRuntime {
  env: Env;
  logger: Logger;
  db: Db;
  provider: Provider;
  secrets: SecretBox;
  runner: JobRunner;
  relay: OutboxRelay;
  shopify: ShopifyApp;
  /** Cost-aware Admin GraphQL clients: shopifyAdmin.adminClientFor(shop) (ADR 010). */
  shopifyAdmin: ShopifyAdmin;
  /** How Amazon is reached (the real hosts, or the sandbox peer) and the connect page's credential check. */
  amazon: AmazonPlatform;
  auth: AdminAuth;
  now: () => Date;
  /** Start the job runner and outbox relay (the server does; one-shot CLI commands need not). */
  startWorkers(): void;
  /**
   * A long-running worker beside the job runner (e.g. the Amazon SQS consumer): started by
   * startWorkers (at once if they already run), stopped by close() before the runner.
   */
  addService(service: RuntimeService): void;
  close(): Promise<void>;
}

export interface RuntimeService {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  now?: () => Date;
  /** Install hook: record the shop (wired by the server to the shops module). */
  afterAuth?: (runtime: AppRuntime, args: { session: Session; admin: AdminGraphql }) => Promise<void>;
}

export function createRuntime(env: Env, opts: RuntimeOptions = {}): AppRuntime {
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const now = opts.now ?? (() => new Date());
  const handle = createDb(env.DATABASE_URL, { poolSize: env.OMS_WORKER_CONCURRENCY + 4 });
  const secrets = createSecretBox(parseKeyring(env.OMS_ENCRYPTION_KEYS));
  const runner = createInProcessRunner({ db: handle.db, logger, concurrency: env.OMS_WORKER_CONCURRENCY, pollMs: env.OMS_JOB_POLL_MS, now });
  const relay = createOutboxRelay({ db: handle.db, queue: runner, logger, pollMs: env.OMS_JOB_POLL_MS, now });
  const shopify = createShopifyApp({
    env,
    db: handle.db,
    secrets,
    logger,
    // Runs on a request, long after `runtime` below is initialised.
    afterAuth: async (args) => opts.afterAuth?.(runtime, args),
  });
  const shopifyAdmin = createShopifyAdmin({ env, shopify, logger, adminUrl: env.SHOPIFY_ADMIN_URL, adminToken: env.SHOPIFY_ADMIN_TOKEN });
  let workers = false;
  const services: RuntimeService[] = [];
  const runtime: AppRuntime = {
    env,
    logger,
    db: handle.db,
    provider: handle.provider,
    secrets,
    runner,
    relay,
    shopify,
    shopifyAdmin,
    amazon: createAmazonPlatform(env, logger),
    auth: createAdminAuth({ env, shopify, db: handle.db }),
    now,
    startWorkers() {
      workers = true;
      runner.start();
      relay.start();
      for (const s of services) s.start();
    },
    addService(service) {
      services.push(service);
      if (workers) service.start();
    },
    async close() {
      if (workers) {
        // Services feed the runner (the SQS consumer stores events the runner processes): they stop first.
        for (const s of services) await s.stop();
        await relay.stop();
        await runner.stop();
      }
      await handle.close();
    },
  };
  return runtime;
}
