/**
 * The Amazon SP-API sandbox peer (issue 6 item 7): one node:http server on 127.0.0.1 that answers
 * Login with Amazon's token endpoint, the SP-API operations the connector uses and the presigned
 * feed-document URLs — dispatched by PATH, because the client reaches it through an agent that sends
 * every Amazon host (api.amazon.com, sellingpartnerapi-*.amazon.com, document hosts) to this port.
 * Paths, query names, bodies and answers follow Amazon's models (amzn/selling-partner-api-models@34dc93f)
 * and their sandbox cases (connectors/amazon/fixtures/).  Never imported by production code paths.
 * See README.md in this folder for the exact subset.
 */
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { marketplace } from "../mappers/marketplaces";
import { Catalog, patchIssues, renderListing, type AmazonSandboxSeed, type PatchOperation } from "./catalog";
import { MAX_FEED_MESSAGES, processListingsFeed, unknownSkuIssue, type FeedOutcome } from "./feeds";
import { resolveLimits, TokenBucket, type OperationName, type RateLimit } from "./limits";
import {
  FULFILLED_BY,
  FULFILLMENT_STATUSES,
  INCLUDED_DATA,
  OrderBook,
  orderChangeNotification,
  OrderGenerator,
  parseConfirmShipment,
  renderOrder,
  type GenerateOptions,
  type OrderRec,
} from "./orders";
import { invalidInput, isoUtc, parseIsoDateTime, PeerError, prng } from "./util";

export interface AmazonSandboxConfig {
  /** Port on 127.0.0.1 (0 or omitted: any free port). */
  port?: number;
  /** A server already listening on loopback (port is then ignored); the peer serves on it and closes it on close(). */
  listener?: http.Server;
  sellerId: string;
  /** Marketplace ids the seller sells in, e.g. ["ATVPDKIKX0DER"]. */
  marketplaces: string[];
  /** The peer's clock in ms (token, pagination-token and URL expiry, timestamps). Default Date.now. */
  clock?: () => number;
  /** Listings and FBA inventory to start with (default: a small catalog, see defaultSeed()). */
  seed?: AmazonSandboxSeed;
  /** PRNG seed for generated orders (same seed → same orders). */
  randomSeed?: number;
  /** Per-operation rate/burst overrides (defaults: Amazon's usage plans, limits.ts). */
  limits?: Partial<Record<OperationName, Partial<RateLimit>>>;
  /** LWA application credentials the token endpoint accepts. */
  lwa?: { clientId?: string; clientSecret?: string; refreshTokens?: string[]; accessTokenTtlSeconds?: number };
  timings?: {
    /** searchOrders paginationToken lifetime (Amazon: 24 h). */
    paginationTokenTtlMs?: number;
    /** getInventorySummaries nextToken lifetime (Amazon: 30 s). */
    fbaNextTokenTtlMs?: number;
    /** Presigned document URL lifetime (Amazon: 5 min). */
    documentUrlTtlMs?: number;
    /** Real-time delays of the asynchronous feed processing: IN_QUEUE → IN_PROGRESS → DONE/FATAL. */
    feedQueueMs?: number;
    feedProcessMs?: number;
  };
  /** Origin of presigned document URLs (default an S3-style https host the client's agent routes here). */
  documentBaseUrl?: string;
  /** getInventorySummaries page size (Amazon returns up to 50). */
  fbaPageSize?: number;
  /** Messages per JSON_LISTINGS_FEED (Amazon: 25 000). */
  maxFeedMessages?: number;
  /** Called with every ORDER_CHANGE notification body (the SQS message body). */
  onNotification?: (body: OrderChangeBody) => void;
  /**
   * Notifications API behaviour: `refuseMarketplaceFilter` answers createSubscription with 400 when
   * its eventFilter names marketplaceIds (for testing the hub's fallback: Amazon's model allows the
   * filter, its Notification Type Values page decides per type).
   */
  notifications?: { refuseMarketplaceFilter?: boolean };
}

/** A Notifications API destination of the peer's application (notifications.json Destination). */
export interface DestinationRec {
  destinationId: string;
  name: string;
  resource: { sqs: { arn: string } };
}

/** The seller's subscription to one notification type (notifications.json Subscription). */
export interface SubscriptionRec {
  subscriptionId: string;
  payloadVersion: string;
  destinationId: string;
  processingDirective?: { eventFilter?: { eventFilterType: string; marketplaceIds?: string[]; orderChangeTypes?: string[] } };
}

export type OrderChangeBody = ReturnType<typeof orderChangeNotification>;

export interface FeedRec {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdMs: number;
  processingStatus: "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "FATAL" | "CANCELLED";
  processingStartMs: number | null;
  processingEndMs: number | null;
  resultFeedDocumentId: string | null;
  outcome: FeedOutcome | null;
}

export interface DocumentRec {
  feedDocumentId: string;
  kind: "input" | "result";
  contentType: string;
  content: Buffer | null;
  issuedMs: number;
}

export interface OrderStreamOptions extends GenerateOptions {
  everyMs: number;
  ordersPerTick?: number;
  /** Per tick: chance that a buyer asks to cancel an unshipped MFN order. */
  cancelRequestShare?: number;
  /** Per tick: chance that an order with a cancellation request is cancelled. */
  cancelShare?: number;
  /** Per tick: chance that Amazon ships an open FBA order. */
  shipAfnShare?: number;
}

export interface OperationStats {
  calls: number;
  throttled: number;
  errors: number;
}

export interface AmazonSandbox {
  /** http://127.0.0.1:<port> */
  url: string;
  sellerId: string;
  marketplaces: readonly string[];
  /** Credentials the LWA endpoint accepts. */
  lwa: { clientId: string; clientSecret: string; refreshToken: string };
  /** The in-memory seller (read in tests; change through the methods below). */
  state: {
    orders: OrderBook;
    catalog: Catalog;
    feeds: ReadonlyMap<string, FeedRec>;
    documents: ReadonlyMap<string, DocumentRec>;
    notifications: readonly OrderChangeBody[];
    /** The application's notification destinations, by id. */
    destinations: ReadonlyMap<string, DestinationRec>;
    /** The seller's notification subscriptions, by notification type. */
    subscriptions: ReadonlyMap<string, SubscriptionRec>;
  };
  generateOrders(n: number, opts?: GenerateOptions): OrderRec[];
  startOrderStream(opts: OrderStreamOptions): { stop(): void; ticks(): number };
  requestCancellation(orderId: string, reason?: string): OrderRec;
  cancelOrder(orderId: string, by?: "BUYER" | "MERCHANT" | "AMAZON"): OrderRec;
  shipFbaOrder(orderId: string): OrderRec;
  /** Makes every access token issued so far expired (the next SP-API call gets 403 "…has expired."). */
  expireAccessTokens(): void;
  /** An access token issued directly (as if the client had called LWA); `grantless` for the application's own calls. */
  issueAccessToken(kind?: "seller" | "grantless"): string;
  /** Rewrites an Amazon URL (document URL, SP-API host) to this server, keeping path and query. */
  localUrl(amazonUrl: string): string;
  /** Waits until every feed submitted so far has finished processing. */
  settleFeeds(): Promise<void>;
  stats(): { requests: number; tokensIssued: number; operations: Record<string, OperationStats> };
  close(): Promise<void>;
}

/** A small default catalog: five SKUs listed MFN, two of them also stocked at FBA. */
export function defaultSeed(): AmazonSandboxSeed {
  return {
    listings: [
      { sku: "TEE-S", title: "Trail Tee S", price: "25.00", quantity: 20 },
      { sku: "TEE-M", title: "Trail Tee M", price: "25.00", quantity: 30 },
      { sku: "TEE-L", title: "Trail Tee L", price: "25.00", quantity: 15 },
      { sku: "CAP", title: "Camp Cap", price: "19.50", quantity: 40 },
      { sku: "TENT-2P", title: "Two-Person Tent", price: "189.00", quantity: 5, leadTimeToShipMaxDays: 2 },
    ],
    fba: [
      { sku: "TEE-M", fulfillable: 50, inboundShipped: 12 },
      { sku: "CAP", fulfillable: 25, unfulfillable: 2 },
    ],
  };
}

const SP_API_ERROR_429 = { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }] };
const DENIED = "Access to requested resource is denied.";
const LEGACY_FEEDS = /^POST_(INVENTORY_AVAILABILITY_DATA|PRODUCT_DATA|PRODUCT_PRICING_DATA|PRODUCT_IMAGE_DATA|PRODUCT_RELATIONSHIP_DATA|PRODUCT_OVERRIDES_DATA|FLAT_FILE_LISTINGS_DATA|FLAT_FILE_INVLOADER_DATA|FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA)/;

interface PageCursor {
  createdMs: number;
  filterKey: string;
  ids: string[];
  offset: number;
  echo: Record<string, string>;
}

function queryList(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

function rateHeader(rate: number): string {
  return Number.isInteger(rate) ? rate.toFixed(1) : String(rate);
}

export async function startAmazonSandbox(config: AmazonSandboxConfig): Promise<AmazonSandbox> {
  const now = config.clock ?? Date.now;
  if (!config.sellerId) throw new Error("Amazon sandbox: sellerId is required");
  if (!config.marketplaces?.length) throw new Error("Amazon sandbox: at least one marketplace id is required");
  for (const id of config.marketplaces) if (!marketplace(id)) throw new Error(`Amazon sandbox: unknown marketplace id ${id}`);
  const sellerId = config.sellerId;
  const marketplaces = [...config.marketplaces];
  const limits = resolveLimits(config.limits);
  const buckets = new Map<OperationName, TokenBucket>();
  const bucket = (op: OperationName) => {
    let b = buckets.get(op);
    if (!b) buckets.set(op, (b = new TokenBucket(limits[op], now)));
    return b;
  };
  const lwa = {
    clientId: config.lwa?.clientId ?? "amzn1.application-oa2-client.sandbox",
    clientSecret: config.lwa?.clientSecret ?? "amzn1.oa2-cs.v1.sandbox-secret",
    refreshTokens: config.lwa?.refreshTokens?.length ? config.lwa.refreshTokens : ["Atzr|sandbox-refresh-token"],
    ttlS: config.lwa?.accessTokenTtlSeconds ?? 3600,
  };
  const timings = {
    paginationTokenTtlMs: config.timings?.paginationTokenTtlMs ?? 24 * 3_600_000,
    fbaNextTokenTtlMs: config.timings?.fbaNextTokenTtlMs ?? 30_000,
    documentUrlTtlMs: config.timings?.documentUrlTtlMs ?? 5 * 60_000,
    feedQueueMs: config.timings?.feedQueueMs ?? 1_000,
    feedProcessMs: config.timings?.feedProcessMs ?? 2_000,
  };
  const documentBaseUrl = (config.documentBaseUrl ?? "https://tortuga-prod-na.s3-external-1.amazonaws.com").replace(/\/$/, "");
  const urlSecret = randomBytes(16).toString("hex");
  const applicationId = "amzn1.sp.solution.sandbox";
  const subscriptionId = randomUUID();

  const catalog = new Catalog(config.seed ?? defaultSeed(), marketplaces, now);
  const orders = new OrderBook(now);
  const notifications: OrderChangeBody[] = [];
  orders.onChange((c) => {
    const body = orderChangeNotification(c.order, c.changeType, c.reason, { sellerId, notificationId: randomUUID(), nowMs: now(), applicationId, subscriptionId });
    notifications.push(body);
    config.onNotification?.(body);
  });
  const generator = new OrderGenerator(
    orders,
    {
      skus: (marketplaceId, fulfilledBy) => (fulfilledBy === "AMAZON" ? catalog.fbaSkusIn(marketplaceId) : catalog.skusIn(marketplaceId)),
      info: (sku) => {
        const l = catalog.listing(sku);
        return l && { asin: l.asin, title: l.title, price: l.price, mfnQuantity: catalog.mfnQuantity(sku) ?? 0, fbaFulfillable: catalog.fbaRecord(sku)?.fulfillable ?? 0 };
      },
      takeMfn: (sku, q) => catalog.takeMfn(sku, q),
      takeFba: (sku, q) => catalog.takeFba(sku, q),
    },
    marketplaces,
    now,
    config.randomSeed ?? 1,
  );

  // A seller's token (refresh_token grant) acts for the seller; a grantless one (client_credentials)
  // for the application alone — as on Amazon, neither works for the other's operations.
  const accessTokens = new Map<string, { expiresMs: number; kind: "seller" | "grantless" }>();
  let tokensIssued = 0;
  const issueAccessToken = (kind: "seller" | "grantless" = "seller") => {
    const token = `Atza|sandbox-${++tokensIssued}-${randomBytes(12).toString("hex")}`;
    accessTokens.set(token, { expiresMs: now() + lwa.ttlS * 1000, kind });
    return token;
  };
  const destinations = new Map<string, DestinationRec>();
  const subscriptions = new Map<string, SubscriptionRec>();

  const feeds = new Map<string, FeedRec>();
  const documents = new Map<string, DocumentRec>();
  const orderCursors = new Map<string, PageCursor>();
  const fbaCursors = new Map<string, PageCursor>();
  /** Drops expired cursors so a long demo run does not keep every page it ever served. */
  const remember = (cursors: Map<string, PageCursor>, ttlMs: number, token: string, c: PageCursor) => {
    if (cursors.size >= 1000) for (const [k, v] of cursors) if (now() - v.createdMs > ttlMs) cursors.delete(k);
    cursors.set(token, c);
  };
  const timers = new Set<NodeJS.Timeout>();
  const pendingFeeds = new Map<string, Promise<void>>();
  let feedSerial = 50_000_000 + Math.floor(Math.random() * 1000) * 1000;
  let requests = 0;
  const opStats: Record<string, OperationStats> = {};
  const stat = (op: string) => (opStats[op] ??= { calls: 0, throttled: 0, errors: 0 });
  let baseUrl = "";

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  // ── documents (presigned-style URLs) ──────────────────────────────────────────────────────
  const sign = (id: string, issuedMs: number) => createHmac("sha256", urlSecret).update(`${id}:${issuedMs}`).digest("hex");
  const documentUrl = (d: DocumentRec) => {
    const issued = now();
    d.issuedMs = issued;
    const date = new Date(issued).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    return `${documentBaseUrl}/sandbox-documents/${d.feedDocumentId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=${Math.round(timings.documentUrlTtlMs / 1000)}&X-Amz-Issued=${issued}&X-Amz-Signature=${sign(d.feedDocumentId, issued)}`;
  };
  const s3Error = (res: http.ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { "content-type": "application/xml" });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomBytes(8).toString("hex").toUpperCase()}</RequestId></Error>`);
  };

  // ── feeds ─────────────────────────────────────────────────────────────────────────────────
  const newDocument = (kind: DocumentRec["kind"], contentType: string, content: Buffer | null): DocumentRec => {
    const d: DocumentRec = { feedDocumentId: randomUUID(), kind, contentType, content, issuedMs: now() };
    documents.set(d.feedDocumentId, d);
    return d;
  };
  const runFeed = async (f: FeedRec) => {
    await later(timings.feedQueueMs);
    if (f.processingStatus !== "IN_QUEUE") return;
    f.processingStatus = "IN_PROGRESS";
    f.processingStartMs = now();
    await later(timings.feedProcessMs);
    const input = documents.get(f.inputFeedDocumentId);
    let outcome: FeedOutcome;
    const fatal = (message: string): FeedOutcome => ({ processingStatus: "FATAL", report: { header: { sellerId, version: "2.0", feedId: f.feedId }, issues: [{ code: "FATAL", severity: "ERROR", message }], summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 } } });
    if (!input?.content) outcome = fatal(`Nothing was uploaded to feed document ${f.inputFeedDocumentId}.`);
    else if (f.feedType === "JSON_LISTINGS_FEED") outcome = processListingsFeed(input.content, { sellerId, feedId: f.feedId, catalog, maxMessages: config.maxFeedMessages ?? MAX_FEED_MESSAGES });
    else if (LEGACY_FEEDS.test(f.feedType)) outcome = fatal(`Feed type ${f.feedType} is no longer supported (XML and flat-file listings feeds were retired on July 31, 2025); use JSON_LISTINGS_FEED.`);
    else outcome = fatal(`Feed type ${f.feedType} is not implemented by the sandbox peer.`);
    const result = newDocument("result", "application/json", Buffer.from(JSON.stringify(outcome.report)));
    f.outcome = outcome;
    f.processingStatus = outcome.processingStatus;
    f.processingEndMs = now();
    f.resultFeedDocumentId = result.feedDocumentId;
  };
  const renderFeed = (f: FeedRec) => ({
    feedId: f.feedId,
    feedType: f.feedType,
    marketplaceIds: [...f.marketplaceIds],
    createdTime: new Date(f.createdMs).toISOString(),
    processingStatus: f.processingStatus,
    ...(f.processingStartMs !== null ? { processingStartTime: new Date(f.processingStartMs).toISOString() } : {}),
    ...(f.processingEndMs !== null ? { processingEndTime: new Date(f.processingEndMs).toISOString() } : {}),
    ...(f.resultFeedDocumentId ? { resultFeedDocumentId: f.resultFeedDocumentId } : {}),
  });

  // ── operations ────────────────────────────────────────────────────────────────────────────
  type Reply = { status: number; body?: unknown };
  interface Ctx {
    q: URLSearchParams;
    body: () => unknown;
    params: string[];
  }

  const checkIncluded = (q: URLSearchParams) => {
    const included = queryList(q, "includedData");
    for (const v of included) if (!(INCLUDED_DATA as readonly string[]).includes(v)) throw invalidInput(`includedData value ${v} is not one of ${INCLUDED_DATA.join(", ")}.`);
    return new Set(included);
  };

  const searchOrders = ({ q }: Ctx): Reply => {
    const included = checkIncluded(q);
    const rawMax = q.get("maxResultsPerPage");
    const max = rawMax === null ? 100 : Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidInput(`maxResultsPerPage must be between 1 and 100, got ${rawMax}.`);
    const filters = {
      createdAfter: q.get("createdAfter"),
      createdBefore: q.get("createdBefore"),
      lastUpdatedAfter: q.get("lastUpdatedAfter"),
      lastUpdatedBefore: q.get("lastUpdatedBefore"),
      fulfillmentStatuses: queryList(q, "fulfillmentStatuses").sort(),
      marketplaceIds: queryList(q, "marketplaceIds").sort(),
      fulfilledBy: queryList(q, "fulfilledBy").sort(),
    };
    const filterKey = JSON.stringify(filters);
    const token = q.get("paginationToken");
    let cursor: PageCursor;
    if (token) {
      const c = orderCursors.get(token);
      if (!c) throw invalidInput(`The paginationToken ${token} is not valid.`);
      if (now() - c.createdMs > timings.paginationTokenTtlMs) {
        orderCursors.delete(token);
        throw invalidInput("The paginationToken has expired. A paginationToken is valid for 24 hours; start the search again.");
      }
      if (c.filterKey !== filterKey) throw invalidInput("With a paginationToken, all parameters except maxResultsPerPage and includedData must be identical to the request that returned it.");
      // A token stays usable until it expires: a client retrying a page (after a 429 or a lost
      // answer) gets the same page again.
      cursor = c;
    } else {
      const created = filters.createdAfter !== null;
      const updated = filters.lastUpdatedAfter !== null;
      if (created === updated) throw invalidInput("Exactly one of createdAfter and lastUpdatedAfter must be provided.");
      if (created && filters.lastUpdatedBefore !== null) throw invalidInput("lastUpdatedBefore cannot be combined with createdAfter.");
      if (updated && filters.createdBefore !== null) throw invalidInput("createdBefore cannot be combined with lastUpdatedAfter.");
      const afterName = created ? "createdAfter" : "lastUpdatedAfter";
      const beforeName = created ? "createdBefore" : "lastUpdatedBefore";
      const after = parseIsoDateTime(filters[afterName]!);
      if (after === null) throw invalidInput(`${afterName} must be an ISO 8601 date-time, got "${filters[afterName]}".`);
      const latest = now() - 120_000;
      let before = latest;
      const rawBefore = filters[beforeName];
      if (rawBefore !== null) {
        const b = parseIsoDateTime(rawBefore);
        if (b === null) throw invalidInput(`${beforeName} must be an ISO 8601 date-time, got "${rawBefore}".`);
        if (b < after) throw invalidInput(`${beforeName} must be equal to or after ${afterName}.`);
        if (b > latest) throw invalidInput(`${beforeName} must be at least two minutes before the time of the request (${isoUtc(now())}).`);
        before = b;
      }
      if (after > latest) throw invalidInput(`${afterName} must be at least two minutes before the time of the request (${isoUtc(now())}).`);
      if (filters.marketplaceIds.length > 50) throw invalidInput("marketplaceIds may contain at most 50 values.");
      catalog.marketplaceCheck(filters.marketplaceIds);
      for (const s of filters.fulfillmentStatuses) if (!(FULFILLMENT_STATUSES as readonly string[]).includes(s)) throw invalidInput(`fulfillmentStatuses value ${s} is not one of ${FULFILLMENT_STATUSES.join(", ")}.`);
      for (const s of filters.fulfilledBy) if (!(FULFILLED_BY as readonly string[]).includes(s)) throw invalidInput(`fulfilledBy value ${s} is not one of ${FULFILLED_BY.join(", ")}.`);
      const at = (o: OrderRec) => (created ? o.createdMs : o.lastUpdatedMs);
      const ids = orders
        .all()
        .filter((o) => at(o) >= after && at(o) <= before)
        .filter((o) => !filters.marketplaceIds.length || filters.marketplaceIds.includes(o.marketplaceId))
        .filter((o) => !filters.fulfillmentStatuses.length || filters.fulfillmentStatuses.includes(o.status))
        .filter((o) => !filters.fulfilledBy.length || filters.fulfilledBy.includes(o.fulfilledBy))
        .sort((a, b) => at(a) - at(b) || (a.orderId < b.orderId ? -1 : 1))
        .map((o) => o.orderId);
      cursor = { createdMs: now(), filterKey, ids, offset: 0, echo: { [beforeName]: isoUtc(before) } };
    }
    const page = cursor.ids.slice(cursor.offset, cursor.offset + max);
    const rest = cursor.offset + page.length < cursor.ids.length;
    let nextToken: string | undefined;
    if (rest) {
      nextToken = randomBytes(24).toString("base64url");
      remember(orderCursors, timings.paginationTokenTtlMs, nextToken, { ...cursor, offset: cursor.offset + page.length, createdMs: now() });
    }
    return {
      status: 200,
      body: {
        orders: page.map((id) => renderOrder(orders.get(id)!, included)),
        ...(nextToken ? { pagination: { nextToken } } : {}),
        ...cursor.echo,
      },
    };
  };

  const getOrder = ({ q, params }: Ctx): Reply => {
    const included = checkIncluded(q);
    const o = orders.get(params[0]!);
    if (!o) throw new PeerError(404, "NotFound", "The specified resource does not exist.", `No order ${params[0]} for this seller.`);
    return { status: 200, body: { order: renderOrder(o, included) } };
  };

  const confirmShipment = ({ body, params }: Ctx): Reply => {
    orders.confirmShipment(params[0]!, parseConfirmShipment(body()));
    return { status: 204 };
  };

  const listingParams = (q: URLSearchParams, params: string[]) => {
    if (params[0] !== sellerId) throw new PeerError(403, "Unauthorized", DENIED, `sellerId ${params[0]} is not the seller this token was issued for.`);
    const marketplaceIds = queryList(q, "marketplaceIds");
    if (!marketplaceIds.length) throw invalidInput("marketplaceIds is required.");
    catalog.marketplaceCheck(marketplaceIds);
    return { sku: params[1]!, marketplaceIds };
  };

  const getListingsItem = ({ q, params }: Ctx): Reply => {
    const { sku, marketplaceIds } = listingParams(q, params);
    const l = catalog.listing(sku);
    if (!l) throw new PeerError(404, "NOT_FOUND", `SKU '${sku}' not found in marketplace ${marketplaceIds[0]}`);
    const includedList = queryList(q, "includedData");
    const included = new Set(includedList.length ? includedList : ["summaries"]);
    return { status: 200, body: renderListing(l, marketplaceIds, included, (id) => marketplace(id)?.currencyCode ?? "USD") };
  };

  const patchListingsItem = ({ q, params, body }: Ctx): Reply => {
    const { sku, marketplaceIds } = listingParams(q, params);
    const b = body();
    // Amazon's sandbox case: sku BadSKU → 400 (fixtures/sp-api/patchListingsItem.400.sandbox0.json).
    if (sku === "BadSKU") throw new PeerError(400, "BAD_REQUEST", "Invalid input", "Invalid input");
    if (typeof b !== "object" || b === null || Array.isArray(b)) throw invalidInput("The request body must be a ListingsItemPatchRequest object.", "Request has missing or invalid parameters and cannot be parsed.");
    const req = b as { productType?: unknown; patches?: unknown };
    if (typeof req.productType !== "string" || !req.productType) throw invalidInput("productType is required.", "Request has missing or invalid parameters and cannot be parsed.");
    if (!Array.isArray(req.patches) || req.patches.length === 0) throw invalidInput("patches must contain at least one operation.", "Request has missing or invalid parameters and cannot be parsed.");
    const mode = q.get("mode");
    if (mode !== null && mode !== "VALIDATION_PREVIEW") throw invalidInput(`mode must be VALIDATION_PREVIEW, got ${mode}.`);
    const includedData = queryList(q, "includedData");
    const l = catalog.listing(sku);
    const issues = l ? patchIssues(req.patches) : [unknownSkuIssue(sku)];
    const submissionId = randomUUID().replace(/-/g, "");
    const status = issues.some((i) => i.severity === "ERROR") ? "INVALID" : mode === "VALIDATION_PREVIEW" ? "VALID" : "ACCEPTED";
    if (status === "ACCEPTED") catalog.applyPatches(sku, req.patches as PatchOperation[], "patchListingsItem", submissionId);
    return {
      status: 200,
      body: {
        sku,
        status,
        submissionId,
        issues,
        ...(includedData.includes("identifiers") ? { identifiers: l ? marketplaceIds.map((marketplaceId) => ({ marketplaceId, asin: l.asin })) : [] } : {}),
      },
    };
  };

  const createFeedDocument = ({ body }: Ctx): Reply => {
    const b = body() as { contentType?: unknown } | null;
    if (!b || typeof b.contentType !== "string" || !b.contentType) throw invalidInput("contentType is required (CreateFeedDocumentSpecification).");
    const d = newDocument("input", b.contentType, null);
    return { status: 201, body: { feedDocumentId: d.feedDocumentId, url: documentUrl(d) } };
  };

  const getFeedDocument = ({ params }: Ctx): Reply => {
    const d = documents.get(params[0]!);
    if (!d) throw new PeerError(404, "NotFound", "The specified resource does not exist.", `No feed document ${params[0]}.`);
    return { status: 200, body: { feedDocumentId: d.feedDocumentId, url: documentUrl(d) } };
  };

  const createFeed = ({ body }: Ctx): Reply => {
    const b = body() as { feedType?: unknown; marketplaceIds?: unknown; inputFeedDocumentId?: unknown } | null;
    if (!b || typeof b.feedType !== "string" || !b.feedType) throw invalidInput("feedType is required.");
    if (!Array.isArray(b.marketplaceIds) || b.marketplaceIds.length < 1 || b.marketplaceIds.length > 25 || !b.marketplaceIds.every((x) => typeof x === "string")) throw invalidInput("marketplaceIds must list 1 to 25 marketplace ids.");
    catalog.marketplaceCheck(b.marketplaceIds as string[]);
    if (typeof b.inputFeedDocumentId !== "string" || !documents.has(b.inputFeedDocumentId) || documents.get(b.inputFeedDocumentId)!.kind !== "input") throw invalidInput(`inputFeedDocumentId ${JSON.stringify(b.inputFeedDocumentId)} is not a document created with createFeedDocument.`);
    // JSON_LISTINGS_FEED has its own throttle on top of createFeed's: 5 submissions per 5 minutes.
    if (b.feedType === "JSON_LISTINGS_FEED" && !bucket("jsonListingsFeedSubmissions").take()) {
      stat("jsonListingsFeedSubmissions").throttled++;
      throw new PeerError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
    }
    const f: FeedRec = {
      feedId: String(++feedSerial),
      feedType: b.feedType,
      marketplaceIds: [...(b.marketplaceIds as string[])],
      inputFeedDocumentId: b.inputFeedDocumentId,
      createdMs: now(),
      processingStatus: "IN_QUEUE",
      processingStartMs: null,
      processingEndMs: null,
      resultFeedDocumentId: null,
      outcome: null,
    };
    feeds.set(f.feedId, f);
    pendingFeeds.set(
      f.feedId,
      runFeed(f).finally(() => pendingFeeds.delete(f.feedId)),
    );
    return { status: 202, body: { feedId: f.feedId } };
  };

  const getFeed = ({ params }: Ctx): Reply => {
    const f = feeds.get(params[0]!);
    if (!f) throw new PeerError(404, "NotFound", "The specified resource does not exist.", `No feed ${params[0]}.`);
    return { status: 200, body: renderFeed(f) };
  };

  const getInventorySummaries = ({ q }: Ctx): Reply => {
    if (q.get("granularityType") !== "Marketplace") throw invalidInput(`granularityType must be Marketplace, got ${JSON.stringify(q.get("granularityType"))}.`);
    const granularityId = q.get("granularityId");
    const marketplaceIds = queryList(q, "marketplaceIds");
    if (marketplaceIds.length !== 1) throw invalidInput("marketplaceIds must contain exactly one marketplace id.");
    if (!granularityId || granularityId !== marketplaceIds[0]) throw invalidInput("granularityId must be the marketplace id given in marketplaceIds.");
    catalog.marketplaceCheck(marketplaceIds);
    const rawDetails = q.get("details");
    if (rawDetails !== null && rawDetails !== "true" && rawDetails !== "false") throw invalidInput(`details must be true or false, got ${rawDetails}.`);
    const details = rawDetails === "true";
    const startRaw = q.get("startDateTime");
    let start: number | null = null;
    if (startRaw !== null) {
      start = parseIsoDateTime(startRaw);
      if (start === null) throw invalidInput(`startDateTime must be an ISO 8601 date-time, got "${startRaw}".`);
      if (start < now() - 548 * 86_400_000) throw invalidInput("startDateTime cannot be more than 18 months in the past.");
    }
    const skus = queryList(q, "sellerSkus");
    if (skus.length > 50) throw invalidInput("sellerSkus may contain at most 50 SKUs.");
    const one = q.get("sellerSku");
    const filterKey = JSON.stringify({ granularityId, details, startRaw, skus, one });
    const token = q.get("nextToken");
    let cursor: PageCursor;
    if (token) {
      const c = fbaCursors.get(token);
      if (!c) throw invalidInput(`The nextToken ${token} is not valid.`);
      if (now() - c.createdMs > timings.fbaNextTokenTtlMs) {
        fbaCursors.delete(token);
        throw invalidInput("The nextToken has expired; nextToken values expire 30 seconds after they are created.");
      }
      if (c.filterKey !== filterKey) throw invalidInput("With a nextToken, send the same parameters (including startDateTime) as the request that returned it.");
      cursor = c;
    } else {
      // startDateTime wins: sellerSkus/sellerSku are ignored when it is set (model: fbaInventory.json).
      const ids = catalog
        .fbaRecords()
        .filter((f) => (start !== null ? f.lastUpdatedMs >= start : one ? f.sku === one : skus.length ? skus.includes(f.sku) : true))
        .map((f) => f.sku);
      cursor = { createdMs: now(), filterKey, ids, offset: 0, echo: {} };
    }
    const size = config.fbaPageSize ?? 50;
    const page = cursor.ids.slice(cursor.offset, cursor.offset + size);
    let nextToken: string | undefined;
    if (cursor.offset + page.length < cursor.ids.length) {
      nextToken = randomBytes(24).toString("base64url");
      remember(fbaCursors, timings.fbaNextTokenTtlMs, nextToken, { ...cursor, offset: cursor.offset + page.length, createdMs: now() });
    }
    const summaries = page.map((sku) => {
      const f = catalog.fbaRecord(sku)!;
      const reserved = f.pendingCustomerOrder + f.fcProcessing;
      const total = f.fulfillable + f.inboundWorking + f.inboundShipped + f.inboundReceiving + reserved + f.unfulfillable + f.researching;
      return {
        asin: f.asin,
        fnSku: f.fnSku,
        sellerSku: f.sku,
        condition: "NewItem",
        ...(details
          ? {
              inventoryDetails: {
                fulfillableQuantity: f.fulfillable,
                inboundWorkingQuantity: f.inboundWorking,
                inboundShippedQuantity: f.inboundShipped,
                inboundReceivingQuantity: f.inboundReceiving,
                reservedQuantity: { totalReservedQuantity: reserved, pendingCustomerOrderQuantity: f.pendingCustomerOrder, pendingTransshipmentQuantity: 0, fcProcessingQuantity: f.fcProcessing },
                researchingQuantity: { totalResearchingQuantity: f.researching, researchingQuantityBreakdown: [] },
                unfulfillableQuantity: { totalUnfulfillableQuantity: f.unfulfillable, customerDamagedQuantity: 0, warehouseDamagedQuantity: f.unfulfillable, distributorDamagedQuantity: 0, carrierDamagedQuantity: 0, defectiveQuantity: 0, expiredQuantity: 0 },
              },
            }
          : {}),
        lastUpdatedTime: new Date(f.lastUpdatedMs).toISOString(),
        productName: f.title,
        totalQuantity: total,
      };
    });
    return {
      status: 200,
      body: {
        ...(nextToken ? { pagination: { nextToken } } : {}),
        payload: { granularity: { granularityType: "Marketplace", granularityId }, inventorySummaries: summaries },
      },
    };
  };

  // ── notifications (notifications.json v1) ───────────────────────────────────────────────
  const NOTIFICATION_TYPES = ["ORDER_CHANGE", "FEED_PROCESSING_FINISHED", "FBA_INVENTORY_AVAILABILITY_CHANGES", "REPORT_PROCESSING_FINISHED", "ANY_OFFER_CHANGED"];
  const notificationType = (t: string) => {
    if (!NOTIFICATION_TYPES.includes(t)) throw invalidInput(`notificationType ${t} is not supported by the sandbox peer.`);
    return t;
  };
  const notFound = (what: string) => new PeerError(404, "NotFound", "The resource specified does not exist.", what);

  const getSubscription = ({ q, params }: Ctx): Reply => {
    const sub = subscriptions.get(notificationType(params[0]!));
    const version = q.get("payloadVersion");
    if (!sub || (version !== null && sub.payloadVersion !== version)) throw notFound(`No ${params[0]} subscription${version ? ` with payload version ${version}` : ""} for this seller.`);
    return { status: 200, body: { payload: sub } };
  };

  const createSubscription = ({ params, body }: Ctx): Reply => {
    const type = notificationType(params[0]!);
    const b = body() as { payloadVersion?: unknown; destinationId?: unknown; processingDirective?: { eventFilter?: Record<string, unknown> } } | null;
    if (!b || typeof b.payloadVersion !== "string" || !b.payloadVersion) throw invalidInput("payloadVersion is required.");
    if (typeof b.destinationId !== "string" || !destinations.has(b.destinationId)) throw invalidInput(`destinationId ${JSON.stringify(b?.destinationId)} is not a destination of this application.`);
    if (type === "ORDER_CHANGE" && b.payloadVersion !== "1.0") throw invalidInput(`payloadVersion ${b.payloadVersion} is not supported for ORDER_CHANGE.`);
    const filter = b.processingDirective?.eventFilter;
    if (filter) {
      if (filter.eventFilterType !== type) throw invalidInput(`eventFilterType must be ${type} for this notification type, got ${JSON.stringify(filter.eventFilterType)}.`);
      const mkts = filter.marketplaceIds;
      if (mkts !== undefined) {
        if (config.notifications?.refuseMarketplaceFilter) throw invalidInput(`The marketplaceIds filter is not supported for ${type}.`);
        if (!Array.isArray(mkts) || !mkts.every((m) => typeof m === "string")) throw invalidInput("marketplaceIds must be a list of marketplace ids.");
        catalog.marketplaceCheck(mkts as string[]);
      }
      const types = filter.orderChangeTypes;
      if (types !== undefined && (!Array.isArray(types) || !types.every((t) => ["BuyerRequestedChange", "DeliveryTipChange", "OrderStatusChange"].includes(t as string)))) throw invalidInput("orderChangeTypes must list BuyerRequestedChange, DeliveryTipChange or OrderStatusChange.");
    }
    if (subscriptions.has(type)) throw new PeerError(409, "Conflict", "The resource specified conflicts with the current state.", `A ${type} subscription already exists for this seller and application.`);
    const sub: SubscriptionRec = { subscriptionId: randomUUID(), payloadVersion: b.payloadVersion, destinationId: b.destinationId, ...(filter ? { processingDirective: { eventFilter: structuredClone(filter) as NonNullable<SubscriptionRec["processingDirective"]>["eventFilter"] } } : {}) };
    subscriptions.set(type, sub);
    return { status: 200, body: { payload: { subscriptionId: sub.subscriptionId, payloadVersion: sub.payloadVersion, destinationId: sub.destinationId } } };
  };

  const deleteSubscriptionById = ({ params }: Ctx): Reply => {
    const type = notificationType(params[0]!);
    const sub = subscriptions.get(type);
    if (!sub || sub.subscriptionId !== params[1]) throw notFound(`No ${type} subscription ${params[1]}.`);
    subscriptions.delete(type);
    return { status: 200, body: {} };
  };

  const getDestinations = (): Reply => ({ status: 200, body: { payload: [...destinations.values()] } });

  const createDestination = ({ body }: Ctx): Reply => {
    const b = body() as { name?: unknown; resourceSpecification?: { sqs?: { arn?: unknown }; eventBridge?: unknown } } | null;
    if (!b || typeof b.name !== "string" || !b.name) throw invalidInput("name is required.");
    const arn = b.resourceSpecification?.sqs?.arn;
    if (typeof arn !== "string" || !/^arn:aws:sqs:\S+:\S+:\S+/.test(arn)) throw invalidInput("resourceSpecification.sqs.arn must match ^arn:aws:sqs:\\S+:\\S+:\\S+ (the peer supports SQS destinations only).");
    const d: DestinationRec = { destinationId: randomUUID(), name: b.name, resource: { sqs: { arn } } };
    destinations.set(d.destinationId, d);
    return { status: 200, body: { payload: d } };
  };

  const ROUTES: { method: string; re: RegExp; op: OperationName; run: (c: Ctx) => Reply; grantless?: true }[] = [
    { method: "GET", re: /^\/orders\/2026-01-01\/orders$/, op: "searchOrders", run: searchOrders },
    { method: "GET", re: /^\/orders\/2026-01-01\/orders\/([^/]+)$/, op: "getOrder", run: getOrder },
    { method: "POST", re: /^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/, op: "confirmShipment", run: confirmShipment },
    { method: "GET", re: /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/, op: "getListingsItem", run: getListingsItem },
    { method: "PATCH", re: /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/, op: "patchListingsItem", run: patchListingsItem },
    { method: "POST", re: /^\/feeds\/2021-06-30\/documents$/, op: "createFeedDocument", run: createFeedDocument },
    { method: "GET", re: /^\/feeds\/2021-06-30\/documents\/([^/]+)$/, op: "getFeedDocument", run: getFeedDocument },
    { method: "POST", re: /^\/feeds\/2021-06-30\/feeds$/, op: "createFeed", run: createFeed },
    { method: "GET", re: /^\/feeds\/2021-06-30\/feeds\/([^/]+)$/, op: "getFeed", run: getFeed },
    { method: "GET", re: /^\/fba\/inventory\/v1\/summaries$/, op: "getInventorySummaries", run: getInventorySummaries },
    { method: "GET", re: /^\/notifications\/v1\/subscriptions\/([^/]+)$/, op: "getSubscription", run: getSubscription },
    { method: "POST", re: /^\/notifications\/v1\/subscriptions\/([^/]+)$/, op: "createSubscription", run: createSubscription },
    { method: "DELETE", re: /^\/notifications\/v1\/subscriptions\/([^/]+)\/([^/]+)$/, op: "deleteSubscriptionById", run: deleteSubscriptionById, grantless: true },
    { method: "GET", re: /^\/notifications\/v1\/destinations$/, op: "getDestinations", run: getDestinations, grantless: true },
    { method: "POST", re: /^\/notifications\/v1\/destinations$/, op: "createDestination", run: createDestination, grantless: true },
  ];

  // ── LWA ───────────────────────────────────────────────────────────────────────────────────
  const lwaToken = (raw: string, contentType: string): Reply => {
    let p: Record<string, unknown>;
    try {
      p = contentType.includes("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(raw)) : (JSON.parse(raw) as Record<string, unknown>);
      if (typeof p !== "object" || p === null || Array.isArray(p)) throw new Error("not an object");
    } catch {
      return { status: 400, body: { error_description: "The request is missing a required parameter : grant_type", error: "invalid_request" } };
    }
    if (typeof p.grant_type !== "string" || !p.grant_type) return { status: 400, body: { error_description: "The request is missing a required parameter : grant_type", error: "invalid_request" } };
    if (p.client_id !== lwa.clientId || p.client_secret !== lwa.clientSecret) return { status: 401, body: { error_description: "Client authentication failed", error: "invalid_client" } };
    if (p.grant_type === "refresh_token") {
      if (typeof p.refresh_token !== "string" || !p.refresh_token) return { status: 400, body: { error_description: "The request is missing a required parameter : refresh_token", error: "invalid_request" } };
      if (!lwa.refreshTokens.includes(p.refresh_token)) return { status: 400, body: { error_description: "The request has an invalid grant parameter : refresh_token", error: "invalid_grant" } };
      return { status: 200, body: { access_token: issueAccessToken(), refresh_token: p.refresh_token, token_type: "bearer", expires_in: lwa.ttlS } };
    }
    if (p.grant_type === "client_credentials") {
      if (typeof p.scope !== "string" || !p.scope.startsWith("sellingpartnerapi::")) return { status: 400, body: { error_description: "An unknown scope was requested", error: "invalid_scope" } };
      return { status: 200, body: { access_token: issueAccessToken("grantless"), scope: p.scope, token_type: "bearer", expires_in: lwa.ttlS } };
    }
    return { status: 400, body: { error_description: `The authorization grant type is not supported by the authorization server`, error: "unsupported_grant_type" } };
  };

  // ── dispatch ──────────────────────────────────────────────────────────────────────────────
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests++;
    const url = new URL(req.url ?? "/", "http://sandbox");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    const requestId = randomUUID();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const h: Record<string, string> = { "x-amzn-RequestId": requestId, ...headers };
      if (body === undefined) {
        res.writeHead(status, h);
        res.end();
        return;
      }
      res.writeHead(status, { "content-type": "application/json", ...h });
      res.end(JSON.stringify(body));
    };

    if (method === "POST" && url.pathname === "/auth/o2/token") {
      const r = lwaToken(raw.toString("utf8"), String(req.headers["content-type"] ?? "application/json"));
      stat("lwaToken").calls++;
      return send(r.status, r.body);
    }

    const docMatch = /^\/sandbox-documents\/([^/]+)$/.exec(url.pathname);
    if (docMatch) {
      const d = documents.get(docMatch[1]!);
      const issued = Number(url.searchParams.get("X-Amz-Issued"));
      if (!d) return s3Error(res, 404, "NoSuchKey", "The specified key does not exist.");
      if (url.searchParams.get("X-Amz-Signature") !== sign(d.feedDocumentId, issued)) return s3Error(res, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
      if (now() > issued + timings.documentUrlTtlMs) return s3Error(res, 403, "AccessDenied", "Request has expired");
      if (method === "PUT" && d.kind === "input") {
        d.content = raw;
        d.contentType = String(req.headers["content-type"] ?? d.contentType);
        res.writeHead(200, { etag: `"${createHash("md5").update(raw).digest("hex")}"` });
        return res.end();
      }
      if (method === "GET") {
        if (!d.content) return s3Error(res, 404, "NoSuchKey", "The specified key does not exist.");
        res.writeHead(200, { "content-type": d.contentType });
        return res.end(d.content);
      }
      return s3Error(res, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    }

    const route = ROUTES.find((r) => r.method === method && r.re.test(url.pathname));
    if (!route) return send(404, { errors: [{ code: "NotFound", message: `The sandbox peer does not implement ${method} ${url.pathname}.` }] });
    const s = stat(route.op);
    s.calls++;
    const token = req.headers["x-amz-access-token"];
    const t = typeof token === "string" ? accessTokens.get(token) : undefined;
    if (!t) {
      s.errors++;
      return send(403, { errors: [{ code: "Unauthorized", message: DENIED, details: "The access token you provided is revoked, malformed or invalid." }] });
    }
    if (now() >= t.expiresMs) {
      s.errors++;
      return send(403, { errors: [{ code: "Unauthorized", message: DENIED, details: "The access token you provided has expired." }] });
    }
    if ((t.kind === "grantless") !== (route.grantless === true)) {
      s.errors++;
      return send(403, { errors: [{ code: "Unauthorized", message: DENIED, details: route.grantless ? "This operation is grantless: call it with a client_credentials token for its scope." : "This operation acts for a seller: call it with the seller's access token." }] });
    }
    if (!bucket(route.op).take()) {
      s.throttled++;
      // As on Amazon: a 429 carries no x-amzn-RateLimit-Limit (models: only 2xx/400/404 declare it).
      return send(429, SP_API_ERROR_429);
    }
    const rateLimit = { "x-amzn-RateLimit-Limit": rateHeader(limits[route.op].rate) };
    const params = (route.re.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p));
    let parsed: unknown;
    let parsedOnce = false;
    const body = () => {
      if (!parsedOnce) {
        parsedOnce = true;
        try {
          parsed = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
        } catch {
          throw invalidInput("The request body is not valid JSON.", "Request has missing or invalid parameters and cannot be parsed.");
        }
      }
      return parsed;
    };
    try {
      const r = route.run({ q: url.searchParams, body, params });
      return send(r.status, r.body, rateLimit);
    } catch (e) {
      if (!(e instanceof PeerError)) throw e;
      s.errors++;
      if (e.status === 429) return send(429, e.body());
      return send(e.status, e.body(), e.status === 400 || e.status === 404 ? rateLimit : {});
    }
  };

  const server = config.listener ?? http.createServer();
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "InternalFailure", message: "We encountered an internal error. Please try again.", details: String((e as Error)?.message ?? e) }] }));
    });
  });
  if (!config.listener)
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port ?? 0, "127.0.0.1", () => resolve());
    });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const streams = new Set<NodeJS.Timeout>();
  return {
    url: baseUrl,
    sellerId,
    marketplaces,
    lwa: { clientId: lwa.clientId, clientSecret: lwa.clientSecret, refreshToken: lwa.refreshTokens[0]! },
    state: { orders, catalog, feeds, documents, notifications, destinations, subscriptions },
    generateOrders: (n, opts) => generator.generate(n, opts),
    startOrderStream(opts) {
      if (!(opts.everyMs > 0)) throw new Error("Amazon sandbox: order stream needs everyMs > 0");
      let ticks = 0;
      const rnd = prng((config.randomSeed ?? 1) * 7919 + streams.size + 1);
      const timer = setInterval(() => {
        ticks++;
        generator.generate(opts.ordersPerTick ?? 1, opts);
        const open = orders.all().filter((o) => o.status === "UNSHIPPED" || o.status === "PENDING");
        const mfnOpen = open.filter((o) => o.fulfilledBy === "MERCHANT");
        const requested = mfnOpen.filter((o) => o.items.some((i) => i.cancellationRequest));
        const unrequested = mfnOpen.filter((o) => !o.items.some((i) => i.cancellationRequest));
        if (unrequested.length && rnd() < (opts.cancelRequestShare ?? 0.05)) orders.requestCancellation(unrequested[Math.floor(rnd() * unrequested.length)]!.orderId);
        if (requested.length && rnd() < (opts.cancelShare ?? 0.5)) orders.cancel(requested[0]!.orderId, "BUYER");
        for (const o of open.filter((x) => x.fulfilledBy === "AMAZON")) {
          if (rnd() < (opts.shipAfnShare ?? 0.3)) {
            orders.shipAfn(o.orderId);
            for (const i of o.items) catalog.shipFba(i.sku, i.quantityOrdered);
          }
        }
        for (const o of mfnOpen.filter((x) => x.status === "PENDING")) orders.authorise(o.orderId);
      }, opts.everyMs);
      streams.add(timer);
      return {
        stop() {
          clearInterval(timer);
          streams.delete(timer);
        },
        ticks: () => ticks,
      };
    },
    requestCancellation: (orderId, reason) => orders.requestCancellation(orderId, reason),
    cancelOrder: (orderId, by) => orders.cancel(orderId, by),
    shipFbaOrder(orderId) {
      const o = orders.shipAfn(orderId);
      for (const i of o.items) catalog.shipFba(i.sku, i.quantityOrdered);
      return o;
    },
    expireAccessTokens() {
      for (const t of accessTokens.values()) t.expiresMs = Math.min(t.expiresMs, now());
    },
    issueAccessToken: (kind) => issueAccessToken(kind),
    localUrl(amazonUrl) {
      const u = new URL(amazonUrl);
      return `${baseUrl}${u.pathname}${u.search}`;
    },
    async settleFeeds() {
      while (pendingFeeds.size) await Promise.all([...pendingFeeds.values()]);
    },
    stats: () => ({ requests, tokensIssued, operations: structuredClone(opStats) }),
    async close() {
      for (const t of streams) clearInterval(t);
      streams.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
