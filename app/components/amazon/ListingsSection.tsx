import { Badge, Banner, BlockStack, Card, DataTable, InlineStack, List, Text } from "@shopify/polaris";

/**
 * The listings part of the Amazon page for one seller account: how many seller SKUs are accepted,
 * pending, being sent, rejected or not listed; the latest JSON_LISTINGS_FEEDs with what Amazon's
 * processing report said; and every rejected SKU with Amazon's issues (what to fix in Seller
 * Central).  Data: amazonListingsOverview(db, shop, accountId) from app/modules/amazon, serialised
 * by the loader (the shape below mirrors AmazonListingsOverview so this file imports no server code).
 */
export interface ListingsOverviewData {
  total: number;
  counts: { pending: number; sending: number; accepted: number; rejected: number; unlisted: number };
  feeds: { id: string; amazonFeedId: string | null; marketplaceId: string; status: string; messageCount: number; accepted: number | null; invalid: number | null; error: string | null; createdAt: string; finishedAt: string | null }[];
  rejected: { sellerSku: string; marketplaceId: string; desired: number; sent: number | null; accepted: number | null; issues: { code: string | null; message: string; severity: string; attributeName?: string | null }[]; changedAt: string }[];
  moreRejected: number;
}

type Tone = "success" | "attention" | "critical" | "info" | undefined;

const FEED_TONE: Record<string, Tone> = { DONE: "success", FATAL: "critical", CANCELLED: "critical", failed: "critical", IN_QUEUE: "info", IN_PROGRESS: "info", submitted: "info", building: "info" };

const when = (iso: string | null) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");

export function ListingsSection({ overview, sellerId }: { overview: ListingsOverviewData; sellerId?: string }) {
  const { counts } = overview;
  const failedFeeds = overview.feeds.filter((f) => f.status === "FATAL" || f.status === "CANCELLED" || f.status === "failed");
  return (
    <section aria-label={`Amazon listings${sellerId ? ` of seller ${sellerId}` : ""}`}>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Quantities on Amazon
            </Text>
            <Text as="span" tone="subdued">
              {`${overview.total} seller SKU${overview.total === 1 ? "" : "s"}`}
            </Text>
          </InlineStack>
          <InlineStack gap="200" wrap>
            <Badge tone="success">{`${counts.accepted} accepted`}</Badge>
            <Badge tone={counts.pending ? "attention" : undefined}>{`${counts.pending} pending`}</Badge>
            <Badge tone={counts.sending ? "info" : undefined}>{`${counts.sending} in a feed`}</Badge>
            <Badge tone={counts.rejected ? "critical" : undefined}>{`${counts.rejected} rejected`}</Badge>
            <Badge tone={counts.unlisted ? "warning" : undefined}>{`${counts.unlisted} not listed`}</Badge>
          </InlineStack>
          {counts.unlisted > 0 && (
            <Text as="p" tone="subdued">
              SKUs not listed have no seller SKU on this Amazon channel (a channel listing): their quantity is kept but not sent.
            </Text>
          )}
          {failedFeeds.length > 0 && (
            <Banner tone="critical" title={`${failedFeeds.length} feed${failedFeeds.length === 1 ? "" : "s"} failed`}>
              <List>
                {failedFeeds.map((f) => (
                  <List.Item key={f.id}>{`${f.amazonFeedId ?? "not submitted"} (${f.messageCount} SKUs): ${f.error ?? f.status}. The SKUs are pending and go out in a later push.`}</List.Item>
                ))}
              </List>
            </Banner>
          )}
          <Text as="h3" variant="headingSm">
            Recent feeds
          </Text>
          {overview.feeds.length === 0 ? (
            <Text as="p" tone="subdued">
              No feed yet: small changes go out one SKU at a time (patchListingsItem); larger ones as a JSON_LISTINGS_FEED.
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "text"]}
              headings={["Feed", "Marketplace", "Status", "SKUs", "Accepted", "Invalid", "Finished"]}
              rows={overview.feeds.map((f) => [
                f.amazonFeedId ?? "—",
                f.marketplaceId,
                <Badge key={f.id} tone={FEED_TONE[f.status]}>
                  {f.status}
                </Badge>,
                f.messageCount,
                f.accepted ?? "—",
                f.invalid ?? "—",
                when(f.finishedAt),
              ])}
            />
          )}
          <Text as="h3" variant="headingSm">
            Rejected by Amazon
          </Text>
          {overview.rejected.length === 0 ? (
            <Text as="p" tone="subdued">
              Nothing rejected.
            </Text>
          ) : (
            <BlockStack gap="200">
              {overview.rejected.map((r) => (
                <BlockStack gap="100" key={`${r.marketplaceId}:${r.sellerSku}`}>
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" fontWeight="semibold">
                      {r.sellerSku}
                    </Text>
                    <Text as="span" tone="subdued">{`${r.marketplaceId} · wanted ${r.desired}${r.accepted !== null ? ` · Amazon has ${r.accepted}` : ""} · ${when(r.changedAt)}`}</Text>
                  </InlineStack>
                  <List>
                    {r.issues.map((i, n) => (
                      <List.Item key={n}>{`${i.severity}${i.code ? ` ${i.code}` : ""}: ${i.message}${i.attributeName ? ` (${i.attributeName})` : ""}`}</List.Item>
                    ))}
                  </List>
                </BlockStack>
              ))}
              {overview.moreRejected > 0 && <Text as="p" tone="subdued">{`…and ${overview.moreRejected} more.`}</Text>}
            </BlockStack>
          )}
        </BlockStack>
      </Card>
    </section>
  );
}
