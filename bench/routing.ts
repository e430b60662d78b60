/**
 * Routing decision latency — `npm run bench:routing` (prints figures; not a test).
 *
 * Random but seeded networks and orders: 50 locations × 10 lines and 200 locations × 50 lines,
 * US-wide coordinates, stock 0–20 per SKU per location, a profile of three rules (the first two
 * usually do not match, so the trace of skipped rules is part of the cost) sorting by distance,
 * cost and stock depth with up to 4 shipments.  Each decision runs the full routeOrder (conditions,
 * candidate filtering, search, trace).  Reports p50/p99/max and decisions per second, and how many
 * decisions used the exact vs heuristic search.
 */
import os from "node:os";
import { routeOrder, routingFixtures, type RoutingLocation, type RoutingOrder } from "#app/modules/routing/index";

const { location, order, profile, rule } = routingFixtures;

function prng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function scenario(locations: number, lines: number, seed: number) {
  const rnd = prng(seed);
  const skus = Array.from({ length: lines * 3 }, (_, i) => `SKU-${i}`);
  const locs: RoutingLocation[] = Array.from({ length: locations }, (_, i) => {
    const stock: Record<string, number> = {};
    for (const s of skus) if (rnd() < 0.7) stock[s] = Math.floor(rnd() * 20);
    return location(`L${String(i).padStart(3, "0")}`, {
      lat: 26 + rnd() * 21,
      lng: -122 + rnd() * 50,
      kind: i % 10 === 0 ? "store" : i % 7 === 0 ? "3pl" : "warehouse",
      dailyCap: i % 10 === 0 ? 40 : null,
      usedToday: i % 10 === 0 ? Math.floor(rnd() * 40) : 0,
      handlingCostCents: Math.floor(rnd() * 400),
      stock,
    });
  });
  const orders: RoutingOrder[] = Array.from({ length: 200 }, (_, k) =>
    order({
      id: `o${k}`,
      destination: { countryCode: "US", provinceCode: "CA", zip: "9", lat: 26 + rnd() * 21, lng: -122 + rnd() * 50 },
      lines: Array.from({ length: lines }, (_, j) => ({ lineKey: `L${j}`, sku: skus[Math.floor(rnd() * skus.length)]!, quantity: 1 + Math.floor(rnd() * 2), tags: [] })),
    }),
  );
  const p = profile([
    rule("b2b-wholesale", { conditions: { b2b: true }, candidateFilter: { locationKinds: ["wholesale_dc"] } }),
    rule("expedited-3pl", { conditions: { speeds: ["expedited"] }, candidateFilter: { locationKinds: ["3pl"] } }),
    rule("default", { sort: [{ by: "distance" }, { by: "shipping_cost" }, { by: "stock_depth" }], splitPolicy: { kind: "max_shipments", n: 4 }, fallback: { kind: "backorder" } }),
  ]);
  return { network: { locations: locs }, orders, profile: p };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function run(locations: number, lines: number, rounds: number) {
  const { network, orders, profile: p } = scenario(locations, lines, locations * 1000 + lines);
  for (const o of orders.slice(0, 20)) routeOrder(o, network, p); // warm up the JIT
  const times: number[] = [];
  const modes: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const o of orders) {
      const t = performance.now();
      const d = routeOrder(o, network, p);
      times.push(performance.now() - t);
      const mode = d.trace.searchMode ?? "none";
      modes[mode] = (modes[mode] ?? 0) + 1;
      statuses[d.status] = (statuses[d.status] ?? 0) + 1;
    }
  }
  const wall = performance.now() - started;
  times.sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  console.log(
    `${String(locations).padStart(3)} locations × ${String(lines).padStart(2)} lines  ${times.length} decisions  ` +
      `${Math.round((times.length / wall) * 1000)} decisions/s  p50 ${fmt(percentile(times, 50))}  p99 ${fmt(percentile(times, 99))}  max ${fmt(times.at(-1)!)}  ` +
      `search ${JSON.stringify(modes)}  outcomes ${JSON.stringify(statuses)}`,
  );
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
console.log(`node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`);
run(50, 10, Number(arg("rounds") ?? 10));
run(200, 50, Number(arg("rounds-large") ?? 2));
