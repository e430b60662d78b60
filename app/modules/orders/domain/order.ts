/**
 * Pure order logic: the hub's order as routing input, and a routing plan as reservation
 * allocations (a kit line resolves to its components at the same location).
 */
import type { Destination, OrderLine, RoutingOrder, RoutingPlan, SpeedClass } from "#app/modules/routing/index";

/** The last four are record-only: the hub holds no stock for them (recordOrderWithoutStock). */
export type OrderStatus = "received" | "reserved" | "routed" | "queued" | "backordered" | "unroutable" | "refused" | "cancelled" | "fulfilled_by_channel" | "fulfilled" | "closed";

export interface HubOrderLine {
  lineKey: string;
  sku: string;
  quantity: number;
}

export interface HubOrder {
  id: string;
  channelCode: string;
  b2b: boolean;
  companyId: string | null;
  speed: SpeedClass;
  destination: Destination;
  pickupLocationId: string | null;
  valueCents: number;
  customerTags: string[];
  lines: HubOrderLine[];
}

export function toRoutingOrder(order: HubOrder, skuInfo: Map<string, { tags: string[]; demandTier?: string }>): RoutingOrder {
  const lines: OrderLine[] = order.lines.map((l) => {
    const info = skuInfo.get(l.sku);
    return { lineKey: l.lineKey, sku: l.sku, quantity: l.quantity, tags: info?.tags ?? [], ...(info?.demandTier ? { demandTier: info.demandTier } : {}) };
  });
  return {
    id: order.id,
    channel: order.channelCode,
    b2b: order.b2b,
    companyId: order.companyId,
    speed: order.speed,
    destination: order.destination,
    pickupLocationId: order.pickupLocationId,
    valueCents: order.valueCents,
    customerTags: order.customerTags,
    lines,
  };
}

export interface LineAllocation {
  lineKey: string;
  allocations: { locationId: string; variantId: string; quantity: number }[];
}

/** Units per line and location from the plan, resolved to stocked variants. */
export function planToAllocations(plan: RoutingPlan, requirements: Map<string, { variantId: string; perUnit: number }[]>): LineAllocation[] {
  const byLine = new Map<string, LineAllocation>();
  for (const s of plan.shipments) {
    for (const l of s.lines) {
      const reqs = requirements.get(l.sku);
      if (!reqs || reqs.length === 0) throw new Error(`no stocked variants for SKU ${l.sku}`);
      const entry = byLine.get(l.lineKey) ?? { lineKey: l.lineKey, allocations: [] };
      for (const r of reqs) entry.allocations.push({ locationId: s.locationId, variantId: r.variantId, quantity: l.quantity * r.perUnit });
      byLine.set(l.lineKey, entry);
    }
  }
  return [...byLine.values()].sort((a, b) => (a.lineKey < b.lineKey ? -1 : 1));
}

/**
 * Daily-cap slots a plan takes: one per shipment from a location with a cap.  Pickups are not
 * ship-from-store work and take none (routing's own capacity check counts them the same way).
 */
export function slotsFor(plan: RoutingPlan, speed: SpeedClass, caps: Map<string, number | null>, localDates: Map<string, string>) {
  if (speed === "pickup") return [];
  return plan.shipments
    .filter((s) => caps.get(s.locationId) != null)
    .map((s) => ({ locationId: s.locationId, day: localDates.get(s.locationId)!, cap: caps.get(s.locationId)! }));
}
