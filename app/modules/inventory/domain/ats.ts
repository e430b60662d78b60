/**
 * Available-to-sell (ATS): how many units of one SKU a channel may sell, with the reasons.
 *
 * Pure: plain data in, plain data out (ARCHITECTURE.md rule 1).  The caller loads the levels,
 * the channel policy and the overrides; this file only does the arithmetic and explains it.
 *
 * Quantity names follow Shopify's inventory states
 * (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/inventory-states):
 * "available" already excludes committed, reserved, safety stock, damaged and quality control,
 * so the hub only subtracts its own holds on top of it.
 */
import { DomainError } from "#app/platform/errors";
import type {
  AtsResult,
  Buffer,
  ChannelPolicy,
  KitComponent,
  LocationContribution,
  LocationLevel,
  PolicyOverride,
  SkuStock,
} from "./types";

/** The buffer and cap that apply to one SKU on one channel, and where each came from. */
export interface EffectivePolicy {
  buffer: Buffer;
  bufferSource: string;
  maxExposure: number | null;
  capSource: string;
}

/** Units of a level this hub may still promise: Shopify "available" minus the hub's own holds (may be negative). */
export function sellableAt(level: LocationLevel): number {
  return level.available - level.held;
}

/**
 * The buffer and cap for `sku` on `channel`.  Each is resolved on its own: a SKU override beats a
 * tag override beats the channel; an override field left null does not override.  When several
 * overrides of the same level match, the most conservative wins (largest buffer units and percent,
 * smallest cap) and every contributing override is named in the source.
 */
export function effectivePolicy(
  channel: ChannelPolicy,
  sku: string,
  tags: string[],
  overrides: PolicyOverride[],
): EffectivePolicy {
  validateBuffer(channel.buffer, "buffer");
  validateCap(channel.maxExposure, "maxExposure");

  const skuMatches: IndexedOverride[] = [];
  const tagMatches: IndexedOverride[] = [];
  overrides.forEach((override, index) => {
    if (override.channelId !== channel.channelId) return;
    // An override that names a SKU is a SKU override; its tag (if any) plays no part.
    if (override.sku !== null) {
      if (override.sku === sku) skuMatches.push({ override, index });
    } else if (override.tag !== null && tags.includes(override.tag)) {
      tagMatches.push({ override, index });
    }
  });
  // Only overrides that apply are validated: a bad row for another SKU must not stop this one.
  for (const { override, index } of [...skuMatches, ...tagMatches]) {
    if (override.buffer !== null) validateBuffer(override.buffer, `overrides[${index}].buffer`);
    validateCap(override.maxExposure, `overrides[${index}].maxExposure`);
  }

  const bufferFrom = (matches: IndexedOverride[]) => matches.filter((m) => m.override.buffer !== null);
  const capFrom = (matches: IndexedOverride[]) => matches.filter((m) => m.override.maxExposure !== null);

  let buffer: Buffer = channel.buffer;
  let bufferSource = "channel";
  const skuBuffers = bufferFrom(skuMatches);
  const tagBuffers = bufferFrom(tagMatches);
  if (skuBuffers.length > 0) {
    buffer = mostConservativeBuffer(skuBuffers);
    bufferSource = `SKU override (${sku})`;
  } else if (tagBuffers.length > 0) {
    buffer = mostConservativeBuffer(tagBuffers);
    bufferSource = `tag override (${tagNames(tagBuffers)})`;
  }

  let maxExposure = channel.maxExposure;
  let capSource = "channel";
  const skuCaps = capFrom(skuMatches);
  const tagCaps = capFrom(tagMatches);
  if (skuCaps.length > 0) {
    maxExposure = smallestCap(skuCaps);
    capSource = `SKU override (${sku})`;
  } else if (tagCaps.length > 0) {
    maxExposure = smallestCap(tagCaps);
    capSource = `tag override (${tagNames(tagCaps)})`;
  }

  return { buffer, bufferSource, maxExposure, capSource };
}

/** ATS of one SKU (plain or kit) for one channel, with the publish action and a step-by-step explanation. */
export function computeAts(channel: ChannelPolicy, stock: SkuStock, overrides: PolicyOverride[]): AtsResult {
  if (!Number.isFinite(channel.backorderQuantity) || channel.backorderQuantity < 0) {
    throw DomainError.invalid("backorderQuantity", "must be a number >= 0");
  }
  stock.components.forEach((component, i) => {
    if (!Number.isInteger(component.quantity) || component.quantity < 1) {
      throw DomainError.invalid(`components[${i}].quantity`, "must be a whole number >= 1");
    }
  });
  const policy = effectivePolicy(channel, stock.sku, stock.tags, overrides);

  const isKit = stock.components.length > 0;
  const locations = isKit ? kitContributions(channel, stock.components) : plainContributions(channel, stock.levels);
  const counted = locations.filter((l) => l.counted);
  const excluded = locations.length - counted.length;

  // Oversold locations stay in the sum: their committed orders must be filled from elsewhere.
  const pool = counted.reduce((sum, l) => sum + l.sellable, 0);
  const steps: string[] = [
    `pool ${pool}${isKit ? " kits" : ""} from ${plural(counted.length, "location")}` +
      (excluded > 0 ? ` (${excluded} excluded)` : ""),
  ];

  // Percent rounds up and a negative pool gives no percent: the buffer errs on the side of not overselling.
  const percentUnits = Math.ceil((Math.max(pool, 0) * policy.buffer.percent) / 100);
  const bufferUnits = Math.max(policy.buffer.units, percentUnits);
  if (bufferUnits === 0) {
    steps.push(`no buffer (${policy.bufferSource})`);
  } else if (percentUnits > policy.buffer.units) {
    steps.push(`buffer -${bufferUnits} (${policy.buffer.percent}% of ${pool}, rounded up; ${policy.bufferSource})`);
  } else {
    steps.push(`buffer -${bufferUnits} (${policy.buffer.units} units; ${policy.bufferSource})`);
  }

  // A channel can never be offered fewer than zero units.
  let ats = Math.max(0, pool - bufferUnits);
  steps.push(pool - bufferUnits < 0 ? `ats 0 (${pool} - ${bufferUnits} is below zero)` : `ats ${ats}`);

  // The cap limits exposure on one channel (e.g. a marketplace) whatever the pool holds.
  const capApplied = policy.maxExposure !== null && ats > policy.maxExposure;
  if (capApplied && policy.maxExposure !== null) {
    ats = policy.maxExposure;
    steps.push(`cap ${policy.maxExposure} (${policy.capSource}): ats ${ats}`);
  }

  let publish: AtsResult["publish"];
  if (ats > 0) {
    publish = { action: "set", quantity: ats };
  } else if (channel.zeroPolicy === "delist") {
    // Some channels penalise a listing at 0; the merchant chose to take it down instead.
    publish = { action: "delist" };
    steps.push("zero policy delist: take the listing down");
  } else if (channel.zeroPolicy === "backorder") {
    // The merchant accepts orders beyond stock on this channel, up to a fixed quantity.
    publish = { action: "set", quantity: channel.backorderQuantity };
    steps.push(`zero policy backorder: publish ${channel.backorderQuantity}`);
  } else {
    publish = { action: "set", quantity: 0 };
    steps.push("zero policy zero: publish 0");
  }

  return {
    channelId: channel.channelId,
    sku: stock.sku,
    ats,
    publish,
    explanation: {
      locations,
      pool,
      buffer: { units: bufferUnits, source: policy.bufferSource },
      cap: { maxExposure: policy.maxExposure, source: policy.capSource, applied: capApplied },
      steps,
    },
  };
}

// ---------------------------------------------------------------------------------------------

interface IndexedOverride {
  override: PolicyOverride;
  /** Position in the caller's list, so a validation error can name the row. */
  index: number;
}

function validateBuffer(buffer: Buffer, field: string): void {
  if (!Number.isFinite(buffer.units) || buffer.units < 0) {
    throw DomainError.invalid(`${field}.units`, "must be a number >= 0");
  }
  if (!Number.isFinite(buffer.percent) || buffer.percent < 0 || buffer.percent > 100) {
    throw DomainError.invalid(`${field}.percent`, "must be between 0 and 100");
  }
}

function validateCap(maxExposure: number | null, field: string): void {
  if (maxExposure !== null && (!Number.isFinite(maxExposure) || maxExposure < 0)) {
    throw DomainError.invalid(field, "must be a number >= 0 or null");
  }
}

function mostConservativeBuffer(matches: IndexedOverride[]): Buffer {
  return matches.reduce<Buffer>(
    (acc, { override }) => ({
      units: Math.max(acc.units, override.buffer?.units ?? 0),
      percent: Math.max(acc.percent, override.buffer?.percent ?? 0),
    }),
    { units: 0, percent: 0 },
  );
}

function smallestCap(matches: IndexedOverride[]): number {
  return Math.min(...matches.map(({ override }) => override.maxExposure ?? Infinity));
}

function tagNames(matches: IndexedOverride[]): string {
  return [...new Set(matches.map(({ override }) => override.tag ?? ""))].join(", ");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Why a location may not be sold from on this channel, or null when it may. */
function exclusionReason(
  channel: ChannelPolicy,
  locationId: string,
  levels: LocationLevel[],
): string | null {
  // The channel's own list comes first: stock it may not sell is out whatever its state.
  if (!channel.eligibleLocationIds.includes(locationId)) return `not eligible for ${channel.channelName}`;
  // Marketplace-managed stock (e.g. Amazon FBA) is sold only by its marketplace.
  if (levels.some((l) => l.readOnly)) return "read-only (marketplace-managed)";
  // An inactive location cannot ship, so its stock cannot back an online sale.
  if (levels.some((l) => !l.active)) return "inactive";
  return null;
}

function plainContributions(channel: ChannelPolicy, levels: LocationLevel[]): LocationContribution[] {
  return levels.map((level) => {
    const sellable = sellableAt(level);
    const excludedBecause = exclusionReason(channel, level.locationId, [level]);
    let reason: string;
    if (excludedBecause !== null) reason = excludedBecause;
    else if (sellable < 0) reason = `oversold by ${-sellable}: reduces the pool`;
    else if (level.held > 0) reason = `${level.available} available - ${level.held} held`;
    else reason = `${level.available} available`;
    return {
      locationId: level.locationId,
      locationName: level.locationName,
      counted: excludedBecause === null,
      reason,
      available: level.available,
      held: level.held,
      sellable,
    };
  });
}

/**
 * Kits per location.  Reported in kit units: `available` = kits buildable from the components'
 * available stock, `held` = kits lost to the hub's holds, so `sellable = available - held` still holds.
 */
function kitContributions(channel: ChannelPolicy, components: KitComponent[]): LocationContribution[] {
  // Every location any component is stocked at, in first-seen order (first component first).
  const locationIds: string[] = [];
  for (const component of components) {
    for (const level of component.levels) {
      if (!locationIds.includes(level.locationId)) locationIds.push(level.locationId);
    }
  }

  return locationIds.map((locationId) => {
    const here = components.map((component) => ({
      component,
      level: component.levels.find((l) => l.locationId === locationId),
    }));
    const present = here.flatMap(({ level }) => (level ? [level] : []));
    // Name and kind come from the first component's level (any component's when the first is missing here).
    const info = here[0]?.level ?? present[0];

    let kitsFromAvailable = Infinity;
    let kits = Infinity;
    let limit = "";
    let oversold = "";
    let missing = "";
    for (const { component, level } of here) {
      // A component missing here (or oversold here) means no kit can be built here; never fewer than 0 kits.
      const available = level ? Math.max(0, level.available) : 0;
      const sellable = level ? sellableAt(level) : 0;
      const fromAvailable = Math.floor(available / component.quantity);
      const buildable = Math.max(0, Math.floor(sellable / component.quantity));
      if (!level && missing === "") missing = component.sku;
      if (level && sellable < 0 && oversold === "") oversold = `${component.sku} oversold by ${-sellable}`;
      kitsFromAvailable = Math.min(kitsFromAvailable, fromAvailable);
      if (buildable < kits) {
        kits = buildable;
        limit = `${component.sku}: ${sellable} sellable / ${component.quantity} per kit`;
      }
    }
    if (!Number.isFinite(kits)) kits = 0;
    if (!Number.isFinite(kitsFromAvailable)) kitsFromAvailable = 0;

    const excludedBecause = exclusionReason(channel, locationId, present);
    let reason: string;
    if (excludedBecause !== null) reason = excludedBecause;
    else if (missing !== "") reason = `component ${missing} not stocked here: 0 kits`;
    else if (oversold !== "") reason = `${oversold}: 0 kits here`;
    else reason = `${plural(kits, "kit")} (limited by ${limit})`;

    return {
      locationId,
      locationName: info?.locationName ?? locationId,
      counted: excludedBecause === null,
      reason,
      available: kitsFromAvailable,
      held: kitsFromAvailable - kits,
      sellable: kits,
    };
  });
}
