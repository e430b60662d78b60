import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { bootRuntime } from "#app/boot.server";
import { listInboundEvents, listJobs, retryJob } from "#app/modules/operations/index";
import { listShops } from "#app/modules/shops/index";
import { listDataExports } from "#app/modules/privacy/index";
import { getSkuDetail, listLocations, setHubCount, setLocationStockSource, type SkuDetail } from "#app/modules/inventory/index";
import { activateVersion, listVersions, rollback, saveDraft, simulateFiles, type Rule, type SimulationReport } from "#app/modules/routing/index";
import { generateKeySpec } from "#app/platform/crypto.server";
import { migrate } from "#app/platform/db/migrate.server";
import { parseEnv, type Env } from "#app/platform/env.server";
import type { AppRuntime } from "#app/platform/runtime.server";
import { findOrder, getOrderDetail, listOrders, rerouteAllUnroutable, routeExistingOrder, whatIf } from "#app/modules/orders/index";
import { printOrderRouting, printUnroutableSweep, printWhatIf } from "./print-routing";
import { DEMO_ADMIN_TOKEN, listenLoopback, portOf, startDemoPeers, type DemoPeers } from "./demo-peers.server";
import { seedDemoShop } from "./seed.server";
import { listNotificationDestinations } from "#app/modules/amazon/index";
import { amazonNotificationsDeps } from "#app/jobs/amazon.server";
import { createNotificationDestinations } from "#app/workflows/amazon-notifications.server";
import { sqsArnFromQueueUrl } from "#connectors/amazon/sqs/index";
import { startServer } from "./serve.server";

/**
 * `oms` — the operator CLI.  Every command takes --json for machine-readable output.
 * The README's two commands (`./oms demo`, `./oms test`) are handled by the ./oms launcher, which
 * provisions Node and dependencies and then calls this for everything but `test`.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");

/** A mistake in the command line itself (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

const HELP = `oms — omnichannel order hub, operator CLI

Usage: oms <command> [options]

  demo                 migrate, seed the demo shop, serve the sandbox admin UI (Ctrl-C stops)
  serve                serve the app (uses APP_MODE, DATABASE_URL, PORT …; see README)
  migrate              apply database migrations (SQLite or Postgres from DATABASE_URL)
  seed                 create or refresh the sandbox demo shop
  config               show the parsed configuration (secrets masked)
  shops                list shops and their install state
  jobs                 list jobs            [--status S] [--shop D] [--name N] [--limit N]
  jobs retry <id>      re-queue a failed job
  events               list inbound events  [--status S] [--shop D] [--limit N]
  routing profiles     routing profile versions (draft / active / retired)      [--shop D]
  routing save --file F   save rules (JSON: a profile or its rules array) as the next draft version
  routing activate <v>    make version v active;  routing rollback: back to the previous active one
  simulate             route a batch of orders without touching live state (docs/simulator.md)
                       --network F --profile F --orders F.jsonl [--compare F2]
                       --shop D --days N [--version V] [--compare-version V2 | --compare F2]
                                replay the shop's own orders of the last N days (default: active profile)
  orders               orders across channels  [--status S] [--channel C] [--limit N] [--shop D]
  route <order>        an order's routing decision with its trace (id, name or external id)
                       [--reroute] route it again now under the active profile
  route --unroutable   re-route every unroutable order of the shop now, oldest first  [--shop D]
                       (routed / still unroutable, grouped by reason)
  inventory <sku>      quantities per location and ATS per channel with its explanation [--shop D]
  stock-source <location> shopify|hub   whose counts are the truth there (hub: pushed to Shopify by compare-and-set)
  stock-count <location> <sku> <on-hand> --note "why"   a count the hub owns (hub-sourced locations only)
  amazon-destination [--sqs-arn ARN] [--client-id ID] [--region na|eu|fe] [--name N]
                       create (or find) the SP-API notification destination for the SQS queue, once per
                       LWA application and region of the connected Amazon accounts (default ARN: from
                       AMAZON_SQS_QUEUE_URL); their ORDER_CHANGE subscriptions follow within a poll period
  amazon-destination list   the stored destinations and each account's notification status
  exports --shop D     customer data exports (customers/data_request); --json includes the content
  keygen               print a new OMS_ENCRYPTION_KEYS entry (put it first to rotate; keep old keys after it)

Options:
  --json               print JSON instead of tables
  --sandbox            use the sandbox configuration (default when no Shopify app is configured)
  --port N, --host H   where serve/demo listen (default 127.0.0.1:3000; --port 0 = any free port)
  -h, --help           this help
`;

function sandboxKeys(): string {
  const file = path.join(ROOT, "data", "sandbox.keys");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, generateKeySpec("sandbox1") + "\n", { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

export function loadEnv(flags: { sandbox?: boolean; port?: string; host?: string }): Env {
  const envFile = path.join(process.cwd(), ".env");
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  const raw: Record<string, string | undefined> = { ...process.env };
  // With no Shopify app configured there is nothing but the sandbox this could mean.
  if (flags.sandbox || (!raw.APP_MODE && !raw.SHOPIFY_API_KEY)) raw.APP_MODE = "sandbox";
  if (raw.APP_MODE === "sandbox" && !raw.OMS_ENCRYPTION_KEYS) raw.OMS_ENCRYPTION_KEYS = sandboxKeys();
  if (flags.port !== undefined) raw.PORT = flags.port;
  if (flags.host !== undefined) raw.HOST = flags.host;
  return parseEnv(raw);
}

type Row = Record<string, unknown>;

function printTable(rows: Row[], columns: string[]) {
  if (rows.length === 0) {
    console.log("(none)");
    return;
  }
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? "" : String(v)).replace(/\s+/g, " ").slice(0, 80);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  console.log(columns.map((c, i) => c.padEnd(widths[i]!)).join("  "));
  for (const r of rows) console.log(columns.map((c, i) => cell(r[c]).padEnd(widths[i]!)).join("  "));
}

function printSkuDetail(d: SkuDetail) {
  console.log(`${d.sku}  ${d.title}${d.isKit ? "  (kit: " + d.kitComponents.map((c) => `${c.quantity}× ${c.sku}`).join(" + ") + ")" : ""}`);
  console.log(`tags: ${d.tags.join(", ") || "—"}`);
  for (const l of d.listings) console.log(`listed on ${l.channelName} as ${l.externalSku}${l.externalId ? ` (${l.externalId})` : ""}${l.status === "active" ? "" : ` [${l.status}]`}`);
  console.log("");
  if (d.levels.length) {
    printTable(
      d.levels.map((l) => ({ location: l.locationName + (l.readOnly ? " (read-only)" : ""), on_hand: l.onHand, available: l.available, committed: l.committed, reserved: l.reserved, safety_stock: l.safetyStock, damaged: l.damaged, incoming: l.incoming, held: l.held, sellable: l.available - l.held })),
      ["location", "on_hand", "available", "committed", "reserved", "safety_stock", "damaged", "incoming", "held", "sellable"],
    );
  } else console.log(d.isKit ? "(a kit has no stock of its own: its ATS comes from its components)" : "(no stock at any location)");
  console.log("\nAvailable to sell, by channel:");
  for (const a of d.ats) {
    const pub = a.publish.action === "delist" ? "delist" : String(a.publish.quantity);
    console.log(`\n  ${a.channelName} [${a.channelCode}]${a.active ? "" : " (inactive)"}: ATS ${a.ats}, publish ${pub}`);
    for (const step of a.explanation.steps) console.log(`    · ${step}`);
    for (const l of a.explanation.locations) console.log(`      ${l.counted ? "+" : "-"} ${l.locationName}: ${l.counted ? `sellable ${l.sellable}` : "not counted"} — ${l.reason}`);
  }
  if (d.ledger.length) {
    console.log("\nRecent ledger:");
    printTable(d.ledger.map((e) => ({ when: e.occurredAt, location: e.locationName, quantity: e.quantityName, delta: e.delta > 0 ? `+${e.delta}` : e.delta, resulting: e.resulting, source: e.source, reason: e.reason })), ["when", "location", "quantity", "delta", "resulting", "source", "reason"]);
  }
}

function printSimulation(r: SimulationReport) {
  const plan = (d: SimulationReport["base"]["decisions"][number]) =>
    d.plan ? d.plan.shipments.map((s) => `${s.locationId} (${s.lines.map((l) => `${l.sku}×${l.quantity}`).join(", ")})`).join(" + ") : d.queue ? `queue ${d.queue}` : "—";
  const rows = r.base.decisions.map((d, i) => {
    const c = r.compare?.decisions[i];
    return { order: d.orderId, status: d.status, rule: d.ruleId ?? "", plan: plan(d), cost: d.plan ? `$${(d.plan.totals.costCents / 100).toFixed(2)}` : "", days: d.plan?.totals.maxDays ?? "", ...(c ? { [`${r.compare!.profileId}`]: `${c.status === "routed" ? plan(c) : c.status}` } : {}) };
  });
  printTable(rows, ["order", "status", "rule", "plan", "cost", "days", ...(r.compare ? [r.compare.profileId] : [])]);
  const a = r.base.aggregates;
  const fmt = (x: typeof a) =>
    `${x.routed}/${x.orders} routed, ${x.queued} queued, ${x.backordered} backordered, ${x.unroutable} unfillable; ${x.shipmentsPerOrder} shipments/order, split rate ${(x.splitRate * 100).toFixed(1)}%, cost $${(x.costCents / 100).toFixed(2)} (mean $${(x.meanCostCents / 100).toFixed(2)}), mean ${x.meanDays} days (max ${x.maxDays})`;
  console.log(`\n${r.base.profileId} v${r.base.profileVersion}: ${fmt(a)}`);
  if (r.compare && r.delta) {
    console.log(`${r.compare.profileId} v${r.compare.profileVersion}: ${fmt(r.compare.aggregates)}`);
    const d = r.delta;
    console.log(`delta (${r.compare.profileId} − ${r.base.profileId}): shipments/order ${d.shipmentsPerOrder >= 0 ? "+" : ""}${d.shipmentsPerOrder}, split rate ${d.splitRate >= 0 ? "+" : ""}${(d.splitRate * 100).toFixed(1)} pt, cost ${d.costCents >= 0 ? "+" : "-"}$${(Math.abs(d.costCents) / 100).toFixed(2)}, mean days ${d.meanDays >= 0 ? "+" : ""}${d.meanDays}, unfillable ${d.unroutable + d.backordered >= 0 ? "+" : ""}${d.unroutable + d.backordered}`);
  }
}

/** A profile file for --profile / --compare: a profile object or a bare rules array. */
function readProfileFile(file: string) {
  let parsed: { id?: string; version?: number; rules?: Rule[] } | Rule[];
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8")) as typeof parsed;
  } catch (e) {
    throw new UsageError(`cannot read profile ${file}: ${(e as Error).message}`);
  }
  return Array.isArray(parsed) ? { id: path.basename(file), version: 0, rules: parsed } : { id: parsed.id ?? path.basename(file), version: parsed.version ?? 0, rules: parsed.rules ?? [] };
}

function output(json: boolean, data: unknown, table: () => void) {
  if (json) console.log(JSON.stringify(data, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2));
  else table();
}

async function withRuntime<T>(env: Env, fn: (rt: AppRuntime) => Promise<T>): Promise<T> {
  const rt = bootRuntime(env);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

async function serve(env: Env, opts: { demo: boolean }) {
  // The demo runs the Shopify sandbox peer beside the app; the runtime's Admin client must know its
  // URL from the start, so the port is chosen first.
  const schemaDir = process.env.OMS_SHOPIFY_SCHEMA_DIR;
  const withPeers = opts.demo && env.APP_MODE === "sandbox" && !env.SHOPIFY_ADMIN_URL && process.env.OMS_DEMO_PEERS !== "0";
  const peerListener = withPeers && schemaDir ? await listenLoopback() : null;
  if (peerListener) env = { ...env, SHOPIFY_ADMIN_URL: `http://127.0.0.1:${portOf(peerListener)}`, SHOPIFY_ADMIN_TOKEN: DEMO_ADMIN_TOKEN };
  // …and the Amazon SP-API peer: every Amazon call of the runtime goes there (AMAZON_SANDBOX_URL).
  const amazonListener = peerListener && !env.AMAZON_SANDBOX_URL ? await listenLoopback() : null;
  if (amazonListener) env = { ...env, AMAZON_SANDBOX_URL: `http://127.0.0.1:${portOf(amazonListener)}` };
  const runtime = bootRuntime(env);
  const log = runtime.logger;
  if (opts.demo) {
    const m = await migrate(env.DATABASE_URL, ROOT);
    log.info("database ready", { provider: m.provider, applied: m.applied.length, alreadyApplied: m.alreadyApplied });
    const shop = await seedDemoShop(runtime);
    log.info("demo shop seeded", {
      shop: shop.domain,
      name: shop.name,
      ...(shop.catalog.loaded ? { skus: shop.catalog.skus, levels: shop.catalog.levels, channels: shop.catalog.channels } : { catalog: "already present" }),
      routing: shop.routing.profile,
      orders: shop.orders,
    });
  }
  const server = await startServer(runtime, { root: ROOT, host: env.HOST, port: env.PORT });
  let peers: DemoPeers | null = null;
  if (withPeers && !schemaDir) log.warn("Shopify sandbox peer not started: OMS_SHOPIFY_SCHEMA_DIR is not set (run through ./oms, which fetches Shopify's schemas)");
  if (peerListener && schemaDir) {
    const orderEveryMs = Number(process.env.OMS_DEMO_ORDER_EVERY_MS ?? "20000");
    peers = await startDemoPeers(runtime, { root: ROOT, listener: peerListener, amazonListener, appUrl: server.url, schemaDir, orderEveryMs: Number.isFinite(orderEveryMs) ? orderEveryMs : 20000 });
  }
  const banner = env.APP_MODE === "sandbox" ? `Sandbox admin UI: ${server.url}/app` : `App listening on ${server.url}`;
  log.info(banner, { mode: env.APP_MODE, database: runtime.provider });
  if (env.APP_MODE === "sandbox") console.log(`\n  ➜  Open ${server.url}/app   (Ctrl-C to stop)\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.error("Forced exit.");
      process.exit(130);
    }
    stopping = true;
    log.info("stopping…", { signal });
    (peers ? peers.stop() : Promise.resolve())
      .then(() => server.stop())
      .then(() => {
        log.info("stopped cleanly");
        process.exit(0);
      })
      .catch((e: unknown) => {
        log.error("error while stopping", { err: e });
        process.exit(1);
      });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/**
 * `oms amazon-destination`: the SP-API notification destination (an SQS queue) is the application's,
 * created with a grantless call once per LWA application and region — an operator's step, not a
 * merchant's (docs/decisions/015-amazon-notifications-sqs.md).  Idempotent: Amazon's existing
 * destination for the same queue is found and reused.
 */
async function amazonDestination(rt: AppRuntime, sub: string | undefined, o: { json: boolean; sqsArn?: string; clientId?: string; region?: string; name?: string }): Promise<number> {
  if (sub === "list") {
    const [destinations, overview] = await Promise.all([listNotificationDestinations(rt.db), rt.db.amazonAccount.findMany({ orderBy: { createdAt: "asc" }, select: { shop: true, sellerId: true, region: true, lwaClientId: true, status: true, notificationsStatus: true, notificationsMessage: true } })]);
    output(o.json, { destinations, accounts: overview, consumer: rt.amazon.notifications.health() }, () => {
      printTable(destinations.map((d) => ({ ...d })), ["lwaClientId", "region", "destinationId", "sqsArn", "updatedAt"]);
      console.log("");
      printTable(overview.map((a) => ({ shop: a.shop, seller: a.sellerId, region: a.region, account: a.status, notifications: a.notificationsStatus, message: a.notificationsMessage })), ["shop", "seller", "region", "account", "notifications", "message"]);
    });
    return 0;
  }
  if (sub) throw new UsageError(`amazon-destination ${sub}: unknown subcommand (try: oms amazon-destination [--sqs-arn ARN] or oms amazon-destination list)`);
  if (o.region && !["na", "eu", "fe"].includes(o.region)) throw new UsageError(`--region must be na, eu or fe (got "${o.region}")`);
  const sqsArn = o.sqsArn ?? (rt.env.AMAZON_SQS_QUEUE_URL ? sqsArnFromQueueUrl(rt.env.AMAZON_SQS_QUEUE_URL) : null);
  if (!sqsArn) throw new UsageError(rt.env.AMAZON_SQS_QUEUE_URL ? `cannot derive the queue ARN from AMAZON_SQS_QUEUE_URL (${rt.env.AMAZON_SQS_QUEUE_URL}): pass --sqs-arn arn:aws:sqs:<region>:<account id>:<queue name>` : "--sqs-arn is required (or set AMAZON_SQS_QUEUE_URL to derive it): arn:aws:sqs:<region>:<account id>:<queue name>");
  if (!/^arn:aws:sqs:\S+:\S+:\S+$/.test(sqsArn)) throw new UsageError(`--sqs-arn "${sqsArn}" is not an SQS queue ARN (arn:aws:sqs:<region>:<account id>:<queue name>)`);
  const reports = await createNotificationDestinations(amazonNotificationsDeps(rt), { sqsArn, ...(o.name ? { name: o.name } : {}), ...(o.clientId ? { lwaClientId: o.clientId } : {}), ...(o.region ? { region: o.region } : {}) });
  if (reports.length === 0) {
    console.error("No connected Amazon account matches: the destination belongs to an account's LWA application and region, so connect the account first (Amazon page), then run this again.");
    return 1;
  }
  output(o.json, reports, () => {
    printTable(reports.map((r) => ({ ...r, created: r.created ? "created" : "existing (reused)" })), ["lwaClientId", "region", "destinationId", "created", "accounts"]);
    console.log(`\nQueue: ${sqsArn}. The running app now subscribes those accounts' sellers to ORDER_CHANGE (within seconds, or at its next Amazon schedule run); \`oms amazon-destination list\` shows how each stands.`);
    if (!rt.env.AMAZON_SQS_QUEUE_URL) console.log("Note: AMAZON_SQS_QUEUE_URL is not set here, so this deployment does not read the queue; set it where the app runs.");
  });
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      sandbox: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      port: { type: "string" },
      host: { type: "string" },
      status: { type: "string" },
      shop: { type: "string" },
      name: { type: "string" },
      limit: { type: "string" },
      network: { type: "string" },
      profile: { type: "string" },
      orders: { type: "string" },
      compare: { type: "string" },
      file: { type: "string" },
      note: { type: "string" },
      days: { type: "string" },
      version: { type: "string" },
      "compare-version": { type: "string" },
      channel: { type: "string" },
      reroute: { type: "boolean", default: false },
      unroutable: { type: "boolean", default: false },
      "sqs-arn": { type: "string" },
      "client-id": { type: "string" },
      region: { type: "string" },
    },
  });
  const [cmd, sub, arg] = positionals;
  if (values.help || !cmd || cmd === "help") {
    console.log(HELP);
    return cmd || values.help ? 0 : 2;
  }
  if (cmd === "simulate" && !values.shop) {
    if (!values.network || !values.profile || !values.orders) throw new UsageError("simulate needs --network, --profile and --orders (see docs/simulator.md)");
    const report = simulateFiles({ network: values.network, profile: values.profile, orders: values.orders, ...(values.compare ? { compare: values.compare } : {}) });
    output(values.json, report, () => printSimulation(report));
    return 0;
  }
  if (cmd === "keygen") {
    const spec = generateKeySpec(`k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}`);
    output(values.json, { key: spec }, () => console.log(spec));
    return 0;
  }
  const limit = values.limit ? Number(values.limit) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError("--limit must be a positive integer");
  const env = loadEnv(values);

  switch (cmd) {
    case "demo":
      await serve(env, { demo: true });
      return -1; // keep running
    case "serve":
      await serve(env, { demo: false });
      return -1;
    case "migrate": {
      const r = await migrate(env.DATABASE_URL, ROOT);
      output(values.json, r, () => console.log(`${r.provider}: applied ${r.applied.length} migration(s)${r.applied.length ? ": " + r.applied.join(", ") : ""}; ${r.alreadyApplied} already applied`));
      return 0;
    }
    case "seed":
      return withRuntime(env, async (rt) => {
        await migrate(env.DATABASE_URL, ROOT);
        const shop = await seedDemoShop(rt);
        output(values.json, shop, () => console.log(`seeded ${shop.domain} (${shop.name})`));
        return 0;
      });
    case "config": {
      const masked = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, /SECRET|KEYS|PASSWORD/.test(k) ? "•••" : v]));
      output(values.json, masked, () => printTable(Object.entries(masked).map(([k, v]) => ({ variable: k, value: v })), ["variable", "value"]));
      return 0;
    }
    case "amazon-destination":
      return withRuntime(env, (rt) => amazonDestination(rt, sub, { json: values.json, sqsArn: values["sqs-arn"], clientId: values["client-id"], region: values.region, name: values.name }));
    case "shops":
      return withRuntime(env, async (rt) => {
        const shops = await listShops(rt.db);
        output(values.json, shops, () => printTable(shops, ["domain", "name", "installState", "installedAt", "uninstalledAt"]));
        return 0;
      });
    case "jobs":
      return withRuntime(env, async (rt) => {
        if (sub === "retry") {
          if (!arg) throw new UsageError("jobs retry needs a job id");
          const ok = await retryJob(rt.db, arg, rt.now());
          output(values.json, { id: arg, requeued: ok }, () => console.log(ok ? `re-queued ${arg}` : `job ${arg} is not a failed job; nothing done`));
          return ok ? 0 : 1;
        }
        if (sub) throw new UsageError(`jobs ${sub}: unknown subcommand (try: oms jobs retry <id>)`);
        const jobs = await listJobs(rt.db, { shop: values.shop, status: values.status, name: values.name, limit });
        output(values.json, jobs, () => printTable(jobs, ["id", "shop", "name", "status", "attempts", "runAt", "lastError"]));
        return 0;
      });
    case "events":
      return withRuntime(env, async (rt) => {
        const events = await listInboundEvents(rt.db, { shop: values.shop, status: values.status, limit });
        output(values.json, events, () => printTable(events, ["receivedAt", "shop", "source", "topic", "status", "externalId", "error"]));
        return 0;
      });
    case "inventory":
      return withRuntime(env, async (rt) => {
        if (!sub) throw new UsageError("inventory needs a SKU: oms inventory <sku>");
        const shop = values.shop ?? (env.APP_MODE === "sandbox" ? env.SANDBOX_SHOP : undefined);
        if (!shop) throw new UsageError("--shop is required outside the sandbox");
        const detail = await getSkuDetail(rt.db, shop, sub, { ledgerLimit: 10 });
        output(values.json, detail, () => printSkuDetail(detail));
        return 0;
      });
    case "stock-source":
    case "stock-count":
      return withRuntime(env, async (rt) => {
        const shop = values.shop ?? (env.APP_MODE === "sandbox" ? env.SANDBOX_SHOP : undefined);
        if (!shop) throw new UsageError("--shop is required outside the sandbox");
        const deps = { db: rt.db, now: rt.now };
        if (cmd === "stock-source") {
          if (!sub || !arg) throw new UsageError("usage: oms stock-source <location name or id> shopify|hub");
          const r = await setLocationStockSource(deps, shop, sub, arg);
          output(values.json, r, () => console.log(`${r.name}: stock source ${r.stockSource}${r.stockSource === "hub" ? " (its counts are pushed to Shopify)" : " (mirrors Shopify)"}`));
          return 0;
        }
        const onHand = positionals[3];
        if (!sub || !arg || onHand === undefined || !values.note) throw new UsageError('usage: oms stock-count <location> <sku> <on-hand> --note "why" (the note goes in the ledger)');
        const r = await setHubCount(deps, shop, { locationRef: sub, sku: arg, onHand: Number(onHand), reason: values.note ?? "", actor: `cli:${process.env.USER ?? "operator"}` });
        await rt.relay.runOnce(); // the push job is queued; the serving process runs it
        output(values.json, r, () => console.log(`${r.location} ${r.sku}: on hand ${r.onHand}, available ${r.available}; push to Shopify queued`));
        return 0;
      });
    case "routing":
      return withRuntime(env, async (rt) => {
        const shop = values.shop ?? (env.APP_MODE === "sandbox" ? env.SANDBOX_SHOP : undefined);
        if (!shop) throw new UsageError("--shop is required outside the sandbox");
        const deps = { db: rt.db, now: rt.now };
        if (sub === "save") {
          if (!values.file) throw new UsageError("routing save needs --file <rules.json>");
          const parsed = JSON.parse(fs.readFileSync(values.file, "utf8")) as { rules?: Rule[] } | Rule[];
          const v = await saveDraft(rt.db, shop, { rules: Array.isArray(parsed) ? parsed : (parsed.rules ?? []), note: values.note, actor: `cli:${process.env.USER ?? "operator"}` });
          output(values.json, v, () => console.log(`saved draft v${v.version} (${v.profile.rules.length} rules); activate with: oms routing activate ${v.version}`));
          return 0;
        }
        if (sub === "activate") {
          const n = Number(arg);
          if (!Number.isInteger(n) || n < 1) throw new UsageError("routing activate needs a version number");
          const v = await activateVersion(deps, shop, n);
          output(values.json, v, () => console.log(`v${v.version} is now active`));
          return 0;
        }
        if (sub === "rollback") {
          const v = await rollback(deps, shop);
          output(values.json, v, () => console.log(`rolled back: v${v.version} is active again`));
          return 0;
        }
        if (sub && sub !== "profiles") throw new UsageError(`routing ${sub}: unknown subcommand (profiles | save | activate | rollback)`);
        const versions = await listVersions(rt.db, shop);
        output(values.json, versions, () =>
          printTable(versions.map((v) => ({ version: v.version, status: v.status, rules: v.profile.rules.map((r) => r.id).join(", "), createdBy: v.createdBy, createdAt: v.createdAt, activatedAt: v.activatedAt, note: v.note })), ["version", "status", "rules", "createdBy", "createdAt", "activatedAt", "note"]),
        );
        return 0;
      });
    case "simulate":
      return withRuntime(env, async (rt) => {
        const shop = values.shop!;
        const days = Number(values.days ?? "30");
        if (!Number.isInteger(days) || days < 1) throw new UsageError("--days must be a positive whole number");
        const versions = await listVersions(rt.db, shop);
        const pick = (v: string | undefined, what: string) => {
          const found = v ? versions.find((x) => x.version === Number(v)) : versions.find((x) => x.status === "active");
          if (!found) throw new UsageError(v ? `${what}: ${shop} has no routing profile version ${v}` : `${shop} has no active routing profile; pass --version`);
          return found.profile;
        };
        const profile = values.profile ? readProfileFile(values.profile) : pick(values.version, "--version");
        const compare = values["compare-version"] ? pick(values["compare-version"], "--compare-version") : values.compare ? readProfileFile(values.compare) : null;
        const report = await whatIf(rt, shop, { days, profile, compare });
        output(values.json, report, () => printWhatIf(report));
        return 0;
      });
    case "orders":
      return withRuntime(env, async (rt) => {
        const shop = values.shop ?? (env.APP_MODE === "sandbox" ? env.SANDBOX_SHOP : undefined);
        if (!shop) throw new UsageError("--shop is required outside the sandbox");
        const page = await listOrders(rt.db, shop, { status: values.status, channel: values.channel, limit });
        output(values.json, page, () =>
          printTable(
            page.items.map((o) => ({ placed: o.placedAt, order: o.name, channel: o.channel.code, status: o.status, speed: o.speed, to: o.destination, units: o.units, from: o.locations.join(" + "), rule: o.rule })),
            ["placed", "order", "channel", "status", "speed", "to", "units", "from", "rule"],
          ),
        );
        return 0;
      });
    case "route":
      return withRuntime(env, async (rt) => {
        const shop = values.shop ?? (env.APP_MODE === "sandbox" ? env.SANDBOX_SHOP : undefined);
        if (!shop) throw new UsageError("--shop is required outside the sandbox");
        if (values.unroutable) {
          if (sub) throw new UsageError("route --unroutable re-routes every unroutable order of the shop; name no order (or drop --unroutable)");
          const r = await rerouteAllUnroutable({ db: rt.db, now: rt.now, logger: rt.logger }, shop, { cause: `oms route --unroutable by cli:${process.env.USER ?? "operator"}` });
          const names = Object.fromEntries((await listLocations(rt.db, shop)).map((l) => [l.id, l.name]));
          output(values.json, r, () => printUnroutableSweep(r, names));
          return r.failed.length ? 1 : 0;
        }
        if (!sub) throw new UsageError("route needs an order: oms route <order id | name | external id>, or --unroutable for every unroutable one");
        const order = await findOrder(rt.db, shop, sub);
        if (values.reroute) await routeExistingOrder(rt, shop, order.id, { trigger: "manual", actor: `cli:${process.env.USER ?? "operator"}` });
        const detail = await getOrderDetail(rt.db, shop, order.id);
        output(values.json, detail, () => printOrderRouting(detail, detail.decisions));
        return 0;
      });
    case "exports":
      return withRuntime(env, async (rt) => {
        if (!values.shop) throw new UsageError("--shop is required (exports belong to one shop)");
        const rows = await listDataExports(rt.db, values.shop);
        output(
          values.json,
          rows.map((r) => ({ ...r, customerRef: JSON.parse(r.customerRef) as unknown, content: r.content ? (JSON.parse(r.content) as unknown) : null })),
          () => printTable(rows.map((r) => ({ ...r, customer: r.customerRef })), ["id", "createdAt", "status", "requestId", "customer"]),
        );
        return 0;
      });
    default:
      console.error(`oms: unknown command "${cmd}"\n`);
      console.log(HELP);
      return 2;
  }
}
