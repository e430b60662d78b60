import type http from "node:http";
import { FBA_LOCATION_NAME } from "#connectors/amazon/mappers/index";
import { startAmazonSandbox, type AmazonSandbox, type AmazonSandboxSeed } from "#connectors/amazon/sandbox/index";
import { listAmazonAccounts, saveAmazonAccount } from "#app/modules/amazon/index";
import type { Db } from "#app/platform/db/client.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { PUBLISH_CHANNEL_JOB } from "#app/modules/inventory/index";
import { AMAZON_FBA_SYNC_JOB } from "#app/workflows/amazon-fba.server";
import { acceptOrderChangeNotification } from "#app/workflows/amazon-orders.server";

/**
 * The Amazon side of `./oms demo`: the SP-API sandbox peer (connectors/amazon/sandbox) as the
 * demo seller's Amazon.com account, and that account connected in the hub through the same
 * connect flow a merchant uses (credentials checked with the peer's LWA endpoint, stored sealed).
 * AMAZON_SANDBOX_URL makes every Amazon call of the runtime go to the peer.
 */
export const DEMO_SELLER_ID = "A2DEMOSELLER01";
export const DEMO_MARKETPLACE = "ATVPDKIKX0DER"; // Amazon.com
const DEMO_CHANNEL = "amazon-us";

/** The seller's Amazon.com listings: the hub's amazon-us listings (seller SKUs DO-…), with a few stocked at FBA. */
export async function amazonSeedFromHub(db: Db, shop: string): Promise<AmazonSandboxSeed> {
  const channel = await db.channel.findFirst({ where: { shop, code: DEMO_CHANNEL } });
  if (!channel) return { listings: [] };
  const listings = await db.channelListing.findMany({ where: { shop, channelId: channel.id }, orderBy: { externalSku: "asc" } });
  const variants = new Map((await db.variant.findMany({ where: { shop, id: { in: listings.map((l) => l.variantId) } }, select: { id: true, title: true } })).map((v) => [v.id, v.title]));
  const fbaLocation = await db.location.findFirst({ where: { shop, name: FBA_LOCATION_NAME }, select: { id: true } });
  const fbaUnits = new Map(fbaLocation ? (await db.inventoryLevel.findMany({ where: { shop, locationId: fbaLocation.id, available: { gt: 0 } }, select: { variantId: true, available: true } })).map((l) => [l.variantId, l.available]) : []);
  return {
    // Amazon shows what was last published there: a stale 10 each, until the hub publishes its ATS.
    listings: listings.map((l) => ({ sku: l.externalSku, ...(l.externalId ? { asin: l.externalId } : {}), title: variants.get(l.variantId) ?? l.externalSku, price: "48.00", quantity: 10 })),
    // Amazon's warehouses hold what the hub's read-only "Amazon FBA" location was seeded with, so
    // the first FBA read agrees; from then on Amazon is the truth for it.
    fba: listings.flatMap((l, i) => {
      const units = fbaUnits.get(l.variantId);
      return units ? [{ sku: l.externalSku, fulfillable: units, inboundShipped: i % 3 === 0 ? 12 : 0 }] : [];
    }),
  };
}

export interface DemoAmazon {
  peer: AmazonSandbox;
  startOrders(everyMs: number): void;
  stop(): Promise<void>;
}

export async function startDemoAmazon(runtime: AppRuntime, opts: { listener: http.Server }): Promise<DemoAmazon> {
  const shop = runtime.env.SANDBOX_SHOP;
  const log = runtime.logger.child({ component: "demo-peers" });
  const seed = await amazonSeedFromHub(runtime.db, shop);
  // Amazon delivers ORDER_CHANGE notifications through an SQS queue the seller subscribes; the demo
  // hands the peer's message bodies straight to the same entry point an SQS poller would call.
  const notify = (body: unknown) =>
    void acceptOrderChangeNotification({ db: runtime.db, logger: runtime.logger, now: runtime.now }, body).catch((e: unknown) => log.warn("amazon notification not accepted", { err: e }));
  const peer = await startAmazonSandbox({ listener: opts.listener, sellerId: DEMO_SELLER_ID, marketplaces: [DEMO_MARKETPLACE], seed, randomSeed: 7, onNotification: notify });
  log.info("Amazon sandbox peer listening", { url: peer.url, listings: seed.listings.length, fbaSkus: seed.fba?.length ?? 0 });
  // Connect the demo seller as a merchant would (the LWA check included), without holding up the
  // demo: on a busy first start (seeding publishes thousands of ATS figures through synchronous
  // SQLite) the check can miss its 10 s budget, so it is retried in the background.
  let stopped = false;
  let stream: { stop(): void } | null = null;
  let wantOrdersEveryMs = 0;
  let accountId: string | null = null;
  const connect = async () => {
    const existing = (await listAmazonAccounts(runtime, shop)).find((a) => a.sellerId === DEMO_SELLER_ID && a.region === "na");
    const account = await saveAmazonAccount(
      { db: runtime.db, secrets: runtime.secrets, now: runtime.now, logger: runtime.logger, checkCredentials: runtime.amazon.checkCredentials },
      shop,
      {
        region: "na",
        sellerId: DEMO_SELLER_ID,
        lwaClientId: peer.lwa.clientId,
        lwaClientSecret: peer.lwa.clientSecret,
        refreshToken: peer.lwa.refreshToken,
        marketplaces: [{ marketplaceId: DEMO_MARKETPLACE, channelCode: DEMO_CHANNEL }],
        features: {},
      },
      existing?.id,
    );
    accountId = account.id;
    log.info("Amazon sandbox seller connected", { accountId: account.id, sellerId: account.sellerId });
    // A new connection publishes every listing's ATS once (a feed: hundreds of SKUs) and reads FBA stock.
    const channel = await runtime.db.channel.findFirst({ where: { shop, code: DEMO_CHANNEL }, select: { id: true } });
    if (channel) await runtime.runner.add(PUBLISH_CHANNEL_JOB, { channelId: channel.id }, { shop, dedupeKey: `demo-publish:${channel.id}:${runtime.now().toISOString().slice(0, 13)}` });
    await runtime.runner.add(AMAZON_FBA_SYNC_JOB, { shop, accountId: account.id }, { shop });
  };
  const startStream = () => {
    if (wantOrdersEveryMs <= 0 || stream || !accountId || stopped) return;
    stream = peer.startOrderStream({ everyMs: wantOrdersEveryMs, marketplaceId: DEMO_MARKETPLACE });
    log.info("Amazon sandbox: orders arrive on Amazon.com", { everyMs: wantOrdersEveryMs });
  };
  void (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await connect();
        startStream();
        return;
      } catch (e) {
        log.warn("Amazon sandbox seller not connected yet; retrying", { attempt, err: e });
        await new Promise((r) => setTimeout(r, Math.min(30_000, 2_000 * attempt)));
      }
    }
  })();
  return {
    peer,
    /** Orders start once the seller is connected (and not before `startOrders`). */
    startOrders(everyMs) {
      wantOrdersEveryMs = everyMs;
      startStream();
    },
    async stop() {
      stopped = true;
      stream?.stop();
      await peer.close();
    },
  };
}
