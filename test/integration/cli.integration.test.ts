import { expect, it } from "vitest";
import { describeEachDatabase } from "#test/support/databases";
import { TEST_KEYS } from "#test/support/runtime";
import { runOms } from "#test/support/cli";

/** The operator CLI as an operator runs it: a separate process, configuration from the environment. */
const oms = (args: string[], env: Record<string, string>) => runOms(args, env);

describeEachDatabase("oms CLI", (tdb) => {
  const sandbox = () => ({ APP_MODE: "sandbox", DATABASE_URL: tdb().url, OMS_ENCRYPTION_KEYS: TEST_KEYS });

  it("seeds the demo shop and lists it, as a table and as JSON", () => {
    expect(oms(["seed"], sandbox())).toMatchObject({ code: 0, stdout: "seeded demo-outfitters.myshopify.com (Demo Outfitters)\n" });
    const table = oms(["shops"], sandbox());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/demo-outfitters\.myshopify\.com\s+Demo Outfitters\s+installed/);
    const json = oms(["shops", "--json"], sandbox());
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ domain: "demo-outfitters.myshopify.com", installState: "installed" })]);
  });

  it("explains a SKU's ATS per channel (`inventory`), and names an unknown SKU", () => {
    // The demo catalog was loaded by `seed` in the first test of this block.
    const r = oms(["inventory", "CAMP-KIT", "--json"], sandbox());
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { isKit: boolean; ats: { channelCode: string; ats: number; explanation: { steps: string[] } }[] };
    expect(d.isKit).toBe(true);
    const amazon = d.ats.find((a) => a.channelCode === "amazon-us")!;
    expect(amazon.ats).toBe(5);
    expect(amazon.explanation.steps.join(" | ")).toMatch(/cap 5 \(SKU override \(CAMP-KIT\)\)/);
    const table = oms(["inventory", "CAMP-KIT"], sandbox());
    expect(table.stdout).toContain("Amazon US [amazon-us]: ATS 5, publish 5");
    expect(oms(["inventory", "NO-SUCH-SKU"], sandbox())).toMatchObject({ code: 1, stderr: "oms: SKU NO-SUCH-SKU not found\n" });
  });

  it("lists orders, explains a routing decision (`route`) and replays the month (`simulate --shop`)", () => {
    // The demo orders were seeded by `seed` in the first test of this block.
    const list = JSON.parse(oms(["orders", "--channel", "portal", "--json"], sandbox()).stdout) as { items: { name: string; channel: { code: string } }[] };
    expect(list.items.map((o) => o.name)).toContain("PO-DEMO-7001");
    expect(list.items.every((o) => o.channel.code === "portal")).toBe(true);
    const route = oms(["route", "DEMO-CA-SPLIT"], sandbox());
    expect(route.code).toBe(0);
    expect(route.stdout).toMatch(/✓ california: region US-CA in \[US-CA\]/);
    expect(route.stdout).toMatch(/✗ b2b: order is non-B2B, rule wants B2B/);
    expect(route.stdout).toMatch(/- New York Store: not in the rule's include list/);
    expect(route.stdout).toMatch(/→ \[california\] (East Coast Fulfillment Center \+ West Coast Warehouse|West Coast Warehouse \+ East Coast Fulfillment Center)/);
    const rerouted = oms(["route", "DEMO-CA-SPLIT", "--reroute", "--json"], sandbox());
    expect((JSON.parse(rerouted.stdout) as { decisions: { sequence: number; trigger: string }[] }).decisions.map((d) => [d.sequence, d.trigger])).toEqual([[2, "manual"], [1, "intake"]]);
    const sim = oms(["simulate", "--shop", "demo-outfitters.myshopify.com", "--days", "30"], sandbox());
    expect(sim.code).toBe(0);
    expect(sim.stdout).toMatch(/^Replayed \d+ order\(s\) of the last 30 day\(s\)/);
    expect(sim.stdout).toMatch(/\nv1: \d+\/\d+ routed/);
    expect(oms(["simulate", "--shop", "demo-outfitters.myshopify.com", "--version", "9"], sandbox())).toMatchObject({ code: 2, stderr: expect.stringContaining("no routing profile version 9") });
    expect(oms(["route", "NO-SUCH-ORDER"], sandbox())).toMatchObject({ code: 1, stderr: "oms: order NO-SUCH-ORDER not found\n" });
  });

  it("masks secrets in `config`", () => {
    const r = oms(["config", "--json"], sandbox());
    const cfg = JSON.parse(r.stdout) as Record<string, string>;
    expect(cfg).toMatchObject({ APP_MODE: "sandbox", OMS_ENCRYPTION_KEYS: "•••", SHOPIFY_API_SECRET: "•••" });
    expect(r.stdout).not.toContain(TEST_KEYS.split(":")[1]!);
  });

  it("names every missing variable in Shopify mode (exit 78) and rejects a bad argument (exit 2)", () => {
    const bad = oms(["shops"], { APP_MODE: "shopify", DATABASE_URL: tdb().url, SHOPIFY_APP_URL: "not a url" });
    expect(bad.code).toBe(78);
    for (const v of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES", "OMS_ENCRYPTION_KEYS"]) expect(bad.stderr).toContain(v);
    expect(oms(["jobs", "--limit", "0"], sandbox())).toMatchObject({ code: 2, stderr: "oms: --limit must be a positive integer (see oms --help)\n" });
    expect(oms(["frobnicate"], sandbox()).code).toBe(2);
  });

  it("retries a failed job and refuses to 'retry' one that did not fail", async () => {
    const { db } = tdb().handle;
    await db.job.create({ data: { id: "job-failed-1", name: "inbound.process", payload: "{}", status: "failed", attempts: 5, maxAttempts: 5, lastError: "Error: boom" } });
    const listed = oms(["jobs", "--status", "failed", "--json"], sandbox());
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((j) => j.id)).toEqual(["job-failed-1"]);
    expect(oms(["jobs", "retry", "job-failed-1"], sandbox())).toMatchObject({ code: 0, stdout: "re-queued job-failed-1\n" });
    expect(await db.job.findUniqueOrThrow({ where: { id: "job-failed-1" } })).toMatchObject({ status: "queued", maxAttempts: 6 });
    expect(oms(["jobs", "retry", "job-failed-1"], sandbox()).code).toBe(1);
  });
});
