import https from "node:https";
import { ConnectorError } from "#connectors/core/errors";
import { CONNECTOR, oneLine, parseBody } from "./errors";

/**
 * LWA access tokens: one per account, shared by every caller, refreshed by one request at a time.
 *
 * amazon-sp-api would refresh by itself, but (brief §1.4, lib/SellingPartner.js) it ignores
 * `expires_in`, refreshes only after Amazon answered 403 "access token … expired", and N concurrent
 * first calls make N token requests.  So the client asks LWA itself — the same request the library
 * makes: `POST https://api.amazon.com/auth/o2/token` with a JSON body
 * {grant_type: "refresh_token", refresh_token, client_id, client_secret}
 * (https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api) — keeps the
 * token with its expiry, and hands it to the library as `access_token` with `auto_request_tokens`
 * off, so the library never asks LWA on its own.
 */
export const LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token";
/** Refresh this long before LWA's expiry, so a token never expires on its way to Amazon. */
export const TOKEN_EXPIRY_MARGIN_MS = 5 * 60_000;

export interface CachedAccessToken {
  accessToken: string;
  /** When the client stops using it (LWA's expiry less the margin). */
  expiresAtMs: number;
}

/** Where access tokens live; in memory per process now (a shared store would hold them encrypted). */
export interface AccessTokenCache {
  get(account: string): CachedAccessToken | undefined;
  set(account: string, token: CachedAccessToken): void;
  /** Runs `refresh` unless a refresh of the same account is already running, whose result is then shared. */
  refreshOnce(account: string, refresh: () => Promise<CachedAccessToken>): Promise<CachedAccessToken>;
}

export function createMemoryAccessTokenCache(): AccessTokenCache {
  const tokens = new Map<string, CachedAccessToken>();
  const running = new Map<string, Promise<CachedAccessToken>>();
  return {
    get: (account) => tokens.get(account),
    set: (account, token) => void tokens.set(account, token),
    refreshOnce(account, refresh) {
      const current = running.get(account);
      if (current) return current;
      const p = refresh()
        .then((token) => {
          tokens.set(account, token);
          return token;
        })
        .finally(() => running.delete(account));
      running.set(account, p);
      return p;
    },
  };
}

/** Until when a token answered with `expires_in` seconds is used (pure). Missing or odd expires_in: LWA's documented 3600 s. */
export function tokenExpiresAt(nowMs: number, expiresIn: unknown, marginMs = TOKEN_EXPIRY_MARGIN_MS): number {
  const seconds = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600;
  // A margin larger than half the lifetime would make a short-lived token useless: keep half of it at least.
  const margin = Math.min(marginMs, (seconds * 1000) / 2);
  return nowMs + seconds * 1000 - margin;
}

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/**
 * A grantless token: the application's own, for one scope, no seller
 * (https://developer-docs.amazon.com/sp-api/docs/grantless-operations).  LWA's `client_credentials`
 * grant, sent as the library sends it (JSON body with `scope`, lib/SellingPartner.js).
 */
export interface LwaGrantlessCredentials {
  clientId: string;
  clientSecret: string;
  scope: "sellingpartnerapi::notifications";
}

export interface LwaAnswer {
  status: number;
  body: string;
}

/** One POST to LWA through the same agent the library uses (so a sandbox agent catches it too). */
export function postLwaToken(creds: LwaCredentials | LwaGrantlessCredentials, opts: { agent?: https.Agent; timeoutMs: number }): Promise<LwaAnswer> {
  const body = JSON.stringify(
    "scope" in creds
      ? { grant_type: "client_credentials", scope: creds.scope, client_id: creds.clientId, client_secret: creds.clientSecret }
      : { grant_type: "refresh_token", refresh_token: creds.refreshToken, client_id: creds.clientId, client_secret: creds.clientSecret },
  );
  const url = new URL(LWA_TOKEN_URL);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method: "POST",
        hostname: url.hostname,
        port: 443,
        path: url.pathname,
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
        ...(opts.agent ? { agent: opts.agent } : {}),
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error(`LWA did not answer within ${opts.timeoutMs} ms`), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}

export type LwaVerdict = { ok: true; accessToken: string; expiresIn: unknown } | { ok: false; error: ConnectorError };

/**
 * LWA's answer (pure).  Success: `{access_token, token_type, expires_in}`.  Errors are OAuth's
 * `{error, error_description}` (https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html):
 * invalid_grant (refresh token revoked or wrong), invalid_client, unauthorized_client → AUTH, not
 * retryable; 429/5xx/unreadable → TRANSIENT.  Secrets never go into the error.
 */
export function classifyLwaAnswer(answer: LwaAnswer): LwaVerdict {
  const parsed = parseBody(answer.status, answer.body);
  const json = parsed.ok && parsed.json && typeof parsed.json === "object" ? (parsed.json as Record<string, unknown>) : undefined;
  if (answer.status >= 200 && answer.status < 300 && typeof json?.access_token === "string" && json.access_token !== "") {
    return { ok: true, accessToken: json.access_token, expiresIn: json.expires_in };
  }
  const oauthError = typeof json?.error === "string" ? json.error : undefined;
  const description = typeof json?.error_description === "string" ? json.error_description : undefined;
  const transient = answer.status === 429 || answer.status >= 500 || (!oauthError && answer.status < 400);
  const what = oauthError ? `${oauthError}${description ? `: ${description}` : ""}` : parsed.ok ? "no access_token in the answer" : `unreadable answer: ${oneLine(parsed.text, 120)}`;
  return {
    ok: false,
    error: new ConnectorError(transient ? "UNAVAILABLE" : "NOT_ALLOWED", `LWA token request: HTTP ${answer.status} — ${what}${transient ? "" : " (reconnect the Amazon account)"}`, {
      connector: CONNECTOR,
      code: transient ? "TRANSIENT" : "AUTH",
      retryable: transient,
      details: { operation: "lwaToken", status: answer.status, ...(oauthError ? { oauthError } : {}) },
    }),
  };
}
