import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { computeAts } from "./domain/ats";
import type { AtsResult } from "./domain/types";
import { findVariantBySku, listChannels, listOverrides, loadSkuStock, splitTags, toChannelPolicy } from "./inventory.repository.server";

/** The figures a stock table adds up across locations. */
export interface StockTotals {
  onHand: number;
  available: number;
  committed: number;
  reserved: number;
  safetyStock: number;
  damaged: number;
  incoming: number;
  held: number;
  /** available - held */
  sellable: number;
}

/**
 * A SKU's stock across locations, as a merchant reads a "Total": the locations the hub counts and
 * sells from.  Read-only marketplace locations (Amazon FBA) are left out: each mirrors one
 * marketplace's report of Amazon's own stock, marketplaces that pool stock (North American remote
 * fulfilment, Pan-European FBA) report the same units in each, and none of it can be sold by the
 * hub's channels (ATS and routing leave them out too) — adding them in would count pooled units
 * twice and show stock the hub cannot sell.  They are listed on their own, per location.
 */
export function ownStockTotals(levels: readonly (Omit<StockTotals, "sellable"> & { readOnly: boolean })[]): StockTotals & { readOnlyLeftOut: number } {
  const t: StockTotals & { readOnlyLeftOut: number } = { onHand: 0, available: 0, committed: 0, reserved: 0, safetyStock: 0, damaged: 0, incoming: 0, held: 0, sellable: 0, readOnlyLeftOut: 0 };
  for (const l of levels) {
    if (l.readOnly) {
      t.readOnlyLeftOut++;
      continue;
    }
    t.onHand += l.onHand;
    t.available += l.available;
    t.committed += l.committed;
    t.reserved += l.reserved;
    t.safetyStock += l.safetyStock;
    t.damaged += l.damaged;
    t.incoming += l.incoming;
    t.held += l.held;
  }
  t.sellable = t.available - t.held;
  return t;
}

/** Everything a person wants to know about one SKU: stock per location, ATS per channel and why, history. */
export async function getSkuDetail(db: Db, shop: string, sku: string, opts: { ledgerLimit?: number } = {}) {
  const variant = await findVariantBySku(db, shop, sku);
  if (!variant) throw DomainError.notFound(`SKU ${sku}`, { sku });
  const [product, stock, channels, overrides, locations] = await Promise.all([
    db.product.findUnique({ where: { id: variant.productId } }),
    loadSkuStock(db, shop, variant),
    listChannels(db, shop),
    listOverrides(db, shop),
    db.location.findMany({ where: { shop }, orderBy: { name: "asc" } }),
  ]);
  const ats: (AtsResult & { channelName: string; channelCode: string; active: boolean })[] = channels.map((c) => ({
    ...computeAts(toChannelPolicy(c), stock, overrides),
    channelName: c.name,
    channelCode: c.code,
    active: c.active,
  }));
  const levelRows = (await db.inventoryLevel.findMany({ where: { variantId: variant.id } })).filter((l) => l.shop === shop);
  const locName = new Map(locations.map((l) => [l.id, l]));
  const ledger = await db.inventoryLedgerEntry.findMany({ where: { shop, variantId: variant.id }, orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }], take: opts.ledgerLimit ?? 50 });
  const reservations = await db.reservation.findMany({ where: { shop, variantId: variant.id, status: { in: ["held", "committed"] } }, orderBy: { createdAt: "desc" }, take: 50 });
  const listingRows = await db.channelListing.findMany({ where: { shop, variantId: variant.id } });
  const listings = listingRows.map((l) => ({ channelId: l.channelId, channelName: channels.find((c) => c.id === l.channelId)?.name ?? l.channelId, externalSku: l.externalSku, externalId: l.externalId, status: l.status }));
  const kitComponents = variant.isKit ? stock.components.map((c) => ({ sku: c.sku, quantity: c.quantity })) : [];
  const levels = levelRows
    .map((l) => ({ ...l, locationName: locName.get(l.locationId)?.name ?? l.locationId, locationKind: locName.get(l.locationId)?.kind ?? "?", readOnly: locName.get(l.locationId)?.readOnly ?? false }))
    .sort((a, b) => a.locationName.localeCompare(b.locationName));
  return {
    sku: variant.sku,
    title: `${product?.title ?? ""}${variant.title && variant.title !== "Default" ? ` — ${variant.title}` : ""}`,
    tags: stock.tags,
    isKit: variant.isKit,
    kitComponents,
    listings,
    levels,
    /** Across the hub's own locations only: read-only marketplace locations are not added in (ownStockTotals). */
    totals: ownStockTotals(levels),
    ats,
    ledger: ledger.map((e) => ({ ...e, locationName: locName.get(e.locationId)?.name ?? e.locationId })),
    reservations,
  };
}
export type SkuDetail = Awaited<ReturnType<typeof getSkuDetail>>;

export interface InventoryListFilter {
  q?: string;
  locationId?: string;
  /** Only SKUs whose sellable units (available - held) at the chosen location(s) are at or below this. */
  lowStockAt?: number;
  page?: number;
  pageSize?: number;
}

/**
 * The inventory list: one row per SKU with totals, searchable by SKU or title.  Totals over all
 * locations leave out read-only marketplace locations (see ownStockTotals); filtered to one
 * location, the row is that location's figures, whatever its kind.
 */
export async function listInventory(db: Db, shop: string, f: InventoryListFilter) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 50, 1), 200);
  const page = Math.max(f.page ?? 1, 1);
  const q = f.q?.trim();
  const products = q ? await db.product.findMany({ where: { shop, title: { contains: q } }, select: { id: true } }) : [];
  const where = {
    shop,
    ...(q ? { OR: [{ sku: { contains: q } }, { title: { contains: q } }, { productId: { in: products.map((p) => p.id) } }] } : {}),
  };
  const variants = await db.variant.findMany({ where, orderBy: { sku: "asc" } });
  const readOnly = f.locationId ? [] : (await db.location.findMany({ where: { shop, readOnly: true }, select: { id: true } })).map((l) => l.id);
  const locationFilter = f.locationId ? { locationId: f.locationId } : readOnly.length ? { locationId: { notIn: readOnly } } : {};
  const levels = (await db.inventoryLevel.findMany({ where: { variantId: { in: variants.map((v) => v.id) }, ...locationFilter } })).filter((l) => l.shop === shop);
  const byVariant = new Map<string, { onHand: number; available: number; committed: number; held: number; incoming: number }>();
  for (const l of levels) {
    const t = byVariant.get(l.variantId) ?? { onHand: 0, available: 0, committed: 0, held: 0, incoming: 0 };
    t.onHand += l.onHand;
    t.available += l.available;
    t.committed += l.committed;
    t.held += l.held;
    t.incoming += l.incoming;
    byVariant.set(l.variantId, t);
  }
  const titles = new Map((await db.product.findMany({ where: { shop, id: { in: [...new Set(variants.map((v) => v.productId))] } }, select: { id: true, title: true, tags: true } })).map((p) => [p.id, p]));
  let rows = variants.map((v) => {
    const t = byVariant.get(v.id) ?? { onHand: 0, available: 0, committed: 0, held: 0, incoming: 0 };
    const p = titles.get(v.productId);
    return { sku: v.sku, title: `${p?.title ?? ""}${v.title && v.title !== "Default" ? ` — ${v.title}` : ""}`, isKit: v.isKit, tags: splitTags(`${p?.tags ?? ""},${v.tags}`), ...t, sellable: t.available - t.held };
  });
  if (f.lowStockAt !== undefined) rows = rows.filter((r) => !r.isKit && r.sellable <= f.lowStockAt!);
  return { total: rows.length, page, pageSize, rows: rows.slice((page - 1) * pageSize, page * pageSize) };
}
