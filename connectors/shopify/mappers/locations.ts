/**
 * locations/* → the hub's location fields.
 * Samples: https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-locations/create (and
 * update, activate, deactivate, delete).  The REST Location carries no coordinates; if a payload
 * does (latitude/longitude), they are taken, otherwise the hub keeps the ones it has.
 */
import { z } from "zod";
import { gidOf } from "./ids";
import { numericId, parsePayload, timestamp } from "./schema";

export const LOCATION_TOPICS = ["locations/create", "locations/update", "locations/activate", "locations/deactivate", "locations/delete"] as const;
export type LocationTopic = (typeof LOCATION_TOPICS)[number];

const locationPayload = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().nullish(),
  name: z.string().min(1),
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  zip: z.string().nullish(),
  province: z.string().nullish(),
  province_code: z.string().nullish(),
  country_code: z.string().nullish(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  active: z.boolean().nullish(),
  updated_at: timestamp.nullish(),
});

export interface MappedLocation {
  shopifyLocationGid: string;
  name: string;
  address1: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  zip: string | null;
  /** Present only when the payload has coordinates. */
  coordinates?: { latitude: number; longitude: number };
  active: boolean;
  updatedAt: Date | null;
}

/** locations/create|update|activate|deactivate.  The topic decides `active` for (de)activate. */
export function mapShopifyLocation(topic: Exclude<LocationTopic, "locations/delete">, raw: string | unknown): MappedLocation {
  const p = parsePayload(locationPayload, raw, topic);
  const active = topic === "locations/activate" ? true : topic === "locations/deactivate" ? false : (p.active ?? true);
  return {
    shopifyLocationGid: gidOf("Location", p.id, p.admin_graphql_api_id)!,
    name: p.name.trim(),
    address1: p.address1 ?? null,
    city: p.city ?? null,
    province: p.province_code ?? p.province ?? null,
    countryCode: p.country_code ? p.country_code.toUpperCase() : null,
    zip: p.zip ?? null,
    ...(p.latitude != null && p.longitude != null ? { coordinates: { latitude: p.latitude, longitude: p.longitude } } : {}),
    active,
    updatedAt: p.updated_at ?? null,
  };
}

export function mapShopifyLocationDelete(raw: string | unknown, topic = "locations/delete"): { shopifyLocationGid: string } {
  const p = parsePayload(z.object({ id: numericId, admin_graphql_api_id: z.string().nullish() }), raw, topic);
  return { shopifyLocationGid: gidOf("Location", p.id, p.admin_graphql_api_id)! };
}
