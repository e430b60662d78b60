import { describe, expect, it } from "vitest";
import { classifyLwaAnswer, createMemoryAccessTokenCache, tokenExpiresAt } from "./access-token";

describe("LWA token expiry", () => {
  it("uses expires_in less a 5-minute margin", () => {
    expect(tokenExpiresAt(1_000, 3600)).toBe(1_000 + 3_600_000 - 300_000);
  });
  it("keeps at least half of a short lifetime, and assumes 3600 s when expires_in is missing or odd", () => {
    expect(tokenExpiresAt(0, 60)).toBe(30_000);
    expect(tokenExpiresAt(0, undefined)).toBe(3_300_000);
    expect(tokenExpiresAt(0, "3600")).toBe(3_300_000);
  });
});

describe("classifyLwaAnswer", () => {
  it("reads the token and expires_in", () => {
    expect(classifyLwaAnswer({ status: 200, body: '{"access_token":"Atza|a","token_type":"bearer","expires_in":3600}' })).toEqual({ ok: true, accessToken: "Atza|a", expiresIn: 3600 });
  });
  it("OAuth errors are AUTH and not retryable; 5xx and unreadable answers are TRANSIENT", () => {
    const refused = classifyLwaAnswer({ status: 400, body: '{"error":"invalid_grant","error_description":"The request has an invalid grant parameter : refresh_token"}' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ kind: "NOT_ALLOWED", code: "AUTH", retryable: false, details: { oauthError: "invalid_grant", status: 400 } });
    const down = classifyLwaAnswer({ status: 503, body: "<html>down</html>" });
    if (!down.ok) expect(down.error).toMatchObject({ kind: "UNAVAILABLE", code: "TRANSIENT", retryable: true });
    const empty = classifyLwaAnswer({ status: 200, body: "{}" });
    if (!empty.ok) expect(empty.error.message).toMatch(/no access_token in the answer/);
    expect(empty.ok).toBe(false);
  });
});

describe("memory token cache", () => {
  it("runs one refresh per account at a time and shares its result", async () => {
    const cache = createMemoryAccessTokenCache();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const refresh = async () => {
      const n = ++calls;
      await gate;
      return { accessToken: `Atza|${n}`, expiresAtMs: 10 };
    };
    const all = Promise.all([1, 2, 3, 4, 5].map(() => cache.refreshOnce("acct", refresh)));
    const other = cache.refreshOnce("other", refresh);
    release();
    expect((await all).map((t) => t.accessToken)).toEqual(["Atza|1", "Atza|1", "Atza|1", "Atza|1", "Atza|1"]);
    expect((await other).accessToken).toBe("Atza|2");
    expect(cache.get("acct")).toEqual({ accessToken: "Atza|1", expiresAtMs: 10 });
    await cache.refreshOnce("acct", refresh);
    expect(calls).toBe(3);
  });

  it("a failed refresh is not cached and the next caller tries again", async () => {
    const cache = createMemoryAccessTokenCache();
    await expect(cache.refreshOnce("acct", async () => Promise.reject(new Error("LWA down")))).rejects.toThrow("LWA down");
    expect(cache.get("acct")).toBeUndefined();
    expect((await cache.refreshOnce("acct", async () => ({ accessToken: "Atza|ok", expiresAtMs: 1 }))).accessToken).toBe("Atza|ok");
  });
});
