/**
 * JSON_LISTINGS_FEED processing as the peer does it, producing the v2 processing report.
 * Feed format: schemas/feeds/listings-feed-schema-v2.json; report: listings-feed-processing-report-schema-v2.json
 * (amzn/selling-partner-api-models@34dc93f; https://developer-docs.amazon.com/sp-api/docs/listings-feed-type-values).
 * A document that is not a v2 listings feed (not JSON, wrong header, no messages, more than
 * 25 000 messages) ends the feed FATAL; message-level problems are issues keyed by messageId + SKU.
 */
import { patchIssues, type Catalog, type PatchOperation, type SubmissionIssue } from "./catalog";

export const MAX_FEED_MESSAGES = 25_000;
const OPERATION_TYPES = ["UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE"] as const;

/** The peer flags patches for SKUs it does not list (Amazon itself would accept an offer-only patch; see README). */
export const UNKNOWN_SKU_CODE = "SANDBOX_SKU_NOT_LISTED";
export const unknownSkuIssue = (sku: string): SubmissionIssue => ({ code: UNKNOWN_SKU_CODE, message: `The SKU '${sku}' is not listed by this seller in the sandbox.`, severity: "ERROR", categories: ["INVALID_ATTRIBUTE"] });

export interface ReportIssue {
  messageId?: number;
  sku?: string;
  code: string;
  severity: "ERROR" | "WARNING" | "INFO";
  message: string;
  attributeName?: string;
}

export interface ProcessingReport {
  header: { sellerId: string; version: "2.0"; feedId: string };
  issues: ReportIssue[];
  summary: { errors: number; warnings: number; messagesProcessed: number; messagesAccepted: number; messagesInvalid: number };
}

export interface FeedOutcome {
  processingStatus: "DONE" | "FATAL";
  report: ProcessingReport;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function fatal(sellerId: string, feedId: string, message: string): FeedOutcome {
  return {
    processingStatus: "FATAL",
    report: { header: { sellerId, version: "2.0", feedId }, issues: [{ code: "FATAL", severity: "ERROR", message }], summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 } },
  };
}

export function processListingsFeed(content: Buffer | string, ctx: { sellerId: string; feedId: string; catalog: Catalog; maxMessages?: number }): FeedOutcome {
  const { sellerId, feedId, catalog } = ctx;
  const max = ctx.maxMessages ?? MAX_FEED_MESSAGES;
  let doc: unknown;
  try {
    doc = JSON.parse(typeof content === "string" ? content : content.toString("utf8"));
  } catch (e) {
    return fatal(sellerId, feedId, `The feed document is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(doc) || !isObj(doc.header)) return fatal(sellerId, feedId, "The feed document has no header object (JSON_LISTINGS_FEED v2).");
  if (doc.header.version !== "2.0") return fatal(sellerId, feedId, `header.version must be "2.0", got ${JSON.stringify(doc.header.version)}.`);
  if (doc.header.sellerId !== sellerId) return fatal(sellerId, feedId, `header.sellerId ${JSON.stringify(doc.header.sellerId)} is not the submitting seller ${sellerId}.`);
  if (!Array.isArray(doc.messages) || doc.messages.length === 0) return fatal(sellerId, feedId, "messages must be a non-empty array.");
  if (doc.messages.length > max) return fatal(sellerId, feedId, `The feed has ${doc.messages.length} messages; at most ${max} are allowed per feed.`);

  const issues: ReportIssue[] = [];
  const seen = new Set<number>();
  let accepted = 0;
  let invalid = 0;
  for (const [i, m] of doc.messages.entries()) {
    const messageId = isObj(m) && Number.isInteger(m.messageId) && (m.messageId as number) >= 1 ? (m.messageId as number) : undefined;
    const sku = isObj(m) && typeof m.sku === "string" && m.sku ? m.sku : undefined;
    const problems: SubmissionIssue[] = [];
    if (!isObj(m)) problems.push({ code: "4000001", severity: "ERROR", message: `messages[${i}] must be an object.` });
    else if (messageId === undefined) problems.push({ code: "4000001", severity: "ERROR", message: `messages[${i}].messageId must be an integer ≥ 1.` });
    else if (seen.has(messageId)) problems.push({ code: "4000001", severity: "ERROR", message: `messageId ${messageId} is not unique within the feed.` });
    else if (!sku) problems.push({ code: "4000001", severity: "ERROR", message: "sku is required." });
    else if (!OPERATION_TYPES.includes(m.operationType as (typeof OPERATION_TYPES)[number])) problems.push({ code: "4000001", severity: "ERROR", message: `operationType must be one of ${OPERATION_TYPES.join(", ")}.` });
    else if (m.operationType !== "DELETE" && (typeof m.productType !== "string" || !m.productType)) problems.push({ code: "4000001", severity: "ERROR", message: "productType is required." });
    else if (!catalog.listing(sku)) problems.push(unknownSkuIssue(sku));
    else if (m.operationType === "PATCH") problems.push(...patchIssues(m.patches));
    else if (m.operationType === "UPDATE" || m.operationType === "PARTIAL_UPDATE") {
      if (!isObj(m.attributes)) problems.push({ code: "4000001", severity: "ERROR", message: "attributes must be an object." });
      else {
        const asPatches = Object.entries(m.attributes).map(([name, value]) => ({ op: "replace", path: `/attributes/${name}`, value }));
        problems.push(...patchIssues(asPatches));
      }
    }
    if (messageId !== undefined) seen.add(messageId);
    if (problems.length) {
      invalid++;
      for (const p of problems) issues.push({ ...(messageId !== undefined ? { messageId } : {}), ...(sku ? { sku } : {}), code: p.code, severity: p.severity, message: p.message, ...(p.attributeNames?.[0] ? { attributeName: p.attributeNames[0] } : {}) });
      continue;
    }
    const msg = m as Record<string, unknown>;
    if (msg.operationType === "DELETE") catalog.deleteListing(sku!);
    else if (msg.operationType === "PATCH") catalog.applyPatches(sku!, msg.patches as PatchOperation[], "JSON_LISTINGS_FEED", feedId);
    else catalog.setAttributes(sku!, msg.attributes as Record<string, Record<string, unknown>[]>, msg.operationType === "UPDATE", "JSON_LISTINGS_FEED", feedId);
    accepted++;
  }
  return {
    processingStatus: "DONE",
    report: {
      header: { sellerId, version: "2.0", feedId },
      issues,
      summary: {
        errors: issues.filter((x) => x.severity === "ERROR").length,
        warnings: issues.filter((x) => x.severity === "WARNING").length,
        messagesProcessed: doc.messages.length,
        messagesAccepted: accepted,
        messagesInvalid: invalid,
      },
    },
  };
}
