import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium, startDemoApp, watchPage, type DemoApp, type DemoAppOptions, type PageWatch } from "#test/support/app-process";

/** One browser test file's world: the demo app, Chromium, one page and what is watched on it. */
export interface DemoSession {
  readonly app: DemoApp;
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors, uncaught page errors and off-machine requests on `page` (see watchPage). */
  readonly watched: PageWatch;
}

export interface DemoSessionOptions {
  app?: DemoAppOptions;
  /** Default 1440 × 1000. */
  viewport?: { width: number; height: number };
  /** page.setDefaultTimeout (Playwright's own default, 30 s, when absent). */
  defaultTimeoutMs?: number;
  /** page.setDefaultNavigationTimeout. */
  navigationTimeoutMs?: number;
}

/**
 * Call inside a describe: beforeAll starts `oms demo` (startDemoApp), launches Chromium and opens a
 * watched page; afterAll closes the browser and stops the app.  The returned session's fields are
 * there from beforeAll on; reading one earlier throws.
 */
export function demoSession(opts: DemoSessionOptions = {}): DemoSession {
  let app: DemoApp | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let watched: PageWatch | undefined;

  // The app's own start-up allowance, plus a minute for Chromium and the page.
  beforeAll(async () => {
    app = await startDemoApp(opts.app);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: opts.viewport ?? { width: 1440, height: 1000 } });
    if (opts.defaultTimeoutMs !== undefined) page.setDefaultTimeout(opts.defaultTimeoutMs);
    if (opts.navigationTimeoutMs !== undefined) page.setDefaultNavigationTimeout(opts.navigationTimeoutMs);
    watched = watchPage(page);
  }, (opts.app?.timeoutMs ?? 60_000) + 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not there yet: the demo session starts in beforeAll (did it fail?)`);
    return value;
  };
  return {
    get app() {
      return ready(app, "the demo app");
    },
    get browser() {
      return ready(browser, "Chromium");
    },
    get page() {
      return ready(page, "the page");
    },
    get watched() {
      return ready(watched, "the page watch");
    },
  };
}
