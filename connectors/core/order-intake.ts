/**
 * The one order shape every channel mapper produces (Shopify webhooks and bulk rows, Amazon orders, …) and the
 * hub's order intake takes: app/modules/orders orderIntakeSchema, as plain data.  It lives here, not in a
 * connector, because connectors never import app/ and no connector owns it; the type check where a workflow
 * hands `intake` to the orders module is what keeps the two in step.
 */
export interface HubOrderInput {
  channel: string;
  externalOrderId: string;
  name: string;
  placedAt: Date;
  speed: "standard" | "expedited" | "same_day" | "pickup";
  b2b: boolean;
  companyId: string | null;
  customerRef: string | null;
  customerTags: string[];
  destination: { countryCode: string; provinceCode: string | null; zip: string | null; city: string | null; lat: number | null; lng: number | null };
  pickupLocationId: string | null;
  valueCents?: number;
  currencyCode: string;
  paid: boolean;
  lines: { lineKey: string; sku: string; quantity: number; title: string; priceCents: number }[];
}
