import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { getPlatformHealth } from "#app/modules/operations/index";
import { findShop } from "#app/modules/shops/index";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const [profile, health] = await Promise.all([findShop(runtime.db, shop), getPlatformHealth(runtime.db, shop, runtime.now())]);
  return json({
    shop: {
      domain: shop,
      name: profile?.name ?? shop,
      installState: profile?.installState ?? "unknown",
      currencyCode: profile?.currencyCode ?? null,
      ianaTimezone: profile?.ianaTimezone ?? null,
    },
    health,
    database: runtime.provider,
  });
};

function Stat({ label, value, tone }: { label: string; value: number | string; tone?: "critical" | "success" }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg" tone={tone === "critical" && value !== 0 ? "critical" : undefined}>
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { shop, health, database } = useLoaderData<typeof loader>();
  return (
    <Page title={shop.name} subtitle={shop.domain} titleMetadata={<Badge tone={shop.installState === "installed" ? "success" : "attention"}>{shop.installState}</Badge>}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              Background work
            </Text>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
              <Stat label="Jobs queued" value={health.jobs.queued} />
              <Stat label="Jobs running" value={health.jobs.running} />
              <Stat label="Jobs failed" value={health.jobs.failed} tone="critical" />
              <Stat label="Outbox backlog" value={health.outboxBacklog} />
            </InlineGrid>
            <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
              <Stat label="Events received (24 h)" value={health.inbound.last24h} />
              <Stat label="Events failed" value={health.inbound.failed} tone="critical" />
              <Stat label="Events quarantined" value={health.inbound.quarantined} tone="critical" />
            </InlineGrid>
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Recent failed jobs
                </Text>
                {health.failedJobs.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No failed jobs. Retry one from the command line with <code>oms jobs retry &lt;id&gt;</code>.
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "numeric", "text"]}
                    headings={["Job", "Error", "Attempts", "Failed at"]}
                    rows={health.failedJobs.map((j) => [j.name, j.lastError ?? "", j.attempts, j.finishedAt ?? ""])}
                  />
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Shop
              </Text>
              <Text as="p">Currency: {shop.currencyCode ?? "—"}</Text>
              <Text as="p">Time zone: {shop.ianaTimezone ?? "—"}</Text>
              <Text as="p">Database: {database === "sqlite" ? "SQLite (embedded)" : "PostgreSQL"}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
