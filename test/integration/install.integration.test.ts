import nock from "nock";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { loader as homeLoader } from "#app/routes/app._index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { TEST_API_KEY, TEST_API_SECRET, testRuntime } from "#test/support/runtime";

const SHOP = "charlie-supply.myshopify.com";
type LoaderArgs = Parameters<typeof homeLoader>[0];

/**
 * Installation through Shopify-managed install + token exchange: the embedded admin opens the app
 * with a session token; the app exchanges it for an expiring offline token, stores the session
 * (encrypted) and records the shop from the Admin API.  Shopify is nock'ed at the HTTP level.
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange
 */
describeEachDatabase("install via token exchange", (tdb) => {
  let rt: AppRuntime;
  beforeAll(() => {
    rt = testRuntime(tdb().url);
  });
  afterAll(async () => rt.close());
  beforeEach(async () => truncateAll(tdb().handle));

  async function openAdmin() {
    const { token } = await getJwt("charlie-supply", TEST_API_KEY, TEST_API_SECRET);
    const request = new Request(`https://oms.test/app?shop=${SHOP}&embedded=1`, { headers: { Authorization: `Bearer ${token}` } });
    return homeLoader({ request, context: { runtime: rt }, params: {} } as LoaderArgs);
  }

  it("exchanges the session token, stores the offline session encrypted and records the shop", async () => {
    const exchange = nock(`https://${SHOP}`)
      .post("/admin/oauth/access_token", (body: Record<string, string>) => body.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange" && body.requested_token_type === "urn:shopify:params:oauth:token-type:offline-access-token")
      .reply(200, { access_token: "shpat_installed", scope: "read_products,read_orders", expires_in: 3600, refresh_token: "shprt_installed", refresh_token_expires_in: 7_776_000 });
    const profile = nock(`https://${SHOP}`)
      .post("/admin/api/2026-10/graphql.json", (body: { query: string }) => body.query.includes("OmsShopProfile"))
      .reply(200, { data: { shop: { name: "Charlie Supply Co.", myshopifyDomain: SHOP, currencyCode: "EUR", ianaTimezone: "Europe/Berlin" } } });

    const res = (await openAdmin()) as Response;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { shop: { name: string; installState: string; currencyCode: string } };
    expect(body.shop).toMatchObject({ name: "Charlie Supply Co.", installState: "installed", currencyCode: "EUR" });
    expect(exchange.isDone()).toBe(true);
    expect(profile.isDone()).toBe(true);

    const session = await rt.db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    expect(session.accessToken).not.toContain("shpat_installed");
    expect(session.refreshToken).not.toContain("shprt_installed");
    expect(session.expires).not.toBeNull(); // expiring offline token
    expect(await rt.db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).toMatchObject({ installState: "installed", ianaTimezone: "Europe/Berlin" });

    // The next request reuses the stored session: no second exchange.
    const again = (await openAdmin()) as Response;
    expect(again.status).toBe(200);
  });

  it("answers an invalid session token with 401 and stores nothing", async () => {
    const { token } = await getJwt("charlie-supply", TEST_API_KEY, "some-other-secret");
    const request = new Request(`https://oms.test/app?shop=${SHOP}&embedded=1`, { headers: { Authorization: `Bearer ${token}` } });
    let status: number | undefined;
    try {
      status = ((await homeLoader({ request, context: { runtime: rt }, params: {} } as LoaderArgs)) as Response).status;
    } catch (thrown) {
      status = (thrown as Response).status;
    }
    expect(status).toBe(401);
    expect(await rt.db.session.count()).toBe(0);
    expect(await rt.db.shop.count()).toBe(0);
  });
});
