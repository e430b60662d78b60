import { Session } from "@shopify/shopify-api";
import { upsertInstalledShop } from "#app/modules/shops/index";
import { loadCatalog } from "#app/modules/inventory/index";
import { intakeOrder, type IntakeResult } from "#app/modules/orders/index";
import { activateVersion, listVersions, routingFixtures, saveDraft } from "#app/modules/routing/index";
import { demoCatalog, demoOrderStream, demoRoutingRules, type DemoOrderSpec } from "./demo-data";
import type { AppRuntime } from "#app/platform/runtime.server";

/** The demo tenant the sandbox runs as.  Idempotent: running it twice changes nothing. */
export async function seedDemoShop(runtime: AppRuntime) {
  const domain = runtime.env.SANDBOX_SHOP;
  const shop = await upsertInstalledShop(
    runtime.db,
    { domain, name: "Demo Outfitters", scopes: runtime.env.SCOPES, currencyCode: "USD", ianaTimezone: "America/Los_Angeles" },
    runtime.now(),
  );
  // An offline session, as token exchange would store it (the token is encrypted at rest like a
  // real one; the sandbox peers accept it).
  await runtime.shopify.sessionStorage!.storeSession(
    new Session({ id: `offline_${domain}`, shop: domain, state: "", isOnline: false, scope: runtime.env.SCOPES, accessToken: "shpat_sandbox_demo_token" }),
  );
  // Locations, ~500 SKUs with stock, channels and policies — once (a shop with locations is left as is).
  const catalog = await loadCatalog(runtime.db, domain, demoCatalog(), { now: runtime.now(), actor: "system:seed" });
  const routing = await seedDemoRouting(runtime, domain);
  const orders = await seedDemoOrders(runtime, domain);
  return { ...shop, catalog, routing, orders };
}

async function locationIdsByKey(runtime: AppRuntime, shop: string) {
  const names = new Map(demoCatalog().locations.map((l) => [l.key, l.name]));
  const rows = await runtime.db.location.findMany({ where: { shop }, select: { id: true, name: true } });
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return (key: string) => {
    const id = byName.get(names.get(key) ?? key);
    if (!id) throw new Error(`demo location ${key} is missing from ${shop}`);
    return id;
  };
}

/** The seed article's routing profile, as version 1 (active) — only when the shop has none yet. */
async function seedDemoRouting(runtime: AppRuntime, shop: string) {
  if ((await listVersions(runtime.db, shop)).length > 0) return { profile: "already present" };
  const idOf = await locationIdsByKey(runtime, shop);
  const draft = await saveDraft(runtime.db, shop, { rules: demoRoutingRules(routingFixtures.demoProfile().rules, idOf), note: "demo: the seed article's scenarios", actor: "system:seed" });
  await activateVersion(runtime, shop, draft.version);
  return { profile: `v${draft.version} active` };
}

/**
 * A month of orders, then the seed article's scenarios as the newest orders — each picked from
 * the stock as it stands, so the scenario holds whatever the catalog's numbers are.
 */
async function seedDemoOrders(runtime: AppRuntime, shop: string) {
  const db = runtime.db;
  if ((await db.order.count({ where: { shop } })) > 0) return { created: 0 };
  const idOf = await locationIdsByKey(runtime, shop);
  const variants = await db.variant.findMany({ where: { shop, isKit: false }, orderBy: { sku: "asc" } });
  const products = new Map((await db.product.findMany({ where: { shop }, select: { id: true, tags: true } })).map((p) => [p.id, p.tags]));
  const hot = new Set(variants.filter((v) => (products.get(v.productId) ?? "").split(",").includes("high-demand")).map((v) => v.sku));
  const ordinary = variants.filter((v) => !hot.has(v.sku) && !["PEG-1", "TENT-2P", "LANTERN"].includes(v.sku)).map((v) => v.sku);

  const results: IntakeResult[] = [];
  const now = runtime.now().getTime();
  const place = async (o: DemoOrderSpec) => {
    const lines = o.lines.map((l, i) => ({ lineKey: `${i + 1}`, sku: l.sku, quantity: l.quantity, priceCents: 4800 }));
    // Each order is taken in at the moment it was placed, so hours, cut-offs and daily caps apply
    // as they did then (and `oms simulate --shop` replays them the same way).
    const placedAt = new Date(now - o.hoursAgo * 3_600_000);
    results.push(
      await intakeOrder({ ...runtime, now: () => placedAt }, shop, {
        channel: o.channel,
        externalOrderId: o.externalOrderId,
        // Seeded orders keep their external id as the name: the Shopify peer's live orders count
        // from #1001, and two different orders must never look alike.
        name: o.externalOrderId,
        placedAt,
        paid: true,
        speed: o.speed ?? "standard",
        destination: o.destination,
        pickupLocationId: o.pickupAt ? idOf(o.pickupAt) : null,
        customerTags: o.customerTags ?? [],
        lines,
      }, "system:seed"),
    );
  };
  for (const o of demoOrderStream(ordinary)) await place(o);

  // Scenario SKUs from current sellable stock (available − held) per location key.
  const levels = await db.inventoryLevel.findMany({ where: { shop }, select: { variantId: true, locationId: true, available: true, held: true } });
  const skuOf = new Map(variants.map((v) => [v.id, v.sku]));
  const sellable = new Map<string, number>();
  for (const l of levels) sellable.set(`${skuOf.get(l.variantId)}|${l.locationId}`, l.available - l.held);
  const at = (sku: string, key: string) => sellable.get(`${sku}|${idOf(key)}`) ?? 0;
  const find = (pool: string[], test: (sku: string) => boolean) => pool.find(test);
  const scenarios: DemoOrderSpec[] = [];
  const sd = { countryCode: "US", provinceCode: "CA", city: "San Diego", zip: "92101", lat: 32.7157, lng: -117.1611 };
  const west = find(ordinary, (s) => at(s, "west") >= 5);
  if (west) scenarios.push({ externalOrderId: "DEMO-CA-WEST", channel: "online", destination: sd, lines: [{ sku: west, quantity: 1 }], hoursAgo: 0.5 });
  const la = find(ordinary, (s) => at(s, "west") <= 0 && at(s, "la") >= 1);
  if (la) scenarios.push({ externalOrderId: "DEMO-CA-LA", channel: "online", destination: sd, lines: [{ sku: la, quantity: 1 }], hoursAgo: 0.4 });
  const eastOnly = find(ordinary, (s) => at(s, "west") <= 0 && at(s, "la") <= 0 && at(s, "east") >= 1);
  const westOnly = find(ordinary, (s) => at(s, "west") >= 1 && at(s, "east") <= 0);
  if (westOnly && eastOnly) scenarios.push({ externalOrderId: "DEMO-CA-SPLIT", channel: "online", destination: sd, lines: [{ sku: westOnly, quantity: 1 }, { sku: eastOnly, quantity: 1 }], hoursAgo: 0.3 });
  const exp = find(ordinary, (s) => at(s, "3pl-allentown") >= 2);
  if (exp) scenarios.push({ externalOrderId: "DEMO-EXPEDITED", channel: "online", speed: "expedited", destination: { countryCode: "US", provinceCode: "PA", city: "Philadelphia", zip: "19103", lat: 39.9526, lng: -75.1652 }, lines: [{ sku: exp, quantity: 1 }], hoursAgo: 0.25 });
  const hotSku = find([...hot].sort(), (s) => at(s, "west") + at(s, "east") > 20);
  if (hotSku) scenarios.push({ externalOrderId: "DEMO-HIGH-DEMAND", channel: "online", destination: { countryCode: "US", provinceCode: "TX", city: "Austin", zip: "78701", lat: 30.2711, lng: -97.7437 }, lines: [{ sku: hotSku, quantity: 2 }], hoursAgo: 0.2 });
  const bulk = find(ordinary, (s) => at(s, "wholesale") >= 100);
  if (bulk) scenarios.push({ externalOrderId: "PO-DEMO-7001", channel: "portal", destination: { countryCode: "US", provinceCode: "IL", city: "Chicago", zip: "60601", lat: 41.8853, lng: -87.6216 }, lines: [{ sku: bulk, quantity: 48 }], hoursAgo: 0.1 });
  for (const o of scenarios) await place(o);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return { created: results.length, routed: count("routed"), queued: count("queued"), backordered: count("backordered"), refused: count("refused"), unroutable: count("unroutable") };
}
