/**
 * Amazon order intake against searchOrders' limit (issue 6, benchmark c): how many orders per hour
 * the poll sustains, and how.
 *
 * The real SP-API client (`connectors/amazon/client`) polls the Amazon sandbox peer over HTTP, with
 * the peer's default usage plans (searchOrders 0.0056 requests/s, burst 20: one call per 180 s once
 * the burst is spent).  Time is virtual: the peer, the client and the client's token buckets share
 * one clock that moves when the client waits for its bucket or the poll waits for its next turn,
 * so one hour of Amazon traffic takes seconds.  Orders arrive at a steady rate; every poll reads
 * everything updated since the watermark, 100 orders a page, and "takes" them (counted by id; the
 * hub's own intake cost is measured separately, see bench/README.md).
 *
 *   npm run bench:amazon-orders [-- --rates 1000,2000,4000 --hours 2]
 */
import { parseArgs } from "node:util";
import { createMemoryAccessTokenCache } from "#connectors/amazon/client/access-token";
import type { OrdersCheckpoint } from "#connectors/amazon/client/paging";
import { spApiBucketLimits } from "#connectors/amazon/client/rate-limits";
import { sandboxAgent } from "#connectors/amazon/client/sandbox-agent";
import { createSpApiClient } from "#connectors/amazon/client/sp-api-client";
import { startAmazonSandbox } from "#connectors/amazon/sandbox/index";
import { createMemoryBucketStore, createTokenBuckets } from "#connectors/core/token-bucket";

const { values } = parseArgs({ options: { rates: { type: "string", default: "1000,2000,3000,4000" }, hours: { type: "string", default: "2" }, "poll-s": { type: "string", default: "180" } } });
const RATES = values.rates.split(",").map(Number);
const HOURS = Number(values.hours);
const POLL_MS = Number(values["poll-s"]) * 1000;
const SELLER = "A2BENCHSELLER1";
const US = "ATVPDKIKX0DER";
const START = Date.parse("2026-12-01T00:00:00Z");

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0);

async function run(ratePerHour: number) {
  let now = START;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const listings = Array.from({ length: 200 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1_000_000 }));
  const peer = await startAmazonSandbox({ sellerId: SELLER, marketplaces: [US], clock: clock.now, randomSeed: 11, seed: { listings } });
  const buckets = createTokenBuckets({ store: createMemoryBucketStore(), limits: spApiBucketLimits, now: clock.now, sleep: async (ms) => clock.advance(ms) });
  const client = createSpApiClient({
    account: { sellerId: SELLER, region: "na", marketplaceIds: [US], lwaClientId: peer.lwa.clientId, lwaClientSecret: peer.lwa.clientSecret, refreshToken: peer.lwa.refreshToken },
    buckets,
    tokenCache: createMemoryAccessTokenCache(),
    now: clock.now,
    sleep: async (ms) => clock.advance(ms),
    random: () => 0.5,
    transport: { agent: sandboxAgent(peer.url) },
  });
  const createdAt = new Map<string, number>();
  const taken = new Map<string, number>();
  let checkpoint: OrdersCheckpoint = { by: "lastUpdated", after: iso(START - 60_000), before: null, paginationToken: null, tokenIssuedAtMs: null };
  let pages = 0;
  const gapMs = 3_600_000 / ratePerHour;
  let nextArrival = START;
  const end = START + HOURS * 3_600_000;
  let nextPoll = START;
  const wall = performance.now();
  while (now < end) {
    // Orders placed up to now (Amazon stamps them with its clock).
    const target = now;
    while (nextArrival <= target && nextArrival < end) {
      const saved = now;
      now = nextArrival;
      for (const o of peer.generateOrders(1, { fulfilledBy: "MERCHANT", marketplaceId: US })) createdAt.set(o.orderId, now);
      now = saved;
      nextArrival += gapMs;
    }
    if (now >= nextPoll) {
      for await (const page of client.searchOrdersPages({ checkpoint, filters: { marketplaceIds: [US], maxResultsPerPage: 100 } })) {
        pages++;
        for (const o of page.orders) {
          const id = String((o as { orderId: string }).orderId);
          if (!taken.has(id)) taken.set(id, now);
        }
        checkpoint = page.checkpoint;
      }
      nextPoll = now + POLL_MS;
    }
    clock.advance(Math.max(1_000, Math.min(nextPoll, nextArrival) - now));
  }
  const lags = [...taken].map(([id, at]) => (at - createdAt.get(id)!) / 60_000);
  const stats = peer.stats().operations.searchOrders ?? { calls: 0, throttled: 0, errors: 0 };
  const inFirstHour = [...taken.values()].filter((at) => at < START + 3_600_000).length;
  const lastHour = [...taken.values()].filter((at) => at >= end - 3_600_000).length;
  await peer.close();
  return {
    ratePerHour,
    generated: createdAt.size,
    taken: taken.size,
    backlog: createdAt.size - taken.size,
    inFirstHour,
    lastHour,
    pages,
    calls: stats.calls,
    throttled: stats.throttled,
    lagP50: pct(lags, 50),
    lagP99: pct(lags, 99),
    wallS: (performance.now() - wall) / 1000,
  };
}

console.log(`Amazon order intake, ${HOURS} virtual hour(s) per rate, poll every ${POLL_MS / 1000} s, searchOrders at Amazon's default plan (0.0056 rps, burst 20), 100 orders per page`);
console.log("rate/h  generated  taken  backlog  taken 1st h  taken last h  pages  calls  429s  lag p50  lag p99  wall");
for (const rate of RATES) {
  const r = await run(rate);
  console.log(
    `${String(r.ratePerHour).padStart(6)}  ${String(r.generated).padStart(9)}  ${String(r.taken).padStart(5)}  ${String(r.backlog).padStart(7)}  ${String(r.inFirstHour).padStart(11)}  ${String(r.lastHour).padStart(12)}  ${String(r.pages).padStart(5)}  ${String(r.calls).padStart(5)}  ${String(r.throttled).padStart(4)}  ${r.lagP50.toFixed(1).padStart(5)} min  ${r.lagP99.toFixed(1).padStart(5)} min  ${r.wallS.toFixed(1)} s`,
  );
}
console.log("Sustained ceiling of the poll alone: 100 orders per page × 1 call per 180 s = 2 000 orders/h (plus the burst of 20 calls = 2 000 orders once).");
console.log("ORDER_CHANGE notifications add getOrder at 0.5 rps (burst 30): up to 1 800 orders/h more, seconds after each order, without waiting for the 2-minute window.");
