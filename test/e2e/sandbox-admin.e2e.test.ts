import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "#test/support/databases";
import { TEST_KEYS } from "#test/support/runtime";

const OUT = path.join(ROOT, "test-results", "e2e");

/**
 * The main job as a person sees it: `oms demo` (sandbox mode, embedded SQLite, in-process job
 * runner) on a free port, opened in Debian's Chromium.  The Polaris shell, the Sandbox banner and
 * the demo shop's name must render with no CDN; Ctrl-C must stop it cleanly.
 */
describe("sandbox admin UI in Chromium", () => {
  let app: ChildProcessWithoutNullStreams;
  let baseUrl: string;
  let browser: Browser;
  let output = "";
  let dir: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, "build/server/index.js"))) throw new Error("no production build: run ./oms test (it builds first)");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-e2e-"));
    fs.mkdirSync(OUT, { recursive: true });
    app = spawn(process.execPath, [path.join(ROOT, "bin/oms.js"), "demo", "--port", "0"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        APP_MODE: "sandbox",
        LOG_FORMAT: "json",
        DATABASE_URL: `file:${path.join(dir, "e2e.sqlite")}`,
        OMS_ENCRYPTION_KEYS: TEST_KEYS,
      },
    });
    app.stdout.on("data", (d: Buffer) => (output += d.toString()));
    app.stderr.on("data", (d: Buffer) => (output += d.toString()));
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`app did not start in 60 s:\n${output}`)), 60_000);
      const check = () => {
        const m = output.match(/Open (http:\/\/127\.0\.0\.1:\d+)\/app/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      app.stdout.on("data", check);
      app.once("exit", (code) => reject(new Error(`app exited with ${code}:\n${output}`)));
    });
    browser = await chromium.launch({
      executablePath: process.env.OMS_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (app && app.exitCode === null) app.kill("SIGKILL");
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
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
    const res = await page.goto(`${baseUrl}/app`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    await page.locator(".Polaris-Frame").waitFor();
    await page.getByRole("heading", { level: 1, name: "Demo Outfitters" }).waitFor();
    expect(await page.locator(".Polaris-Banner").first().innerText()).toContain("Sandbox");
    expect(await page.getByText("demo-outfitters.myshopify.com").count()).toBe(1);
    await page.getByRole("link", { name: "Home" }).waitFor();
    expect(await page.getByText("Jobs failed").count()).toBe(1);
    // Polaris styles are applied (bundled CSS, not a CDN): the Frame lays out with its own font.
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/Inter|-apple-system|BlinkMacSystemFont/);
    await page.screenshot({ path: path.join(OUT, "sandbox-home.png"), fullPage: true });
    expect(offMachine).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("stops cleanly on Ctrl-C", async () => {
    const exited = new Promise<number | null>((resolve) => app.once("exit", (code) => resolve(code)));
    app.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("stopped cleanly");
  });
});
