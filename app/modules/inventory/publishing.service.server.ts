import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";
import type { Logger } from "#app/platform/logger.server";
import { writeOutbox, writeOutboxMany } from "#app/platform/outbox.server";
import { computeAts } from "./domain/ats";
import { kitsContaining, listOverrides, loadAllSkuStock, loadSkuStock, toChannelPolicy } from "./inventory.repository.server";
import type { AtsResult } from "./domain/types";

type Q = Db | DbTx;

export const PUBLISH_ATS_JOB = "inventory.publishAts";
export const PUBLISH_CHANNEL_JOB = "inventory.publishChannelAts";
/** Changes to one SKU within this window become one publish per channel (the latest value wins). */
export const PUBLISH_WINDOW_MS = 2_000;

/**
 * Called in the same transaction as any stock change: one outbox row per active channel × affected
 * SKU (kits containing a changed component included).  Rows of one window share a job dedupeKey,
 * so a burst of changes to a SKU becomes one publish per channel per window; the row becomes due
 * when its window closes, and the job then reads the latest stock.
 */
export async function markAtsChanged(tx: Q, shop: string, variantIds: string[], now: Date) {
  const ids = [...new Set([...variantIds, ...(await kitsContaining(tx, shop, variantIds))])];
  if (ids.length === 0) return 0;
  const channels = await tx.channel.findMany({ where: { shop, active: true }, select: { id: true } });
  const window = Math.floor(now.getTime() / PUBLISH_WINDOW_MS);
  const due = new Date((window + 1) * PUBLISH_WINDOW_MS);
  // One statement for the whole fan-out: this runs inside every reservation's transaction.
  return writeOutboxMany(
    tx,
    ids.flatMap((variantId) =>
      channels.map((ch) => ({
        shop,
        topic: PUBLISH_ATS_JOB,
        payload: { channelId: ch.id, variantId },
        jobKey: `${shop}|${ch.id}|ats`,
        jobDedupeKey: `ats:${ch.id}:${variantId}:${window}`,
        availableAt: due,
      })),
    ),
  );
}

/**
 * Something that delivers quantities to a channel (the Amazon connector; Shopify and portals later).
 * It may say why it did not take the figure (no listing for the SKU, no account for the channel):
 * that becomes the publication's status, shown with the ATS, instead of "published".
 */
export interface AtsPublisher {
  publish(args: { shop: string; channelId: string; sku: string; quantity: number | null; action: "set" | "delist" }): Promise<void | { notPublished: string }>;
}

type PublishDeps = { db: Db; logger: Logger; now: () => Date; publisherFor: (channelKind: string) => AtsPublisher | undefined };
type PublicationRow = Awaited<ReturnType<Db["atsPublication"]["findUnique"]>>;

/**
 * Hand one computed ATS to the channel's publisher unless it equals what was last published, and
 * record the outcome.  Nothing is sent twice for the same value.
 */
async function recordAndPublish(deps: PublishDeps, channel: { id: string; shop: string; kind: string }, variant: { id: string; sku: string }, result: AtsResult, prev: PublicationRow) {
  const quantity = result.publish.action === "set" ? result.publish.quantity : null;
  const unchanged = prev?.status === "published" && prev.lastAts === quantity && prev.lastAction === result.publish.action;
  const publisher = deps.publisherFor(channel.kind);
  let status = prev?.status ?? "pending";
  let publishedAt = prev?.lastPublishedAt ?? null;
  if (!unchanged) {
    if (publisher) {
      const outcome = await publisher.publish({ shop: channel.shop, channelId: channel.id, sku: variant.sku, quantity, action: result.publish.action });
      if (outcome?.notPublished) status = `not published: ${outcome.notPublished}`;
      else {
        status = "published";
        publishedAt = deps.now();
      }
    } else {
      status = `computed; no ${channel.kind} connector yet`;
    }
  }
  const data = { lastAts: quantity, lastAction: result.publish.action, lastComputedAt: deps.now(), lastPublishedAt: publishedAt, status, explanation: JSON.stringify(result.explanation) };
  await deps.db.atsPublication.upsert({
    where: { channelId_variantId: { channelId: channel.id, variantId: variant.id } },
    create: { id: randomUUID(), shop: channel.shop, channelId: channel.id, variantId: variant.id, ...data },
    update: data,
  });
  return !unchanged && !!publisher;
}

/** The publish job for one SKU on one channel: compute its ATS now and publish it if it changed. */
export async function publishAts(deps: PublishDeps, args: { channelId: string; variantId: string }) {
  const { db } = deps;
  const channel = await db.channel.findUnique({ where: { id: args.channelId } });
  const variant = await db.variant.findUnique({ where: { id: args.variantId } });
  if (!channel || !variant) return { skipped: "channel or SKU no longer exists" };
  const result = computeAts(toChannelPolicy(channel), await loadSkuStock(db, channel.shop, variant), await listOverrides(db, channel.shop));
  const prev = await db.atsPublication.findUnique({ where: { channelId_variantId: { channelId: channel.id, variantId: variant.id } } });
  const sent = await recordAndPublish(deps, channel, variant, result, prev);
  return { sku: variant.sku, channel: channel.code, ats: result.ats, sent };
}

/**
 * A channel's policy changed, so every SKU's ATS on it may move: one coalesced job for the whole
 * channel (written in the caller's transaction) instead of one per SKU.
 */
export async function markChannelChanged(tx: Q, shop: string, channelId: string, now: Date) {
  const window = Math.floor(now.getTime() / PUBLISH_WINDOW_MS);
  await writeOutbox(tx, {
    shop,
    topic: PUBLISH_CHANNEL_JOB,
    payload: { channelId },
    jobKey: `${shop}|${channelId}|ats`,
    jobDedupeKey: `ats-all:${channelId}:${window}`,
    availableAt: new Date((window + 1) * PUBLISH_WINDOW_MS),
  });
}

/** The whole-channel job: every SKU's stock in a few queries, then publish what changed. */
export async function publishChannelAts(deps: PublishDeps & { signal?: AbortSignal; progress?: (done: number, total: number) => Promise<void> }, args: { channelId: string }) {
  const { db } = deps;
  const channel = await db.channel.findUnique({ where: { id: args.channelId } });
  if (!channel) return { skipped: "channel no longer exists" };
  const policy = toChannelPolicy(channel);
  const [all, overrides, pubs] = await Promise.all([
    loadAllSkuStock(db, channel.shop),
    listOverrides(db, channel.shop),
    db.atsPublication.findMany({ where: { channelId: channel.id } }),
  ]);
  const prevOf = new Map(pubs.map((p) => [p.variantId, p]));
  let sent = 0;
  for (const [i, { variant, stock }] of all.entries()) {
    deps.signal?.throwIfAborted();
    if (await recordAndPublish(deps, channel, variant, computeAts(policy, stock, overrides), prevOf.get(variant.id) ?? null)) sent++;
    if (deps.progress && (i + 1) % 100 === 0) await deps.progress(i + 1, all.length);
  }
  return { channel: channel.code, skus: all.length, sent };
}
