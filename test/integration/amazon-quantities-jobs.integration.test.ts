import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, expect, it } from "vitest";
import { FBA_LOCATION_NAME } from "#connectors/amazon/mappers/index";
import { startAmazonSandbox, type AmazonSandbox } from "#connectors/amazon/sandbox/index";
import { saveAmazonAccount } from "#app/modules/amazon/index";
import { PUBLISH_ATS_JOB } from "#app/modules/inventory/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { AMAZON_FBA_SYNC_JOB } from "#app/workflows/amazon-fba.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { makeChannel, makeLocation, makeSku, setStock } from "#test/support/inventory";
import { testRuntime } from "#test/support/runtime";

/**
 * The jobs as the app runs them: the real runtime (AMAZON_SANDBOX_URL → runtime.amazon.clientFor
 * reaches the peer) with the app's job registration, the outbox relay and the job runner, real time.
 * inventory.publishAts job → amazon publisher → outbox (one push per window) → amazon.pushQuantities → peer; and
 * the recurring FBA run → one amazon.syncFbaInventory per account → the Amazon FBA location.
 */
const SHOP = "amz-jobs.myshopify.com";
const SELLER = "A2TESTSELLER01";
const US = "ATVPDKIKX0DER";

describeEachDatabase("Amazon quantity jobs", (tdb) => {
  let peer: AmazonSandbox;
  let rt: AppRuntime;

  beforeEach(async () => {
    await truncateAll(tdb().handle);
    peer = await startAmazonSandbox({
      sellerId: SELLER,
      marketplaces: [US],
      timings: { feedQueueMs: 10, feedProcessMs: 10 },
      seed: { listings: [{ sku: "J-TEE", quantity: 0 }, { sku: "J-CAP", quantity: 0 }], fba: [{ sku: "J-CAP", fulfillable: 31 }] },
    });
    // bootRuntime → registerJobs → registerAmazonQuantityJobs, and the "amazon" ATS publisher in PUBLISHERS.
    rt = testRuntime(tdb().url, { AMAZON_SANDBOX_URL: peer.url });
  });

  afterEach(async () => {
    await rt?.close();
    await peer?.close();
  });

  it("an ATS change reaches Amazon through the outbox window and the push job; the recurring FBA run fills the Amazon FBA location", async () => {
    const { db } = rt;
    const w = await makeLocation(db, SHOP, "West");
    const channel = await makeChannel(db, SHOP, "amazon-us", [w.id]);
    const variants: Record<string, string> = {};
    for (const [sku, stock] of [["TEE", 12], ["CAP", 4]] as const) {
      const v = await makeSku(db, SHOP, sku);
      variants[sku] = v.id;
      await setStock(db, SHOP, v.id, w.id, stock);
      await db.channelListing.create({ data: { id: randomUUID(), shop: SHOP, channelId: channel.id, variantId: v.id, externalSku: `J-${sku}` } });
    }
    await saveAmazonAccount({ db, secrets: rt.secrets, now: rt.now, checkCredentials: async () => ({ ok: true }) }, SHOP, {
      region: "na",
      sellerId: SELLER,
      lwaClientId: peer.lwa.clientId,
      lwaClientSecret: peer.lwa.clientSecret,
      refreshToken: peer.lwa.refreshToken,
      marketplaces: [{ marketplaceId: US, channelCode: "amazon-us" }],
      features: {},
    });

    // The inventory module's ATS job, as a stock change queues it, with the app's publishers.
    for (const id of Object.values(variants)) await rt.runner.add(PUBLISH_ATS_JOB, { channelId: channel.id, variantId: id }, { shop: SHOP });
    await rt.runner.drain();
    expect((await db.atsPublication.findMany({ where: { shop: SHOP } })).map((p) => p.status)).toEqual(["published", "published"]);
    // The push waits for its window to close (AMAZON_PUSH_WINDOW_MS), then runs once for both SKUs.
    const deadline = Date.now() + 15_000;
    while (peer.state.catalog.mfnQuantity("J-CAP") !== 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      await rt.relay.runOnce();
      await rt.runner.drain();
    }
    expect([peer.state.catalog.mfnQuantity("J-TEE"), peer.state.catalog.mfnQuantity("J-CAP")]).toEqual([12, 4]);
    const pushes = await db.job.findMany({ where: { name: "amazon.pushQuantities" } });
    expect(pushes.map((j) => j.status)).toEqual(["completed"]);
    expect(peer.stats().operations.patchListingsItem?.calls).toBe(2);

    // The recurring run has no account: it fans out one sync per account with FBA on.
    await rt.runner.add(AMAZON_FBA_SYNC_JOB, {});
    await rt.runner.drain();
    await rt.runner.drain();
    const fba = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: FBA_LOCATION_NAME } });
    expect(fba).toMatchObject({ kind: "marketplace", readOnly: true });
    expect((await db.inventoryLevel.findFirstOrThrow({ where: { locationId: fba.id, variantId: variants.CAP } })).available).toBe(31);
    expect((await db.job.findMany({ where: { name: AMAZON_FBA_SYNC_JOB } })).map((j) => j.status)).toEqual(["completed", "completed"]);
  });
});
