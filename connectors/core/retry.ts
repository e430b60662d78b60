/**
 * Retry policy for connector calls: bounded attempts, exponential backoff with jitter, and the
 * server's own `Retry-After` taking precedence when it asks for longer.  Pure: randomness and the
 * current time are arguments, so every delay is reproducible in a test.
 */
export interface RetryPolicy {
  /** Total tries, including the first. */
  maxAttempts: number;
  /** Ceiling of the first backoff; it doubles with each attempt. */
  baseMs: number;
  /** No single wait is longer than this (Retry-After included). */
  capMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseMs: 500, capMs: 30_000 };

/**
 * Backoff before retry number `attempt` (1 = the wait after the first failure): "equal jitter" —
 * half the exponential ceiling plus a random share of the other half, so many callers that failed
 * together spread out but none retries instantly.  `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, policy: Pick<RetryPolicy, "baseMs" | "capMs">): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/**
 * `Retry-After` in milliseconds from now: either delta-seconds ("2", "0.5") or an HTTP date.
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Whether to try again after failed attempt number `attempt` (1-based) and how long to wait:
 * no when the failure is not retryable or the attempts are used up; otherwise the larger of the
 * backoff and the server's Retry-After, capped.
 */
export function decideRetry(args: {
  attempt: number;
  retryable: boolean;
  policy: RetryPolicy;
  random: number;
  retryAfterMs?: number;
}): RetryDecision {
  if (!args.retryable || args.attempt >= args.policy.maxAttempts) return { retry: false };
  const backoff = backoffDelay(args.attempt, args.random, args.policy);
  const delayMs = Math.min(args.policy.capMs, Math.max(backoff, args.retryAfterMs ?? 0));
  return { retry: true, delayMs };
}
