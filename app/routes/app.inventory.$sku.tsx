import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ComponentProps, ReactNode } from "react";
import { getSkuDetail, type SkuDetail } from "#app/modules/inventory/index";
import { DomainError } from "#app/platform/errors";
import { errorResponse } from "#app/platform/http.server";
import { notFoundBoundary } from "#app/components/NotFoundBoundary";

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const sku = params.sku ?? "";
  let detail: SkuDetail;
  try {
    detail = await getSkuDetail(runtime.db, shop, sku, { ledgerLimit: 50 });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "NOT_FOUND") throw json({ message: error.message }, { status: 404 });
    throw errorResponse(error, runtime.logger);
  }
  const channelNames = new Map(detail.ats.map((a) => [a.channelId, a.channelName]));
  const listings = new Map(detail.listings.map((l) => [l.channelId, { externalSku: l.externalSku, externalId: l.externalId, status: l.status }]));
  return json({
    sku: detail.sku,
    title: detail.title,
    tags: detail.tags,
    isKit: detail.isKit,
    kitComponents: detail.kitComponents,
    levels: detail.levels.map((l) => ({
      locationId: l.locationId,
      locationName: l.locationName,
      readOnly: l.readOnly,
      onHand: l.onHand,
      available: l.available,
      committed: l.committed,
      reserved: l.reserved,
      safetyStock: l.safetyStock,
      damaged: l.damaged,
      incoming: l.incoming,
      held: l.held,
    })),
    totals: detail.totals,
    ats: detail.ats.map((a) => ({
      channelId: a.channelId,
      channelName: a.channelName,
      channelCode: a.channelCode,
      active: a.active,
      listing: listings.get(a.channelId) ?? null,
      ats: a.ats,
      publish: a.publish,
      steps: a.explanation.steps,
      locations: a.explanation.locations,
    })),
    reservations: detail.reservations.map((r) => ({
      id: r.id,
      channel: channelNames.get(r.channelId) ?? r.channelId,
      order: r.externalOrderId,
      quantity: r.quantity,
      status: r.status,
      expiresAt: r.expiresAt ? r.expiresAt.toISOString() : null,
    })),
    ledger: detail.ledger.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      locationName: e.locationName,
      quantityName: e.quantityName,
      delta: e.delta,
      resulting: e.resulting,
      source: e.source,
      reason: e.reason,
      reference: e.reference,
      actor: e.actor,
    })),
  });
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.sku} · Inventory` : "SKU not found" }];

/** Same text on the server and in the browser (no time-zone dependent formatting: no hydration mismatch). */
function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A card that is also a labelled landmark (screen readers, tests). */
function SectionCard({ title, padding, children }: { title: string; padding?: ComponentProps<typeof Card>["padding"]; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Card padding={padding}>{children}</Card>
    </section>
  );
}

/** Sellable units, flagged when out (≤ 0) or low (≤ 5). */
function Sellable({ value }: { value: number }) {
  if (value <= 0) return <Badge tone="critical">{String(value)}</Badge>;
  if (value <= 5) return <Badge tone="warning">{String(value)}</Badge>;
  return <>{value}</>;
}

function StockByLocation({ levels, totals }: { levels: ReturnType<typeof useLoaderData<typeof loader>>["levels"]; totals: ReturnType<typeof useLoaderData<typeof loader>>["totals"] }) {
  return (
    <SectionCard title="Stock by location" padding="0">
      <Box padding="400" paddingBlockEnd="200">
        <Text as="h2" variant="headingMd">
          Stock by location
        </Text>
      </Box>
      {levels.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p" tone="subdued">
            This SKU is not stocked at any location.
          </Text>
        </Box>
      ) : (
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Location", "On hand", "Available", "Committed", "Reserved", "Safety stock", "Damaged", "Incoming", "Held", "Sellable"]}
          rows={levels.map((l) => [
            <InlineStack key="loc" gap="200" blockAlign="center" wrap={false}>
              <Text as="span">{l.locationName}</Text>
              {l.readOnly ? <Badge tone="info">Read-only</Badge> : null}
            </InlineStack>,
            l.onHand,
            l.available,
            l.committed,
            l.reserved,
            l.safetyStock,
            l.damaged,
            l.incoming,
            l.held,
            <Sellable key="sellable" value={l.available - l.held} />,
          ])}
          // The hub's own locations only: read-only marketplace locations each mirror one marketplace's
          // report, pooled FBA stock appears in several, and none of it is sellable here (ownStockTotals).
          totals={["", totals.onHand, totals.available, totals.committed, totals.reserved, totals.safetyStock, totals.damaged, totals.incoming, totals.held, totals.sellable]}
          showTotalsInFooter
          totalsName={totals.readOnlyLeftOut > 0 ? { singular: "Total (without read-only)", plural: "Total (without read-only)" } : { singular: "Total", plural: "Total" }}
        />
      )}
      <Box padding="400" paddingBlockStart="200">
        <Text as="p" variant="bodySm" tone="subdued">
          Sellable = available − held. Read-only stock is managed by its marketplace and is never sold by other channels; it is not added into the total, because each read-only location shows one marketplace's report and marketplaces that pool stock (Amazon FBA across North America or Europe) report the same units.
        </Text>
      </Box>
    </SectionCard>
  );
}

function KitComponents({ components }: { components: { sku: string; quantity: number }[] }) {
  return (
    <SectionCard title="Kit components">
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Kit components
        </Text>
        <Text as="p" tone="subdued">
          A kit has no stock of its own: it is built from its components, so it is available where all of them are.
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={["Component SKU", "Units per kit"]}
          rows={components.map((c) => [
            <Link key="sku" url={`/app/inventory/${encodeURIComponent(c.sku)}`}>
              {c.sku}
            </Link>,
            c.quantity,
          ])}
        />
      </BlockStack>
    </SectionCard>
  );
}

type AtsRow = ReturnType<typeof useLoaderData<typeof loader>>["ats"][number];

function ChannelAts({ a, isKit }: { a: AtsRow; isKit: boolean }) {
  return (
    <section aria-label={`ATS for ${a.channelName}`}>
      <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200" minHeight="100%">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="start" gap="200">
            <BlockStack gap="050">
              <Text as="h3" variant="headingSm">
                {a.channelName}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {a.listing ? [`Listed as ${a.listing.externalSku}`, a.listing.externalId, a.listing.status === "active" ? null : a.listing.status].filter(Boolean).join(" · ") : a.channelCode}
              </Text>
            </BlockStack>
            {a.active ? null : <Badge>Inactive</Badge>}
          </InlineStack>
          <InlineStack gap="400" blockAlign="end">
            <BlockStack gap="0">
              <Text as="p" variant="heading2xl" tone={a.ats > 0 ? undefined : "critical"}>
                {String(a.ats)}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                available to sell{isKit ? " (kits)" : ""}
              </Text>
            </BlockStack>
            <Box paddingBlockEnd="100">
              {a.publish.action === "delist" ? (
                <Badge tone="critical">To publish: delist</Badge>
              ) : (
                <Badge tone={a.publish.quantity === a.ats ? undefined : "attention"}>{`To publish: ${a.publish.quantity}`}</Badge>
              )}
            </Box>
          </InlineStack>
          <BlockStack gap="100">
            <Text as="h4" variant="headingXs">
              How it is worked out
            </Text>
            <List type="number" gap="extraTight">
              {a.steps.map((s, i) => (
                <List.Item key={i}>{s}</List.Item>
              ))}
            </List>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h4" variant="headingXs">
              Locations
            </Text>
            {a.locations.length === 0 ? (
              <Text as="p" tone="subdued">
                Not stocked anywhere.
              </Text>
            ) : (
              <BlockStack gap="100">
                {[...a.locations.filter((l) => l.counted), ...a.locations.filter((l) => !l.counted)].map((l) => (
                  <InlineStack key={l.locationId} gap="200" blockAlign="center" wrap={false}>
                    <span style={{ flexShrink: 0 }}>{l.counted ? <Badge tone="success">{`counted ${signed(l.sellable)}`}</Badge> : <Badge>not counted</Badge>}</span>
                    <Text as="span" variant="bodySm">
                      <Text as="span" fontWeight="semibold">
                        {l.locationName}
                      </Text>
                      {` — ${l.reason}`}
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            )}
          </BlockStack>
        </BlockStack>
      </Box>
    </section>
  );
}

export default function SkuPage() {
  const d = useLoaderData<typeof loader>();
  const subtitle = [d.title, d.tags.length ? `Tags: ${d.tags.join(", ")}` : ""].filter(Boolean).join(" · ");
  return (
    <Page
      title={d.sku}
      subtitle={subtitle}
      titleMetadata={d.isKit ? <Badge tone="info">Kit</Badge> : undefined}
      backAction={{ content: "Inventory", url: "/app/inventory" }}
      fullWidth
    >
      <Layout>
        <Layout.Section>{d.isKit ? <KitComponents components={d.kitComponents} /> : <StockByLocation levels={d.levels} totals={d.totals} />}</Layout.Section>
        <Layout.Section>
          <SectionCard title="Available to sell by channel">
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Available to sell by channel
                </Text>
                <Text as="p" tone="subdued">
                  What each channel may sell now, what is published to it, and why.
                </Text>
              </BlockStack>
              <InlineGrid columns={{ xs: 1, md: 2, xl: 3 }} gap="400">
                {d.ats.map((a) => (
                  <ChannelAts key={a.channelId} a={a} isKit={d.isKit} />
                ))}
              </InlineGrid>
            </BlockStack>
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Active reservations">
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Active reservations
              </Text>
              {d.reservations.length === 0 ? (
                <Text as="p" tone="subdued">
                  No active reservations.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "text"]}
                  headings={["Channel", "Order", "Quantity", "Status", "Expires"]}
                  rows={d.reservations.map((r) => [
                    r.channel,
                    r.order,
                    r.quantity,
                    <Badge key="status" tone={r.status === "held" ? "attention" : "info"}>
                      {r.status}
                    </Badge>,
                    r.expiresAt ? formatTime(r.expiresAt) : "never",
                  ])}
                />
              )}
            </BlockStack>
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Ledger">
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Ledger
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  Last {d.ledger.length} changes, newest first
                </Text>
              </InlineStack>
              {d.ledger.length === 0 ? (
                <Text as="p" tone="subdued">
                  {d.isKit ? "A kit has no stock of its own; see its components' ledgers." : "No changes recorded."}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "text", "text"]}
                  headings={["When", "Location", "Quantity", "Change", "Resulting", "Source", "Reason"]}
                  rows={d.ledger.map((e) => [formatTime(e.occurredAt), e.locationName, e.quantityName, signed(e.delta), e.resulting, e.source, e.reference ? `${e.reason} (${e.reference})` : e.reason])}
                  increasedTableDensity
                />
              )}
            </BlockStack>
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = notFoundBoundary({
  title: "SKU not found",
  back: { content: "Inventory", url: "/app/inventory" },
  hint: (
    <>
      Check the spelling, or <Link url="/app/inventory">search the inventory</Link>.
    </>
  ),
});

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
