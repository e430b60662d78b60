import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isConnectorError, type ConnectorError } from "#connectors/core/errors";
import type { LogFields } from "#connectors/core/logger";
import { createMemoryBucketStore, createTokenBuckets, type TokenBuckets } from "#connectors/core/token-bucket";
import { createMemoryAccessTokenCache, type AccessTokenCache } from "./access-token";
import { spApiBucketLimits } from "./rate-limits";
import { createSpApiClient, type SpApiAccount, type SpApiClientDeps } from "./sp-api-client";

/**
 * Shared by the contract tests (not a test itself): Amazon's published sandbox cases, a clock the
 * tests drive, and a client wired to them.
 */
export const SELLER = "A2SELLERTEST";
export const ACCOUNT: SpApiAccount = {
  sellerId: SELLER,
  region: "na",
  marketplaceIds: ["ATVPDKIKX0DER"],
  lwaClientId: "amzn1.application-oa2-client.test",
  lwaClientSecret: "test-client-secret",
  refreshToken: "Atzr|test-refresh-token",
};
export const SP_API = "https://sellingpartnerapi-na.amazon.com";
export const LWA = "https://api.amazon.com";

export interface SandboxCase {
  source: string;
  request: { parameters: Record<string, { value?: unknown } | undefined> };
  response: Record<string, unknown>;
}

const FIXTURES = fileURLToPath(new URL("../fixtures/sp-api/", import.meta.url));

/** One of Amazon's static sandbox cases (connectors/amazon/fixtures/sp-api, see SOURCE.md). */
export function sandboxCase(name: string): SandboxCase {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, "utf8")) as SandboxCase;
}

/** A case's value for a parameter (throws when the case has none, so a fixture change cannot go unnoticed). */
export function param<T = unknown>(c: SandboxCase, name: string): T {
  const p = c.request.parameters[name];
  if (!p || !("value" in p)) throw new Error(`${c.source}: no value for parameter ${name}`);
  return p.value as T;
}

/**
 * The query nock must see for a case: every parameter except the path ones and the body, arrays as
 * the library sends them (comma-joined: brief §1.3).
 */
export function queryOf(c: SandboxCase, pathParams: string[]): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [name, p] of Object.entries(c.request.parameters)) {
    if (name === "body" || pathParams.includes(name) || !p || !("value" in p)) continue;
    q[name] = Array.isArray(p.value) ? p.value.join(",") : String(p.value);
  }
  return q;
}

export interface LogLine {
  level: string;
  msg: string;
  fields: LogFields;
}

/**
 * Virtual time for concurrent callers: `sleep` parks the caller until the clock reaches its
 * deadline, and `run` moves the clock to the next deadline only when every caller it drives is
 * asleep (everything else — nock's replies, the token request — finishes in real time first).
 */
export function virtualClock(startMs = 1_700_000_000_000) {
  let now = startMs;
  const timers: { at: number; wake: () => void }[] = [];
  let sleeping = 0;
  const sleeps: number[] = [];
  const sleep = (ms: number) => {
    sleeps.push(ms);
    if (ms <= 0) return Promise.resolve();
    sleeping++;
    return new Promise<void>((resolve) =>
      timers.push({
        at: now + ms,
        wake: () => {
          sleeping--;
          resolve();
        },
      }),
    );
  };
  async function run<T>(tasks: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    let active = tasks.length;
    const all = Promise.allSettled(tasks.map((t) => t().finally(() => active--)));
    let done = false;
    void all.then(() => (done = true));
    let idleChecks = 0;
    while (!done) {
      await new Promise((r) => setTimeout(r, 1));
      if (active > 0 && sleeping === active && timers.length) {
        // Everyone waits for time to pass: wake the earliest sleepers.
        idleChecks = 0;
        timers.sort((a, b) => a.at - b.at);
        const at = timers[0]!.at;
        now = Math.max(now, at);
        while (timers.length && timers[0]!.at <= now) timers.shift()!.wake();
      } else if (++idleChecks > 20_000) {
        throw new Error(`virtual clock stuck: ${active} active, ${sleeping} sleeping, ${timers.length} timers`);
      }
    }
    return all;
  }
  return {
    now: () => now,
    sleep,
    run,
    sleeps,
    advance: (ms: number) => void (now += ms),
  };
}

/** A simple clock for one caller at a time: sleeping moves time on at once. */
export function steppingClock(startMs = 1_700_000_000_000) {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += Math.max(0, ms);
    },
    sleeps,
    advance: (ms: number) => void (now += ms),
  };
}

export function makeClient(clock: { now: () => number; sleep: (ms: number) => Promise<void> }, overrides: Partial<SpApiClientDeps> & { tokenCache?: AccessTokenCache; buckets?: TokenBuckets } = {}) {
  const logs: LogLine[] = [];
  const capture = (level: string) => (msg: string, fields: LogFields = {}) => void logs.push({ level, msg, fields });
  const buckets = overrides.buckets ?? createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep: clock.sleep });
  const tokenCache = overrides.tokenCache ?? createMemoryAccessTokenCache();
  const client = createSpApiClient({
    account: ACCOUNT,
    buckets,
    tokenCache,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    retry: { maxAttempts: 3, baseMs: 500, capMs: 10_000 },
    logger: { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") },
    ...overrides,
  });
  return { client, logs, buckets, tokenCache };
}

export async function rejection(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    if (isConnectorError(e)) return e;
    throw e;
  }
  throw new Error("expected a ConnectorError");
}

export const JSON_HEADERS = { "content-type": "application/json" };
