import { describe, expect, it } from "vitest";
import { classifyAnswer, fieldNamedIn, isExpiredAccessToken, isExpiredPageToken, networkError, parseBody, toConnectorError, type Verdict } from "./errors";

const amazonErrors = (code: string, message: string, details?: string) => JSON.stringify({ errors: [{ code, message, ...(details ? { details } : {}) }] });
const category = (v: Verdict) => (v.ok ? "OK" : v.category);

describe("classifyAnswer", () => {
  it("passes 2xx JSON through and reads 204/empty as {}", () => {
    expect(classifyAnswer({ status: 200, body: '{"order":{"orderId":"1"}}' }, true)).toEqual({ ok: true, json: { order: { orderId: "1" } } });
    expect(classifyAnswer({ status: 204, body: "" }, false)).toEqual({ ok: true, json: {} });
  });

  it("429 is THROTTLED whatever the body (JSON, empty, HTML)", () => {
    expect(category(classifyAnswer({ status: 429, body: amazonErrors("QuotaExceeded", "You exceeded your quota for the requested resource.") }, true))).toBe("THROTTLED");
    expect(category(classifyAnswer({ status: 429, body: "" }, false))).toBe("THROTTLED");
    expect(category(classifyAnswer({ status: 429, body: "<html>Too Many</html>" }, true))).toBe("THROTTLED");
  });

  it("5xx is TRANSIENT for retry-safe calls and OUTCOME_UNKNOWN for the others; an HTML body is kept as text", () => {
    const html = "<html><body><h1>503 Service Unavailable</h1></body></html>";
    expect(classifyAnswer({ status: 503, body: html }, true)).toEqual({ ok: false, category: "TRANSIENT", errors: [], text: html });
    expect(category(classifyAnswer({ status: 500, body: amazonErrors("InternalFailure", "We encountered an internal error.") }, false))).toBe("OUTCOME_UNKNOWN");
  });

  it("an unreadable 200 is TRANSIENT (read) or OUTCOME_UNKNOWN (createFeed)", () => {
    expect(category(classifyAnswer({ status: 200, body: "<html>proxy</html>" }, true))).toBe("TRANSIENT");
    expect(category(classifyAnswer({ status: 202, body: "{" }, false))).toBe("OUTCOME_UNKNOWN");
  });

  it("403 Unauthorized 'access token … expired' is ACCESS_TOKEN_EXPIRED; other 401/403 texts are AUTH", () => {
    expect(category(classifyAnswer({ status: 403, body: amazonErrors("Unauthorized", "Access to requested resource is denied.", "The access token you provided has expired.") }, true))).toBe("ACCESS_TOKEN_EXPIRED");
    expect(category(classifyAnswer({ status: 403, body: amazonErrors("Unauthorized", "Access to requested resource is denied.", "The security token included in the request is expired") }, true))).toBe("AUTH");
    expect(category(classifyAnswer({ status: 403, body: amazonErrors("Unauthorized", "Access to requested resource is denied.", "The access token you provided is revoked, malformed or invalid.") }, true))).toBe("AUTH");
    expect(category(classifyAnswer({ status: 401, body: "" }, true))).toBe("AUTH");
  });

  it("4xx: expired page tokens, NOT_FOUND, CONFLICT, INVALID", () => {
    expect(category(classifyAnswer({ status: 400, body: amazonErrors("InvalidInput", "Invalid paginationToken: the token has expired.") }, true))).toBe("PAGINATION_TOKEN_EXPIRED");
    expect(category(classifyAnswer({ status: 400, body: amazonErrors("InvalidInput", "The nextToken is expired") }, true))).toBe("PAGINATION_TOKEN_EXPIRED");
    expect(category(classifyAnswer({ status: 404, body: amazonErrors("NotFound", "Order not found") }, true))).toBe("NOT_FOUND");
    expect(category(classifyAnswer({ status: 409, body: "" }, true))).toBe("CONFLICT");
    expect(category(classifyAnswer({ status: 400, body: amazonErrors("BAD_REQUEST", "Invalid input", "Invalid input") }, true))).toBe("INVALID");
  });
});

describe("helpers", () => {
  it("parseBody keeps what is not JSON", () => {
    expect(parseBody(503, "<html/>")).toEqual({ ok: false, text: "<html/>" });
    expect(parseBody(429, "  ")).toEqual({ ok: false, text: "" });
  });

  it("isExpiredAccessToken needs 403 + Unauthorized + the text", () => {
    expect(isExpiredAccessToken(403, [{ code: "Unauthorized", details: "The access token you provided has expired." }])).toBe(true);
    expect(isExpiredAccessToken(401, [{ code: "Unauthorized", details: "The access token you provided has expired." }])).toBe(false);
    expect(isExpiredAccessToken(403, [{ code: "AccessDenied", details: "The access token you provided has expired." }])).toBe(false);
  });

  it("isExpiredPageToken needs a 400 about a token", () => {
    expect(isExpiredPageToken(400, [{ code: "InvalidInput", message: "Invalid createdAfter" }])).toBe(false);
    expect(isExpiredPageToken(404, [{ code: "InvalidInput", message: "paginationToken expired" }])).toBe(false);
  });

  it("fieldNamedIn finds the longest parameter name Amazon's message mentions", () => {
    expect(fieldNamedIn([{ message: "Invalid createdAfter value" }], ["createdAfter", "marketplaceIds"])).toBe("createdAfter");
    expect(fieldNamedIn([{ message: "bad sku" }], ["sku", "sellerId"])).toBe("sku");
    expect(fieldNamedIn([{ message: "nothing here" }], ["sku"])).toBeUndefined();
  });

  it("toConnectorError carries kind, code, retryability, status, request id and Amazon's code", () => {
    const v = classifyAnswer({ status: 400, body: amazonErrors("InvalidInput", "Invalid createdAfter", "createdAfter must be ISO 8601") }, true);
    if (v.ok) throw new Error("expected a failure");
    const e = toConnectorError(v, { operation: "searchOrders", status: 400, requestId: "rid-1", paramNames: ["createdAfter"] });
    expect(e).toMatchObject({ kind: "INVALID", code: "INVALID", field: "createdAfter", retryable: false, connector: "amazon" });
    expect(e.message).toBe("searchOrders: HTTP 400 — InvalidInput: Invalid createdAfter (createdAfter must be ISO 8601)");
    expect(e.details).toMatchObject({ status: 400, requestId: "rid-1", amazonCode: "InvalidInput" });
    const t = classifyAnswer({ status: 429, body: "" }, true);
    if (t.ok) throw new Error("expected a failure");
    expect(toConnectorError(t, { operation: "getOrder", status: 429, attempts: 9 })).toMatchObject({ kind: "UNAVAILABLE", code: "THROTTLED", retryable: true, message: "getOrder: HTTP 429 — throttled by Amazon (after 9 attempts)" });
    const u = classifyAnswer({ status: 502, body: "<html>Bad Gateway</html>" }, false);
    if (u.ok) throw new Error("expected a failure");
    expect(toConnectorError(u, { operation: "createFeed", status: 502 })).toMatchObject({ kind: "UNAVAILABLE", code: "OUTCOME_UNKNOWN", retryable: false, details: { body: "<html>Bad Gateway</html>" } });
  });

  it("networkError: TRANSIENT for safe calls, OUTCOME_UNKNOWN for the others", () => {
    const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(networkError("getFeed", cause, true, 5)).toMatchObject({ code: "TRANSIENT", retryable: true, details: { networkCode: "ECONNRESET", attempts: 5 } });
    expect(networkError("createFeed", cause, false, 1)).toMatchObject({ code: "OUTCOME_UNKNOWN", retryable: false, kind: "UNAVAILABLE" });
  });
});
