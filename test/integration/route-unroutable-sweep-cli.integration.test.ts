import { expect, it } from "vitest";
import { describeEachDatabase } from "#test/support/databases";
import { TEST_KEYS } from "#test/support/runtime";
import { runOms } from "#test/support/cli";

/**
 * `oms route --unroutable` on the demo shop: every unroutable order re-routed now, with what is
 * still stuck grouped by reason; a decision made without a profile reads "no active profile".
 * A separate process, configuration from the environment (as routing-unroutable-cli does).
 */
const oms = (args: string[], env: Record<string, string>) => runOms(args, env, { logLevel: "error" });

describeEachDatabase("oms route --unroutable", (tdb) => {
  const sandbox = () => ({ APP_MODE: "sandbox", DATABASE_URL: tdb().url, OMS_ENCRYPTION_KEYS: TEST_KEYS });
  const SHOP = "demo-outfitters.myshopify.com";

  it("re-routes every unroutable order, says why the rest is stuck, and records nothing for an unchanged one", async () => {
    expect(oms(["seed"], sandbox()).code).toBe(0);
    const { db } = tdb().handle;
    expect(oms(["route", "--unroutable"], sandbox()).stdout).toBe("No unroutable orders.\n");
    expect(oms(["route", "PO-DEMO-7001", "--unroutable"], sandbox())).toMatchObject({ code: 2 });

    const dc = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: "Wholesale DC" } });
    await db.location.update({ where: { id: dc.id }, data: { latitude: null, longitude: null } });
    expect(oms(["route", "PO-DEMO-7001", "--reroute"], sandbox()).stdout).toMatch(/unroutable/);
    const order = await db.order.findFirstOrThrow({ where: { shop: SHOP, externalOrderId: "PO-DEMO-7001" } });
    const decisions = () => db.routingDecision.count({ where: { orderId: order.id } });
    expect(await decisions()).toBe(2);

    const stuck = oms(["route", "--unroutable"], sandbox());
    expect(stuck.code).toBe(0);
    expect(stuck.stdout).toBe(
      [
        "Re-routed 1 unroutable order(s): 0 routed, 1 still unroutable (1 unchanged, no new decision).",
        "",
        "Still unroutable:",
        "  1 × no location can ship this order until its settings are fixed: Wholesale DC (no coordinates — complete its address in Shopify, then resync)",
        "      PO-DEMO-7001",
        "",
      ].join("\n"),
    );
    expect(await decisions()).toBe(2);

    await db.location.update({ where: { id: dc.id }, data: { latitude: dc.latitude, longitude: dc.longitude } });
    const fixed = JSON.parse(oms(["route", "--unroutable", "--json"], sandbox()).stdout) as { examined: number; routed: number; stillUnroutable: unknown[]; batches: number };
    expect(fixed).toMatchObject({ examined: 1, routed: 1, stillUnroutable: [], batches: 1 });
    const latest = await db.routingDecision.findFirstOrThrow({ where: { orderId: order.id }, orderBy: { sequence: "desc" } });
    expect(latest).toMatchObject({ sequence: 3, status: "routed", trigger: "auto-reroute" });
    expect(latest.actor).toMatch(/^system: oms route --unroutable by cli:/);

    // Without an active profile the decision says so, not "profile v0".
    await db.routingProfileVersion.updateMany({ where: { shop: SHOP }, data: { status: "retired", activeFor: null } });
    const none = oms(["route", "PO-DEMO-7001", "--reroute"], sandbox());
    expect(none.stdout).toMatch(/Decision #4 \(manual by cli:\S+, \S+, no active profile, rule —\)/);
    expect(none.stdout).not.toContain("profile v0");
  });
});
