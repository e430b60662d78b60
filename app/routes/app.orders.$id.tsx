import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { CancelOrderModal } from "#app/components/orders/CancelOrderModal";
import { DecisionOutcome, decisionMeta } from "#app/components/orders/DecisionOutcome";
import { DecisionTrace } from "#app/components/orders/DecisionTrace";
import { EarlierDecisions } from "#app/components/orders/EarlierDecisions";
import { formatTime } from "#app/components/orders/format";
import { OrderFacts } from "#app/components/orders/OrderFacts";
import { OrderLines } from "#app/components/orders/OrderLines";
import { OrderStatusBadge, statusLabel } from "#app/components/orders/OrderStatusBadge";
import { toOrderPageData } from "#app/components/orders/order-view.server";
import { SectionCard } from "#app/components/orders/SectionCard";
import type { OrderActionIntent, OrderActionResult, OrderView } from "#app/components/orders/types";
import { OrderTimeline, ShopifyFulfillmentOrders, type FulfillmentOrderView, type TimelineEntryView } from "#app/components/orders/ShopifySections";
import { cancelOrder, findOrder, fulfillmentOrdersOf, getOrderDetail, orderTimeline, routeExistingOrder, type OrderDetail } from "#app/modules/orders/index";
import { humanize } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";
import { HTTP_STATUS, errorResponse } from "#app/platform/http.server";

/**
 * One order: its facts, lines and reservations, the current routing decision with its full trace,
 * the decisions it replaced, Shopify's fulfillment orders for it and the timeline of channel events.
 * Re-route and cancel from here.
 */

/** Who acts: the admin session carries no staff member yet (AdminContext has only the shop). */
const ACTOR = "admin";

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  let detail: OrderDetail;
  try {
    // The id from the list; an external id or a name ("#1001") works too.
    detail = await getOrderDetail(runtime.db, shop, params.id ?? "");
  } catch (error) {
    if (error instanceof DomainError && error.kind === "NOT_FOUND") throw json({ message: `Order ${params.id ?? ""} not found` }, { status: 404 });
    throw errorResponse(error, runtime.logger);
  }
  const [fos, timeline] = await Promise.all([fulfillmentOrdersOf(runtime.db, shop, detail.order.id), orderTimeline(runtime.db, shop, detail.order.id)]);
  const fulfillmentOrders: FulfillmentOrderView[] = fos.map((f) => ({
    fulfillmentOrderId: f.fulfillmentOrderId,
    status: f.status,
    location: f.locationId ? (detail.locationNames[f.locationId] ?? f.locationId) : f.assignedLocationGid,
    holds: f.holds.map((h) => (h && typeof h === "object" && "reason" in h ? String((h as { reason: unknown }).reason) : String(h))),
    updatedAt: f.updatedAt ? f.updatedAt.toISOString() : null,
  }));
  const events: TimelineEntryView[] = timeline.map((e) => ({
    id: e.id,
    kind: e.kind,
    source: e.source,
    occurredAt: e.occurredAt.toISOString(),
    summary: humanize(
      Object.entries(e.summary)
        .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(", "),
      detail.locationNames,
    ),
  }));
  return json({ ...toOrderPageData(detail), fulfillmentOrders, events });
};

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const form = await request.formData();
  const raw = String(form.get("intent") ?? "");
  const intent: OrderActionIntent | null = raw === "reroute" || raw === "cancel" ? raw : null;
  try {
    if (!intent) throw DomainError.invalid("intent", `unknown action "${raw}"`);
    const order = await findOrder(runtime.db, shop, params.id ?? "");
    if (intent === "reroute") {
      const r = await routeExistingOrder({ db: runtime.db, now: runtime.now, logger: runtime.logger }, shop, order.id, { trigger: "manual", actor: ACTOR });
      const d = r.decision;
      const message = d
        ? `Re-routed ${order.name}: decision #${d.sequence}, ${statusLabel(d.status, d.queue).toLowerCase()}${d.ruleId ? ` by rule ${d.ruleId}` : ""}.`
        : `${order.name} was not routed: there is no active routing profile. Activate one on the Routing page.`;
      return json<OrderActionResult>({ ok: true, intent, message });
    }
    const reason = String(form.get("reason") ?? "").trim();
    if (!reason) throw DomainError.invalid("reason", "give a reason for cancelling");
    if (reason.length > 500) throw DomainError.invalid("reason", "at most 500 characters");
    const r = await cancelOrder({ db: runtime.db, now: runtime.now, logger: runtime.logger }, shop, order.id, { reason, actor: ACTOR });
    return json<OrderActionResult>({ ok: true, intent, message: r.cancelled ? `Cancelled ${order.name}; its reserved stock was released.` : `${order.name} was already cancelled.` });
  } catch (error) {
    if (error instanceof DomainError) {
      const field = typeof error.details.field === "string" ? error.details.field : null;
      return json<OrderActionResult>({ ok: false, intent, field, message: error.message }, { status: HTTP_STATUS[error.kind] });
    }
    throw errorResponse(error, runtime.logger);
  }
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.order.name} · Orders` : "Order not found" }];

/** Why the order is where it is, when that needs attention (a routed order's reason is in its decision). */
function StatusBanner({ order }: { order: OrderView }) {
  const reason = order.statusReason;
  switch (order.status) {
    case "routed":
      return null;
    case "queued":
      return (
        <Banner tone="warning" title={`Queued${order.queue ? ` in ${order.queue}` : ""}`}>
          <p>{reason ?? "Waiting for someone to act on it."}</p>
        </Banner>
      );
    case "backordered":
      return (
        <Banner tone="warning" title="Backordered">
          <p>{reason ?? "Waiting for stock."}</p>
        </Banner>
      );
    case "unroutable":
    case "refused":
      return (
        <Banner tone="critical" title={order.status === "refused" ? "Refused: no stock could be reserved" : "Unroutable: no location can ship it"}>
          <p>{reason ?? order.status}</p>
        </Banner>
      );
    case "cancelled":
      return (
        <Banner tone="info" title="Cancelled">
          <p>{reason ?? "Cancelled."}</p>
        </Banner>
      );
    default:
      return (
        <Banner tone="info" title="Not routed yet">
          <p>{reason ?? "The order's stock is reserved; routing decides where it ships from."}</p>
        </Banner>
      );
  }
}

export default function OrderPage() {
  const { order, lines, decisions, fulfillmentOrders, events } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [cancelOpen, setCancelOpen] = useState(false);
  const submitting = (intent: OrderActionIntent) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;

  const [current, ...earlier] = decisions;
  const closed = order.status === "cancelled" || order.status === "refused";

  return (
    <Page
      title={order.name}
      titleMetadata={
        <InlineStack gap="200" blockAlign="center">
          <OrderStatusBadge status={order.status} queue={order.queue} />
          {order.b2b ? <Badge tone="info">B2B</Badge> : null}
        </InlineStack>
      }
      subtitle={`${order.channel.name} · placed ${formatTime(order.placedAt)}${order.externalOrderId === order.name ? "" : ` · external id ${order.externalOrderId}`}`}
      backAction={{ content: "Orders", url: "/app/orders" }}
      primaryAction={{
        content: "Re-route now",
        onAction: () => submit({ intent: "reroute" }, { method: "post" }),
        loading: submitting("reroute"),
        helpText: closed ? `A ${order.status} order cannot be routed.` : "Route again under the active profile, with today's stock and capacity.",
      }}
      secondaryActions={[{ content: "Cancel order", destructive: true, disabled: order.status === "cancelled", loading: submitting("cancel"), onAction: () => setCancelOpen(true) }]}
      fullWidth
    >
      <Layout>
        {/* Shown once the page has reloaded its data, so the message and the page agree. */}
        {result && navigation.state === "idle" ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.ok ? result.message : `Could not ${result.intent === "cancel" ? "cancel" : "re-route"} the order`}>
              {result.ok ? null : <p>{result.message}</p>}
            </Banner>
          </Layout.Section>
        ) : null}
        {order.status === "routed" ? null : (
          <Layout.Section>
            <StatusBanner order={order} />
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <OrderLines lines={lines} currencyCode={order.currencyCode} />
            <SectionCard title="Routing decision" subtitle={current ? decisionMeta(current) : undefined}>
              {current ? (
                <DecisionOutcome decision={current} />
              ) : (
                <Text as="p" tone="subdued">
                  {`Not routed yet${order.statusReason ? `: ${order.statusReason}` : "."}`}
                </Text>
              )}
            </SectionCard>
            {current ? (
              <SectionCard title="Decision trace" subtitle="How the rules of the profile were tried, which locations each could use, and how the plans compared.">
                <DecisionTrace trace={current.trace} />
              </SectionCard>
            ) : null}
            <EarlierDecisions decisions={earlier} />
            <ShopifyFulfillmentOrders fulfillmentOrders={fulfillmentOrders} />
            <OrderTimeline entries={events} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <OrderFacts order={order} />
        </Layout.Section>
      </Layout>
      <CancelOrderModal
        open={cancelOpen}
        orderName={order.name}
        onClose={() => setCancelOpen(false)}
        onConfirm={(reason) => {
          // The dialog closes at once; the outcome (or the error) is shown in a banner on the page.
          setCancelOpen(false);
          submit({ intent: "cancel", reason }, { method: "post" });
        }}
      />
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    const data: unknown = error.data;
    const message = data && typeof data === "object" && "message" in data && typeof data.message === "string" ? data.message : "Not found";
    return (
      <Page title="Order not found" backAction={{ content: "Orders", url: "/app/orders" }}>
        <Banner tone="critical" title={message}>
          <p>
            It may belong to another shop, or the link is wrong. <Link url="/app/orders">Search the orders</Link>.
          </p>
        </Banner>
      </Page>
    );
  }
  // Shopify needs Remix to catch some thrown responses (e.g. re-authentication), so that their headers are included.
  return boundary.error(error);
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
