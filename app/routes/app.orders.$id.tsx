import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, InlineStack, Layout, Link, List, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { z } from "zod";
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
import type { OrderActionIntent, OrderView } from "#app/components/orders/types";
import { OrderTimeline, ShopifyFulfillmentOrders, type FulfillmentOrderView, type TimelineEntryView } from "#app/components/orders/ShopifySections";
import {
  cancelOrder,
  findOrder,
  FULFILLMENT_HOLD_REASONS,
  fulfillmentOrdersOf,
  getOrderDetail,
  isOwnHold,
  orderTimeline,
  parseHolds,
  requestHoldRelease,
  requestOrderHold,
  requestPickupReady,
  routeExistingOrder,
  type OrderDetail,
} from "#app/modules/orders/index";
import { humanize } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";
import { HTTP_STATUS, domainErrorFromZod, errorResponse } from "#app/platform/http.server";
import { notFoundBoundary } from "#app/components/NotFoundBoundary";

/**
 * One order: its facts, lines and reservations, the current routing decision with its full trace,
 * the decisions it replaced, Shopify's fulfillment orders for it and the timeline of channel events.
 * Re-route and cancel from here.
 */

/** Who acts: the admin session carries no staff member yet (AdminContext has only the shop). */
const ACTOR = "admin";

/** The page's actions: routing's, and the Shopify fulfillment-order ones (run as jobs; the timeline shows the outcome). */
type Intent = OrderActionIntent | "hold" | "release_hold" | "pickup_ready";
type ActionResult = { ok: true; intent: Intent; message: string } | { ok: false; intent: Intent | null; field: string | null; message: string };

const actionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reroute") }),
  z.object({ intent: z.literal("cancel"), reason: z.string().trim().min(1, "give a reason for cancelling").max(500, "at most 500 characters") }),
  // reason and note are checked by the orders module (holdRequestSchema), which names the field.
  z.object({ intent: z.literal("hold"), reason: z.string(), note: z.string().optional() }),
  z.object({ intent: z.literal("release_hold") }),
  z.object({ intent: z.literal("pickup_ready") }),
]);

const VERB: Record<Intent, string> = { reroute: "re-route", cancel: "cancel", hold: "hold", release_hold: "release the hold on", pickup_ready: "mark ready for pickup" };

const HOLD_REASON_LABELS: Record<(typeof FULFILLMENT_HOLD_REASONS)[number], string> = {
  AWAITING_PAYMENT: "Awaiting payment",
  HIGH_RISK_OF_FRAUD: "High risk of fraud",
  INCORRECT_ADDRESS: "Incorrect address",
  INVENTORY_OUT_OF_STOCK: "Inventory out of stock",
  UNKNOWN_DELIVERY_DATE: "Unknown delivery date",
  OTHER: "Other",
};

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
    holds: parseHolds(f.holds).map((h) => `${h.reason.toLowerCase().replaceAll("_", " ")}${h.heldByThisApp ? " (this app)" : ""}${h.reasonNotes ? `: ${h.reasonNotes}` : ""}`),
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
  const heldByThisApp = fos.some((f) => parseHolds(f.holds).some(isOwnHold));
  // Locations the current decision left out for their own settings (no coordinates, a time zone
  // routing cannot read…): what the merchant fixes on the location before re-routing.
  const leftOut = new Map<string, { location: string; reason: string }>();
  for (const c of detail.decisions[0]?.trace.candidates ?? []) {
    if (c.misconfigured && !leftOut.has(c.locationId)) leftOut.set(c.locationId, { location: detail.locationNames[c.locationId] ?? c.locationId, reason: humanize(c.reason, detail.locationNames) });
  }
  // The reasons travel as data: the orders module's index is server-only (a client import of it breaks the build).
  const holdReasons = FULFILLMENT_HOLD_REASONS.map((r) => ({ value: r, label: HOLD_REASON_LABELS[r] }));
  return json({ ...toOrderPageData(detail), fulfillmentOrders, events, heldByThisApp, holdReasons, leftOut: [...leftOut.values()] });
};

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const raw = Object.fromEntries(await request.formData());
  const known = ["reroute", "cancel", "hold", "release_hold", "pickup_ready"];
  const claimed: Intent | null = known.includes(String(raw.intent)) ? (String(raw.intent) as Intent) : null;
  const deps = { db: runtime.db, now: runtime.now, logger: runtime.logger };
  try {
    if (!claimed) throw DomainError.invalid("intent", `unknown action "${String(raw.intent ?? "")}"`);
    const parsed = actionForm.safeParse(raw);
    if (!parsed.success) throw domainErrorFromZod(parsed.error);
    const form = parsed.data;
    const order = await findOrder(runtime.db, shop, params.id ?? "");
    const ok = (message: string) => json<ActionResult>({ ok: true, intent: form.intent, message });
    switch (form.intent) {
      case "reroute": {
        const r = await routeExistingOrder(deps, shop, order.id, { trigger: "manual", actor: ACTOR });
        const d = r.decision;
        // Every re-route records a decision; an unroutable one's reason is in the banner below.
        return ok(
          d
            ? `Re-routed ${order.name}: decision #${d.sequence}, ${statusLabel(d.status, d.queue).toLowerCase()}${d.ruleId ? ` by rule ${d.ruleId}` : ""}${d.status === "unroutable" ? " — see why below" : ""}.`
            : `Re-routed ${order.name}.`,
        );
      }
      case "cancel": {
        const r = await cancelOrder(deps, shop, order.id, { reason: form.reason, actor: ACTOR });
        return ok(r.cancelled ? `Cancelled ${order.name}; its reserved stock was released.` : `${order.name} was already cancelled.`);
      }
      case "hold":
        await requestOrderHold(deps, shop, order.id, { reason: form.reason as (typeof FULFILLMENT_HOLD_REASONS)[number], note: form.note, actor: ACTOR });
        return ok(`Hold requested for ${order.name}: its open fulfillment orders are put on hold in Shopify. The timeline shows when Shopify confirms.`);
      case "release_hold":
        await requestHoldRelease(deps, shop, order.id, { actor: ACTOR });
        return ok(`Release requested for ${order.name}: only the holds this app placed are released. The timeline shows when Shopify confirms.`);
      case "pickup_ready": {
        const r = await requestPickupReady(deps, shop, order.id, { actor: ACTOR });
        return ok(`${order.name} is being marked ready for pickup at ${r.storeName}; Shopify notifies the customer.`);
      }
    }
  } catch (error) {
    if (error instanceof DomainError) {
      const field = typeof error.details.field === "string" ? error.details.field : null;
      return json<ActionResult>({ ok: false, intent: claimed, field, message: error.message }, { status: HTTP_STATUS[error.kind] });
    }
    throw errorResponse(error, runtime.logger);
  }
};

/** Asks for the hold's reason (Shopify's list) and an optional note before holding the order in Shopify. */
function HoldOrderModal({
  open,
  orderName,
  reasons,
  onConfirm,
  onClose,
}: {
  open: boolean;
  orderName: string;
  reasons: { value: string; label: string }[];
  onConfirm: (reason: string, note: string) => void;
  onClose: () => void;
}) {
  const [reason, setReason] = useState<string>("OTHER");
  const [note, setNote] = useState("");
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Hold ${orderName} in Shopify?`}
      primaryAction={{
        content: "Hold order",
        onAction: () => {
          onConfirm(reason, note.trim());
          setNote("");
        },
      }}
      secondaryActions={[{ content: "Keep going", onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">Every open fulfillment order of this order is put on hold in Shopify, so nobody ships it until the hold is released. Holds placed by other apps or staff are not touched.</Text>
          <Select label="Reason" options={reasons} value={reason} onChange={setReason} />
          <TextField label="Note (optional)" value={note} onChange={setNote} autoComplete="off" maxLength={255} showCharacterCount placeholder="e.g. customer asked to check the street number" />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

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
      return (
        <Banner tone="critical" title="Unroutable: routing could not place this order">
          <BlockStack gap="200">
            <p>{reason ?? "No reason was recorded."}</p>
            <p>Fix what the reason names, then choose Re-route now. Until then the order keeps its reserved stock where it is: nothing is released, and no other order can take it.</p>
          </BlockStack>
        </Banner>
      );
    case "refused":
      return (
        <Banner tone="critical" title="Refused: no stock could be reserved">
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

/** Locations the current decision could not consider for their own settings, with what to fix. */
function LeftOutBanner({ leftOut }: { leftOut: { location: string; reason: string }[] }) {
  if (leftOut.length === 0) return null;
  return (
    <Banner tone="warning" title={leftOut.length === 1 ? `${leftOut[0]!.location} was left out of routing` : `${leftOut.length} locations were left out of routing`}>
      <BlockStack gap="200">
        <List type="bullet">
          {leftOut.map((l) => (
            <List.Item key={l.location}>{`${l.location}: ${l.reason}`}</List.Item>
          ))}
        </List>
        <p>Routing went on without them. Fix their settings, then choose Re-route now if this order should consider them.</p>
      </BlockStack>
    </Banner>
  );
}

export default function OrderPage() {
  const { order, lines, decisions, fulfillmentOrders, events, heldByThisApp, holdReasons, leftOut } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [cancelOpen, setCancelOpen] = useState(false);
  const [holdOpen, setHoldOpen] = useState(false);
  const submitting = (intent: Intent) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const openFulfillment = fulfillmentOrders.some((f) => ["open", "scheduled", "on_hold", "in_progress"].includes(f.status));

  const [current, ...earlier] = decisions;
  // Statuses routing refuses (routeExistingOrder): nothing is reserved for them any more, or never was.
  const closed = ["cancelled", "refused", "fulfilled_by_channel", "fulfilled", "closed"].includes(order.status);

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
        helpText: closed ? `This order is ${statusLabel(order.status).toLowerCase()}: there is nothing to route.` : "Route again under the active profile, with today's stock and capacity.",
      }}
      // Cancel first: Polaris rolls the last actions up into "More actions" when the bar is narrow.
      secondaryActions={[
        { content: "Cancel order", destructive: true, disabled: order.status === "cancelled", loading: submitting("cancel"), onAction: () => setCancelOpen(true) },
        {
          content: "Hold",
          disabled: !openFulfillment || heldByThisApp,
          loading: submitting("hold"),
          helpText: heldByThisApp ? "Already on hold by this app: release it first." : openFulfillment ? "Put its open fulfillment orders on hold in Shopify." : "No open Shopify fulfillment order to hold.",
          onAction: () => setHoldOpen(true),
        },
        {
          content: "Release hold",
          disabled: !heldByThisApp,
          loading: submitting("release_hold"),
          helpText: heldByThisApp ? "Release the holds this app placed (others' stay)." : "No hold placed by this app.",
          onAction: () => submit({ intent: "release_hold" }, { method: "post" }),
        },
        ...(order.speed === "pickup"
          ? [{ content: "Mark ready for pickup", loading: submitting("pickup_ready"), helpText: "Shopify tells the customer the order is ready at the store.", onAction: () => submit({ intent: "pickup_ready" }, { method: "post" }) }]
          : []),
      ]}
      fullWidth
    >
      <Layout>
        {/* Shown once the page has reloaded its data, so the message and the page agree. */}
        {result && navigation.state === "idle" ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.ok ? result.message : `Could not ${VERB[result.intent ?? "reroute"]} the order`}>
              {result.ok ? null : <p>{result.message}</p>}
            </Banner>
          </Layout.Section>
        ) : null}
        {order.status === "routed" ? null : (
          <Layout.Section>
            <StatusBanner order={order} />
          </Layout.Section>
        )}
        {leftOut.length ? (
          <Layout.Section>
            <LeftOutBanner leftOut={leftOut} />
          </Layout.Section>
        ) : null}
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
            {/* A decision no rule made (no active profile, a line holding no stock…) has no trace to show. */}
            {current && (current.trace.rules.length > 0 || current.trace.candidates.length > 0) ? (
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
      {/* Mounted only while open: closing removes it at once instead of waiting for Polaris's exit
          transition, which was seen to leave the dialog up after a successful cancel in loaded CI runs. */}
      {cancelOpen ? (
        <CancelOrderModal
          open
          orderName={order.name}
          onClose={() => setCancelOpen(false)}
          onConfirm={(reason) => {
            // The dialog closes at once; the outcome (or the error) is shown in a banner on the page.
            setCancelOpen(false);
            submit({ intent: "cancel", reason }, { method: "post" });
          }}
        />
      ) : null}
      <HoldOrderModal
        open={holdOpen}
        orderName={order.name}
        reasons={holdReasons}
        onClose={() => setHoldOpen(false)}
        onConfirm={(reason, note) => {
          setHoldOpen(false);
          submit({ intent: "hold", reason, note }, { method: "post" });
        }}
      />
    </Page>
  );
}

export const ErrorBoundary = notFoundBoundary({
  title: "Order not found",
  back: { content: "Orders", url: "/app/orders" },
  hint: (
    <>
      It may belong to another shop, or the link is wrong. <Link url="/app/orders">Search the orders</Link>.
    </>
  ),
});

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
