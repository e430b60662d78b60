/**
 * Orders arriving over time, as a shop's own channels produce them: online store checkouts
 * (sourceName "web", shipped to a US address, inventory claimed as committed at the location
 * Shopify's routing picks), online orders picked up in a store (deliveryMethod PICK_UP) and POS
 * sales (sourceName "pos", fulfilled on the spot at the store, on_hand taken).  SKUs are drawn
 * from what is in stock; the PRNG is seeded, so a seed replays the same stream.
 */
import { UserErrors, type LocationRec, type NewOrderLine, type OrderRec, type SandboxStore, type VariantRec } from "./store";
import { FIRST_NAMES, LAST_NAMES, STREETS, US_PLACES } from "./places";
import { prng } from "./util";

export type Channel = "web" | "pickup" | "pos";

export class OrderGenerator {
  private readonly rnd: () => number;
  private serial = 0;

  constructor(
    private readonly store: SandboxStore,
    seed = 1,
  ) {
    this.rnd = prng(seed);
  }

  pickChannel(mix: { web?: number; pos?: number; pickup?: number }): Channel {
    const entries = (["web", "pickup", "pos"] as const).map((c) => [c, Math.max(0, mix[c] ?? 0)] as const);
    const sum = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.rnd() * (sum || 1);
    for (const [c, w] of entries) {
      if (r < w) return c;
      r -= w;
    }
    return "web";
  }

  /** Creates one order on the channel; null when nothing suitable is in stock. */
  create(channel: Channel): OrderRec | null {
    const stores = this.store.locations.filter((l) => l.isActive && l.retail);
    if ((channel === "pos" || channel === "pickup") && stores.length) {
      const candidates = channel === "pickup" ? stores.filter((l) => l.offersPickup) : stores;
      const store = this.pick(candidates.length ? candidates : stores);
      return this.attempt(() => this.storeOrder(channel, store));
    }
    return this.attempt(() => this.webOrder());
  }

  private attempt(make: () => OrderRec | null): OrderRec | null {
    for (let i = 0; i < 3; i++) {
      try {
        const order = make();
        if (order) return order;
      } catch (e) {
        if (!(e instanceof UserErrors)) throw e;
      }
    }
    return null;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  private customer() {
    const first = this.pick(FIRST_NAMES);
    const last = this.pick(LAST_NAMES);
    const n = ++this.serial;
    return { firstName: first, lastName: last, email: `${first}.${last}.${n}@example.com`.toLowerCase() };
  }

  /** Lines over SKUs with at least `need` available at one of `locations`. */
  private lines(locations: readonly LocationRec[]): NewOrderLine[] {
    const stocked = (v: VariantRec) => {
      if (v.isBundle) return 0;
      return Math.max(0, ...locations.map((l) => this.store.level(v.itemN, l.n)?.q.available ?? 0));
    };
    const count = this.rnd() < 0.65 ? 1 : this.rnd() < 0.75 ? 2 : 3;
    const chosen = new Map<number, NewOrderLine>();
    for (let tries = 0; chosen.size < count && tries < 40; tries++) {
      const v = this.pick(this.store.variants);
      const available = stocked(v);
      if (available < 1 || chosen.has(v.n)) continue;
      const quantity = available >= 2 && this.rnd() < 0.15 ? 2 : 1;
      chosen.set(v.n, this.store.lineFromVariant(v, quantity));
    }
    return [...chosen.values()];
  }

  private webOrder(): OrderRec | null {
    const online = this.store.locations.filter((l) => l.isActive && l.fulfillsOnlineOrders);
    const lines = this.lines(online);
    if (!lines.length) return null;
    const c = this.customer();
    const place = this.pick(US_PLACES);
    const address = { firstName: c.firstName, lastName: c.lastName, address1: `${100 + Math.floor(this.rnd() * 9800)} ${this.pick(STREETS)}`, city: place.city, province: place.province, provinceCode: place.provinceCode, countryCode: place.countryCode, zip: place.zip };
    const customer = this.store.upsertCustomer({ ...c, tags: this.rnd() < 0.1 ? ["vip"] : null, address });
    const express = this.rnd() < 0.15;
    return this.store.createOrder({
      lines,
      sourceName: "web",
      customerN: customer.n,
      email: c.email,
      financialStatus: "PAID",
      shippingAddress: address,
      shippingLines: [express ? { title: "Express", code: "EXPRESS", source: "shopify", price: 19.95 } : { title: "Standard", code: "STANDARD", source: "shopify", price: 7.95 }],
      tags: express ? ["expedited"] : [],
      inventoryBehaviour: "DECREMENT_OBEYING_POLICY",
    });
  }

  private storeOrder(channel: "pos" | "pickup", store: LocationRec): OrderRec | null {
    const lines = this.lines([store]).slice(0, channel === "pos" ? 3 : 2);
    if (!lines.length) return null;
    const c = this.customer();
    const known = channel === "pickup" || this.rnd() < 0.5;
    const customer = known ? this.store.upsertCustomer(c) : null;
    return this.store.createOrder({
      lines,
      sourceName: channel === "pos" ? "pos" : "web",
      customerN: customer?.n ?? null,
      email: known ? c.email : null,
      financialStatus: "PAID",
      billingAddress: known ? { firstName: c.firstName, lastName: c.lastName, city: store.address.city, provinceCode: store.address.provinceCode, countryCode: store.address.countryCode, zip: store.address.zip } : null,
      // A local pickup checkout carries a free shipping line named after the pickup location.
      shippingLines: channel === "pickup" ? [{ title: store.name, code: store.name, source: "shopify", price: 0 }] : [],
      inventoryBehaviour: "DECREMENT_OBEYING_POLICY",
      retailLocationN: channel === "pos" ? store.n : null,
      pickupLocationN: channel === "pickup" ? store.n : null,
    });
  }
}
