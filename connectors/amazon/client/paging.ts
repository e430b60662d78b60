import { ConnectorError } from "#connectors/core/errors";
import { CONNECTOR } from "./errors";

/**
 * Windows, queries and checkpoints for the two paged reads — pure: times are passed in, plain data
 * comes out.
 *
 * searchOrders (Orders 2026-01-01, https://developer-docs.amazon.com/sp-api/reference/searchorders):
 *  - exactly one of createdAfter / lastUpdatedAfter; the matching *Before must be at least
 *    2 minutes before now and not before *After;
 *  - `paginationToken` continues a search; every other parameter must be identical except
 *    maxResultsPerPage and includedData; it expires after 24 hours;
 *  - the answer echoes `lastUpdatedBefore` / `createdBefore`: the effective end of the window and
 *    the next watermark (never our own clock).
 *
 * getInventorySummaries (FBA Inventory v1, https://developer-docs.amazon.com/sp-api/reference/getinventorysummaries):
 *  - `nextToken` expires 30 seconds after it was issued; send startDateTime with it again;
 *  - an expired token means starting over from startDateTime (summaries may repeat: upsert).
 */

/** "*Before must be at least 2 minutes before now". A few seconds more so clock skew cannot make it late. */
export const BEFORE_MARGIN_MS = 2 * 60_000 + 5_000;
/** paginationToken lifetime (24 h). */
export const PAGINATION_TOKEN_LIFETIME_MS = 24 * 60 * 60_000;
/** nextToken lifetime (30 s). */
export const NEXT_TOKEN_LIFETIME_MS = 30_000;
/** Do not send a nextToken older than this: it would most likely expire on the way. */
export const NEXT_TOKEN_SAFE_AGE_MS = 25_000;

/** UTC ISO 8601 without milliseconds, as Amazon's examples write it: 2024-12-25T00:00:00Z. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function parseIso(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw new ConnectorError("INVALID", `${field} must be an ISO 8601 date-time, got "${value}"`, { connector: CONNECTOR, code: "INVALID", field });
  }
  return ms;
}

export type OrdersWindowBy = "lastUpdated" | "created";

/** A search window: [after, before], both ISO 8601 UTC. */
export interface OrdersWindow {
  by: OrdersWindowBy;
  after: string;
  before: string;
}

/**
 * The window to search from a watermark: `before` = the caller's `until`, but never later than
 * 2 minutes before now.  Null when there is nothing to search yet (the watermark is that recent).
 */
export function ordersWindow(args: { by: OrdersWindowBy; after: string; until?: string; nowMs: number }): OrdersWindow | null {
  const field = args.by === "created" ? "createdAfter" : "lastUpdatedAfter";
  const afterMs = parseIso(args.after, field);
  const latest = args.nowMs - BEFORE_MARGIN_MS;
  const untilMs = args.until === undefined ? latest : Math.min(parseIso(args.until, args.by === "created" ? "createdBefore" : "lastUpdatedBefore"), latest);
  const beforeMs = Math.floor(untilMs / 1000) * 1000;
  if (beforeMs <= afterMs) return null;
  return { by: args.by, after: args.after, before: isoSeconds(beforeMs) };
}

export interface OrdersFilters {
  marketplaceIds?: string[];
  fulfillmentStatuses?: string[];
  fulfilledBy?: string[];
  includedData?: string[];
  maxResultsPerPage?: number;
}

/** searchOrders' query for a window (and a page token): a fresh object every time (the library mutates what it is given). */
export function searchOrdersQuery(window: Pick<OrdersWindow, "by" | "after"> & { before?: string }, filters: OrdersFilters, paginationToken?: string | null): Record<string, string | string[] | number> {
  if (filters.maxResultsPerPage !== undefined && !(Number.isInteger(filters.maxResultsPerPage) && filters.maxResultsPerPage >= 1 && filters.maxResultsPerPage <= 100)) {
    throw new ConnectorError("INVALID", `maxResultsPerPage must be an integer from 1 to 100, got ${filters.maxResultsPerPage}`, { connector: CONNECTOR, code: "INVALID", field: "maxResultsPerPage" });
  }
  if (filters.marketplaceIds && filters.marketplaceIds.length > 50) {
    throw new ConnectorError("INVALID", `at most 50 marketplaceIds per search, got ${filters.marketplaceIds.length}`, { connector: CONNECTOR, code: "INVALID", field: "marketplaceIds" });
  }
  const query: Record<string, string | string[] | number> = {};
  if (window.by === "created") {
    query.createdAfter = window.after;
    if (window.before !== undefined) query.createdBefore = window.before;
  } else {
    query.lastUpdatedAfter = window.after;
    if (window.before !== undefined) query.lastUpdatedBefore = window.before;
  }
  if (filters.marketplaceIds?.length) query.marketplaceIds = [...filters.marketplaceIds];
  if (filters.fulfillmentStatuses?.length) query.fulfillmentStatuses = [...filters.fulfillmentStatuses];
  if (filters.fulfilledBy?.length) query.fulfilledBy = [...filters.fulfilledBy];
  if (filters.includedData?.length) query.includedData = [...filters.includedData];
  if (filters.maxResultsPerPage !== undefined) query.maxResultsPerPage = filters.maxResultsPerPage;
  if (paginationToken) query.paginationToken = paginationToken;
  return query;
}

/**
 * Where an orders sync stands, stored after each committed page:
 *  - mid-window: the window and the token of the next page (`issuedAtMs` to tell a stale token);
 *  - between windows: only the watermark (`after`) to start the next window from.
 */
export interface OrdersCheckpoint {
  by: OrdersWindowBy;
  after: string;
  before: string | null;
  paginationToken: string | null;
  tokenIssuedAtMs: number | null;
}

export interface OrdersPageMeta {
  pagination?: { nextToken?: string | null } | null;
  lastUpdatedBefore?: string | null;
  createdBefore?: string | null;
}

/**
 * The checkpoint after a page of `window`: the next page's token, or — on the last page — the new
 * watermark, which is the window end Amazon echoes (else the one we sent).
 */
export function checkpointAfterPage(window: OrdersWindow, page: OrdersPageMeta, nowMs: number): OrdersCheckpoint {
  const next = page.pagination?.nextToken ?? null;
  if (next) return { by: window.by, after: window.after, before: window.before, paginationToken: next, tokenIssuedAtMs: nowMs };
  const echoed = window.by === "created" ? page.createdBefore : page.lastUpdatedBefore;
  return { by: window.by, after: echoed && !Number.isNaN(Date.parse(echoed)) ? echoed : window.before, before: null, paginationToken: null, tokenIssuedAtMs: null };
}

/**
 * Where to resume from a checkpoint: continue with its token while it is younger than 24 hours,
 * otherwise restart the same window from its watermark (pages already read may come again: the
 * hub upserts orders by id and last-updated time).
 */
export function resumeFrom(checkpoint: OrdersCheckpoint, nowMs: number): { window: OrdersWindow | null; paginationToken: string | null } {
  if (checkpoint.paginationToken && checkpoint.before) {
    const fresh = checkpoint.tokenIssuedAtMs !== null && nowMs - checkpoint.tokenIssuedAtMs < PAGINATION_TOKEN_LIFETIME_MS - 60_000;
    const window = { by: checkpoint.by, after: checkpoint.after, before: checkpoint.before };
    return fresh ? { window, paginationToken: checkpoint.paginationToken } : { window, paginationToken: null };
  }
  return { window: ordersWindow({ by: checkpoint.by, after: checkpoint.after, nowMs }), paginationToken: null };
}

// ---------------------------------------------------------------------------------------------
// FBA inventory

export interface InventoryQueryArgs {
  marketplaceId: string;
  /** Only summaries changed since then (not older than 18 months); when set, SKU filters are ignored by Amazon. */
  startDateTime?: string;
  details?: boolean;
  /** At most 50; ignored by Amazon when startDateTime is set. */
  sellerSkus?: string[];
}

/** getInventorySummaries' query: a fresh object every time; startDateTime goes with every page. */
export function inventoryQuery(args: InventoryQueryArgs, nextToken?: string | null): Record<string, string | string[] | boolean> {
  if (!args.marketplaceId) throw new ConnectorError("INVALID", "getInventorySummaries needs a marketplaceId", { connector: CONNECTOR, code: "INVALID", field: "marketplaceId" });
  if (args.sellerSkus && args.sellerSkus.length > 50) {
    throw new ConnectorError("INVALID", `at most 50 sellerSkus per call, got ${args.sellerSkus.length}`, { connector: CONNECTOR, code: "INVALID", field: "sellerSkus" });
  }
  if (args.startDateTime !== undefined) parseIso(args.startDateTime, "startDateTime");
  const query: Record<string, string | string[] | boolean> = {
    granularityType: "Marketplace",
    granularityId: args.marketplaceId,
    marketplaceIds: [args.marketplaceId],
  };
  if (args.details !== undefined) query.details = args.details;
  if (args.startDateTime !== undefined) query.startDateTime = args.startDateTime;
  // The library splits array values on commas (brief §1.3): a SKU with a comma cannot go in sellerSkus.
  if (args.sellerSkus?.length && args.startDateTime === undefined) {
    const withComma = args.sellerSkus.find((s) => s.includes(","));
    if (withComma) throw new ConnectorError("INVALID", `SKU "${withComma}" contains a comma; query it alone (sellerSku) instead`, { connector: CONNECTOR, code: "INVALID", field: "sellerSkus" });
    query.sellerSkus = [...args.sellerSkus];
  }
  if (nextToken) query.nextToken = nextToken;
  return query;
}

/** Whether a nextToken issued at `issuedAtMs` is still worth sending (it dies 30 s after issue). */
export function nextTokenUsable(issuedAtMs: number, nowMs: number): boolean {
  return nowMs - issuedAtMs < NEXT_TOKEN_SAFE_AGE_MS;
}
