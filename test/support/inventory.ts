import { randomUUID } from "node:crypto";
import type { Db } from "#app/platform/db/client.server";

/** Build a small catalog, locations, channels and stock directly (tests only). */
export async function makeLocation(db: Db, shop: string, name: string, o: Partial<{ kind: string; readOnly: boolean; active: boolean }> = {}) {
  return db.location.create({ data: { id: randomUUID(), shop, name, kind: o.kind ?? "warehouse", readOnly: o.readOnly ?? false, active: o.active ?? true } });
}

export async function makeSku(db: Db, shop: string, sku: string, o: Partial<{ tags: string; isKit: boolean }> = {}) {
  const product = await db.product.create({ data: { id: randomUUID(), shop, title: `Product ${sku}`, tags: o.tags ?? "" } });
  return db.variant.create({ data: { id: randomUUID(), shop, productId: product.id, sku, title: sku, isKit: o.isKit ?? false } });
}

export async function setStock(db: Db, shop: string, variantId: string, locationId: string, available: number, extra: Partial<{ held: number; committed: number; onHand: number }> = {}) {
  return db.inventoryLevel.upsert({
    where: { variantId_locationId: { variantId, locationId } },
    create: { id: randomUUID(), shop, variantId, locationId, available, onHand: extra.onHand ?? available + (extra.committed ?? 0), committed: extra.committed ?? 0, held: extra.held ?? 0 },
    update: { available, held: extra.held ?? 0, committed: extra.committed ?? 0 },
  });
}

export async function makeChannel(
  db: Db,
  shop: string,
  code: string,
  eligible: string[],
  o: Partial<{ kind: string; hubHoldsStock: boolean; bufferUnits: number; bufferPercent: number; maxExposure: number | null; holdTtlMinutes: number | null; zeroPolicy: string }> = {},
) {
  return db.channel.create({
    data: {
      id: randomUUID(),
      shop,
      code,
      name: code,
      kind: o.kind ?? "amazon",
      eligibleLocationIds: JSON.stringify(eligible),
      hubHoldsStock: o.hubHoldsStock ?? true,
      bufferUnits: o.bufferUnits ?? 0,
      bufferPercent: o.bufferPercent ?? 0,
      maxExposure: o.maxExposure ?? null,
      holdTtlMinutes: o.holdTtlMinutes ?? null,
      zeroPolicy: o.zeroPolicy ?? "zero",
    },
  });
}

/** Sum of a quantity over all levels of a variant. */
export async function total(db: Db, variantId: string, field: "held" | "available" | "committed") {
  const rows = await db.inventoryLevel.findMany({ where: { variantId } });
  return rows.reduce((s, r) => s + r[field], 0);
}
