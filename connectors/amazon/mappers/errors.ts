import type { z } from "zod";

/** An Amazon payload that does not say what the hub needs; `field` names where (e.g. "order.orderItems.0.quantityOrdered"). */
export class AmazonPayloadError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "AmazonPayloadError";
  }
}

/** Parse against a schema; the first problem becomes an AmazonPayloadError naming its field. */
export function parseAmazon<S extends z.ZodType>(schema: S, raw: unknown, root: string): z.output<S> {
  let doc = raw;
  if (typeof raw === "string") {
    try {
      doc = JSON.parse(raw);
    } catch (e) {
      throw new AmazonPayloadError(root, `is not valid JSON (${(e as Error).message})`);
    }
  }
  const r = schema.safeParse(doc);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new AmazonPayloadError([root, ...issue.path.map(String)].join("."), issue.message);
}

/** A decimal amount as Amazon writes it ("29.99", "19940") → integer cents, exactly (no float rounding). */
export function decimalToCents(amount: string, field: string): number {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) throw new AmazonPayloadError(field, `must be a decimal amount such as 29.99, got ${JSON.stringify(amount)}`);
  const frac = (m[3] ?? "").padEnd(2, "0");
  const cents = Number(m[2]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2] ?? "0") >= 5 ? 1 : 0);
  return m[1] ? -cents : cents;
}
