import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { action as complianceAction } from "#app/routes/webhooks.compliance";
import { action as uninstalledAction } from "#app/routes/webhooks.app.uninstalled";
import { action as scopesAction } from "#app/routes/webhooks.app.scopes_update";
import { upsertInstalledShop } from "#app/modules/shops/index";
import { recordInboundEvent } from "#app/platform/inbound-events.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { testRuntime } from "#test/support/runtime";
import { orderPayload, shopifyWebhookRequest } from "#test/support/webhooks";

const SHOP_A = "alpha-goods.myshopify.com";
const SHOP_B = "bravo-wares.myshopify.com";

type ActionArgs = Parameters<typeof complianceAction>[0];
const call = (rt: AppRuntime, fn: (a: ActionArgs) => Promise<Response>, request: Request) =>
  fn({ request, context: { runtime: rt }, params: {} } as ActionArgs);

describeEachDatabase("Shopify webhooks → inbound events → compliance jobs", (tdb) => {
  let rt: ReturnType<typeof testRuntime>;
  beforeAll(() => {
    rt = testRuntime(tdb().url);
  });
  afterAll(async () => rt.close());
  beforeEach(async () => {
    await truncateAll(tdb().handle);
    const now = new Date("2026-11-27T09:00:00Z");
    await upsertInstalledShop(rt.db, { domain: SHOP_A, name: "Alpha Goods", scopes: "read_orders" }, now);
    await upsertInstalledShop(rt.db, { domain: SHOP_B, name: "Bravo Wares", scopes: "read_orders" }, now);
  });

  /** Store an orders/create event directly (its route arrives with the Shopify connector issue). */
  async function storeOrder(shop: string, o: Parameters<typeof orderPayload>[0]) {
    return recordInboundEvent(rt.db, { shop, source: "shopify.webhook", externalId: `order-${shop}-${o.id}`, topic: "ORDERS_CREATE", payload: JSON.stringify(orderPayload(o)) });
  }

  async function processAll() {
    await rt.relay.runOnce();
    await rt.runner.drain();
  }

  it("rejects a bad HMAC with 401 and stores nothing", async () => {
    const req = shopifyWebhookRequest({ path: "/webhooks/app/uninstalled", topic: "app/uninstalled", shop: SHOP_A, body: { id: 1 }, hmac: "bm90LXRoZS1yaWdodC1obWFj" });
    let status: number | undefined;
    try {
      status = (await call(rt, uninstalledAction, req)).status;
    } catch (thrown) {
      status = (thrown as Response).status; // authenticate.webhook throws its 401
    }
    expect(status).toBe(401);
    expect(await rt.db.inboundEvent.count()).toBe(0);
    expect(await rt.db.outboxMessage.count()).toBe(0);
  });

  it("stores a delivery once, however often Shopify sends it", async () => {
    const mk = () => shopifyWebhookRequest({ path: "/webhooks/app/scopes_update", topic: "app/scopes_update", shop: SHOP_A, body: { id: 7, previous: ["read_orders"], current: ["read_orders", "write_orders"] }, webhookId: "wh-dup-1" });
    const statuses = await Promise.all([mk(), mk(), mk()].map((r) => call(rt, scopesAction, r).then((res) => res.status)));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await rt.db.inboundEvent.count()).toBe(1);
    expect(await rt.db.outboxMessage.count()).toBe(1);
    await processAll();
    expect(await rt.db.job.count({ where: { name: "inbound.process" } })).toBe(1);
    expect((await rt.db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } })).scopes).toBe("read_orders,write_orders");
    expect((await rt.db.inboundEvent.findFirstOrThrow()).status).toBe("processed");
  });

  it("app/uninstalled deletes the shop's data and sessions, keeps the shop as uninstalled, and ignores later webhooks", async () => {
    await storeOrder(SHOP_A, { id: 1001, customerId: 1, email: "ana@example.com", firstName: "Ana", lastName: "Lima" });
    await storeOrder(SHOP_B, { id: 2001, customerId: 2, email: "bo@example.com", firstName: "Bo", lastName: "Berg" });
    await rt.db.session.createMany({
      data: [
        { id: `offline_${SHOP_A}`, shop: SHOP_A, state: "", accessToken: "x" },
        { id: `offline_${SHOP_B}`, shop: SHOP_B, state: "", accessToken: "y" },
      ],
    });
    await processAll(); // the stored orders have no handler yet: quarantined, not lost
    const res = await call(rt, uninstalledAction, shopifyWebhookRequest({ path: "/webhooks/app/uninstalled", topic: "app/uninstalled", shop: SHOP_A, body: { id: 1, domain: SHOP_A } }));
    expect(res.status).toBe(200);
    await processAll();

    const a = await rt.db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } });
    expect(a.installState).toBe("uninstalled");
    expect(a.uninstalledAt).not.toBeNull();
    const where = { where: { shop: SHOP_A } };
    expect({
      sessions: await rt.db.session.count(where),
      events: await rt.db.inboundEvent.count(where),
      outbox: await rt.db.outboxMessage.count(where),
      jobs: await rt.db.job.count(where),
    }).toEqual({ sessions: 0, events: 0, outbox: 0, jobs: 0 });
    // The other tenant is untouched.
    expect(await rt.db.session.count({ where: { shop: SHOP_B } })).toBe(1);
    expect(await rt.db.inboundEvent.count({ where: { shop: SHOP_B } })).toBe(1);

    // A late orders/* delivery for the uninstalled shop is acknowledged but not stored.
    const late = await call(rt, scopesAction, shopifyWebhookRequest({ path: "/webhooks/app/scopes_update", topic: "app/scopes_update", shop: SHOP_A, body: { current: [] } }));
    expect(late.status).toBe(200);
    expect(await rt.db.inboundEvent.count({ where: { shop: SHOP_A } })).toBe(0);
  });

  it("shop/redact deletes everything for the shop, the shop row included", async () => {
    await storeOrder(SHOP_A, { id: 1001, customerId: 1, email: "ana@example.com", firstName: "Ana", lastName: "Lima" });
    const res = await call(rt, complianceAction, shopifyWebhookRequest({ path: "/webhooks/compliance", topic: "shop/redact", shop: SHOP_A, body: { shop_id: 954889, shop_domain: SHOP_A } }));
    expect(res.status).toBe(200);
    await processAll();
    expect(await rt.db.shop.findUnique({ where: { domain: SHOP_A } })).toBeNull();
    expect(await rt.db.inboundEvent.count({ where: { shop: SHOP_A } })).toBe(0);
    expect(await rt.db.job.count({ where: { shop: SHOP_A } })).toBe(0);
    expect(await rt.db.shop.findUnique({ where: { domain: SHOP_B } })).not.toBeNull();
  });

  it("customers/redact scrubs that customer's personal data from stored payloads, and only theirs", async () => {
    await storeOrder(SHOP_A, { id: 1001, customerId: 11, email: "ana@example.com", firstName: "Ana", lastName: "Lima", phone: "+1 415 555 0101" });
    await storeOrder(SHOP_A, { id: 1002, customerId: 12, email: "cy@example.com", firstName: "Cy", lastName: "Diaz" });
    await storeOrder(SHOP_B, { id: 2001, customerId: 11, email: "ana@example.com", firstName: "Ana", lastName: "Lima" }); // same person, other tenant
    const res = await call(rt, complianceAction, shopifyWebhookRequest({
      path: "/webhooks/compliance",
      topic: "customers/redact",
      shop: SHOP_A,
      body: { shop_id: 954889, shop_domain: SHOP_A, customer: { id: 11, email: "ana@example.com", phone: "+14155550101" }, orders_to_redact: [1001] },
    }));
    expect(res.status).toBe(200);
    await processAll();

    const payloadOf = async (shop: string, externalId: string) => JSON.parse((await rt.db.inboundEvent.findFirstOrThrow({ where: { shop, externalId } })).payload);
    const ana = await payloadOf(SHOP_A, `order-${SHOP_A}-1001`);
    expect(JSON.stringify(ana)).not.toMatch(/Ana|Lima|ana@example\.com|555/);
    expect(ana.customer).toMatchObject({ id: 11, email: "[redacted]", first_name: "[redacted]" });
    expect(ana.shipping_address).toMatchObject({ address1: "[redacted]", zip: "[redacted]", country_code: "US" });
    expect(ana).toMatchObject({ name: "#1001", total_price: "59.00", line_items: [{ sku: "TEE-BLU-M", name: "Blue Tee - M", quantity: 2 }] });
    expect((await payloadOf(SHOP_A, `order-${SHOP_A}-1002`)).customer.first_name).toBe("Cy");
    expect((await payloadOf(SHOP_B, `order-${SHOP_B}-2001`)).customer.first_name).toBe("Ana");
  });

  it("customers/data_request produces an export of what the app holds about the customer", async () => {
    await storeOrder(SHOP_A, { id: 1001, customerId: 11, email: "ana@example.com", firstName: "Ana", lastName: "Lima" });
    await storeOrder(SHOP_A, { id: 1002, customerId: 12, email: "cy@example.com", firstName: "Cy", lastName: "Diaz" });
    const res = await call(rt, complianceAction, shopifyWebhookRequest({
      path: "/webhooks/compliance",
      topic: "customers/data_request",
      shop: SHOP_A,
      body: { shop_id: 954889, shop_domain: SHOP_A, customer: { id: 11, email: "ana@example.com", phone: null }, orders_requested: [1001], data_request: { id: 9999 } },
    }));
    expect(res.status).toBe(200);
    await processAll();
    const exp = await rt.db.dataExport.findFirstOrThrow({ where: { shop: SHOP_A } });
    expect(exp).toMatchObject({ status: "ready", requestId: "9999" });
    const content = JSON.parse(exp.content!);
    expect(content.ordersRequested).toEqual([1001]);
    expect(content.records).toHaveLength(1);
    expect(content.records[0].source).toBe("webhook ORDERS_CREATE");
    expect(JSON.stringify(content.records[0].data)).toContain("Lima");
    expect(JSON.stringify(content)).not.toContain("Diaz");

    // A later redaction removes the export too: it is personal data.
    await call(rt, complianceAction, shopifyWebhookRequest({ path: "/webhooks/compliance", topic: "customers/redact", shop: SHOP_A, body: { shop_domain: SHOP_A, customer: { id: 11, email: "ana@example.com" } } }));
    await processAll();
    expect(await rt.db.dataExport.count({ where: { shop: SHOP_A } })).toBe(0);
  });

  it("quarantines a payload it cannot understand, with a reason naming the field", async () => {
    await call(rt, complianceAction, shopifyWebhookRequest({ path: "/webhooks/compliance", topic: "customers/redact", shop: SHOP_A, body: { shop_domain: SHOP_A } }));
    await processAll();
    const ev = await rt.db.inboundEvent.findFirstOrThrow({ where: { shop: SHOP_A } });
    expect(ev.status).toBe("failed");
    expect(ev.error).toMatch(/customer/);
    const job = await rt.db.job.findFirstOrThrow({ where: { shop: SHOP_A } });
    expect(job.status).toBe("failed"); // INVALID is permanent: no pointless retries
    expect(job.attempts).toBe(1);
  });
});
