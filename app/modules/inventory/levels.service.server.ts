import type { Db, DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { randomUUID } from "node:crypto";
import { writeLedger, type LedgerInput, type LedgerSource } from "./ledger.server";
import { markAtsChanged } from "./publishing.service.server";

/** Shopify's named quantities, as its API and webhooks report them (absolute values). */
export const QUANTITY_NAMES = {
  on_hand: "onHand",
  available: "available",
  committed: "committed",
  reserved: "reserved",
  incoming: "incoming",
  safety_stock: "safetyStock",
  damaged: "damaged",
  quality_control: "qualityControl",
} as const;
export type QuantityName = keyof typeof QUANTITY_NAMES;

export interface LevelUpdate {
  shop: string;
  variantId: string;
  locationId: string;
  /** Absolute values for the names given; names not given are left as they are. */
  quantities: Partial<Record<QuantityName, number>>;
  /** When the source says this was true (Shopify's updated_at); older updates than the last applied are ignored. */
  sourceUpdatedAt: Date;
  source: LedgerSource;
  reason: string;
  reference?: string;
  actor: string;
}

/**
 * Mirror absolute quantities from the source of truth (Shopify webhook, resync, manual count).
 * Out-of-order deliveries are ignored by comparing `sourceUpdatedAt`; every changed quantity gets a
 * ledger entry; ATS republishing is queued in the same transaction.  The hub's own `held` is never
 * touched here: it is not Shopify's.
 */
function checkQuantities(u: LevelUpdate) {
  for (const [name, v] of Object.entries(u.quantities)) {
    if (!(name in QUANTITY_NAMES)) throw DomainError.invalid(`quantities.${name}`, `unknown quantity name (one of ${Object.keys(QUANTITY_NAMES).join(", ")})`);
    if (!Number.isInteger(v)) throw DomainError.invalid(`quantities.${name}`, `must be an integer, got ${v}`);
  }
}

type LevelOutcome = { applied: false; reason: string; changed?: undefined; hubOwned?: true } | { applied: true; changed: QuantityName[]; hubOwned?: undefined };

/** Why a mirrored count was not applied: the hub owns that location's stock (Location.stockSource). */
export const HUB_OWNED_REASON = "the hub owns this location's stock; Shopify's count is not mirrored";

/** One level's update inside the caller's transaction; ATS marking is left to the caller. */
async function applyLevelUpdateTx(tx: DbTx, u: LevelUpdate): Promise<LevelOutcome> {
  let level = await tx.inventoryLevel.findUnique({ where: { variantId_locationId: { variantId: u.variantId, locationId: u.locationId } } });
  if (!level) {
    level = await tx.inventoryLevel.create({ data: { id: randomUUID(), shop: u.shop, variantId: u.variantId, locationId: u.locationId } });
  }
  if (level.sourceUpdatedAt && level.sourceUpdatedAt > u.sourceUpdatedAt) return { applied: false, reason: "older than the last applied update" };
  const data: Record<string, number> = {};
  const ledger: LedgerInput[] = [];
  for (const [name, value] of Object.entries(u.quantities) as [QuantityName, number][]) {
    const field = QUANTITY_NAMES[name];
    const before = level[field];
    if (before === value) continue;
    data[field] = value;
    ledger.push({ shop: u.shop, variantId: u.variantId, locationId: u.locationId, quantityName: name, delta: value - before, resulting: value, source: u.source, reason: u.reason, reference: u.reference ?? null, actor: u.actor, occurredAt: u.sourceUpdatedAt });
  }
  // Nothing new (a resync that agrees, a replayed webhook): no write at all.
  if (ledger.length === 0 && level.sourceUpdatedAt && level.sourceUpdatedAt.getTime() === u.sourceUpdatedAt.getTime()) return { applied: true, changed: [] };
  // Compare-and-set on the version we read, so a concurrent writer makes us fail loudly, not lose its change.
  const r = await tx.inventoryLevel.updateMany({ where: { id: level.id, version: level.version }, data: { ...data, sourceUpdatedAt: u.sourceUpdatedAt, version: { increment: 1 } } });
  if (r.count !== 1) throw new DomainError("CONFLICT", "inventory level changed concurrently; retry");
  await writeLedger(tx, ledger);
  return { applied: true, changed: ledger.map((l) => l.quantityName as QuantityName) };
}

export async function applyLevelUpdate(deps: { db: Db; now: () => Date }, u: LevelUpdate) {
  checkQuantities(u);
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const r = await applyLevelUpdateTx(tx, u);
    if (r.applied && r.changed.length) await markAtsChanged(tx, u.shop, [u.variantId], now);
    return r;
  });
}

/** Tries of applyCount before giving up: each lost try means another count or a shipment changed on-hand meanwhile. */
const COUNT_ATTEMPTS = 5;

export interface CountUpdate {
  shop: string;
  variantId: string;
  locationId: string;
  /** The counted on-hand (absolute). */
  onHand: number;
  sourceUpdatedAt: Date;
  source: LedgerSource;
  reason: string;
  reference?: string;
  actor: string;
}

/**
 * A count of a level whose stock the hub owns: on-hand becomes `onHand` and available moves by the
 * same difference, so what is committed stays committed.  Available is written *relatively*
 * (`available + delta`, in the UPDATE itself), never as a figure read before the write: a
 * reservation committed or an order consumed on this level between the read and the write keeps
 * its units (an absolute write would make sold units sellable again → oversell).  The difference
 * itself depends on the on-hand read, so the write holds only while on-hand is still that value;
 * if another count or a shipment moved it, the count is taken again on the fresh row.  Ledger
 * entries (with the resulting values as written) and ATS marking share the write's transaction.
 */
export async function applyCount(deps: { db: Db; now: () => Date }, u: CountUpdate): Promise<LevelOutcome & { available: number }> {
  if (!Number.isInteger(u.onHand)) throw DomainError.invalid("onHand", `must be an integer, got ${u.onHand}`);
  const where = { variantId_locationId: { variantId: u.variantId, locationId: u.locationId } };
  for (let attempt = 0; attempt < COUNT_ATTEMPTS; attempt++) {
    const level = await deps.db.inventoryLevel.findUnique({ where });
    if (level?.sourceUpdatedAt && level.sourceUpdatedAt > u.sourceUpdatedAt) return { applied: false, reason: "older than the last applied update", available: level.available };
    const from = level?.onHand ?? 0;
    const delta = u.onHand - from;
    if (level && delta === 0) return { applied: true, changed: [], available: level.available };
    const now = deps.now();
    const r = await deps.db.$transaction(async (tx) => {
      const row = level ?? (await tx.inventoryLevel.upsert({ where, create: { id: randomUUID(), shop: u.shop, variantId: u.variantId, locationId: u.locationId }, update: {} }));
      if (delta === 0) return { applied: true as const, changed: [] as QuantityName[], available: row.available };
      const w = await tx.inventoryLevel.updateMany({
        where: { id: row.id, onHand: from, OR: [{ sourceUpdatedAt: null }, { sourceUpdatedAt: { lte: u.sourceUpdatedAt } }] },
        data: { onHand: u.onHand, available: { increment: delta }, sourceUpdatedAt: u.sourceUpdatedAt, version: { increment: 1 } },
      });
      if (w.count !== 1) return null; // on-hand moved (or a newer update landed) since the read: take the count again
      const after = await tx.inventoryLevel.findUniqueOrThrow({ where: { id: row.id }, select: { onHand: true, available: true } });
      const base = { shop: u.shop, variantId: u.variantId, locationId: u.locationId, delta, source: u.source, reason: u.reason, reference: u.reference ?? null, actor: u.actor, occurredAt: u.sourceUpdatedAt };
      await writeLedger(tx, [
        { ...base, quantityName: "on_hand", resulting: after.onHand },
        { ...base, quantityName: "available", resulting: after.available },
      ]);
      await markAtsChanged(tx, u.shop, [u.variantId], now);
      return { applied: true as const, changed: ["on_hand", "available"] as QuantityName[], available: after.available };
    });
    if (r) return r;
  }
  throw new DomainError("CONFLICT", `the on-hand of this level kept changing while the count of ${u.onHand} was written (${COUNT_ATTEMPTS} tries): enter the count again`);
}

/**
 * Many levels of one shop in one transaction (imports and resyncs): the same rules as
 * applyLevelUpdate per level, one commit per batch — on SQLite the commit, not the statements,
 * is what a level costs.  With `mirror` (the updates copy Shopify's counts), levels at locations
 * whose stock the hub owns are left alone and reported `hubOwned`, so the caller can push the hub's
 * counts back instead.
 */
export async function applyLevelUpdates(deps: { db: Db; now: () => Date }, updates: LevelUpdate[], opts: { mirror?: boolean } = {}) {
  updates.forEach(checkQuantities);
  if (updates.length === 0) return [];
  const shops = new Set(updates.map((u) => u.shop));
  if (shops.size !== 1) throw DomainError.invalid("updates", "a batch belongs to one shop");
  const now = deps.now();
  return deps.db.$transaction(
    async (tx) => {
      const out: LevelOutcome[] = [];
      const changed = new Set<string>();
      // Mirroring Shopify's counts (import, resync): a location the hub owns keeps the hub's counts.
      // Read inside the write's transaction, so a location switched to hub-owned while a long import
      // runs is respected from its next batch on, and a count entered there is not overwritten.
      const hubOwned = opts.mirror
        ? new Set((await tx.location.findMany({ where: { shop: updates[0]!.shop, id: { in: [...new Set(updates.map((u) => u.locationId))] }, stockSource: "hub" }, select: { id: true } })).map((l) => l.id))
        : new Set<string>();
      for (const u of updates) {
        if (hubOwned.has(u.locationId)) {
          out.push({ applied: false, reason: HUB_OWNED_REASON, hubOwned: true });
          continue;
        }
        const r = await applyLevelUpdateTx(tx, u);
        if (r.applied && r.changed.length) changed.add(u.variantId);
        out.push(r);
      }
      if (changed.size) await markAtsChanged(tx, updates[0]!.shop, [...changed], now);
      return out;
    },
    { maxWait: 20_000, timeout: 60_000 },
  );
}
