import { randomUUID } from "node:crypto";
import type { Db } from "#app/platform/db/client.server";
import { writeOutboxMany } from "#app/platform/outbox.server";
import { AMAZON_ENSURE_NOTIFICATIONS_JOB, parseFeatures, parseMarketplaces } from "./accounts.service.server";
import { notificationsDue, type NotificationsStatus, type SharingAccount } from "./domain/notifications";

/**
 * The hub's side of ORDER_CHANGE notifications (docs/decisions/015-amazon-notifications-sqs.md):
 * the application's destinations (AmazonNotificationDestination, one per LWA application and region,
 * written by `oms amazon-destination`) and each account's subscription state (AmazonAccount.notifications*).
 * The calls to Amazon are app/workflows/amazon-notifications.server.ts.
 */

export interface NotificationDestinationRow {
  lwaClientId: string;
  region: string;
  destinationId: string;
  sqsArn: string;
  name: string;
  updatedAt: string;
}

export async function findNotificationDestination(db: Db, lwaClientId: string, region: string): Promise<NotificationDestinationRow | null> {
  const row = await db.amazonNotificationDestination.findUnique({ where: { lwaClientId_region: { lwaClientId, region } } });
  return row ? { lwaClientId: row.lwaClientId, region: row.region, destinationId: row.destinationId, sqsArn: row.sqsArn, name: row.name, updatedAt: row.updatedAt.toISOString() } : null;
}

export async function listNotificationDestinations(db: Db): Promise<NotificationDestinationRow[]> {
  const rows = await db.amazonNotificationDestination.findMany({ orderBy: [{ region: "asc" }, { lwaClientId: "asc" }] });
  return rows.map((row) => ({ lwaClientId: row.lwaClientId, region: row.region, destinationId: row.destinationId, sqsArn: row.sqsArn, name: row.name, updatedAt: row.updatedAt.toISOString() }));
}

/**
 * Record the application's destination in a region, and have every live account connected through
 * that application there checked at once (their subscriptions must point at it).  Returns how many.
 */
export async function saveNotificationDestination(db: Db, d: { lwaClientId: string; region: string; destinationId: string; sqsArn: string; name: string }): Promise<{ accounts: number }> {
  return db.$transaction(async (tx) => {
    await tx.amazonNotificationDestination.upsert({
      where: { lwaClientId_region: { lwaClientId: d.lwaClientId, region: d.region } },
      create: { id: randomUUID(), ...d },
      update: { destinationId: d.destinationId, sqsArn: d.sqsArn, name: d.name },
    });
    const accounts = await tx.amazonAccount.findMany({ where: { lwaClientId: d.lwaClientId, region: d.region, status: { in: ["connected", "error"] } }, select: { id: true, shop: true } });
    if (accounts.length) {
      await tx.amazonAccount.updateMany({ where: { id: { in: accounts.map((a) => a.id) } }, data: { notificationsStatus: "pending", notificationsFailures: 0 } });
      await writeOutboxMany(tx, accounts.map((a) => ({ shop: a.shop, topic: AMAZON_ENSURE_NOTIFICATIONS_JOB, payload: { shop: a.shop, accountId: a.id }, jobKey: `amazon-notifications:${a.id}` })));
    }
    return { accounts: accounts.length };
  });
}

/** The LWA applications and regions of live accounts: where destinations are needed. */
export async function applicationsInUse(db: Db): Promise<{ lwaClientId: string; region: string; accounts: { id: string; shop: string }[] }[]> {
  const rows = await db.amazonAccount.findMany({ where: { status: { in: ["connected", "error"] } }, select: { id: true, shop: true, lwaClientId: true, region: true }, orderBy: { createdAt: "asc" } });
  const byApp = new Map<string, { lwaClientId: string; region: string; accounts: { id: string; shop: string }[] }>();
  for (const r of rows) {
    const key = `${r.lwaClientId}|${r.region}`;
    const entry = byApp.get(key) ?? { lwaClientId: r.lwaClientId, region: r.region, accounts: [] };
    entry.accounts.push({ id: r.id, shop: r.shop });
    byApp.set(key, entry);
  }
  return [...byApp.values()];
}

export interface NotificationsState {
  status: NotificationsStatus;
  subscriptionId: string | null;
  destinationId: string | null;
  failures: number;
}

export async function loadNotificationsState(db: Db, shop: string, accountId: string): Promise<NotificationsState | null> {
  const row = await db.amazonAccount.findFirst({ where: { shop, id: accountId }, select: { notificationsStatus: true, notificationsSubscriptionId: true, notificationsDestinationId: true, notificationsFailures: true } });
  return row ? { status: row.notificationsStatus as NotificationsStatus, subscriptionId: row.notificationsSubscriptionId, destinationId: row.notificationsDestinationId, failures: row.notificationsFailures } : null;
}

/** After a check: what the account's subscription now is, and what a person should know. */
export async function recordNotificationsState(
  db: Db,
  shop: string,
  accountId: string,
  state: { status: "off" | "subscribed" | "failed"; subscriptionId?: string | null; destinationId?: string | null; message: string | null },
  now: Date,
) {
  await db.amazonAccount.updateMany({
    // A disconnect that happened meanwhile owns the row's notification state from then on.
    where: { shop, id: accountId, status: { not: "disconnected" } },
    data: {
      notificationsStatus: state.status,
      ...(state.subscriptionId !== undefined ? { notificationsSubscriptionId: state.subscriptionId } : {}),
      ...(state.destinationId !== undefined ? { notificationsDestinationId: state.destinationId } : {}),
      notificationsMessage: state.message?.slice(0, 1000) ?? null,
      notificationsCheckedAt: now,
      notificationsFailures: state.status === "failed" ? { increment: 1 } : 0,
    },
  });
}

/** What identifies the one ORDER_CHANGE subscription Amazon keeps: the seller, through one application, in one region. */
export interface SubscriptionKey {
  sellerId: string;
  region: string;
  lwaClientId: string;
}

export interface SubscriptionGroupMember extends SharingAccount {
  shop: string;
  notificationsStatus: string;
  subscriptionId: string | null;
}

/**
 * The live accounts (any shop) that share the seller's subscription: the same seller, region and
 * LWA application.  Within one shop a seller and region is one account, so several members means
 * several shops connected to the same seller.  Oldest first.
 */
export async function subscriptionGroup(db: Db, key: SubscriptionKey): Promise<SubscriptionGroupMember[]> {
  const rows = await db.amazonAccount.findMany({
    where: { sellerId: key.sellerId, region: key.region, lwaClientId: key.lwaClientId, status: { in: ["connected", "error"] } },
    select: { id: true, shop: true, features: true, marketplaces: true, notificationsStatus: true, notificationsSubscriptionId: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({
    id: r.id,
    shop: r.shop,
    ordersOn: parseFeatures(r.features).orders,
    marketplaceIds: parseMarketplaces(r.marketplaces).map((m) => m.marketplaceId),
    notificationsStatus: r.notificationsStatus,
    subscriptionId: r.notificationsSubscriptionId,
  }));
}

/**
 * After one account's check made or found the group's subscription: the other accounts that rely on
 * it (orders on, subscribed) record its id too, so a later disconnect deletes the subscription that
 * exists, not one replaced meanwhile.
 */
export async function shareSubscription(db: Db, accountIds: string[], s: { subscriptionId: string; destinationId: string }) {
  if (accountIds.length === 0) return;
  await db.amazonAccount.updateMany({
    where: { id: { in: accountIds }, status: { in: ["connected", "error"] }, notificationsStatus: "subscribed" },
    data: { notificationsSubscriptionId: s.subscriptionId, notificationsDestinationId: s.destinationId },
  });
}

/**
 * Have accounts' subscriptions checked at the next scheduler run (pending): after one of the group
 * leaves (a disconnect, orders switched off), the subscription is narrowed to what the others need.
 */
export async function recheckNotifications(db: Db, accountIds: string[]) {
  if (accountIds.length === 0) return;
  await db.amazonAccount.updateMany({ where: { id: { in: accountIds }, status: { in: ["connected", "error"] } }, data: { notificationsStatus: "pending", notificationsFailures: 0 } });
}

/** Live accounts whose subscription should be checked now (pending, a failure's retry time, the daily check). */
export async function accountsDueForNotifications(db: Db, now: Date): Promise<{ id: string; shop: string }[]> {
  const rows = await db.amazonAccount.findMany({
    where: { status: { in: ["connected", "error"] } },
    select: { id: true, shop: true, notificationsStatus: true, notificationsCheckedAt: true, notificationsFailures: true },
  });
  return rows.filter((r) => notificationsDue({ status: r.notificationsStatus, checkedAt: r.notificationsCheckedAt, failures: r.notificationsFailures }, now)).map((r) => ({ id: r.id, shop: r.shop }));
}

/** Notifications of one shop as the pages show them: per account, and what arrived in the last 24 h. */
export async function amazonNotificationsOverview(db: Db, shop: string, now: Date) {
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const [accounts, byStatus, newest] = await Promise.all([
    db.amazonAccount.findMany({
      where: { shop },
      orderBy: { createdAt: "asc" },
      select: { id: true, sellerId: true, region: true, status: true, notificationsStatus: true, notificationsMessage: true, notificationsSubscriptionId: true, notificationsCheckedAt: true },
    }),
    db.inboundEvent.groupBy({ by: ["status"], where: { shop, source: "amazon.notification", receivedAt: { gte: dayAgo, lte: now } }, _count: { _all: true } }),
    db.inboundEvent.findFirst({ where: { shop, source: "amazon.notification" }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
  ]);
  return {
    accounts: accounts.map((a) => ({
      accountId: a.id,
      sellerId: a.sellerId,
      region: a.region,
      accountStatus: a.status,
      status: a.notificationsStatus,
      message: a.notificationsMessage,
      subscriptionId: a.notificationsSubscriptionId,
      checkedAt: a.notificationsCheckedAt?.toISOString() ?? null,
    })),
    lastReceivedAt: newest?.receivedAt.toISOString() ?? null,
    last24h: Object.fromEntries(byStatus.map((g) => [g.status, g._count._all])) as Record<string, number>,
  };
}
export type AmazonNotificationsOverview = Awaited<ReturnType<typeof amazonNotificationsOverview>>;
