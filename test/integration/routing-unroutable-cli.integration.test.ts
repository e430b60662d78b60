import { expect, it } from "vitest";
import { describeEachDatabase } from "#test/support/databases";
import { TEST_KEYS } from "#test/support/runtime";
import { runOms } from "#test/support/cli";

/**
 * `oms route` as an operator uses it on the demo shop when a location has lost its coordinates:
 * the order that cannot ship is unroutable with the reason (and keeps its hold), an order that can
 * ship elsewhere routes and its trace names the location left out, and `--reroute` after the fix
 * routes it.  A separate process, configuration from the environment (as cli.integration.test.ts).
 */
const oms = (args: string[], env: Record<string, string>) => runOms(args, env, { logLevel: "error" });

describeEachDatabase("oms route: orders routing cannot place", (tdb) => {
  const sandbox = () => ({ APP_MODE: "sandbox", DATABASE_URL: tdb().url, OMS_ENCRYPTION_KEYS: TEST_KEYS });
  const SHOP = "demo-outfitters.myshopify.com";

  it("shows why, keeps the hold, lists the order as unroutable, and routes it with --reroute once the location is fixed", async () => {
    expect(oms(["seed"], sandbox()).code).toBe(0);
    const { db } = tdb().handle;
    const dc = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: "Wholesale DC" } });
    const la = await db.location.findFirstOrThrow({ where: { shop: SHOP, name: "Los Angeles Store" } });
    // The portal ships from the Wholesale DC alone; the LA store is one of the California rule's three.
    await db.location.updateMany({ where: { id: { in: [dc.id, la.id] } }, data: { latitude: null, longitude: null } });

    const po = oms(["route", "PO-DEMO-7001", "--reroute"], sandbox());
    expect(po.code).toBe(0);
    expect(po.stdout).toMatch(/^PO-DEMO-7001 {2}\[Wholesale Portal \(cXML\)\] {2}unroutable/);
    expect(po.stdout).toContain("Outcome: unroutable — no location can ship this order until its settings are fixed: Wholesale DC (no coordinates — complete its address in Shopify, then resync)");
    expect(po.stdout).toContain("- Wholesale DC: no coordinates — complete its address in Shopify, then resync");
    // The hold stays at the DC (the line's reservation is still held there).
    expect(po.stdout).toMatch(/reservation held: Wholesale DC \S+×48/);
    const unroutable = JSON.parse(oms(["orders", "--status", "unroutable", "--json"], sandbox()).stdout) as { items: { name: string; reason: string }[] };
    expect(unroutable.items.map((o) => o.name)).toEqual(["PO-DEMO-7001"]);

    // An online order ships from elsewhere; the trace says why the LA store was not considered.
    const west = oms(["route", "DEMO-CA-WEST", "--reroute"], sandbox());
    expect(west.stdout).toMatch(/^DEMO-CA-WEST .* routed/);
    expect(west.stdout).toContain("- Los Angeles Store: no coordinates — complete its address in Shopify, then resync");

    await db.location.update({ where: { id: dc.id }, data: { latitude: dc.latitude, longitude: dc.longitude } });
    const fixed = JSON.parse(oms(["route", "PO-DEMO-7001", "--reroute", "--json"], sandbox()).stdout) as { order: { status: string }; decisions: { sequence: number; status: string; plan: { shipments: { locationId: string }[] } | null }[] };
    expect(fixed.order.status).toBe("routed");
    expect(fixed.decisions.map((d) => [d.sequence, d.status])).toEqual([[3, "routed"], [2, "unroutable"], [1, "routed"]]);
    expect(fixed.decisions[0]!.plan!.shipments.map((s) => s.locationId)).toEqual([dc.id]);
  });
});
