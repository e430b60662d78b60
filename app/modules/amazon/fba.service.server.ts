import { randomUUID } from "node:crypto";
import type { FbaLevel } from "#connectors/amazon/mappers/index";
import { FBA_LOCATION_NAME } from "#connectors/amazon/mappers/index";
import type { Db, DbTx } from "#app/platform/db/client.server";
import { applyLevelUpdates, ensureMarketplaceLocation, type LevelUpdate } from "#app/modules/inventory/index";

/**
 * FBA stock in (issue 6 item 6): Amazon's fulfilment-centre quantities mirrored at read-only
 * locations (kind "marketplace"): "Amazon FBA" for an account's home marketplace, "Amazon FBA
 * (<marketplace>)" for each further one (connectors/amazon/mappers/fba.ts), written through the inventory module's
 * level updates, so each change has a ledger entry, out-of-order reads are ignored
 * (`sourceUpdatedAt` = Amazon's lastUpdatedTime) and a read that agrees writes nothing.
 * The read itself is app/workflows/amazon-fba.server.ts.
 */

/** Before reads were per marketplace: the one watermark of an account's (home marketplace's) read. */
export const FBA_STREAM = "fba_inventory";
/** Each marketplace's read has its own watermark (a marketplace added later starts with a full read). */
export const fbaStream = (marketplaceId: string) => `${FBA_STREAM}:${marketplaceId}`;
/** Levels per transaction (the inventory module's batch call commits once per batch). */
const LEVELS_PER_BATCH = 500;

/**
 * Where a marketplace's FBA read stands.  `home`: the account's first marketplace, whose read used
 * the account-wide FBA_STREAM before reads were per marketplace; that watermark still counts until
 * the marketplace has its own.
 */
export async function loadFbaWatermark(db: Db, shop: string, accountId: string, marketplaceId: string, opts: { home: boolean }): Promise<Date | null> {
  const rows = await db.amazonSyncState.findMany({ where: { shop, accountId, stream: { in: opts.home ? [fbaStream(marketplaceId), FBA_STREAM] : [fbaStream(marketplaceId)] } } });
  const own = rows.find((r) => r.stream === fbaStream(marketplaceId));
  return own ? own.watermark : (rows.find((r) => r.stream === FBA_STREAM)?.watermark ?? null);
}

/** After a complete read of the marketplace: the next read asks only for summaries changed since `watermark`. */
export async function saveFbaWatermark(db: Db, shop: string, accountId: string, marketplaceId: string, watermark: Date, now: Date) {
  const stream = fbaStream(marketplaceId);
  await db.amazonSyncState.upsert({
    where: { accountId_stream: { accountId, stream } },
    create: { id: randomUUID(), shop, accountId, stream, watermark, lastRunAt: now, lastError: null },
    update: { watermark, lastRunAt: now, lastError: null, pageToken: null, pageTokenIssuedAt: null },
  });
}

export async function recordFbaRunError(db: Db, shop: string, accountId: string, marketplaceId: string, message: string, now: Date) {
  const stream = fbaStream(marketplaceId);
  await db.amazonSyncState.upsert({
    where: { accountId_stream: { accountId, stream } },
    create: { id: randomUUID(), shop, accountId, stream, lastRunAt: now, lastError: message.slice(0, 500) },
    update: { lastRunAt: now, lastError: message.slice(0, 500) },
  });
}

/**
 * The account's home marketplace changed (the old one was removed): the "Amazon FBA" location now
 * mirrors another marketplace, so its next read must be full, not incremental from a watermark that
 * belonged to the location's previous content.
 */
export async function forgetFbaWatermarks(db: Db | DbTx, shop: string, accountId: string, marketplaceId: string) {
  await db.amazonSyncState.deleteMany({ where: { shop, accountId, stream: { in: [FBA_STREAM, fbaStream(marketplaceId)] } } });
}

export interface FbaApplyReport {
  locationId: string;
  /** Summaries read. */
  read: number;
  /** Levels whose quantities changed (ledger entries written). */
  changed: number;
  /** Seller SKUs without a listing on the marketplace's channel (not mirrored; listed for the merchant). */
  unmatched: string[];
}

/**
 * Mirror one page of FBA levels.  Seller SKUs find their variant through the channel's
 * ChannelListing.externalSku (the channel the marketplace sells through); others are reported.
 */
export async function applyFbaLevels(deps: { db: Db; now: () => Date }, args: { shop: string; accountId: string; channelCode: string; levels: FbaLevel[]; locationName?: string }): Promise<FbaApplyReport> {
  const { db } = deps;
  const location = await ensureMarketplaceLocation(db, args.shop, args.locationName ?? FBA_LOCATION_NAME);
  const report: FbaApplyReport = { locationId: location.id, read: args.levels.length, changed: 0, unmatched: [] };
  if (args.levels.length === 0) return report;
  const channel = await db.channel.findFirst({ where: { shop: args.shop, code: args.channelCode }, select: { id: true } });
  const listings = channel
    ? await db.channelListing.findMany({ where: { shop: args.shop, channelId: channel.id, externalSku: { in: [...new Set(args.levels.map((l) => l.sku))] } }, select: { externalSku: true, variantId: true } })
    : [];
  const variantOf = new Map(listings.map((l) => [l.externalSku, l.variantId]));
  const updates: LevelUpdate[] = [];
  for (const l of args.levels) {
    const variantId = variantOf.get(l.sku);
    if (!variantId) {
      report.unmatched.push(l.sku);
      continue;
    }
    updates.push({
      shop: args.shop,
      variantId,
      locationId: location.id,
      quantities: l.quantities,
      sourceUpdatedAt: l.sourceUpdatedAt,
      // Amazon's own count of its warehouses: the marketplace is the source of these figures.
      source: "marketplace",
      reason: "Amazon FBA inventory",
      reference: `amazon:${args.accountId}:${l.sku}`,
      actor: "amazon-fba",
    });
  }
  for (let at = 0; at < updates.length; at += LEVELS_PER_BATCH) {
    const out = await applyLevelUpdates(deps, updates.slice(at, at + LEVELS_PER_BATCH));
    report.changed += out.filter((o) => o.applied && o.changed.length > 0).length;
  }
  return report;
}
