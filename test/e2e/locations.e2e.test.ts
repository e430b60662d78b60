import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_OUT, launchChromium, startDemoApp, watchPage, type DemoApp } from "#test/support/app-process";

/**
 * The Locations pages as a merchant uses them in `oms demo` with the Shopify sandbox peer (so the
 * locations are linked to Shopify locations and a push really reaches Shopify): make the hub the
 * stock source of a 3PL, get a bad count named on its field with nothing lost, enter a count, watch
 * it being pushed, and find it on the SKU's page and in its ledger.
 */
describe("Locations admin pages in Chromium", () => {
  let app: DemoApp;
  let browser: Browser;
  let page: Page;
  let watched: ReturnType<typeof watchPage>;
  let renoUrl = "";
  let counted = { sku: "", was: 0, now: 0 };

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

  beforeAll(async () => {
    if (!process.env.OMS_SHOPIFY_SCHEMA_DIR) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
    app = await startDemoApp({ timeoutMs: 120_000, shopifyPeer: { orderEveryMs: 0 } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(60_000);
    watched = watchPage(page);
    // The import links the hub's locations and SKUs to the peer's: pushes need that.
    await waitForLog((r) => r.msg === "shopify import finished", "the Shopify import");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const region = (name: string) => page.getByRole("region", { name, exact: true });
  /** Console errors since the last call; a step that answers 4xx on purpose expects exactly Chromium's line for it. */
  const newConsoleErrors = () => watched.consoleErrors.splice(0);
  const failedToLoad = (status: string, url: string) => `Failed to load resource: the server responded with a status of ${status} (${app.baseUrl}${url})`;

  it("lists every location with its kind, address, coordinates, stock source and push status", async () => {
    const res = await page.goto(`${app.baseUrl}/app/locations`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    await page.getByRole("heading", { level: 1, name: "Locations" }).waitFor();
    await page.getByRole("link", { name: "Locations", exact: true }).first().waitFor(); // navigation item
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    const reno = rows.filter({ hasText: "Reno 3PL" });
    const renoText = await reno.innerText();
    expect(renoText).toContain("3PL");
    expect(renoText).toContain("Sparks, NV 89431");
    expect(renoText).toContain("39.5296, -119.8138");
    expect(renoText).toContain("Shopify");
    expect(renoText).toContain("Mirrors Shopify");
    expect(await rows.filter({ hasText: "Los Angeles Store" }).innerText()).toMatch(/Store[\s\S]*Yes[\s\S]*Yes[\s\S]*Active/); // ships online, pickup
    expect(await rows.filter({ hasText: "Wholesale DC" }).innerText()).toMatch(/Wholesale DC[\s\S]*No[\s\S]*No/);
    // Every location routing uses has coordinates in the demo: no warning.
    expect(await page.getByText("no coordinates", { exact: false }).count()).toBe(0);
    await page.screenshot({ path: path.join(E2E_OUT, "locations.png"), fullPage: true });

    await reno.getByRole("link", { name: "Reno 3PL" }).click();
    await page.getByRole("heading", { level: 1, name: "Reno 3PL" }).waitFor();
    renoUrl = page.url();
    expect(renoUrl).toMatch(/\/app\/locations\/[^/?]+$/);
    expect(newConsoleErrors()).toEqual([]);
  });

  it("a Shopify-owned location shows its counts read-only, saying why", async () => {
    expect(await region("Stock source").innerText()).toContain("Shopify's counts are the truth here");
    const counts = await region("Counts").innerText();
    expect(counts).toContain("These counts cannot be edited here");
    expect(counts).toContain("Change counts in Shopify admin");
    expect(await page.getByRole("form", { name: "Enter a count" }).count()).toBe(0);
    expect(await region("Push to Shopify").count()).toBe(0);
  });

  it("makes the hub the stock source after a confirmation that explains it, and the first push runs", async () => {
    await page.getByRole("button", { name: "Make the hub the stock source" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Make the hub the stock source of Reno 3PL?").waitFor();
    expect(await dialog.innerText()).toContain("pushed to Shopify now");
    await dialog.getByRole("button", { name: "Make the hub the source" }).click();
    await page.getByText("The hub now owns the stock at Reno 3PL: its counts are being pushed to Shopify").waitFor();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("form", { name: "Enter a count" }).waitFor();
    // The page refreshes itself until the push has run.
    await region("Push to Shopify").getByText("Last push succeeded").or(region("Push to Shopify").getByText(/^Pushed$/)).first().waitFor();
    expect(await region("Push to Shopify").innerText()).toMatch(/Last push: .* UTC, nothing to change: Shopify already had the hub's \d+ counts/);
    expect(newConsoleErrors()).toEqual([]);
  });

  it("names a bad count on its field and keeps what was typed", async () => {
    const form = page.getByRole("form", { name: "Enter a count" });
    await form.getByLabel("SKU").fill("TT1-BLA-M");
    await form.getByLabel("New on-hand count").fill("-3");
    await form.getByLabel("Note").fill("cycle count");
    await form.getByRole("button", { name: "Save count" }).click();
    await form.locator(".Polaris-Banner").filter({ hasText: "Count not saved" }).waitFor();
    expect(await form.locator(".Polaris-Banner").innerText()).toContain("New on-hand count: must be a whole number ≥ 0, got -3");
    await form.locator(".Polaris-InlineError").filter({ hasText: "must be a whole number ≥ 0, got -3" }).waitFor();
    expect(await form.getByLabel("SKU").inputValue()).toBe("TT1-BLA-M");
    expect(await form.getByLabel("New on-hand count").inputValue()).toBe("-3");
    expect(await form.getByLabel("Note").inputValue()).toBe("cycle count");

    await form.getByLabel("SKU").fill("NOPE-1");
    await form.getByLabel("New on-hand count").fill("4");
    await form.getByRole("button", { name: "Save count" }).click();
    await form.locator(".Polaris-InlineError").filter({ hasText: "no SKU NOPE-1 in this shop" }).waitFor();
    expect(await form.locator(".Polaris-InlineError").count()).toBe(1); // the count's error is gone
    expect(await form.getByLabel("Note").inputValue()).toBe("cycle count");
    const action = `${new URL(renoUrl).pathname}?_data=${encodeURIComponent("routes/app.locations.$id")}`;
    expect(newConsoleErrors()).toEqual([failedToLoad("422 (Unprocessable Entity)", action), failedToLoad("422 (Unprocessable Entity)", action)]);
  });

  it("enters a count from the stock list: the ledger entry is shown and the count is pushed to Shopify", async () => {
    // Pick a SKU the 3PL stocks (its row's Count button fills in the SKU and today's count).
    await page.getByLabel("Find a SKU").fill("TT1");
    await page.getByLabel("Find a SKU").press("Enter");
    await page.waitForURL(/\?q=TT1$/);
    const stock = region("Stock here");
    await stock.locator(".Polaris-IndexTable__TableRow").first().filter({ hasText: "TT1" }).waitFor();
    const rows = await stock.locator(".Polaris-IndexTable__TableRow").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));
    const row = rows.find((cells) => Number(cells[2]) > 0);
    expect(row, JSON.stringify(rows)).toBeDefined();
    counted = { sku: row![0]!, was: Number(row![2]), now: Number(row![2]) + 5 };
    await stock.getByRole("button", { name: `Count ${counted.sku}` }).click();
    const form = page.getByRole("form", { name: "Enter a count" });
    expect(await form.getByLabel("SKU").inputValue()).toBe(counted.sku);
    expect(await form.getByLabel("New on-hand count").inputValue()).toBe(String(counted.was));
    await form.getByLabel("New on-hand count").fill(String(counted.now));
    await form.getByLabel("Note").fill("cycle count");
    await form.getByRole("button", { name: "Save count" }).click();

    const done = region("Counts").locator(".Polaris-Banner").filter({ hasText: `Counted ${counted.sku} at Reno 3PL` });
    await done.waitFor();
    const text = await done.innerText();
    expect(text).toContain(`on hand ${counted.now} (was ${counted.was}). The push to Shopify is queued.`);
    expect(text).toContain(`Ledger: on_hand +5 → ${counted.now}, available +5 → `);
    expect(text).toContain("(“cycle count”)");
    // The form is empty for the next count.
    expect(await form.getByLabel("SKU").inputValue()).toBe("");
    expect(await form.getByLabel("Note").inputValue()).toBe("");
    expect(await stock.locator(".Polaris-IndexTable__TableRow").filter({ hasText: counted.sku }).first().innerText()).toContain(String(counted.now));
    // The push runs and the page shows it without a reload.
    await region("Push to Shopify").getByText(/Last push: .* UTC, 1 count set in Shopify, \d+ already equal\./).waitFor();
    await page.screenshot({ path: path.join(E2E_OUT, "location-hub-count.png"), fullPage: true });
    expect(newConsoleErrors()).toEqual([]);
  });

  it("the SKU's page shows the new count at the location and the ledger entry", async () => {
    await region("Counts").getByRole("link", { name: `Open ${counted.sku}: stock by location and its ledger` }).click();
    await page.getByRole("heading", { level: 1, name: counted.sku }).waitFor();
    const reno = page.getByRole("region", { name: "Stock by location", exact: true }).locator("tr").filter({ hasText: "Reno 3PL" });
    expect((await reno.locator("td").nth(1).innerText()).trim()).toBe(String(counted.now));
    const ledger = await page.getByRole("region", { name: "Ledger", exact: true }).locator("tbody tr").first().innerText();
    expect(ledger).toContain("Reno 3PL");
    expect(ledger).toContain("+5");
    expect(ledger).toContain("manual");
    expect(ledger).toContain("cycle count");
    expect(newConsoleErrors()).toEqual([]);
  });

  it("the list shows Reno 3PL as hub-owned with its last push", async () => {
    await page.goto(`${app.baseUrl}/app/locations`, { waitUntil: "networkidle" });
    const reno = await page.locator(".Polaris-IndexTable__TableRow").filter({ hasText: "Reno 3PL" }).innerText();
    expect(reno).toContain("Hub");
    expect(reno).toContain("Pushed");
    expect(newConsoleErrors()).toEqual([]);
  });

  it("switching back to Shopify explains what happens and makes the counts read-only again", async () => {
    await page.goto(renoUrl, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Mirror Shopify's counts" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.innerText()).toContain("The hub stops pushing its counts here");
    await dialog.getByRole("button", { name: "Mirror Shopify" }).click();
    await page.getByText("Reno 3PL mirrors Shopify's counts again").waitFor();
    await region("Counts").getByText("These counts cannot be edited here").waitFor();
    expect(await region("Push to Shopify").count()).toBe(0);
    expect(newConsoleErrors()).toEqual([]);
  });

  it("answers an unknown location with 404 and a clear message", async () => {
    const res = await page.goto(`${app.baseUrl}/app/locations/no-such-location`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(404);
    await page.getByText("Location no-such-location not found").waitFor();
    await page.locator(".Polaris-Frame").waitFor(); // still inside the admin shell
    expect(newConsoleErrors()).toEqual([failedToLoad("404 (Not Found)", "/app/locations/no-such-location")]);
  });

  it("sent nothing off the machine and logged no console errors", () => {
    expect(watched.offMachine).toEqual([]);
    expect(newConsoleErrors()).toEqual([]);
  });
});
