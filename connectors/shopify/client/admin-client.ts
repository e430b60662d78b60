import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from "graphql";
import { ConnectorError } from "#connectors/core/errors";
import { silentLogger, type ConnectorLogger } from "#connectors/core/logger";
import { paginate, relayNextCursor, type ConnectionPage } from "#connectors/core/pagination";
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type RetryPolicy } from "#connectors/core/retry";
import type { BucketKey, BucketLimits, Grant, ServerBucketStatus, TokenBuckets } from "#connectors/core/token-bucket";
import { errorFromGraphqlErrors, errorFromStatus, errorFromUserErrors, hasErrorCode, userErrorsOf } from "./errors";
import { TransportNetworkError, type GraphqlError, type QueryCost, type Transport, type TransportResponse } from "./transport";
import type { ResultOf, TypedDocument, VariablesOf } from "./typed-document";

/**
 * The cost-aware Admin GraphQL client (ARCHITECTURE.md rule 3; docs/decisions/010-shopify-admin-client.md).
 *
 * Per call:
 *  1. estimate the cost: the caller's `cost`, else the requestedQueryCost of the last response of
 *     the same operation, else `defaultCost` — and then the call runs alone until the operation's
 *     cost is known (so concurrent first calls cannot overdraw on a guess);
 *  2. take that many points from the shop's bucket (shared by every caller in the process), waiting
 *     for restore when short;
 *  3. send through the transport;
 *  4. settle the bucket with the server's numbers (`extensions.cost`): refund or extra charge,
 *     resync with throttleStatus; remember requestedQueryCost for the next call;
 *  5. THROTTLED (GraphQL error or HTTP 429): the request was not run; wait until the bucket holds
 *     the requested cost (computed from currentlyAvailable and restoreRate, or Retry-After) and send
 *     again — bounded by `maxThrottleRetries`;
 *  6. 5xx, INTERNAL_SERVER_ERROR without data, network errors: back off (jitter, Retry-After) and
 *     retry up to `retry.maxAttempts` — for queries, and for mutations that are safe to repeat
 *     (`@idempotent` or declared `retrySafe`); otherwise UNAVAILABLE with code OUTCOME_UNKNOWN;
 *  7. other failures become ConnectorErrors (./errors.ts).
 * Shopify's limits: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */

/** Shopify's bucket is per app and store: one key per shop for every Admin GraphQL call. */
export const ADMIN_GRAPHQL_OPERATION = "admin-graphql";

/** Assumed until the first response says otherwise: Shopify's Standard plan restore rate and a small bucket. */
export const ASSUMED_LIMITS: BucketLimits = { capacity: 1_000, restoreRate: 100 };

export const adminBucketKey = (shop: string): BucketKey => ({ account: shop, operation: ADMIN_GRAPHQL_OPERATION });

/** Learned requestedQueryCost per operation name; share one between the clients of a process. */
export interface CostMemory {
  get(operation: string): number | undefined;
  set(operation: string, cost: number): void;
}

export interface AdminClientDeps {
  shop: string;
  transport: Transport;
  buckets: TokenBuckets;
  logger?: ConnectorLogger;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): backoff jitter. */
  random: () => number;
  /** For 5xx and network errors (THROTTLED waits do not count). */
  retry?: Partial<RetryPolicy>;
  /** THROTTLED / 429 answers tolerated for one call before giving up (UNAVAILABLE, retryable). */
  maxThrottleRetries?: number;
  /** Estimate for an operation never seen before (Shopify refuses single queries above 1000). */
  defaultCost?: number;
  costs?: CostMemory;
  /** Abort an attempt that has not answered after this long (treated like a network error). */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Known cost estimate (skips learning). */
  cost?: number;
  signal?: AbortSignal;
  /**
   * A mutation that may be sent again when its first outcome is unknown (5xx, network error)
   * without doing its effect twice.  Default: true when it carries `@idempotent`, else false.
   */
  retrySafe?: boolean;
}

export interface AdminResult<T> {
  operation: string;
  /** Present unless the request failed as a whole. */
  data: T | undefined;
  /** GraphQL errors that came with data (a partial answer) — never dropped. */
  errors: GraphqlError[];
  cost: QueryCost | undefined;
  /** HTTP requests sent, throttled ones included. */
  attempts: number;
}

export interface AdminClient {
  readonly shop: string;
  /** One operation; a partial answer (data + errors) is returned with `errors` set, anything else that failed throws. */
  request<D extends TypedDocument<unknown, unknown>>(document: D, variables?: VariablesOf<D>, opts?: CallOptions): Promise<AdminResult<ResultOf<D>>>;
  /** A query's data; any GraphQL error, partial or not, throws. */
  query<D extends TypedDocument<unknown, unknown>>(document: D, variables?: VariablesOf<D>, opts?: CallOptions): Promise<ResultOf<D>>;
  /** A mutation's data; GraphQL errors throw, and so do userErrors (INVALID naming the field, or the kind their code says). */
  mutate<D extends TypedDocument<unknown, unknown>>(document: D, variables: VariablesOf<D>, opts?: CallOptions): Promise<ResultOf<D>>;
  /** Pages of a connection, following `after` cursors from `start` (a checkpoint). */
  pages<D extends TypedDocument<unknown, unknown>, N>(
    document: D,
    variables: Omit<VariablesOf<D>, "after">,
    select: (data: ResultOf<D>) => ConnectionPage<N> | null | undefined,
    opts?: CallOptions & { start?: string | null },
  ): AsyncGenerator<{ nodes: N[]; cursor: string | null; next: string | null; data: ResultOf<D> }>;
}

// ---------------------------------------------------------------------------------------------
// What the client needs to know about a document (parsed once per document text)

interface DocumentInfo {
  operation: string;
  mutation: boolean;
  /** Name of the variable holding the `@idempotent(key:)` value, when the document has the directive. */
  idempotencyVariable?: string;
}

const documentInfo = new Map<string, DocumentInfo>();

/** Operation name, kind and `@idempotent` key variable of a document. A literal key is refused: it would be the same for every intent. */
export function describeDocument(source: string): DocumentInfo {
  const cached = documentInfo.get(source);
  if (cached) return cached;
  const ops = parse(source).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || !ops[0]!.name) throw new ConnectorError("INVALID", "an Admin GraphQL document must hold exactly one named operation", { connector: "shopify" });
  const op = ops[0]!;
  let idempotencyVariable: string | undefined;
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    const directive = sel.directives?.find((d) => d.name.value === "idempotent");
    const key = directive?.arguments?.find((a) => a.name.value === "key")?.value;
    if (!key) continue;
    if (key.kind !== Kind.VARIABLE) {
      throw new ConnectorError("INVALID", `${op.name!.value}: @idempotent(key:) must be a variable, stable per intent — a literal would repeat for every intent`, { connector: "shopify", field: "key" });
    }
    idempotencyVariable = key.name.value;
  }
  const info: DocumentInfo = { operation: op.name!.value, mutation: op.operation === OperationTypeNode.MUTATION, idempotencyVariable };
  documentInfo.set(source, info);
  return info;
}

// ---------------------------------------------------------------------------------------------

const toServerStatus = (cost: QueryCost | undefined): ServerBucketStatus | undefined =>
  cost?.throttleStatus
    ? { capacity: cost.throttleStatus.maximumAvailable, available: cost.throttleStatus.currentlyAvailable, restoreRate: cost.throttleStatus.restoreRate }
    : undefined;

function mapCosts(): CostMemory {
  const m = new Map<string, number>();
  return { get: (op) => m.get(op), set: (op, cost) => void m.set(op, cost) };
}

export function createAdminClient(deps: AdminClientDeps): AdminClient {
  const log = deps.logger ?? silentLogger;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const maxThrottleRetries = deps.maxThrottleRetries ?? 10;
  const defaultCost = deps.defaultCost ?? 100;
  const costs = deps.costs ?? mapCosts();
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const key = adminBucketKey(deps.shop);

  async function request<T>(document: string, variables: Record<string, unknown> | undefined, opts: CallOptions = {}): Promise<AdminResult<T>> {
    const info = describeDocument(document);
    const { operation } = info;
    if (info.idempotencyVariable) {
      const value = variables?.[info.idempotencyVariable];
      if (typeof value !== "string" || value.trim() === "") {
        throw new ConnectorError("INVALID", `${operation}: the idempotency key $${info.idempotencyVariable} is required (stable per intent, the same on every retry)`, {
          connector: "shopify",
          field: info.idempotencyVariable,
        });
      }
    }
    const retrySafe = !info.mutation || (opts.retrySafe ?? info.idempotencyVariable !== undefined);
    const req = { query: document, variables: variables ?? {}, operationName: operation };

    let attempts = 0;
    let failures = 0;
    let throttles = 0;
    for (;;) {
      // Asked again on every try: a probe of this operation finishing meanwhile makes its cost known.
      const demand = () => {
        const known = opts.cost ?? costs.get(operation);
        return { cost: known ?? defaultCost, exclusive: known === undefined };
      };
      const grant: Grant = await deps.buckets.take(key, demand, { signal: opts.signal });
      attempts++;
      const started = deps.now();
      const attemptSignal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);

      let res: TransportResponse;
      try {
        res = await deps.transport(req, { signal: attemptSignal });
      } catch (e) {
        await deps.buckets.settle(key, grant, {}); // unknown whether Shopify charged it
        if (opts.signal?.aborted) throw opts.signal.reason;
        const network = e instanceof TransportNetworkError || attemptSignal.aborted;
        if (!network) throw e;
        failures++;
        const fields = { shop: deps.shop, operation, attempt: attempts, durationMs: deps.now() - started, err: e };
        if (!retrySafe) {
          log.warn("shopify admin call: network error, outcome unknown", fields);
          throw outcomeUnknown(operation, e);
        }
        const decision = decideRetry({ attempt: failures, retryable: true, policy, random: deps.random() });
        if (!decision.retry) {
          log.warn("shopify admin call: network error, giving up", fields);
          throw new ConnectorError("UNAVAILABLE", `${operation}: Shopify did not answer after ${attempts} attempts (${(e as Error).message})`, {
            connector: "shopify",
            code: "NETWORK",
            retryable: true,
            cause: e,
            details: { operation, attempts },
          });
        }
        log.warn("shopify admin call: network error, retrying", { ...fields, retryInMs: decision.delayMs });
        await deps.sleep(decision.delayMs, opts.signal);
        continue;
      }

      const durationMs = deps.now() - started;
      const { body, status } = res;
      const cost = body.extensions?.cost;
      const throttled = status === 429 || hasErrorCode(body.errors, "THROTTLED");
      const snapshot = await deps.buckets.settle(key, grant, {
        // A throttled request was not run, so not charged; otherwise Shopify's actual cost (unknown on some 5xx).
        charged: throttled ? 0 : (cost?.actualQueryCost ?? undefined),
        status: toServerStatus(cost),
      });
      if (typeof cost?.requestedQueryCost === "number") costs.set(operation, cost.requestedQueryCost);

      const logFields = {
        shop: deps.shop,
        operation,
        status,
        attempt: attempts,
        estimatedCost: grant.cost,
        requestedCost: cost?.requestedQueryCost ?? null,
        actualCost: cost?.actualQueryCost ?? null,
        available: cost?.throttleStatus?.currentlyAvailable ?? null,
        maximumAvailable: cost?.throttleStatus?.maximumAvailable ?? null,
        restoreRate: cost?.throttleStatus?.restoreRate ?? null,
        localAvailable: Math.floor(snapshot.available),
        waitedMs: grant.waitedMs,
        durationMs,
      };

      if (throttled) {
        throttles++;
        if (throttles > maxThrottleRetries) {
          log.warn("shopify admin call: throttled, giving up", logFields);
          throw new ConnectorError("UNAVAILABLE", `${operation}: still throttled after ${throttles} waits`, {
            connector: "shopify",
            code: "THROTTLED",
            retryable: true,
            details: { operation, cost },
          });
        }
        // The next take waits until the bucket holds the requested cost.  Retry-After (HTTP 429) holds
        // every caller of the shop.  When neither explains the refusal (no numbers, or numbers that
        // say the points were there — a resource-based throttle), back off like an outage.
        const retryAfter = parseRetryAfter(res.headers["retry-after"], deps.now());
        const bucketExplains = cost?.throttleStatus !== undefined && typeof cost.requestedQueryCost === "number" && cost.throttleStatus.currentlyAvailable < cost.requestedQueryCost;
        const pauseMs = retryAfter ?? (bucketExplains ? 0 : fallbackBackoff(throttles, deps.random(), policy));
        if (pauseMs > 0) await deps.buckets.pause(key, deps.now() + pauseMs);
        log.warn("shopify admin call: throttled, waiting for the bucket", { ...logFields, pauseMs });
        continue;
      }

      const serverTrouble = status >= 500 || (status < 300 && body.data == null && hasErrorCode(body.errors, "INTERNAL_SERVER_ERROR"));
      if (serverTrouble) {
        failures++;
        if (!retrySafe) {
          log.warn("shopify admin call: server error, outcome unknown", logFields);
          throw outcomeUnknown(operation, undefined, status);
        }
        const decision = decideRetry({ attempt: failures, retryable: true, policy, random: deps.random(), retryAfterMs: parseRetryAfter(res.headers["retry-after"], deps.now()) });
        if (!decision.retry) {
          log.warn("shopify admin call: server error, giving up", logFields);
          const err = status >= 500 ? errorFromStatus(operation, status, { errors: body.errors, body: res.unparsedBody, requestId: res.headers["x-request-id"] }) : errorFromGraphqlErrors(operation, body.errors ?? [], { status });
          throw new ConnectorError("UNAVAILABLE", `${err.message} (after ${attempts} attempts)`, { connector: "shopify", code: err.code, retryable: true, details: { ...err.details, attempts } });
        }
        log.warn("shopify admin call: server error, retrying", { ...logFields, retryInMs: decision.delayMs });
        await deps.sleep(decision.delayMs, opts.signal);
        continue;
      }

      if (status < 200 || status >= 300) {
        log.warn("shopify admin call: refused", logFields);
        throw errorFromStatus(operation, status, { errors: body.errors, body: res.unparsedBody, requestId: res.headers["x-request-id"] });
      }
      if (res.unparsedBody !== undefined) {
        log.warn("shopify admin call: unreadable answer", logFields);
        throw new ConnectorError("UNAVAILABLE", `${operation}: the answer was not a GraphQL response`, { connector: "shopify", code: "BAD_RESPONSE", retryable: retrySafe, details: { operation, status, body: res.unparsedBody } });
      }
      const errors = body.errors ?? [];
      if (body.data == null) {
        log.warn("shopify admin call: errors", { ...logFields, errors: errors.map((e) => e.message) });
        throw errorFromGraphqlErrors(operation, errors, { status });
      }
      if (errors.length) log.warn("shopify admin call: partial answer", { ...logFields, errors: errors.map((e) => e.message) });
      else log.debug("shopify admin call", logFields);
      return { operation, data: body.data as T, errors, cost, attempts };
    }
  }

  function outcomeUnknown(operation: string, cause?: unknown, status?: number) {
    // Not retryable: repeating a mutation that is not idempotent could do it twice; the caller must
    // check what happened (e.g. look the order up by sourceIdentifier) before trying again.
    return new ConnectorError("UNAVAILABLE", `${operation}: no clear answer from Shopify${status ? ` (HTTP ${status})` : ""}; the mutation may or may not have been applied`, {
      connector: "shopify",
      code: "OUTCOME_UNKNOWN",
      retryable: false,
      cause,
      details: { operation, ...(status ? { status } : {}) },
    });
  }

  const client: AdminClient = {
    shop: deps.shop,
    request: (document, variables, opts) => request(document, variables as Record<string, unknown> | undefined, opts),
    async query(document, variables, opts) {
      const r = await request<ResultOf<typeof document>>(document, variables as Record<string, unknown> | undefined, opts);
      if (r.errors.length) throw errorFromGraphqlErrors(r.operation, r.errors, { data: r.data });
      return r.data as ResultOf<typeof document>;
    },
    async mutate(document, variables, opts) {
      const info = describeDocument(document);
      for (let busy = 1; ; busy++) {
        const r = await request<ResultOf<typeof document>>(document, variables as Record<string, unknown>, opts);
        if (r.errors.length) throw errorFromGraphqlErrors(r.operation, r.errors, { data: r.data });
        const userErrors = userErrorsOf(r.data);
        if (!userErrors.length) return r.data as ResultOf<typeof document>;
        const err = errorFromUserErrors(r.operation, userErrors);
        // Same idempotency key still in flight at Shopify: wait and ask again with the same key.
        const decision = decideRetry({ attempt: busy, retryable: err.code === "IDEMPOTENCY_CONCURRENT_REQUEST" && info.idempotencyVariable !== undefined, policy, random: deps.random() });
        if (!decision.retry) throw err;
        log.warn("shopify admin call: idempotent request still running, asking again", { shop: deps.shop, operation: r.operation, retryInMs: decision.delayMs });
        await deps.sleep(decision.delayMs, opts?.signal);
      }
    },
    async *pages(document, variables, select, opts = {}) {
      const { start, ...callOpts } = opts;
      const fetchPage = async (after: string | null) => {
        const data = await client.query(document, { ...variables, after } as VariablesOf<typeof document>, callOpts);
        const conn = select(data);
        if (!conn) throw new ConnectorError("NOT_FOUND", `${describeDocument(document).operation}: the connection is missing from the answer`, { connector: "shopify" });
        return { data, conn };
      };
      for await (const p of paginate(fetchPage, (page) => relayNextCursor(page.conn), { start })) {
        yield { nodes: p.page.conn.nodes, cursor: p.cursor, next: p.next, data: p.page.data };
      }
    },
  };
  return client;
}

/** Backoff for a throttle that came without any hint of how long to wait. */
function fallbackBackoff(attempt: number, random: number, policy: RetryPolicy): number {
  const d = decideRetry({ attempt, retryable: true, policy: { ...policy, maxAttempts: Number.POSITIVE_INFINITY }, random });
  return d.retry ? d.delayMs : policy.capMs;
}

