import path from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_OUT } from "#test/support/app-process";
import { demoSession } from "#test/support/e2e";

// One demo app with the Shopify peer serves both groups below (each start costs a demo seed, a full
// import and a Chromium launch); the connections group runs last, since its resync re-imports.
describe("the demo with the Shopify sandbox peer (Chromium)", () => {
  const e2e = demoSession({ app: { timeoutMs: 120_000, shopifyPeer: { orderEveryMs: 1500 } }, viewport: { width: 1440, height: 1100 }, defaultTimeoutMs: 90_000 });

  /**
   * The main job with the Shopify sandbox peer, as `./oms demo` runs it: the app imports the demo shop
   * from the peer (bulk operation), then the peer's order stream sends signed orders/create webhooks;
   * each order is stored, reserved and routed, and shows up in the admin with its decision.
   */
  describe("Shopify peer → webhooks → reserve → route → admin (Chromium)", () => {
    it("imports the demo shop from the peer and links every location and SKU", async () => {
      const done = await e2e.app.waitForLog((r) => r.msg === "shopify import finished", "the Shopify import");
      expect(done.locations).toMatchObject({ seen: 8, created: 0, linked: 8 });
      expect(done.variants).toMatchObject({ created: 0, withoutSku: 0 });
      expect((done.levels as { skipped: number; changed: number }).skipped).toBe(0);
    }, 150_000);

    it("an order placed in the Shopify peer arrives by webhook, is reserved and routed, and shows in the admin", async () => {
      // The first streamed order is the peer's #1001.
      await e2e.app.waitForLog((r) => r.msg === "order routed" && r.name === "#1001", "order #1001 to be routed", 90_000);
      const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/orders?q=%231001`, { waitUntil: "networkidle", timeout: 90_000 });
      expect(res?.status()).toBe(200);
      await e2e.page.getByRole("link", { name: "#1001", exact: true }).click();
      await e2e.page.getByRole("heading", { level: 1, name: /#1001/ }).waitFor();
      const body = await e2e.page.locator("main, body").first().innerText();
      // A Shopify order: its channel, a reservation per line, and a decision with its trace.
      expect(body).toMatch(/Online Store|Point of Sale/);
      expect(body).toMatch(/Decision #1/);
      expect(body).toMatch(/committed/i);
      // The channel's side: the timeline has the webhook that brought it in, and the fulfillment sync
      // (queued by routing) links Shopify's fulfillment orders to it — reload until it has.
      await e2e.page.getByRole("heading", { level: 2, name: "Timeline" }).waitFor();
      expect(await e2e.page.getByRole("region", { name: "Timeline", exact: true }).innerText()).toMatch(/created/);
      const fos = e2e.page.getByRole("region", { name: "Shopify fulfillment orders", exact: true });
      const deadline = Date.now() + 60_000;
      while (!(await fos.getByRole("table").count())) {
        if (Date.now() > deadline) throw new Error(`no fulfillment order linked to #1001:\n${await fos.innerText()}\n${e2e.app.output().slice(-3000)}`);
        await e2e.page.reload({ waitUntil: "networkidle" });
        await fos.waitFor();
      }
      expect(await fos.innerText()).toMatch(/open|closed|in progress/i);
      await e2e.page.screenshot({ path: path.join(E2E_OUT, "shopify-order.png"), fullPage: true });
      expect(e2e.watched.consoleErrors).toEqual([]);
      expect(e2e.watched.offMachine).toEqual([]);
    }, 150_000);

    it("a fulfillment order Shopify assigned elsewhere is moved to the routed location, and the order page shows it there", async () => {
      // The peer assigns each order's fulfillment order the way Shopify would without the hub; when the
      // hub routes it elsewhere the sync job moves it (fulfillmentOrderMove) and logs how many it moved.
      const synced = await e2e.app.waitForLog((r) => r.msg === "Shopify fulfillment orders synced" && typeof r.moved === "number" && r.moved > 0, "a fulfillment order to be moved", 120_000);
      const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/orders/${String(synced.orderId)}`, { waitUntil: "networkidle" });
      expect(res?.status()).toBe(200);
      const timeline = e2e.page.getByRole("region", { name: "Timeline", exact: true });
      // The hub's own entry (kind shopify.fulfillment_order_moved), not the fulfillment_orders/moved webhook that follows it.
      const movedEntry = timeline.locator("li").filter({ hasText: /shopify fulfillment order moved/ }).first();
      await movedEntry.waitFor();
      // The entry names the hub location it went to (ids are shown as names).
      const movedText = await movedEntry.innerText();
      const target = /toLocationId: ([^,\n]+)/.exec(movedText)?.[1]?.trim();
      expect(target, movedText).toBeTruthy();
      // …and Shopify's fulfillment order, as the hub mirrors it, is now assigned there.
      const fos = e2e.page.getByRole("region", { name: "Shopify fulfillment orders", exact: true });
      expect(await fos.innerText()).toContain(target!);
      // The decision on the same page ships from that location too.
      expect(await e2e.page.locator("main, body").first().innerText()).toMatch(new RegExp(`Decision #\\d+[\\s\\S]*${target!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      await e2e.page.screenshot({ path: path.join(E2E_OUT, "shopify-fo-moved.png"), fullPage: true });
      expect(e2e.watched.consoleErrors).toEqual([]);
    }, 150_000);
  });

  /**
   * The connections page with the Shopify sandbox peer running (`./oms demo`): the start-up import
   * shows as completed with its counts, webhooks arrive per topic with their lag, and "Resync now"
   * runs a resync whose progress bar updates until it completes.  No sleeps: the page refreshes
   * itself, the test waits for what it shows.
   */
  describe("connections page with the Shopify peer (Chromium)", () => {
    const shopify = () => e2e.page.getByRole("region", { name: "Shopify", exact: true });
    const topics = () => e2e.page.getByRole("region", { name: "Webhooks by topic", exact: true });
    /** The badge next to the card's title. */
    const badge = () => shopify().locator(".Polaris-Badge").first();

    it("shows the completed import with its counts, and webhooks arriving per topic with their lag", async () => {
      const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/connections`, { waitUntil: "domcontentloaded" });
      expect(res?.status()).toBe(200);
      await e2e.page.getByRole("heading", { level: 1, name: "Connections" }).waitFor();

      // The start-up import finishes while the page refreshes itself.
      await shopify().getByText(/^Last sync completed .* ago/).waitFor({ timeout: 120_000 });
      await shopify().getByText(/8 locations linked, 0 created/).waitFor();
      const stats = await shopify().innerText();
      expect(stats).toMatch(/Locations linked\s*8\s*all linked/);
      expect(stats).toMatch(/\d+ SKUs \(\d+ linked, 0 created\)/);

      // Orders stream in as orders/create webhooks (every 1.5 s once the import is done).
      const ordersRow = topics().getByRole("row").filter({ hasText: "orders/create" });
      await ordersRow.waitFor({ timeout: 60_000 });
      const cells = await ordersRow.getByRole("cell").allInnerTexts();
      // [received, processed, failed, quarantined, pending, error rate] after the topic (a row header)
      expect(Number(cells[0])).toBeGreaterThan(0);
      const card = await shopify().innerText();
      expect(card).toMatch(/Last webhook\s*[\d.]+ (ms|s|min)( \d+ s)? ago/);
      expect(card).toMatch(/Webhook lag\s*[\d.]+ (ms|s|min)/);
      expect(card).toMatch(/Processing time \(1 h\)\s*p50 [\d.]+ (ms|s)/);

      // Honest about the connector that does not exist yet; Amazon links to its accounts page.
      expect(await e2e.page.getByRole("region", { name: "B2B portal", exact: true }).innerText()).toContain("Not connected yet — coming with their connectors.");
      const amazon = e2e.page.getByRole("region", { name: "Amazon", exact: true });
      // A seller (the demo connects one in the background) shows its notification subscription's state.
      expect(await amazon.innerText()).toMatch(/Seller \w+ \(na\): Amazon\.com — notifications (being set up|off \(polling\))|No seller account connected/);
      expect(await amazon.getByRole("link", { name: /Amazon/ }).getAttribute("href")).toContain("/app/amazon");
      expect(e2e.watched.consoleErrors).toEqual([]);
    }, 200_000);

    it("resyncs on request: a progress bar with the job's message, then completion", async () => {
      const before = await shopify().getByText(/^Last sync completed/).innerText();
      const resync = async () => {
        const answered = e2e.page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/app/connections");
        await shopify().getByRole("button", { name: "Resync now" }).click();
        const response = await answered;
        const text = await response.text();
        try {
          return JSON.parse(text) as { ok: boolean; jobId: string; alreadyActive: boolean };
        } catch {
          // Say what came back instead (once this failed with no more than a JSON parse error).
          throw new Error(`Resync answered ${response.status()} ${response.headers()["content-type"] ?? ""}: ${text.slice(0, 2000)}`);
        }
      };
      const first = await resync();
      expect(first).toMatchObject({ ok: true, alreadyActive: false });
      // A second click while it is queued or running adds nothing: the same job is shown.
      const second = await resync();
      expect(second).toMatchObject({ ok: true, alreadyActive: true, jobId: first.jobId });
      await shopify().getByText("A resync is already queued or running: showing its progress.").waitFor();

      await expect.poll(async () => (await badge().innerText()).includes("Importing"), { timeout: 30_000 }).toBe(true);
      const bar = shopify().getByRole("progressbar");
      await bar.waitFor();
      expect(await shopify().locator("#resync-progress-label").innerText()).toMatch(/^Resync (queued|running)/);
      // The job's own message, as the import reports it (locations, then the bulk operation, then rows).
      await shopify().getByText(/^Resync running: (importing locations|asking Shopify|Shopify is preparing the export|imported \d+ SKUs)/).waitFor();
      await e2e.page.screenshot({ path: path.join(E2E_OUT, "connections-resync.png"), fullPage: true });

      // The progress bar goes away when the job is done, and the last sync is the new one.
      await bar.waitFor({ state: "detached", timeout: 120_000 });
      await expect.poll(async () => (await badge().innerText()).includes("Importing"), { timeout: 30_000 }).toBe(false);
      await shopify().getByText(/8 locations linked, 0 created/).waitFor();
      const after = await shopify().getByText(/^Last sync completed/).innerText();
      expect(after).not.toBe(before);
      expect(await shopify().innerText()).not.toMatch(/Last import failed/);
      await e2e.page.screenshot({ path: path.join(E2E_OUT, "connections.png"), fullPage: true });
      expect(e2e.watched.consoleErrors).toEqual([]);
      expect(e2e.watched.offMachine).toEqual([]);
    }, 200_000);
  });
});
