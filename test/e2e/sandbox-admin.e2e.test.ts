import path from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_OUT } from "#test/support/app-process";
import { demoSession } from "#test/support/e2e";

/**
 * The main job as a person sees it: `oms demo` (sandbox mode, embedded SQLite, in-process job
 * runner) on a free port, opened in Debian's Chromium.  The Polaris shell, the Sandbox banner and
 * the demo shop's name must render with no CDN; Ctrl-C must stop it cleanly.
 */
describe("sandbox admin UI in Chromium", () => {
  const e2e = demoSession({ viewport: { width: 1280, height: 900 } });

  it("renders the Polaris shell, the Sandbox banner and the demo shop, with no request leaving the machine", async () => {
    const { app, page } = e2e;
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
    expect(e2e.watched.offMachine).toEqual([]);
    expect(e2e.watched.consoleErrors).toEqual([]);
  });

  it("stops cleanly on Ctrl-C", async () => {
    expect(await e2e.app.stop("SIGINT")).toBe(0);
    expect(e2e.app.output()).toContain("stopped cleanly");
  });
});
