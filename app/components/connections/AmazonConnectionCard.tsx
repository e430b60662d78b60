import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";

export interface AmazonAccountSummary {
  sellerId: string;
  region: string;
  status: string;
  marketplaces: string[];
  lastError: string | null;
  /** The seller's ORDER_CHANGE subscription: subscribed | pending | off | failed | unsubscribing | unsubscribe_failed. */
  notifications: string;
}

/** The shop's side of Amazon's ORDER_CHANGE notifications (ADR 015). */
export interface AmazonNotificationsSummary {
  /** This server's SQS consumer (the operator's, shared by all shops): off when no queue is configured. */
  consumer: { state: "off" } | { state: string; lastReceiveAt: string | null; consecutiveErrors: number };
  /** The last notification stored for this shop, and this shop's last 24 h by outcome. */
  lastReceivedAt: string | null;
  last24h: Record<string, number>;
}

const NOTIFICATION_LABEL: Record<string, string> = {
  subscribed: "notifications on",
  pending: "notifications being set up",
  off: "notifications off (polling)",
  failed: "notifications failed (polling meanwhile)",
  unsubscribing: "unsubscribing",
  unsubscribe_failed: "subscription not removed at Amazon",
};

function ago(from: string, now: string): string {
  const s = Math.max(0, Math.round((Date.parse(now) - Date.parse(from)) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

/** One line on how notifications reach this shop; null when nothing uses them. */
export function notificationsLine(n: AmazonNotificationsSummary, now: string): { text: string; failing: boolean } | null {
  const total = Object.values(n.last24h).reduce((a, b) => a + b, 0);
  const failed = (n.last24h.failed ?? 0) + (n.last24h.quarantined ?? 0);
  const received = n.lastReceivedAt ? `last one ${ago(n.lastReceivedAt, now)}; ${total} in 24 h${failed ? `, ${failed} not processed` : ""}` : "none received yet";
  const c = n.consumer;
  if (!("consecutiveErrors" in c)) return n.lastReceivedAt ? { text: `Order notifications: ${received}.`, failing: failed > 0 } : null;
  if (c.consecutiveErrors > 0) return { text: `Order notifications: the queue consumer is failing (${c.consecutiveErrors} errors in a row; the operator's logs say why). Orders still arrive by polling. ${received.charAt(0).toUpperCase()}${received.slice(1)}.`, failing: true };
  return { text: `Order notifications: receiving${c.lastReceiveAt ? ` (queue checked ${ago(c.lastReceiveAt, now)})` : ""}; ${received}.`, failing: failed > 0 };
}

/** Amazon on the connections page: each seller account's state, and the way to connect one. */
export function AmazonConnectionCard({ accounts, notifications, now }: { accounts: AmazonAccountSummary[]; notifications: AmazonNotificationsSummary; now: string }) {
  const live = accounts.filter((a) => a.status !== "disconnected");
  const failing = live.filter((a) => a.status === "error");
  const line = live.length ? notificationsLine(notifications, now) : null;
  return (
    <section aria-label="Amazon">
      <Card>
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Amazon
            </Text>
            {live.length === 0 ? <Badge>Not connected</Badge> : failing.length ? <Badge tone="critical">{`${failing.length} failing`}</Badge> : <Badge tone="success">Connected</Badge>}
          </InlineStack>
          {live.length === 0 ? (
            <Text as="p">No seller account connected: connect one to take Amazon orders in and publish quantities.</Text>
          ) : (
            live.map((a) => (
              <Text as="p" key={`${a.region}:${a.sellerId}`}>
                Seller {a.sellerId} ({a.region}): {a.marketplaces.join(", ")} — {NOTIFICATION_LABEL[a.notifications] ?? a.notifications}
                {a.lastError ? ` — ${a.lastError}` : ""}
              </Text>
            ))
          )}
          {line ? (
            <Text as="p" tone={line.failing ? "critical" : "subdued"}>
              {line.text}
            </Text>
          ) : null}
          <InlineStack>
            <Button url="/app/amazon">{live.length ? "Manage Amazon accounts" : "Connect Amazon"}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </section>
  );
}
