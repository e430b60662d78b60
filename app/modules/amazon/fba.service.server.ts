import { randomUUID } from "node:crypto";
import type { FbaLevel } from "#connectors/amazon/mappers/index";
import { FBA_LOCATION_NAME, fbaLocationName } from "#connectors/amazon/mappers/index";
import type { Db, DbTx } from "#app/platform/db/client.server";
import { applyLevelUpdates, ensureMarketplaceLocation, marketplaceLocationId, type LevelUpdate } from "#app/modules/inventory/index";
import { marketplaceById } from "./domain/marketplaces";

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

/**
 * Where each marketplace of an account's list has its FBA stock mirrored: the first (home) at
 * "Amazon FBA", each further one at its own (fbaLocationName).
 */
export function fbaLocationsOf(marketplaceIds: readonly string[]): { marketplaceId: string; location: string }[] {
  return marketplaceIds.map((marketplaceId, i) => ({ marketplaceId, location: fbaLocationName(marketplaceId, i === 0) }));
}

/** A marker (an AmazonSyncState row) for an FBA location whose figures must be cleared: `fba_retire:<marketplace>|<location>`. */
const RETIRE = "fba_retire:";
const FBA_QUANTITIES_ZERO = { available: 0, committed: 0, reserved: 0, damaged: 0, quality_control: 0, incoming: 0, on_hand: 0 } as const;

/**
 * An account's marketplace list changed (saveAmazonAccount, in its transaction): each marketplace
 * whose FBA figures no longer go where they went — removed from the account, or moved between the
 * home "Amazon FBA" and its own location because the home changed — leaves figures nobody updates
 * any more.  Recorded here, cleared by clearRetiredFbaLocations (right after the save, and again at
 * the start of every FBA read until done); its watermark goes too, so if it comes back its first
 * read is full.
 */
export async function retireFbaMarketplaces(tx: DbTx, shop: string, accountId: string, before: readonly string[], after: readonly string[]) {
  const now = fbaLocationsOf(after);
  const gone = fbaLocationsOf(before).filter((b) => !now.some((a) => a.marketplaceId === b.marketplaceId && a.location === b.location));
  for (const g of gone) {
    const stream = `${RETIRE}${g.marketplaceId}|${g.location}`;
    await tx.amazonSyncState.upsert({ where: { accountId_stream: { accountId, stream } }, create: { id: randomUUID(), shop, accountId, stream }, update: {} });
    await tx.amazonSyncState.deleteMany({ where: { shop, accountId, stream: fbaStream(g.marketplaceId) } });
  }
  return gone;
}

/**
 * Clear what retireFbaMarketplaces recorded: every level at the location goes to zero through the
 * inventory module (a ledger entry per quantity, the reason naming the marketplace), unless another
 * connected account of the shop with FBA inventory on still mirrors a marketplace there (its figures
 * are its own).  The levels keep their `sourceUpdatedAt`: a later read of the same marketplace
 * (re-added) carries Amazon's lastUpdatedTime, which is not older, so it applies — a zeroing stamped
 * "now" would make every unchanged summary look older and be ignored.  Idempotent.
 */
export async function clearRetiredFbaLocations(deps: { db: Db; now: () => Date }, shop: string, accountId: string): Promise<{ location: string; zeroed: number; kept?: string }[]> {
  const { db } = deps;
  const markers = await db.amazonSyncState.findMany({ where: { shop, accountId, stream: { startsWith: RETIRE } }, orderBy: { stream: "asc" } });
  if (markers.length === 0) return [];
  const others = await db.amazonAccount.findMany({ where: { shop, id: { not: accountId }, status: { in: ["connected", "error"] } }, select: { id: true, features: true, marketplaces: true } });
  const othersAt = new Set(
    others
      .filter((o) => parseFbaOn(o.features))
      .flatMap((o) => fbaLocationsOf(parseMarketplaceIds(o.marketplaces)).map((l) => l.location)),
  );
  const done: { location: string; zeroed: number; kept?: string }[] = [];
  for (const marker of markers) {
    const [marketplaceId, location] = marker.stream.slice(RETIRE.length).split("|") as [string, string];
    let zeroed = 0;
    if (othersAt.has(location)) {
      done.push({ location, zeroed, kept: "another connected Amazon account of this shop mirrors its FBA stock there" });
    } else {
      const name = marketplaceById(marketplaceId)?.name ?? marketplaceId;
      const locationId = (await db.location.findFirst({ where: { shop, id: marketplaceLocationId(shop, location) }, select: { id: true } }))?.id ?? (await db.location.findFirst({ where: { shop, name: location, readOnly: true }, select: { id: true } }))?.id;
      if (locationId) {
        const levels = await db.inventoryLevel.findMany({
          where: { shop, locationId, OR: [{ available: { not: 0 } }, { committed: { not: 0 } }, { reserved: { not: 0 } }, { damaged: { not: 0 } }, { qualityControl: { not: 0 } }, { incoming: { not: 0 } }, { onHand: { not: 0 } }] },
          select: { variantId: true, sourceUpdatedAt: true },
        });
        const updates: LevelUpdate[] = levels.map((l) => ({
          shop,
          variantId: l.variantId,
          locationId,
          quantities: { ...FBA_QUANTITIES_ZERO },
          sourceUpdatedAt: l.sourceUpdatedAt ?? deps.now(),
          source: "marketplace",
          reason: `Amazon FBA stock of ${name} is no longer read into ${location} (the marketplace was removed from the account, or the account's first marketplace changed): cleared`,
          reference: `amazon:${accountId}:retire:${marketplaceId}`,
          actor: "amazon-fba",
        }));
        for (let at = 0; at < updates.length; at += LEVELS_PER_BATCH) {
          const out = await applyLevelUpdates(deps, updates.slice(at, at + LEVELS_PER_BATCH));
          zeroed += out.filter((o) => o.applied && o.changed.length > 0).length;
        }
      }
      done.push({ location, zeroed });
    }
    await db.amazonSyncState.deleteMany({ where: { id: marker.id } });
  }
  return done;
}

function parseFbaOn(features: string): boolean {
  try {
    return (JSON.parse(features) as { fbaInventory?: unknown }).fbaInventory !== false;
  } catch {
    return true;
  }
}

function parseMarketplaceIds(raw: string): string[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? (v as { marketplaceId: string }[]).map((m) => m.marketplaceId) : [];
  } catch {
    return [];
  }
}
