import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, Session, shopifyApi } from "@shopify/shopify-api";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { isConnectorError, type ConnectorError } from "#connectors/core/errors";
import type { LogFields } from "#connectors/core/logger";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { ASSUMED_LIMITS, createAdminClient, type AdminClientDeps } from "./admin-client";
import { INVENTORY_SET_QUANTITIES, LOCATIONS, ORDER_CREATE, ORDERS, SHOP_INFO } from "./documents";
import { createFetchTransport } from "./fetch-transport";
import { createShopifyApiTransport } from "./shopify-api-transport";
import type { Transport } from "./transport";

/**
 * The Admin client against a nock'd https://<shop>/admin/api/2026-10/graphql.json, through the
 * production transport (@shopify/shopify-api 15's GraphQL client).  Response bodies follow
 * Shopify's shape: `extensions.cost { requestedQueryCost, actualQueryCost, throttleStatus
 * { maximumAvailable, currentlyAvailable, restoreRate } }`; a throttled answer is
 * `errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }]` with actualQueryCost null
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
 */
const SHOP = "test-shop.myshopify.com";
const ORIGIN = `https://${SHOP}`;
const PATH = "/admin/api/2026-10/graphql.json";

const api = shopifyApi({
  apiKey: "test-api-key",
  apiSecretKey: "test-api-secret",
  apiVersion: ApiVersion.October26,
  hostName: "oms.example.com",
  isEmbeddedApp: true,
  scopes: ["write_inventory", "write_orders"],
  logger: { level: LogSeverity.Error, log: async () => {} },
});
const session = new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "state", isOnline: false, accessToken: "shpat_test_token" });
const shopifyApiTransport: Transport = createShopifyApiTransport({ client: () => new api.clients.Graphql({ session }) });

interface Body {
  query: string;
  variables?: Record<string, unknown>;
}

const throttle = (available: number, maximum = 1_000, restoreRate = 50) => ({ maximumAvailable: maximum, currentlyAvailable: available, restoreRate });
const ok = (data: unknown, requested: number, actual: number, status = throttle(900)) => ({
  data,
  extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status } },
});
const throttled = (requested: number, status: ReturnType<typeof throttle>) => ({
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
  extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status } },
});
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** nock 15 hands a reply function the fetch Request (not nock 13's `(uri, body)` and `this.req`). */
const bodyOf = async (req: Request) => (await req.clone().json()) as Body;
const networkError = (code: string, message: string) => Object.assign(new Error(message), { code });

const SHOP_DATA = { shop: { id: "gid://shopify/Shop/1", name: "Test shop", myshopifyDomain: SHOP, email: "o@example.com", currencyCode: "USD", ianaTimezone: "America/New_York", weightUnit: "KILOGRAMS", plan: { publicDisplayName: "Basic", partnerDevelopment: true, shopifyPlus: false }, primaryDomain: { host: SHOP } } };

/** A client with a fake clock: sleep() records the wait and moves time on. */
function setup(overrides: Partial<AdminClientDeps> = {}) {
  const clock = { now: 1_000_000 };
  const sleeps: number[] = [];
  const logs: { level: string; msg: string; fields: LogFields }[] = [];
  const capture = (level: string) => (msg: string, fields: LogFields = {}) => void logs.push({ level, msg, fields });
  const now = () => clock.now;
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.now += ms;
  };
  const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now, sleep });
  const client = createAdminClient({
    shop: SHOP,
    transport: shopifyApiTransport,
    buckets,
    now,
    sleep,
    random: () => 0,
    retry: { maxAttempts: 3, baseMs: 500, capMs: 10_000 },
    logger: { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") },
    ...overrides,
  });
  return { client, sleeps, logs, clock, buckets };
}

async function rejection(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    if (isConnectorError(e)) return e;
    throw e;
  }
  throw new Error("expected a ConnectorError");
}

afterEach(() => {
  nock.cleanAll();
});

describe("Shopify Admin client (contract, nock)", () => {
  it("sends the document and variables with the access token, logs operation, cost, points and duration", async () => {
    const seen: { body: Body; token: unknown }[] = [];
    nock(ORIGIN)
      .post(PATH)
      .reply(async (req: Request) => {
        seen.push({ body: await bodyOf(req), token: req.headers.get("x-shopify-access-token") });
        return [200, ok({ locations: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } }, 12, 3, throttle(1_997, 2_000, 100)), JSON_HEADERS];
      });
    const { client, logs } = setup();
    const data = await client.query(LOCATIONS, { first: 10 });
    expect(data.locations.nodes).toEqual([]);
    expect(seen[0]!.body.query).toContain("query OmsLocations");
    expect(seen[0]!.body.variables).toEqual({ first: 10 });
    expect(seen[0]!.token).toBe("shpat_test_token");
    expect(logs.find((l) => l.msg === "shopify admin call")?.fields).toMatchObject({
      shop: SHOP,
      operation: "OmsLocations",
      status: 200,
      requestedCost: 12,
      actualCost: 3,
      available: 1_997,
      maximumAvailable: 2_000,
      durationMs: expect.any(Number),
    });
  });

  it("THROTTLED: waits until the bucket holds the requested cost (from currentlyAvailable and restoreRate), then succeeds", async () => {
    let calls = 0;
    nock(ORIGIN)
      .post(PATH)
      .times(2)
      .reply(() => (++calls === 1 ? [200, throttled(140, throttle(40, 1_000, 50)), JSON_HEADERS] : [200, ok(SHOP_DATA, 140, 1, throttle(899)), JSON_HEADERS]));
    const { client, sleeps } = setup();
    const data = await client.query(SHOP_INFO);
    expect(data.shop.name).toBe("Test shop");
    expect(calls).toBe(2);
    // (140 requested − 40 available) / 50 per second = 2 s
    expect(sleeps).toEqual([2_000]);
  });

  it("HTTP 429 with Retry-After: holds the shop's bucket that long", async () => {
    let calls = 0;
    nock(ORIGIN)
      .post(PATH)
      .times(2)
      .reply(() => (++calls === 1 ? [429, { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }, { ...JSON_HEADERS, "retry-after": "2.0" }] : [200, ok(SHOP_DATA, 2, 1), JSON_HEADERS]));
    const { client, sleeps } = setup();
    await client.query(SHOP_INFO);
    expect(sleeps).toEqual([2_000]);
  });

  it("5xx then success: backs off with jitter, honours Retry-After, one HTTP request per attempt", async () => {
    const replies: [number, unknown, Record<string, string>][] = [
      [502, "<html>Bad gateway</html>", { "content-type": "text/html" }],
      [503, { errors: "Service unavailable" }, { ...JSON_HEADERS, "retry-after": "3" }],
      [200, ok(SHOP_DATA, 2, 1), JSON_HEADERS],
    ];
    let calls = 0;
    nock(ORIGIN).post(PATH).times(3).reply(() => replies[calls++]!);
    const { client, sleeps } = setup();
    expect((await client.query(SHOP_INFO)).shop.id).toBe("gid://shopify/Shop/1");
    expect(calls).toBe(3);
    // backoff 1 with random 0 = half of 500 ms; backoff 2 would be 500 ms but Retry-After asks 3 s
    expect(sleeps).toEqual([250, 3_000]);
  });

  it("5xx until give-up: UNAVAILABLE, retryable, after exactly maxAttempts requests (shopify-api adds no hidden retries)", async () => {
    let calls = 0;
    nock(ORIGIN)
      .post(PATH)
      .times(5)
      .reply(() => {
        calls++;
        return [503, { errors: "Service unavailable" }, JSON_HEADERS];
      });
    const { client, sleeps } = setup();
    const err = await rejection(client.query(SHOP_INFO));
    expect(err).toMatchObject({ kind: "UNAVAILABLE", retryable: true, code: "HTTP_503" });
    expect(err.message).toMatch(/after 3 attempts/);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([250, 500]);
  });

  it("network error: a query is retried; a mutation without an idempotency key is not (outcome unknown)", async () => {
    nock(ORIGIN).post(PATH).replyWithError(networkError("ECONNRESET", "socket hang up"));
    nock(ORIGIN).post(PATH).reply(200, ok(SHOP_DATA, 2, 1), JSON_HEADERS);
    const a = setup();
    expect((await a.client.query(SHOP_INFO)).shop.name).toBe("Test shop");
    expect(a.sleeps).toEqual([250]);

    nock(ORIGIN).post(PATH).replyWithError(networkError("ECONNRESET", "socket hang up"));
    const b = setup();
    const err = await rejection(b.client.mutate(ORDER_CREATE, { order: { sourceName: "amazon", sourceIdentifier: "111-222", lineItems: [] } }));
    expect(err).toMatchObject({ kind: "UNAVAILABLE", code: "OUTCOME_UNKNOWN", retryable: false });
    expect(b.sleeps).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });

  it("network error on every attempt: UNAVAILABLE, retryable", async () => {
    nock(ORIGIN).post(PATH).times(3).replyWithError(networkError("ECONNREFUSED", "connect ECONNREFUSED"));
    const { client, sleeps } = setup();
    const err = await rejection(client.query(SHOP_INFO));
    expect(err).toMatchObject({ kind: "UNAVAILABLE", code: "NETWORK", retryable: true });
    expect(sleeps).toEqual([250, 500]);
  });

  it("userErrors: INVALID naming the input field; a stale compare-and-set is a CONFLICT on that field", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(200, ok({ inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors: [{ field: ["input", "quantities", "0", "locationId"], message: "The specified location could not be found.", code: "INVALID_LOCATION" }] } }, 11, 11), JSON_HEADERS);
    nock(ORIGIN)
      .post(PATH)
      .reply(200, ok({ inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors: [{ field: ["input", "quantities", "0", "changeFromQuantity"], message: "The quantity has changed since it was read.", code: "CHANGE_FROM_QUANTITY_STALE" }] } }, 11, 11), JSON_HEADERS);
    const { client } = setup();
    const vars = {
      idempotencyKey: "oms:set:1",
      input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/999", quantity: 5, changeFromQuantity: 3 }] },
    };
    const invalid = await rejection(client.mutate(INVENTORY_SET_QUANTITIES, vars));
    expect(invalid).toMatchObject({ kind: "INVALID", field: "input.quantities.0.locationId", retryable: false, code: "INVALID_LOCATION" });
    expect(invalid.message).toBe("OmsInventorySetQuantities: input.quantities.0.locationId: The specified location could not be found.");
    const stale = await rejection(client.mutate(INVENTORY_SET_QUANTITIES, { ...vars, idempotencyKey: "oms:set:2" }));
    expect(stale).toMatchObject({ kind: "CONFLICT", field: "input.quantities.0.changeFromQuantity", code: "CHANGE_FROM_QUANTITY_STALE" });
  });

  it("partial data + errors: request() returns both; query() refuses to drop the errors", async () => {
    const partial = {
      data: { orders: { nodes: [{ id: "gid://shopify/Order/1", name: "#1001", shippingAddress: null }], pageInfo: { hasNextPage: false, endCursor: null } } },
      errors: [{ message: "Access denied for shippingAddress field.", path: ["orders", "nodes", 0, "shippingAddress"], extensions: { code: "ACCESS_DENIED" } }],
      extensions: { cost: { requestedQueryCost: 60, actualQueryCost: 8, throttleStatus: throttle(990) } },
    };
    nock(ORIGIN).post(PATH).times(2).reply(200, partial, JSON_HEADERS);
    const { client, logs } = setup();
    const vars = { first: 50, query: "updated_at:>=2026-10-03", lineItemsFirst: 20 };
    const result = await client.request(ORDERS, vars);
    expect(result.data?.orders.nodes[0]?.name).toBe("#1001");
    expect(result.errors.map((e) => e.extensions?.code)).toEqual(["ACCESS_DENIED"]);
    expect(logs.some((l) => l.level === "warn" && l.msg === "shopify admin call: partial answer")).toBe(true);
    const err = await rejection(client.query(ORDERS, vars));
    expect(err).toMatchObject({ kind: "NOT_ALLOWED", retryable: false, details: { partial: true } });
  });

  it("a whole-request GraphQL error names the variable path (Shopify's variable coercion error)", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(
        200,
        {
          errors: [
            {
              message: "Variable $input of type InventorySetQuantitiesInput! was provided invalid value for quantities.0.quantity (Expected value to not be null)",
              locations: [{ line: 1, column: 39 }],
              extensions: { value: {}, problems: [{ path: ["quantities", 0, "quantity"], explanation: "Expected value to not be null" }] },
            },
          ],
        },
        JSON_HEADERS,
      );
    const { client } = setup();
    const err = await rejection(
      client.mutate(INVENTORY_SET_QUANTITIES, { idempotencyKey: "k", input: { name: "available", reason: "correction", quantities: [] } }),
    );
    expect(err).toMatchObject({ kind: "INVALID", field: "input.quantities.0.quantity", retryable: false });
  });

  it("@idempotent: the caller's key goes out unchanged on every retry, and a new intent sends a new key", async () => {
    const bodies: Body[] = [];
    const replies: [number, unknown][] = [
      [503, { errors: "Service unavailable" }],
      [200, ok({ inventorySetQuantities: { inventoryAdjustmentGroup: { id: "gid://shopify/InventoryAdjustmentGroup/1", reason: "correction", referenceDocumentUri: null, changes: [] }, userErrors: [] } }, 11, 11)],
      [200, ok({ inventorySetQuantities: { inventoryAdjustmentGroup: { id: "gid://shopify/InventoryAdjustmentGroup/2", reason: "correction", referenceDocumentUri: null, changes: [] }, userErrors: [] } }, 11, 11)],
    ];
    nock(ORIGIN)
      .post(PATH)
      .times(3)
      .reply(async (req: Request) => {
        bodies.push(await bodyOf(req));
        const [status, json] = replies[bodies.length - 1]!;
        return [status, json, JSON_HEADERS];
      });
    const { client } = setup();
    const input = { name: "available", reason: "correction", quantities: [{ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 5, changeFromQuantity: null }] };
    const first = await client.mutate(INVENTORY_SET_QUANTITIES, { input, idempotencyKey: "outbox:42" });
    const second = await client.mutate(INVENTORY_SET_QUANTITIES, { input: { ...input, quantities: [{ ...input.quantities[0]!, quantity: 6, changeFromQuantity: 5 }] }, idempotencyKey: "outbox:43" });
    expect(first.inventorySetQuantities?.inventoryAdjustmentGroup?.id).toBe("gid://shopify/InventoryAdjustmentGroup/1");
    expect(second.inventorySetQuantities?.inventoryAdjustmentGroup?.id).toBe("gid://shopify/InventoryAdjustmentGroup/2");
    expect(bodies.map((b) => b.variables?.idempotencyKey)).toEqual(["outbox:42", "outbox:42", "outbox:43"]);
    expect(bodies.every((b) => b.query.includes("@idempotent(key: $idempotencyKey)"))).toBe(true);
    // changeFromQuantity goes out even when null (explicit opt-out), as 2026-04+ requires
    expect((bodies[0]!.variables!.input as typeof input).quantities[0]).toHaveProperty("changeFromQuantity", null);
  });

  it("@idempotent without a key is refused before anything is sent", async () => {
    const { client } = setup();
    const err = await rejection(client.mutate(INVENTORY_SET_QUANTITIES, { input: { name: "available", reason: "correction", quantities: [] }, idempotencyKey: " " }));
    expect(err).toMatchObject({ kind: "INVALID", field: "idempotencyKey" });
  });

  it("pages() follows the cursor", async () => {
    const afters: unknown[] = [];
    nock(ORIGIN)
      .post(PATH)
      .times(2)
      .reply(async (req: Request) => {
        const after = (await bodyOf(req)).variables?.after ?? null;
        afters.push(after);
        const page = after === null ? { nodes: [{ id: "gid://shopify/Location/1" }], pageInfo: { hasNextPage: true, endCursor: "c1" } } : { nodes: [{ id: "gid://shopify/Location/2" }], pageInfo: { hasNextPage: false, endCursor: "c2" } };
        return [200, ok({ locations: page }, 12, 3), JSON_HEADERS];
      });
    const { client } = setup();
    const ids: string[] = [];
    for await (const p of client.pages(LOCATIONS, { first: 1 }, (d) => d.locations)) ids.push(...p.nodes.map((n) => n.id));
    expect(ids).toEqual(["gid://shopify/Location/1", "gid://shopify/Location/2"]);
    expect(afters).toEqual([null, "c1"]);
  });

  /**
   * Six jobs, eight queries each, against a nock'd server that keeps Shopify's leaky bucket and
   * counts points: the requested cost is held while a query runs (20–40 ms), the difference to the
   * actual cost refunded after; a request that does not fit is answered THROTTLED.  A small, fast
   * bucket keeps it to a couple of seconds of real time.
   */
  async function concurrentLoad(opts: { sharedBuckets: boolean }) {
    const CAPACITY = 200;
    const RESTORE = 2_000; // points per second
    const now = () => performance.now();
    const server = { available: CAPACITY, at: now(), charged: 0, throttled: 0, requests: 0, minAvailable: CAPACITY };
    const refill = () => {
      const t = now();
      server.available = Math.min(CAPACITY, server.available + ((t - server.at) / 1000) * RESTORE);
      server.at = t;
    };
    const costOf: Record<string, { requested: number; actual: number }> = {
      OmsShopInfo: { requested: 30, actual: 20 },
      OmsLocations: { requested: 45, actual: 25 },
    };
    nock(ORIGIN)
      .post(PATH)
      .times(10_000)
      .reply(async (req: Request) => {
        server.requests++;
        const op = /(?:query|mutation)\s+(\w+)/.exec((await bodyOf(req)).query)![1]!;
        const { requested, actual } = costOf[op]!;
        refill();
        if (server.available + 1e-9 < requested) {
          server.throttled++;
          return [200, throttled(requested, throttle(server.available, CAPACITY, RESTORE)), JSON_HEADERS];
        }
        server.available -= requested; // the requested cost is held while the query runs…
        server.minAvailable = Math.min(server.minAvailable, server.available);
        await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 20)));
        refill();
        server.available = Math.min(CAPACITY, server.available + requested - actual); // …and the difference refunded after
        server.charged += actual;
        const data = op === "OmsShopInfo" ? SHOP_DATA : { locations: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } };
        return [200, ok(data, requested, actual, throttle(server.available, CAPACITY, RESTORE)), JSON_HEADERS];
      });

    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const newBuckets = () => createTokenBuckets({ store: createMemoryBucketStore(), limits: () => ASSUMED_LIMITS, now, sleep });
    const shared = newBuckets();
    const sharedCosts = new Map<string, number>();
    const costMemory = () => {
      const m = opts.sharedBuckets ? sharedCosts : new Map<string, number>();
      return { get: (op: string) => m.get(op), set: (op: string, c: number) => void m.set(op, c) };
    };
    // Requests the clients have out at once: the callers really overlap.
    const outstanding = { now: 0, max: 0 };
    const counting: Transport = async (request, o) => {
      outstanding.max = Math.max(outstanding.max, ++outstanding.now);
      try {
        return await shopifyApiTransport(request, o);
      } finally {
        outstanding.now--;
      }
    };
    const job = async (n: number) => {
      // Every job builds its own client; what they share is the process's bucket store and learned costs.
      const buckets = opts.sharedBuckets ? shared : newBuckets();
      const client = createAdminClient({ shop: SHOP, transport: counting, buckets, costs: costMemory(), now, sleep, random: Math.random, maxThrottleRetries: 50 });
      for (let i = 0; i < 8; i++) {
        if ((n + i) % 2 === 0) await client.query(SHOP_INFO);
        else await client.query(LOCATIONS, { first: 5 });
      }
    };
    const t0 = now();
    await Promise.all([0, 1, 2, 3, 4, 5].map(job));
    return { server, outstanding, ms: now() - t0 };
  }

  it("concurrent callers for one shop never exceed the bucket: the server never has to throttle", async () => {
    const { server, outstanding } = await concurrentLoad({ sharedBuckets: true });
    expect(server.throttled).toBe(0);
    expect(server.minAvailable).toBeGreaterThanOrEqual(0);
    expect(server.requests).toBe(48);
    expect(server.charged).toBe(24 * 20 + 24 * 25);
    expect(outstanding.max).toBeGreaterThan(1);
  }, 20_000);

  it("(control) the same load with a bucket per job overdraws, and the server throttles it", async () => {
    const { server } = await concurrentLoad({ sharedBuckets: false });
    expect(server.throttled).toBeGreaterThan(0);
    expect(server.charged).toBe(24 * 20 + 24 * 25); // …and every query still got through, after waiting
  }, 20_000);

  it("the fetch transport posts the same request to a base URL (the sandbox peer), with {shop} expanded", async () => {
    const seen: { path: string; token: unknown }[] = [];
    nock("http://127.0.0.1:4010")
      .post(`/shops/${SHOP}/admin/api/2026-10/graphql.json`)
      .reply(async (req: Request) => {
        seen.push({ path: new URL(req.url).pathname, token: req.headers.get("x-shopify-access-token") });
        return [200, ok(SHOP_DATA, 2, 1), JSON_HEADERS];
      });
    const transport = createFetchTransport({ baseUrl: "http://127.0.0.1:4010/shops/{shop}/", shop: SHOP, apiVersion: "2026-10", accessToken: "sandbox-token" });
    const { client } = setup({ transport });
    expect((await client.query(SHOP_INFO)).shop.myshopifyDomain).toBe(SHOP);
    expect(seen).toEqual([{ path: `/shops/${SHOP}/admin/api/2026-10/graphql.json`, token: "sandbox-token" }]);
  });
});
