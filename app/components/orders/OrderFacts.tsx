import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { formatTime, geocodeNote, money, speedLabel } from "./format";
import { SectionCard } from "./SectionCard";
import type { OrderView } from "./types";

/** What routing looked at: channel, speed, B2B, destination (and how it was located), pickup store, value. */
export function OrderFacts({ order }: { order: OrderView }) {
  const d = order.destination;
  const note = geocodeNote(d.geocode);
  const items: { term: string; description: ReactNode }[] = [
    { term: "Channel", description: `${order.channel.name} (${order.channel.code})` },
    { term: "External id", description: order.externalOrderId },
    { term: "Placed", description: formatTime(order.placedAt) },
    { term: "Routed", description: order.routedAt ? formatTime(order.routedAt) : "not yet" },
    { term: "Speed", description: speedLabel(order.speed) },
    {
      term: "B2B",
      description: order.b2b ? (
        <InlineStack gap="100" blockAlign="center">
          <Badge tone="info">B2B</Badge>
          {order.companyId ? <Text as="span">{`company ${order.companyId}`}</Text> : null}
        </InlineStack>
      ) : (
        "No"
      ),
    },
    ...(order.pickupLocation ? [{ term: "Pickup store", description: order.pickupLocation }] : []),
    {
      term: "Destination",
      description: (
        <BlockStack gap="100">
          <Text as="span">{d.label || d.countryCode}</Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {`${d.lat.toFixed(4)}, ${d.lng.toFixed(4)}`}
          </Text>
          {note ? (
            <InlineStack gap="100" blockAlign="start" wrap={false}>
              <span style={{ flexShrink: 0 }}>
                <Badge tone="attention">{d.geocode === "redacted" ? "redacted" : `${d.geocode} centroid`}</Badge>
              </span>
              <Text as="span" variant="bodySm" tone="subdued">
                {note}
              </Text>
            </InlineStack>
          ) : null}
        </BlockStack>
      ),
    },
    { term: "Value", description: money(order.valueCents, order.currencyCode) },
    ...(order.customerTags.length ? [{ term: "Customer tags", description: order.customerTags.join(", ") }] : []),
  ];
  return (
    <SectionCard title="Order details">
      <dl style={{ margin: 0 }}>
        <BlockStack gap="300">
          {items.map((item) => (
            <div key={item.term}>
              <dt>
                <Text as="span" variant="bodySm" tone="subdued">
                  {item.term}
                </Text>
              </dt>
              <dd style={{ margin: 0 }}>{typeof item.description === "string" ? <Text as="span">{item.description}</Text> : item.description}</dd>
            </div>
          ))}
        </BlockStack>
      </dl>
    </SectionCard>
  );
}
