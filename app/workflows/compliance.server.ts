import { z } from "zod";
import type { Db } from "#app/platform/db/client.server";
import { DomainError } from "#app/platform/errors";
import { collectFromShopPayloads, rewriteShopPayloads, type InboundEventHandler, type InboundEventRow } from "#app/platform/inbound-events.server";
import type { Logger } from "#app/platform/logger.server";
import { domainErrorFromZod } from "#app/platform/http.server";
import { customerOrderData, redactCustomerOrders } from "#app/modules/orders/index";
import { createDataExport, deleteExportsForCustomer, extractCustomerData, mentionsCustomer, redactCustomer, type CustomerRef } from "#app/modules/privacy/index";
import { updateShopScopes } from "#app/modules/shops/index";
import { purgeShop } from "./purge-shop.server";

/**
 * Shopify's lifecycle and privacy webhooks, doing real work:
 * - app/uninstalled: delete the shop's data and sessions, keep the Shop row as "uninstalled";
 * - shop/redact (48 h after uninstall): delete everything, the Shop row too;
 * - customers/redact: remove that customer's personal data wherever this app stored it;
 * - customers/data_request: produce an export record of what this app holds about them;
 * - app/scopes_update: record the granted scopes.
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
 */
const customerRef = z.object({
  id: z.union([z.number(), z.string()]).nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});
const customersRedact = z.object({ shop_domain: z.string(), customer: customerRef, orders_to_redact: z.array(z.union([z.number(), z.string()])).optional() });
const dataRequest = z.object({
  shop_domain: z.string(),
  customer: customerRef,
  orders_requested: z.array(z.union([z.number(), z.string()])).optional(),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).optional(),
});
const scopesUpdate = z.object({ current: z.array(z.string()) });

function parse<T>(schema: z.ZodType<T>, event: InboundEventRow): T {
  const r = schema.safeParse(JSON.parse(event.payload));
  if (!r.success) throw domainErrorFromZod(r.error, `${event.topic} payload`);
  return r.data;
}

function toRef(c: z.infer<typeof customerRef>): CustomerRef {
  if (c.id == null && !c.email && !c.phone) throw DomainError.invalid("customer", "needs an id, email or phone");
  return { id: c.id ?? null, email: c.email ?? null, phone: c.phone ?? null };
}

export function complianceHandlers(deps: { db: Db; logger: Logger; now: () => Date }): Record<string, InboundEventHandler> {
  const { db } = deps;
  const log = deps.logger.child({ component: "compliance" });
  return {
    "shopify.webhook:APP_UNINSTALLED": async (event) => {
      const r = await purgeShop(db, event.shop, { keepShopRow: true, now: deps.now() });
      log.info("app uninstalled: shop data deleted", { shop: event.shop, ...r });
    },
    "shopify.webhook:SHOP_REDACT": async (event) => {
      const r = await purgeShop(db, event.shop, { keepShopRow: false, now: deps.now() });
      log.info("shop/redact: all shop data deleted", { shop: event.shop, ...r });
    },
    "shopify.webhook:CUSTOMERS_REDACT": async (event) => {
      const body = parse(customersRedact, event);
      const ref = toRef(body.customer);
      const payloads = await rewriteShopPayloads(db, event.shop, (doc) => redactCustomer(doc, ref));
      const exports = await deleteExportsForCustomer(db, event.shop, ref);
      const orders = await redactCustomerOrders(db, event.shop, ref.id);
      log.info("customers/redact done", { shop: event.shop, payloadsRedacted: payloads, exportsDeleted: exports, ordersRedacted: orders });
    },
    "shopify.webhook:CUSTOMERS_DATA_REQUEST": async (event) => {
      const body = parse(dataRequest, event);
      const ref = toRef(body.customer);
      const found = await collectFromShopPayloads(db, event.shop, (doc, meta) =>
        // Privacy requests themselves are not data held about the customer.
        !meta.topic.startsWith("CUSTOMERS_") && mentionsCustomer(doc, ref) ? [{ source: `webhook ${meta.topic}`, receivedAt: meta.receivedAt.toISOString(), data: extractCustomerData(doc, ref) }] : [],
      );
      const exp = await createDataExport(db, {
        shop: event.shop,
        customer: ref,
        requestId: body.data_request ? String(body.data_request.id) : null,
        content: { customer: ref, ordersRequested: body.orders_requested ?? [], records: found, hubOrders: await customerOrderData(db, event.shop, ref.id) },
        now: deps.now(),
      });
      log.info("customers/data_request export ready", { shop: event.shop, exportId: exp.id, records: found.length });
    },
    "shopify.webhook:APP_SCOPES_UPDATE": async (event) => {
      const body = parse(scopesUpdate, event);
      await updateShopScopes(db, event.shop, body.current.join(","));
    },
  };
}
