/**
 * The one error type connectors throw (ARCHITECTURE.md rules 3 and 7).  Its kinds mirror the app's
 * DomainError kinds so the app can map one onto the other without a table of special cases;
 * connectors may not import app/, hence the separate class.
 *
 *  - `field`: the input path that was refused (e.g. "input.quantities.0.changeFromQuantity"), so a
 *    person or an integration can fix it.
 *  - `retryable`: whether trying the same request again later can succeed (an outage, a throttle
 *    that outlasted our patience) — the job runner backs off on these and gives up on the others:
 *    `permanent` (= !retryable) is the flag app/platform/queue/in-process-runner.server.ts reads.
 */
export type ConnectorErrorKind = "INVALID" | "NOT_FOUND" | "NOT_ALLOWED" | "CONFLICT" | "UNAVAILABLE";

export interface ConnectorErrorOptions {
  field?: string;
  /** Defaults to true for UNAVAILABLE and false for every other kind. */
  retryable?: boolean;
  /** Which connector raised it ("shopify", "amazon", …). */
  connector?: string;
  /** The external code (Shopify's `extensions.code` / userError `code`, an HTTP status, …). */
  code?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly field: string | undefined;
  readonly retryable: boolean;
  /** !retryable, under the name the job runner reads (a job failing with it is not retried). */
  readonly permanent: boolean;
  readonly connector: string | undefined;
  readonly code: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(kind: ConnectorErrorKind, message: string, opts: ConnectorErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "ConnectorError";
    this.kind = kind;
    this.field = opts.field;
    this.retryable = opts.retryable ?? kind === "UNAVAILABLE";
    this.permanent = !this.retryable;
    this.connector = opts.connector;
    this.code = opts.code;
    this.details = opts.details ?? {};
  }
}

/** Also recognises a ConnectorError from another copy of this module (bundles, test isolation). */
export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError || (e instanceof Error && e.name === "ConnectorError" && typeof (e as { kind?: unknown }).kind === "string");
}
