import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";
import { isUniqueViolation } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { validateProfile, type Rule, type RoutingProfile } from "./domain/index";
import { requestUnroutableSweep } from "./sweep.server";

/**
 * Versioned routing profiles: save a draft (validated, immutable once saved), activate it, roll
 * back to the previous active version.  History is never rewritten.
 */
type Q = Db | DbTx;
export const DEFAULT_PROFILE = "default";
const activeKey = (shop: string, key: string) => `${shop}|${key}`;

export interface ProfileVersionView {
  version: number;
  status: "draft" | "active" | "retired";
  note: string | null;
  createdBy: string;
  createdAt: Date;
  activatedAt: Date | null;
  profile: RoutingProfile;
}

type Row = Awaited<ReturnType<Db["routingProfileVersion"]["findFirstOrThrow"]>>;
function view(r: Row): ProfileVersionView {
  return {
    version: r.version,
    status: r.status as ProfileVersionView["status"],
    note: r.note,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    activatedAt: r.activatedAt,
    profile: { id: r.profileKey, version: r.version, rules: JSON.parse(r.body) as Rule[] },
  };
}

/** Save rules as the next version (a draft).  Bad rules are refused with the field named. */
export async function saveDraft(db: Db, shop: string, args: { rules: Rule[]; note?: string; actor: string; profileKey?: string }) {
  const key = args.profileKey ?? DEFAULT_PROFILE;
  for (let attempt = 0; attempt < 5; attempt++) {
    const last = await db.routingProfileVersion.findFirst({ where: { shop, profileKey: key }, orderBy: { version: "desc" }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    validateProfile({ id: key, version, rules: args.rules });
    try {
      const row = await db.routingProfileVersion.create({
        data: { id: randomUUID(), shop, profileKey: key, version, status: "draft", body: JSON.stringify(args.rules), note: args.note ?? null, createdBy: args.actor },
      });
      return view(row);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // someone saved the same version number at once: take the next
    }
  }
  throw new DomainError("CONFLICT", "could not allocate a profile version; retry");
}

async function activateIn(tx: Q, shop: string, key: string, version: number, now: Date, cause: string) {
  const target = await tx.routingProfileVersion.findUnique({ where: { shop_profileKey_version: { shop, profileKey: key, version } } });
  if (!target) throw DomainError.notFound(`routing profile ${key} v${version}`);
  if (target.status === "active") return view(target);
  await tx.routingProfileVersion.updateMany({ where: { activeFor: activeKey(shop, key) }, data: { status: "retired", activeFor: null } });
  const r = await tx.routingProfileVersion.updateMany({
    where: { id: target.id, status: target.status },
    data: { status: "active", activeFor: activeKey(shop, key), activatedAt: now },
  });
  if (r.count !== 1) throw new DomainError("CONFLICT", `routing profile ${key} v${version} changed meanwhile; retry`);
  // Orders left unroutable (no active profile, a rule set that placed nothing) may route now: the
  // sweep is queued in this transaction, so only an activation that commits asks for it.
  await requestUnroutableSweep(tx, shop, { cause, now });
  return view({ ...target, status: "active", activeFor: activeKey(shop, key), activatedAt: now });
}

/** Make a version the active one (the previous active one is retired, kept for rollback). */
export async function activateVersion(deps: { db: Db; now: () => Date }, shop: string, version: number, profileKey = DEFAULT_PROFILE, cause = `routing profile ${profileKey} v${version} activated`) {
  try {
    return await deps.db.$transaction((tx) => activateIn(tx, shop, profileKey, version, deps.now(), cause));
  } catch (e) {
    // Two activations raced: the unique activeFor index let exactly one win.
    // (On Postgres the losers may also see a deadlock between the two retire/activate updates.)
    if (isUniqueViolation(e) || /deadlock detected|could not serialize/i.test(String((e as Error).message))) {
      throw new DomainError("CONFLICT", "another version was activated at the same moment; reload and retry");
    }
    throw e;
  }
}

/** Re-activate the version that was active before the current one. */
export async function rollback(deps: { db: Db; now: () => Date }, shop: string, profileKey = DEFAULT_PROFILE) {
  const current = await getActive(deps.db, shop, profileKey);
  if (!current) throw DomainError.notFound(`an active routing profile ${profileKey}`);
  const previous = await deps.db.routingProfileVersion.findFirst({
    where: { shop, profileKey, status: "retired", activatedAt: { not: null }, version: { not: current.version } },
    orderBy: { activatedAt: "desc" },
  });
  if (!previous) throw new DomainError("CONFLICT", `no earlier active version of ${profileKey} to roll back to`);
  return activateVersion(deps, shop, previous.version, profileKey, `routing profile ${profileKey} rolled back from v${current.version} to v${previous.version}`);
}

export async function getActive(db: Q, shop: string, profileKey = DEFAULT_PROFILE) {
  const row = await db.routingProfileVersion.findUnique({ where: { activeFor: activeKey(shop, profileKey) } });
  return row ? view(row) : null;
}

export async function listVersions(db: Q, shop: string, profileKey = DEFAULT_PROFILE) {
  return (await db.routingProfileVersion.findMany({ where: { shop, profileKey }, orderBy: { version: "desc" } })).map(view);
}

export async function purgeRoutingData(tx: Q, shop: string) {
  const profiles = await tx.routingProfileVersion.deleteMany({ where: { shop } });
  const decisions = await tx.routingDecision.deleteMany({ where: { shop } });
  const counts = await tx.locationDayCount.deleteMany({ where: { shop } });
  return { count: profiles.count + decisions.count + counts.count };
}

export const ROUTING_TENANT_MODELS = ["RoutingProfileVersion", "RoutingDecision", "LocationDayCount"] as const;
