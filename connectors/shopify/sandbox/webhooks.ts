/**
 * Webhooks out, as Shopify sends them (https://shopify.dev/docs/apps/build/webhooks): a POST of the
 * JSON payload to the subscribed URI with the classic headers — X-Shopify-Topic,
 * X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body keyed with the app's API secret, the
 * value @shopify/shopify-api's `validateHmac` recomputes), X-Shopify-Shop-Domain,
 * X-Shopify-API-Version, X-Shopify-Webhook-Id (the same on every retry: the idempotency key),
 * X-Shopify-Event-Id and X-Shopify-Triggered-At.  A non-2xx answer or a timeout (Shopify waits
 * 5 s) is retried with exponential backoff; Shopify retries 8 times over 4 hours, the sandbox a few
 * times over milliseconds (configurable).  First attempts go out in emission order.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { SandboxLogger } from "./types";

export interface WebhookAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export interface WebhookDelivery {
  webhookId: string;
  eventId: string;
  topic: string;
  url: string | null;
  body: string;
  headers: Record<string, string>;
  status: "pending" | "delivered" | "failed" | "skipped";
  attempts: WebhookAttempt[];
}

export interface WebhookSenderOptions {
  appUrl?: string | null;
  /** topic → path (or absolute URL); "*" is the fallback for unlisted topics. */
  topics: Record<string, string>;
  apiSecret: string;
  shop: string;
  apiVersion: string;
  attempts: number;
  baseDelayMs: number;
  timeoutMs: number;
  now: () => number;
  logger: SandboxLogger;
  /** How many deliveries to keep for inspection. */
  keep?: number;
}

/** base64 HMAC-SHA256 of the raw body (what X-Shopify-Hmac-Sha256 carries). */
export function webhookHmac(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export class WebhookSender {
  private readonly log: WebhookDelivery[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private closed = false;
  readonly counts = { sent: 0, delivered: 0, failed: 0, retries: 0, skipped: 0 };

  constructor(private readonly o: WebhookSenderOptions) {}

  deliveries(): readonly WebhookDelivery[] {
    return this.log;
  }

  urlFor(topic: string): string | null {
    const path = this.o.topics[topic] ?? this.o.topics["*"];
    if (!path) return null;
    if (/^https?:\/\//.test(path)) return path;
    if (!this.o.appUrl) return null;
    return `${this.o.appUrl.replace(/\/$/, "")}${path.startsWith("/") ? "" : "/"}${path}`;
  }

  /** Sends one webhook; resolves once it is delivered, given up on, or skipped (not subscribed). */
  send(topic: string, payload: unknown): Promise<WebhookDelivery> {
    const body = JSON.stringify(payload);
    const url = this.urlFor(topic);
    const triggeredAt = new Date(this.o.now()).toISOString();
    const delivery: WebhookDelivery = {
      webhookId: randomUUID(),
      eventId: randomUUID(),
      topic,
      url,
      body,
      headers: {},
      status: url && !this.closed ? "pending" : "skipped",
      attempts: [],
    };
    delivery.headers = {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": webhookHmac(this.o.apiSecret, body),
      "X-Shopify-Shop-Domain": this.o.shop,
      "X-Shopify-API-Version": this.o.apiVersion,
      "X-Shopify-Webhook-Id": delivery.webhookId,
      "X-Shopify-Event-Id": delivery.eventId,
      "X-Shopify-Triggered-At": triggeredAt,
    };
    this.log.push(delivery);
    if (this.log.length > (this.o.keep ?? 5000)) this.log.splice(0, this.log.length - (this.o.keep ?? 5000));
    if (delivery.status === "skipped") {
      this.counts.skipped++;
      return Promise.resolve(delivery);
    }
    this.counts.sent++;
    let firstDone!: () => void;
    const first = new Promise<void>((r) => (firstDone = r));
    const previous = this.chain;
    this.chain = first;
    const run = (async () => {
      await previous;
      for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
        if (this.closed) break;
        const ok = await this.attempt(delivery);
        if (attempt === 1) firstDone();
        if (ok) {
          delivery.status = "delivered";
          this.counts.delivered++;
          return delivery;
        }
        if (attempt < this.o.attempts) {
          this.counts.retries++;
          await this.sleep(this.o.baseDelayMs * 2 ** (attempt - 1));
        }
      }
      firstDone();
      delivery.status = "failed";
      this.counts.failed++;
      const last = delivery.attempts[delivery.attempts.length - 1];
      this.o.logger.warn(`webhook ${topic} to ${url} failed after ${delivery.attempts.length} attempts`, { status: last?.status, error: last?.error });
      return delivery;
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async attempt(d: WebhookDelivery): Promise<boolean> {
    const at = this.o.now();
    try {
      const res = await fetch(d.url!, { method: "POST", headers: d.headers, body: d.body, signal: AbortSignal.timeout(this.o.timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      d.attempts.push({ at, status: res.status });
      return res.status >= 200 && res.status < 300;
    } catch (e) {
      d.attempts.push({ at, status: null, error: (e as Error).message });
      return false;
    }
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (this.timers.delete(entry), resolve()), ms), resolve };
      this.timers.add(entry);
    });
  }

  /** Resolves when every delivery started so far has finished (delivered or given up). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops retrying; deliveries in their backoff wait are given up. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
    await this.idle();
  }
}
