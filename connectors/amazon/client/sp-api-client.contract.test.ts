import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { ACCOUNT, JSON_HEADERS, LWA, SELLER, SP_API, makeClient, param, queryOf, rejection, sandboxCase, steppingClock } from "./contract-support";

/**
 * The client through the real amazon-sp-api 1.2.1 against nock, replaying Amazon's published
 * static sandbox cases (connectors/amazon/fixtures/sp-api, models@34dc93f): Amazon's sandbox answers
 * a case only when the request carries exactly its `request.parameters`, so each test matches the
 * path, query and body nock sees against those parameters and replies with the case's response.
 */
const TOKEN = "Atza|contract-token";

function lwaOnce() {
  return nock(LWA)
    .post("/auth/o2/token", { grant_type: "refresh_token", refresh_token: ACCOUNT.refreshToken, client_id: ACCOUNT.lwaClientId, client_secret: ACCOUNT.lwaClientSecret })
    .reply(200, { access_token: TOKEN, token_type: "bearer", expires_in: 3600 }, JSON_HEADERS);
}

const amazonHeaders = (requestId: string, rate?: string) => ({ ...JSON_HEADERS, "x-amzn-RequestId": requestId, ...(rate ? { "x-amzn-RateLimit-Limit": rate } : {}) });

afterEach(() => {
  nock.cleanAll();
});

describe("Orders 2026-01-01 (sandbox cases)", () => {
  it("searchOrders: the case's createdAfter, marketplaceIds and includedData; answer passed through; call logged with Amazon's request id", async () => {
    const c = sandboxCase("searchOrders.200.sandbox0");
    lwaOnce();
    const scope = nock(SP_API)
      .matchHeader("x-amz-access-token", TOKEN)
      .get("/orders/2026-01-01/orders")
      .query(queryOf(c, []))
      .reply(200, c.response, amazonHeaders("req-search-1", "0.0056"));
    const { client, logs } = makeClient(steppingClock());
    const page = await client.searchOrders({
      window: { by: "created", after: param<string>(c, "createdAfter") },
      filters: { marketplaceIds: param<string[]>(c, "marketplaceIds"), includedData: param<string[]>(c, "includedData") },
    });
    expect(scope.isDone()).toBe(true);
    expect(page).toEqual(c.response);
    expect(page.pagination?.nextToken).toBe("2YgYW55IGNhcm5hbCBwbGVhc3VyZS4");
    const line = logs.find((l) => l.msg === "amazon sp-api call");
    expect(line?.fields).toMatchObject({ operation: "searchOrders", status: 200, requestId: "req-search-1", rateLimit: 0.0056, account: `${SELLER}|na` });
    expect(typeof line?.fields.durationMs).toBe("number");
    // Never the secrets or the token in a log line.
    expect(JSON.stringify(logs)).not.toMatch(/Atza\||Atzr\||test-client-secret/);
  });

  it("getOrder: the case's orderId in the path and includedData in the query", async () => {
    const c = sandboxCase("getOrder2026.200.sandbox0");
    lwaOnce();
    const scope = nock(SP_API)
      .get(`/orders/2026-01-01/orders/${param<string>(c, "orderId")}`)
      .query(queryOf(c, ["orderId"]))
      .reply(200, c.response, amazonHeaders("req-order-1", "0.5"));
    const { client } = makeClient(steppingClock());
    const res = await client.getOrder(param<string>(c, "orderId"), { includedData: param<string[]>(c, "includedData") });
    expect(scope.isDone()).toBe(true);
    expect(res).toEqual(c.response);
    expect(res.order.orderId).toBe("171-9876543-2109876");
  });

  it("confirmShipment goes to v0 with the body as given and reads 204 as success", async () => {
    lwaOnce();
    const body = {
      marketplaceId: "ATVPDKIKX0DER",
      packageDetail: {
        packageReferenceId: "1",
        carrierCode: "FedEx",
        trackingNumber: "112345678",
        shipDate: "2022-02-11T01:00:00.000Z",
        orderItems: [{ orderItemId: "79039765272157", quantity: 1 }],
      },
    };
    const scope = nock(SP_API).post("/orders/v0/orders/902-1106328-1059050/shipmentConfirmation", body).reply(204, "", { "x-amzn-RequestId": "req-ship-1" });
    const { client, logs } = makeClient(steppingClock());
    expect(await client.confirmShipment("902-1106328-1059050", body)).toEqual({ success: true });
    expect(scope.isDone()).toBe(true);
    expect(logs.find((l) => l.msg === "amazon sp-api call")?.fields).toMatchObject({ operation: "confirmShipment", status: 204, requestId: "req-ship-1" });
  });

  it("confirmShipment refuses a body that could not be repeated safely or that Amazon would refuse, naming the field", async () => {
    const { client } = makeClient(steppingClock());
    const base = { marketplaceId: "ATVPDKIKX0DER", packageDetail: { packageReferenceId: "1", carrierCode: "FedEx", trackingNumber: "1", shipDate: "2022-02-11T01:00:00Z", orderItems: [{ orderItemId: "1", quantity: 1 }] } };
    const noRef = await rejection(client.confirmShipment("902-1106328-1059050", { ...base, packageDetail: { ...base.packageDetail, packageReferenceId: "" } }));
    expect(noRef).toMatchObject({ kind: "INVALID", field: "packageDetail.packageReferenceId" });
    // Amazon's own 400 sandbox case: a shipDate that is not ISO 8601.
    const badDate = await rejection(client.confirmShipment("902-1106328-1059050", { ...base, packageDetail: { ...base.packageDetail, shipDate: "02/21/2022" } }));
    expect(badDate).toMatchObject({ kind: "INVALID", field: "packageDetail.shipDate" });
    const other = await rejection(client.confirmShipment("902-1106328-1059050", { ...base, packageDetail: { ...base.packageDetail, carrierCode: "Other" } }));
    expect(other).toMatchObject({ field: "packageDetail.carrierName" });
  });
});

describe("Listings Items 2021-08-01 (sandbox cases)", () => {
  const patch = { productType: "PRODUCT", patches: [{ op: "merge" as const, path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 7 }] }] };

  it("patchListingsItem ACCEPTED (case 0: any body)", async () => {
    const c = sandboxCase("patchListingsItem.200.sandbox0");
    lwaOnce();
    const scope = nock(SP_API).patch(`/listings/2021-08-01/items/${SELLER}/GM-ZDPI-9B4E`, patch).query({ marketplaceIds: "ATVPDKIKX0DER" }).reply(200, c.response, amazonHeaders("req-p0", "5"));
    const { client } = makeClient(steppingClock());
    expect(await client.patchListingsItem("GM-ZDPI-9B4E", patch)).toEqual(c.response);
    expect(scope.isDone()).toBe(true);
  });

  it("VALIDATION_PREVIEW: VALID and INVALID with the case's query; the issues come back for the caller", async () => {
    lwaOnce();
    const valid = sandboxCase("patchListingsItem.200.sandbox1");
    const invalid = sandboxCase("patchListingsItem.200.sandbox2");
    const scope = nock(SP_API)
      .patch(`/listings/2021-08-01/items/${SELLER}/${param<string>(valid, "sku")}`, patch)
      .query(queryOf(valid, ["sku"]))
      .reply(200, valid.response, amazonHeaders("req-p1"))
      .patch(`/listings/2021-08-01/items/${SELLER}/${param<string>(invalid, "sku")}`, patch)
      .query(queryOf(invalid, ["sku"]))
      .reply(200, invalid.response, amazonHeaders("req-p2"));
    const { client } = makeClient(steppingClock());
    const opts = { marketplaceIds: param<string[]>(valid, "marketplaceIds"), includedData: param<string[]>(valid, "includedData"), mode: "VALIDATION_PREVIEW" as const };
    expect((await client.patchListingsItem("VALIDATION_VALID", patch, opts)).status).toBe("VALID");
    const res = await client.patchListingsItem("VALIDATION_INVALID", patch, opts);
    expect(scope.isDone()).toBe(true);
    expect(res.status).toBe("INVALID");
    expect(res.issues).toEqual([expect.objectContaining({ code: "90000900", severity: "ERROR", attributeNames: ["fake_attribute"], categories: ["INVALID_ATTRIBUTE"] })]);
  });

  it("400 (BadSKU) → INVALID with Amazon's code, status and request id, not retried", async () => {
    const c = sandboxCase("patchListingsItem.400.sandbox0");
    lwaOnce();
    const scope = nock(SP_API).patch(`/listings/2021-08-01/items/${SELLER}/BadSKU`).query(true).once().reply(400, c.response, amazonHeaders("req-bad", "5"));
    const { client } = makeClient(steppingClock());
    const err = await rejection(client.patchListingsItem("BadSKU", patch));
    expect(scope.isDone()).toBe(true);
    expect(err).toMatchObject({ kind: "INVALID", code: "INVALID", retryable: false, connector: "amazon", details: { status: 400, requestId: "req-bad", amazonCode: "BAD_REQUEST" } });
    expect(err.message).toBe("patchListingsItem: HTTP 400 — BAD_REQUEST: Invalid input (Invalid input)");
  });

  it("an SKU with spaces, slashes and quotes is encoded once in the path", async () => {
    lwaOnce();
    const scope = nock(SP_API).patch(`/listings/2021-08-01/items/${SELLER}/AB%2012%2F%23%28x%29%26%27`).query(true).reply(200, { sku: "AB 12/#(x)&'", status: "ACCEPTED", submissionId: "s", issues: [] }, amazonHeaders("r"));
    const { client } = makeClient(steppingClock());
    expect((await client.patchListingsItem("AB 12/#(x)&'", patch)).status).toBe("ACCEPTED");
    expect(scope.isDone()).toBe(true);
  });
});

describe("Feeds 2021-06-30 (sandbox cases)", () => {
  it("createFeedDocument and createFeed with the cases' bodies", async () => {
    const doc = sandboxCase("createFeedDocument.201.sandbox0");
    const feed = sandboxCase("createFeed.202.sandbox0");
    lwaOnce();
    const scope = nock(SP_API)
      .post("/feeds/2021-06-30/documents", param<Record<string, string>>(doc, "body"))
      .reply(201, doc.response, amazonHeaders("req-d", "0.5"))
      .post("/feeds/2021-06-30/feeds", param<Record<string, string | string[]>>(feed, "body"))
      .reply(202, feed.response, amazonHeaders("req-f", "0.0083"));
    const { client } = makeClient(steppingClock());
    const d = await client.createFeedDocument(param<{ contentType: string }>(doc, "body").contentType);
    expect(d).toEqual(doc.response);
    const body = param<{ feedType: string; marketplaceIds: string[]; inputFeedDocumentId: string }>(feed, "body");
    expect(await client.createFeed(body)).toEqual({ feedId: "3485934" });
    expect(scope.isDone()).toBe(true);
  });

  it("getFeed (case: CANCELLED) → feedOutcome throws FEED_CANCELLED", async () => {
    const c = sandboxCase("getFeed.200.sandbox0");
    lwaOnce();
    const scope = nock(SP_API).get(`/feeds/2021-06-30/feeds/${param<string>(c, "feedId")}`).twice().reply(200, c.response, amazonHeaders("req-g", "2"));
    const { client } = makeClient(steppingClock());
    expect(await client.getFeed("feedId1")).toEqual(c.response);
    const err = await rejection(client.feedOutcome("feedId1"));
    expect(scope.isDone()).toBe(true);
    expect(err).toMatchObject({ kind: "CONFLICT", code: "FEED_CANCELLED", retryable: false, details: { feedId: "feedId1" } });
  });

  it("getFeedDocument with the case's id, then the document from its presigned URL", async () => {
    const c = sandboxCase("getFeedDocument.200.sandbox0");
    lwaOnce();
    const scope = nock(SP_API).get(`/feeds/2021-06-30/documents/${param<string>(c, "feedDocumentId")}`).reply(200, c.response, amazonHeaders("req-gd", "0.0222"));
    const url = new URL(String(c.response.url));
    const s3 = nock(url.origin).get(url.pathname).reply(200, "<AmazonEnvelope/>", { "content-type": "text/xml" });
    const { client } = makeClient(steppingClock());
    const doc = await client.getFeedDocument("0356cf79-b8b0-4226-b4b9-0ee058ea5760");
    expect(doc).toEqual(c.response);
    expect(await client.downloadFeedDocument(doc)).toBe("<AmazonEnvelope/>");
    expect(scope.isDone() && s3.isDone()).toBe(true);
  });

  it("submitFeed: createFeedDocument → PUT the content to the presigned URL → createFeed with that document", async () => {
    lwaOnce();
    const content = JSON.stringify({ header: { sellerId: SELLER, version: "2.0", issueLocale: "en_US" }, messages: [] });
    let uploaded: string | undefined;
    const scope = nock(SP_API)
      .post("/feeds/2021-06-30/documents", { contentType: "application/json; charset=UTF-8" })
      .reply(201, { feedDocumentId: "doc-7", url: "https://d34o8swod1owfl.cloudfront.net/doc-7?sig=1" }, amazonHeaders("a"))
      .post("/feeds/2021-06-30/feeds", { feedType: "JSON_LISTINGS_FEED", marketplaceIds: ["ATVPDKIKX0DER"], inputFeedDocumentId: "doc-7" })
      .reply(202, { feedId: "F7" }, amazonHeaders("b"));
    const s3 = nock("https://d34o8swod1owfl.cloudfront.net")
      .put("/doc-7")
      .query({ sig: "1" })
      .matchHeader("content-type", "application/json; charset=UTF-8")
      .reply(200, async (req: Request) => {
        uploaded = await req.text();
        return "";
      });
    const { client } = makeClient(steppingClock());
    expect(await client.submitFeed({ feedType: "JSON_LISTINGS_FEED", content, contentType: "application/json; charset=UTF-8" })).toEqual({ feedId: "F7", feedDocumentId: "doc-7" });
    expect(scope.isDone() && s3.isDone()).toBe(true);
    expect(uploaded).toBe(content);
  });
});
