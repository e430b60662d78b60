import path from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_OUT } from "#test/support/app-process";
import { demoSession } from "#test/support/e2e";

/**
 * The Orders admin pages as a merchant uses them in the sandbox (`oms demo`, seeded demo shop with
 * a month of orders and the routing scenarios): find orders across channels, read why an order
 * ships from where it does, re-route it, and cancel one.
 */
describe("orders admin pages in Chromium", () => {
  // Right after start the demo publishes ATS for every SKU (~30 s of jobs); on a busy machine
  // a step may wait longer than Playwright's default 30 s.
  const e2e = demoSession({ defaultTimeoutMs: 60_000 });

  /** A labelled card (or part) of the page. */
  const region = (name: string) => e2e.page.getByRole("region", { name, exact: true });
  const rows = () => e2e.page.locator(".Polaris-IndexTable__TableRow");
  const row = (text: string) => rows().filter({ has: e2e.page.getByRole("link", { name: text, exact: true }) });
  /**
   * Console errors since the last call.  None is ignored: a step that answers 404 or 409 on purpose
   * expects exactly Chromium's own "Failed to load resource" line for that response, nothing else.
   */
  const newConsoleErrors = () => e2e.watched.consoleErrors.splice(0);
  const failedToLoad = (status: string, url: string) => `Failed to load resource: the server responded with a status of ${status} (${e2e.app.baseUrl}${url})`;

  it("lists orders across channels, filters them in the URL and pages on", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/orders`, { waitUntil: "networkidle", timeout: 90_000 });
    expect(res?.status()).toBe(200);
    await e2e.page.getByRole("heading", { level: 1, name: "Orders" }).waitFor();
    expect(await rows().count()).toBe(50); // the first page of ~54 seeded orders, newest first

    // A routed split order: status, where it ships from, the rule that decided.
    const split = await row("DEMO-CA-SPLIT").innerText();
    expect(split).toContain("Online Store");
    expect(split).toContain("Routed");
    expect(split).toContain("San Diego, CA");
    expect(split).toContain("West Coast Warehouse");
    expect(split).toContain("East Coast Fulfillment Center");
    expect(split).toContain("california");
    // Queued pickup orders name their queue.
    expect(await rows().filter({ hasText: "Queued: pickup-exceptions" }).count()).toBeGreaterThan(0);

    // The next page follows the cursor; "First page" comes back.
    await e2e.page.getByRole("link", { name: "Next page" }).click();
    await e2e.page.waitForURL(/\/app\/orders\?cursor=[^&]+&page=2$/);
    await e2e.page.getByText(/^Orders 51–\d+ \(last page\)$/).waitFor();
    expect(await rows().count()).toBeGreaterThan(0);
    expect(await row("DEMO-CA-SPLIT").count()).toBe(0);
    await e2e.page.getByRole("link", { name: "First page" }).click();
    await e2e.page.waitForURL(/\/app\/orders$/);
    await e2e.page.getByText("Orders 1–50", { exact: true }).waitFor();

    // Channel filter (linkable): the portal's purchase orders, no online orders.
    await e2e.page.getByLabel("Channel").selectOption({ label: "Wholesale Portal (cXML)" });
    await e2e.page.waitForURL(/\/app\/orders\?channel=portal$/);
    await rows().filter({ hasText: "Online Store" }).first().waitFor({ state: "detached" });
    const portal = await rows().allInnerTexts();
    expect(portal.length).toBeGreaterThan(0);
    expect(portal.every((t) => t.includes("Wholesale Portal (cXML)") && t.includes("B2B"))).toBe(true);
    const po = await row("PO-DEMO-7001").innerText();
    expect(po).toContain("Routed");
    expect(po).toContain("Wholesale DC");

    // Filters combine: no portal order is queued.
    await e2e.page.getByLabel("Status").selectOption({ label: "Queued" });
    await e2e.page.waitForURL(/\/app\/orders\?channel=portal&status=queued$/);
    await e2e.page.getByText("No orders match").waitFor();
    await e2e.page.getByRole("link", { name: "Clear filters" }).click();
    await e2e.page.waitForURL(/\/app\/orders$/);
    await e2e.page.getByRole("link", { name: "Clear filters" }).waitFor({ state: "detached" }); // the unfiltered list is rendered

    // Where orders ship from: the expedited scenario goes to the nearest regional 3PL.
    await e2e.page.getByLabel("Ships from").selectOption({ label: "Allentown 3PL" });
    await e2e.page.waitForURL(/\/app\/orders\?location=[^&]+$/);
    await rows().filter({ hasNotText: "Allentown 3PL" }).first().waitFor({ state: "detached" });
    expect(await row("DEMO-EXPEDITED").innerText()).toMatch(/Expedited[\s\S]*Allentown 3PL[\s\S]*expedited/);
    await e2e.page.getByRole("link", { name: "Clear filters" }).click();
    await e2e.page.waitForURL(/\/app\/orders$/);
    await e2e.page.getByRole("link", { name: "Clear filters" }).waitFor({ state: "detached" }); // the unfiltered list is rendered

    // Search on the name / external id, then open the order.
    await e2e.page.getByLabel("Search").fill("DEMO-CA-SPLIT");
    await e2e.page.getByLabel("Search").press("Enter");
    await e2e.page.waitForURL(/\/app\/orders\?q=DEMO-CA-SPLIT$/);
    await e2e.page.getByText("Orders 1–1 (last page)", { exact: true }).waitFor();
    await e2e.page.getByRole("link", { name: "DEMO-CA-SPLIT", exact: true }).click();
    await e2e.page.waitForURL(/\/app\/orders\/[0-9a-f-]{36}$/);
    await e2e.page.getByRole("heading", { level: 1, name: "DEMO-CA-SPLIT" }).waitFor();
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "orders-list.png") });
    expect(newConsoleErrors()).toEqual([]);
  }, 300_000); // the first steps share the machine with the app's start-up jobs

  it("shows the split order's plan and the decision trace", async () => {
    // (Still on DEMO-CA-SPLIT's page from the step before.)
    const decision = await region("Routing decision").innerText();
    expect(decision).toContain("Decision #1 · intake by system:seed");
    expect(decision).toContain("by rule california");
    expect(decision).toMatch(/West Coast Warehouse\s+CC1-RED-ONESIZE×1\s+[\d.]+ km\s+\$[\d.]+\s+\d+/);
    expect(decision).toMatch(/East Coast Fulfillment Center\s+FV2-BLA-S×1\s+[\d.]+ km\s+\$[\d.]+\s+\d+/);
    expect(decision).toContain("2 shipments");

    // Rules in order: the earlier ones did not match, each with its reason; california did.
    const rules = region("Decision trace").getByRole("list", { name: "Rules" }).getByRole("listitem");
    const ruleTexts = (await rules.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(ruleTexts.map((t) => t.split(" ").slice(0, 2).join(" "))).toEqual(["✗ b2b", "✗ pickup", "✗ expedited", "✗ high-demand", "✓ california"]);
    expect(ruleTexts[0]).toContain("order is non-B2B, rule wants B2B");
    expect(ruleTexts[1]).toContain("speed standard not in [pickup]");
    expect(ruleTexts[2]).toContain("speed standard not in [expedited]");
    expect(ruleTexts[3]).toContain("no line in demand tier [high]");
    expect(ruleTexts[4]).toContain("region US-CA in [US-CA]");

    // Candidates of the matching rule: accepted and rejected, each with the reason.
    const candidates = await region("Candidates for california").innerText();
    expect(candidates).toMatch(/accepted\s*West Coast Warehouse — [\d.]+ km, \$[\d.]+, \d+ days/);
    expect(candidates).toMatch(/accepted\s*East Coast Fulfillment Center — /);
    expect(candidates).toMatch(/rejected\s*New York Store — not in the rule's include list/);
    expect(candidates).toMatch(/rejected\s*Los Angeles Store — no stock for any line/);

    // The plans compared, with what the score numbers mean, and the chosen one.
    const plans = await region("Plans compared for california").innerText();
    expect(plans).toContain("Score = shipments");
    expect(plans).toMatch(/chosen\s*(West Coast Warehouse \+ East Coast Fulfillment Center|East Coast Fulfillment Center \+ West Coast Warehouse)\s+2/);
    expect(await region("Decision trace").innerText()).toMatch(/\d+ feasible plans? considered — exact search/);

    // The facts routing used, and where the lines' units are held.
    const facts = await region("Order details").innerText();
    expect(facts).toContain("San Diego, CA, 92101, US");
    expect(facts).toContain("Standard");
    const lines = await region("Lines").innerText();
    expect(lines).toMatch(/CC1-RED-ONESIZE[\s\S]*committed\s*West Coast Warehouse: 1/);
    expect(lines).toMatch(/FV2-BLA-S[\s\S]*committed\s*East Coast Fulfillment Center: 1/);
    expect(await region("Earlier decisions").innerText()).toContain("The current decision is the only one.");
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "order-trace.png"), fullPage: true });
    expect(newConsoleErrors()).toEqual([]);
  });

  it("re-routes the order: a second decision, the first one kept as an earlier decision", async () => {
    await e2e.page.getByRole("button", { name: "Re-route now" }).click();
    await e2e.page.getByText(/^Re-routed DEMO-CA-SPLIT: decision #2, routed by rule california\.$/).waitFor();
    await region("Routing decision")
      .getByText(/^Decision #2 · manual by admin · /)
      .waitFor();

    const earlier = region("Earlier decisions");
    expect(await earlier.innerText()).toContain("1 earlier decision, newest first");
    await earlier.getByRole("button", { name: "Show earlier decisions" }).click();
    const first = earlier.getByRole("listitem", { name: "Decision #1" });
    await first.waitFor();
    const summary = await first.innerText();
    expect(summary).toContain("intake by system:seed");
    expect(summary).toContain("rule california");
    expect(summary).toMatch(/Plan: .*West Coast Warehouse \(CC1-RED-ONESIZE×1\)/);
    await first.getByRole("button", { name: "Show the trace of decision #1" }).click();
    await first.getByRole("list", { name: "Rules" }).getByText("✓ california").waitFor();
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "order-rerouted.png"), fullPage: true });
    expect(newConsoleErrors()).toEqual([]);
  });

  it("cancels an order with a reason, then refuses to re-route it", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/orders/DEMO-CA-WEST`, { waitUntil: "networkidle" }); // an external id works too
    expect(res?.status()).toBe(200);
    await e2e.page.getByRole("heading", { level: 1, name: "DEMO-CA-WEST" }).waitFor();
    expect(await region("Routing decision").innerText()).toContain("West Coast Warehouse");

    await e2e.page.getByRole("button", { name: "Cancel order" }).click();
    const dialog = e2e.page.getByRole("dialog", { name: "Cancel order DEMO-CA-WEST?" });
    await dialog.getByRole("button", { name: "Cancel order" }).click();
    await dialog.getByText("Give a reason").waitFor(); // nothing is sent without one
    await dialog.getByLabel("Reason").fill("customer asked to cancel");
    await dialog.getByRole("button", { name: "Cancel order" }).click();
    await e2e.page.getByText("Cancelled DEMO-CA-WEST; its reserved stock was released.").waitFor();
    await dialog.waitFor({ state: "detached" });
    await e2e.page.locator(".Polaris-Banner").filter({ hasText: "Cancelled" }).getByText("customer asked to cancel").waitFor();
    expect(await region("Lines").innerText()).not.toContain("committed");

    // A cancelled order has nothing to route: the service's CONFLICT is shown, not thrown.
    await e2e.page.getByRole("button", { name: "Re-route now" }).click();
    const banner = e2e.page.locator(".Polaris-Banner").filter({ hasText: "Could not re-route the order" });
    await banner.getByText("order DEMO-CA-WEST is cancelled; there is nothing to route").waitFor();
    expect(newConsoleErrors()).toEqual([failedToLoad("409 (Conflict)", "/app/orders/DEMO-CA-WEST?_data=routes%2Fapp.orders.%24id")]);

    // The list shows it cancelled.
    await e2e.page.goto(`${e2e.app.baseUrl}/app/orders?q=DEMO-CA-WEST`, { waitUntil: "networkidle" });
    expect(await row("DEMO-CA-WEST").innerText()).toContain("Cancelled");
    expect(newConsoleErrors()).toEqual([]);
  });

  it("answers an unknown order with 404 and a clear message", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/orders/NO-SUCH-ORDER`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(404);
    await e2e.page.getByText("Order NO-SUCH-ORDER not found").waitFor();
    await e2e.page.locator(".Polaris-Frame").waitFor(); // still inside the admin shell
    expect(newConsoleErrors()).toEqual([failedToLoad("404 (Not Found)", "/app/orders/NO-SUCH-ORDER")]);
  });

  it("sent nothing off the machine and logged no console errors", () => {
    expect(e2e.watched.offMachine).toEqual([]);
    expect(newConsoleErrors()).toEqual([]);
  });
});
