import { Badge, BlockStack, DataTable, Text } from "@shopify/polaris";
import { formatTime } from "./format";
import { SectionCard } from "./SectionCard";

/** Shopify's fulfillment orders for the order, as its webhooks and the fulfillment sync reported them. */
export interface FulfillmentOrderView {
  fulfillmentOrderId: string;
  status: string;
  location: string | null;
  holds: string[];
  updatedAt: string | null;
}

export interface TimelineEntryView {
  id: string;
  kind: string;
  source: string;
  occurredAt: string;
  summary: string;
}

const gidTail = (gid: string) => gid.split("/").pop() ?? gid;

export function ShopifyFulfillmentOrders({ fulfillmentOrders }: { fulfillmentOrders: FulfillmentOrderView[] }) {
  return (
    <SectionCard title="Shopify fulfillment orders" subtitle="Where Shopify has the order's lines assigned; the hub moves them to the routed locations.">
      {fulfillmentOrders.length === 0 ? (
        <Text as="p" tone="subdued">
          None known yet. Shopify creates them after the order (fulfillment_orders/order_routing_complete), and orders from other channels get theirs once the hub has created the order in Shopify.
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", "text", "text"]}
          headings={["Fulfillment order", "Status", "Assigned location", "Holds", "Updated"]}
          rows={fulfillmentOrders.map((f) => [
            `#${gidTail(f.fulfillmentOrderId)}`,
            <Badge key="s" tone={f.status === "closed" ? "success" : f.status === "on_hold" ? "warning" : undefined}>
              {f.status.replace(/_/g, " ")}
            </Badge>,
            f.location ?? "—",
            f.holds.length ? f.holds.join("; ") : "—",
            f.updatedAt ? formatTime(f.updatedAt) : "—",
          ])}
        />
      )}
    </SectionCard>
  );
}

export function OrderTimeline({ entries }: { entries: TimelineEntryView[] }) {
  return (
    <SectionCard title="Timeline" subtitle="Everything the channels told the hub about this order, and what the hub did in them, oldest first.">
      {entries.length === 0 ? (
        <Text as="p" tone="subdued">
          No channel events recorded for this order.
        </Text>
      ) : (
        <BlockStack gap="200" as="ol">
          {entries.map((e) => (
            <li key={e.id} style={{ listStyle: "none" }}>
              <Text as="p" variant="bodySm">
                <Text as="span" fontWeight="semibold">
                  {formatTime(e.occurredAt)} · {e.kind.replace(/[._]/g, " ")}
                </Text>{" "}
                <Text as="span" tone="subdued">
                  ({e.source})
                </Text>
                {e.summary ? ` — ${e.summary}` : ""}
              </Text>
            </li>
          ))}
        </BlockStack>
      )}
    </SectionCard>
  );
}
