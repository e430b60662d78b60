import { z } from "zod";

/**
 * Configuration, parsed once at boot.  A missing or malformed variable stops the process with a
 * message naming it (see formatEnvError); nothing else in the app reads process.env.
 */
const logLevel = z.enum(["debug", "info", "warn", "error"]);

const databaseUrl = z
  .string()
  .refine((v) => /^file:/.test(v) || /^postgres(ql)?:\/\//.test(v), {
    message: 'must start with "file:" (SQLite) or "postgres://" / "postgresql://"',
  });

const base = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** sandbox: local demo outside Shopify admin (demo shop, no App Bridge); shopify: the real app. */
  APP_MODE: z.enum(["shopify", "sandbox"]).default("shopify"),
  DATABASE_URL: databaseUrl.default("file:./data/oms.sqlite"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: logLevel.default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  OMS_ENCRYPTION_KEYS: z.string().min(1, "is required: <keyId>:<base64 32-byte key>[,older keys]"),
  OMS_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  OMS_JOB_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** How often each connected Amazon account's orders are polled (searchOrders sustains one call per 180 s). */
  OMS_AMAZON_POLL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(180_000),
  REDIS_URL: z.string().url().optional(),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  SCOPES: z.string().min(1, "is required (comma-separated access scopes)"),
  /** Admin GraphQL base URL instead of https://<shop> (the local Shopify sandbox peer); "{shop}" → shop domain. */
  SHOPIFY_ADMIN_URL: z.string().url("must be a URL such as http://127.0.0.1:4010").optional(),
  /** X-Shopify-Access-Token for SHOPIFY_ADMIN_URL. */
  SHOPIFY_ADMIN_TOKEN: z.string().min(1).optional(),
  /** Send every Amazon call (LWA tokens, SP-API, feed documents) to this local Amazon sandbox peer (loopback only). */
  AMAZON_SANDBOX_URL: z.string().url("must be a URL such as http://127.0.0.1:4020").optional(),
  /**
   * The SQS queue SP-API delivers ORDER_CHANGE notifications to (its destination: `oms
   * amazon-destination`).  Set: the worker long-polls it beside the job runner.  Unset: polling
   * (OMS_AMAZON_POLL_MS) is the only intake.  AWS credentials come from the standard AWS chain
   * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, AWS_PROFILE, web identity, ECS/EC2
   * roles), read by the AWS SDK itself — never parsed, printed or logged here.
   */
  AMAZON_SQS_QUEUE_URL: z.string().url("must be the queue URL, e.g. https://sqs.us-east-1.amazonaws.com/123456789012/oms-order-change").optional(),
  /** The queue's AWS region; default: the one in AMAZON_SQS_QUEUE_URL's host (sqs.<region>.amazonaws.com). */
  AMAZON_SQS_REGION: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as us-east-1").optional(),
  SANDBOX_SHOP: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be <name>.myshopify.com").default("demo-outfitters.myshopify.com"),
});

export type Env = z.infer<typeof base> & { LOG_FORMAT: "json" | "pretty" };

/** Values the sandbox supplies when unset, so `./oms demo` needs no configuration. */
const SANDBOX_DEFAULTS = {
  SHOPIFY_API_KEY: "sandbox-api-key",
  SHOPIFY_API_SECRET: "sandbox-api-secret",
  SCOPES: "read_products",
};

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(formatEnvError(problems));
    this.name = "EnvError";
  }
}

export function formatEnvError(problems: { variable: string; message: string }[]): string {
  return ["Configuration error — fix these environment variables:", ...problems.map((p) => `  ${p.variable} ${p.message}`)].join("\n");
}

export function parseEnv(raw: Record<string, string | undefined>): Env {
  const input: Record<string, string | undefined> = { ...raw };
  for (const k of Object.keys(input)) if (input[k] === "") delete input[k];
  if (input.APP_MODE === "sandbox") {
    for (const [k, v] of Object.entries(SANDBOX_DEFAULTS)) input[k] ??= v;
    const host = input.HOST ?? "127.0.0.1";
    input.SHOPIFY_APP_URL ??= `http://${host.includes(":") ? `[${host}]` : host}:${input.PORT ?? "3000"}`;
  }
  const result = base.safeParse(input);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => ({
        variable: String(i.path[0] ?? "?"),
        message: i.code === "invalid_type" && input[String(i.path[0])] === undefined ? "is required" : i.message,
      })),
    );
  }
  const env = result.data;
  if (env.APP_MODE === "sandbox" && env.HOST !== "127.0.0.1" && env.HOST !== "localhost" && env.HOST !== "::1") {
    // The sandbox signs every visitor in as the demo shop: never expose it beyond this machine.
    throw new EnvError([{ variable: "HOST", message: "must be 127.0.0.1 or localhost when APP_MODE=sandbox" }]);
  }
  if (env.SHOPIFY_ADMIN_URL?.startsWith("http:") && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(env.SHOPIFY_ADMIN_URL)) {
    // Plain http carries the access token in the clear: only a peer on this machine may use it.
    throw new EnvError([{ variable: "SHOPIFY_ADMIN_URL", message: "must be https, or http on 127.0.0.1/localhost (the sandbox peer)" }]);
  }
  if (env.AMAZON_SANDBOX_URL && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(env.AMAZON_SANDBOX_URL)) {
    // The sandbox agent sends LWA secrets and access tokens over plain TCP: only to a peer on this machine.
    throw new EnvError([{ variable: "AMAZON_SANDBOX_URL", message: "must be http on 127.0.0.1/localhost (the Amazon sandbox peer)" }]);
  }
  if (env.AMAZON_SQS_QUEUE_URL) {
    const u = new URL(env.AMAZON_SQS_QUEUE_URL);
    const loopback = /^(127\.0\.0\.1|localhost|\[::1\])$/.test(u.hostname);
    // Signed requests with AWS credentials: https, except a local SQS-compatible server on this machine.
    if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback)) {
      throw new EnvError([{ variable: "AMAZON_SQS_QUEUE_URL", message: "must be https (or http on 127.0.0.1/localhost for a local SQS-compatible server)" }]);
    }
    if (!/^\/[^/]+\/[^/]+$/.test(u.pathname)) throw new EnvError([{ variable: "AMAZON_SQS_QUEUE_URL", message: "must end in /<account id>/<queue name>, as SQS's GetQueueUrl returns it" }]);
    if (!env.AMAZON_SQS_REGION && !/^sqs\.[a-z0-9-]+\.amazonaws\.com$/.test(u.hostname)) {
      throw new EnvError([{ variable: "AMAZON_SQS_REGION", message: "is required when AMAZON_SQS_QUEUE_URL's host does not name the region (sqs.<region>.amazonaws.com)" }]);
    }
  } else if (env.AMAZON_SQS_REGION) {
    throw new EnvError([{ variable: "AMAZON_SQS_QUEUE_URL", message: "is required when AMAZON_SQS_REGION is set (the region alone names no queue)" }]);
  }
  return { ...env, LOG_FORMAT: env.LOG_FORMAT ?? (env.NODE_ENV === "production" ? "json" : "pretty") };
}
