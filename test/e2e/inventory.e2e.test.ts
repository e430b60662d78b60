import path from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_OUT } from "#test/support/app-process";
import { demoSession } from "#test/support/e2e";

/**
 * The inventory admin pages as a merchant uses them in the sandbox (`oms demo`, seeded demo shop):
 * find a SKU, read why each channel may sell what it may, and change a channel's policy — with
 * validation errors shown on the field.
 */
describe("inventory admin pages in Chromium", () => {
  const e2e = demoSession();

  /** A labelled card of the SKU page. */
  const card = (name: string) => e2e.page.getByRole("region", { name, exact: true });
  /**
   * Console errors since the last call.  None is ignored: a step that answers 404 or 422 on purpose
   * expects exactly Chromium's own "Failed to load resource" line for that response, nothing else.
   */
  const newConsoleErrors = () => e2e.watched.consoleErrors.splice(0);
  const failedToLoad = (status: string, url: string) => `Failed to load resource: the server responded with a status of ${status} (${e2e.app.baseUrl}${url})`;

  it("searches the inventory list and opens a kit's SKU page with the ATS explanation", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/inventory`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    await e2e.page.getByRole("heading", { level: 1, name: "Inventory" }).waitFor();
    await e2e.page.getByRole("link", { name: "Inventory", exact: true }).waitFor(); // navigation item
    expect(await e2e.page.locator(".Polaris-IndexTable__TableRow").count()).toBe(50); // first page of ~500 SKUs

    // Filters live in the URL (linkable): a location and "low stock" (sellable ≤ 5 there).
    await e2e.page.getByLabel("Location").selectOption({ label: "West Coast Warehouse" });
    await e2e.page.waitForURL(/\/app\/inventory\?location=[^&]+$/);
    await e2e.page.getByText("Low stock (sellable ≤ 5)").click();
    await e2e.page.waitForURL(/\/app\/inventory\?location=[^&]+&low=1$/);
    await e2e.page.locator('input[name="low"]:checked').waitFor({ state: "attached" }); // the new data is rendered
    const lowRows = e2e.page.locator(".Polaris-IndexTable__TableRow");
    // The sellable cell (a badge: its text includes the tone for screen readers, e.g. "Critical0").
    const sellable = await lowRows.evaluateAll((rows) => rows.map((r) => Number(/-?\d+$/.exec(r.querySelectorAll("td")[6]?.textContent ?? "")?.[0])));
    expect(sellable.length).toBeGreaterThan(0);
    expect(sellable.every((n) => n <= 5)).toBe(true);
    await e2e.page.getByRole("link", { name: "Clear filters" }).click();
    await e2e.page.waitForURL(/\/app\/inventory$/);

    await e2e.page.getByLabel("Search").fill("CAMP");
    await e2e.page.getByLabel("Search").press("Enter");
    await e2e.page.waitForURL(/\/app\/inventory\?q=CAMP$/);
    const kitLink = e2e.page.getByRole("link", { name: "CAMP-KIT", exact: true });
    await kitLink.waitFor();
    expect(await e2e.page.locator(".Polaris-IndexTable__TableRow").filter({ hasText: "CAMP-KIT" }).innerText()).toContain("Kit");

    await kitLink.click();
    await e2e.page.waitForURL(/\/app\/inventory\/CAMP-KIT$/);
    await e2e.page.getByRole("heading", { level: 1, name: "CAMP-KIT" }).waitFor();
    await e2e.page.getByText("Camp Kit", { exact: false }).first().waitFor();
    expect(await card("Kit components").innerText()).toContain("PEG-1");
    await e2e.page.getByRole("heading", { name: "Available to sell by channel" }).waitFor();

    const amazonUs = e2e.page.getByRole("region", { name: "ATS for Amazon US" });
    const explanation = await amazonUs.innerText();
    expect(explanation).toContain("Amazon US");
    expect(explanation).toContain("cap 5");
    expect(explanation).toContain("tag override (high-demand)");
    expect(explanation).toContain("West Coast Warehouse");
    expect(explanation).toMatch(/To publish: 5/);
    // A location the channel may not sell from is shown, with the reason.
    expect(explanation).toMatch(/counted \+\d+\s*West Coast Warehouse — \d+ kits? \(limited by/);
    expect(explanation).toMatch(/not counted\s*Los Angeles Store — not eligible for Amazon US/);
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "inventory-sku.png"), fullPage: true });
    expect(newConsoleErrors()).toEqual([]);
  });

  it("shows a plain SKU's stock by location and its ledger", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/inventory/TT1-BLA-M`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    await e2e.page.getByRole("heading", { level: 1, name: "TT1-BLA-M" }).waitFor();
    const stock = await card("Stock by location").innerText();
    expect(stock).toContain("West Coast Warehouse");
    expect(stock).toContain("Safety stock");
    expect(await card("Ledger").innerText()).toContain("initial stock");
    expect(await card("Active reservations").innerText()).toContain("No active reservations");
    expect(newConsoleErrors()).toEqual([]);
  });

  it("answers an unknown SKU with 404 and a clear message", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/inventory/NO-SUCH-SKU`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(404);
    await e2e.page.getByText("SKU NO-SUCH-SKU not found").waitFor();
    await e2e.page.locator(".Polaris-Frame").waitFor(); // still inside the admin shell
    expect(newConsoleErrors()).toEqual([failedToLoad("404 (Not Found)", "/app/inventory/NO-SUCH-SKU")]);
  });

  it("saves a channel policy, showing a validation error on the field first", async () => {
    const res = await e2e.page.goto(`${e2e.app.baseUrl}/app/channels`, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    const amazonUs = e2e.page.getByRole("region", { name: "Amazon US", exact: true });
    const policy = amazonUs.locator("form").filter({ has: e2e.page.locator('input[name="intent"][value="save"]') });
    expect(await policy.getByLabel("Buffer percent").inputValue()).toBe("10");
    expect(await amazonUs.innerText()).toContain("Tag high-demand");

    await policy.getByLabel("Buffer percent").fill("150");
    await policy.getByRole("button", { name: "Save" }).click();
    await amazonUs.locator(".Polaris-Banner").filter({ hasText: "bufferPercent" }).waitFor();
    // The message is on the field itself too.
    await policy.locator(".Polaris-InlineError").filter({ hasText: "bufferPercent" }).waitFor();

    await policy.getByLabel("Buffer percent").fill("15");
    await policy.getByRole("button", { name: "Save" }).click();
    await amazonUs.getByText("Saved Amazon US; ATS republishing queued").waitFor();
    expect(await policy.locator(".Polaris-InlineError").count()).toBe(0);
    await e2e.page.screenshot({ path: path.join(E2E_OUT, "channels.png"), fullPage: true });
    await e2e.page.reload({ waitUntil: "networkidle" });
    expect(await policy.getByLabel("Buffer percent").inputValue()).toBe("15");
    expect(newConsoleErrors()).toEqual([failedToLoad("422 (Unprocessable Entity)", "/app/channels?_data=routes%2Fapp.channels")]);
  });

  it("sent nothing off the machine and logged no console errors", () => {
    expect(e2e.watched.offMachine).toEqual([]);
    expect(newConsoleErrors()).toEqual([]);
  });
});
