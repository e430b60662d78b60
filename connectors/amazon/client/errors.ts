import { ConnectorError, type ConnectorErrorKind } from "#connectors/core/errors";

/**
 * How an SP-API answer becomes a ConnectorError — pure: status, body text and headers in, a
 * verdict out.  amazon-sp-api's own errors drop the status, headers and request id (brief §1.3), so
 * the client asks for `raw_result` and classifies here.
 *
 * SP-API error bodies are `{ errors: [{ code, message, details? }] }`
 * (https://developer-docs.amazon.com/sp-api/docs/response-format); throttled calls answer 429
 * `QuotaExceeded`, often with an empty or non-JSON body and without `x-amzn-RateLimit-Limit`;
 * gateways answer 5xx with HTML.  `code` on the ConnectorError is the hub's category:
 *
 *  - THROTTLED            429 (any body): wait for the bucket and send again;
 *  - TRANSIENT            5xx, or an unreadable 2xx, for a call that is safe to repeat;
 *  - OUTCOME_UNKNOWN      the same for a call that is not (createFeed): not retryable, look first;
 *  - ACCESS_TOKEN_EXPIRED 403 Unauthorized "access token … expired": refresh once, send again;
 *  - AUTH                 any other 401/403 (revoked, wrong role, "security token … expired");
 *  - PAGINATION_TOKEN_EXPIRED  400 about an expired/invalid paginationToken or nextToken;
 *  - NOT_FOUND, CONFLICT, INVALID  404, 409, other 4xx (Amazon's code and message kept).
 */
export const CONNECTOR = "amazon";

export type SpApiErrorCategory =
  | "THROTTLED"
  | "TRANSIENT"
  | "OUTCOME_UNKNOWN"
  | "ACCESS_TOKEN_EXPIRED"
  | "AUTH"
  | "PAGINATION_TOKEN_EXPIRED"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID";

export interface AmazonError {
  code?: string;
  message?: string;
  details?: string;
}

export interface RawAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export type ParsedBody = { ok: true; json: unknown } | { ok: false; text: string };

/** JSON, or the text it was not (an HTML 503, an empty 429). 204 and empty 2xx bodies parse as `{}`. */
export function parseBody(status: number, body: string): ParsedBody {
  if (body.trim() === "") return status >= 200 && status < 300 ? { ok: true, json: {} } : { ok: false, text: "" };
  try {
    return { ok: true, json: JSON.parse(body) as unknown };
  } catch {
    return { ok: false, text: body };
  }
}

export function amazonErrorsOf(parsed: ParsedBody): AmazonError[] {
  if (!parsed.ok || !parsed.json || typeof parsed.json !== "object") return [];
  const errors = (parsed.json as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors.filter((e): e is AmazonError => !!e && typeof e === "object") : [];
}

export const headerValue = (headers: RawAnswer["headers"], name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Amazon's request id (`x-amzn-RequestId`), for logs and support cases. */
export const requestIdOf = (headers: RawAnswer["headers"]) => headerValue(headers, "x-amzn-requestid");

/** The one 403 the library would refresh on: `Unauthorized` whose details say the access token expired (lib/SellingPartner.js). */
export function isExpiredAccessToken(status: number, errors: AmazonError[]): boolean {
  const e = errors[0];
  return status === 403 && e?.code === "Unauthorized" && /access token.*expired/i.test(`${e.details ?? ""} ${e.message ?? ""}`);
}

/** A 400 about an expired or unknown page token: searchOrders' paginationToken (24 h) or getInventorySummaries' nextToken (30 s). */
export function isExpiredPageToken(status: number, errors: AmazonError[]): boolean {
  if (status !== 400) return false;
  return errors.some((e) => {
    const text = `${e.code ?? ""} ${e.message ?? ""} ${e.details ?? ""}`;
    return /(pagination|next)\s*_?token/i.test(text) && /(expired|invalid|not valid)/i.test(text);
  });
}

const KIND: Record<SpApiErrorCategory, { kind: ConnectorErrorKind; retryable: boolean }> = {
  THROTTLED: { kind: "UNAVAILABLE", retryable: true },
  TRANSIENT: { kind: "UNAVAILABLE", retryable: true },
  OUTCOME_UNKNOWN: { kind: "UNAVAILABLE", retryable: false },
  ACCESS_TOKEN_EXPIRED: { kind: "NOT_ALLOWED", retryable: true },
  AUTH: { kind: "NOT_ALLOWED", retryable: false },
  PAGINATION_TOKEN_EXPIRED: { kind: "INVALID", retryable: false },
  NOT_FOUND: { kind: "NOT_FOUND", retryable: false },
  CONFLICT: { kind: "CONFLICT", retryable: false },
  INVALID: { kind: "INVALID", retryable: false },
};

export type Verdict = { ok: true; json: unknown } | { ok: false; category: SpApiErrorCategory; errors: AmazonError[]; text?: string };

/**
 * The verdict on one answer.  `retrySafe`: whether sending the request again cannot do its effect
 * twice — decides between TRANSIENT and OUTCOME_UNKNOWN for server trouble.
 */
export function classifyAnswer(answer: Pick<RawAnswer, "status" | "body">, retrySafe: boolean): Verdict {
  const { status } = answer;
  const parsed = parseBody(status, answer.body);
  const errors = amazonErrorsOf(parsed);
  const text = parsed.ok ? undefined : parsed.text;
  const fail = (category: SpApiErrorCategory): Verdict => ({ ok: false, category, errors, ...(text !== undefined ? { text } : {}) });
  if (status === 429) return fail("THROTTLED");
  if (status >= 500) return fail(retrySafe ? "TRANSIENT" : "OUTCOME_UNKNOWN");
  if (status >= 200 && status < 300) {
    // A success we cannot read: the effect may have happened (a write) or not be readable (a read).
    if (!parsed.ok || errors.length > 0) return fail(retrySafe ? "TRANSIENT" : "OUTCOME_UNKNOWN");
    return { ok: true, json: parsed.json };
  }
  if (isExpiredAccessToken(status, errors)) return fail("ACCESS_TOKEN_EXPIRED");
  if (status === 401 || status === 403) return fail("AUTH");
  if (isExpiredPageToken(status, errors)) return fail("PAGINATION_TOKEN_EXPIRED");
  if (status === 404) return fail("NOT_FOUND");
  if (status === 409) return fail("CONFLICT");
  return fail("INVALID");
}

/**
 * The parameter an INVALID answer is about, when Amazon's message names one of the request's
 * parameters ("Invalid paginationToken", "marketplaceIds is required", …).
 */
export function fieldNamedIn(errors: AmazonError[], paramNames: string[]): string | undefined {
  const text = errors.map((e) => `${e.message ?? ""} ${e.details ?? ""}`).join(" ");
  return [...paramNames].sort((a, b) => b.length - a.length).find((p) => new RegExp(`\\b${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").test(text));
}

export interface ErrorContext {
  operation: string;
  status?: number;
  requestId?: string;
  attempts?: number;
  paramNames?: string[];
  cause?: unknown;
}

/** The ConnectorError for a failed verdict. */
export function toConnectorError(verdict: Extract<Verdict, { ok: false }>, ctx: ErrorContext): ConnectorError {
  const { kind, retryable } = KIND[verdict.category];
  const first = verdict.errors[0];
  const amazonText = first ? `${first.code ?? "error"}: ${first.message ?? ""}${first.details ? ` (${first.details})` : ""}` : verdict.text ? `unreadable body: ${oneLine(verdict.text)}` : "empty body";
  const field = verdict.category === "INVALID" || verdict.category === "PAGINATION_TOKEN_EXPIRED" ? fieldNamedIn(verdict.errors, ctx.paramNames ?? []) : undefined;
  const what =
    verdict.category === "OUTCOME_UNKNOWN"
      ? "no clear answer from Amazon; the request may or may not have taken effect — check before sending it again"
      : verdict.category === "THROTTLED"
        ? "throttled by Amazon"
        : amazonText;
  return new ConnectorError(kind, `${ctx.operation}: ${ctx.status !== undefined ? `HTTP ${ctx.status} — ` : ""}${what}${ctx.attempts && ctx.attempts > 1 ? ` (after ${ctx.attempts} attempts)` : ""}`, {
    connector: CONNECTOR,
    code: verdict.category,
    field,
    retryable,
    cause: ctx.cause,
    details: {
      operation: ctx.operation,
      ...(ctx.status !== undefined ? { status: ctx.status } : {}),
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      ...(ctx.attempts ? { attempts: ctx.attempts } : {}),
      ...(first?.code ? { amazonCode: first.code } : {}),
      errors: verdict.errors,
      ...(verdict.text !== undefined ? { body: oneLine(verdict.text) } : {}),
    },
  });
}

/** A request that got no answer at all (connection refused/reset, timeout). */
export function networkError(operation: string, cause: unknown, retrySafe: boolean, attempts: number): ConnectorError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (!retrySafe) {
    return new ConnectorError("UNAVAILABLE", `${operation}: no answer from Amazon (${message}); the request may or may not have taken effect — check before sending it again`, {
      connector: CONNECTOR,
      code: "OUTCOME_UNKNOWN",
      retryable: false,
      cause,
      details: { operation, attempts, ...(typeof code === "string" ? { networkCode: code } : {}) },
    });
  }
  return new ConnectorError("UNAVAILABLE", `${operation}: no answer from Amazon after ${attempts} attempt${attempts === 1 ? "" : "s"} (${message})`, {
    connector: CONNECTOR,
    code: "TRANSIENT",
    retryable: true,
    cause,
    details: { operation, attempts, ...(typeof code === "string" ? { networkCode: code } : {}) },
  });
}

/** Bodies in errors and logs: one line, at most 300 characters. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
