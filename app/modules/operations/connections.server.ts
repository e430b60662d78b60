import type { Db } from "#app/platform/db/client.server";
import type { JobQueue } from "#app/platform/queue/types";

/**
 * The Shopify connection as people see it on /app/connections: is the shop installed and linked,
 * how did the last import go, are webhooks arriving and how far behind processing is, what is
 * waiting, and how each webhook topic fared over the last day.  Read-only, tenant-scoped.
 */

/** The import / resync job (app/workflows/shopify-import.server.ts: SHOPIFY_IMPORT_JOB). */
export const DEFAULT_IMPORT_JOB = "shopify.import";
export const SHOPIFY_WEBHOOK_SOURCE = "shopify.webhook";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Unprocessed webhooks older than this mean processing is stuck. */
const STUCK_BACKLOG_MS = 5 * 60_000;

export type ConnectionState = "connected" | "importing" | "attention";

export interface JobProgress {
  done: number;
  total: number;
  message: string | null;
}

export interface ImportSummary {
  locations: { seen: number; created: number; linked: number } | null;
  variants: { seen: number; created: number; linked: number; withoutSku: number } | null;
  levels: { seen: number; changed: number; unchanged: number; ignoredOlder: number; skipped: number } | null;
}

export interface ImportJobView {
  id: string;
  status: string;
  attempts: number;
  progress: JobProgress | null;
  requestedAt: string;
  finishedAt: string | null;
  lastError: string | null;
  result: ImportSummary | null;
}

export interface TopicStats {
  /** As stored (e.g. ORDERS_CREATE). */
  topic: string;
  /** As Shopify names it (e.g. orders/create). */
  label: string;
  received: number;
  processed: number;
  failed: number;
  quarantined: number;
  /** Received but not processed yet. */
  pending: number;
  /** (failed + quarantined) / (processed + failed + quarantined); null when nothing finished. */
  errorRate: number | null;
}

export interface ConnectionError {
  id: string;
  topic: string;
  label: string;
  status: string;
  error: string | null;
  attempts: number;
  receivedAt: string;
}

export interface ShopifyConnectionStatus {
  state: ConnectionState;
  /** Why the state is "attention" (empty otherwise). */
  reasons: string[];
  shop: { domain: string; installed: boolean; installState: string; installedAt: string | null; uninstalledAt: string | null };
  offlineSession: boolean;
  locations: { linked: number; unlinked: number };
  variants: { linked: number; unlinked: number };
  lastImport: ImportJobView | null;
  /** The last import that completed (the "last sync"); may be older than lastImport. */
  lastCompletedImport: { id: string; finishedAt: string | null; result: ImportSummary | null } | null;
  webhooks: {
    lastReceivedAt: string | null;
    lastTopic: string | null;
    /** now − newest receivedAt. */
    lagMs: number | null;
    /** receivedAt → processedAt of the events processed in the last hour. */
    processing: { count: number; p50Ms: number | null; maxMs: number | null };
  };
  backlog: {
    /** Webhooks stored with status "received" (not processed yet). */
    unprocessed: number;
    oldestUnprocessedAt: string | null;
    jobs: { name: string; queued: number; running: number }[];
  };
  /** Per topic, over the events received in the last 24 h. */
  topics: TopicStats[];
  /** The latest failed or quarantined webhooks, newest first. */
  recentErrors: ConnectionError[];
}

/** Compound resource names Shopify uses before the "/" (the rest of the enum is the action). */
const TOPIC_RESOURCES = ["fulfillment_orders", "inventory_levels", "inventory_items", "bulk_operations", "app_subscriptions", "selling_plan_groups", "customers", "shop", "app"];

/** ORDERS_CREATE → orders/create, FULFILLMENT_ORDERS_ORDER_ROUTING_COMPLETE → fulfillment_orders/order_routing_complete. */
export function webhookTopicLabel(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const t = topic.toLowerCase();
  const resource = TOPIC_RESOURCES.find((r) => t.startsWith(`${r}_`));
  if (resource) return `${resource}/${t.slice(resource.length + 1)}`;
  const i = t.indexOf("_");
  return i < 0 ? t : `${t.slice(0, i)}/${t.slice(i + 1)}`;
}

function parseJson<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function summarise(result: string | null): ImportSummary | null {
  const r = parseJson<Partial<ImportSummary>>(result);
  if (!r || typeof r !== "object") return null;
  return { locations: r.locations ?? null, variants: r.variants ?? null, levels: r.levels ?? null };
}

function progressOf(text: string | null): JobProgress | null {
  const p = parseJson<{ done?: unknown; total?: unknown; message?: unknown }>(text);
  if (!p || typeof p !== "object") return null;
  return { done: Number(p.done ?? 0) || 0, total: Number(p.total ?? 0) || 0, message: typeof p.message === "string" ? p.message : null };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function connectionStatus(db: Db, shop: string, now: Date, opts: { importJob?: string } = {}): Promise<ShopifyConnectionStatus> {
  const importJob = opts.importJob ?? DEFAULT_IMPORT_JOB;
  const source = SHOPIFY_WEBHOOK_SOURCE;
  const dayAgo = new Date(now.getTime() - DAY);
  const hourAgo = new Date(now.getTime() - HOUR);

  const [
    shopRow,
    offlineSessions,
    locLinked,
    locUnlinked,
    varLinked,
    varUnlinked,
    lastImportRow,
    lastCompletedRow,
    newest,
    processedLastHour,
    unprocessed,
    oldestUnprocessed,
    activeJobs,
    perTopic,
    errors,
  ] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop } }),
    db.session.count({ where: { shop, isOnline: false } }),
    db.location.count({ where: { shop, shopifyLocationId: { not: null } } }),
    // Marketplace-managed locations (Amazon FBA) are not Shopify's: they are never linked.
    db.location.count({ where: { shop, shopifyLocationId: null, kind: { not: "marketplace" } } }),
    db.variant.count({ where: { shop, shopifyVariantId: { not: null } } }),
    db.variant.count({ where: { shop, shopifyVariantId: null } }),
    db.job.findFirst({ where: { shop, name: importJob }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    db.job.findFirst({ where: { shop, name: importJob, status: "completed" }, orderBy: [{ finishedAt: "desc" }, { id: "desc" }], select: { id: true, finishedAt: true, result: true } }),
    db.inboundEvent.findFirst({ where: { shop, source }, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], select: { receivedAt: true, topic: true } }),
    db.inboundEvent.findMany({
      where: { shop, source, status: "processed", processedAt: { gte: hourAgo, lte: now } },
      orderBy: { processedAt: "desc" },
      take: 10_000,
      select: { receivedAt: true, processedAt: true },
    }),
    db.inboundEvent.count({ where: { shop, source, status: "received" } }),
    db.inboundEvent.findFirst({ where: { shop, source, status: "received" }, orderBy: { receivedAt: "asc" }, select: { receivedAt: true } }),
    db.job.groupBy({ by: ["name", "status"], where: { shop, status: { in: ["queued", "running"] } }, _count: { _all: true } }),
    db.inboundEvent.groupBy({ by: ["topic", "status"], where: { shop, source, receivedAt: { gte: dayAgo, lte: now } }, _count: { _all: true } }),
    db.inboundEvent.findMany({
      where: { shop, source, status: { in: ["failed", "quarantined"] } },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: 10,
      select: { id: true, topic: true, status: true, error: true, attempts: true, receivedAt: true },
    }),
  ]);

  const lags = processedLastHour.map((e) => e.processedAt!.getTime() - e.receivedAt.getTime()).sort((a, b) => a - b);

  const jobsByName = new Map<string, { name: string; queued: number; running: number }>();
  for (const g of activeJobs) {
    const row = jobsByName.get(g.name) ?? { name: g.name, queued: 0, running: 0 };
    if (g.status === "queued") row.queued += g._count._all;
    else row.running += g._count._all;
    jobsByName.set(g.name, row);
  }

  const topics = new Map<string, TopicStats>();
  for (const g of perTopic) {
    const t = topics.get(g.topic) ?? { topic: g.topic, label: webhookTopicLabel(g.topic), received: 0, processed: 0, failed: 0, quarantined: 0, pending: 0, errorRate: null };
    const n = g._count._all;
    t.received += n;
    if (g.status === "processed") t.processed += n;
    else if (g.status === "failed") t.failed += n;
    else if (g.status === "quarantined") t.quarantined += n;
    else t.pending += n;
    topics.set(g.topic, t);
  }
  for (const t of topics.values()) {
    const finished = t.processed + t.failed + t.quarantined;
    t.errorRate = finished === 0 ? null : (t.failed + t.quarantined) / finished;
  }

  const lastImport: ImportJobView | null = lastImportRow
    ? {
        id: lastImportRow.id,
        status: lastImportRow.status,
        attempts: lastImportRow.attempts,
        progress: progressOf(lastImportRow.progress),
        requestedAt: lastImportRow.createdAt.toISOString(),
        finishedAt: lastImportRow.finishedAt?.toISOString() ?? null,
        lastError: lastImportRow.lastError,
        result: summarise(lastImportRow.result),
      }
    : null;

  const installed = shopRow?.installState === "installed";
  const topicList = [...topics.values()].sort((a, b) => b.received - a.received || a.label.localeCompare(b.label));
  const failing = topicList.reduce((n, t) => n + t.failed + t.quarantined, 0);

  const reasons: string[] = [];
  if (!shopRow) reasons.push("The app is not installed on this shop.");
  else if (!installed) reasons.push(`The app is ${shopRow.installState}.`);
  if (!offlineSessions) reasons.push("No offline access token: reinstall the app.");
  if (!lastImport) reasons.push("The shop has never been imported.");
  else if (lastImport.status === "failed") reasons.push(`The last import failed: ${lastImport.lastError ?? "no message"}`);
  if (locUnlinked > 0) reasons.push(`${locUnlinked} location${locUnlinked === 1 ? " is" : "s are"} not linked to Shopify.`);
  if (failing > 0) reasons.push(`${failing} webhook${failing === 1 ? "" : "s"} failed or quarantined in the last 24 h.`);
  if (oldestUnprocessed && now.getTime() - oldestUnprocessed.receivedAt.getTime() > STUCK_BACKLOG_MS) reasons.push("Webhooks have waited more than 5 minutes to be processed.");

  const importing = lastImport !== null && (lastImport.status === "queued" || lastImport.status === "running");
  const state: ConnectionState = importing ? "importing" : reasons.length > 0 ? "attention" : "connected";

  return {
    state,
    reasons,
    shop: {
      domain: shop,
      installed,
      installState: shopRow?.installState ?? "not installed",
      installedAt: shopRow?.installedAt.toISOString() ?? null,
      uninstalledAt: shopRow?.uninstalledAt?.toISOString() ?? null,
    },
    offlineSession: offlineSessions > 0,
    locations: { linked: locLinked, unlinked: locUnlinked },
    variants: { linked: varLinked, unlinked: varUnlinked },
    lastImport,
    lastCompletedImport: lastCompletedRow ? { id: lastCompletedRow.id, finishedAt: lastCompletedRow.finishedAt?.toISOString() ?? null, result: summarise(lastCompletedRow.result) } : null,
    webhooks: {
      lastReceivedAt: newest?.receivedAt.toISOString() ?? null,
      lastTopic: newest ? webhookTopicLabel(newest.topic) : null,
      lagMs: newest ? Math.max(0, now.getTime() - newest.receivedAt.getTime()) : null,
      processing: { count: lags.length, p50Ms: percentile(lags, 50), maxMs: lags.length ? lags[lags.length - 1]! : null },
    },
    backlog: {
      unprocessed,
      oldestUnprocessedAt: oldestUnprocessed?.receivedAt.toISOString() ?? null,
      jobs: [...jobsByName.values()].sort((a, b) => a.name.localeCompare(b.name)),
    },
    topics: topicList,
    recentErrors: errors.map((e) => ({ id: e.id, topic: e.topic, label: webhookTopicLabel(e.topic), status: e.status, error: e.error, attempts: e.attempts, receivedAt: e.receivedAt.toISOString() })),
  };
}

export interface ResyncRequest {
  jobId: string;
  /** True when an import was already queued or running: that one is shown, no second is added. */
  alreadyActive: boolean;
}

/**
 * Queue a resync unless one is queued or running.  Two clicks at once cannot add two jobs: the
 * dedupe key names the import it follows, so the second add finds the first.
 */
export async function requestShopifyResync(deps: { db: Db; queue: JobQueue }, shop: string, opts: { importJob?: string } = {}): Promise<ResyncRequest> {
  const name = opts.importJob ?? DEFAULT_IMPORT_JOB;
  const latest = await deps.db.job.findFirst({ where: { shop, name }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, status: true } });
  if (latest && (latest.status === "queued" || latest.status === "running")) return { jobId: latest.id, alreadyActive: true };
  const added = await deps.queue.add(name, { shop }, { shop, concurrencyKey: `shopify-import:${shop}`, dedupeKey: `shopify-import:${shop}:after:${latest?.id ?? "none"}` });
  return { jobId: added.id, alreadyActive: added.deduplicated };
}
