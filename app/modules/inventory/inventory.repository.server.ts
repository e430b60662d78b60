import type { Db, DbTx } from "#app/platform/db/client.server";
import type { ChannelPolicy, LocationKind, LocationLevel, PolicyOverride, SkuStock, ZeroPolicy } from "./domain/types";

type Q = Db | DbTx;

export const splitTags = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);

export type LevelRow = Awaited<ReturnType<Db["inventoryLevel"]["findFirstOrThrow"]>>;
export type LocationRow = Awaited<ReturnType<Db["location"]["findFirstOrThrow"]>>;
export type ChannelRow = Awaited<ReturnType<Db["channel"]["findFirstOrThrow"]>>;
export type VariantRow = Awaited<ReturnType<Db["variant"]["findFirstOrThrow"]>>;

export function toLocationLevel(level: LevelRow, loc: LocationRow): LocationLevel {
  return {
    locationId: loc.id,
    locationName: loc.name,
    kind: loc.kind as LocationKind,
    readOnly: loc.readOnly,
    active: loc.active,
    onHand: level.onHand,
    available: level.available,
    committed: level.committed,
    reserved: level.reserved,
    incoming: level.incoming,
    safetyStock: level.safetyStock,
    damaged: level.damaged,
    qualityControl: level.qualityControl,
    held: level.held,
  };
}

export function toChannelPolicy(c: ChannelRow): ChannelPolicy {
  return {
    channelId: c.id,
    channelName: c.name,
    eligibleLocationIds: JSON.parse(c.eligibleLocationIds) as string[],
    buffer: { units: c.bufferUnits, percent: c.bufferPercent },
    maxExposure: c.maxExposure,
    zeroPolicy: c.zeroPolicy as ZeroPolicy,
    backorderQuantity: c.backorderQuantity,
  };
}

export async function findVariantBySku(db: Q, shop: string, sku: string) {
  return db.variant.findUnique({ where: { shop_sku: { shop, sku } } });
}

export async function listLocations(db: Q, shop: string) {
  return db.location.findMany({ where: { shop }, orderBy: { name: "asc" } });
}

export async function listChannels(db: Q, shop: string, opts: { activeOnly?: boolean } = {}) {
  return db.channel.findMany({ where: { shop, ...(opts.activeOnly ? { active: true } : {}) }, orderBy: { name: "asc" } });
}

export async function listOverrides(db: Q, shop: string): Promise<PolicyOverride[]> {
  const rows = await db.channelPolicyOverride.findMany({ where: { shop } });
  return rows.map((o) => ({
    channelId: o.channelId,
    sku: o.sku,
    tag: o.tag,
    buffer: o.bufferUnits === null && o.bufferPercent === null ? null : { units: o.bufferUnits ?? 0, percent: o.bufferPercent ?? 0 },
    maxExposure: o.maxExposure,
  }));
}

/** Levels of some variants (all of the shop's when `variantIds` is omitted), keyed by variant id. */
async function levelsByVariant(db: Q, shop: string, variantIds?: string[]) {
  const [levels, locations] = await Promise.all([
    // By variant ids alone when given (see the note on the snapshot query in reservations.service).
    db.inventoryLevel.findMany({ where: variantIds ? { variantId: { in: variantIds } } : { shop } }).then((rows) => rows.filter((r) => r.shop === shop)),
    db.location.findMany({ where: { shop } }),
  ]);
  const locById = new Map(locations.map((l) => [l.id, l]));
  const out = new Map<string, LocationLevel[]>();
  for (const l of levels) {
    const loc = locById.get(l.locationId);
    if (!loc) continue;
    const list = out.get(l.variantId) ?? [];
    list.push(toLocationLevel(l, loc));
    out.set(l.variantId, list);
  }
  return out;
}

type KitRow = { kitVariantId: string; componentVariantId: string; quantity: number };

/** Assemble one SKU's stock from rows already loaded (shared by the one-SKU and whole-shop paths). */
function buildSkuStock(
  variant: VariantRow,
  productTags: string,
  levels: Map<string, LocationLevel[]>,
  kitRows: KitRow[],
  skuOf: (variantId: string) => string,
): SkuStock {
  const tags = [...new Set([...splitTags(productTags), ...splitTags(variant.tags)])];
  if (!variant.isKit) return { sku: variant.sku, tags, levels: levels.get(variant.id) ?? [], components: [] };
  return {
    sku: variant.sku,
    tags,
    levels: [],
    components: kitRows
      .filter((k) => k.kitVariantId === variant.id)
      .map((c) => ({ sku: skuOf(c.componentVariantId), quantity: c.quantity, levels: levels.get(c.componentVariantId) ?? [] })),
  };
}

/** Everything ATS needs for one SKU: its levels, or its kit components' levels, and its tags. */
export async function loadSkuStock(db: Q, shop: string, variant: VariantRow): Promise<SkuStock> {
  const product = await db.product.findUnique({ where: { id: variant.productId }, select: { tags: true } });
  const comps = variant.isKit ? await db.kitComponent.findMany({ where: { shop, kitVariantId: variant.id } }) : [];
  const compVariants = comps.length ? await db.variant.findMany({ where: { shop, id: { in: comps.map((c) => c.componentVariantId) } }, select: { id: true, sku: true } }) : [];
  const levels = await levelsByVariant(db, shop, variant.isKit ? comps.map((c) => c.componentVariantId) : [variant.id]);
  const skuOf = (id: string) => compVariants.find((v) => v.id === id)?.sku ?? id;
  return buildSkuStock(variant, product?.tags ?? "", levels, comps, skuOf);
}

/** Every SKU's stock in a handful of queries (whole-channel republishing, resyncs). */
export async function loadAllSkuStock(db: Q, shop: string): Promise<{ variant: VariantRow; stock: SkuStock }[]> {
  const [variants, products, kitRows, levels] = await Promise.all([
    db.variant.findMany({ where: { shop }, orderBy: { sku: "asc" } }),
    db.product.findMany({ where: { shop }, select: { id: true, tags: true } }),
    db.kitComponent.findMany({ where: { shop } }),
    levelsByVariant(db, shop),
  ]);
  const tagsOf = new Map(products.map((p) => [p.id, p.tags]));
  const skuById = new Map(variants.map((v) => [v.id, v.sku]));
  const skuOf = (id: string) => skuById.get(id) ?? id;
  return variants.map((v) => ({ variant: v, stock: buildSkuStock(v, tagsOf.get(v.productId) ?? "", levels, kitRows, skuOf) }));
}

/** Kits that consume any of these variants (their ATS moves when a component's stock moves). */
export async function kitsContaining(db: Q, shop: string, variantIds: string[]) {
  const rows = await db.kitComponent.findMany({ where: { shop, componentVariantId: { in: variantIds } }, select: { kitVariantId: true } });
  return [...new Set(rows.map((r) => r.kitVariantId))];
}

export async function purgeInventoryData(tx: Q, shop: string) {
  const where = { where: { shop } };
  // One after another: statements of one interactive transaction share a connection.
  let n = 0;
  n += (await tx.reservationAllocation.deleteMany(where)).count;
  n += (await tx.reservation.deleteMany(where)).count;
  n += (await tx.atsPublication.deleteMany(where)).count;
  n += (await tx.channelPolicyOverride.deleteMany(where)).count;
  n += (await tx.channelListing.deleteMany(where)).count;
  n += (await tx.channel.deleteMany(where)).count;
  n += (await tx.inventoryLedgerEntry.deleteMany(where)).count;
  n += (await tx.inventoryLevel.deleteMany(where)).count;
  n += (await tx.kitComponent.deleteMany(where)).count;
  n += (await tx.variant.deleteMany(where)).count;
  n += (await tx.product.deleteMany(where)).count;
  n += (await tx.location.deleteMany(where)).count;
  return n;
}

export const INVENTORY_TENANT_MODELS = [
  "Product",
  "Variant",
  "KitComponent",
  "ChannelListing",
  "Location",
  "InventoryLevel",
  "InventoryLedgerEntry",
  "Channel",
  "ChannelPolicyOverride",
  "Reservation",
  "ReservationAllocation",
  "AtsPublication",
] as const;
