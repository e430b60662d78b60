import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { ROOT } from "#test/support/databases";
import { TEST_KEYS } from "#test/support/runtime";

/** Where e2e tests put screenshots. */
export const E2E_OUT = path.join(ROOT, "test-results", "e2e");

export interface DemoApp {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  process: ChildProcessWithoutNullStreams;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** The app's own log so far (JSON lines: LOG_FORMAT=json), parsed; other output is left out. */
  logLines(): Record<string, unknown>[];
  /** Poll the log until a line passes `test`; on timeout the error names `what` and shows the output's tail. */
  waitForLog(test: (rec: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Stop the app (SIGKILL unless told otherwise) and remove its temp database. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `oms demo` as a person runs it: production build, sandbox mode, embedded SQLite in a temp
 * directory, in-process job runner, on a free port.  Resolves once it printed its URL.
 */
export interface DemoAppOptions {
  /** How long the app may take to print its URL (default 60 s). */
  timeoutMs?: number;
  /** Run the Shopify sandbox peer (import + order stream every N ms; 0 = no stream). */
  shopifyPeer?: { orderEveryMs: number };
}

export async function startDemoApp(opts: DemoAppOptions = {}): Promise<DemoApp> {
  if (!fs.existsSync(path.join(ROOT, "build/server/index.js"))) throw new Error("no production build: run ./oms test (it builds first)");
  // Without the schemas the demo runs no peer and a test would only time out waiting for it.
  if (opts.shopifyPeer && !process.env.OMS_SHOPIFY_SCHEMA_DIR) throw new Error("OMS_SHOPIFY_SCHEMA_DIR is not set: run through ./oms test");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-e2e-"));
  fs.mkdirSync(E2E_OUT, { recursive: true });
  const child = spawn(process.execPath, [path.join(ROOT, "bin/oms.js"), "demo", "--port", "0"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      APP_MODE: "sandbox",
      LOG_FORMAT: "json",
      DATABASE_URL: `file:${path.join(dir, "e2e.sqlite")}`,
      OMS_ENCRYPTION_KEYS: TEST_KEYS,
      // Without the schema dir the demo runs no Shopify peer (and says so in its log).
      ...(opts.shopifyPeer ? { OMS_SHOPIFY_SCHEMA_DIR: process.env.OMS_SHOPIFY_SCHEMA_DIR, OMS_DEMO_ORDER_EVERY_MS: String(opts.shopifyPeer.orderEveryMs) } : {}),
    },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });

  const stop = async (signal: NodeJS.Signals = "SIGKILL") => {
    let code: number | null = child.exitCode;
    if (code === null && child.signalCode === null) {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      child.kill(signal);
      code = await exited;
    }
    cleanup();
    return code;
  };

  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`app did not start in ${(opts.timeoutMs ?? 60_000) / 1000} s:\n${output}`)), opts.timeoutMs ?? 60_000);
      const check = () => {
        const m = output.match(/Open (http:\/\/127\.0\.0\.1:\d+)\/app/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`app exited with ${code}:\n${output}`));
      });
    });
    const logLines = () =>
      output
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        });
    const waitForLog = async (test: (rec: Record<string, unknown>) => boolean, what: string, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logLines().find(test);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    return { baseUrl, process: child, output: () => output, logLines, waitForLog, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Debian's Chromium, with nothing that phones home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.OMS_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export type PageWatch = ReturnType<typeof watchPage>;

/** Collects what must stay empty: console errors, uncaught page errors and requests leaving this machine. */
export function watchPage(page: Page) {
  const offMachine: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (r) => {
    const host = new URL(r.url()).hostname;
    if (host !== "127.0.0.1" && host !== "localhost") offMachine.push(r.url());
  });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.location().url ? `${m.text()} (${m.location().url})` : m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
  return { offMachine, consoleErrors };
}
