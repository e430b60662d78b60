/**
 * Zod building blocks for Shopify's REST-shaped webhook payloads, and the one place a failed parse
 * becomes a WebhookPayloadError naming the field (topic + path).  Objects are loose: Shopify adds
 * fields over API versions and the hub reads only what it maps.
 */
import { z } from "zod";
import { parseShopifyJson, WebhookPayloadError } from "./json";

/** A numeric id as Shopify sends it (a number, or an exact decimal string for ids above 2^53). */
export const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "must be a numeric id")]).transform((v) => String(v));

/** An ISO 8601 timestamp with offset ("2021-12-31T19:00:00-05:00") as a Date. */
export const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 timestamp")
  .transform((s) => new Date(s));

export const gid = (type: string) => z.string().startsWith(`gid://shopify/${type}/`, `must be a gid://shopify/${type}/… id`);

/** Money as Shopify writes it ("89.99") → integer cents. */
export const moneyCents = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount such as 89.99"), z.number()])
  .transform((v) => Math.round(Number(v) * 100));

/** Parse a raw body against a schema; any problem names its field, e.g. "orders/create.line_items.0.quantity". */
export function parsePayload<S extends z.ZodType>(schema: S, raw: string | unknown, topic: string): z.output<S> {
  const doc = typeof raw === "string" ? parseShopifyJson(raw, topic) : raw;
  const r = schema.safeParse(doc);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [topic, ...issue.path.map(String)].join(".");
  throw new WebhookPayloadError(field, issue.message);
}
