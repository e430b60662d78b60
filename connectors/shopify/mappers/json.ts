/**
 * Parsing Shopify webhook bodies without losing ids.
 *
 * Shopify's REST-shaped webhook payloads carry ids as JSON numbers, and many are above 2^53
 * (e.g. line item 487817672276298554 in Shopify's own orders/create sample), which `JSON.parse`
 * silently rounds.  This parser keeps every integer that is not a safe integer as its exact
 * decimal text (a string), using the reviver's source-text access (TC39 "JSON.parse source text
 * access", shipped in V8 11.4 / Node 21+).  Everything else parses as usual.
 */
export class WebhookPayloadError extends Error {
  constructor(
    /** Dotted path of the offending field, prefixed with the topic, e.g. "orders/create.line_items.0.quantity". */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "WebhookPayloadError";
  }
}

type SourceContext = { source?: string } | undefined;

/** JSON.parse that keeps unsafe integers exact (as strings).  Not JSON → WebhookPayloadError. */
export function parseShopifyJson(raw: string, topic = "payload"): unknown {
  try {
    return JSON.parse(raw, (_key: string, value: unknown, context?: SourceContext) =>
      typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source) ? context.source : value,
    );
  } catch (e) {
    throw new WebhookPayloadError(topic, `not JSON (${(e as Error).message})`);
  }
}
