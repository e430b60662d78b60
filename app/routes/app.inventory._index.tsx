import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  EmptySearchResult,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";
import { listInventory, listLocations } from "#app/modules/inventory/index";

const PAGE_SIZE = 50;
/** "Low stock": sellable units (available - held) at or below this. */
const LOW_STOCK_AT = 5;

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const params = new URL(request.url).searchParams;
  const q = params.get("q")?.trim() ?? "";
  const locationId = params.get("location") ?? "";
  const low = params.get("low") === "1";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const filter = { q: q || undefined, locationId: locationId || undefined, lowStockAt: low ? LOW_STOCK_AT : undefined, pageSize: PAGE_SIZE };
  const [first, locations] = await Promise.all([listInventory(runtime.db, shop, { ...filter, page }), listLocations(runtime.db, shop)]);
  // A page past the end (an old link, fewer matches now) shows the last page instead of nothing.
  const lastPage = Math.max(1, Math.ceil(first.total / PAGE_SIZE));
  const list = page > lastPage ? await listInventory(runtime.db, shop, { ...filter, page: lastPage }) : first;
  return json({
    filters: { q, locationId, low },
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    rows: list.rows.map((r) => ({ sku: r.sku, title: r.title, isKit: r.isKit, onHand: r.onHand, available: r.available, committed: r.committed, held: r.held, sellable: r.sellable })),
    locations: locations.map((l) => ({ id: l.id, name: l.name, readOnly: l.readOnly })),
  });
};

function Sellable({ value }: { value: number }) {
  if (value <= 0) return <Badge tone="critical">{String(value)}</Badge>;
  if (value <= LOW_STOCK_AT) return <Badge tone="warning">{String(value)}</Badge>;
  return (
    <Text as="span" numeric>
      {value}
    </Text>
  );
}

export default function InventoryList() {
  const { filters, total, page, pageSize, rows, locations } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/inventory";

  // The search box is typed into; the URL stays the source of truth (back/forward, shared links).
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);

  /** Apply filters: a GET navigation, so the page is linkable.  Changing a filter goes back to page 1. */
  const apply = (next: { q?: string; location?: string; low?: boolean }) => {
    // The other filters come from the URL, not from this render: the URL changes when the loader
    // has answered, but the new data renders in a React transition, so a second filter clicked in
    // between would otherwise drop the first (as app.orders._index does).
    const url = new URLSearchParams(window.location.search);
    const params = new URLSearchParams();
    const values = { q: next.q ?? q, location: next.location ?? url.get("location") ?? "", low: next.low ?? url.get("low") === "1" };
    if (values.q.trim()) params.set("q", values.q.trim());
    if (values.location) params.set("location", values.location);
    if (values.low) params.set("low", "1");
    submit(params, { method: "get", action: "/app/inventory" });
  };

  const pageUrl = (p: number) => {
    const params = new URLSearchParams(searchParams);
    if (p <= 1) params.delete("page");
    else params.set("page", String(p));
    const s = params.toString();
    return `/app/inventory${s ? `?${s}` : ""}`;
  };
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filtered = Boolean(filters.q || filters.locationId || filters.low);
  const locationOptions = [{ label: "All locations", value: "" }, ...locations.map((l) => ({ label: l.readOnly ? `${l.name} (read-only)` : l.name, value: l.id }))];

  return (
    <Page title="Inventory" subtitle="Stock per SKU across locations; sellable = available − held by this hub." fullWidth>
      <BlockStack gap="400">
        <Card>
          <Form
            method="get"
            action="/app/inventory"
            onSubmit={(e) => {
              e.preventDefault();
              apply({});
            }}
          >
            <InlineStack gap="300" blockAlign="end" wrap>
              <Box minWidth="280px">
                <TextField
                  label="Search"
                  name="q"
                  value={q}
                  onChange={setQ}
                  placeholder="SKU or product title"
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => {
                    setQ("");
                    apply({ q: "" });
                  }}
                />
              </Box>
              <Box minWidth="220px">
                <Select label="Location" name="location" options={locationOptions} value={filters.locationId} onChange={(v) => apply({ location: v })} />
              </Box>
              <Box paddingBlockEnd="100">
                <Checkbox label={`Low stock (sellable ≤ ${LOW_STOCK_AT})`} name="low" value="1" checked={filters.low} onChange={(checked) => apply({ low: checked })} />
              </Box>
              {/* Not `loading`: a loading button is disabled, and a disabled default button blocks the
                  browser's implicit submission, so Enter in the search box was ignored while the
                  list loaded.  The table shows the loading state instead. */}
              <Button submit variant="primary">
                Search
              </Button>
              {filtered ? <Button url="/app/inventory">Clear filters</Button> : null}
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "SKU", plural: "SKUs" }}
            itemCount={rows.length}
            selectable={false}
            loading={loading}
            emptyState={<EmptySearchResult title="No SKUs match" description="Try another SKU or title, another location, or clear the filters." />}
            headings={[
              { title: "SKU" },
              { title: "Title" },
              { title: "On hand", alignment: "end" },
              { title: "Available", alignment: "end" },
              { title: "Committed", alignment: "end" },
              { title: "Held", alignment: "end" },
              { title: "Sellable", alignment: "end" },
              { title: "Type" },
            ]}
          >
            {rows.map((r, i) => (
              <IndexTable.Row id={r.sku} key={r.sku} position={i}>
                <IndexTable.Cell>
                  <Link url={`/app/inventory/${encodeURIComponent(r.sku)}`} removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {r.sku}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.title}</IndexTable.Cell>
                {r.isKit ? (
                  <IndexTable.Cell colSpan={5}>
                    <Text as="span" alignment="end" tone="subdued">
                      Built from components — open the SKU for availability
                    </Text>
                  </IndexTable.Cell>
                ) : (
                  <>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.onHand}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.available}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.committed}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.held}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack align="end">
                        <Sellable value={r.sellable} />
                      </InlineStack>
                    </IndexTable.Cell>
                  </>
                )}
                <IndexTable.Cell>{r.isKit ? <Badge tone="info">Kit</Badge> : null}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <Box padding="300" borderBlockStartWidth="025" borderColor="border">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p" tone="subdued">
                {total === 0 ? "No SKUs" : `${(page - 1) * pageSize + 1}–${Math.min(page * pageSize, total)} of ${total} SKUs`}
              </Text>
              <Pagination
                hasPrevious={page > 1}
                previousURL={page > 1 ? pageUrl(page - 1) : undefined}
                hasNext={page < pages}
                nextURL={page < pages ? pageUrl(page + 1) : undefined}
                label={`Page ${Math.min(page, pages)} of ${pages}`}
              />
            </InlineStack>
          </Box>
        </Card>
      </BlockStack>
    </Page>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
