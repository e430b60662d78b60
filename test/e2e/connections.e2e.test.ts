import path from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_OUT } from "#test/support/app-process";
import { demoSession } from "#test/support/e2e";

/**
 * The connections page with the Shopify sandbox peer running (`./oms demo`): the start-up import
 * shows as completed with its counts, webhooks arrive per topic with their lag, and "Resync now"
 * runs a resync whose progress bar updates until it completes.  No sleeps: the page refreshes
 * itself, the test waits for what it shows.
 */
describe("connections page with the Shopify peer (Chromium)", () => {
  const e2e = demoSession({ app: { timeoutMs: 120_000, shopifyPeer: { orderEveryMs: 2000 } }, viewport: { width: 1440, height: 1100 }, defaultTimeoutMs: 90_000 });

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

    // Orders stream in as orders/create webhooks (every 2 s once the import is done).
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
    expect(await amazon.innerText()).toMatch(/Seller \w+ \(na\)|No seller account connected/);
    expect(await amazon.getByRole("link", { name: /Amazon/ }).getAttribute("href")).toContain("/app/amazon");
    expect(e2e.watched.consoleErrors).toEqual([]);
  }, 200_000);

  it("resyncs on request: a progress bar with the job's message, then completion", async () => {
    const before = await shopify().getByText(/^Last sync completed/).innerText();
    const resync = async () => {
      const answered = e2e.page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/app/connections");
      await shopify().getByRole("button", { name: "Resync now" }).click();
      return (await (await answered).json()) as { ok: boolean; jobId: string; alreadyActive: boolean };
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
