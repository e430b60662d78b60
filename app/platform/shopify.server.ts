import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { Session } from "@shopify/shopify-api";
import type { Db } from "./db/client.server";
import type { SecretBox } from "./crypto.server";
import type { Env } from "./env.server";
import type { Logger } from "./logger.server";
import { EncryptedSessionStorage } from "./session-storage.server";

/** The Admin API version used everywhere (code, shopify.app.toml webhooks, functions). */
export const API_VERSION = ApiVersion.October26;
export const API_VERSION_STRING = "2026-10";

export interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export interface ShopifyDeps {
  env: Env;
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  /** Called after token exchange stored a new offline session (install or reinstall). */
  afterAuth?: (args: { session: Session; admin: AdminGraphql }) => Promise<void>;
}

/**
 * The Shopify app: token-exchange auth (Shopify-managed installation, no OAuth redirect dance),
 * expiring offline tokens that refresh themselves, sessions in Prisma with tokens encrypted.
 * https://shopify.dev/docs/api/shopify-app-remix#embedded-auth-strategy
 */
export function createShopifyApp(deps: ShopifyDeps) {
  const { env, logger } = deps;
  const log = logger.child({ component: "shopify" });
  return shopifyApp({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    scopes: env.SCOPES.split(",").map((s) => s.trim()).filter(Boolean),
    appUrl: env.SHOPIFY_APP_URL,
    authPathPrefix: "/auth",
    sessionStorage: new EncryptedSessionStorage(new PrismaSessionStorage(deps.db), deps.secrets),
    distribution: AppDistribution.AppStore,
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    logger: {
      level: env.LOG_LEVEL === "debug" ? LogSeverity.Debug : LogSeverity.Warning,
      log: (severity, message) => {
        if (severity <= LogSeverity.Error) log.error(message);
        else if (severity === LogSeverity.Warning) log.warn(message);
        else log.debug(message);
      },
    },
    hooks: {
      afterAuth: async ({ session, admin }) => {
        await deps.afterAuth?.({ session, admin });
      },
    },
  });
}

export type ShopifyApp = ReturnType<typeof createShopifyApp>;
