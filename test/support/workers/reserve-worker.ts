/**
 * One race worker, in its own process with its own database connection: reads its orders (JSON
 * lines on stdin), reserves them one after another as fast as it can, prints one JSON result per
 * order.  Used by test/integration/reservation-race and the reservation benchmark.
 */
import readline from "node:readline";
import { reserveOrder } from "#app/modules/inventory/index";
import { createDb } from "#app/platform/db/client.server";

interface OrderLine {
  shop: string;
  channelId: string;
  externalOrderId: string;
  lines: { lineKey: string; sku: string; quantity: number }[];
}

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const { db, close } = createDb(url, { poolSize: 1 });
const rl = readline.createInterface({ input: process.stdin });
const orders: OrderLine[] = [];
for await (const line of rl) if (line.trim()) orders.push(JSON.parse(line) as OrderLine);

// Start together: wait for the "go" file the parent creates once every worker is ready.
process.stdout.write(JSON.stringify({ ready: true }) + "\n");
const go = process.env.GO_FILE;
if (go) {
  const fs = await import("node:fs");
  while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 5));
}
for (const o of orders) {
  const started = performance.now();
  try {
    const r = await reserveOrder({ db, now: () => new Date() }, { ...o, actor: "race-worker" });
    process.stdout.write(JSON.stringify({ id: o.externalOrderId, channelId: o.channelId, status: r.status, duplicate: r.duplicate, attempts: r.attempts, ms: performance.now() - started, reasons: r.lines.map((l) => l.reason).filter(Boolean) }) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: o.externalOrderId, channelId: o.channelId, status: "error", error: (e as Error).message }) + "\n");
  }
}
await close();
