import type { Db, DbTx } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { orderAllocations } from "#app/modules/inventory/index";
import { decisionsFor, latestDecisions, type StoredDecision } from "#app/modules/routing/index";

type Q = Db | DbTx;

export const ORDERS_TENANT_MODELS = ["Order", "OrderLine", "OrderEvent", "ShopifyFulfillmentOrder"] as const;

export interface OrderListFilter {
  channel?: string;
  status?: string;
  location?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface OrderListItem {
  id: string;
  name: string;
  channel: { code: string; name: string };
  status: string;
  speed: string;
  b2b: boolean;
  destination: string;
  lines: number;
  units: number;
  valueCents: number;
  currencyCode: string;
  placedAt: Date;
  locations: string[];
  rule: string | null;
  reason: string | null;
}

function destinationLabel(json: string): string {
  const d = JSON.parse(json) as { countryCode: string; provinceCode?: string | null; city?: string | null; zip?: string | null };
  return [d.city, d.provinceCode, d.zip, d.countryCode].filter(Boolean).join(", ");
}

/** Orders across channels, newest first, with where they ship from (the current decision). */
export async function listOrders(db: Q, shop: string, filter: OrderListFilter = {}) {
  const limit = Math.min(filter.limit ?? 50, 200);
  const channels = await db.channel.findMany({ where: { shop }, select: { id: true, code: true, name: true } });
  const channelById = new Map(channels.map((c) => [c.id, c]));
  const channelId = filter.channel ? channels.find((c) => c.code === filter.channel)?.id ?? "none" : undefined;
  let ids: string[] | undefined;
  if (filter.location) {
    // Orders whose current decision ships from the location (or, before routing, whose stock is held there).
    const decisions = await db.routingDecision.findMany({ where: { shop, plan: { contains: `"locationId":"${filter.location.replace(/"/g, "")}"` } }, select: { orderId: true } });
    ids = [...new Set(decisions.map((d) => d.orderId))];
  }
  const rows = await db.order.findMany({
    where: {
      shop,
      ...(channelId ? { channelId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(ids ? { id: { in: ids } } : {}),
      ...(filter.q ? { OR: [{ name: { contains: filter.q } }, { externalOrderId: { contains: filter.q } }] } : {}),
    },
    orderBy: [{ placedAt: "desc" }, { id: "asc" }],
    take: limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const lines = page.length ? await db.orderLine.findMany({ where: { orderId: { in: page.map((o) => o.id) } }, select: { orderId: true, quantity: true } }) : [];
  const latest = await latestDecisions(db, shop, page.map((o) => o.id));
  const locationNames = new Map((await db.location.findMany({ where: { shop }, select: { id: true, name: true } })).map((l) => [l.id, l.name]));
  const items: OrderListItem[] = page.map((o) => {
    const mine = lines.filter((l) => l.orderId === o.id);
    const d = latest.get(o.id);
    // With a location filter, an order counts while its *current* plan ships from there.
    return {
      id: o.id,
      name: o.name,
      channel: { code: channelById.get(o.channelId)?.code ?? "?", name: channelById.get(o.channelId)?.name ?? "?" },
      status: o.status,
      speed: o.speed,
      b2b: o.b2b,
      destination: destinationLabel(o.destination),
      lines: mine.length,
      units: mine.reduce((s, l) => s + l.quantity, 0),
      valueCents: o.valueCents,
      currencyCode: o.currencyCode,
      placedAt: o.placedAt,
      locations: d?.status === "routed" && d.plan ? d.plan.shipments.map((s) => locationNames.get(s.locationId) ?? s.locationId) : [],
      rule: d?.ruleId ?? null,
      reason: o.statusReason,
    };
  });
  const filtered = filter.location ? items.filter((i) => i.locations.includes(locationNames.get(filter.location!) ?? "")) : items;
  return { items: filtered, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

export interface OrderDetail {
  order: {
    id: string;
    name: string;
    externalOrderId: string;
    channel: { id: string; code: string; name: string; kind: string };
    status: string;
    statusReason: string | null;
    queue: string | null;
    speed: string;
    b2b: boolean;
    companyId: string | null;
    customerTags: string[];
    destination: { countryCode: string; provinceCode: string | null; zip: string | null; city: string | null; lat: number; lng: number; geocode?: string };
    pickupLocation: string | null;
    valueCents: number;
    currencyCode: string;
    placedAt: Date;
    routedAt: Date | null;
  };
  lines: { lineKey: string; sku: string; title: string; quantity: number; priceCents: number; reservation: { status: string; reason: string | null; allocations: { location: string; sku: string; quantity: number }[] } | null }[];
  decisions: StoredDecision[];
  /** Location id → name, for the trace. */
  locationNames: Record<string, string>;
}

/** Find by hub id, external id or name ("#1001"). */
export async function findOrder(db: Q, shop: string, ref: string) {
  const o =
    (await db.order.findFirst({ where: { shop, id: ref } })) ??
    (await db.order.findFirst({ where: { shop, externalOrderId: ref } })) ??
    (await db.order.findFirst({ where: { shop, name: ref } }));
  if (!o) throw DomainError.notFound(`order ${ref}`);
  return o;
}

export async function getOrderDetail(db: Db, shop: string, ref: string): Promise<OrderDetail> {
  const o = await findOrder(db, shop, ref);
  const [channel, lines, decisions, locations, reservation] = await Promise.all([
    db.channel.findUniqueOrThrow({ where: { id: o.channelId } }),
    db.orderLine.findMany({ where: { orderId: o.id }, orderBy: { lineKey: "asc" } }),
    decisionsFor(db, shop, o.id),
    db.location.findMany({ where: { shop }, select: { id: true, name: true } }),
    orderAllocations(db, { shop, channelId: o.channelId, externalOrderId: o.externalOrderId }),
  ]);
  const locationNames = Object.fromEntries(locations.map((l) => [l.id, l.name]));
  const variantIds = [...new Set(reservation.flatMap((r) => r.allocations.map((a) => a.variantId)))];
  const skuOf = new Map((variantIds.length ? await db.variant.findMany({ where: { id: { in: variantIds } }, select: { id: true, sku: true } }) : []).map((v) => [v.id, v.sku]));
  return {
    order: {
      id: o.id,
      name: o.name,
      externalOrderId: o.externalOrderId,
      channel: { id: channel.id, code: channel.code, name: channel.name, kind: channel.kind },
      status: o.status,
      statusReason: o.statusReason,
      queue: o.queue,
      speed: o.speed,
      b2b: o.b2b,
      companyId: o.companyId,
      customerTags: o.customerTags ? o.customerTags.split(",") : [],
      destination: JSON.parse(o.destination) as OrderDetail["order"]["destination"],
      pickupLocation: o.pickupLocationId ? (locationNames[o.pickupLocationId] ?? o.pickupLocationId) : null,
      valueCents: o.valueCents,
      currencyCode: o.currencyCode,
      placedAt: o.placedAt,
      routedAt: o.routedAt,
    },
    lines: lines.map((l) => {
      const r = reservation.find((x) => x.lineKey === l.lineKey);
      return {
        lineKey: l.lineKey,
        sku: l.sku,
        title: l.title,
        quantity: l.quantity,
        priceCents: l.priceCents,
        reservation: r ? { status: r.status, reason: r.reason, allocations: r.allocations.map((a) => ({ location: locationNames[a.locationId] ?? a.locationId, sku: skuOf.get(a.variantId) ?? a.variantId, quantity: a.quantity })) } : null,
      };
    }),
    decisions,
    locationNames,
  };
}

/** Recent orders as routing input, oldest first (what-if replays and `oms simulate --shop`). */
export async function recentOrders(db: Q, shop: string, since: Date, limit = 5000) {
  const orders = await db.order.findMany({ where: { shop, placedAt: { gte: since }, status: { notIn: ["refused"] } }, orderBy: [{ placedAt: "asc" }, { id: "asc" }], take: limit });
  const lines = orders.length ? await db.orderLine.findMany({ where: { orderId: { in: orders.map((o) => o.id) } }, orderBy: { lineKey: "asc" } }) : [];
  const channels = new Map((await db.channel.findMany({ where: { shop }, select: { id: true, code: true, eligibleLocationIds: true } })).map((c) => [c.id, c]));
  return orders.map((o) => {
    const d = JSON.parse(o.destination) as { countryCode: string; provinceCode: string | null; zip: string | null; lat: number; lng: number };
    const channel = channels.get(o.channelId);
    return {
      id: o.id,
      name: o.name,
      placedAt: o.placedAt,
      channelId: o.channelId,
      externalOrderId: o.externalOrderId,
      channelCode: channel?.code ?? "?",
      eligibleLocationIds: channel ? (JSON.parse(channel.eligibleLocationIds) as string[]) : [],
      b2b: o.b2b,
      companyId: o.companyId,
      speed: o.speed as "standard" | "expedited" | "same_day" | "pickup",
      destination: { countryCode: d.countryCode, provinceCode: d.provinceCode, zip: d.zip, lat: d.lat, lng: d.lng },
      pickupLocationId: o.pickupLocationId,
      valueCents: o.valueCents,
      customerTags: o.customerTags ? o.customerTags.split(",") : [],
      lines: lines.filter((l) => l.orderId === o.id).map((l) => ({ lineKey: l.lineKey, sku: l.sku, quantity: l.quantity })),
    };
  });
}

/** Units the given orders hold now (held or committed), to give back in a replay. */
export async function activeAllocationsOf(db: Q, shop: string, orders: { channelId: string; externalOrderId: string }[]) {
  const out: { locationId: string; variantId: string; quantity: number }[] = [];
  const wanted = new Set(orders.map((o) => `${o.channelId}|${o.externalOrderId}`));
  const ids = [...new Set(orders.map((o) => o.externalOrderId))];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.reservation.findMany({ where: { shop, externalOrderId: { in: ids.slice(i, i + 500) }, status: { in: ["held", "committed"] } }, select: { id: true, channelId: true, externalOrderId: true } });
    const mine = rows.filter((r) => wanted.has(`${r.channelId}|${r.externalOrderId}`)).map((r) => r.id);
    if (mine.length) out.push(...(await db.reservationAllocation.findMany({ where: { reservationId: { in: mine } }, select: { locationId: true, variantId: true, quantity: true } })));
  }
  return out;
}

export async function purgeOrdersData(tx: Q, shop: string) {
  const events = await tx.orderEvent.deleteMany({ where: { shop } });
  const fulfillmentOrders = await tx.shopifyFulfillmentOrder.deleteMany({ where: { shop } });
  const lines = await tx.orderLine.deleteMany({ where: { shop } });
  const orders = await tx.order.deleteMany({ where: { shop } });
  return events.count + fulfillmentOrders.count + lines.count + orders.count;
}

/**
 * customers/redact: the customer's orders keep their lines and decisions (the merchant's records)
 * but lose what identifies the person — the customer id, tags and the precise destination (kept to
 * region and country, coordinates rounded to the region's centroid precision).
 */
export async function redactCustomerOrders(tx: Q, shop: string, customerId: string | number | null | undefined) {
  if (customerId == null) return 0;
  const rows = await tx.order.findMany({ where: { shop, customerRef: String(customerId) }, select: { id: true, destination: true } });
  for (const r of rows) {
    const d = JSON.parse(r.destination) as Record<string, unknown>;
    const redacted = { countryCode: d.countryCode, provinceCode: d.provinceCode ?? null, zip: null, city: null, lat: Math.round(Number(d.lat)), lng: Math.round(Number(d.lng)), geocode: "redacted" };
    await tx.order.update({ where: { id: r.id }, data: { customerRef: null, customerTags: "", destination: JSON.stringify(redacted) } });
  }
  return rows.length;
}

/** customers/data_request: what the hub holds about the customer's orders. */
export async function customerOrderData(db: Q, shop: string, customerId: string | number | null | undefined) {
  if (customerId == null) return [];
  const rows = await db.order.findMany({ where: { shop, customerRef: String(customerId) }, orderBy: { placedAt: "asc" } });
  return rows.map((o) => ({ order: o.name, placedAt: o.placedAt.toISOString(), customerTags: o.customerTags, destination: JSON.parse(o.destination) as unknown }));
}
