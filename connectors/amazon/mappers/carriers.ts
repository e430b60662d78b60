/**
 * A carrier as the hub (Shopify fulfillment tracking company) names it → confirmShipment's
 * packageDetail.carrierCode / carrierName.  carrierCode is required in every marketplace, and
 * "Other" needs carrierName (ordersV0.json PackageDetail;
 * https://developer-docs.amazon.com/sp-api/changelog/carriercode-value-required-in-shipment-confirmations-for-br-mx-ca-sg-au-in-jp-marketplaces).
 *
 * The table holds carrier codes as Amazon's order-fulfillment CarrierCode list spells them; it is a
 * deliberately small subset (the models do not publish the list; not re-verified against Amazon's
 * current list in this session).  Anything not in it is sent as "Other" with the name as given,
 * which Amazon accepts everywhere.
 */
import { AmazonPayloadError } from "./errors";

const CODES: readonly [code: string, aliases: readonly string[]][] = [
  ["USPS", ["usps", "united states postal service", "us postal service"]],
  ["UPS", ["ups", "united parcel service"]],
  ["UPS Mail Innovations", ["ups mail innovations", "upsmi"]],
  ["FedEx", ["fedex", "fed ex", "federal express", "fedex ground", "fedex express"]],
  ["FedEx SmartPost", ["fedex smartpost", "fedex smart post"]],
  ["DHL", ["dhl", "dhl express"]],
  ["DHL Global Mail", ["dhl global mail"]],
  ["OnTrac", ["ontrac", "on trac"]],
  ["Lasership", ["lasership", "laser ship"]],
  ["Canada Post", ["canada post", "postes canada"]],
  ["Royal Mail", ["royal mail"]],
  ["Parcelforce", ["parcelforce", "parcel force"]],
  ["Yodel", ["yodel"]],
  ["DPD", ["dpd"]],
  ["GLS", ["gls"]],
  ["TNT", ["tnt"]],
  ["Deutsche Post", ["deutsche post"]],
  ["La Poste", ["la poste"]],
  ["Chronopost", ["chronopost"]],
  ["Poste Italiane", ["poste italiane"]],
];

const BY_ALIAS = new Map(CODES.flatMap(([code, aliases]) => aliases.map((a) => [a, code] as const)));

export interface AmazonCarrier {
  carrierCode: string;
  /** Set only with carrierCode "Other" (required there). */
  carrierName?: string;
}

const normalise = (s: string) => s.trim().toLowerCase().replace(/[._-]+/g, " ").replace(/\s+/g, " ");

export function amazonCarrier(name: string | null | undefined): AmazonCarrier {
  const given = (name ?? "").trim();
  if (!given) throw new AmazonPayloadError("carrier", 'is required: Amazon needs a carrierCode, or "Other" with the carrier\'s name');
  const code = BY_ALIAS.get(normalise(given));
  return code ? { carrierCode: code } : { carrierCode: "Other", carrierName: given };
}
