import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_OUT, launchChromium, startDemoApp, type DemoApp } from "#test/support/app-process";

/**
 * The main job as a person sees it: `oms demo` (sandbox mode, embedded SQLite, in-process job
 * runner) on a free port, opened in Debian's Chromium.  The Polaris shell, the Sandbox banner and
 * the demo shop's name must render with no CDN; Ctrl-C must stop it cleanly.
 */
describe("sandbox admin UI in Chromium", () => {
  let app: DemoApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startDemoApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("renders the Polaris shell, the Sandbox banner and the demo shop, with no request leaving the machine", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const offMachine: string[] = [];
    page.on("request", (r) => {
      const host = new URL(r.url()).hostname;
      if (host !== "127.0.0.1" && host !== "localhost") offMachine.push(r.url());
    });
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    const res = await page.goto(`${app.baseUrl}/app`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    await page.locator(".Polaris-Frame").waitFor();
    await page.getByRole("heading", { level: 1, name: "Demo Outfitters" }).waitFor();
    expect(await page.locator(".Polaris-Banner").first().innerText()).toContain("Sandbox");
    expect(await page.getByText("demo-outfitters.myshopify.com").count()).toBe(1);
    await page.getByRole("link", { name: "Home" }).waitFor();
    expect(await page.getByText("Jobs failed").count()).toBe(1);
    // Polaris styles are applied (bundled CSS, not a CDN): the Frame lays out with its own font.
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/Inter|-apple-system|BlinkMacSystemFont/);
    await page.screenshot({ path: path.join(E2E_OUT, "sandbox-home.png"), fullPage: true });
    expect(offMachine).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("stops cleanly on Ctrl-C", async () => {
    expect(await app.stop("SIGINT")).toBe(0);
    expect(app.output()).toContain("stopped cleanly");
  });
});
