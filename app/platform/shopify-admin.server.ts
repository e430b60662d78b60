// No `import "@shopify/shopify-api/adapters/node"` here: the runtime adapter comes with
// ./shopify.server ("@shopify/shopify-app-remix/adapters/node", imported below).  shopify-api's own
// Node adapter would replace the request converter process-wide, and authenticate.webhook could no
// longer read a Remix Request's headers (every webhook answered 400 missing_hmac).
import { shopifyApi, LogSeverity, type Session } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { systemClock, type ConnectorClock } from "#connectors/core/clock";
import { createMemoryBucketStore, createTokenBuckets, type BucketStore } from "#connectors/core/token-bucket";
import { ASSUMED_LIMITS, createAdminClient, type AdminClient, type CostMemory } from "#connectors/shopify/client/admin-client";
import { createFetchTransport } from "#connectors/shopify/client/fetch-transport";
import { createShopifyApiTransport } from "#connectors/shopify/client/shopify-api-transport";
import type { Transport } from "#connectors/shopify/client/transport";
import { DomainError } from "./errors";
import type { Env } from "./env.server";
import type { Logger } from "./logger.server";
import { API_VERSION, API_VERSION_STRING, type ShopifyApp } from "./shopify.server";

/**
 * Admin GraphQL clients for jobs and workflows: `adminClientFor(shop)` → the cost-aware client of
 * connectors/shopify/client (docs/decisions/010-shopify-admin-client.md).  One per process:
 * every client it makes shares the token-bucket store (one bucket per shop, as Shopify keeps one
 * per app and store) and the learned cost per operation.
 *
 * Transport:
 *  - default: @shopify/shopify-api's GraphQL client with the shop's offline session, loaded (and
 *    refreshed when it expires — expiringOfflineAccessTokens) through the app's
 *    `unauthenticated.admin(shop)`, kept for a minute;
 *  - `adminUrl` set (SHOPIFY_ADMIN_URL, e.g. the local sandbox peer http://127.0.0.1:4010): a plain
 *    fetch to that base URL with `adminToken` — shopify-api cannot be pointed at another base URL
 *    (it forces https on the shop domain).  Same client, same code path otherwise.
 */
export interface ShopifyAdmin {
  adminClientFor(shop: string): AdminClient;
}

export interface ShopifyAdminDeps {
  env: Env;
  shopify: Pick<ShopifyApp, "unauthenticated">;
  logger: Logger;
  /** SHOPIFY_ADMIN_URL: send Admin GraphQL requests to this base URL instead ("{shop}" is replaced). */
  adminUrl?: string;
  /** SHOPIFY_ADMIN_TOKEN: the access token for `adminUrl`. */
  adminToken?: string;
  /** Where buckets live: in memory by default; a Redis store when workers share them (later). */
  store?: BucketStore;
  /** Real time by default; connector timing must not follow a frozen test clock. */
  clock?: ConnectorClock;
}

/** How long a loaded offline session is reused before asking session storage again. */
const SESSION_TTL_MS = 60_000;
/** Reload a session this close to its expiry (the app's helper refreshes it then). */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export function createShopifyAdmin(deps: ShopifyAdminDeps): ShopifyAdmin {
  const clock = deps.clock ?? systemClock;
  const log = deps.logger.child({ component: "shopify-admin" });
  const buckets = createTokenBuckets({ store: deps.store ?? createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now: clock.now, sleep: clock.sleep });
  const learned = new Map<string, number>();
  const costs: CostMemory = { get: (op) => learned.get(op), set: (op, cost) => void learned.set(op, cost) };

  let transportFor: (shop: string) => Transport;
  if (deps.adminUrl) {
    const baseUrl = deps.adminUrl;
    transportFor = (shop) => createFetchTransport({ baseUrl, shop, apiVersion: API_VERSION_STRING, accessToken: deps.adminToken });
  } else {
    const api = shopifyApiFor(deps.env, log);
    const sessions = new Map<string, { session: Session; loadedAt: number }>();
    const sessionFor = async (shop: string): Promise<Session> => {
      const cached = sessions.get(shop);
      if (cached && clock.now() - cached.loadedAt < SESSION_TTL_MS && !cached.session.isExpired(EXPIRY_MARGIN_MS)) return cached.session;
      const session = await loadOfflineSession(deps.shopify, shop);
      sessions.set(shop, { session, loadedAt: clock.now() });
      return session;
    };
    transportFor = (shop) => createShopifyApiTransport({ client: async () => new api.clients.Graphql({ session: await sessionFor(shop) }) });
  }

  return {
    adminClientFor(shop) {
      return createAdminClient({
        shop,
        transport: transportFor(shop),
        buckets,
        costs,
        logger: log,
        now: clock.now,
        sleep: clock.sleep,
        random: clock.random,
      });
    },
  };
}

/**
 * The shopify-api instance behind the clients: same key, secret, version and host as the app's
 * (app/platform/shopify.server.ts); shopifyApp() keeps its own instance private.
 */
function shopifyApiFor(env: Env, log: Logger) {
  const appUrl = new URL(env.SHOPIFY_APP_URL);
  return shopifyApi({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    scopes: env.SCOPES.split(",").map((s) => s.trim()).filter(Boolean),
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === "http:" ? "http" : "https",
    isEmbeddedApp: true,
    logger: {
      level: env.LOG_LEVEL === "debug" ? LogSeverity.Debug : LogSeverity.Warning,
      log: async (severity, message) => {
        if (severity <= LogSeverity.Error) log.error(message);
        else if (severity === LogSeverity.Warning) log.warn(message);
        else log.debug(message);
      },
    },
  });
}

/** The shop's offline session through the app (refreshing an expiring token), as a DomainError when there is none. */
async function loadOfflineSession(shopify: Pick<ShopifyApp, "unauthenticated">, shop: string): Promise<Session> {
  try {
    return (await shopify.unauthenticated.admin(shop)).session;
  } catch (e) {
    if (e instanceof SessionNotFoundError) {
      throw new DomainError("NOT_FOUND", `No offline session for ${shop}: the app is not installed there (or must be reinstalled)`, { shop });
    }
    // shopify-app-remix throws a bare 500 Response when refreshing an expiring token fails.
    if (e instanceof Response) throw new DomainError("UNAVAILABLE", `Could not refresh the access token of ${shop} (HTTP ${e.status})`, { shop });
    throw e;
  }
}
