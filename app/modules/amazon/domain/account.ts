import { marketplaceById, REGIONS, type AmazonRegion } from "./marketplaces";

/** What a merchant types on the connect page (before it is checked). */
export interface AmazonAccountInput {
  region: string;
  sellerId: string;
  lwaClientId: string;
  /** Empty on an edit means "keep the stored one". */
  lwaClientSecret: string;
  refreshToken: string;
  marketplaces: { marketplaceId: string; channelCode: string }[];
  features: Partial<AmazonFeatures>;
}

export interface AmazonFeatures {
  /** Poll searchOrders and take MFN orders in (AFN recorded for visibility). */
  orders: boolean;
  /** Publish each Amazon channel's ATS (patchListingsItem / JSON_LISTINGS_FEED). */
  quantities: boolean;
  /** Confirm shipments of Amazon orders fulfilled in Shopify. */
  shipments: boolean;
  /** Read FBA stock into a read-only "Amazon FBA" location. */
  fbaInventory: boolean;
}

export const DEFAULT_FEATURES: AmazonFeatures = { orders: true, quantities: true, shipments: true, fbaInventory: true };

export interface ValidAccount {
  region: AmazonRegion;
  sellerId: string;
  lwaClientId: string;
  lwaClientSecret: string | null;
  refreshToken: string | null;
  marketplaces: { marketplaceId: string; channelCode: string }[];
  features: AmazonFeatures;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Check a connect/edit form against what Amazon issues, so a typo is named before any call is made.
 * Formats: seller (merchant) ids are "A" + 12–14 upper-case letters/digits; LWA client ids start
 * "amzn1.application-oa2-client."; refresh tokens start "Atzr|"
 * (https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api).
 * `channelKinds` maps the shop's channel codes to their kind: a marketplace must map to an Amazon channel.
 */
export function validateAccountInput(input: AmazonAccountInput, opts: { channelKinds: Map<string, string>; editing: boolean }): { ok: true; value: ValidAccount } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const region = input.region.trim().toLowerCase();
  if (!(REGIONS as readonly string[]).includes(region)) problems.push({ field: "region", message: `"${input.region}" is not an SP-API region: choose na (North America), eu (Europe) or fe (Far East)` });
  const sellerId = input.sellerId.trim().toUpperCase();
  if (!/^A[A-Z0-9]{11,15}$/.test(sellerId)) problems.push({ field: "sellerId", message: `"${input.sellerId}" does not look like a seller id (Seller Central → Settings → Account info → Merchant token, e.g. A2EXAMPLE12345)` });
  const lwaClientId = input.lwaClientId.trim();
  if (!lwaClientId.startsWith("amzn1.application-oa2-client.")) problems.push({ field: "lwaClientId", message: "an LWA client id starts with amzn1.application-oa2-client. (Developer Central → your app → LWA credentials)" });
  const secret = input.lwaClientSecret.trim();
  if (!secret && !opts.editing) problems.push({ field: "lwaClientSecret", message: "the LWA client secret is required" });
  const refresh = input.refreshToken.trim();
  if (!refresh && !opts.editing) problems.push({ field: "refreshToken", message: "the refresh token is required (it is shown once when the seller authorises the app)" });
  else if (refresh && !refresh.startsWith("Atzr|")) problems.push({ field: "refreshToken", message: "a refresh token starts with Atzr|" });

  const seen = new Set<string>();
  const marketplaces: ValidAccount["marketplaces"] = [];
  if (input.marketplaces.length === 0) problems.push({ field: "marketplaces", message: "choose at least one marketplace and the channel it sells through" });
  for (const [i, m] of input.marketplaces.entries()) {
    const field = `marketplaces[${i}]`;
    const mp = marketplaceById(m.marketplaceId.trim());
    if (!mp) {
      problems.push({ field, message: `"${m.marketplaceId}" is not an Amazon marketplace id` });
      continue;
    }
    if ((REGIONS as readonly string[]).includes(region) && mp.region !== region) {
      problems.push({ field, message: `${mp.name} is in the ${mp.region} region, not ${region}: connect it as a separate account for that region` });
      continue;
    }
    if (seen.has(mp.id)) {
      problems.push({ field, message: `${mp.name} is listed twice` });
      continue;
    }
    seen.add(mp.id);
    const kind = opts.channelKinds.get(m.channelCode.trim());
    if (kind === undefined) problems.push({ field, message: `there is no channel "${m.channelCode}" (create it on the Channels page first)` });
    else if (kind !== "amazon") problems.push({ field, message: `channel "${m.channelCode}" is not an Amazon channel (its kind is ${kind})` });
    else marketplaces.push({ marketplaceId: mp.id, channelCode: m.channelCode.trim() });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      region: region as AmazonRegion,
      sellerId,
      lwaClientId,
      lwaClientSecret: secret || null,
      refreshToken: refresh || null,
      marketplaces,
      features: { ...DEFAULT_FEATURES, ...Object.fromEntries(Object.entries(input.features).filter(([, v]) => typeof v === "boolean")) },
    },
  };
}

/** Show the last characters only: enough to tell two tokens apart, never enough to use one. */
export function maskSecret(value: string): string {
  if (value.length <= 8) return "••••";
  return `••••${value.slice(-4)}`;
}
