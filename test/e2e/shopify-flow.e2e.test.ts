import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_OUT, launchChromium, startDemoApp, watchPage, type DemoApp } from "#test/support/app-process";

/**
 * The main job with the Shopify sandbox peer, as `./oms demo` runs it: the app imports the demo shop
 * from the peer (bulk operation), then the peer's order stream sends signed orders/create webhooks;
 * each order is stored, reserved and routed, and shows up in the admin with its decision.
 */
describe("Shopify peer → webhooks → reserve → route → admin (Chromium)", () => {
  let app: DemoApp;
  let browser: Browser;
  let page: Page;
  let watched: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    if (!process.env.OMS_SHOPIFY_SCHEMA_DIR) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    app = await startDemoApp({ timeoutMs: 120_000, shopifyPeer: { orderEveryMs: 1500 } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(60_000);
    watched = watchPage(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** Poll the app's own log (JSON lines) until a line matches. */
  async function waitForLog(test: (rec: Record<string, unknown>) => boolean, what: string, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = app
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return null;
          }
        })
        .find((r) => r !== null && test(r));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${app.output().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("imports the demo shop from the peer and links every location and SKU", async () => {
    const done = await waitForLog((r) => r.msg === "shopify import finished", "the Shopify import");
    expect(done.locations).toMatchObject({ seen: 8, created: 0, linked: 8 });
    expect(done.variants).toMatchObject({ created: 0, withoutSku: 0 });
    expect((done.levels as { skipped: number; changed: number }).skipped).toBe(0);
  }, 150_000);

  it("an order placed in the Shopify peer arrives by webhook, is reserved and routed, and shows in the admin", async () => {
    // The first streamed order is the peer's #1001.
    await waitForLog((r) => r.msg === "order routed" && r.name === "#1001", "order #1001 to be routed", 90_000);
    const res = await page.goto(`${app.baseUrl}/app/orders?q=%231001`, { waitUntil: "networkidle", timeout: 90_000 });
    expect(res?.status()).toBe(200);
    await page.getByRole("link", { name: "#1001", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /#1001/ }).waitFor();
    const body = await page.locator("main, body").first().innerText();
    // A Shopify order: its channel, a reservation per line, and a decision with its trace.
    expect(body).toMatch(/Online Store|Point of Sale/);
    expect(body).toMatch(/Decision #1/);
    expect(body).toMatch(/committed/i);
    // The channel's side: the timeline has the webhook that brought it in, and the fulfillment sync
    // (queued by routing) links Shopify's fulfillment orders to it — reload until it has.
    await page.getByRole("heading", { level: 2, name: "Timeline" }).waitFor();
    expect(await page.getByRole("region", { name: "Timeline", exact: true }).innerText()).toMatch(/created/);
    const fos = page.getByRole("region", { name: "Shopify fulfillment orders", exact: true });
    const deadline = Date.now() + 60_000;
    while (!(await fos.getByRole("table").count())) {
      if (Date.now() > deadline) throw new Error(`no fulfillment order linked to #1001:\n${await fos.innerText()}\n${app.output().slice(-3000)}`);
      await page.reload({ waitUntil: "networkidle" });
      await fos.waitFor();
    }
    expect(await fos.innerText()).toMatch(/open|closed|in progress/i);
    await page.screenshot({ path: path.join(E2E_OUT, "shopify-order.png"), fullPage: true });
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.offMachine).toEqual([]);
  }, 150_000);

  it("a fulfillment order Shopify assigned elsewhere is moved to the routed location, and the order page shows it there", async () => {
    // The peer assigns each order's fulfillment order the way Shopify would without the hub; when the
    // hub routes it elsewhere the sync job moves it (fulfillmentOrderMove) and logs how many it moved.
    const synced = await waitForLog((r) => r.msg === "Shopify fulfillment orders synced" && typeof r.moved === "number" && r.moved > 0, "a fulfillment order to be moved", 120_000);
    const res = await page.goto(`${app.baseUrl}/app/orders/${String(synced.orderId)}`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    const timeline = page.getByRole("region", { name: "Timeline", exact: true });
    // The hub's own entry (kind shopify.fulfillment_order_moved), not the fulfillment_orders/moved webhook that follows it.
    const movedEntry = timeline.locator("li").filter({ hasText: /shopify fulfillment order moved/ }).first();
    await movedEntry.waitFor();
    // The entry names the hub location it went to (ids are shown as names).
    const movedText = await movedEntry.innerText();
    const target = /toLocationId: ([^,\n]+)/.exec(movedText)?.[1]?.trim();
    expect(target, movedText).toBeTruthy();
    // …and Shopify's fulfillment order, as the hub mirrors it, is now assigned there.
    const fos = page.getByRole("region", { name: "Shopify fulfillment orders", exact: true });
    expect(await fos.innerText()).toContain(target!);
    // The decision on the same page ships from that location too.
    expect(await page.locator("main, body").first().innerText()).toMatch(new RegExp(`Decision #\\d+[\\s\\S]*${target!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    await page.screenshot({ path: path.join(E2E_OUT, "shopify-fo-moved.png"), fullPage: true });
    expect(watched.consoleErrors).toEqual([]);
  }, 150_000);
});
