import path from "node:path";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { E2E_OUT } from "#test/support/app-process";
import { demoSession } from "#test/support/e2e";

/**
 * The routing admin page as a merchant uses it in the sandbox (`oms demo`: the demo shop has routing
 * profile v1 active and a month of orders): edit rules and save a draft, replay recent orders under
 * it next to the active version, see a validation error naming the field without losing the edits,
 * then activate the draft and roll back.
 */
describe("routing admin page in Chromium", () => {
  // The demo publishes ATS for every SKU right after it starts: the first page load can be slow.
  const e2e = demoSession({ navigationTimeoutMs: 90_000 });

  const region = (name: string | RegExp) => e2e.page.getByRole("region", { name, exact: typeof name === "string" ? true : undefined });
  const versions = () => region("Profile versions");
  const editor = () => region("Rule editor");
  const whatIf = () => region("What-if");
  const rule = (id: string) => editor().getByRole("region", { name: new RegExp(`^Rule \\d+: ${id}$`) });
  /** The versions table's row for vN (its first cell, a row header, is exactly "vN"). */
  const versionRow = (n: number): Locator => versions().locator("tr").filter({ has: e2e.page.locator("th, td", { hasText: new RegExp(`^v${n}$`) }) });
  const newConsoleErrors = () => e2e.watched.consoleErrors.splice(0);
  const failedToLoad = (status: string, url: string) => `Failed to load resource: the server responded with a status of ${status} (${e2e.app.baseUrl}${url})`;

  it("lists the demo shop's routing profile with v1 active", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/routing`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    await e2e.page.getByRole("heading", { level: 1, name: "Routing" }).waitFor();
    await e2e.page.getByRole("link", { name: "Routing", exact: true }).waitFor(); // navigation item
    const v1 = await versionRow(1).innerText();
    expect(v1).toContain("Active");
    expect(v1).toContain("demo: the seed article's scenarios");
    expect(v1).toContain("system:seed");
    expect(v1).toMatch(/\b6\b/); // rules
    // Nothing to roll back to yet.
    expect(await versions().getByRole("button", { name: "Roll back (no earlier active version)" }).isDisabled()).toBe(true);

    // The editor starts from the active version: its six rules, in order.
    expect(await editor().getByLabel("Start from", { exact: true }).inputValue()).toBe("1");
    const names = await editor().getByRole("region", { name: /^Rule \d+: / }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
    expect(names).toEqual(["Rule 1: b2b", "Rule 2: pickup", "Rule 3: expedited", "Rule 4: high-demand", "Rule 5: california", "Rule 6: default"]);
    // Collapsed rules say what they do, with locations by name.
    expect(await rule("california").innerText()).toContain("When shipping to US-CA · from West Coast Warehouse, Los Angeles Store, East Coast Fulfillment Center · by location priority");
    expect(newConsoleErrors()).toEqual([]);
  });

  it("edits rules and saves them as draft v2", async () => {
    // The default rule: delivery days first (move the second criterion up).
    const def = rule("default");
    await def.getByRole("button", { name: "Edit rule default" }).click();
    expect(await def.getByLabel("Criterion 1", { exact: true }).inputValue()).toBe("shipping_cost");
    await def.getByRole("button", { name: "Move criterion 2 up" }).click();
    expect(await def.getByLabel("Criterion 1", { exact: true }).inputValue()).toBe("delivery_days");
    expect(await def.getByLabel("Criterion 2", { exact: true }).inputValue()).toBe("shipping_cost");

    // The California rule: no split any more.
    const ca = rule("california");
    await ca.getByRole("button", { name: "Edit rule california" }).click();
    // Include / exclude offer the shop's locations by name.
    expect(await ca.getByRole("checkbox", { name: "West Coast Warehouse" }).first().isChecked()).toBe(true);
    expect(await ca.getByLabel("Maximum shipments", { exact: true }).inputValue()).toBe("2");
    await ca.getByLabel("Split policy", { exact: true }).selectOption("none");
    await editor().getByText("Unsaved changes").waitFor();

    await editor().getByLabel("Version note", { exact: true }).fill("California: one shipment; default: fastest first");
    await editor().getByRole("button", { name: "Save as draft v2" }).click();
    await editor().getByText("Saved draft v2 (6 rules)").waitFor();
    const v2 = await versionRow(2).innerText();
    expect(v2).toContain("Draft");
    expect(v2).toContain("California: one shipment; default: fastest first");
    expect(v2).toContain("admin");
    expect(await versionRow(1).innerText()).toContain("Active");
    // The editor now stands on v2, with nothing unsaved.
    expect(await editor().getByLabel("Start from", { exact: true }).inputValue()).toBe("2");
    expect(await editor().getByText("Unsaved changes").count()).toBe(0);
    expect(newConsoleErrors()).toEqual([]);
  });

  it("runs the what-if for draft v2 against the active v1", async () => {
    expect(await whatIf().getByLabel("Profile to test", { exact: true }).inputValue()).toBe("2"); // the new draft
    await whatIf().getByLabel("Orders from the last", { exact: true }).selectOption("30");
    await whatIf().getByRole("button", { name: "Run what-if" }).click();
    const aggregates = whatIf().getByRole("region", { name: "What-if aggregates" });
    await aggregates.waitFor();
    const headings = await aggregates.locator("th").allInnerTexts();
    expect(headings.slice(0, 4)).toEqual(["Measure", "v1 (active)", "v2 (draft)", "Change"]);
    const table = await aggregates.innerText();
    for (const measure of ["Orders replayed", "Routed", "Queued", "Backordered", "Unroutable", "Shipments per routed order", "Split rate", "Total shipping cost", "Mean delivery days"]) {
      expect(table).toContain(measure);
    }
    // No split in California: fewer shipments and a lower split rate.
    const shipmentsRow = await aggregates.locator("tr").filter({ hasText: "Shipments per routed order" }).innerText();
    expect(shipmentsRow).toMatch(/−[\d.]+ \(better\)/);
    expect(await whatIf().getByText(/Replayed \d+ orders from the last 30 days: \d+ orders? gets? a different plan under v2 \(draft\) than under v1 \(active\)\./).count()).toBe(1);

    // Per order, where the plans differ, with locations by name (never ids).
    const differing = whatIf().getByRole("region", { name: "Orders with different plans" });
    const rows = await differing.innerText();
    expect(rows).toContain("DEMO-CA-SPLIT");
    expect(rows).toContain("East Coast Fulfillment Center");
    expect(rows).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "routing-what-if.png"), fullPage: true });
    expect(newConsoleErrors()).toEqual([]);
  });

  it("refuses an invalid edit naming the field, keeping the edits", async () => {
    const b2b = rule("b2b");
    await b2b.getByRole("button", { name: "Edit rule b2b" }).click();
    await b2b.getByLabel("Rule name", { exact: true }).fill("B2B from the wholesale DC (edited)");
    await b2b.getByLabel("Maximum shipments", { exact: true }).fill("0");
    await editor().getByRole("button", { name: "Save as draft v3" }).click();
    await editor().locator(".Polaris-Banner").filter({ hasText: "Not saved: profile.rules[0].splitPolicy.n: must be a whole number >= 1" }).waitFor();
    // …on the field too, and the edits are all still there.
    await b2b.locator(".Polaris-InlineError").filter({ hasText: "splitPolicy.n" }).waitFor();
    expect(await b2b.getByLabel("Maximum shipments", { exact: true }).inputValue()).toBe("0");
    expect(await b2b.getByLabel("Rule name", { exact: true }).inputValue()).toBe("B2B from the wholesale DC (edited)");
    await editor().getByText("Unsaved changes").waitFor();
    expect(await versionRow(3).count()).toBe(0);
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "routing-invalid.png"), fullPage: true });

    // The what-if on the unsaved edits says the same.
    await whatIf().getByLabel("Profile to test", { exact: true }).selectOption("unsaved");
    await whatIf().getByRole("button", { name: "Run what-if" }).click();
    await whatIf().getByText("What-if not run: profile.rules[0].splitPolicy.n: must be a whole number >= 1").waitFor();

    // Back to v2 as saved: the edits are discarded.
    await editor().getByLabel("Start from", { exact: true }).selectOption("2");
    expect(await editor().getByText("Unsaved changes").count()).toBe(0);
    expect(newConsoleErrors()).toEqual([
      failedToLoad("422 (Unprocessable Entity)", "/app/routing?_data=routes%2Fapp.routing"),
      failedToLoad("422 (Unprocessable Entity)", "/app/routing/what-if?_data=routes%2Fapp.routing.what-if"),
    ]);
  });

  it("activates v2, then rolls back to v1", async () => {
    await versionRow(2).getByRole("button", { name: "Activate v2" }).click();
    await versions().getByText("v2 is now active; v1 retired (roll back to return to it)").waitFor();
    expect(await versionRow(2).innerText()).toContain("Active");
    expect(await versionRow(1).innerText()).toContain("Retired");

    await versions().getByRole("button", { name: "Roll back to v1" }).click();
    await versions().getByText("Rolled back: v1 is active again (v2 retired)").waitFor();
    expect(await versionRow(1).innerText()).toContain("Active");
    expect(await versionRow(2).innerText()).toContain("Retired");
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "routing.png"), fullPage: true });

    // It sticks: a reload shows the same.
    await e2e.page.reload({ waitUntil: "networkidle" });
    expect(await versionRow(1).innerText()).toContain("Active");
    expect(await versionRow(2).innerText()).toContain("Retired");
    expect(newConsoleErrors()).toEqual([]);
  });

  it("sent nothing off the machine and logged no console errors", () => {
    expect(e2e.watched.offMachine).toEqual([]);
    expect(newConsoleErrors()).toEqual([]);
  });
});
