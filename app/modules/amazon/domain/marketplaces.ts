/**
 * Amazon marketplaces by SP-API region: the endpoint an account calls is per region, and each
 * marketplace belongs to exactly one.  Source: https://developer-docs.amazon.com/sp-api/docs/marketplace-ids
 */
export type AmazonRegion = "na" | "eu" | "fe";

export interface Marketplace {
  id: string;
  country: string;
  name: string;
  region: AmazonRegion;
  currency: string;
}

export const MARKETPLACES: readonly Marketplace[] = [
  { id: "A2EUQ1WTGCTBG2", country: "CA", name: "Amazon.ca", region: "na", currency: "CAD" },
  { id: "ATVPDKIKX0DER", country: "US", name: "Amazon.com", region: "na", currency: "USD" },
  { id: "A1AM78C64UM0Y8", country: "MX", name: "Amazon.com.mx", region: "na", currency: "MXN" },
  { id: "A2Q3Y263D00KWC", country: "BR", name: "Amazon.com.br", region: "na", currency: "BRL" },
  { id: "A28R8C7NBKEWEA", country: "IE", name: "Amazon.ie", region: "eu", currency: "EUR" },
  { id: "A1RKKUPIHCS9HS", country: "ES", name: "Amazon.es", region: "eu", currency: "EUR" },
  { id: "A1F83G8C2ARO7P", country: "UK", name: "Amazon.co.uk", region: "eu", currency: "GBP" },
  { id: "A13V1IB3VIYZZH", country: "FR", name: "Amazon.fr", region: "eu", currency: "EUR" },
  { id: "AMEN7PMS3EDWL", country: "BE", name: "Amazon.com.be", region: "eu", currency: "EUR" },
  { id: "A1805IZSGTT6HS", country: "NL", name: "Amazon.nl", region: "eu", currency: "EUR" },
  { id: "A1PA6795UKMFR9", country: "DE", name: "Amazon.de", region: "eu", currency: "EUR" },
  { id: "APJ6JRA9NG5V4", country: "IT", name: "Amazon.it", region: "eu", currency: "EUR" },
  { id: "A2NODRKZP88ZB9", country: "SE", name: "Amazon.se", region: "eu", currency: "SEK" },
  { id: "AE08WJ6YKNBMC", country: "ZA", name: "Amazon.co.za", region: "eu", currency: "ZAR" },
  { id: "A1C3SOZRARQ6R3", country: "PL", name: "Amazon.pl", region: "eu", currency: "PLN" },
  { id: "ARBP9OOSHTCHU", country: "EG", name: "Amazon.eg", region: "eu", currency: "EGP" },
  { id: "A33AVAJ2PDY3EV", country: "TR", name: "Amazon.com.tr", region: "eu", currency: "TRY" },
  { id: "A17E79C6D8DWNP", country: "SA", name: "Amazon.sa", region: "eu", currency: "SAR" },
  { id: "A2VIGQ35RCS4UG", country: "AE", name: "Amazon.ae", region: "eu", currency: "AED" },
  { id: "A21TJRUUN4KGV", country: "IN", name: "Amazon.in", region: "eu", currency: "INR" },
  { id: "A19VAU5U5O7RUS", country: "SG", name: "Amazon.sg", region: "fe", currency: "SGD" },
  { id: "A39IBJ37TRP1C6", country: "AU", name: "Amazon.com.au", region: "fe", currency: "AUD" },
  { id: "A1VC38T7YXB528", country: "JP", name: "Amazon.co.jp", region: "fe", currency: "JPY" },
];

export const REGIONS: readonly AmazonRegion[] = ["na", "eu", "fe"];
export const REGION_NAMES: Record<AmazonRegion, string> = { na: "North America", eu: "Europe", fe: "Far East" };

export const marketplaceById = (id: string): Marketplace | undefined => MARKETPLACES.find((m) => m.id === id);
