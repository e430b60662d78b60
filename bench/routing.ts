/**
 * Routing decision latency — `npm run bench:routing` (prints figures; not a test).
 *
 * Random but seeded networks and orders: 50 locations × 10 lines and 200 locations × 50 lines,
 * US-wide coordinates, stock 0–20 per SKU per location, a profile of three rules (the first two
 * usually do not match, so the trace of skipped rules is part of the cost) sorting by distance,
 * cost and stock depth with up to 4 shipments.  Each decision runs the full routeOrder (validation,
 * conditions, candidate filtering, search, trace).
 *
 * Each size is measured twice, and both lines are printed:
 *   - `first pass`: the first time through the 200 orders, JIT compilation included (for the larger
 *     size the code is already warm from the smaller one, but not for its shapes and sizes);
 *   - `steady`: after a warm-up (--warmup rounds of 200 decisions, not measured), --rounds rounds of
 *     200 decisions (at least 2000 by default).  This is the figure a long-running process sees.
 * Both report p50/p99/max (steady also p99.9) and decisions per second, how many decisions used the
 * exact vs heuristic search, and the garbage-collector pauses that fell inside the measured loop
 * (count, longest, and how many of the decisions slower than p99 overlapped one).  The load average
 * is printed at the start and the end: on a 2-core machine any other busy process (a test run, a
 * build) lands in the tail.
 */
import os from "node:os";
import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
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

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

/** GC pauses, collected by an observer (delivered asynchronously, hence the awaits below). */
const gcPauses: PerformanceEntry[] = [];
const gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries()));
gcObserver.observe({ entryTypes: ["gc"] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

type Scenario = ReturnType<typeof scenario>;

/**
 * Routes every order `rounds` times; start and end time of each decision.  The times go into
 * preallocated arrays: an object per decision would survive until the end and make every GC pause
 * of the measured loop longer than routing alone makes it.
 */
function measure({ network, orders, profile: p }: Scenario, rounds: number) {
  const starts = new Float64Array(rounds * orders.length);
  const ends = new Float64Array(rounds * orders.length);
  const modes: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  let i = 0;
  for (let r = 0; r < rounds; r++) {
    for (const o of orders) {
      starts[i] = performance.now();
      const d = routeOrder(o, network, p);
      ends[i++] = performance.now();
      const mode = d.trace.searchMode ?? "none";
      modes[mode] = (modes[mode] ?? 0) + 1;
      statuses[d.status] = (statuses[d.status] ?? 0) + 1;
    }
  }
  return { spans: Array.from(starts, (start, k): [number, number] => [start, ends[k]!]), modes, statuses };
}

async function report(label: string, run: ReturnType<typeof measure>, steady: boolean) {
  await settle();
  const { spans, modes, statuses } = run;
  const first = spans[0]![0];
  const last = spans.at(-1)![1];
  const gcs = gcPauses.filter((g) => g.startTime + g.duration >= first && g.startTime <= last);
  gcPauses.length = 0;
  const times = spans.map(([a, b]) => b - a).sort((a, b) => a - b);
  const p99 = percentile(times, 99);
  const slow = spans.filter(([a, b]) => b - a > p99);
  const slowInGc = slow.filter(([a, b]) => gcs.some((g) => g.startTime < b && g.startTime + g.duration > a)).length;
  const longestGc = Math.max(0, ...gcs.map((g) => g.duration));
  console.log(
    `${label}  ${times.length} decisions  ${Math.round((times.length / (last - first)) * 1000)} decisions/s  ` +
      `p50 ${fmt(percentile(times, 50))}  p99 ${fmt(p99)}  ${steady ? `p99.9 ${fmt(percentile(times, 99.9))}  ` : ""}max ${fmt(times.at(-1)!)}  ` +
      `GC ${gcs.length} pauses (longest ${fmt(longestGc)}; in ${slowInGc} of the ${slow.length} decisions above p99)  ` +
      `search ${JSON.stringify(modes)}  outcomes ${JSON.stringify(statuses)}`,
  );
}

async function run(locations: number, lines: number, warmupRounds: number, rounds: number) {
  const s = scenario(locations, lines, locations * 1000 + lines);
  const size = `${String(locations).padStart(3)} locations × ${String(lines).padStart(2)} lines`;
  await report(`${size}  first pass`, measure(s, 1), false);
  measure(s, warmupRounds);
  await settle();
  gcPauses.length = 0;
  await report(`${size}  steady (after ${warmupRounds * 200} warm-up)`, measure(s, rounds), true);
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"} · load average ${load()}`);
await run(50, 10, Number(arg("warmup") ?? 5), Number(arg("rounds") ?? 10));
await run(200, 50, Number(arg("warmup-large") ?? 2), Number(arg("rounds-large") ?? 10));
console.log(`load average at the end: ${load()}`);
gcObserver.disconnect();
