import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemoShop } from "#app/cli/seed.server";
import { getActive } from "#app/modules/routing/index";
import { getOrderDetail, whatIf } from "#app/modules/orders/index";
import type { AppRuntime } from "#app/platform/runtime.server";
import { describeEachDatabase, truncateAll } from "#test/support/databases";
import { testRuntime } from "#test/support/runtime";

/**
 * The seed article's scenarios in the demo shop, through the real intake (record → reserve →
 * route), and the what-if replay of the shop's month of orders under the active profile, which
 * must reproduce the live decisions exactly.
 */
// Tuesday 2026-11-24 20:00 UTC: noon in Los Angeles, 15:00 in New York — stores open.
const NOW = new Date("2026-11-24T20:00:00Z");
const SHOP = "demo-outfitters.myshopify.com";

describeEachDatabase("demo shop routing scenarios", (tdb) => {
  let rt: AppRuntime;
  beforeAll(async () => {
    await truncateAll(tdb().handle);
    rt = testRuntime(tdb().url, { APP_MODE: "sandbox", SANDBOX_SHOP: SHOP }, { now: () => NOW });
    const seeded = await seedDemoShop(rt);
    expect(seeded.orders).toMatchObject({ created: expect.any(Number), refused: 0 });
  }, 120_000);
  afterAll(async () => rt?.close());

  const shipsFrom = async (ref: string) => {
    const d = await getOrderDetail(rt.db, SHOP, ref);
    return { rule: d.decisions[0]?.ruleId, from: (d.decisions[0]?.plan?.shipments ?? []).map((s) => d.locationNames[s.locationId]).sort() };
  };

  it("a California customer → the West Coast warehouse, else the LA store, else split with the East Coast", async () => {
    expect(await shipsFrom("DEMO-CA-WEST")).toEqual({ rule: "california", from: ["West Coast Warehouse"] });
    expect(await shipsFrom("DEMO-CA-LA")).toEqual({ rule: "california", from: ["Los Angeles Store"] });
    expect(await shipsFrom("DEMO-CA-SPLIT")).toEqual({ rule: "california", from: ["East Coast Fulfillment Center", "West Coast Warehouse"] });
  });

  it("expedited → the nearest regional 3PL; high demand → the deepest stock; the B2B portal → the wholesale DC", async () => {
    expect(await shipsFrom("DEMO-EXPEDITED")).toEqual({ rule: "expedited", from: ["Allentown 3PL"] });
    const hot = await getOrderDetail(rt.db, SHOP, "DEMO-HIGH-DEMAND");
    expect(hot.decisions[0]!.ruleId).toBe("high-demand");
    // The chosen location had the most stock of the candidates the trace lists.
    const chosen = hot.decisions[0]!.plan!.shipments[0]!.locationId;
    const compared = hot.decisions[0]!.trace.plansCompared.filter((p) => p.ruleId === "high-demand");
    expect(compared.find((p) => p.chosen)!.locations).toEqual([chosen]);
    expect(await shipsFrom("PO-DEMO-7001")).toEqual({ rule: "b2b", from: ["Wholesale DC"] });
  });

  it("the what-if replay of the month under the active profile reproduces every live decision", async () => {
    const active = (await getActive(rt.db, SHOP))!;
    const report = await whatIf(rt, SHOP, { days: 30, profile: active.profile });
    expect(report.orders).toBeGreaterThan(40);
    for (const d of report.base.decisions) {
      const live = (await getOrderDetail(rt.db, SHOP, d.orderId)).decisions[0]!;
      expect({ order: report.names[d.orderId], status: d.status, rule: d.ruleId, plan: d.plan?.shipments.map((s) => [s.locationId, s.lines]) }).toEqual({
        order: report.names[d.orderId],
        status: live.status,
        rule: live.ruleId,
        plan: live.plan?.shipments.map((s) => [s.locationId, s.lines]),
      });
    }
  });
});
