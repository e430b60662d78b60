import { bootRuntime } from "#app/boot.server";
import { parseEnv } from "#app/platform/env.server";
import { createLogger, type Logger, type LogLevel } from "#app/platform/logger.server";
import type { AppRuntime } from "#app/platform/runtime.server";

export const TEST_API_KEY = "test-api-key";
export const TEST_API_SECRET = "test-api-secret";
export const TEST_KEYS = `t1:${Buffer.alloc(32, 7).toString("base64")}`;

/** A logger that keeps lines in memory (so tests can assert on them and the console stays quiet). */
export function memoryLogger(level: LogLevel = "debug"): Logger & { lines: { level: LogLevel; record: Record<string, unknown> }[] } {
  const lines: { level: LogLevel; record: Record<string, unknown> }[] = [];
  const logger = createLogger({ level, format: "json", write: (line, lvl) => lines.push({ level: lvl, record: JSON.parse(line) as Record<string, unknown> }) });
  return Object.assign(logger, { lines });
}

/** The app's real composition (bootRuntime) on a test database, in Shopify mode with test credentials. */
export function testRuntime(url: string, overrides: Record<string, string> = {}, opts: { now?: () => Date } = {}): AppRuntime & { logs: ReturnType<typeof memoryLogger> } {
  const env = parseEnv({
    NODE_ENV: "test",
    APP_MODE: "shopify",
    DATABASE_URL: url,
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: "https://oms.test",
    SCOPES: "read_products,read_orders",
    OMS_ENCRYPTION_KEYS: TEST_KEYS,
    OMS_JOB_POLL_MS: "20",
    ...overrides,
  });
  const logs = memoryLogger();
  const rt = bootRuntime(env, { logger: logs, ...opts });
  return Object.assign(rt, { logs });
}
