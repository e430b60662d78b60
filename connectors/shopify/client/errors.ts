import { ConnectorError, type ConnectorErrorKind } from "#connectors/core/errors";
import type { GraphqlError } from "./transport";

/**
 * How Shopify's answers become ConnectorErrors (pure: plain data in, an error out).
 * Top-level error codes: https://shopify.dev/docs/api/usage/response-codes (GraphQL Admin API);
 * userErrors: each mutation payload's `userErrors { field message code }`.
 */
const CONNECTOR = "shopify";

const TOP_LEVEL_CODES: Record<string, { kind: ConnectorErrorKind; retryable: boolean }> = {
  THROTTLED: { kind: "UNAVAILABLE", retryable: true },
  INTERNAL_SERVER_ERROR: { kind: "UNAVAILABLE", retryable: true },
  TIMEOUT: { kind: "UNAVAILABLE", retryable: true },
  SERVICE_UNAVAILABLE: { kind: "UNAVAILABLE", retryable: true },
  ACCESS_DENIED: { kind: "NOT_ALLOWED", retryable: false },
  SHOP_INACTIVE: { kind: "NOT_ALLOWED", retryable: false },
  UNAUTHORIZED: { kind: "NOT_ALLOWED", retryable: false },
  FORBIDDEN: { kind: "NOT_ALLOWED", retryable: false },
  NOT_FOUND: { kind: "NOT_FOUND", retryable: false },
  MAX_COST_EXCEEDED: { kind: "INVALID", retryable: false },
  BAD_REQUEST: { kind: "INVALID", retryable: false },
};

export const errorCode = (e: GraphqlError): string | undefined => (typeof e.extensions?.code === "string" ? e.extensions.code : undefined);

export const hasErrorCode = (errors: GraphqlError[] | undefined, code: string) => (errors ?? []).some((e) => errorCode(e) === code);

/**
 * The input path a GraphQL error is about, when it is about an input: variable coercion errors
 * ("Variable $input of type … was provided invalid value for quantities.0.quantity") carry
 * `extensions.problems[].path` relative to the variable.
 */
export function inputFieldOf(e: GraphqlError): string | undefined {
  const variable = /^Variable \$(\w+)/.exec(e.message)?.[1];
  if (!variable) return undefined;
  const problems = (e.extensions as { problems?: { path?: unknown[] }[] } | undefined)?.problems;
  const path = Array.isArray(problems) && Array.isArray(problems[0]?.path) ? problems[0]!.path!.map(String) : [];
  return [variable, ...path].join(".");
}

/** A ConnectorError for a response's top-level `errors` (with or without data). */
export function errorFromGraphqlErrors(operation: string, errors: GraphqlError[], extra: { data?: unknown; status?: number } = {}): ConnectorError {
  const first = errors[0] ?? { message: "unknown GraphQL error" };
  const code = errorCode(first);
  const mapped = (code && TOP_LEVEL_CODES[code]) || { kind: "INVALID" as const, retryable: false };
  const field = inputFieldOf(first);
  const partial = extra.data !== undefined && extra.data !== null;
  return new ConnectorError(mapped.kind, `${operation}: ${field ? `${field}: ` : ""}${first.message}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ""}`, {
    connector: CONNECTOR,
    code,
    field,
    // Part of the answer came back: repeating the request cannot make the failing part succeed
    // by itself, and a mutation may have taken effect.
    retryable: partial ? false : mapped.retryable,
    details: { operation, errors, ...(partial ? { partial: true, data: extra.data } : {}), ...(extra.status ? { status: extra.status } : {}) },
  });
}

/** A ConnectorError for an HTTP status that is not a GraphQL answer. */
export function errorFromStatus(operation: string, status: number, detail: { errors?: GraphqlError[]; body?: string; requestId?: string }): ConnectorError {
  const kind: ConnectorErrorKind =
    status === 401 || status === 402 || status === 403 || status === 423
      ? "NOT_ALLOWED"
      : status === 404
        ? "NOT_FOUND"
        : status === 429 || status >= 500
          ? "UNAVAILABLE"
          : "INVALID";
  // 401: token revoked or expired; 402: shop frozen (unpaid); 423: shop locked; 404: shop gone or wrong version.
  const message = detail.errors?.[0]?.message ?? detail.body?.slice(0, 200) ?? "";
  return new ConnectorError(kind, `${operation}: HTTP ${status}${message ? ` — ${message}` : ""}`, {
    connector: CONNECTOR,
    code: `HTTP_${status}`,
    details: { operation, status, ...(detail.errors ? { errors: detail.errors } : {}), ...(detail.requestId ? { requestId: detail.requestId } : {}) },
  });
}

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** userError codes that mean something other than bad input. */
const USER_ERROR_CODES: Record<string, { kind: ConnectorErrorKind; retryable: boolean }> = {
  // compare-and-set lost: re-read the quantity, decide again
  CHANGE_FROM_QUANTITY_STALE: { kind: "CONFLICT", retryable: false },
  COMPARE_QUANTITY_STALE: { kind: "CONFLICT", retryable: false },
  // the first request with this idempotency key is still running: try again later, same key
  IDEMPOTENCY_CONCURRENT_REQUEST: { kind: "CONFLICT", retryable: true },
  // https://shopify.dev/docs/api/usage/implementing-idempotency: same key, different variables (a bug), or
  // the key's first attempt failed (a new intent needs a new key)
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH: { kind: "INVALID", retryable: false },
  IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED: { kind: "CONFLICT", retryable: false },
  NOT_FOUND: { kind: "NOT_FOUND", retryable: false },
  RESOURCE_NOT_FOUND: { kind: "NOT_FOUND", retryable: false },
  FULFILLMENT_ORDER_NOT_FOUND: { kind: "NOT_FOUND", retryable: false },
  INVALID_LOCATION: { kind: "INVALID", retryable: false },
};

/** The userErrors of a mutation's payload(s): any `…userErrors` list under a root field of `data`. */
export function userErrorsOf(data: unknown): UserError[] {
  if (!data || typeof data !== "object") return [];
  const found: UserError[] = [];
  for (const payload of Object.values(data as Record<string, unknown>)) {
    if (!payload || typeof payload !== "object") continue;
    for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
      if (/userErrors$/i.test(key) && Array.isArray(value)) found.push(...(value as UserError[]));
    }
  }
  return found;
}

/** userErrors → INVALID (or the kind their code says) naming the input path, e.g. "input.quantities.0.changeFromQuantity". */
export function errorFromUserErrors(operation: string, userErrors: UserError[]): ConnectorError {
  const first = userErrors[0]!;
  const field = first.field && first.field.length ? first.field.join(".") : undefined;
  const code = first.code ?? undefined;
  const mapped = (code && USER_ERROR_CODES[code]) || { kind: "INVALID" as const, retryable: false };
  const more = userErrors.length > 1 ? ` (+${userErrors.length - 1} more)` : "";
  return new ConnectorError(mapped.kind, `${operation}: ${field ? `${field}: ` : ""}${first.message}${more}`, {
    connector: CONNECTOR,
    field,
    code,
    retryable: mapped.retryable,
    details: { operation, userErrors },
  });
}
