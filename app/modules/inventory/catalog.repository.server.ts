import { randomUUID } from "node:crypto";
import type { Db } from "#app/platform/db/client.server";
import type { LocationKind } from "./domain/types";

/** Plain data to load a whole catalog at once (demo seed, imports in later issues). */
export interface CatalogLoad {
  locations: {
    key: string;
    name: string;
    kind: LocationKind;
    readOnly?: boolean;
    address1?: string;
    city?: string;
    province?: string;
    countryCode?: string;
    zip?: string;
    latitude?: number;
    longitude?: number;
    timeZone: string;
    openingHours?: Record<string, [string, string][]>;
    hoursExceptions?: { date: string; closed?: boolean; hours?: [string, string][] }[];
    shipsOnlineOrders?: boolean;
    offersPickup?: boolean;
    shipsFromStore?: boolean;
    dailyShipFromStoreCap?: number | null;
    handlingCostCents?: number;
    handlingDays?: number;
    routingPriority?: number;
    sameDayCutoffMinutes?: number | null;
    /** Routing zone table (cost and transit days by distance band); absent: the shop default. */
    shippingZones?: unknown;
  }[];
  products: { title: string; vendor?: string; tags: string[]; variants: { sku: string; title: string; tags?: string[]; kit?: { sku: string; quantity: number }[] }[] }[];
  /** Stock by SKU and location key (absolute Shopify quantities). */
  levels: { sku: string; location: string; available: number; committed?: number; incoming?: number; safetyStock?: number; damaged?: number }[];
  channels: {
    code: string;
    name: string;
    kind: string;
    eligible: string[]; // location keys
    hubHoldsStock: boolean;
    bufferUnits?: number;
    bufferPercent?: number;
    maxExposure?: number | null;
    zeroPolicy?: "zero" | "delist" | "backorder";
    backorderQuantity?: number;
    holdTtlMinutes?: number | null;
    overrides?: { sku?: string; tag?: string; bufferUnits?: number; bufferPercent?: number; maxExposure?: number }[];
    /** How SKUs are known on this channel (Amazon seller SKU + ASIN, portal item code). */
    listings?: { sku: string; externalSku: string; externalId?: string }[];
  }[];
}

const CHUNK = 2_000;
async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/**
 * Load a catalog into an empty shop in bulk, with a ledger entry per initial quantity.  Refuses a
 * shop that already has locations (loading twice would duplicate stock).
 */
export async function loadCatalog(db: Db, shop: string, data: CatalogLoad, opts: { now: Date; actor: string }) {
  if ((await db.location.count({ where: { shop } })) > 0) return { loaded: false as const, reason: "shop already has locations" };
  const locId = new Map(data.locations.map((l) => [l.key, randomUUID()]));
  await db.location.createMany({
    data: data.locations.map(({ key, openingHours, hoursExceptions, shippingZones, ...l }) => ({
      ...l,
      shippingZones: shippingZones === undefined ? null : JSON.stringify(shippingZones),
      id: locId.get(key)!,
      shop,
      openingHours: JSON.stringify(openingHours ?? {}),
      hoursExceptions: JSON.stringify(hoursExceptions ?? []),
    })),
  });
  const variantId = new Map<string, string>();
  const products: { id: string; shop: string; title: string; vendor: string | null; tags: string }[] = [];
  const variants: { id: string; shop: string; productId: string; sku: string; title: string; tags: string; isKit: boolean }[] = [];
  const kits: { id: string; shop: string; kitVariantId: string; componentSku: string; quantity: number }[] = [];
  for (const p of data.products) {
    const productId = randomUUID();
    products.push({ id: productId, shop, title: p.title, vendor: p.vendor ?? null, tags: p.tags.join(",") });
    for (const v of p.variants) {
      const id = randomUUID();
      variantId.set(v.sku, id);
      variants.push({ id, shop, productId, sku: v.sku, title: v.title, tags: (v.tags ?? []).join(","), isKit: !!v.kit });
      for (const c of v.kit ?? []) kits.push({ id: randomUUID(), shop, kitVariantId: id, componentSku: c.sku, quantity: c.quantity });
    }
  }
  await inChunks(products, (c) => db.product.createMany({ data: c }));
  await inChunks(variants, (c) => db.variant.createMany({ data: c }));
  await db.kitComponent.createMany({ data: kits.map(({ componentSku, ...k }) => ({ ...k, componentVariantId: variantId.get(componentSku)! })) });
  const levels = data.levels.map((l) => {
    const committed = l.committed ?? 0;
    const safetyStock = l.safetyStock ?? 0;
    const damaged = l.damaged ?? 0;
    return {
      id: randomUUID(),
      shop,
      variantId: variantId.get(l.sku)!,
      locationId: locId.get(l.location)!,
      available: l.available,
      committed,
      safetyStock,
      damaged,
      incoming: l.incoming ?? 0,
      onHand: l.available + committed + safetyStock + damaged,
      sourceUpdatedAt: opts.now,
    };
  });
  await inChunks(levels, (c) => db.inventoryLevel.createMany({ data: c }));
  const ledger = levels.flatMap((l) =>
    (["onHand", "available", "committed"] as const)
      .filter((f) => l[f] !== 0)
      .map((f) => ({ id: randomUUID(), shop, variantId: l.variantId, locationId: l.locationId, quantityName: f === "onHand" ? "on_hand" : f, delta: l[f], resulting: l[f], source: "sync", reason: "initial stock", actor: opts.actor, occurredAt: opts.now })),
  );
  await inChunks(ledger, (c) => db.inventoryLedgerEntry.createMany({ data: c }));
  for (const c of data.channels) {
    const id = randomUUID();
    await db.channel.create({
      data: {
        id,
        shop,
        code: c.code,
        name: c.name,
        kind: c.kind,
        eligibleLocationIds: JSON.stringify(c.eligible.map((k) => locId.get(k)!)),
        hubHoldsStock: c.hubHoldsStock,
        bufferUnits: c.bufferUnits ?? 0,
        bufferPercent: c.bufferPercent ?? 0,
        maxExposure: c.maxExposure ?? null,
        zeroPolicy: c.zeroPolicy ?? "zero",
        backorderQuantity: c.backorderQuantity ?? 0,
        holdTtlMinutes: c.holdTtlMinutes ?? null,
      },
    });
    await inChunks(c.listings ?? [], (chunk) =>
      db.channelListing.createMany({ data: chunk.map((l) => ({ id: randomUUID(), shop, channelId: id, variantId: variantId.get(l.sku)!, externalSku: l.externalSku, externalId: l.externalId ?? null })) }),
    );
    for (const o of c.overrides ?? []) {
      await db.channelPolicyOverride.create({ data: { id: randomUUID(), shop, channelId: id, sku: o.sku ?? null, tag: o.tag ?? null, bufferUnits: o.bufferUnits ?? null, bufferPercent: o.bufferPercent ?? null, maxExposure: o.maxExposure ?? null } });
    }
  }
  return { loaded: true as const, locations: data.locations.length, products: products.length, skus: variants.length, levels: levels.length, channels: data.channels.length };
}
