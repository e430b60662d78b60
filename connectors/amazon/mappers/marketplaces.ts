/**
 * Amazon marketplaces the hub knows: id → country, currency, display name and the hub channel code
 * (`amazon-<country>` in lower case, e.g. amazon-us).  Ids and names are Amazon's
 * (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids); the channel code convention is the
 * hub's (app/modules/orders: "a channel code such as online, amazon-us, portal").
 */
export interface Marketplace {
  id: string;
  countryCode: string;
  currencyCode: string;
  name: string;
  /** SP-API region whose host serves it (sellingpartnerapi-<region>.amazon.com). */
  region: "na" | "eu" | "fe";
}

const list: Marketplace[] = [
  { id: "ATVPDKIKX0DER", countryCode: "US", currencyCode: "USD", name: "Amazon.com", region: "na" },
  { id: "A2EUQ1WTGCTBG2", countryCode: "CA", currencyCode: "CAD", name: "Amazon.ca", region: "na" },
  { id: "A1AM78C64UM0Y8", countryCode: "MX", currencyCode: "MXN", name: "Amazon.com.mx", region: "na" },
  { id: "A2Q3Y263D00KWC", countryCode: "BR", currencyCode: "BRL", name: "Amazon.com.br", region: "na" },
  { id: "A1F83G8C2ARO7P", countryCode: "GB", currencyCode: "GBP", name: "Amazon.co.uk", region: "eu" },
  { id: "A1PA6795UKMFR9", countryCode: "DE", currencyCode: "EUR", name: "Amazon.de", region: "eu" },
  { id: "A13V1IB3VIYZZH", countryCode: "FR", currencyCode: "EUR", name: "Amazon.fr", region: "eu" },
  { id: "APJ6JRA9NG5V4", countryCode: "IT", currencyCode: "EUR", name: "Amazon.it", region: "eu" },
  { id: "A1RKKUPIHCS9HS", countryCode: "ES", currencyCode: "EUR", name: "Amazon.es", region: "eu" },
  { id: "A1805IZSGTT6HS", countryCode: "NL", currencyCode: "EUR", name: "Amazon.nl", region: "eu" },
  { id: "A2NODRKZP88ZB9", countryCode: "SE", currencyCode: "SEK", name: "Amazon.se", region: "eu" },
  { id: "A1C3SOZRARQ6R3", countryCode: "PL", currencyCode: "PLN", name: "Amazon.pl", region: "eu" },
  { id: "A21TJRUUN4KGV", countryCode: "IN", currencyCode: "INR", name: "Amazon.in", region: "eu" },
  { id: "A1VC38T7YXB528", countryCode: "JP", currencyCode: "JPY", name: "Amazon.co.jp", region: "fe" },
  { id: "A39IBJ37TRP1C6", countryCode: "AU", currencyCode: "AUD", name: "Amazon.com.au", region: "fe" },
  { id: "A19VAU5U5O7RUS", countryCode: "SG", currencyCode: "SGD", name: "Amazon.sg", region: "fe" },
];

export const MARKETPLACES: ReadonlyMap<string, Marketplace> = new Map(list.map((m) => [m.id, m]));

export function marketplace(id: string): Marketplace | undefined {
  return MARKETPLACES.get(id);
}

/** The hub channel code for a marketplace's orders and quantities: amazon-us, amazon-gb, … */
export function channelCodeFor(marketplaceId: string, overrides: Readonly<Record<string, string>> = {}): string | null {
  const override = overrides[marketplaceId];
  if (override) return override;
  const m = MARKETPLACES.get(marketplaceId);
  return m ? `amazon-${m.countryCode.toLowerCase()}` : null;
}
