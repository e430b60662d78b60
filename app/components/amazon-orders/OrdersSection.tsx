import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";

export interface AmazonOrdersOverviewData {
  sync: { watermark: string | null; lastRunAt: string | null; lastError: string | null; midWindow: boolean } | null;
  quarantined: { amazonOrderId: string; error: string | null; receivedAt: string }[];
  shipmentCounts: Record<string, number>;
  shipments: { amazonOrderId: string; packageReferenceId: string; carrier: string; trackingNumber: string; status: string; attempts: number; lastError: string | null; confirmedAt: string | null }[];
}

const when = (iso: string | null) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");
const TONE: Record<string, "success" | "critical" | "info" | undefined> = { confirmed: "success", failed: "critical", pending: "info" };

/** Orders in (the poll's watermark, orders kept back and why) and shipments out, for one seller account. */
export function AmazonOrdersSection({ overview, sellerId }: { overview: AmazonOrdersOverviewData; sellerId: string }) {
  const s = overview.sync;
  return (
    <section aria-label={`Amazon orders of seller ${sellerId}`}>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Orders and shipments
            </Text>
            {s?.lastError ? <Badge tone="critical">Last poll failed</Badge> : s ? <Badge tone="success">Polling</Badge> : <Badge>Not polled yet</Badge>}
          </InlineStack>
          <Text as="p">
            {s
              ? `Orders updated up to ${when(s.watermark)} are in the hub${s.midWindow ? " (a window is being read page by page)" : ""}; last poll ${when(s.lastRunAt)}.`
              : "The first poll reads the last 24 hours; new orders also arrive at once through Amazon's ORDER_CHANGE notifications."}
          </Text>
          {s?.lastError ? (
            <Text as="p" tone="critical">
              {s.lastError}
            </Text>
          ) : null}
          {overview.quarantined.length ? (
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                Orders kept back ({overview.quarantined.length}) — retried on every poll
              </Text>
              {overview.quarantined.map((q) => (
                <Text as="p" key={q.amazonOrderId} tone="critical">
                  {q.amazonOrderId}: {q.error}
                </Text>
              ))}
            </BlockStack>
          ) : null}
          <Text as="h3" variant="headingSm">
            Shipments confirmed to Amazon: {overview.shipmentCounts.confirmed ?? 0} confirmed, {overview.shipmentCounts.pending ?? 0} pending, {overview.shipmentCounts.failed ?? 0} failed
          </Text>
          {overview.shipments.length ? (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text", "text"]}
              headings={["Amazon order", "Package", "Carrier", "Tracking", "Status", "Confirmed"]}
              rows={overview.shipments.map((x) => [
                x.amazonOrderId,
                x.packageReferenceId,
                x.carrier,
                x.trackingNumber,
                <Badge key="s" tone={TONE[x.status]}>
                  {x.lastError && x.status !== "confirmed" ? `${x.status}: ${x.lastError}` : x.status}
                </Badge>,
                when(x.confirmedAt),
              ])}
            />
          ) : (
            <Text as="p" tone="subdued">
              No shipment yet: when an Amazon order is fulfilled in Shopify, the hub confirms it to Amazon with its tracking number.
            </Text>
          )}
        </BlockStack>
      </Card>
    </section>
  );
}
