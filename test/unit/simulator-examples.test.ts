import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { simulateFiles } from "#app/modules/routing/index";
import { ROOT } from "#test/support/databases";

const doc = (f: string) => path.join(ROOT, "docs/simulator", f);

/** The documented example files reproduce the seed article's scenarios (docs/simulator.md). */
describe("oms simulate on docs/simulator/*", () => {
  const report = simulateFiles({ network: doc("network.json"), profile: doc("profile.json"), orders: doc("orders.jsonl"), compare: doc("profile-cheapest.json") });

  it("routes each scenario where the seed says, consuming stock order by order", () => {
    expect(
      report.base.decisions.map((d) => [d.orderId, d.status, d.ruleId, d.plan?.shipments.map((s) => s.locationId).join("+") ?? null]),
    ).toEqual([
      ["1001-ca-west", "routed", "california", "west"],
      ["1002-ca-la-store", "routed", "california", "la"], // the West Coast has no BAG
      ["1003-ca-split-east", "routed", "california", "east+west"], // the LA store now lacks BAGs: split with the East Coast
      ["1004-expedited-3pl", "routed", "expedited", "3pl-allentown"],
      ["1005-high-demand", "routed", "high-demand", "east"],
      ["1006-b2b-portal", "routed", "b2b", "wholesale"],
      ["1007-berlin", "routed", "default", "eu"],
      ["1008-out-of-stock", "backordered", "default", null],
    ]);
  });

  it("aggregates the batch and the deltas against another profile", () => {
    expect(report.base.aggregates).toEqual({
      orders: 8,
      routed: 7,
      queued: 0,
      backordered: 1,
      unroutable: 0,
      shipments: 8,
      shipmentsPerOrder: 1.143,
      splitRate: 0.143,
      costCents: 12812,
      meanCostCents: 1830,
      meanDays: 5.429,
      maxDays: 9,
    });
    expect(report.compare?.decisions.find((d) => d.orderId === "1005-high-demand")?.plan?.shipments[0]?.locationId).toBe("west");
    expect(report.delta).toMatchObject({ costCents: -1690, meanDays: -0.858, shipmentsPerOrder: 0, splitRate: 0 });
  });

  it("names the file and line of a bad order", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-sim-"));
    const bad = path.join(dir, "orders.jsonl");
    fs.writeFileSync(bad, fs.readFileSync(doc("orders.jsonl"), "utf8").split("\n")[0] + '\n{"id": "x"}\n');
    expect(() => simulateFiles({ network: doc("network.json"), profile: doc("profile.json"), orders: bad })).toThrow(`--orders: ${bad}:2 needs an "id", "destination" and "lines"`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
