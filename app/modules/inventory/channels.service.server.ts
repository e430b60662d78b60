import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { domainErrorFromZod } from "#app/platform/http.server";
import { markChannelChanged } from "./publishing.service.server";

/** What a merchant may change about a channel's ATS policy (validated; errors name the field). */
export const channelPolicyInput = z.object({
  eligibleLocationIds: z.array(z.string().min(1)).max(200),
  bufferUnits: z.coerce.number().int().min(0).max(1_000_000),
  bufferPercent: z.coerce.number().int().min(0).max(100),
  // null first: z.coerce.number() would turn null into 0 (a cap of zero).
  maxExposure: z.union([z.null(), z.coerce.number().int().min(0).max(1_000_000)]),
  zeroPolicy: z.enum(["zero", "delist", "backorder"]),
  backorderQuantity: z.coerce.number().int().min(0).max(1_000_000),
  holdTtlMinutes: z.union([z.null(), z.coerce.number().int().min(1).max(60 * 24 * 30)]),
  active: z.boolean(),
});
export type ChannelPolicyInput = z.infer<typeof channelPolicyInput>;

export const overrideInput = z
  .object({
    sku: z.string().trim().min(1).nullable(),
    tag: z.string().trim().toLowerCase().min(1).nullable(),
    bufferUnits: z.coerce.number().int().min(0).nullable(),
    bufferPercent: z.coerce.number().int().min(0).max(100).nullable(),
    maxExposure: z.coerce.number().int().min(0).nullable(),
  })
  .refine((o) => (o.sku === null) !== (o.tag === null), { message: "name exactly one of sku or tag", path: ["sku"] })
  .refine((o) => o.bufferUnits !== null || o.bufferPercent !== null || o.maxExposure !== null, { message: "set a buffer or a cap", path: ["bufferUnits"] });

/**
 * Change a channel's policy; every SKU's ATS for that channel may move, so all of them are queued
 * for republishing in the same transaction.
 */
export async function updateChannelPolicy(deps: { db: Db; now: () => Date }, shop: string, channelId: string, raw: unknown) {
  const parsed = channelPolicyInput.safeParse(raw);
  if (!parsed.success) throw domainErrorFromZod(parsed.error);
  const input = parsed.data;
  const locations = await deps.db.location.findMany({ where: { shop, id: { in: input.eligibleLocationIds } }, select: { id: true } });
  const unknown = input.eligibleLocationIds.filter((id) => !locations.some((l) => l.id === id));
  if (unknown.length) throw DomainError.invalid("eligibleLocationIds", `unknown location(s) for this shop: ${unknown.join(", ")}`);
  return deps.db.$transaction(async (tx) => {
    const r = await tx.channel.updateMany({
      where: { id: channelId, shop },
      data: { ...input, eligibleLocationIds: JSON.stringify(input.eligibleLocationIds) },
    });
    if (r.count !== 1) throw DomainError.notFound(`channel ${channelId}`);
    await markChannelChanged(tx, shop, channelId, deps.now());
    return tx.channel.findUniqueOrThrow({ where: { id: channelId } });
  });
}

/** Add a per-SKU or per-tag override; the channel's ATS is republished. */
export async function addPolicyOverride(db: Db, shop: string, channelId: string, raw: unknown, now: Date) {
  const parsed = overrideInput.safeParse(raw);
  if (!parsed.success) throw domainErrorFromZod(parsed.error);
  const ch = await db.channel.findFirst({ where: { id: channelId, shop } });
  if (!ch) throw DomainError.notFound(`channel ${channelId}`);
  return db.$transaction(async (tx) => {
    const row = await tx.channelPolicyOverride.create({ data: { id: randomUUID(), shop, channelId, ...parsed.data } });
    await markChannelChanged(tx, shop, channelId, now);
    return row;
  });
}

export async function removePolicyOverride(db: Db, shop: string, id: string, now: Date) {
  await db.$transaction(async (tx) => {
    const row = await tx.channelPolicyOverride.findFirst({ where: { id, shop } });
    if (!row) throw DomainError.notFound(`override ${id}`);
    await tx.channelPolicyOverride.delete({ where: { id } });
    await markChannelChanged(tx, shop, row.channelId, now);
  });
}

export async function listChannelsWithOverrides(db: Db, shop: string) {
  const [channels, overrides, locations] = await Promise.all([
    db.channel.findMany({ where: { shop }, orderBy: { name: "asc" } }),
    db.channelPolicyOverride.findMany({ where: { shop } }),
    db.location.findMany({ where: { shop }, orderBy: { name: "asc" }, select: { id: true, name: true, kind: true, readOnly: true } }),
  ]);
  return {
    locations,
    channels: channels.map((c) => ({ ...c, eligibleLocationIds: JSON.parse(c.eligibleLocationIds) as string[], overrides: overrides.filter((o) => o.channelId === c.id) })),
  };
}
