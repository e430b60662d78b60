import type { Db } from "#app/platform/db/client.server";

/**
 * A channel's seller SKUs → the hub's SKUs (ChannelListing.externalSku → Variant.sku): how an Amazon
 * or portal order line finds the hub variant.  Unknown seller SKUs are simply absent from the map.
 */
export async function sellerSkuMap(db: Db, shop: string, channelCode: string, sellerSkus: string[]): Promise<Map<string, string>> {
  if (sellerSkus.length === 0) return new Map();
  const channel = await db.channel.findFirst({ where: { shop, code: channelCode }, select: { id: true } });
  if (!channel) return new Map();
  const listings = await db.channelListing.findMany({ where: { shop, channelId: channel.id, externalSku: { in: [...new Set(sellerSkus)] } }, select: { externalSku: true, variantId: true } });
  const variants = new Map((await db.variant.findMany({ where: { shop, id: { in: listings.map((l) => l.variantId) } }, select: { id: true, sku: true } })).map((v) => [v.id, v.sku]));
  return new Map(listings.flatMap((l) => (variants.has(l.variantId) ? [[l.externalSku, variants.get(l.variantId)!] as const] : [])));
}
