import type https from "node:https";
import { SellingPartner } from "amazon-sp-api";
import { ConnectorError, isConnectorError } from "#connectors/core/errors";
import { silentLogger, type ConnectorLogger, type LogFields } from "#connectors/core/logger";
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type RetryPolicy } from "#connectors/core/retry";
import type { BucketKey, TokenBuckets } from "#connectors/core/token-bucket";
import { classifyLwaAnswer, postLwaToken, tokenExpiresAt, type AccessTokenCache, type CachedAccessToken } from "./access-token";
import { CONNECTOR, classifyAnswer, headerValue, networkError, requestIdOf, toConnectorError, type RawAnswer } from "./errors";
import {
  checkpointAfterPage,
  inventoryQuery,
  nextTokenUsable,
  resumeFrom,
  searchOrdersQuery,
  type InventoryQueryArgs,
  type OrdersCheckpoint,
  type OrdersFilters,
  type OrdersWindow,
} from "./paging";
import { DRAINED_STATUS, PRIME_STATUS, parseRateLimitHeader, rateOnlyStatus } from "./rate-header";
import { appBucketKey, feedTypeBucketKey, SP_API_OPERATIONS, spApiBucketKey, type SpApiOperation } from "./rate-limits";

/**
 * The Amazon SP-API client (issue 6 item 2; docs/decisions/012-amazon-sp-api-client.md).
 *
 * amazon-sp-api 1.2.1 builds the requests (paths, encoding, versions) and sends them; the hub owns
 * everything its defaults get wrong for a multi-worker OMS (brief §1.5, §6):
 *  - settings: `auto_request_throttled:false` (its 429 retry has no cap and waits hard-coded
 *    restore times, e.g. 180 s for searchOrders), `retry_remote_timeout:false` (with debug_log off
 *    it retries ECONNRESET/ETIMEDOUT/ENOTFOUND instantly and forever), `version_fallback:false` and
 *    the version of every operation passed explicitly (it would otherwise pick the oldest, or
 *    silently fall back to Orders v0), `auto_request_tokens:false` with the access token injected;
 *  - `raw_result:true` on every call, because its errors drop the status, the headers and
 *    `x-amzn-RequestId`; answers are classified by ./errors.ts;
 *  - a fresh params object per call and per retry: the library `Object.assign`s `api_path` onto the
 *    object it is given, and a reused object would ignore a changed path parameter;
 *  - per call: take a token from the (seller account + region, operation) bucket, send, adapt the
 *    bucket's rate from `x-amzn-RateLimit-Limit`; 429 → the bucket is drained (Amazon's is empty),
 *    back off with jitter and send again, at most `maxThrottleRetries` times; 5xx and lost
 *    connections → retried with backoff when the operation is safe to repeat, OUTCOME_UNKNOWN
 *    otherwise; 403 "access token … expired" → one shared refresh and one more try;
 *  - every attempt logged with operation, status, duration and Amazon's request id.
 */

export type SpApiRegion = "na" | "eu" | "fe";

export interface SpApiAccount {
  sellerId: string;
  region: SpApiRegion;
  marketplaceIds: string[];
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
}

export interface SpApiTransport {
  /** Passed to the library as `options.https_proxy_agent` and used for LWA: `sandboxAgent(url)` for the local peer. */
  agent?: https.Agent;
  /** Per attempt: no first byte / no full answer within this → treated as a lost connection (default 30 s). */
  timeoutMs?: number;
}

export interface SpApiClientDeps {
  account: SpApiAccount;
  buckets: TokenBuckets;
  tokenCache: AccessTokenCache;
  logger?: ConnectorLogger;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): backoff jitter. */
  random: () => number;
  transport?: SpApiTransport;
  /** For 5xx, unreadable answers and lost connections (throttling has its own bound). */
  retry?: Partial<RetryPolicy>;
  /** 429s tolerated for one call before giving up (UNAVAILABLE THROTTLED, retryable later). */
  maxThrottleRetries?: number;
  /** Backoff after a 429, on top of the drained bucket's refill time. */
  throttleBackoff?: Pick<RetryPolicy, "baseMs" | "capMs">;
  /** Restarts of a paged read whose page token expired, before giving up. */
  maxPageRestarts?: number;
}

// ---------------------------------------------------------------------------------------------
// Response shapes (what the client relies on; the mappers validate the rest)

export type Json = Record<string, unknown>;

export interface SearchOrdersPage {
  orders: Json[];
  pagination?: { nextToken?: string } | null;
  lastUpdatedBefore?: string;
  createdBefore?: string;
}

export interface ListingsItemSubmission {
  sku: string;
  status: "ACCEPTED" | "INVALID" | "VALID";
  submissionId: string;
  issues?: ListingsIssue[];
  identifiers?: Json[];
}

export interface ListingsIssue {
  code: string;
  message: string;
  severity: "ERROR" | "WARNING" | "INFO";
  attributeNames?: string[];
  categories?: string[];
}

export interface ListingsPatchBody {
  productType: string;
  patches: { op: "add" | "replace" | "merge" | "delete"; path: string; value?: unknown[] }[];
}

export interface FeedDocument {
  feedDocumentId: string;
  url: string;
  compressionAlgorithm?: "GZIP";
}

export type FeedProcessingStatus = "CANCELLED" | "DONE" | "FATAL" | "IN_PROGRESS" | "IN_QUEUE";

export interface Feed {
  feedId: string;
  feedType: string;
  processingStatus: FeedProcessingStatus;
  resultFeedDocumentId?: string;
  marketplaceIds?: string[];
  createdTime?: string;
  processingStartTime?: string;
  processingEndTime?: string;
}

export type FeedOutcome =
  | { done: false; feed: Feed }
  | { done: true; feed: Feed; report: unknown };

export interface ShipmentConfirmation {
  marketplaceId: string;
  packageDetail: {
    /** Required here (optional at Amazon): with it a repeated call edits the same package instead of adding one. */
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    shippingMethod?: string;
    trackingNumber: string;
    /** ISO 8601. */
    shipDate: string;
    shipFromSupplySourceId?: string;
    orderItems: { orderItemId: string; quantity: number; transparencyCodes?: string[] }[];
  };
  codCollectionMethod?: "DirectPayment";
}

export interface InventorySummariesPage {
  granularity?: Json;
  inventorySummaries: Json[];
  nextToken: string | null;
}

/**
 * Notifications API v1 (models/notifications-api-model/notifications.json @34dc93f): a subscription
 * of one seller to one notification type, delivered to a destination of the application.
 */
export type NotificationType = "ORDER_CHANGE";

export interface NotificationEventFilter {
  eventFilterType: "ORDER_CHANGE";
  /** Omitted: every marketplace (Amazon's model: "To receive notifications in every marketplace, do not provide this list"). */
  marketplaceIds?: string[];
  /** Omitted: every change type. */
  orderChangeTypes?: ("BuyerRequestedChange" | "DeliveryTipChange" | "OrderStatusChange")[];
}

export interface NotificationSubscription {
  subscriptionId: string;
  payloadVersion: string;
  destinationId: string;
  processingDirective?: { eventFilter?: NotificationEventFilter; filterExpression?: string };
}

export interface CreateSubscriptionBody {
  payloadVersion: string;
  destinationId: string;
  processingDirective?: { eventFilter: NotificationEventFilter };
}

export interface NotificationDestination {
  destinationId: string;
  name: string;
  resource: { sqs?: { arn: string }; eventBridge?: { name: string; region: string; accountId: string } };
}

/** Grantless Notifications operations: the application's own, for one region (no seller). */
export interface SpApiAppClient {
  readonly app: Pick<SpApiApp, "lwaClientId" | "region">;
  getDestinations(): Promise<NotificationDestination[]>;
  createDestination(args: { name: string; sqsArn: string }): Promise<NotificationDestination>;
  /** `deleted: false` when Amazon no longer has it (404): deleting twice is not an error. */
  deleteSubscriptionById(notificationType: NotificationType, subscriptionId: string): Promise<{ deleted: boolean }>;
}

export interface SpApiApp {
  region: SpApiRegion;
  lwaClientId: string;
  lwaClientSecret: string;
}

export type SpApiAppClientDeps = Omit<SpApiClientDeps, "account"> & { app: SpApiApp };

export interface SpApiClient {
  readonly account: Pick<SpApiAccount, "sellerId" | "region" | "marketplaceIds">;
  searchOrders(args: { window: Pick<OrdersWindow, "by" | "after"> & { before?: string }; filters?: OrdersFilters; paginationToken?: string | null }): Promise<SearchOrdersPage>;
  /** Pages of a search from a checkpoint; store each yielded checkpoint after committing its orders. */
  searchOrdersPages(args: { checkpoint: OrdersCheckpoint; filters?: OrdersFilters }): AsyncGenerator<{ orders: Json[]; checkpoint: OrdersCheckpoint; restarted: boolean }>;
  getOrder(orderId: string, opts?: { includedData?: string[] }): Promise<{ order: Json }>;
  confirmShipment(orderId: string, body: ShipmentConfirmation): Promise<{ success: true }>;
  getListingsItem(sku: string, opts?: { marketplaceIds?: string[]; includedData?: string[]; issueLocale?: string }): Promise<Json>;
  patchListingsItem(sku: string, body: ListingsPatchBody, opts?: { marketplaceIds?: string[]; includedData?: string[]; mode?: "VALIDATION_PREVIEW"; issueLocale?: string }): Promise<ListingsItemSubmission>;
  createFeedDocument(contentType: string): Promise<FeedDocument>;
  uploadFeedDocument(document: Pick<FeedDocument, "url">, content: string, contentType: string): Promise<void>;
  createFeed(args: { feedType: string; marketplaceIds?: string[]; inputFeedDocumentId: string; feedOptions?: Record<string, string> }): Promise<{ feedId: string }>;
  /** createFeedDocument → upload → createFeed. */
  submitFeed(args: { feedType: string; content: string; contentType: string; marketplaceIds?: string[] }): Promise<{ feedId: string; feedDocumentId: string }>;
  getFeed(feedId: string): Promise<Feed>;
  getFeedDocument(feedDocumentId: string): Promise<FeedDocument>;
  /** The document's content as text (GZIP undone by the library). */
  downloadFeedDocument(document: FeedDocument): Promise<string>;
  /** getFeedDocument + download + JSON.parse, with a fresh presigned URL on each try (they expire after 5 minutes). */
  readFeedReport(feedDocumentId: string): Promise<unknown>;
  /** getFeed; when finished, its processing report.  FATAL and CANCELLED throw, carrying the report when there is one. */
  feedOutcome(feedId: string): Promise<FeedOutcome>;
  getInventorySummaries(args: InventoryQueryArgs, nextToken?: string | null): Promise<InventorySummariesPage>;
  /** All pages back to back (nextToken dies after 30 s); an expired token restarts from startDateTime. */
  inventorySummariesPages(args: InventoryQueryArgs): AsyncGenerator<InventorySummariesPage & { restarted: boolean }>;
  /** The seller's subscription to a notification type, or null when it has none (Amazon answers 404). */
  getSubscription(notificationType: NotificationType, opts?: { payloadVersion?: string }): Promise<NotificationSubscription | null>;
  /** 409 CONFLICT when the seller already has one for this type and payload version. */
  createSubscription(notificationType: NotificationType, body: CreateSubscriptionBody): Promise<NotificationSubscription>;
  /** Grantless (the application's LWA client credentials, scope sellingpartnerapi::notifications). */
  deleteSubscriptionById(notificationType: NotificationType, subscriptionId: string): Promise<{ deleted: boolean }>;
}

// ---------------------------------------------------------------------------------------------
// The library, as far as the client uses it (its typings are partial: brief §1.7)

interface LibCallParams {
  operation: string;
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  options: { version: string; raw_result: true };
}

interface LibRawResult {
  body: string;
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
}

interface SpLib {
  callAPI(params: LibCallParams): Promise<LibRawResult>;
  upload(details: { url: string }, feed: { content: string; contentType: string }): Promise<unknown>;
  download(details: { url: string; compressionAlgorithm?: string }, options: Record<string, unknown>): Promise<unknown>;
}

const LIB_NETWORK_CODES = /^(E[A-Z]+|ERR_|API_(RESPONSE|IDLE|DEADLINE)_TIMEOUT$)/;

/** An error from the library that means "no answer" (connection refused/reset, timeout, nock's no-network) rather than a refused call. */
function isNetworkFailure(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && LIB_NETWORK_CODES.test(code);
}

const REGIONS: readonly SpApiRegion[] = ["na", "eu", "fe"];

function validateApp(app: SpApiApp): void {
  const bad = (field: string, why: string) => new ConnectorError("INVALID", `Amazon application: ${field} ${why}`, { connector: CONNECTOR, code: "INVALID", field: `app.${field}` });
  if (!app || typeof app !== "object") throw bad("", "is missing");
  for (const f of ["lwaClientId", "lwaClientSecret"] as const) {
    if (typeof app[f] !== "string" || app[f].trim() === "") throw bad(f, "is required");
  }
  if (!REGIONS.includes(app.region)) throw bad("region", `must be one of na, eu, fe (got "${String(app.region)}")`);
}

function validateAccount(account: SpApiAccount): void {
  const bad = (field: string, why: string) => new ConnectorError("INVALID", `Amazon account: ${field} ${why}`, { connector: CONNECTOR, code: "INVALID", field: `account.${field}` });
  if (!account || typeof account !== "object") throw bad("", "is missing");
  for (const f of ["sellerId", "lwaClientId", "lwaClientSecret", "refreshToken"] as const) {
    if (typeof account[f] !== "string" || account[f].trim() === "") throw bad(f, "is required");
  }
  if (!REGIONS.includes(account.region)) throw bad("region", `must be one of na, eu, fe (got "${String(account.region)}")`);
  if (!Array.isArray(account.marketplaceIds) || account.marketplaceIds.length === 0 || account.marketplaceIds.some((m) => typeof m !== "string" || m.trim() === "")) {
    throw bad("marketplaceIds", "must list at least one marketplace id");
  }
}

function requireText(value: unknown, field: string, operation: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConnectorError("INVALID", `${operation}: ${field} is required`, { connector: CONNECTOR, code: "INVALID", field });
  }
  return value;
}

function validateShipment(orderId: string, body: ShipmentConfirmation): void {
  const op = "confirmShipment";
  requireText(orderId, "orderId", op);
  requireText(body?.marketplaceId, "marketplaceId", op);
  const p = body?.packageDetail;
  if (!p || typeof p !== "object") throw new ConnectorError("INVALID", `${op}: packageDetail is required`, { connector: CONNECTOR, code: "INVALID", field: "packageDetail" });
  requireText(p.packageReferenceId, "packageDetail.packageReferenceId", op);
  if (!/^[1-9]\d*$/.test(p.packageReferenceId)) {
    throw new ConnectorError("INVALID", `${op}: packageDetail.packageReferenceId must be a positive whole number (Amazon's rule), got "${p.packageReferenceId}"`, {
      connector: CONNECTOR,
      code: "INVALID",
      field: "packageDetail.packageReferenceId",
    });
  }
  requireText(p.carrierCode, "packageDetail.carrierCode", op);
  if (p.carrierCode === "Other") requireText(p.carrierName, "packageDetail.carrierName", op);
  requireText(p.trackingNumber, "packageDetail.trackingNumber", op);
  requireText(p.shipDate, "packageDetail.shipDate", op);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(p.shipDate) || Number.isNaN(Date.parse(p.shipDate))) {
    throw new ConnectorError("INVALID", `${op}: packageDetail.shipDate must be ISO 8601, got "${p.shipDate}"`, { connector: CONNECTOR, code: "INVALID", field: "packageDetail.shipDate" });
  }
  if (!Array.isArray(p.orderItems) || p.orderItems.length === 0) {
    throw new ConnectorError("INVALID", `${op}: packageDetail.orderItems must list at least one item`, { connector: CONNECTOR, code: "INVALID", field: "packageDetail.orderItems" });
  }
  p.orderItems.forEach((item, i) => {
    requireText(item?.orderItemId, `packageDetail.orderItems.${i}.orderItemId`, op);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      throw new ConnectorError("INVALID", `${op}: packageDetail.orderItems.${i}.quantity must be a positive integer`, { connector: CONNECTOR, code: "INVALID", field: `packageDetail.orderItems.${i}.quantity` });
    }
  });
}

/** Deep copy of plain JSON data: the library gets an object nobody else holds. */
const fresh = <T>(value: T): T => (value === undefined ? value : (structuredClone(value) as T));

export function createSpApiClient(deps: SpApiClientDeps): SpApiClient {
  validateAccount(deps.account);
  return createClient(deps, false);
}

/**
 * The application's grantless Notifications operations in one region: destinations (created once per
 * application, by the operator) and deleting a subscription by id.  No seller credentials needed.
 */
export function createSpApiAppClient(deps: SpApiAppClientDeps): SpApiAppClient {
  validateApp(deps.app);
  const { app, ...rest } = deps;
  const c = createClient({ ...rest, account: { sellerId: "", region: app.region, marketplaceIds: [], lwaClientId: app.lwaClientId, lwaClientSecret: app.lwaClientSecret, refreshToken: "" } }, true);
  return { app: { lwaClientId: app.lwaClientId, region: app.region }, getDestinations: c.getDestinations, createDestination: c.createDestination, deleteSubscriptionById: c.deleteSubscriptionById };
}

/** `appOnly`: no seller (createSpApiAppClient) — only grantless operations may be called. */
function createClient(deps: SpApiClientDeps, appOnly: boolean): SpApiClient & SpApiAppClient {
  const { account } = deps;
  const log = deps.logger ?? silentLogger;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const maxThrottleRetries = deps.maxThrottleRetries ?? 8;
  const throttleBackoff = deps.throttleBackoff ?? { baseMs: 1_000, capMs: 30_000 };
  const maxPageRestarts = deps.maxPageRestarts ?? 3;
  const timeoutMs = deps.transport?.timeoutMs ?? 30_000;
  const agent = deps.transport?.agent;
  const accountLabel = appOnly ? `app:${account.lwaClientId}|${account.region}` : `${account.sellerId}|${account.region}`;
  // One token per LWA application + seller + region (the refresh token belongs to that authorisation).
  const tokenKey = `${account.lwaClientId}|${accountLabel}`;
  const primed = new Set<string>();

  // ---- access token --------------------------------------------------------------------------

  async function fetchToken(): Promise<CachedAccessToken> {
    for (let attempt = 1; ; attempt++) {
      const started = deps.now();
      let error: ConnectorError;
      try {
        const answer = await postLwaToken({ clientId: account.lwaClientId, clientSecret: account.lwaClientSecret, refreshToken: account.refreshToken }, { agent, timeoutMs });
        const verdict = classifyLwaAnswer(answer);
        const fields = { account: accountLabel, operation: "lwaToken", status: answer.status, attempt, durationMs: deps.now() - started };
        if (verdict.ok) {
          log.info("amazon lwa token refreshed", fields);
          return { accessToken: verdict.accessToken, expiresAtMs: tokenExpiresAt(deps.now(), verdict.expiresIn) };
        }
        log.warn("amazon lwa token refused", { ...fields, code: verdict.error.code });
        error = verdict.error;
      } catch (e) {
        log.warn("amazon lwa token: no answer", { account: accountLabel, operation: "lwaToken", attempt, durationMs: deps.now() - started, err: (e as Error).message });
        error = networkError("lwaToken", e, true, attempt);
      }
      const decision = decideRetry({ attempt, retryable: error.retryable, policy, random: deps.random() });
      if (!decision.retry) throw error;
      await deps.sleep(decision.delayMs);
    }
  }

  /** The account's token; `rejected` is one Amazon just called expired, which is never handed out again. */
  async function accessToken(rejected?: string): Promise<string> {
    const cached = deps.tokenCache.get(tokenKey);
    if (cached && cached.accessToken !== rejected && deps.now() < cached.expiresAtMs) return cached.accessToken;
    return (await deps.tokenCache.refreshOnce(tokenKey, fetchToken)).accessToken;
  }

  // ---- grantless token (client_credentials), one per LWA application and scope -----------------

  type GrantlessScope = NonNullable<(typeof SP_API_OPERATIONS)[SpApiOperation]["grantless"]>;
  const grantlessKey = (scope: GrantlessScope) => `${account.lwaClientId}|grantless|${scope}`;

  async function fetchGrantlessToken(scope: GrantlessScope): Promise<CachedAccessToken> {
    for (let attempt = 1; ; attempt++) {
      const started = deps.now();
      let error: ConnectorError;
      try {
        const answer = await postLwaToken({ clientId: account.lwaClientId, clientSecret: account.lwaClientSecret, scope }, { agent, timeoutMs });
        const verdict = classifyLwaAnswer(answer);
        const fields = { account: accountLabel, operation: "lwaGrantlessToken", scope, status: answer.status, attempt, durationMs: deps.now() - started };
        if (verdict.ok) {
          log.info("amazon lwa grantless token issued", fields);
          return { accessToken: verdict.accessToken, expiresAtMs: tokenExpiresAt(deps.now(), verdict.expiresIn) };
        }
        log.warn("amazon lwa grantless token refused", { ...fields, code: verdict.error.code });
        error = verdict.error;
      } catch (e) {
        log.warn("amazon lwa grantless token: no answer", { account: accountLabel, operation: "lwaGrantlessToken", attempt, durationMs: deps.now() - started, err: (e as Error).message });
        error = networkError("lwaToken", e, true, attempt);
      }
      const decision = decideRetry({ attempt, retryable: error.retryable, policy, random: deps.random() });
      if (!decision.retry) throw error;
      await deps.sleep(decision.delayMs);
    }
  }

  async function grantlessToken(scope: GrantlessScope, rejected?: string): Promise<string> {
    const key = grantlessKey(scope);
    const cached = deps.tokenCache.get(key);
    if (cached && cached.accessToken !== rejected && deps.now() < cached.expiresAtMs) return cached.accessToken;
    return (await deps.tokenCache.refreshOnce(key, () => fetchGrantlessToken(scope))).accessToken;
  }

  // ---- the library, one instance per access token ---------------------------------------------

  let lib: { token: string; sp: SpLib } | undefined;
  function libFor(token: string): SpLib {
    if (lib?.token === token) return lib.sp;
    const sp = new SellingPartner({
      region: account.region,
      refresh_token: account.refreshToken,
      access_token: token,
      // Given here so the library never reads ~/.amzspapi/credentials or the environment.
      credentials: { SELLING_PARTNER_APP_CLIENT_ID: account.lwaClientId, SELLING_PARTNER_APP_CLIENT_SECRET: account.lwaClientSecret },
      endpoints_versions: { orders: "2026-01-01", listingsItems: "2021-08-01", feeds: "2021-06-30", fbaInventory: "v1" },
      options: {
        auto_request_tokens: false,
        auto_request_throttled: false,
        retry_remote_timeout: false,
        version_fallback: false,
        use_sandbox: false,
        debug_log: false, // it would print the access token, client secret and refresh token
        timeouts: { response: timeoutMs, idle: timeoutMs, deadline: timeoutMs * 4 },
        ...(agent ? { https_proxy_agent: agent } : {}),
      },
    } as ConstructorParameters<typeof SellingPartner>[0]) as unknown as SpLib;
    lib = { token, sp };
    return sp;
  }

  /**
   * A library instance for grantless operations.  The library keeps grantless tokens per scope in
   * `_grantless_tokens` and, with auto_request_tokens off, uses the one it finds there
   * (lib/SellingPartner.js callAPI → _validateAccessToken(scope)); its only way to fill it is its
   * own LWA request (no expires_in, no single flight: brief §1.4), so the hub's token is put there.
   * amazon-sp-api is pinned (1.2.1); the contract test for deleteSubscriptionById fails if this stops working.
   */
  let grantlessLib: { token: string; sp: SpLib } | undefined;
  function grantlessLibFor(scope: GrantlessScope, token: string): SpLib {
    if (grantlessLib?.token === token) return grantlessLib.sp;
    const sp = new SellingPartner({
      region: account.region,
      credentials: { SELLING_PARTNER_APP_CLIENT_ID: account.lwaClientId, SELLING_PARTNER_APP_CLIENT_SECRET: account.lwaClientSecret },
      endpoints_versions: { notifications: "v1" },
      options: {
        only_grantless_operations: true,
        auto_request_tokens: false,
        auto_request_throttled: false,
        retry_remote_timeout: false,
        version_fallback: false,
        use_sandbox: false,
        debug_log: false,
        timeouts: { response: timeoutMs, idle: timeoutMs, deadline: timeoutMs * 4 },
        ...(agent ? { https_proxy_agent: agent } : {}),
      },
    } as ConstructorParameters<typeof SellingPartner>[0]) as unknown as SpLib & { _grantless_tokens: Record<string, string> };
    sp._grantless_tokens[scope] = token;
    grantlessLib = { token, sp };
    return sp;
  }

  // ---- buckets ---------------------------------------------------------------------------------

  async function bucketFor(operation: SpApiOperation): Promise<BucketKey> {
    const key = SP_API_OPERATIONS[operation].grantless ? appBucketKey(account.lwaClientId, account.region, operation) : spApiBucketKey(account.sellerId, account.region, operation);
    const id = `${key.account}|${key.operation}`;
    if (!primed.has(id)) {
      // See rate-header.ts PRIME_STATUS: without this every take would run alone.
      const snap = await deps.buckets.snapshot(key);
      if (!snap?.observed) await deps.buckets.observe(key, PRIME_STATUS);
      primed.add(id);
    }
    return key;
  }

  // ---- one operation ---------------------------------------------------------------------------

  interface CallInput {
    path?: Record<string, string>;
    query?: Record<string, unknown>;
    body?: unknown;
  }

  async function call<T>(operation: SpApiOperation, input: CallInput): Promise<T> {
    const spec = SP_API_OPERATIONS[operation];
    const scope = spec.grantless;
    if (appOnly && !scope) throw new ConnectorError("INVALID", `${operation}: needs a seller's authorisation; the application client calls grantless operations only`, { connector: CONNECTOR, code: "INVALID", details: { operation } });
    const key = await bucketFor(operation);
    const paramNames = [...Object.keys(input.path ?? {}), ...Object.keys(input.query ?? {}), ...(input.body && typeof input.body === "object" ? Object.keys(input.body) : [])];
    let attempts = 0;
    let failures = 0;
    let throttles = 0;
    let rejectedToken: string | undefined;
    for (;;) {
      const token = scope ? await grantlessToken(scope, rejectedToken) : await accessToken(rejectedToken);
      const grant = await deps.buckets.take(key, 1);
      attempts++;
      const started = deps.now();
      let raw: LibRawResult;
      try {
        raw = await (scope ? grantlessLibFor(scope, token) : libFor(token)).callAPI({
          operation: spec.libOperation,
          ...(input.path ? { path: fresh(input.path) } : {}),
          ...(input.query ? { query: fresh(input.query) } : {}),
          ...(input.body !== undefined ? { body: fresh(input.body) } : {}),
          options: { version: spec.version, raw_result: true },
        });
      } catch (e) {
        await deps.buckets.settle(key, grant, {});
        const durationMs = deps.now() - started;
        if (!isNetworkFailure(e)) {
          // The library refused to build the request (a bad parameter, an unknown version): a bug here, not Amazon.
          log.error("amazon sp-api call: refused by amazon-sp-api", { account: accountLabel, operation, attempt: attempts, err: (e as Error).message });
          throw new ConnectorError("INVALID", `${operation}: amazon-sp-api refused the call — ${(e as { code?: string }).code ?? "error"}: ${(e as Error).message}`, { connector: CONNECTOR, code: "INVALID", cause: e, details: { operation } });
        }
        failures++;
        const fields: LogFields = { account: accountLabel, operation, status: null, requestId: null, attempt: attempts, durationMs, waitedMs: grant.waitedMs, err: (e as Error).message, networkCode: (e as { code?: string }).code };
        if (!spec.retrySafe) {
          log.warn("amazon sp-api call: no answer, outcome unknown", fields);
          throw networkError(operation, e, false, attempts);
        }
        const decision = decideRetry({ attempt: failures, retryable: true, policy, random: deps.random() });
        if (!decision.retry) {
          log.warn("amazon sp-api call: no answer, giving up", fields);
          throw networkError(operation, e, true, attempts);
        }
        log.warn("amazon sp-api call: no answer, retrying", { ...fields, retryInMs: decision.delayMs });
        await deps.sleep(decision.delayMs);
        continue;
      }

      const durationMs = deps.now() - started;
      const answer: RawAnswer = { status: raw.statusCode, body: typeof raw.body === "string" ? raw.body : String(raw.body ?? ""), headers: raw.headers ?? {} };
      await deps.buckets.settle(key, grant, {});
      const rate = parseRateLimitHeader(headerValue(answer.headers, "x-amzn-ratelimit-limit"));
      if (rate !== undefined) await deps.buckets.observe(key, rateOnlyStatus(rate));
      const verdict = classifyAnswer(answer, spec.retrySafe);
      const requestId = requestIdOf(answer.headers);
      const fields: LogFields = { account: accountLabel, operation, status: answer.status, requestId: requestId ?? null, attempt: attempts, durationMs, waitedMs: grant.waitedMs, rateLimit: rate ?? null };
      if (verdict.ok) {
        log.debug("amazon sp-api call", fields);
        return verdict.json as T;
      }
      const ctx = { operation, status: answer.status, requestId, attempts, paramNames };
      switch (verdict.category) {
        case "THROTTLED": {
          throttles++;
          // Amazon's bucket is empty: so is ours from now (the next token comes at the restore rate).
          await deps.buckets.observe(key, DRAINED_STATUS);
          if (throttles > maxThrottleRetries) {
            log.warn("amazon sp-api call: throttled, giving up", { ...fields, throttles });
            throw toConnectorError(verdict, ctx);
          }
          const retryAfter = parseRetryAfter(headerValue(answer.headers, "retry-after"), deps.now());
          const backoff = decideRetry({ attempt: throttles, retryable: true, policy: { ...throttleBackoff, maxAttempts: Number.POSITIVE_INFINITY }, random: deps.random(), retryAfterMs: retryAfter });
          const waitMs = backoff.retry ? backoff.delayMs : throttleBackoff.capMs;
          log.warn("amazon sp-api call: throttled, waiting", { ...fields, throttles, retryInMs: waitMs });
          await deps.sleep(waitMs);
          continue;
        }
        case "ACCESS_TOKEN_EXPIRED": {
          if (rejectedToken === undefined) {
            // Exactly one refresh (shared by every caller that saw the same token expire) and one more try.
            rejectedToken = token;
            log.warn("amazon sp-api call: access token expired, refreshing", fields);
            continue;
          }
          log.warn("amazon sp-api call: access token refused again after refresh", fields);
          throw new ConnectorError("NOT_ALLOWED", `${operation}: HTTP 403 — the access token was refused as expired even after a refresh`, {
            connector: CONNECTOR,
            code: "AUTH",
            details: { operation, status: answer.status, requestId, attempts },
          });
        }
        case "TRANSIENT": {
          failures++;
          const decision = decideRetry({ attempt: failures, retryable: true, policy, random: deps.random(), retryAfterMs: parseRetryAfter(headerValue(answer.headers, "retry-after"), deps.now()) });
          if (!decision.retry) {
            log.warn("amazon sp-api call: server trouble, giving up", fields);
            throw toConnectorError(verdict, ctx);
          }
          log.warn("amazon sp-api call: server trouble, retrying", { ...fields, retryInMs: decision.delayMs });
          await deps.sleep(decision.delayMs);
          continue;
        }
        default:
          log.warn("amazon sp-api call: refused", { ...fields, code: verdict.category, amazonCode: verdict.errors[0]?.code ?? null });
          throw toConnectorError(verdict, ctx);
      }
    }
  }

  /** Presigned document URLs: not SP-API (no bucket, no token); PUT/GET of the same document are safe to repeat. */
  async function document<T>(operation: "uploadFeedDocument" | "downloadFeedDocument", run: (sp: SpLib) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const started = deps.now();
      try {
        const result = await run(libFor(await accessToken()));
        log.debug("amazon document transfer", { account: accountLabel, operation, attempt, durationMs: deps.now() - started });
        return result;
      } catch (e) {
        const network = isNetworkFailure(e);
        const code = (e as { code?: string }).code;
        // S3 answers errors as XML (the library turns <Error><Code> into `code`); 5xx-type codes and lost connections are worth another try.
        const transient = network || /^(InternalError|ServiceUnavailable|SlowDown|RequestTimeout|DOWNLOAD_ERROR|UPLOAD_ERROR)$/.test(code ?? "");
        log.warn("amazon document transfer failed", { account: accountLabel, operation, attempt, durationMs: deps.now() - started, code: code ?? null, err: (e as Error).message });
        // A presigned URL lives 5 minutes; S3 then answers 403 AccessDenied "Request has expired".
        // Only a fresh URL (createFeedDocument / getFeedDocument again) helps: the caller gets another.
        if ((code === "AccessDenied" || code === "ExpiredToken") && /expired/i.test((e as Error).message)) {
          throw new ConnectorError("UNAVAILABLE", `${operation}: the presigned document URL has expired`, {
            connector: CONNECTOR,
            code: "DOCUMENT_URL_EXPIRED",
            retryable: true,
            cause: e,
            details: { operation, attempts: attempt, documentCode: code },
          });
        }
        const decision = decideRetry({ attempt, retryable: transient, policy, random: deps.random() });
        if (!decision.retry) {
          throw new ConnectorError(transient ? "UNAVAILABLE" : "INVALID", `${operation}: ${code ?? "error"} — ${(e as Error).message}`, {
            connector: CONNECTOR,
            code: transient ? "TRANSIENT" : "INVALID",
            retryable: transient,
            cause: e,
            details: { operation, attempts: attempt, ...(code ? { documentCode: code } : {}) },
          });
        }
        await deps.sleep(decision.delayMs);
      }
    }
  }

  const marketplaceIdsOr = (ids?: string[]) => (ids && ids.length ? [...ids] : [...account.marketplaceIds]);

  function expectShape(operation: string, ok: boolean, what: string): void {
    if (!ok) throw new ConnectorError("UNAVAILABLE", `${operation}: Amazon's answer has no ${what}`, { connector: CONNECTOR, code: "TRANSIENT", retryable: true, details: { operation } });
  }

  const subscriptionOf = (operation: string, res: { payload?: Partial<NotificationSubscription> } | undefined): NotificationSubscription => {
    const p = res?.payload;
    expectShape(operation, typeof p?.subscriptionId === "string" && typeof p.destinationId === "string", "payload.subscriptionId and destinationId");
    return p as NotificationSubscription;
  };

  const client: SpApiClient & SpApiAppClient = {
    account: { sellerId: account.sellerId, region: account.region, marketplaceIds: [...account.marketplaceIds] },
    app: { lwaClientId: account.lwaClientId, region: account.region },

    async getSubscription(notificationType, opts = {}) {
      try {
        const res = await call<{ payload?: Partial<NotificationSubscription> }>("getSubscription", { path: { notificationType }, ...(opts.payloadVersion ? { query: { payloadVersion: opts.payloadVersion } } : {}) });
        return subscriptionOf("getSubscription", res);
      } catch (e) {
        // Amazon answers 404 when the seller has no subscription of this type.
        if (isConnectorError(e) && e.code === "NOT_FOUND") return null;
        throw e;
      }
    },

    async createSubscription(notificationType, body) {
      requireText(body?.destinationId, "destinationId", "createSubscription");
      requireText(body?.payloadVersion, "payloadVersion", "createSubscription");
      const res = await call<{ payload?: Partial<NotificationSubscription> }>("createSubscription", { path: { notificationType }, body });
      return subscriptionOf("createSubscription", res);
    },

    async deleteSubscriptionById(notificationType, subscriptionId) {
      requireText(subscriptionId, "subscriptionId", "deleteSubscriptionById");
      try {
        await call<unknown>("deleteSubscriptionById", { path: { notificationType, subscriptionId } });
        return { deleted: true };
      } catch (e) {
        if (isConnectorError(e) && e.code === "NOT_FOUND") return { deleted: false };
        throw e;
      }
    },

    async getDestinations() {
      const res = await call<{ payload?: NotificationDestination[] }>("getDestinations", {});
      expectShape("getDestinations", Array.isArray(res?.payload), "payload list");
      return res.payload!;
    },

    async createDestination({ name, sqsArn }) {
      requireText(name, "name", "createDestination");
      // Amazon's pattern for the ARN (SqsResource.arn): ^arn:aws:sqs:\S+:\S+:\S+
      if (typeof sqsArn !== "string" || !/^arn:aws:sqs:\S+:\S+:\S+$/.test(sqsArn)) {
        throw new ConnectorError("INVALID", `createDestination: "${String(sqsArn)}" is not an SQS queue ARN (arn:aws:sqs:<region>:<account id>:<queue name>)`, { connector: CONNECTOR, code: "INVALID", field: "sqsArn" });
      }
      const res = await call<{ payload?: NotificationDestination }>("createDestination", { body: { name, resourceSpecification: { sqs: { arn: sqsArn } } } });
      expectShape("createDestination", typeof res?.payload?.destinationId === "string", "payload.destinationId");
      return res.payload!;
    },

    async searchOrders({ window, filters = {}, paginationToken }) {
      const page = await call<SearchOrdersPage>("searchOrders", { query: searchOrdersQuery(window, filters, paginationToken) });
      expectShape("searchOrders", Array.isArray(page?.orders), "orders list");
      return page;
    },

    async *searchOrdersPages({ checkpoint, filters = {} }) {
      let { window, paginationToken } = resumeFrom(checkpoint, deps.now());
      if (!window) return;
      let restarts = 0;
      let restarted = paginationToken === null && checkpoint.paginationToken !== null;
      for (;;) {
        let page: SearchOrdersPage;
        try {
          page = await client.searchOrders({ window, filters, paginationToken });
        } catch (e) {
          if (!(isConnectorError(e) && e.code === "PAGINATION_TOKEN_EXPIRED" && paginationToken && restarts < maxPageRestarts)) throw e;
          // The token outlived its 24 hours (or Amazon forgot it): start the window again from its watermark.
          restarts++;
          restarted = true;
          log.warn("amazon searchOrders: pagination token expired, restarting the window", { account: accountLabel, after: window.after, before: window.before, restarts });
          paginationToken = null;
          continue;
        }
        const next = checkpointAfterPage(window, page, deps.now());
        yield { orders: page.orders, checkpoint: next, restarted };
        restarted = false;
        if (!next.paginationToken) return;
        paginationToken = next.paginationToken;
        window = { by: next.by, after: next.after, before: next.before! };
      }
    },

    async getOrder(orderId, opts = {}) {
      requireText(orderId, "orderId", "getOrder");
      const res = await call<{ order: Json }>("getOrder", { path: { orderId }, ...(opts.includedData?.length ? { query: { includedData: [...opts.includedData] } } : {}) });
      expectShape("getOrder", !!res?.order && typeof res.order === "object", "order");
      return res;
    },

    async confirmShipment(orderId, body) {
      validateShipment(orderId, body);
      await call<unknown>("confirmShipment", { path: { orderId }, body });
      return { success: true };
    },

    async getListingsItem(sku, opts = {}) {
      requireText(sku, "sku", "getListingsItem");
      return call<Json>("getListingsItem", {
        path: { sellerId: account.sellerId, sku },
        query: { marketplaceIds: marketplaceIdsOr(opts.marketplaceIds), ...(opts.includedData?.length ? { includedData: [...opts.includedData] } : {}), ...(opts.issueLocale ? { issueLocale: opts.issueLocale } : {}) },
      });
    },

    async patchListingsItem(sku, body, opts = {}) {
      requireText(sku, "sku", "patchListingsItem");
      requireText(body?.productType, "productType", "patchListingsItem");
      if (!Array.isArray(body.patches) || body.patches.length === 0) {
        throw new ConnectorError("INVALID", "patchListingsItem: patches must hold at least one patch", { connector: CONNECTOR, code: "INVALID", field: "patches" });
      }
      const res = await call<ListingsItemSubmission>("patchListingsItem", {
        path: { sellerId: account.sellerId, sku },
        query: {
          marketplaceIds: marketplaceIdsOr(opts.marketplaceIds),
          ...(opts.includedData?.length ? { includedData: [...opts.includedData] } : {}),
          ...(opts.mode ? { mode: opts.mode } : {}),
          ...(opts.issueLocale ? { issueLocale: opts.issueLocale } : {}),
        },
        body,
      });
      expectShape("patchListingsItem", typeof res?.status === "string", "submission status");
      return res;
    },

    async createFeedDocument(contentType) {
      requireText(contentType, "contentType", "createFeedDocument");
      const doc = await call<FeedDocument>("createFeedDocument", { body: { contentType } });
      expectShape("createFeedDocument", typeof doc?.url === "string" && typeof doc.feedDocumentId === "string", "document id and url");
      return doc;
    },

    async uploadFeedDocument(doc, content, contentType) {
      requireText(doc?.url, "url", "uploadFeedDocument");
      await document("uploadFeedDocument", (sp) => sp.upload({ url: doc.url }, { content, contentType }));
    },

    async createFeed({ feedType, marketplaceIds, inputFeedDocumentId, feedOptions }) {
      requireText(feedType, "feedType", "createFeed");
      requireText(inputFeedDocumentId, "inputFeedDocumentId", "createFeed");
      // The feed type's own submission limit (JSON_LISTINGS_FEED: 5 per 5 minutes) is taken first and
      // kept: a submission counts whether or not Amazon accepts the feed.
      const typeKey = feedTypeBucketKey(account.sellerId, account.region, feedType);
      if (typeKey) {
        const snap = await deps.buckets.snapshot(typeKey);
        if (!snap?.observed) await deps.buckets.observe(typeKey, PRIME_STATUS);
        await deps.buckets.settle(typeKey, await deps.buckets.take(typeKey, 1), {});
      }
      const res = await call<{ feedId: string }>("createFeed", { body: { feedType, marketplaceIds: marketplaceIdsOr(marketplaceIds), inputFeedDocumentId, ...(feedOptions ? { feedOptions } : {}) } });
      expectShape("createFeed", typeof res?.feedId === "string", "feedId");
      return res;
    },

    async submitFeed({ feedType, content, contentType, marketplaceIds }) {
      for (let attempt = 1; ; attempt++) {
        const doc = await client.createFeedDocument(contentType);
        try {
          await client.uploadFeedDocument(doc, content, contentType);
        } catch (e) {
          // The upload URL expired before we used it (a long wait for the createFeedDocument bucket): take a new document.
          if (isConnectorError(e) && e.code === "DOCUMENT_URL_EXPIRED" && attempt < 2) continue;
          throw e;
        }
        const { feedId } = await client.createFeed({ feedType, marketplaceIds, inputFeedDocumentId: doc.feedDocumentId });
        return { feedId, feedDocumentId: doc.feedDocumentId };
      }
    },

    async getFeed(feedId) {
      requireText(feedId, "feedId", "getFeed");
      const feed = await call<Feed>("getFeed", { path: { feedId } });
      expectShape("getFeed", typeof feed?.processingStatus === "string", "processingStatus");
      return feed;
    },

    async getFeedDocument(feedDocumentId) {
      requireText(feedDocumentId, "feedDocumentId", "getFeedDocument");
      const doc = await call<FeedDocument>("getFeedDocument", { path: { feedDocumentId } });
      expectShape("getFeedDocument", typeof doc?.url === "string", "url");
      return doc;
    },

    async downloadFeedDocument(doc) {
      requireText(doc?.url, "url", "downloadFeedDocument");
      const content = await document("downloadFeedDocument", (sp) => sp.download({ url: doc.url, ...(doc.compressionAlgorithm ? { compressionAlgorithm: doc.compressionAlgorithm } : {}) }, {}));
      return Buffer.isBuffer(content) ? content.toString("utf8") : String(content);
    },

    async readFeedReport(feedDocumentId) {
      for (let attempt = 1; ; attempt++) {
        const doc = await client.getFeedDocument(feedDocumentId);
        let text: string;
        try {
          text = await client.downloadFeedDocument(doc);
        } catch (e) {
          // Its URL expired between getFeedDocument and the download: ask for a fresh one.
          if (isConnectorError(e) && e.code === "DOCUMENT_URL_EXPIRED" && attempt < policy.maxAttempts) continue;
          throw e;
        }
        try {
          return JSON.parse(text) as unknown;
        } catch (e) {
          const decision = decideRetry({ attempt, retryable: true, policy, random: deps.random() });
          log.warn("amazon feed report unreadable", { account: accountLabel, operation: "readFeedReport", feedDocumentId, attempt, length: text.length });
          if (!decision.retry) {
            throw new ConnectorError("UNAVAILABLE", `readFeedReport: the processing report ${feedDocumentId} is not JSON`, { connector: CONNECTOR, code: "TRANSIENT", retryable: true, cause: e, details: { operation: "readFeedReport", feedDocumentId } });
          }
          await deps.sleep(decision.delayMs);
        }
      }
    },

    async feedOutcome(feedId) {
      const feed = await client.getFeed(feedId);
      if (feed.processingStatus === "IN_QUEUE" || feed.processingStatus === "IN_PROGRESS") return { done: false, feed };
      const report = feed.resultFeedDocumentId ? await client.readFeedReport(feed.resultFeedDocumentId) : undefined;
      if (feed.processingStatus === "DONE") return { done: true, feed, report };
      // FATAL: Amazon rejected the whole feed (e.g. a malformed document, a retired feed type); the
      // report says why.  CANCELLED: cancelled before processing.  Neither is fixed by waiting.
      const issues = reportIssues(report);
      const first = issues[0];
      throw new ConnectorError(feed.processingStatus === "FATAL" ? "INVALID" : "CONFLICT", `feed ${feedId} (${feed.feedType}) ended ${feed.processingStatus}${first ? `: ${first.code ?? ""} ${first.message ?? ""}`.trimEnd() : ""}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ""}`, {
        connector: CONNECTOR,
        code: `FEED_${feed.processingStatus}`,
        details: { operation: "feedOutcome", feedId, feed, ...(report !== undefined ? { report } : {}), issues },
      });
    },

    async getInventorySummaries(args, nextToken) {
      const res = await call<{ payload?: { granularity?: Json; inventorySummaries?: Json[] }; pagination?: { nextToken?: string } }>("getInventorySummaries", { query: inventoryQuery(args, nextToken) });
      expectShape("getInventorySummaries", Array.isArray(res?.payload?.inventorySummaries), "inventorySummaries");
      return { granularity: res.payload!.granularity, inventorySummaries: res.payload!.inventorySummaries!, nextToken: res.pagination?.nextToken || null };
    },

    async *inventorySummariesPages(args) {
      let nextToken: string | null = null;
      let issuedAtMs = 0;
      let restarts = 0;
      let restarted = false;
      const restart = (why: string) => {
        restarts++;
        if (restarts > maxPageRestarts) {
          throw new ConnectorError("UNAVAILABLE", `getInventorySummaries: nextToken expired ${restarts} times (pages must follow each other within 30 s)`, {
            connector: CONNECTOR,
            code: "PAGINATION_TOKEN_EXPIRED",
            retryable: true,
            details: { operation: "getInventorySummaries", restarts },
          });
        }
        log.warn("amazon getInventorySummaries: restarting from startDateTime", { account: accountLabel, why, restarts, startDateTime: args.startDateTime ?? null });
        nextToken = null;
        restarted = true;
      };
      for (;;) {
        if (nextToken && !nextTokenUsable(issuedAtMs, deps.now())) restart("token older than it may be");
        let page: InventorySummariesPage;
        try {
          page = await client.getInventorySummaries(args, nextToken);
        } catch (e) {
          if (isConnectorError(e) && e.code === "PAGINATION_TOKEN_EXPIRED" && nextToken) {
            restart("Amazon refused the token");
            continue;
          }
          throw e;
        }
        issuedAtMs = deps.now();
        yield { ...page, restarted };
        restarted = false;
        if (!page.nextToken) return;
        nextToken = page.nextToken;
      }
    },
  };
  return client;
}

/** Issues of a JSON_LISTINGS_FEED processing report (`issues[]`), if it has any. */
function reportIssues(report: unknown): { messageId?: number; sku?: string; code?: string; severity?: string; message?: string }[] {
  const issues = report && typeof report === "object" ? (report as { issues?: unknown }).issues : undefined;
  return Array.isArray(issues) ? issues.filter((i): i is Json => !!i && typeof i === "object") : [];
}
