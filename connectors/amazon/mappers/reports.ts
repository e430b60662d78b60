/**
 * JSON_LISTINGS_FEED processing report (v2) → issues per SKU.
 * Schema: schemas/feeds/listings-feed-processing-report-schema-v2.json.  Issues carry messageId and,
 * usually, sku; when sku is missing the SKU is found through the messageId of the feed that was sent.
 * Issues without a messageId concern the whole feed (format problems; FATAL feeds).
 */
import { z } from "zod";
import { parseAmazon } from "./errors";
import type { ListingsFeedDocument } from "./listings";

const reportSchema = z.object({
  header: z.object({ feedId: z.string().nullish(), sellerId: z.string().nullish(), version: z.string().nullish() }),
  issues: z
    .array(z.object({ messageId: z.number().int().min(1).nullish(), sku: z.string().nullish(), code: z.string().nullish(), severity: z.enum(["ERROR", "WARNING", "INFO"]), message: z.string(), attributeName: z.string().nullish() }))
    .nullish(),
  summary: z.object({ errors: z.number().int(), warnings: z.number().int(), messagesProcessed: z.number().int(), messagesAccepted: z.number().int(), messagesInvalid: z.number().int() }),
});

export interface SkuIssue {
  code: string | null;
  severity: "ERROR" | "WARNING" | "INFO";
  message: string;
  attributeName: string | null;
  messageId: number | null;
}

export interface MappedProcessingReport {
  feedId: string | null;
  summary: z.output<typeof reportSchema>["summary"];
  /** SKU → its issues, in report order. */
  issuesBySku: Map<string, SkuIssue[]>;
  /** Issues that name no SKU and no known message (feed-level). */
  feedIssues: SkuIssue[];
  /** SKUs of the sent feed with an ERROR (not applied). */
  rejectedSkus: string[];
  /** SKUs of the sent feed without an ERROR (accepted; the value can be remembered as sent). */
  acceptedSkus: string[];
}

export function mapProcessingReport(raw: unknown, sent?: ListingsFeedDocument): MappedProcessingReport {
  const r = parseAmazon(reportSchema, raw, "report");
  const skuByMessage = new Map((sent?.messages ?? []).map((m) => [m.messageId, m.sku]));
  const issuesBySku = new Map<string, SkuIssue[]>();
  const feedIssues: SkuIssue[] = [];
  for (const i of r.issues ?? []) {
    const issue: SkuIssue = { code: i.code ?? null, severity: i.severity, message: i.message, attributeName: i.attributeName ?? null, messageId: i.messageId ?? null };
    const sku = i.sku ?? (i.messageId != null ? skuByMessage.get(i.messageId) : undefined);
    if (!sku) feedIssues.push(issue);
    else issuesBySku.set(sku, [...(issuesBySku.get(sku) ?? []), issue]);
  }
  const rejected = new Set([...issuesBySku].filter(([, xs]) => xs.some((x) => x.severity === "ERROR")).map(([sku]) => sku));
  const sentSkus = sent?.messages.map((m) => m.sku) ?? [];
  // A feed-level ERROR (e.g. FATAL) means nothing can be counted as accepted.
  const wholeFeedFailed = feedIssues.some((x) => x.severity === "ERROR");
  return {
    feedId: r.header.feedId ?? null,
    summary: r.summary,
    issuesBySku,
    feedIssues,
    rejectedSkus: wholeFeedFailed ? sentSkus : sentSkus.filter((s) => rejected.has(s)),
    acceptedSkus: wholeFeedFailed ? [] : sentSkus.filter((s) => !rejected.has(s)),
  };
}
