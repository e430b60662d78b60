import path from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_OUT } from "#test/support/app-process";
import { demoSession } from "#test/support/e2e";

/**
 * The main job with both channel peers, as `./oms demo` runs it: the demo seller is connected to
 * the Amazon SP-API peer through the connect flow; Amazon orders arrive (ORDER_CHANGE notification
 * → getOrder), are reserved and routed, and created once in the Shopify peer; the admin shows them.
 */
describe("Amazon peer → order in → reserve → route → created in Shopify → admin (Chromium)", () => {
  const e2e = demoSession({ app: { timeoutMs: 120_000, shopifyPeer: { orderEveryMs: 1500 } }, defaultTimeoutMs: 60_000 });

  it("the Amazon page shows the demo seller connected, checked with Amazon, with its marketplace and channel", async () => {
    await e2e.app.waitForLog((r) => r.msg === "Amazon sandbox seller connected", "the demo seller to be connected");
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/amazon`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    await e2e.page.getByRole("heading", { level: 1, name: "Amazon" }).waitFor();
    const body = await e2e.page.locator("main, body").first().innerText();
    expect(body).toContain("Seller A2DEMOSELLER01");
    expect(body).toMatch(/connected/);
    expect(body).toContain("Amazon.com → channel amazon-us");
    expect(body).toMatch(/Checked with Amazon/);
    // The ORDER_CHANGE subscription's state (ADR 015): in the sandbox the peer hands notifications over
    // directly, so there is none to make ("Subscribing" until the first check has run).
    expect(body).toMatch(/Order notifications\s*(Subscribing|Off)/);
    expect(body).toContain("Every Amazon call goes to the local Amazon sandbox peer");
    // Secrets never reach the page: only the tail of the refresh token.
    expect(body).not.toContain("Atzr|sandbox-refresh-token");
    expect(body).toMatch(/Refresh token ••••/);
    await e2e.page.getByRole("region", { name: "Amazon orders of seller A2DEMOSELLER01" }).waitFor();
  }, 150_000);

  it("an Amazon order arrives, is reserved and routed, is created once in Shopify, and shows in the admin with its timeline", async () => {
    // orders created in Shopify by the hub are other channels' orders: in the demo, Amazon's.
    const created = await e2e.app.waitForLog((r) => r.msg === "order created in Shopify", "an Amazon order to be created in Shopify", 150_000);
    const orderId = String(created.orderId);
    // Created once: one creation per hub order, whatever retries happened.
    expect(e2e.app.logLines().filter((r) => r.msg === "order created in Shopify" && r.orderId === orderId)).toHaveLength(1);

    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/orders/${orderId}`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    const body = await e2e.page.locator("main, body").first().innerText();
    expect(body).toContain("Amazon US");
    expect(body).toMatch(/Decision #1/);
    const timeline = await e2e.page.getByRole("region", { name: "Timeline", exact: true }).innerText();
    expect(timeline).toMatch(/amazon order received/);
    expect(timeline).toMatch(/created/);

    // The orders list filtered to the Amazon channel has it.
    await e2e.page.goto(`${e2e.app.baseUrl}/app/orders?channel=amazon-us`, { waitUntil: "networkidle" });
    const name = /^#?\d{3}-\d{7}-\d{7}$/;
    const rows = await e2e.page.locator(".Polaris-IndexTable__TableRow").allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.split(/\s+/).some((w) => name.test(w)))).toBe(true);
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "amazon-order.png"), fullPage: true });

    // The Amazon page counts the orders poll / notifications side.
    await e2e.page.goto(`${e2e.app.baseUrl}/app/amazon`, { waitUntil: "networkidle" });
    await e2e.page.getByRole("region", { name: "Amazon orders of seller A2DEMOSELLER01" }).waitFor();
    expect(e2e.watched.consoleErrors).toEqual([]);
    expect(e2e.watched.offMachine).toEqual([]);
  }, 200_000);

  it("quantities are published back to Amazon (one feed for the first full publish, patches after) and FBA stock shows as a read-only location", async () => {
    await e2e.app.waitForLog((r) => r.msg === "amazon feed done", "the first JSON_LISTINGS_FEED to finish", 150_000);
    await e2e.app.waitForLog((r) => r.msg === "amazon fba inventory synced", "the FBA stock read", 60_000);
    await e2e.page.goto(`${e2e.app.baseUrl}/app/amazon`, { waitUntil: "networkidle" });
    const listings = await e2e.page.getByRole("region", { name: "Amazon listings of seller A2DEMOSELLER01" }).innerText();
    const accepted = Number(/(\d+) accepted/.exec(listings)?.[1] ?? "0");
    expect(accepted).toBeGreaterThan(400); // the demo lists ~495 SKUs on Amazon.com
    expect(listings).toMatch(/DONE/);
    expect(listings).toMatch(/0 rejected/);

    // FBA stock is a location of its own in the inventory, read-only.
    await e2e.page.goto(`${e2e.app.baseUrl}/app/inventory`, { waitUntil: "networkidle" });
    const options = await e2e.page.getByLabel("Location").locator("option").allInnerTexts();
    expect(options.some((o) => /Amazon FBA.*\(read-only\)/.test(o))).toBe(true);
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "amazon-listings.png"), fullPage: true });
    expect(e2e.watched.consoleErrors).toEqual([]);
  }, 200_000);

  it("when the warehouse ships an Amazon order (Shopify's fulfillment webhook), the shipment is confirmed to Amazon and shown", async () => {
    const confirmed = await e2e.app.waitForLog((r) => r.msg === "amazon shipment confirmed", "a shipment to be confirmed to Amazon", 150_000);
    await e2e.page.goto(`${e2e.app.baseUrl}/app/amazon`, { waitUntil: "networkidle" });
    const orders = await e2e.page.getByRole("region", { name: "Amazon orders of seller A2DEMOSELLER01" }).innerText();
    expect(orders).toMatch(/Shipments confirmed to Amazon: [1-9]\d* confirmed/);
    expect(orders).toContain(String(confirmed.amazonOrderId));
    expect(orders).toMatch(/UPS\s+1Z999AA1\d+/);
    expect(e2e.watched.consoleErrors).toEqual([]);
  }, 200_000);
});
