import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";

export interface AmazonAccountSummary {
  sellerId: string;
  region: string;
  status: string;
  marketplaces: string[];
  lastError: string | null;
}

/** Amazon on the connections page: each seller account's state, and the way to connect one. */
export function AmazonConnectionCard({ accounts }: { accounts: AmazonAccountSummary[] }) {
  const live = accounts.filter((a) => a.status !== "disconnected");
  const failing = live.filter((a) => a.status === "error");
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
                Seller {a.sellerId} ({a.region}): {a.marketplaces.join(", ")}
                {a.lastError ? ` — ${a.lastError}` : ""}
              </Text>
            ))
          )}
          <InlineStack>
            <Button url="/app/amazon">{live.length ? "Manage Amazon accounts" : "Connect Amazon"}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </section>
  );
}
