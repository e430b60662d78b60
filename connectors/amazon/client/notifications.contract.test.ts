import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";
import { createMemoryAccessTokenCache } from "./access-token";
import { ACCOUNT, JSON_HEADERS, LWA, SP_API, makeClient, rejection, sandboxCase, steppingClock, type LogLine } from "./contract-support";
import { spApiBucketLimits } from "./rate-limits";
import { createSpApiAppClient } from "./sp-api-client";

/**
 * Notifications API v1 through the real amazon-sp-api 1.2.1 against nock.  Request shapes follow
 * Amazon's model (models/notifications-api-model/notifications.json @34dc93f): createSubscription's
 * body is CreateSubscriptionRequest {payloadVersion, destinationId, processingDirective.eventFilter},
 * getSubscription and createSubscription act for the seller (its access token), while
 * deleteSubscriptionById, getDestinations and createDestination are grantless: LWA's
 * client_credentials grant with scope sellingpartnerapi::notifications, no refresh token.  Answers
 * are the model's examples (fixtures/sp-api/*.200.example.json).
 */
const SELLER_TOKEN = "Atza|seller-token";
const APP_TOKEN = "Atza|grantless-token";
const SCOPE = "sellingpartnerapi::notifications";

const sellerLwa = () =>
  nock(LWA)
    .post("/auth/o2/token", { grant_type: "refresh_token", refresh_token: ACCOUNT.refreshToken, client_id: ACCOUNT.lwaClientId, client_secret: ACCOUNT.lwaClientSecret })
    .reply(200, { access_token: SELLER_TOKEN, token_type: "bearer", expires_in: 3600 }, JSON_HEADERS);
const grantlessLwa = () =>
  nock(LWA)
    .post("/auth/o2/token", { grant_type: "client_credentials", scope: SCOPE, client_id: ACCOUNT.lwaClientId, client_secret: ACCOUNT.lwaClientSecret })
    .reply(200, { access_token: APP_TOKEN, scope: SCOPE, token_type: "bearer", expires_in: 3600 }, JSON_HEADERS);
const headers = (id: string) => ({ ...JSON_HEADERS, "x-amzn-RequestId": id, "x-amzn-RateLimit-Limit": "1.0" });

function appClient(logs: LogLine[] = []) {
  const clock = steppingClock();
  const capture = (level: string) => (msg: string, fields = {}) => void logs.push({ level, msg, fields });
  return createSpApiAppClient({
    app: { region: "na", lwaClientId: ACCOUNT.lwaClientId, lwaClientSecret: ACCOUNT.lwaClientSecret },
    buckets: createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep: clock.sleep }),
    tokenCache: createMemoryAccessTokenCache(),
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    retry: { maxAttempts: 3, baseMs: 500, capMs: 10_000 },
    logger: { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") },
  });
}

afterEach(() => {
  nock.cleanAll();
});

describe("subscriptions (the seller's)", () => {
  it("getSubscription: GET …/subscriptions/ORDER_CHANGE?payloadVersion=1.0 with the seller's token; the model's example answer", async () => {
    const c = sandboxCase("getSubscription.200.example");
    sellerLwa();
    const scope = nock(SP_API).matchHeader("x-amz-access-token", SELLER_TOKEN).get("/notifications/v1/subscriptions/ORDER_CHANGE").query({ payloadVersion: "1.0" }).reply(200, c.response, headers("req-gs-1"));
    const { client } = makeClient(steppingClock());
    const sub = await client.getSubscription("ORDER_CHANGE", { payloadVersion: "1.0" });
    expect(scope.isDone()).toBe(true);
    expect(sub).toEqual((c.response as { payload: unknown }).payload);
    expect(sub?.destinationId).toBe("3acafc7e-121b-1329-8ae8-1571be663aa2");
  });

  it("getSubscription: Amazon's 404 (no subscription of that type) is null, not an error", async () => {
    sellerLwa();
    nock(SP_API)
      .get("/notifications/v1/subscriptions/ORDER_CHANGE")
      .query({ payloadVersion: "1.0" })
      .reply(404, { errors: [{ code: "NotFound", message: "The resource specified does not exist." }] }, headers("req-gs-404"));
    const { client } = makeClient(steppingClock());
    expect(await client.getSubscription("ORDER_CHANGE", { payloadVersion: "1.0" })).toBeNull();
  });

  it("createSubscription: the body is exactly CreateSubscriptionRequest (payloadVersion, destinationId, an ORDER_CHANGE eventFilter)", async () => {
    const c = sandboxCase("createSubscription.200.example");
    sellerLwa();
    const body = {
      payloadVersion: "1.0",
      destinationId: "3acafc7e-121b-1329-8ae8-1571be663aa2",
      processingDirective: { eventFilter: { eventFilterType: "ORDER_CHANGE" as const, marketplaceIds: ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"], orderChangeTypes: ["OrderStatusChange" as const, "BuyerRequestedChange" as const] } },
    };
    const scope = nock(SP_API).matchHeader("x-amz-access-token", SELLER_TOKEN).post("/notifications/v1/subscriptions/ORDER_CHANGE", body).reply(200, c.response, headers("req-cs-1"));
    const { client } = makeClient(steppingClock());
    const sub = await client.createSubscription("ORDER_CHANGE", body);
    expect(scope.isDone()).toBe(true);
    expect(sub).toEqual({ subscriptionId: "7fcacc7e-727b-11e9-8848-1681be663d3e", payloadVersion: "1.0", destinationId: "3acafc7e-121b-1329-8ae8-1571be663aa2" });
  });

  it("createSubscription: 409 (one already exists) is CONFLICT, not retried; a missing destinationId is refused before any call", async () => {
    sellerLwa();
    const scope = nock(SP_API)
      .post("/notifications/v1/subscriptions/ORDER_CHANGE")
      .once()
      .reply(409, { errors: [{ code: "Conflict", message: "The resource specified conflicts with the current state." }] }, headers("req-cs-409"));
    const { client } = makeClient(steppingClock());
    const e = await rejection(client.createSubscription("ORDER_CHANGE", { payloadVersion: "1.0", destinationId: "d-1" }));
    expect(scope.isDone()).toBe(true);
    expect(e).toMatchObject({ kind: "CONFLICT", code: "CONFLICT", retryable: false });
    expect(await rejection(client.createSubscription("ORDER_CHANGE", { payloadVersion: "1.0", destinationId: "" }))).toMatchObject({ kind: "INVALID", field: "destinationId" });
  });
});

describe("grantless operations (the application's)", () => {
  it("deleteSubscriptionById: a client_credentials token for sellingpartnerapi::notifications, DELETE by id; a second delete finds it gone (404) without a second token request", async () => {
    const c = sandboxCase("deleteSubscriptionById.200.example");
    const lwa = grantlessLwa();
    const del = nock(SP_API)
      .matchHeader("x-amz-access-token", APP_TOKEN)
      .delete("/notifications/v1/subscriptions/ORDER_CHANGE/7fcacc7e-727b-11e9-8848-1681be663d3e")
      .reply(200, c.response, headers("req-del-1"))
      .delete("/notifications/v1/subscriptions/ORDER_CHANGE/7fcacc7e-727b-11e9-8848-1681be663d3e")
      .reply(404, { errors: [{ code: "NotFound", message: "The resource specified does not exist." }] }, headers("req-del-2"));
    // From the seller's client too: the grantless call uses the application's credentials, never the refresh token.
    const { client, logs } = makeClient(steppingClock());
    expect(await client.deleteSubscriptionById("ORDER_CHANGE", "7fcacc7e-727b-11e9-8848-1681be663d3e")).toEqual({ deleted: true });
    expect(await client.deleteSubscriptionById("ORDER_CHANGE", "7fcacc7e-727b-11e9-8848-1681be663d3e")).toEqual({ deleted: false });
    expect(lwa.isDone()).toBe(true);
    expect(del.isDone()).toBe(true);
    expect(logs.filter((l) => l.msg === "amazon lwa grantless token issued")).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toMatch(/Atza\||Atzr\||test-client-secret/);
  });

  it("getDestinations and createDestination from the application client (no seller): the SQS ARN in resourceSpecification.sqs", async () => {
    const list = sandboxCase("getDestinations.200.example");
    const created = sandboxCase("createDestination.200.example");
    grantlessLwa();
    const scope = nock(SP_API)
      .matchHeader("x-amz-access-token", APP_TOKEN)
      .get("/notifications/v1/destinations")
      .reply(200, list.response, headers("req-gd-1"))
      .post("/notifications/v1/destinations", { name: "SQSDestination", resourceSpecification: { sqs: { arn: "arn:aws:sqs:us-east-2:444455556666:queue1" } } })
      .reply(200, created.response, headers("req-cd-1"));
    const app = appClient();
    expect(await app.getDestinations()).toEqual([{ destinationId: "9e7a83ee-7730-11e9-8f9e-2a86e4085a59", name: "SQSDestination", resource: { sqs: { arn: "arn:aws:sqs:us-east-2:444455556666:queue1" } } }]);
    expect(await app.createDestination({ name: "SQSDestination", sqsArn: "arn:aws:sqs:us-east-2:444455556666:queue1" })).toMatchObject({ destinationId: "9e7a83ee-7730-11e9-8f9e-2a86e4085a59" });
    expect(scope.isDone()).toBe(true);
  });

  it("createDestination: not an SQS ARN → refused before any call; a 503 is OUTCOME_UNKNOWN (not repeated: a second call could be a second destination)", async () => {
    const app = appClient();
    expect(await rejection(app.createDestination({ name: "x", sqsArn: "https://sqs.us-east-1.amazonaws.com/1/q" }))).toMatchObject({ kind: "INVALID", field: "sqsArn" });
    grantlessLwa();
    const scope = nock(SP_API).post("/notifications/v1/destinations").once().reply(503, "<html>Service Unavailable</html>", { "content-type": "text/html" });
    const e = await rejection(app.createDestination({ name: "x", sqsArn: "arn:aws:sqs:us-east-1:111122223333:oms" }));
    expect(scope.isDone()).toBe(true);
    expect(e).toMatchObject({ code: "OUTCOME_UNKNOWN", retryable: false });
  });

  it("a grantless token LWA refuses (invalid_client) is AUTH, naming the operation; the application client cannot call a seller's operation", async () => {
    nock(LWA).post("/auth/o2/token", (b: { grant_type?: string }) => b.grant_type === "client_credentials").reply(401, { error: "invalid_client", error_description: "Client authentication failed" }, JSON_HEADERS);
    const app = appClient();
    const e = await rejection(app.getDestinations());
    expect(e).toMatchObject({ code: "AUTH", retryable: false });
    expect(e.message).toMatch(/invalid_client/);
    const asSeller = app as unknown as { getSubscription?: unknown };
    expect(asSeller.getSubscription).toBeUndefined();
  });
});
