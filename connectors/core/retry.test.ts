import { describe, expect, it } from "vitest";
import { backoffDelay, decideRetry, parseRetryAfter } from "./retry";
import { ConnectorError, isConnectorError } from "./errors";

const policy = { maxAttempts: 4, baseMs: 500, capMs: 8_000 };

describe("retry policy", () => {
  it("backs off exponentially with equal jitter, capped", () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 0, policy))).toEqual([250, 500, 1_000, 2_000]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 0.999999, policy))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(backoffDelay(10, 0.5, policy)).toBe(6_000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-12-02T10:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Wed, 02 Dec 2026 10:00:03 GMT", now)).toBe(3_000);
    expect(parseRetryAfter("Wed, 02 Dec 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("retries retryable failures within the attempts, honouring a longer Retry-After", () => {
    expect(decideRetry({ attempt: 1, retryable: true, policy, random: 0 })).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry({ attempt: 1, retryable: true, policy, random: 0, retryAfterMs: 3_000 })).toEqual({ retry: true, delayMs: 3_000 });
    expect(decideRetry({ attempt: 1, retryable: true, policy, random: 0, retryAfterMs: 60_000 })).toEqual({ retry: true, delayMs: 8_000 });
    expect(decideRetry({ attempt: 4, retryable: true, policy, random: 0 })).toEqual({ retry: false });
    expect(decideRetry({ attempt: 1, retryable: false, policy, random: 0 })).toEqual({ retry: false });
  });
});

describe("ConnectorError", () => {
  it("is retryable by default only when UNAVAILABLE, and names the field", () => {
    const e = new ConnectorError("INVALID", "quantity: must be positive", { field: "input.quantities.0.quantity", connector: "shopify", code: "INVALID_QUANTITY_NEGATIVE" });
    expect(e).toMatchObject({ kind: "INVALID", retryable: false, permanent: true, field: "input.quantities.0.quantity", code: "INVALID_QUANTITY_NEGATIVE" });
    expect(new ConnectorError("UNAVAILABLE", "down")).toMatchObject({ retryable: true, permanent: false });
    expect(new ConnectorError("CONFLICT", "busy", { retryable: true }).retryable).toBe(true);
    expect(isConnectorError(e)).toBe(true);
    expect(isConnectorError(new Error("x"))).toBe(false);
  });
});
