/**
 * The real amazon-sp-api 1.2.1 against the peer, through the client's sandbox agent (every Amazon host
 * → this port): what the library actually sends (LWA JSON body, comma-joined arrays, encoded SKUs,
 * presigned PUT/GET) is what the peer answers, and what the peer answers is what the library parses
 * (including the 403 "…has expired." refresh and a 429 it must not retry with our settings).
 */
import { SellingPartner } from "amazon-sp-api";
import { afterEach, describe, expect, it } from "vitest";
import { sandboxAgent } from "../client/sandbox-agent";
import { buildListingsFeeds, quantityPatchBody } from "../mappers/listings";
import { mapProcessingReport } from "../mappers/reports";
import { startAmazonSandbox, type AmazonSandbox } from "./server";

const US = "ATVPDKIKX0DER";
const SELLER = "A3TH9S8BH6GOGM";
const peers: AmazonSandbox[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function setup(opts: Parameters<typeof startAmazonSandbox>[0]["limits"] = {}) {
  const peer = await startAmazonSandbox({ sellerId: SELLER, marketplaces: [US], timings: { feedQueueMs: 20, feedProcessMs: 20 }, limits: opts });
  peers.push(peer);
  const sp = new SellingPartner({
    region: "na",
    refresh_token: peer.lwa.refreshToken,
    credentials: { SELLING_PARTNER_APP_CLIENT_ID: peer.lwa.clientId, SELLING_PARTNER_APP_CLIENT_SECRET: peer.lwa.clientSecret },
    endpoints_versions: { orders: "2026-01-01", listingsItems: "2021-08-01", feeds: "2021-06-30", fbaInventory: "v1" },
    options: { auto_request_throttled: false, retry_remote_timeout: false, version_fallback: false, https_proxy_agent: sandboxAgent(peer.url) },
  } as ConstructorParameters<typeof SellingPartner>[0]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (params: Record<string, unknown>) => (sp as any).callAPI(params) as Promise<any>;
  return { peer, sp, call };
}

describe("amazon-sp-api 1.2.1 against the peer", () => {
  it("gets an LWA token, searches and reads orders, confirms a shipment on v0, and refreshes once on an expired token", async () => {
    const { peer, call } = await setup();
    const [o] = peer.generateOrders(1, { fulfilledBy: "MERCHANT", skus: [{ sku: "TEE-M", quantity: 1 }] });
    const search = await call({ operation: "orders.searchOrders", query: { createdAfter: new Date(Date.now() - 3_600_000).toISOString(), marketplaceIds: [US], includedData: ["FULFILLMENT", "RECIPIENT"] } });
    // The order was created just now: inside the window only once it is two minutes old.
    expect(search.orders).toEqual([]);
    expect(peer.stats().tokensIssued).toBe(1);

    const got = await call({ operation: "orders.getOrder", path: { orderId: o!.orderId }, query: { includedData: ["FULFILLMENT"] } });
    expect(got.order).toMatchObject({ orderId: o!.orderId, fulfillment: { fulfillmentStatus: "UNSHIPPED", fulfilledBy: "MERCHANT" } });

    peer.expireAccessTokens();
    const confirmed = await call({
      operation: "orders.confirmShipment",
      path: { orderId: o!.orderId },
      body: { marketplaceId: US, packageDetail: { packageReferenceId: "1", carrierCode: "UPS", trackingNumber: "1Z1", shipDate: new Date().toISOString(), orderItems: [{ orderItemId: o!.items[0]!.orderItemId, quantity: 1 }] } },
      options: { version: "v0" },
    });
    expect(confirmed).toEqual({ success: true });
    expect(peer.stats().tokensIssued).toBe(2); // one refresh after the 403 "…has expired."
    expect(peer.state.orders.get(o!.orderId)!.status).toBe("SHIPPED");
  });

  it("patches a quantity (merge on fulfillment_availability) and reads it back", async () => {
    const { peer, call } = await setup();
    const r = await call({ operation: "listingsItems.patchListingsItem", path: { sellerId: SELLER, sku: "CAP" }, query: { marketplaceIds: [US] }, body: quantityPatchBody(12) });
    expect(r).toMatchObject({ sku: "CAP", status: "ACCEPTED" });
    const got = await call({ operation: "listingsItems.getListingsItem", path: { sellerId: SELLER, sku: "CAP" }, query: { marketplaceIds: [US], includedData: ["fulfillmentAvailability"] } });
    expect(got.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: "DEFAULT", quantity: 12 }]);
    expect(peer.state.catalog.quantityUpdates.at(-1)).toMatchObject({ sku: "CAP", quantity: 12 });
  });

  it("runs a JSON_LISTINGS_FEED end to end: document, upload, feed, poll, report download", async () => {
    const { peer, sp, call } = await setup();
    const built = buildListingsFeeds({ sellerId: SELLER, changes: [{ sku: "TEE-S", ats: 3 }, { sku: "GHOST", ats: 1 }] });
    const doc = await call({ operation: "feeds.createFeedDocument", body: { contentType: "application/json; charset=UTF-8" } });
    await sp.upload(doc, { content: JSON.stringify(built.feeds[0]), contentType: "application/json; charset=UTF-8" });
    const { feedId } = await call({ operation: "feeds.createFeed", body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [US], inputFeedDocumentId: doc.feedDocumentId } });
    await peer.settleFeeds();
    const feed = await call({ operation: "feeds.getFeed", path: { feedId } });
    expect(feed.processingStatus).toBe("DONE");
    const resultDoc = await call({ operation: "feeds.getFeedDocument", path: { feedDocumentId: feed.resultFeedDocumentId } });
    const report = await sp.download(resultDoc, { json: true });
    const mapped = mapProcessingReport(report, built.feeds[0]);
    expect(mapped.acceptedSkus).toEqual(["TEE-S"]);
    expect(mapped.rejectedSkus).toEqual(["GHOST"]);
    expect(peer.state.catalog.mfnQuantity("TEE-S")).toBe(3);
  });

  it("reads FBA summaries, and a 429 reaches the caller as QuotaExceeded (no built-in retry)", async () => {
    const { call } = await setup({ getInventorySummaries: { burst: 1, rate: 0.001 } });
    const page = await call({ operation: "fbaInventory.getInventorySummaries", query: { details: true, granularityType: "Marketplace", granularityId: US, marketplaceIds: [US] } });
    expect(page.inventorySummaries.map((s: { sellerSku: string }) => s.sellerSku)).toEqual(["CAP", "TEE-M"]);
    await expect(call({ operation: "fbaInventory.getInventorySummaries", query: { details: true, granularityType: "Marketplace", granularityId: US, marketplaceIds: [US] } })).rejects.toMatchObject({ code: "QuotaExceeded" });
  });
});
