import { randomUUID } from "node:crypto";
import type { SecretBox } from "#app/platform/crypto.server";
import type { Db, DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import type { Logger } from "#app/platform/logger.server";
import { writeOutbox } from "#app/platform/outbox.server";
import { listChannelsWithOverrides } from "#app/modules/inventory/index";
import { DEFAULT_FEATURES, maskSecret, validateAccountInput, type AmazonAccountInput, type AmazonFeatures } from "./domain/account";
import { marketplaceById, type AmazonRegion } from "./domain/marketplaces";
import { clearRetiredFbaLocations, forgetFbaWatermarks, retireFbaMarketplaces } from "./fba.service.server";

/** Tables this area owns that carry a `shop` column (the purge workflow must cover them). */
export const AMAZON_TENANT_MODELS = ["AmazonAccount", "AmazonSyncState", "AmazonListingQuantity", "AmazonFeed", "AmazonShipmentConfirmation"] as const;

/** What the connectors need to call Amazon for one account (unsealed: server-side only, never rendered). */
export interface AmazonCredentials {
  accountId: string;
  shop: string;
  region: AmazonRegion;
  sellerId: string;
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
  marketplaceIds: string[];
}

/**
 * Asks Amazon whether credentials work (an LWA token exchange, then one cheap call), so a wrong
 * secret is named on save, not at the first order poll.  The runtime supplies it from the
 * SP-API client; `message` is shown to the merchant as it is.
 */
export type CredentialCheck = (creds: Omit<AmazonCredentials, "accountId" | "shop">) => Promise<{ ok: true } | { ok: false; field?: string; message: string }>;

export interface AmazonAccountsDeps {
  db: Db;
  secrets: SecretBox;
  now: () => Date;
  logger?: Logger;
  checkCredentials: CredentialCheck;
}

/** Jobs of this area's notification subscriptions (run by app/workflows/amazon-notifications.server.ts). */
export const AMAZON_ENSURE_NOTIFICATIONS_JOB = "amazon.ensureNotifications";
export const AMAZON_DROP_NOTIFICATIONS_JOB = "amazon.dropNotifications";

/** The page's view of an account: no secret leaves the server, only that it is set. */
export interface AmazonAccountView {
  id: string;
  region: AmazonRegion;
  sellerId: string;
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
  marketplaces: { marketplaceId: string; name: string; channelCode: string }[];
  features: AmazonFeatures;
  status: string;
  lastError: string | null;
  validatedAt: string | null;
  disconnectedAt: string | null;
  /**
   * ORDER_CHANGE notifications (the seller's Notifications subscription): `message` says what is
   * wrong or why they are off, in words a person can act on; polling works whatever this says.
   */
  notifications: { status: string; message: string | null; subscriptionId: string | null; checkedAt: string | null };
}

/** Associated data binds a ciphertext to its row and purpose: a sealed value copied onto another account will not open. */
const aad = (shop: string, accountId: string, what: "lwaClientSecret" | "refreshToken") => `amazon:${shop}:${accountId}:${what}`;

type Row = NonNullable<Awaited<ReturnType<Db["amazonAccount"]["findFirst"]>>>;

export function parseFeatures(raw: string): AmazonFeatures {
  try {
    return { ...DEFAULT_FEATURES, ...(JSON.parse(raw) as Partial<AmazonFeatures>) };
  } catch {
    return DEFAULT_FEATURES;
  }
}

export function parseMarketplaces(raw: string): { marketplaceId: string; channelCode: string }[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? (v as { marketplaceId: string; channelCode: string }[]) : [];
  } catch {
    return [];
  }
}

function toView(secrets: SecretBox, row: Row): AmazonAccountView {
  let refresh = "set";
  try {
    refresh = maskSecret(secrets.decrypt(row.refreshTokenEnc, aad(row.shop, row.id, "refreshToken")));
  } catch {
    refresh = "unreadable (re-enter it)";
  }
  return {
    id: row.id,
    region: row.region as AmazonRegion,
    sellerId: row.sellerId,
    lwaClientId: row.lwaClientId,
    lwaClientSecret: "••••",
    refreshToken: refresh,
    marketplaces: parseMarketplaces(row.marketplaces).map((m) => ({ ...m, name: marketplaceById(m.marketplaceId)?.name ?? m.marketplaceId })),
    features: parseFeatures(row.features),
    status: row.status,
    lastError: row.lastError,
    validatedAt: row.validatedAt?.toISOString() ?? null,
    disconnectedAt: row.disconnectedAt?.toISOString() ?? null,
    notifications: { status: row.notificationsStatus, message: row.notificationsMessage, subscriptionId: row.notificationsSubscriptionId, checkedAt: row.notificationsCheckedAt?.toISOString() ?? null },
  };
}

export async function listAmazonAccounts(deps: Pick<AmazonAccountsDeps, "db" | "secrets">, shop: string): Promise<AmazonAccountView[]> {
  const rows = await deps.db.amazonAccount.findMany({ where: { shop }, orderBy: [{ createdAt: "asc" }] });
  return rows.map((r) => toView(deps.secrets, r));
}

/**
 * Connect a seller account, or edit one (`accountId`): check the form, then the credentials with
 * Amazon, then store them sealed.  Nothing is stored when either check fails; the error names the
 * field.  Reconnecting a disconnected account (same region + seller) reuses its row, so watermarks
 * and listing state survive.
 */
export async function saveAmazonAccount(deps: AmazonAccountsDeps, shop: string, input: AmazonAccountInput, accountId?: string): Promise<AmazonAccountView> {
  const existing = accountId ? await deps.db.amazonAccount.findFirst({ where: { shop, id: accountId } }) : null;
  if (accountId && !existing) throw DomainError.notFound(`Amazon account ${accountId}`);
  const { channels } = await listChannelsWithOverrides(deps.db, shop);
  const checked = validateAccountInput(input, { channelKinds: new Map(channels.map((c) => [c.code, c.kind])), editing: existing !== null });
  if (!checked.ok) {
    const [first, ...rest] = checked.problems;
    throw DomainError.invalid(first!.field, first!.message, { problems: [first!, ...rest] });
  }
  const v = checked.value;
  const sameSeller = await deps.db.amazonAccount.findFirst({ where: { shop, region: v.region, sellerId: v.sellerId } });
  if (sameSeller && existing && sameSeller.id !== existing.id) throw DomainError.invalid("sellerId", `seller ${v.sellerId} in ${v.region} is already connected as another account`);
  const row = existing ?? sameSeller;
  const id = row?.id ?? randomUUID();
  const unseal = (what: "lwaClientSecret" | "refreshToken", enc: string | undefined) => (enc ? deps.secrets.decrypt(enc, aad(shop, id, what)) : null);
  const secret = v.lwaClientSecret ?? unseal("lwaClientSecret", row?.lwaClientSecretEnc);
  const refresh = v.refreshToken ?? unseal("refreshToken", row?.refreshTokenEnc);
  if (!secret) throw DomainError.invalid("lwaClientSecret", "the LWA client secret is required");
  if (!refresh) throw DomainError.invalid("refreshToken", "the refresh token is required");

  const verdict = await deps.checkCredentials({ region: v.region, sellerId: v.sellerId, lwaClientId: v.lwaClientId, lwaClientSecret: secret, refreshToken: refresh, marketplaceIds: v.marketplaces.map((m) => m.marketplaceId) });
  if (!verdict.ok) throw DomainError.invalid(verdict.field ?? "credentials", `Amazon refused these credentials: ${verdict.message}`);

  const now = deps.now();
  // Marketplaces keep the order they were first connected in (new ones after): the first is the
  // account's home, whose FBA stock is the "Amazon FBA" location (amazon-fba.server.ts), so adding a
  // marketplace must not change which one that is.
  const before = row ? parseMarketplaces(row.marketplaces).map((m) => m.marketplaceId) : [];
  const rank = (id: string) => (before.includes(id) ? before.indexOf(id) : before.length);
  const marketplaces = v.marketplaces.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m.marketplaceId) - rank(b.m.marketplaceId) || a.i - b.i).map((x) => x.m);
  const homeMoved = before.length > 0 && before[0] !== marketplaces[0]?.marketplaceId;
  const data = {
    region: v.region,
    sellerId: v.sellerId,
    lwaClientId: v.lwaClientId,
    lwaClientSecretEnc: deps.secrets.encrypt(secret, aad(shop, id, "lwaClientSecret")),
    refreshTokenEnc: deps.secrets.encrypt(refresh, aad(shop, id, "refreshToken")),
    marketplaces: JSON.stringify(marketplaces),
    features: JSON.stringify(v.features),
    status: "connected",
    lastError: null,
    validatedAt: now,
    disconnectedAt: null,
    // The ORDER_CHANGE subscription is (re)checked at once: marketplaces, the application or the
    // features may have changed.  The job finds out whether a destination is configured.
    notificationsStatus: "pending",
    notificationsMessage: null,
    notificationsFailures: 0,
  };
  const saved = await deps.db.$transaction(async (tx) => {
    const r = row ? await tx.amazonAccount.update({ where: { id }, data }) : await tx.amazonAccount.create({ data: { id, shop, ...data } });
    if (homeMoved) await forgetFbaWatermarks(tx, shop, id, marketplaces[0]!.marketplaceId);
    // A marketplace removed (or moved off the home location): its FBA figures would stay as they were.
    await retireFbaMarketplaces(tx, shop, id, before, marketplaces.map((m) => m.marketplaceId));
    await writeOutbox(tx, { shop, topic: AMAZON_ENSURE_NOTIFICATIONS_JOB, payload: { shop, accountId: id }, jobKey: `amazon-notifications:${id}` });
    return r;
  });
  try {
    const cleared = await clearRetiredFbaLocations(deps, shop, id);
    if (cleared.length) deps.logger?.info("amazon fba locations cleared", { shop, accountId: id, cleared });
  } catch (e) {
    // Recorded in the transaction above: the account's next FBA read clears them first.
    deps.logger?.warn("amazon fba locations not cleared yet", { shop, accountId: id, err: e instanceof Error ? e.message : String(e) });
  }
  deps.logger?.info("amazon account saved", { shop, accountId: id, region: v.region, sellerId: v.sellerId, marketplaces: v.marketplaces.length, reconnected: row !== null && row.status === "disconnected" });
  return toView(deps.secrets, saved);
}

/**
 * Disconnect: the seller's refresh token is destroyed at once (a disconnected account cannot call
 * Amazon for the seller by accident) and jobs stop; watermarks, listing state and confirmations are
 * kept for a reconnect.  When the seller has an ORDER_CHANGE subscription, the application's LWA
 * client secret is kept sealed until the `amazon.dropNotifications` job has deleted it (a grantless
 * call: the application's credentials, no seller authorisation) and destroyed then; otherwise at once.
 */
export async function disconnectAmazonAccount(deps: Pick<AmazonAccountsDeps, "db" | "now" | "logger" | "secrets">, shop: string, accountId: string): Promise<AmazonAccountView> {
  const row = await deps.db.amazonAccount.findFirst({ where: { shop, id: accountId } });
  if (!row) throw DomainError.notFound(`Amazon account ${accountId}`);
  const subscribed = row.notificationsSubscriptionId !== null && row.lwaClientSecretEnc !== "";
  const saved = await deps.db.$transaction(async (tx) => {
    const r = await tx.amazonAccount.update({
      where: { id: row.id },
      data: subscribed
        ? { status: "disconnected", disconnectedAt: deps.now(), refreshTokenEnc: "", notificationsStatus: "unsubscribing", notificationsMessage: null }
        : { status: "disconnected", disconnectedAt: deps.now(), lwaClientSecretEnc: "", refreshTokenEnc: "", notificationsStatus: "off", notificationsMessage: null },
    });
    if (subscribed) await writeOutbox(tx, { shop, topic: AMAZON_DROP_NOTIFICATIONS_JOB, payload: { shop, accountId: row.id }, jobKey: `amazon-notifications:${row.id}` });
    return r;
  });
  deps.logger?.info("amazon account disconnected", { shop, accountId, unsubscribing: subscribed });
  return toView(deps.secrets, saved);
}

/**
 * What the disconnect's job needs to delete the seller's subscription: the application's
 * credentials (still sealed while the account is `unsubscribing`) and the subscription id.  Null
 * when there is nothing to do: reconnected meanwhile, or already done.
 */
export async function notificationsDropTarget(deps: Pick<AmazonAccountsDeps, "db" | "secrets">, shop: string, accountId: string) {
  const row = await deps.db.amazonAccount.findFirst({ where: { shop, id: accountId } });
  if (!row || row.status !== "disconnected" || !row.notificationsSubscriptionId || row.lwaClientSecretEnc === "") return null;
  return {
    accountId: row.id,
    region: row.region as AmazonRegion,
    sellerId: row.sellerId,
    lwaClientId: row.lwaClientId,
    lwaClientSecret: deps.secrets.decrypt(row.lwaClientSecretEnc, aad(shop, row.id, "lwaClientSecret")),
    subscriptionId: row.notificationsSubscriptionId,
  };
}

/**
 * The end of a disconnect's unsubscribe: the application secret is destroyed (if the account is
 * still disconnected) and the outcome recorded — `off`, or `unsubscribe_failed` with what a person
 * can do about a subscription Amazon still has.
 */
export async function finishNotificationsDrop(db: Db, shop: string, accountId: string, outcome: { ok: true } | { ok: false; message: string }, now: Date) {
  await db.amazonAccount.updateMany({
    where: { shop, id: accountId, status: "disconnected" },
    data: {
      lwaClientSecretEnc: "",
      notificationsCheckedAt: now,
      ...(outcome.ok
        ? { notificationsStatus: "off", notificationsSubscriptionId: null, notificationsDestinationId: null, notificationsMessage: null, notificationsFailures: 0 }
        : { notificationsStatus: "unsubscribe_failed", notificationsMessage: outcome.message.slice(0, 1000) }),
    },
  });
}

/** Record a failure the merchant must act on (credentials revoked, seller suspended): shown on the page. */
export async function markAmazonAccountError(db: Db, shop: string, accountId: string, message: string) {
  await db.amazonAccount.updateMany({ where: { shop, id: accountId, status: { not: "disconnected" } }, data: { status: "error", lastError: message.slice(0, 500) } });
}

/** Unsealed credentials of a connected account, for a job.  Disconnected or unknown → NOT_FOUND (the job stops). */
export async function amazonCredentials(deps: Pick<AmazonAccountsDeps, "db" | "secrets">, shop: string, accountId: string): Promise<AmazonCredentials & { features: AmazonFeatures; marketplaces: { marketplaceId: string; channelCode: string }[] }> {
  const row = await deps.db.amazonAccount.findFirst({ where: { shop, id: accountId } });
  if (!row || row.status === "disconnected") throw DomainError.notFound(`connected Amazon account ${accountId}`);
  const marketplaces = parseMarketplaces(row.marketplaces);
  return {
    accountId: row.id,
    shop,
    region: row.region as AmazonRegion,
    sellerId: row.sellerId,
    lwaClientId: row.lwaClientId,
    lwaClientSecret: deps.secrets.decrypt(row.lwaClientSecretEnc, aad(shop, row.id, "lwaClientSecret")),
    refreshToken: deps.secrets.decrypt(row.refreshTokenEnc, aad(shop, row.id, "refreshToken")),
    marketplaceIds: marketplaces.map((m) => m.marketplaceId),
    marketplaces,
    features: parseFeatures(row.features),
  };
}

/** Connected accounts of every shop (the schedulers' list). */
export async function connectedAmazonAccounts(db: Db) {
  return db.amazonAccount.findMany({ where: { status: { in: ["connected", "error"] } }, select: { id: true, shop: true, features: true } });
}

export async function purgeAmazonData(tx: DbTx, shop: string) {
  let count = 0;
  count += (await tx.amazonShipmentConfirmation.deleteMany({ where: { shop } })).count;
  count += (await tx.amazonFeed.deleteMany({ where: { shop } })).count;
  count += (await tx.amazonListingQuantity.deleteMany({ where: { shop } })).count;
  count += (await tx.amazonSyncState.deleteMany({ where: { shop } })).count;
  count += (await tx.amazonAccount.deleteMany({ where: { shop } })).count;
  return count;
}
