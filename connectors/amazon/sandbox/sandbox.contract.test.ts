/**
 * The Amazon sandbox peer over real HTTP: LWA tokens, every operation, 429 without the rate header,
 * expiring tokens (access, pagination, FBA nextToken, document URLs), asynchronous feeds ending DONE
 * with a processing report or FATAL, and answers shaped like Amazon's published examples.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startAmazonSandbox, type AmazonSandbox, type AmazonSandboxConfig } from "./server";
import { fakeClock, lwaToken, shapeDifferences, spApi } from "./test-fixtures";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/sp-api/${name}`, import.meta.url), "utf8"));
const US = "ATVPDKIKX0DER";
const SELLER = "A3TH9S8BH6GOGM";
const ALL_FIXTURE_DATA = ["BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES"];

const peers: AmazonSandbox[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function start(over: Partial<AmazonSandboxConfig> = {}) {
  const clock = fakeClock();
  const peer = await startAmazonSandbox({ sellerId: SELLER, marketplaces: [US, "A2EUQ1WTGCTBG2"], clock: clock.now, timings: { feedQueueMs: 30, feedProcessMs: 30 }, ...over });
  peers.push(peer);
  const token = peer.issueAccessToken();
  return { peer, clock, sp: spApi(peer, token), token };
}

describe("LWA token endpoint", () => {
  it("issues access tokens for the refresh_token grant amazon-sp-api sends, and refuses bad clients, grants and bodies", async () => {
    const { peer } = await start({ lwa: { accessTokenTtlSeconds: 600 } });
    const good = { client_id: peer.lwa.clientId, client_secret: peer.lwa.clientSecret, grant_type: "refresh_token", refresh_token: peer.lwa.refreshToken };
    const ok = await lwaToken(peer, good);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "bearer", expires_in: 600, refresh_token: peer.lwa.refreshToken });
    expect(ok.body.access_token).toMatch(/^Atza\|/);
    // LWA's documented form encoding works as well.
    expect((await lwaToken(peer, new URLSearchParams(good).toString(), "application/x-www-form-urlencoded")).status).toBe(200);
    expect(await lwaToken(peer, { ...good, client_secret: "wrong" })).toEqual({ status: 401, body: { error: "invalid_client", error_description: "Client authentication failed" } });
    expect(await lwaToken(peer, { ...good, refresh_token: "Atzr|revoked" })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await lwaToken(peer, { ...good, grant_type: "password" })).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    expect(await lwaToken(peer, "{not json")).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await lwaToken(peer, { client_id: peer.lwa.clientId, client_secret: peer.lwa.clientSecret })).toMatchObject({ status: 400, body: { error: "invalid_request" } });

    const sp = spApi(peer, ok.body.access_token);
    const r = await sp("GET", "/orders/2026-01-01/orders/111-0000000-0000000");
    expect(r.status).toBe(404); // authorised: the order simply does not exist
  });

  it("answers 403 with Amazon's texts for unknown and expired tokens (the text amazon-sp-api refreshes on)", async () => {
    const { peer, clock, sp } = await start({ lwa: { accessTokenTtlSeconds: 60 } });
    const unknown = await spApi(peer, "Atza|forged")("GET", "/orders/2026-01-01/orders/x");
    expect(unknown.status).toBe(403);
    expect(unknown.body.errors[0]).toEqual({ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided is revoked, malformed or invalid." });
    expect(unknown.headers.get("x-amzn-ratelimit-limit")).toBeNull();

    clock.advance(61_000);
    const expired = await sp("GET", "/orders/2026-01-01/orders/x");
    expect(expired.status).toBe(403);
    expect(expired.body.errors[0].details).toBe("The access token you provided has expired.");
    expect(expired.body.errors[0].details).toMatch(/access token.*expired/); // amazon-sp-api's refresh trigger

    const fresh = peer.issueAccessToken();
    expect((await spApi(peer, fresh)("GET", "/orders/2026-01-01/orders/x")).status).toBe(404);
    peer.expireAccessTokens();
    expect((await spApi(peer, fresh)("GET", "/orders/2026-01-01/orders/x")).body.errors[0].details).toBe("The access token you provided has expired.");
  });
});

describe("rate limits", () => {
  it("answers 429 QuotaExceeded without x-amzn-RateLimit-Limit once the burst is spent, and refills at the rate", async () => {
    const { peer, clock, sp } = await start({ limits: { getOrder: { rate: 0.5, burst: 3 } } });
    const [o] = peer.generateOrders(1, { fulfilledBy: "MERCHANT" });
    const answers = await Promise.all(Array.from({ length: 20 }, () => sp("GET", `/orders/2026-01-01/orders/${o!.orderId}`)));
    const ok = answers.filter((a) => a.status === 200);
    const throttled = answers.filter((a) => a.status === 429);
    expect(ok).toHaveLength(3);
    expect(throttled).toHaveLength(17);
    for (const a of ok) expect(a.headers.get("x-amzn-ratelimit-limit")).toBe("0.5");
    for (const a of throttled) {
      expect(a.body).toEqual({ errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }] });
      expect(a.headers.get("x-amzn-ratelimit-limit")).toBeNull();
      expect(a.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    }
    // A throttled request takes nothing: 2 s at 0.5 rps restores exactly one.
    clock.advance(1999);
    expect((await sp("GET", `/orders/2026-01-01/orders/${o!.orderId}`)).status).toBe(429);
    clock.advance(1);
    expect((await sp("GET", `/orders/2026-01-01/orders/${o!.orderId}`)).status).toBe(200);
    expect((await sp("GET", `/orders/2026-01-01/orders/${o!.orderId}`)).status).toBe(429);
    expect(peer.stats().operations.getOrder).toMatchObject({ calls: 23, throttled: 19 });
  });

  it("uses Amazon's default usage plans: searchOrders bursts 20 then holds at 0.0056 rps", async () => {
    const { clock, sp } = await start();
    const q = { lastUpdatedAfter: "2026-11-01T00:00:00Z" };
    for (let i = 0; i < 20; i++) expect((await sp("GET", "/orders/2026-01-01/orders", { query: q })).status).toBe(200);
    const r = await sp("GET", "/orders/2026-01-01/orders", { query: q });
    expect(r.status).toBe(429);
    clock.advance(Math.ceil(1000 / 0.0056) - 1000);
    expect((await sp("GET", "/orders/2026-01-01/orders", { query: q })).status).toBe(429);
    clock.advance(1000);
    const ok = await sp("GET", "/orders/2026-01-01/orders", { query: q });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-amzn-ratelimit-limit")).toBe("0.0056");
  });
});

describe("Orders 2026-01-01", () => {
  it("searchOrders and getOrder answer with the keys and types of Amazon's published examples", async () => {
    const { peer, clock, sp } = await start();
    const mfn = peer.generateOrders(3, { fulfilledBy: "MERCHANT" });
    peer.generateOrders(2, { fulfilledBy: "AMAZON" });
    peer.requestCancellation(mfn[0]!.orderId);
    peer.cancelOrder(mfn[0]!.orderId, "BUYER");
    const item = mfn[1]!.items[0]!;
    clock.advance(180_000);
    const shipped = await sp("POST", `/orders/v0/orders/${mfn[1]!.orderId}/shipmentConfirmation`, {
      body: { marketplaceId: mfn[1]!.marketplaceId, packageDetail: { packageReferenceId: "1", carrierCode: "UPS", shippingMethod: "Ground", trackingNumber: "1Z999", shipDate: "2026-11-27T10:03:00Z", orderItems: [{ orderItemId: item.orderItemId, quantity: item.quantityOrdered }] } },
    });
    expect(shipped.status).toBe(204);
    clock.advance(180_000);

    const search = await sp("GET", "/orders/2026-01-01/orders", { query: { createdAfter: "2026-11-27T00:00:00Z", includedData: ALL_FIXTURE_DATA } });
    expect(search.status).toBe(200);
    expect(search.body.orders).toHaveLength(5);
    const amazonSearch = [fixture("searchOrders.200.sandbox0.json").response, fixture("searchOrders.200.example.json").response];
    const stripOrders = (r: Record<string, unknown>) => ({ ...r, orders: [] });
    // Both of Amazon's cases have a next page; the peer's first page of two has one too.
    const paged = await sp("GET", "/orders/2026-01-01/orders", { query: { createdAfter: "2026-11-27T00:00:00Z", maxResultsPerPage: 2 } });
    expect(shapeDifferences([stripOrders(paged.body)], amazonSearch.map(stripOrders))).toEqual([]);
    expect(search.body.pagination).toBeUndefined(); // the last page has no nextToken (model: paginationToken)

    const amazonOrders = [...amazonSearch.flatMap((r) => r.orders), fixture("getOrder2026.200.sandbox0.json").response.order, fixture("getOrder2026.200.example.json").response.order];
    expect(shapeDifferences(search.body.orders, amazonOrders)).toEqual([]);
    const got = await sp("GET", `/orders/2026-01-01/orders/${mfn[1]!.orderId}`, { query: { includedData: ALL_FIXTURE_DATA } });
    expect(Object.keys(got.body)).toEqual(["order"]);
    expect(shapeDifferences([got.body.order], amazonOrders)).toEqual([]);
    expect(got.body.order.fulfillment.fulfillmentStatus).toBe(mfn[1]!.items.length === 1 ? "SHIPPED" : "PARTIALLY_SHIPPED");
    expect(got.body.order.packages[0]).toMatchObject({ packageReferenceId: "1", carrier: "UPS", trackingNumber: "1Z999", shipTime: "2026-11-27T10:03:00Z" });

    // Without includedData only the core datasets come back (orderItems always).
    const bare = await sp("GET", `/orders/2026-01-01/orders/${mfn[1]!.orderId}`);
    expect(Object.keys(bare.body.order).sort()).toEqual(["associatedOrders", "createdTime", "lastUpdatedTime", "orderAliases", "orderId", "orderItems", "programs", "salesChannel"]);
    const cancelled = search.body.orders.find((o: { orderId: string }) => o.orderId === mfn[0]!.orderId);
    expect(cancelled.fulfillment.fulfillmentStatus).toBe("CANCELLED");
    expect(cancelled.orderItems[0].cancellation).toEqual({ cancellationRequest: { requester: "BUYER", cancelReason: "Buyer requested cancellation" }, cancellationExecution: { cancelledBy: "BUYER", cancelReason: "Buyer requested cancellation" } });
  });

  it("pages with paginationToken, echoes the window end, and refuses a token after 24 h of the peer's clock", async () => {
    const { peer, clock, sp } = await start({ limits: { searchOrders: { rate: 100, burst: 100 } }, lwa: { accessTokenTtlSeconds: 3 * 86_400 } });
    peer.generateOrders(7);
    clock.advance(121_000);
    const q = { lastUpdatedAfter: "2026-11-27T00:00:00Z", marketplaceIds: [US, "A2EUQ1WTGCTBG2"] };
    const seen: string[] = [];
    let r = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, maxResultsPerPage: 3 } });
    expect(r.body.lastUpdatedBefore).toBe("2026-11-27T10:00:01Z"); // now − 2 min
    while (true) {
      expect(r.status).toBe(200);
      seen.push(...r.body.orders.map((o: { orderId: string }) => o.orderId));
      if (!r.body.pagination) break;
      r = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, maxResultsPerPage: 3, paginationToken: r.body.pagination.nextToken } });
    }
    expect(seen.sort()).toEqual(peer.state.orders.all().map((o) => o.orderId).sort());

    const first = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, maxResultsPerPage: 2 } });
    const token = first.body.pagination.nextToken;
    const otherFilter = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, marketplaceIds: [US], paginationToken: token } });
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.body.errors[0]).toMatchObject({ code: "InvalidInput" });
    expect(otherFilter.headers.get("x-amzn-ratelimit-limit")).toBe("100.0"); // 400 carries the header, as the model declares
    clock.advance(24 * 3_600_000 + 1);
    const late = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, paginationToken: token } });
    expect(late.status).toBe(400);
    expect(late.body.errors[0].code).toBe("InvalidInput");
    expect(late.body.errors[0].details).toMatch(/expired/);
  });

  it("checks the window rules of searchOrders", async () => {
    const { sp } = await start({ limits: { searchOrders: { rate: 100, burst: 100 } } });
    const bad = async (query: Record<string, string>) => {
      const r = await sp("GET", "/orders/2026-01-01/orders", { query });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].code).toBe("InvalidInput");
      return r.body.errors[0].details as string;
    };
    expect(await bad({})).toMatch(/Exactly one of createdAfter and lastUpdatedAfter/);
    expect(await bad({ createdAfter: "2026-11-01T00:00:00Z", lastUpdatedAfter: "2026-11-01T00:00:00Z" })).toMatch(/Exactly one/);
    expect(await bad({ lastUpdatedAfter: "2026-11-01T00:00:00Z", lastUpdatedBefore: "2026-11-27T09:59:00Z" })).toMatch(/two minutes before/);
    expect(await bad({ lastUpdatedAfter: "2026-11-01T00:00:00Z", createdBefore: "2026-11-20T00:00:00Z" })).toMatch(/cannot be combined/);
    expect(await bad({ createdAfter: "TEST_CASE_400" })).toMatch(/ISO 8601/);
    expect(await bad({ createdAfter: "2026-11-01T00:00:00Z", fulfillmentStatuses: "Unshipped" })).toMatch(/fulfillmentStatuses/);
    expect(await bad({ createdAfter: "2026-11-01T00:00:00Z", marketplaceIds: "A1F83G8C2ARO7P" })).toMatch(/not one the seller participates in/);
    expect(await bad({ createdAfter: "2026-11-01T00:00:00Z", maxResultsPerPage: "101" })).toMatch(/maxResultsPerPage/);
    const ok = await sp("GET", "/orders/2026-01-01/orders", { query: { lastUpdatedAfter: "2026-11-01T00:00:00Z", lastUpdatedBefore: "2026-11-27T09:58:00Z" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ orders: [], lastUpdatedBefore: "2026-11-27T09:58:00Z" });
  });

  it("filters by fulfillmentStatuses and fulfilledBy", async () => {
    const { peer, clock, sp } = await start();
    const mfn = peer.generateOrders(2, { fulfilledBy: "MERCHANT" });
    const afn = peer.generateOrders(1, { fulfilledBy: "AMAZON" });
    peer.cancelOrder(mfn[0]!.orderId);
    clock.advance(130_000);
    const r = await sp("GET", "/orders/2026-01-01/orders", { query: { createdAfter: "2026-11-27T00:00:00Z", fulfillmentStatuses: ["UNSHIPPED"], fulfilledBy: ["MERCHANT"] } });
    expect(r.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([mfn[1]!.orderId]);
    const a = await sp("GET", "/orders/2026-01-01/orders", { query: { createdAfter: "2026-11-27T00:00:00Z", fulfilledBy: "AMAZON", includedData: "FULFILLMENT,BUYER,RECIPIENT" } });
    expect(a.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([afn[0]!.orderId]);
    // FBA: the buyer email and the phone are not given out (model: Buyer.buyerEmail, CustomerAddress.phone).
    expect(a.body.orders[0].buyer.buyerEmail).toBeUndefined();
    expect(a.body.orders[0].recipient.deliveryAddress.phone).toBeUndefined();
    expect(a.body.orders[0].fulfillment.fulfilledBy).toBe("AMAZON");
  });
});

describe("confirmShipment (Orders v0)", () => {
  it("validates the package, answers 204, edits a package confirmed again with the same packageReferenceId, and refuses over-shipping", async () => {
    const { peer, clock, sp } = await start();
    const [o] = peer.generateOrders(1, { marketplaceId: US, fulfilledBy: "MERCHANT", skus: [{ sku: "TEE-M", quantity: 2 }, { sku: "CAP", quantity: 1 }] });
    const [tee, cap] = o!.items;
    const path = `/orders/v0/orders/${o!.orderId}/shipmentConfirmation`;
    const pkg = (over: Record<string, unknown> = {}, items = [{ orderItemId: tee!.orderItemId, quantity: 2 }]) => ({ marketplaceId: US, packageDetail: { packageReferenceId: "1", carrierCode: "FedEx", carrierName: "FedEx", shippingMethod: "FedEx Ground", trackingNumber: "112345678", shipDate: "2026-11-27T10:00:00Z", orderItems: items, ...over } });

    // Amazon's sandbox 400 case: a shipDate that is not ISO 8601.
    const notIso = await sp("POST", path, { body: pkg({ shipDate: "02/21/2022" }) });
    expect(notIso.status).toBe(400);
    expect(notIso.body.errors[0].details).toMatch(/shipDate/);
    expect((await sp("POST", path, { body: pkg({ carrierCode: "Other", carrierName: undefined }) })).body.errors[0].details).toMatch(/carrierName is required/);
    expect((await sp("POST", path, { body: pkg({ trackingNumber: "" }) })).body.errors[0].details).toMatch(/trackingNumber/);
    expect((await sp("POST", path, { body: pkg({}, [{ orderItemId: "nope", quantity: 1 }]) })).body.errors[0].details).toMatch(/not an item/);
    expect((await sp("POST", path, { body: { ...pkg(), marketplaceId: "A2EUQ1WTGCTBG2" } })).status).toBe(400);
    expect((await sp("POST", path, { rawBody: "{" })).status).toBe(400);

    const first = await sp("POST", path, { body: pkg() });
    expect(first.status).toBe(204);
    expect(first.body).toBeUndefined();
    expect(first.headers.get("x-amzn-ratelimit-limit")).toBe("2.0");
    expect(peer.state.orders.get(o!.orderId)!.status).toBe("PARTIALLY_SHIPPED");
    clock.advance(1000);
    // Same packageReferenceId again: an edit of that package (new tracking), not a second package.
    expect((await sp("POST", path, { body: pkg({ trackingNumber: "999", carrierCode: "UPS", carrierName: undefined }) })).status).toBe(204);
    expect(peer.state.orders.get(o!.orderId)!.packages).toHaveLength(1);
    expect(peer.state.orders.get(o!.orderId)!.packages[0]).toMatchObject({ trackingNumber: "999", carrierCode: "UPS" });
    // Another package may not ship more TEE-M than was ordered.
    const over = await sp("POST", path, { body: pkg({ packageReferenceId: "2" }, [{ orderItemId: tee!.orderItemId, quantity: 1 }]) });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].details).toMatch(/exceeds the 2 ordered/);
    expect((await sp("POST", path, { body: pkg({ packageReferenceId: "2" }, [{ orderItemId: cap!.orderItemId, quantity: 1 }]) })).status).toBe(204);
    expect(peer.state.orders.get(o!.orderId)!.status).toBe("SHIPPED");

    const [fba] = peer.generateOrders(1, { fulfilledBy: "AMAZON" });
    const afn = await sp("POST", `/orders/v0/orders/${fba!.orderId}/shipmentConfirmation`, { body: { marketplaceId: fba!.marketplaceId, packageDetail: { ...pkg().packageDetail, orderItems: [{ orderItemId: fba!.items[0]!.orderItemId, quantity: 1 }] } } });
    expect(afn.status).toBe(400);
    expect(afn.body.errors[0].details).toMatch(/fulfilled by Amazon/);
    expect((await sp("POST", `/orders/v0/orders/111-1111111-1111111/shipmentConfirmation`, { body: pkg() })).status).toBe(404);
  });
});

describe("Listings 2021-08-01", () => {
  const listing = (sku: string) => `/listings/2021-08-01/items/${SELLER}/${encodeURIComponent(sku)}`;
  const mergeQty = (quantity: number) => ({ productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity }] }] });

  it("merges quantity on fulfillment_availability, keeps lead time, records it per SKU and shows it in getListingsItem", async () => {
    const { peer, sp } = await start();
    const r = await sp("PATCH", listing("TENT-2P"), { query: { marketplaceIds: US, includedData: "issues,identifiers" }, body: mergeQty(7) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sku: "TENT-2P", status: "ACCEPTED", issues: [] });
    expect(r.body.identifiers).toEqual([{ marketplaceId: US, asin: peer.state.catalog.listing("TENT-2P")!.asin }]);
    expect(r.headers.get("x-amzn-ratelimit-limit")).toBe("5.0");
    expect(Object.keys(r.body).sort()).toEqual(Object.keys(fixture("patchListingsItem.200.sandbox1.json").response).sort());
    expect(peer.state.catalog.quantityUpdates.at(-1)).toMatchObject({ sku: "TENT-2P", quantity: 7, via: "patchListingsItem", reference: r.body.submissionId });
    const got = await sp("GET", listing("TENT-2P"), { query: { marketplaceIds: US, includedData: "summaries,attributes,fulfillmentAvailability" } });
    expect(got.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: "DEFAULT", quantity: 7 }]);
    expect(got.body.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 7, lead_time_to_ship_max_days: 2 }]);
    expect(shapeDifferences([{ sku: got.body.sku, summaries: got.body.summaries }], [fixture("getListingsItem.200.sandbox0.json").response, fixture("getListingsItem.200.example.json").response].map((x) => ({ sku: x.sku, summaries: x.summaries.map(({ mainImage: _image, ...s }: Record<string, unknown>) => s) })))).toEqual([]);
    // replace drops what is not sent.
    await sp("PATCH", listing("TENT-2P"), { query: { marketplaceIds: US }, body: { productType: "PRODUCT", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 3 }] }] } });
    expect(peer.state.catalog.listing("TENT-2P")!.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: "DEFAULT", quantity: 3 }]);
    expect((await sp("GET", listing("NOPE"), { query: { marketplaceIds: US } })).status).toBe(404);
  });

  it("reports issues like Amazon's VALIDATION cases: unknown SKUs and bad values are INVALID and change nothing; VALIDATION_PREVIEW applies nothing", async () => {
    const { peer, sp } = await start({ limits: { patchListingsItem: { burst: 50 } } });
    const unknown = await sp("PATCH", listing("NOT-LISTED"), { query: { marketplaceIds: US }, body: mergeQty(1) });
    expect(unknown.status).toBe(200);
    expect(unknown.body.status).toBe("INVALID");
    expect(unknown.body.issues[0]).toMatchObject({ severity: "ERROR", code: "SANDBOX_SKU_NOT_LISTED" });
    const negative = await sp("PATCH", listing("CAP"), { query: { marketplaceIds: US }, body: mergeQty(-1) });
    expect(negative.body).toMatchObject({ status: "INVALID", issues: [{ severity: "ERROR", attributeNames: ["fulfillment_availability"] }] });
    const noSelector = await sp("PATCH", listing("CAP"), { query: { marketplaceIds: US }, body: { productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ quantity: 4 }] }] } });
    expect(noSelector.body.status).toBe("INVALID");
    const preview = await sp("PATCH", listing("CAP"), { query: { marketplaceIds: US, mode: "VALIDATION_PREVIEW" }, body: mergeQty(99) });
    expect(preview.body.status).toBe("VALID");
    expect(peer.state.catalog.mfnQuantity("CAP")).toBe(40);
    expect(peer.state.catalog.quantityUpdates).toEqual([]);
    // Amazon's sandbox case: BadSKU → 400 (fixtures/sp-api/patchListingsItem.400.sandbox0.json).
    const bad = await sp("PATCH", listing("BadSKU"), { query: { marketplaceIds: US }, body: mergeQty(1) });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(fixture("patchListingsItem.400.sandbox0.json").response);
    expect((await sp("PATCH", listing("CAP"), { query: { marketplaceIds: US }, body: { patches: [] } })).status).toBe(400);
    expect((await sp("PATCH", listing("CAP"), { body: mergeQty(1) })).status).toBe(400); // marketplaceIds is required
    expect((await sp("PATCH", `/listings/2021-08-01/items/AOTHERSELLER/CAP`, { query: { marketplaceIds: US }, body: mergeQty(1) })).status).toBe(403);
  });

  it("decodes SKUs encoded the way amazon-sp-api encodes path parameters", async () => {
    const { peer, sp } = await start({ seed: { listings: [{ sku: "AB 12/#(x)&'", quantity: 1 }] } });
    const r = await sp("PATCH", "/listings/2021-08-01/items/" + SELLER + "/AB%2012%2F%23%28x%29%26%27", { query: { marketplaceIds: US }, body: mergeQty(5) });
    expect(r.body).toMatchObject({ sku: "AB 12/#(x)&'", status: "ACCEPTED" });
    expect(peer.state.catalog.mfnQuantity("AB 12/#(x)&'")).toBe(5);
  });
});

describe("Feeds 2021-06-30: JSON_LISTINGS_FEED", () => {
  async function submit(sp: ReturnType<typeof spApi>, peer: AmazonSandbox, content: string) {
    const doc = await sp("POST", "/feeds/2021-06-30/documents", { body: { contentType: "application/json; charset=UTF-8" } });
    expect(doc.status).toBe(201);
    expect(Object.keys(doc.body).sort()).toEqual(Object.keys(fixture("createFeedDocument.201.sandbox0.json").response).sort());
    expect(doc.body.url).toMatch(/^https:\/\/[^/]+\.amazonaws\.com\/sandbox-documents\/.+X-Amz-Expires=300/);
    const put = await fetch(peer.localUrl(doc.body.url), { method: "PUT", headers: { "content-type": "application/json; charset=UTF-8" }, body: content });
    expect(put.status).toBe(200);
    const feed = await sp("POST", "/feeds/2021-06-30/feeds", { body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [US], inputFeedDocumentId: doc.body.feedDocumentId } });
    expect(feed.status).toBe(202);
    expect(Object.keys(feed.body)).toEqual(["feedId"]);
    return feed.body.feedId as string;
  }

  async function report(sp: ReturnType<typeof spApi>, peer: AmazonSandbox, feedId: string) {
    const f = await sp("GET", `/feeds/2021-06-30/feeds/${feedId}`);
    const d = await sp("GET", `/feeds/2021-06-30/documents/${f.body.resultFeedDocumentId}`);
    expect(d.status).toBe(200);
    const res = await fetch(peer.localUrl(d.body.url));
    return { feed: f.body, report: await res.json() };
  }

  it("processes asynchronously IN_QUEUE → IN_PROGRESS → DONE and writes a v2 processing report with issues per messageId and SKU", async () => {
    const { peer, sp } = await start({ timings: { feedQueueMs: 150, feedProcessMs: 150 }, limits: { getFeed: { burst: 1000 } } });
    const feed = {
      header: { sellerId: SELLER, version: "2.0", issueLocale: "en_US" },
      messages: [
        { messageId: 1, sku: "TEE-M", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 11 }] }] },
        { messageId: 2, sku: "GHOST", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 1 }] }] },
        { messageId: 3, sku: "CAP", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 1.5 }] }] },
        { messageId: 4, sku: "TENT-2P", operationType: "PARTIAL_UPDATE", productType: "PRODUCT", attributes: { fulfillment_availability: [{ fulfillment_channel_code: "DEFAULT", quantity: 0 }] } },
      ],
    };
    const feedId = await submit(sp, peer, JSON.stringify(feed));
    const states = new Set<string>();
    const first = await sp("GET", `/feeds/2021-06-30/feeds/${feedId}`);
    expect(first.body.processingStatus).toBe("IN_QUEUE");
    expect(first.body.resultFeedDocumentId).toBeUndefined();
    expect(peer.state.catalog.mfnQuantity("TEE-M")).toBe(30); // nothing applied yet
    for (let i = 0; i < 100; i++) {
      const f = await sp("GET", `/feeds/2021-06-30/feeds/${feedId}`, {});
      states.add(f.body.processingStatus);
      if (f.body.processingStatus === "DONE") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([...states]).toEqual(["IN_QUEUE", "IN_PROGRESS", "DONE"].filter((s) => states.has(s)));
    expect(states.has("IN_PROGRESS") && states.has("DONE")).toBe(true);
    const { feed: done, report: rep } = await report(sp, peer, feedId);
    // Amazon's getFeed case is a CANCELLED feed; marketplaceIds and resultFeedDocumentId are the model's (Feed definition).
    expect(shapeDifferences([done], [fixture("getFeed.200.sandbox0.json").response, { marketplaceIds: ["ATVPDKIKX0DER"], resultFeedDocumentId: "amzn1.tortuga.3.x" }])).toEqual([]);
    expect(done).toMatchObject({ feedId, feedType: "JSON_LISTINGS_FEED", processingStatus: "DONE" });
    expect(rep.header).toEqual({ sellerId: SELLER, version: "2.0", feedId });
    expect(rep.summary).toEqual({ errors: 2, warnings: 0, messagesProcessed: 4, messagesAccepted: 2, messagesInvalid: 2 });
    expect(rep.issues).toEqual([
      expect.objectContaining({ messageId: 2, sku: "GHOST", severity: "ERROR", code: "SANDBOX_SKU_NOT_LISTED" }),
      expect.objectContaining({ messageId: 3, sku: "CAP", severity: "ERROR", attributeName: "fulfillment_availability" }),
    ]);
    expect(peer.state.catalog.mfnQuantity("TEE-M")).toBe(11);
    expect(peer.state.catalog.mfnQuantity("CAP")).toBe(40);
    expect(peer.state.catalog.mfnQuantity("TENT-2P")).toBe(0);
    expect(peer.state.catalog.quantityUpdates.map((u) => [u.sku, u.quantity, u.via, u.reference])).toEqual([
      ["TEE-M", 11, "JSON_LISTINGS_FEED", feedId],
      ["TENT-2P", 0, "JSON_LISTINGS_FEED", feedId],
    ]);
  });

  it("ends FATAL for an unparseable document, a wrong header and more than 25 000 messages", async () => {
    const { peer, sp } = await start({ limits: { jsonListingsFeedSubmissions: { burst: 10 } } });
    const notJson = await submit(sp, peer, "<?xml version='1.0'?><AmazonEnvelope/>");
    const wrongSeller = await submit(sp, peer, JSON.stringify({ header: { sellerId: "AOTHER", version: "2.0" }, messages: [{ messageId: 1, sku: "CAP", operationType: "DELETE" }] }));
    const tooMany = await submit(sp, peer, JSON.stringify({ header: { sellerId: SELLER, version: "2.0" }, messages: Array.from({ length: 25_001 }, (_, i) => ({ messageId: i + 1, sku: "CAP", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: i }] }] })) }));
    await peer.settleFeeds();
    for (const [feedId, why] of [[notJson, /not valid JSON/], [wrongSeller, /sellerId/], [tooMany, /25001 messages; at most 25000/]] as const) {
      const { feed, report: rep } = await report(sp, peer, feedId);
      expect(feed.processingStatus).toBe("FATAL");
      expect(rep.issues[0].message).toMatch(why);
      expect(rep.summary.messagesProcessed).toBe(0);
    }
    expect(peer.state.catalog.mfnQuantity("CAP")).toBe(40);
  });

  it("throttles JSON_LISTINGS_FEED at 5 submissions per 5 minutes, and refuses unknown documents and expired upload URLs", async () => {
    const { peer, clock, sp } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const doc = await sp("POST", "/feeds/2021-06-30/documents", { body: { contentType: "application/json" } });
      ids.push(doc.body.feedDocumentId);
      if (i === 5) {
        clock.advance(5 * 60_000 + 1);
        const put = await fetch(peer.localUrl(doc.body.url), { method: "PUT", body: "{}" });
        expect(put.status).toBe(403);
        expect(await put.text()).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message>");
        clock.advance(-(5 * 60_000 + 1));
      }
    }
    const codes = [];
    for (const id of ids) codes.push((await sp("POST", "/feeds/2021-06-30/feeds", { body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [US], inputFeedDocumentId: id } })).status);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
    const unknown = await sp("POST", "/feeds/2021-06-30/feeds", { body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [US], inputFeedDocumentId: "badDocumentId" } });
    expect(unknown.status).toBe(400);
    expect((await sp("POST", "/feeds/2021-06-30/documents", { body: {} })).status).toBe(400);
    expect((await sp("GET", "/feeds/2021-06-30/feeds/feedId1")).status).toBe(404);
    await peer.settleFeeds();
    // Nothing was uploaded to these documents: the feeds end FATAL.
    expect(peer.state.feeds.get([...peer.state.feeds.keys()][0]!)!.processingStatus).toBe("FATAL");
  });

  it("ends a retired XML inventory feed FATAL (XML/flat-file listings feeds stopped on 2025-07-31)", async () => {
    const { peer, sp } = await start();
    const doc = await sp("POST", "/feeds/2021-06-30/documents", { body: { contentType: "text/xml; charset=UTF-8" } });
    await fetch(peer.localUrl(doc.body.url), { method: "PUT", body: "<AmazonEnvelope/>" });
    const f = await sp("POST", "/feeds/2021-06-30/feeds", { body: { feedType: "POST_INVENTORY_AVAILABILITY_DATA", marketplaceIds: [US], inputFeedDocumentId: doc.body.feedDocumentId } });
    await peer.settleFeeds();
    expect(peer.state.feeds.get(f.body.feedId)!.processingStatus).toBe("FATAL");
  });
});

describe("FBA inventory v1", () => {
  it("returns summaries with details, pages with a nextToken that expires after 30 s, and filters by startDateTime", async () => {
    const seed = { listings: ["A", "B", "C"].map((sku) => ({ sku, quantity: 1 })), fba: [{ sku: "A", fulfillable: 5, inboundShipped: 2 }, { sku: "B", fulfillable: 0, unfulfillable: 1 }, { sku: "C", fulfillable: 9 }] };
    const { peer, clock, sp } = await start({ seed, fbaPageSize: 2, limits: { getInventorySummaries: { burst: 20 } } });
    const q = { granularityType: "Marketplace", granularityId: US, marketplaceIds: US, details: "true" };
    const p1 = await sp("GET", "/fba/inventory/v1/summaries", { query: q });
    expect(p1.status).toBe(200);
    expect(p1.headers.get("x-amzn-ratelimit-limit")).toBe("2.0");
    expect(p1.body.payload.granularity).toEqual({ granularityType: "Marketplace", granularityId: US });
    expect(p1.body.payload.inventorySummaries.map((s: { sellerSku: string }) => s.sellerSku)).toEqual(["A", "B"]);
    expect(p1.body.payload.inventorySummaries[0]).toMatchObject({ sellerSku: "A", totalQuantity: 7, inventoryDetails: { fulfillableQuantity: 5, inboundShippedQuantity: 2, reservedQuantity: { totalReservedQuantity: 0 } } });
    const p2 = await sp("GET", "/fba/inventory/v1/summaries", { query: { ...q, nextToken: p1.body.pagination.nextToken } });
    expect(p2.body.payload.inventorySummaries.map((s: { sellerSku: string }) => s.sellerSku)).toEqual(["C"]);
    expect(p2.body.pagination).toBeUndefined();

    const again = await sp("GET", "/fba/inventory/v1/summaries", { query: q });
    clock.advance(30_001);
    const late = await sp("GET", "/fba/inventory/v1/summaries", { query: { ...q, nextToken: again.body.pagination.nextToken } });
    expect(late.status).toBe(400);
    expect(late.body.errors[0]).toMatchObject({ code: "InvalidInput" });
    expect(late.body.errors[0].details).toMatch(/expired/);

    const since = new Date(clock.now()).toISOString();
    clock.advance(1000);
    peer.state.catalog.setFba("B", { fulfillable: 4 });
    const changed = await sp("GET", "/fba/inventory/v1/summaries", { query: { ...q, details: "false", startDateTime: since } });
    expect(changed.body.payload.inventorySummaries).toEqual([expect.objectContaining({ sellerSku: "B", totalQuantity: 5 })]);
    expect(changed.body.payload.inventorySummaries[0].inventoryDetails).toBeUndefined();
    expect((await sp("GET", "/fba/inventory/v1/summaries", { query: { ...q, granularityId: "A2EUQ1WTGCTBG2" } })).status).toBe(400);
  });
});

describe("Notifications v1", () => {
  const ARN = "arn:aws:sqs:us-east-1:111122223333:oms-order-change";

  it("destinations are grantless and subscriptions the seller's: each token works only for its own operations; answers shaped like the model's examples", async () => {
    const { peer, sp } = await start();
    const app = spApi(peer, peer.issueAccessToken("grantless"));
    // A seller token on a grantless operation, and the other way round: 403 Unauthorized.
    expect((await sp("GET", "/notifications/v1/destinations")).status).toBe(403);
    expect((await app("GET", "/notifications/v1/subscriptions/ORDER_CHANGE")).status).toBe(403);

    const created = await app("POST", "/notifications/v1/destinations", { body: { name: "SQSDestination", resourceSpecification: { sqs: { arn: ARN } } } });
    expect(created.status).toBe(200);
    expect(shapeDifferences([created.body.payload], [fixture("createDestination.200.example.json").response.payload])).toEqual([]);
    const destinationId = created.body.payload.destinationId as string;
    expect((await app("GET", "/notifications/v1/destinations")).body).toEqual({ payload: [{ destinationId, name: "SQSDestination", resource: { sqs: { arn: ARN } } }] });
    expect((await app("POST", "/notifications/v1/destinations", { body: { name: "x", resourceSpecification: { sqs: { arn: "queue1" } } } })).status).toBe(400);

    expect(await sp("GET", "/notifications/v1/subscriptions/ORDER_CHANGE", { query: { payloadVersion: "1.0" } })).toMatchObject({ status: 404, body: { errors: [{ code: "NotFound" }] } });
    const filter = { eventFilterType: "ORDER_CHANGE", marketplaceIds: [US], orderChangeTypes: ["OrderStatusChange"] };
    const sub = await sp("POST", "/notifications/v1/subscriptions/ORDER_CHANGE", { body: { payloadVersion: "1.0", destinationId, processingDirective: { eventFilter: filter } } });
    expect(sub.status).toBe(200);
    expect(shapeDifferences([sub.body.payload], [fixture("createSubscription.200.example.json").response.payload])).toEqual([]);
    // One per seller, application and type: a second is 409.
    expect((await sp("POST", "/notifications/v1/subscriptions/ORDER_CHANGE", { body: { payloadVersion: "1.0", destinationId } })).status).toBe(409);
    expect((await sp("GET", "/notifications/v1/subscriptions/ORDER_CHANGE")).body.payload).toEqual({ ...sub.body.payload, processingDirective: { eventFilter: filter } });

    // deleteSubscriptionById: grantless; a second delete is 404.
    const path = `/notifications/v1/subscriptions/ORDER_CHANGE/${sub.body.payload.subscriptionId as string}`;
    expect((await sp("DELETE", path)).status).toBe(403);
    expect(await app("DELETE", path)).toMatchObject({ status: 200, body: {} });
    expect((await app("DELETE", path)).status).toBe(404);
    expect(peer.state.subscriptions.size).toBe(0);
  });

  it("validates createSubscription: a destination of this application, payload 1.0, the filter's type, marketplaces and change types; optionally refuses the marketplace filter", async () => {
    const { peer, sp, clock } = await start({ notifications: { refuseMarketplaceFilter: true } });
    const app = spApi(peer, peer.issueAccessToken("grantless"));
    const destinationId = (await app("POST", "/notifications/v1/destinations", { body: { name: "d", resourceSpecification: { sqs: { arn: ARN } } } })).body.payload.destinationId as string;
    const create = (body: object) => sp("POST", "/notifications/v1/subscriptions/ORDER_CHANGE", { body });
    expect(await create({ payloadVersion: "1.0", destinationId: "unknown" })).toMatchObject({ status: 400, body: { errors: [{ code: "InvalidInput", details: expect.stringContaining("destinationId") }] } });
    expect((await create({ payloadVersion: "2.0", destinationId })).status).toBe(400);
    expect((await create({ payloadVersion: "1.0", destinationId, processingDirective: { eventFilter: { eventFilterType: "ANY_OFFER_CHANGED" } } })).status).toBe(400);
    expect((await create({ payloadVersion: "1.0", destinationId, processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", orderChangeTypes: ["Shipped"] } } })).status).toBe(400);
    expect(await create({ payloadVersion: "1.0", destinationId, processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", marketplaceIds: [US] } } })).toMatchObject({ status: 400, body: { errors: [{ details: "The marketplaceIds filter is not supported for ORDER_CHANGE." }] } });
    clock.advance(1_000); // createSubscription: 1 request/s, burst 5
    expect((await create({ payloadVersion: "1.0", destinationId, processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE", orderChangeTypes: ["BuyerRequestedChange"] } } })).status).toBe(200);
  });
});

describe("order generator", () => {
  it("makes MFN and AFN orders for the seeded SKUs, takes their stock, and sends ORDER_CHANGE notifications for changes", async () => {
    const seen: unknown[] = [];
    const { peer } = await start({ onNotification: (b) => seen.push(b), randomSeed: 7 });
    const before = peer.state.catalog.mfnQuantity("TEE-M")!;
    const [mfn] = peer.generateOrders(1, { fulfilledBy: "MERCHANT", skus: [{ sku: "TEE-M", quantity: 2 }] });
    expect(peer.state.catalog.mfnQuantity("TEE-M")).toBe(before - 2);
    const [afn] = peer.generateOrders(1, { fulfilledBy: "AMAZON", skus: [{ sku: "CAP", quantity: 1 }] });
    expect(peer.state.catalog.fbaRecord("CAP")).toMatchObject({ fulfillable: 24, pendingCustomerOrder: 1 });
    expect(mfn!.orderId).toMatch(/^\d{3}-\d{7}-\d{7}$/);
    const many = peer.generateOrders(40);
    expect(many.length).toBe(40);
    expect(new Set(many.map((o) => o.fulfilledBy))).toEqual(new Set(["MERCHANT", "AMAZON"]));
    expect(new Set(many.map((o) => o.orderId)).size).toBe(40);

    const updatedBefore = mfn!.lastUpdatedMs;
    peer.requestCancellation(mfn!.orderId);
    expect(mfn!.lastUpdatedMs).toBeGreaterThan(updatedBefore);
    const n = peer.state.notifications.at(-1)!;
    expect(n.Payload.OrderChangeNotification).toMatchObject({ AmazonOrderId: mfn!.orderId, OrderChangeType: "BuyerRequestedChange", Summary: { FulfillmentType: "MFN", OrderStatus: "Unshipped" } });
    expect(n.Payload.OrderChangeNotification.Summary.OrderItems[0]).toMatchObject({ SellerSKU: "TEE-M", Quantity: 2, IsBuyerRequestedCancel: true });
    // Same keys as Amazon's example where the peer has the data (it sends fewer optional Summary fields).
    const amazon = JSON.parse(readFileSync(new URL("../fixtures/notifications/OrderChangeNotification.example.json", import.meta.url), "utf8")).notification;
    const problems = shapeDifferences([n], [amazon]).filter((p) => !/^peer lacks Payload\.OrderChangeNotification\.Summary\./.test(p));
    expect(problems).toEqual([]);
    peer.cancelOrder(mfn!.orderId, "BUYER");
    expect(peer.state.notifications.at(-1)!.Payload.OrderChangeNotification.Summary.OrderStatus).toBe("Canceled");
    const reserved = peer.state.catalog.fbaRecord("CAP")!.pendingCustomerOrder;
    peer.shipFbaOrder(afn!.orderId);
    expect(peer.state.catalog.fbaRecord("CAP")!.pendingCustomerOrder).toBe(reserved - 1);
    expect(seen.length).toBe(peer.state.notifications.length);
    expect(() => peer.generateOrders(1, { skus: [{ sku: "TENT-2P", quantity: 99 }], fulfilledBy: "MERCHANT" })).toThrow(/TENT-2P has \d+ MFN units, 99 wanted/);
  });

  it("runs a timer stream that creates orders and changes them", async () => {
    const { peer } = await start();
    const stream = peer.startOrderStream({ everyMs: 5, cancelRequestShare: 1, cancelShare: 1, shipAfnShare: 1 });
    // Wait for ticks, not for wall time: the machine may be busy.
    for (let i = 0; i < 300 && stream.ticks() < 6; i++) await new Promise((r) => setTimeout(r, 10));
    stream.stop();
    const ticks = stream.ticks();
    expect(ticks).toBeGreaterThanOrEqual(6);
    const all = peer.state.orders.all();
    expect(all.length).toBe(ticks); // one order per tick while stock lasts
    expect(all.some((o) => o.status === "CANCELLED")).toBe(true);
    expect(all.some((o) => o.fulfilledBy === "AMAZON") ? all.filter((o) => o.fulfilledBy === "AMAZON").every((o) => o.status === "SHIPPED") : true).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(stream.ticks()).toBe(ticks);
  });
});

describe("duplicates and races", () => {
  it("the same package confirmed ten times at once is one package, never double-shipped", async () => {
    const { peer, sp } = await start({ limits: { confirmShipment: { burst: 20 } } });
    const [o] = peer.generateOrders(1, { marketplaceId: US, fulfilledBy: "MERCHANT", skus: [{ sku: "TEE-M", quantity: 2 }] });
    const body = { marketplaceId: US, packageDetail: { packageReferenceId: "7", carrierCode: "USPS", trackingNumber: "9400", shipDate: "2026-11-27T10:00:00Z", orderItems: [{ orderItemId: o!.items[0]!.orderItemId, quantity: 2 }] } };
    const answers = await Promise.all(Array.from({ length: 10 }, () => sp("POST", `/orders/v0/orders/${o!.orderId}/shipmentConfirmation`, { body })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(204));
    const rec = peer.state.orders.get(o!.orderId)!;
    expect(rec.packages).toHaveLength(1);
    expect(rec.items[0]!.quantityFulfilled).toBe(2);
    expect(rec.status).toBe("SHIPPED");
    // One status change, one notification: the repeats edited nothing new.
    expect(peer.state.notifications.filter((n) => n.Payload.OrderChangeNotification.AmazonOrderId === o!.orderId).map((n) => n.Payload.OrderChangeNotification.Summary.OrderStatus)).toEqual(["Unshipped", "Shipped"]);
  });

  it("pages of one search list every order exactly once even when orders change between pages", async () => {
    const { peer, clock, sp } = await start({ limits: { searchOrders: { rate: 100, burst: 100 } } });
    const made = peer.generateOrders(6, { fulfilledBy: "MERCHANT" });
    clock.advance(130_000);
    const q = { lastUpdatedAfter: "2026-11-27T00:00:00Z", maxResultsPerPage: 2 };
    const first = await sp("GET", "/orders/2026-01-01/orders", { query: q });
    // The first order of the first page changes (moves to the end of a lastUpdated sort) before page 2 is read.
    peer.cancelOrder(first.body.orders[0].orderId);
    const ids = first.body.orders.map((o: { orderId: string }) => o.orderId);
    let token = first.body.pagination?.nextToken;
    while (token) {
      const r = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, paginationToken: token } });
      ids.push(...r.body.orders.map((o: { orderId: string }) => o.orderId));
      token = r.body.pagination?.nextToken;
    }
    expect([...ids].sort()).toEqual(made.map((o) => o.orderId).sort());
    // A token can be replayed (a client retrying after a 429 or a lost answer): the same page again.
    const page2 = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, paginationToken: first.body.pagination.nextToken } });
    const replay = await sp("GET", "/orders/2026-01-01/orders", { query: { ...q, paginationToken: first.body.pagination.nextToken } });
    expect(replay.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(page2.body.orders.map((o: { orderId: string }) => o.orderId));
    expect(page2.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(ids.slice(2, 4));
  });

  it("concurrent LWA refreshes each get a working token (amazon-sp-api has no single flight)", async () => {
    const { peer } = await start();
    const body = { client_id: peer.lwa.clientId, client_secret: peer.lwa.clientSecret, grant_type: "refresh_token", refresh_token: peer.lwa.refreshToken };
    const tokens = await Promise.all(Array.from({ length: 5 }, () => lwaToken(peer, body)));
    expect(new Set(tokens.map((t) => t.body.access_token)).size).toBe(5);
    for (const t of tokens) expect((await spApi(peer, t.body.access_token)("GET", "/orders/2026-01-01/orders/x")).status).toBe(404);
  });
});
