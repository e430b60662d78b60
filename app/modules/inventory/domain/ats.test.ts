import { describe, expect, it } from "vitest";
import { DomainError } from "#app/platform/errors";
import { computeAts, effectivePolicy, sellableAt } from "./ats";
import type { ChannelPolicy, KitComponent, LocationLevel, PolicyOverride, SkuStock } from "./types";

// ---- builders -------------------------------------------------------------------------------

/** A level at `locationId` with nothing in stock, active, not read-only; override what the test needs. */
function level(locationId: string, fields: Partial<LocationLevel> = {}): LocationLevel {
  const available = fields.available ?? 0;
  return {
    locationId,
    locationName: `Location ${locationId}`,
    kind: "warehouse",
    readOnly: false,
    active: true,
    onHand: available,
    available,
    committed: 0,
    reserved: 0,
    incoming: 0,
    safetyStock: 0,
    damaged: 0,
    qualityControl: 0,
    held: 0,
    ...fields,
  };
}

function channel(fields: Partial<ChannelPolicy> = {}): ChannelPolicy {
  return {
    channelId: "online",
    channelName: "Online Store",
    eligibleLocationIds: ["WH", "ST", "3PL"],
    buffer: { units: 0, percent: 0 },
    maxExposure: null,
    zeroPolicy: "zero",
    backorderQuantity: 0,
    ...fields,
  };
}

function plain(levels: LocationLevel[], fields: Partial<SkuStock> = {}): SkuStock {
  return { sku: "TEE-M", tags: [], levels, components: [], ...fields };
}

function kit(components: KitComponent[], fields: Partial<SkuStock> = {}): SkuStock {
  return { sku: "GIFT-BOX", tags: [], levels: [], components, ...fields };
}

function override(fields: Partial<PolicyOverride>): PolicyOverride {
  return { channelId: "online", sku: null, tag: null, buffer: null, maxExposure: null, ...fields };
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

// ---- plain SKUs: the pool ----------------------------------------------------------------------

describe("sellableAt", () => {
  it("is available minus the hub's holds, and may be negative", () => {
    expect(sellableAt(level("WH", { available: 10, held: 3 }))).toBe(7);
    expect(sellableAt(level("WH", { available: 2, held: 5 }))).toBe(-3);
  });
});

describe("computeAts: pool", () => {
  it("sums sellable over every eligible location", () => {
    const r = computeAts(
      channel(),
      plain([level("WH", { available: 10 }), level("ST", { available: 5 }), level("3PL", { available: 7 })]),
      [],
    );
    expect(r.channelId).toBe("online");
    expect(r.sku).toBe("TEE-M");
    expect(r.ats).toBe(22);
    expect(r.publish).toEqual({ action: "set", quantity: 22 });
    expect(r.explanation.pool).toBe(22);
    expect(r.explanation.locations.map((l) => [l.locationId, l.counted, l.sellable, l.reason])).toEqual([
      ["WH", true, 10, "10 available"],
      ["ST", true, 5, "5 available"],
      ["3PL", true, 7, "7 available"],
    ]);
    expect(r.explanation.steps).toEqual(["pool 22 from 3 locations", "no buffer (channel)", "ats 22"]);
  });

  it("subtracts units the hub holds for orders Shopify does not know yet", () => {
    const r = computeAts(channel(), plain([level("WH", { available: 10, held: 3 }), level("ST", { available: 4 })]), []);
    expect(r.ats).toBe(11);
    expect(r.explanation.locations[0]).toEqual({
      locationId: "WH",
      locationName: "Location WH",
      counted: true,
      reason: "10 available - 3 held",
      available: 10,
      held: 3,
      sellable: 7,
    });
  });

  it("leaves out ineligible, read-only (FBA) and inactive locations, saying why", () => {
    const r = computeAts(
      channel({ eligibleLocationIds: ["WH", "FBA", "ST"] }),
      plain([
        level("WH", { available: 10 }),
        level("DC", { available: 50, kind: "wholesale_dc" }),
        level("FBA", { available: 30, kind: "marketplace", readOnly: true }),
        level("ST", { available: 8, kind: "store", active: false }),
      ]),
      [],
    );
    expect(r.ats).toBe(10);
    expect(r.explanation.pool).toBe(10);
    expect(r.explanation.locations.map((l) => [l.locationId, l.counted, l.reason, l.sellable])).toEqual([
      ["WH", true, "10 available", 10],
      ["DC", false, "not eligible for Online Store", 50],
      ["FBA", false, "read-only (marketplace-managed)", 30],
      ["ST", false, "inactive", 8],
    ]);
    expect(r.explanation.steps[0]).toBe("pool 10 from 1 location (3 excluded)");
  });

  it("counts an oversold location as negative: it reduces the pool", () => {
    const r = computeAts(
      channel(),
      plain([level("WH", { available: 10 }), level("ST", { available: -3 }), level("3PL", { available: 2, held: 4 })]),
      [],
    );
    expect(r.explanation.pool).toBe(5);
    expect(r.ats).toBe(5);
    expect(r.explanation.locations.map((l) => [l.sellable, l.counted, l.reason])).toEqual([
      [10, true, "10 available"],
      [-3, true, "oversold by 3: reduces the pool"],
      [-2, true, "oversold by 2: reduces the pool"],
    ]);
  });

  it("clamps ATS at 0 when the pool itself is negative (and a percent buffer adds nothing)", () => {
    const r = computeAts(
      channel({ buffer: { units: 0, percent: 10 } }),
      plain([level("WH", { available: 2 }), level("ST", { available: -5 })]),
      [],
    );
    expect(r.explanation.pool).toBe(-3);
    expect(r.explanation.buffer).toEqual({ units: 0, source: "channel" });
    expect(r.ats).toBe(0);
    expect(r.publish).toEqual({ action: "set", quantity: 0 });
    expect(r.explanation.steps).toEqual([
      "pool -3 from 2 locations",
      "no buffer (channel)",
      "ats 0 (-3 - 0 is below zero)",
      "zero policy zero: publish 0",
    ]);
  });
});

// ---- buffer and cap ----------------------------------------------------------------------------

describe("computeAts: buffer", () => {
  it("takes the percent when it is larger than the units", () => {
    const r = computeAts(channel({ buffer: { units: 5, percent: 10 } }), plain([level("WH", { available: 120 })]), []);
    expect(r.explanation.buffer).toEqual({ units: 12, source: "channel" });
    expect(r.ats).toBe(108);
    expect(r.explanation.steps).toEqual([
      "pool 120 from 1 location",
      "buffer -12 (10% of 120, rounded up; channel)",
      "ats 108",
    ]);
  });

  it("takes the units when they are larger than the percent", () => {
    const r = computeAts(channel({ buffer: { units: 5, percent: 10 } }), plain([level("WH", { available: 30 })]), []);
    expect(r.explanation.buffer).toEqual({ units: 5, source: "channel" });
    expect(r.ats).toBe(25);
    expect(r.explanation.steps[1]).toBe("buffer -5 (5 units; channel)");
  });

  it("rounds the percent part up: 10% of 7 is 1", () => {
    const r = computeAts(channel({ buffer: { units: 0, percent: 10 } }), plain([level("WH", { available: 7 })]), []);
    expect(r.explanation.buffer.units).toBe(1);
    expect(r.ats).toBe(6);
  });

  it("gives 0 when the buffer is larger than the pool", () => {
    const r = computeAts(channel({ buffer: { units: 10, percent: 0 } }), plain([level("WH", { available: 4 })]), []);
    expect(r.explanation.buffer.units).toBe(10);
    expect(r.ats).toBe(0);
    expect(r.explanation.steps).toEqual([
      "pool 4 from 1 location",
      "buffer -10 (10 units; channel)",
      "ats 0 (4 - 10 is below zero)",
      "zero policy zero: publish 0",
    ]);
  });
});

describe("computeAts: cap", () => {
  it("caps ATS at maxExposure when ATS is above it", () => {
    const r = computeAts(channel({ maxExposure: 20 }), plain([level("WH", { available: 50 })]), []);
    expect(r.ats).toBe(20);
    expect(r.publish).toEqual({ action: "set", quantity: 20 });
    expect(r.explanation.cap).toEqual({ maxExposure: 20, source: "channel", applied: true });
    expect(r.explanation.steps).toEqual(["pool 50 from 1 location", "no buffer (channel)", "ats 50", "cap 20 (channel): ats 20"]);
  });

  it("leaves ATS alone when it is at or below the cap", () => {
    const below = computeAts(channel({ maxExposure: 20 }), plain([level("WH", { available: 10 })]), []);
    expect(below.ats).toBe(10);
    expect(below.explanation.cap).toEqual({ maxExposure: 20, source: "channel", applied: false });
    expect(below.explanation.steps).toEqual(["pool 10 from 1 location", "no buffer (channel)", "ats 10"]);

    const equal = computeAts(channel({ maxExposure: 20 }), plain([level("WH", { available: 20 })]), []);
    expect(equal.ats).toBe(20);
    expect(equal.explanation.cap.applied).toBe(false);
  });

  it("applies the cap after the buffer", () => {
    const r = computeAts(
      channel({ buffer: { units: 0, percent: 10 }, maxExposure: 95 }),
      plain([level("WH", { available: 100 })]),
      [],
    );
    expect(r.explanation.buffer.units).toBe(10);
    expect(r.ats).toBe(90);
    expect(r.explanation.cap.applied).toBe(false);
  });
});

// ---- overrides ----------------------------------------------------------------------------------

describe("effectivePolicy", () => {
  const ch = channel({ buffer: { units: 2, percent: 0 }, maxExposure: 100 });
  const tagOverride = override({ tag: "fragile", buffer: { units: 5, percent: 0 }, maxExposure: 50 });
  const skuOverride = override({ sku: "TEE-M", buffer: { units: 8, percent: 0 }, maxExposure: 30 });

  it("uses the channel when no override matches", () => {
    const p = effectivePolicy(ch, "TEE-M", ["summer"], [
      tagOverride,
      override({ sku: "TEE-L", buffer: { units: 9, percent: 0 } }),
      override({ channelId: "amazon-us", sku: "TEE-M", buffer: { units: 7, percent: 0 } }),
    ]);
    expect(p).toEqual({ buffer: { units: 2, percent: 0 }, bufferSource: "channel", maxExposure: 100, capSource: "channel" });
  });

  it("lets a tag override beat the channel", () => {
    const p = effectivePolicy(ch, "TEE-M", ["fragile"], [tagOverride]);
    expect(p).toEqual({
      buffer: { units: 5, percent: 0 },
      bufferSource: "tag override (fragile)",
      maxExposure: 50,
      capSource: "tag override (fragile)",
    });
  });

  it("lets a SKU override beat a tag override", () => {
    const p = effectivePolicy(ch, "TEE-M", ["fragile"], [tagOverride, skuOverride]);
    expect(p).toEqual({
      buffer: { units: 8, percent: 0 },
      bufferSource: "SKU override (TEE-M)",
      maxExposure: 30,
      capSource: "SKU override (TEE-M)",
    });
  });

  it("resolves buffer and cap separately: a null field does not override", () => {
    const p = effectivePolicy(ch, "TEE-M", ["fragile"], [tagOverride, override({ sku: "TEE-M", maxExposure: 10 })]);
    expect(p).toEqual({
      buffer: { units: 5, percent: 0 },
      bufferSource: "tag override (fragile)",
      maxExposure: 10,
      capSource: "SKU override (TEE-M)",
    });
  });

  it("takes the most conservative of several matching tag overrides and names them", () => {
    const p = effectivePolicy(ch, "TEE-M", ["clearance", "fragile", "summer"], [
      override({ tag: "clearance", buffer: { units: 3, percent: 5 }, maxExposure: 40 }),
      override({ tag: "fragile", buffer: { units: 1, percent: 20 }, maxExposure: 25 }),
      override({ tag: "winter", buffer: { units: 50, percent: 50 }, maxExposure: 1 }),
    ]);
    expect(p).toEqual({
      buffer: { units: 3, percent: 20 },
      bufferSource: "tag override (clearance, fragile)",
      maxExposure: 25,
      capSource: "tag override (clearance, fragile)",
    });
  });
});

describe("computeAts: overrides", () => {
  it("applies the SKU override's buffer and cap and names it in the steps", () => {
    const r = computeAts(
      channel({ buffer: { units: 2, percent: 0 } }),
      plain([level("WH", { available: 60 })], { tags: ["fragile"] }),
      [
        override({ tag: "fragile", buffer: { units: 5, percent: 0 } }),
        override({ sku: "TEE-M", buffer: { units: 0, percent: 25 }, maxExposure: 40 }),
      ],
    );
    expect(r.explanation.buffer).toEqual({ units: 15, source: "SKU override (TEE-M)" });
    expect(r.ats).toBe(40);
    expect(r.explanation.cap).toEqual({ maxExposure: 40, source: "SKU override (TEE-M)", applied: true });
    expect(r.explanation.steps).toEqual([
      "pool 60 from 1 location",
      "buffer -15 (25% of 60, rounded up; SKU override (TEE-M))",
      "ats 45",
      "cap 40 (SKU override (TEE-M)): ats 40",
    ]);
  });

  it("applies the most conservative tag override", () => {
    const r = computeAts(
      channel(),
      plain([level("WH", { available: 50 })], { tags: ["clearance", "fragile"] }),
      [
        override({ tag: "clearance", buffer: { units: 3, percent: 0 } }),
        override({ tag: "fragile", buffer: { units: 1, percent: 20 } }),
      ],
    );
    expect(r.explanation.buffer).toEqual({ units: 10, source: "tag override (clearance, fragile)" });
    expect(r.ats).toBe(40);
  });
});

// ---- kits ---------------------------------------------------------------------------------------

describe("computeAts: kits", () => {
  it("builds the minimum over components, with per-kit quantities rounded down", () => {
    const r = computeAts(
      channel(),
      kit([
        { sku: "MUG", quantity: 2, levels: [level("WH", { available: 9 })] },
        { sku: "TEA", quantity: 3, levels: [level("WH", { available: 10 })] },
      ]),
      [],
    );
    // MUG: floor(9 / 2) = 4; TEA: floor(10 / 3) = 3.
    expect(r.ats).toBe(3);
    expect(r.explanation.pool).toBe(3);
    expect(r.explanation.locations).toEqual([
      {
        locationId: "WH",
        locationName: "Location WH",
        counted: true,
        reason: "3 kits (limited by TEA: 10 sellable / 3 per kit)",
        available: 3,
        held: 0,
        sellable: 3,
      },
    ]);
    expect(r.explanation.steps[0]).toBe("pool 3 kits from 1 location");
  });

  it("counts component holds: kits lost to holds show as held", () => {
    const r = computeAts(
      channel(),
      kit([
        { sku: "MUG", quantity: 2, levels: [level("WH", { available: 10, held: 3 })] },
        { sku: "TEA", quantity: 1, levels: [level("WH", { available: 10 })] },
      ]),
      [],
    );
    // MUG: floor(7 / 2) = 3 kits; without the hold it would be 5.
    expect(r.explanation.locations.map((l) => [l.available, l.held, l.sellable])).toEqual([[5, 2, 3]]);
    expect(r.ats).toBe(3);
  });

  it("builds 0 kits where a component is not stocked", () => {
    const r = computeAts(
      channel(),
      kit([
        { sku: "MUG", quantity: 1, levels: [level("WH", { available: 5 }), level("ST", { available: 6 })] },
        { sku: "TEA", quantity: 1, levels: [level("WH", { available: 4 })] },
      ]),
      [],
    );
    expect(r.ats).toBe(4);
    expect(r.explanation.locations.map((l) => [l.locationId, l.counted, l.sellable, l.reason])).toEqual([
      ["WH", true, 4, "4 kits (limited by TEA: 4 sellable / 1 per kit)"],
      ["ST", true, 0, "component TEA not stocked here: 0 kits"],
    ]);
  });

  it("builds 0 kits (not fewer) where a component is oversold", () => {
    const r = computeAts(
      channel(),
      kit([
        { sku: "MUG", quantity: 1, levels: [level("WH", { available: 8 }), level("ST", { available: 5 })] },
        { sku: "TEA", quantity: 2, levels: [level("WH", { available: -3 }), level("ST", { available: 4 })] },
      ]),
      [],
    );
    expect(r.explanation.locations.map((l) => [l.locationId, l.sellable, l.reason])).toEqual([
      ["WH", 0, "TEA oversold by 3: 0 kits here"],
      ["ST", 2, "2 kits (limited by TEA: 4 sellable / 2 per kit)"],
    ]);
    expect(r.explanation.pool).toBe(2);
    expect(r.ats).toBe(2);
  });

  it("sums kits over two locations", () => {
    const r = computeAts(
      channel(),
      kit([
        { sku: "MUG", quantity: 2, levels: [level("WH", { available: 20 }), level("ST", { available: 7 })] },
        { sku: "TEA", quantity: 1, levels: [level("WH", { available: 6 }), level("ST", { available: 9 })] },
      ]),
      [],
    );
    // WH: min(10, 6) = 6; ST: min(3, 9) = 3.
    expect(r.explanation.locations.map((l) => [l.locationId, l.sellable])).toEqual([
      ["WH", 6],
      ["ST", 3],
    ]);
    expect(r.explanation.pool).toBe(9);
    expect(r.ats).toBe(9);
    expect(r.explanation.steps[0]).toBe("pool 9 kits from 2 locations");
  });

  it("applies location eligibility to kits: a location counts only if eligible for every component", () => {
    const r = computeAts(
      channel({ eligibleLocationIds: ["WH", "ST", "FBA"] }),
      kit([
        {
          sku: "MUG",
          quantity: 1,
          levels: [
            level("WH", { available: 5, locationName: "Main warehouse" }),
            level("ST", { available: 5 }),
            level("FBA", { available: 5 }),
            level("DC", { available: 5 }),
          ],
        },
        {
          sku: "TEA",
          quantity: 1,
          levels: [
            level("WH", { available: 5, locationName: "ignored: first component names it" }),
            level("ST", { available: 5, active: false }),
            level("FBA", { available: 5, readOnly: true }),
            level("DC", { available: 5 }),
          ],
        },
      ]),
      [],
    );
    expect(r.explanation.locations.map((l) => [l.locationName, l.counted, l.reason])).toEqual([
      ["Main warehouse", true, "5 kits (limited by MUG: 5 sellable / 1 per kit)"],
      ["Location ST", false, "inactive"],
      ["Location FBA", false, "read-only (marketplace-managed)"],
      ["Location DC", false, "not eligible for Online Store"],
    ]);
    expect(r.ats).toBe(5);
  });
});

// ---- publishing at zero ---------------------------------------------------------------------------

describe("computeAts: zero policy", () => {
  const empty = plain([level("WH", { available: 0 })]);

  it("zero publishes 0", () => {
    const r = computeAts(channel({ zeroPolicy: "zero", backorderQuantity: 5 }), empty, []);
    expect(r.ats).toBe(0);
    expect(r.publish).toEqual({ action: "set", quantity: 0 });
    expect(r.explanation.steps.at(-1)).toBe("zero policy zero: publish 0");
  });

  it("delist takes the listing down", () => {
    const r = computeAts(channel({ zeroPolicy: "delist" }), empty, []);
    expect(r.ats).toBe(0);
    expect(r.publish).toEqual({ action: "delist" });
    expect(r.explanation.steps.at(-1)).toBe("zero policy delist: take the listing down");
  });

  it("backorder publishes the channel's backorder quantity", () => {
    const r = computeAts(channel({ zeroPolicy: "backorder", backorderQuantity: 5 }), empty, []);
    expect(r.ats).toBe(0);
    expect(r.publish).toEqual({ action: "set", quantity: 5 });
    expect(r.explanation.steps.at(-1)).toBe("zero policy backorder: publish 5");
  });

  it("does not apply when ATS is positive", () => {
    const r = computeAts(channel({ zeroPolicy: "delist" }), plain([level("WH", { available: 1 })]), []);
    expect(r.publish).toEqual({ action: "set", quantity: 1 });
    expect(r.explanation.steps).toEqual(["pool 1 from 1 location", "no buffer (channel)", "ats 1"]);
  });
});

// ---- validation -------------------------------------------------------------------------------------

describe("computeAts: validation", () => {
  const stock = plain([level("WH", { available: 10 })]);

  it.each([
    ["buffer.units", channel({ buffer: { units: -1, percent: 0 } })],
    ["buffer.percent", channel({ buffer: { units: 0, percent: -5 } })],
    ["buffer.percent", channel({ buffer: { units: 0, percent: 101 } })],
    ["maxExposure", channel({ maxExposure: -1 })],
  ])("rejects a bad channel %s", (field, ch) => {
    const e = thrown(() => computeAts(ch, stock, []));
    expect(e.kind).toBe("INVALID");
    expect(e.details.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
  });

  it("rejects a bad override, naming its row", () => {
    const e = thrown(() =>
      computeAts(channel(), plain([level("WH", { available: 10 })], { tags: ["fragile"] }), [
        override({ sku: "OTHER", buffer: { units: 1, percent: 0 } }),
        override({ tag: "fragile", buffer: { units: 0, percent: 150 } }),
      ]),
    );
    expect(e.kind).toBe("INVALID");
    expect(e.details.field).toBe("overrides[1].buffer.percent");

    const cap = thrown(() => computeAts(channel(), stock, [override({ sku: "TEE-M", maxExposure: -2 })]));
    expect(cap.details.field).toBe("overrides[0].maxExposure");
  });

  it("rejects a kit component quantity below 1", () => {
    const e = thrown(() =>
      computeAts(
        channel(),
        kit([
          { sku: "MUG", quantity: 1, levels: [level("WH", { available: 5 })] },
          { sku: "TEA", quantity: 0, levels: [level("WH", { available: 5 })] },
        ]),
        [],
      ),
    );
    expect(e.kind).toBe("INVALID");
    expect(e.details.field).toBe("components[1].quantity");
  });

  it("accepts the boundaries: 0 and 100 percent, a cap of 0", () => {
    const r = computeAts(channel({ buffer: { units: 0, percent: 100 }, maxExposure: 0 }), stock, []);
    expect(r.explanation.buffer.units).toBe(10);
    expect(r.ats).toBe(0);
  });
});
