/**
 * The Shopify sandbox peer: a local HTTP server speaking the Admin GraphQL subset the connector
 * uses (POST /admin/api/<version>/graphql.json), validating every document against Shopify's real
 * schema, charging calculated query cost against a leaky bucket (THROTTLED when empty), running
 * bulk operations to JSONL (GET /bulk/<id>.jsonl), and sending signed webhooks to the app.
 * Production code never imports this (ARCHITECTURE.md "Sandbox peers"); only base URL and
 * credentials differ.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { execute, getVariableValues, GraphQLError, parse, validate, type DocumentNode, type GraphQLFormattedError } from "graphql";
import { LeakyBucket, type ThrottleStatus } from "./bucket";
import { BulkRunner } from "./bulk";
import { actualQueryCost, findOperation, requestedQueryCost } from "./cost";
import { OrderGenerator, type Channel } from "./order-stream";
import { bulkFinishPayload, foRef, holdPayload, inventoryLevelPayload, orderPayload } from "./payloads";
import { fieldResolver, typeResolver, unsupportedFields, type ResolverContext } from "./resolvers";
import { availableVersions, loadAdminSchema } from "./schema";
import { SandboxStore, type OrderRec, type StoreEvent } from "./store";
import { silentLogger, type OrderStream, type OrderStreamOptions, type SandboxStats, type ShopifySandboxConfig } from "./types";
import { gid } from "./util";
import { WebhookSender, type WebhookDelivery } from "./webhooks";

export const DEFAULT_ACCESS_TOKEN = "shpat_sandbox";
const DEFAULT_VERSION = "2026-10";

export interface ShopifySandbox {
  /** http://127.0.0.1:<port> */
  url: string;
  /** `${url}/admin/api/2026-10/graphql.json` */
  graphqlUrl: string;
  shop: string;
  apiVersion: string;
  /** A token the sandbox accepts in X-Shopify-Access-Token. */
  accessToken: string;
  /** The in-memory shop (read it in tests; mutate it only through its methods). */
  store: SandboxStore;
  /** Sends a webhook as Shopify would (signed, retried); resolves with the delivery record. */
  emitWebhook(topic: string, payload: unknown): Promise<WebhookDelivery>;
  webhookDeliveries(): readonly WebhookDelivery[];
  /** Waits until every webhook sent so far is delivered or given up. */
  flushWebhooks(): Promise<void>;
  /** Generates orders over time from the online store and POS, sending orders/create etc. */
  startOrderStream(options: OrderStreamOptions): OrderStream;
  /** One generated order now (null when nothing suitable is in stock). */
  generateOrder(channel?: Channel): OrderRec | null;
  throttleStatus(): ThrottleStatus;
  stats(): SandboxStats;
  resetStats(): void;
  stop(): Promise<void>;
}

/** Starts the sandbox; see ShopifySandboxConfig for the options. */
export async function startShopifySandbox(config: ShopifySandboxConfig): Promise<ShopifySandbox> {
  const now = config.now ?? Date.now;
  const logger = config.logger ?? silentLogger;
  const versions = availableVersions(config.schemaDir);
  if (!versions.length) throw new Error(`Shopify sandbox: no admin_<version>.json.gz in ${config.schemaDir}`);
  const bulkVersion = versions.includes(DEFAULT_VERSION) ? DEFAULT_VERSION : versions[versions.length - 1]!;
  const bulkSchema = loadAdminSchema(config.schemaDir, bulkVersion);
  const tokens = new Set(config.accessTokens?.length ? config.accessTokens : [DEFAULT_ACCESS_TOKEN]);
  const maxQueryCost = config.maxQueryCost ?? 1000;
  const apiClientId = config.apiClientId ?? "1830279";
  const store = new SandboxStore(config.seed, { shopDomain: config.shop, now });
  const bucket = new LeakyBucket(config.bucketSize ?? 1000, config.restoreRate ?? 100, now);
  const sender = new WebhookSender({
    appUrl: config.appUrl,
    topics: config.webhooks ?? {},
    apiSecret: config.apiSecret,
    shop: config.shop,
    apiVersion: bulkVersion,
    attempts: config.webhookRetry?.attempts ?? 4,
    baseDelayMs: config.webhookRetry?.baseDelayMs ?? 250,
    timeoutMs: config.webhookRetry?.timeoutMs ?? 5000,
    now,
    logger,
  });
  const ownDir = !config.bulk?.dir;
  const bulkDir = config.bulk?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "shopify-sandbox-"));
  let baseUrl = "";
  const startedAt = now();
  const fresh = () => ({ requests: 0, executed: 0, queries: 0, mutations: 0, throttled: 0, maxCostExceeded: 0, invalid: 0, unauthorized: 0, pointsRequested: 0, pointsUsed: 0, bulkOperations: 0, ordersGenerated: 0 });
  let counters = fresh();
  let operations = new Map<string, { calls: number; pointsUsed: number }>();
  let statsFrom = startedAt;

  const stats = (): SandboxStats => ({
    ...counters,
    operations: Object.fromEntries([...operations].map(([name, o]) => [name, { ...o }])),
    startedAt: statsFrom,
    now: now(),
    restoreRate: bucket.restoreRate,
    bucketSize: bucket.size,
    webhooks: { ...sender.counts },
  });
  const context = (version: string): Omit<ResolverContext, "bulk"> => ({
    store,
    version,
    apiClientId,
    runBulkQuery: (query, groupObjects) => {
      const r = bulk.start(query, groupObjects);
      if (r.bulkOperation) counters.bulkOperations++;
      return r;
    },
    cancelBulk: (op) => bulk.cancel(op),
  });
  const bulk = new BulkRunner({ schema: bulkSchema, store, dir: bulkDir, baseUrl: () => baseUrl, pageSize: config.bulk?.pageSize ?? 250, startDelayMs: config.bulk?.startDelayMs ?? 0, logger, context: () => context(bulkVersion) });

  // Mutations that make Shopify send webhooks send them here too (payloads built now: a snapshot).
  store.onEvent((e: StoreEvent) => {
    for (const [topic, payload] of webhooksFor(e)) void sender.send(topic, payload);
  });
  const webhooksFor = (e: StoreEvent): [string, unknown][] => {
    switch (e.type) {
      case "order.created":
        return [["orders/create", orderPayload(store, e.order)]];
      case "fo.routed":
        return [["fulfillment_orders/order_routing_complete", { fulfillment_order: foRef(e.fo) }]];
      case "inventory.changed":
        return [["inventory_levels/update", inventoryLevelPayload(store, e.level)]];
      case "fo.moved":
        return [
          [
            "fulfillment_orders/moved",
            {
              original_fulfillment_order: { ...foRef(e.original), assigned_location_id: gid("Location", e.original.locationN) },
              moved_fulfillment_order: { ...foRef(e.moved), assigned_location_id: gid("Location", e.moved.locationN) },
              destination_location_id: gid("Location", e.moved.locationN),
              fulfillment_order_line_items_requested: e.requested.map((r) => ({ id: gid("FulfillmentOrderLineItem", r.foLineN), quantity: r.quantity })),
              source_location: { id: gid("Location", e.sourceLocationN) },
            },
          ],
        ];
      case "fo.held": {
        const hold = holdPayload(e.hold, apiClientId);
        return [
          [
            "fulfillment_orders/placed_on_hold",
            {
              fulfillment_order: { ...foRef(e.fo), fulfillment_holds: e.fo.holds.map((h) => holdPayload(h, apiClientId)) },
              remaining_fulfillment_order: e.remaining ? foRef(e.remaining) : null,
              held_fulfillment_order_line_items: e.held.map((h) => ({ id: gid("FulfillmentOrderLineItem", h.foLineN), quantity: h.quantity })),
              created_fulfillment_hold: hold,
            },
          ],
          ["fulfillment_holds/added", { fulfillment_order: { id: gid("FulfillmentOrder", e.fo.n) }, fulfillment_hold: hold }],
        ];
      }
      case "fo.hold_released":
        return [
          ...(e.fo.status === "OPEN" ? ([["fulfillment_orders/hold_released", { fulfillment_order: foRef(e.fo) }]] as [string, unknown][]) : []),
          ...e.holds.map((h): [string, unknown] => ["fulfillment_holds/released", { fulfillment_order: { id: gid("FulfillmentOrder", e.fo.n) }, fulfillment_hold: holdPayload(h, apiClientId) }]),
        ];
      case "fo.prepared_for_pickup":
        return [["fulfillment_orders/line_items_prepared_for_pickup", { fulfillment_order: { ...foRef(e.fo), preparable: false, delivery_method: { method_type: "pickup" } } }]];
      case "bulk.finished":
        return [["bulk_operations/finish", bulkFinishPayload(store, e.op)]];
    }
  };

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const documents = new Map<string, { document: DocumentNode | null; errors: readonly GraphQLError[] }>();
  const graphql = async (req: http.IncomingMessage, res: http.ServerResponse, version: string) => {
    const headers = { "X-Shopify-API-Version": version };
    counters.requests++;
    // https://shopify.dev/docs/api/admin-graphql#authentication: X-Shopify-Access-Token on every request.
    const token = req.headers["x-shopify-access-token"];
    if (typeof token !== "string" || !token || !tokens.has(token)) {
      counters.unauthorized++;
      return json(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, headers);
    }
    const raw = await readBody(req);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = String(req.headers["content-type"] ?? "").startsWith("application/graphql") ? { query: raw } : (JSON.parse(raw) as typeof body);
    } catch {
      body = {};
    }
    if (typeof body.query !== "string" || !body.query.trim()) return json(res, 400, { errors: { query: "Required parameter missing or invalid" } }, headers);
    const schema = loadAdminSchema(config.schemaDir, version);
    const fail = (errors: readonly GraphQLError[] | GraphQLFormattedError[], requested = 0) => {
      counters.invalid++;
      return json(res, 200, { errors: errors.map((e) => (e instanceof GraphQLError ? e.toJSON() : e)), extensions: { cost: { requestedQueryCost: requested, actualQueryCost: 0, throttleStatus: bucket.status() } } }, headers);
    };
    // Parse + validate + support check once per distinct document (clients resend the same ones).
    const cacheKey = `${version}\n${body.query}`;
    let checked = documents.get(cacheKey);
    if (!checked) {
      try {
        const document = parse(body.query);
        const invalid = validate(schema, document);
        checked = { document, errors: invalid.length ? invalid : unsupportedFields(schema, document) };
      } catch (e) {
        checked = { document: null, errors: [e instanceof GraphQLError ? e : new GraphQLError((e as Error).message)] };
      }
      if (documents.size >= 500) documents.delete(documents.keys().next().value!);
      documents.set(cacheKey, checked);
    }
    if (checked.errors.length || !checked.document) return fail(checked.errors);
    const document = checked.document;
    const operationName = typeof body.operationName === "string" && body.operationName ? body.operationName : null;
    const operation = findOperation(document, operationName);
    if (!operation) return fail([new GraphQLError(operationName ? `Unknown operation named "${operationName}".` : "Must provide operation name if query contains multiple operations.")]);
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (body.variables as Record<string, unknown>) ?? {});
    if (coerced.errors) return fail(coerced.errors);
    const variables = coerced.coerced;
    const requested = requestedQueryCost(schema, document, operation, variables);
    // https://shopify.dev/docs/api/usage/limits: "A single query may not exceed a cost of 1,000 points".
    if (requested > maxQueryCost) {
      counters.maxCostExceeded++;
      return json(
        res,
        200,
        {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxQueryCost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: maxQueryCost, documentation: "https://shopify.dev/api/usage/limits#rate-limits" },
            },
          ],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
        },
        headers,
      );
    }
    if (!bucket.take(requested)) {
      counters.throttled++;
      return json(
        res,
        200,
        {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/limits#rate-limits" } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
        },
        headers,
      );
    }
    const result = await execute({
      schema,
      document,
      operationName,
      variableValues: variables,
      contextValue: { ...context(version), bulk: null } satisfies ResolverContext,
      fieldResolver: fieldResolver(schema),
      typeResolver,
    });
    const actual = Math.min(requested, actualQueryCost(schema, document, operation, variables, result.data));
    bucket.refund(requested - actual);
    counters.executed++;
    counters[operation.operation === "mutation" ? "mutations" : "queries"]++;
    counters.pointsRequested += requested;
    counters.pointsUsed += actual;
    const op = operations.get(operation.name?.value ?? "(anonymous)") ?? { calls: 0, pointsUsed: 0 };
    op.calls++;
    op.pointsUsed += actual;
    operations.set(operation.name?.value ?? "(anonymous)", op);
    const out: Record<string, unknown> = {};
    if (result.errors?.length) out.errors = result.errors.map((e) => e.toJSON());
    out.data = result.data ?? null;
    out.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } };
    return json(res, 200, out, headers);
  };

  const serveBulk = (res: http.ServerResponse, n: number) => {
    const op = store.bulkOperation(n);
    if (!op || op.status !== "COMPLETED" || !op.filePath || !fs.existsSync(op.filePath)) return json(res, 404, { errors: "Not Found" });
    res.writeHead(200, { "Content-Type": "application/jsonl", "Content-Length": fs.statSync(op.filePath).size });
    fs.createReadStream(op.filePath).pipe(res);
  };

  const server = config.listener ?? http.createServer();
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    // Also under /shops/<shop>/…, the multi-shop base URL the fetch transport supports ("{shop}").
    const gql = /^(?:\/shops\/([^/]+))?\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    const done = (p: Promise<unknown> | void) =>
      Promise.resolve(p).catch((e: unknown) => {
        logger.warn("sandbox request failed", { error: (e as Error).stack ?? String(e) });
        if (!res.headersSent) json(res, 500, { errors: "Internal Server Error" });
        else res.end();
      });
    if (gql) {
      const version = gql[2]!;
      if (gql[1] !== undefined && decodeURIComponent(gql[1]) !== config.shop) return done(json(res, 404, { errors: "Not Found" }));
      // Unknown versions get Shopify's 404; served versions are the schema files present.
      if (!versions.includes(version)) return done(json(res, 404, { errors: "Not Found" }));
      if (req.method !== "POST") return done(json(res, 405, { errors: "Method Not Allowed" }, { Allow: "POST" }));
      return done(graphql(req, res, version));
    }
    const bulkFile = /^\/bulk\/(\d+)\.jsonl$/.exec(url.pathname);
    if (bulkFile && req.method === "GET") return done(serveBulk(res, Number(bulkFile[1])));
    if (url.pathname === "/__sandbox/stats") return done(json(res, 200, stats()));
    return done(json(res, 404, { errors: "Not Found" }));
  });
  if (!config.listener)
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port ?? 0, config.host ?? "127.0.0.1", () => resolve());
    });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${config.listener ? "127.0.0.1" : (config.host ?? "127.0.0.1")}:${address.port}`;
  logger.info(`Shopify sandbox for ${config.shop} listening on ${baseUrl}`, { versions, locations: store.locations.length, variants: store.variants.length });

  const generator = new OrderGenerator(store, 20261127);
  const streams = new Set<NodeJS.Timeout>();

  const handle: ShopifySandbox = {
    url: baseUrl,
    graphqlUrl: `${baseUrl}/admin/api/${bulkVersion}/graphql.json`,
    shop: config.shop,
    apiVersion: bulkVersion,
    accessToken: [...tokens][0]!,
    store,
    emitWebhook: (topic, payload) => sender.send(topic, payload),
    webhookDeliveries: () => sender.deliveries(),
    flushWebhooks: () => sender.idle(),
    generateOrder: (channel = "web") => {
      const order = generator.create(channel);
      if (order) counters.ordersGenerated++;
      return order;
    },
    startOrderStream: (options) => {
      const own = new OrderGenerator(store, options.seed ?? 1);
      const mix = options.channelMix ?? { web: 0.7, pickup: 0.1, pos: 0.2 };
      let count = 0;
      const timer = setInterval(() => {
        if (options.maxOrders !== undefined && count >= options.maxOrders) return stream.stop();
        const order = own.create(own.pickChannel(mix));
        if (order) {
          count++;
          counters.ordersGenerated++;
        }
      }, options.everyMs);
      timer.unref();
      streams.add(timer);
      const stream: OrderStream = {
        stop: () => {
          clearInterval(timer);
          streams.delete(timer);
        },
        get count() {
          return count;
        },
      };
      return stream;
    },
    throttleStatus: () => bucket.status(),
    stats,
    resetStats: () => {
      counters = fresh();
      operations = new Map();
      statsFrom = now();
    },
    stop: async () => {
      for (const t of streams) clearInterval(t);
      streams.clear();
      await bulk.stop();
      await sender.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownDir) fs.rmSync(bulkDir, { recursive: true, force: true });
    },
  };
  return handle;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
