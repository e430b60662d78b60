import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptySearchResult, IndexTable, InlineStack, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";
import { speedLabel } from "#app/components/orders/format";
import { OrderStatusBadge, statusLabel } from "#app/components/orders/OrderStatusBadge";
import { toOrderListRow } from "#app/components/orders/order-view.server";
import { ORDER_STATUSES } from "#app/components/orders/types";
import { listChannels, listLocations } from "#app/modules/inventory/index";
import { countUnroutable, listOrders } from "#app/modules/orders/index";
import { latestDecisions, requestUnroutableSweep } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";
import { HTTP_STATUS, errorResponse } from "#app/platform/http.server";

const PAGE_SIZE = 50;

/**
 * Orders from every channel, newest first, with where each ships from.  Filters and the page live
 * in the URL (linkable, back/forward work); pages follow a cursor (`?cursor=<last id of the page
 * before>`), so a newly arrived order never shifts what "next page" shows.
 */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const params = new URL(request.url).searchParams;
  const [channels, locations] = await Promise.all([listChannels(runtime.db, shop), listLocations(runtime.db, shop)]);
  // Values that are not the shop's (an old or edited link) are ignored rather than matching nothing.
  const pick = (name: string, allowed: readonly string[]) => {
    const v = params.get(name) ?? "";
    return allowed.includes(v) ? v : "";
  };
  const filters = {
    channel: pick(
      "channel",
      channels.map((c) => c.code)
    ),
    status: pick("status", ORDER_STATUSES),
    location: pick(
      "location",
      locations.map((l) => l.id)
    ),
    q: params.get("q")?.trim() ?? "",
  };
  const cursor = params.get("cursor") ?? "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const list = await listOrders(runtime.db, shop, {
    channel: filters.channel || undefined,
    status: filters.status || undefined,
    location: filters.location || undefined,
    q: filters.q || undefined,
    limit: PAGE_SIZE,
    cursor: cursor || undefined,
  });
  // The banner: orders routing could not place, whatever the filters show.
  const unroutable = await countUnroutable(runtime, shop);
  const queued = list.items.filter((o) => o.status === "queued").map((o) => o.id);
  const queues = new Map([...(await latestDecisions(runtime.db, shop, queued))].map(([id, d]) => [id, d.queue]));
  const names = Object.fromEntries(locations.map((l) => [l.id, l.name]));
  return json({
    filters,
    cursor,
    page: cursor ? page : 1,
    nextCursor: list.nextCursor,
    rows: list.items.map((o) => toOrderListRow(o, names, queues)),
    channels: channels.map((c) => ({ code: c.code, name: c.name })),
    locations: locations.map((l) => ({ id: l.id, name: l.name })),
    unroutable,
  });
};

type ActionResult = { ok: boolean; message: string };

/**
 * "Re-route all N": queues the same job a fix queues (routing.rerouteUnroutable, one per shop,
 * coalesced), which re-routes the shop's unroutable orders oldest first under the rules of "Re-route
 * now".  It runs in the background: the list shows the outcome as the orders move.
 */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const intent = String((await request.formData()).get("intent") ?? "");
  try {
    if (intent !== "reroute_unroutable") throw DomainError.invalid("intent", `unknown action "${intent}"`);
    const queued = await requestUnroutableSweep(runtime.db, shop, { cause: "Re-route all from the orders list (admin)", now: runtime.now() });
    if (queued === 0) return json<ActionResult>({ ok: true, message: "No orders are unroutable now: there is nothing to re-route." });
    runtime.relay.nudge();
    return json<ActionResult>({
      ok: true,
      message: `Re-routing ${queued === 1 ? "1 order" : `${queued} orders`} in the background, oldest first. Orders whose cause is fixed move on; the others keep their reason.`,
    });
  } catch (error) {
    if (error instanceof DomainError) return json<ActionResult>({ ok: false, message: error.message }, { status: HTTP_STATUS[error.kind] });
    throw errorResponse(error, runtime.logger);
  }
};

type Filters = ReturnType<typeof useLoaderData<typeof loader>>["filters"];

export default function OrdersList() {
  const { filters, cursor, page, nextCursor, rows, channels, locations, unroutable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/orders";

  // The search box is typed into; the URL stays the source of truth (back/forward, shared links).
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);

  /** Apply filters: a GET navigation, so the list is linkable.  Changing a filter goes back to the first page. */
  const apply = (next: Partial<Filters>) => {
    // The other filters come from the URL, not from this render: while a navigation is still
    // rendering (React transition) the page may show the previous filters; the URL has the new ones.
    const url = new URLSearchParams(window.location.search);
    const values: Filters = { channel: url.get("channel") ?? "", status: url.get("status") ?? "", location: url.get("location") ?? "", q, ...next };
    const params = new URLSearchParams();
    if (values.channel) params.set("channel", values.channel);
    if (values.status) params.set("status", values.status);
    if (values.location) params.set("location", values.location);
    if (values.q.trim()) params.set("q", values.q.trim());
    submit(params, { method: "get", action: "/app/orders" });
  };

  const pageUrl = (next: { cursor: string; page: number } | null) => {
    const params = new URLSearchParams(searchParams);
    params.delete("cursor");
    params.delete("page");
    if (next) {
      params.set("cursor", next.cursor);
      params.set("page", String(next.page));
    }
    const s = params.toString();
    return `/app/orders${s ? `?${s}` : ""}`;
  };

  const filtered = Boolean(filters.channel || filters.status || filters.location || filters.q);
  const channelOptions = [{ label: "All channels", value: "" }, ...channels.map((c) => ({ label: c.name, value: c.code }))];
  const statusOptions = [{ label: "All statuses", value: "" }, ...ORDER_STATUSES.map((s) => ({ label: statusLabel(s), value: s }))];
  const locationOptions = [{ label: "All locations", value: "" }, ...locations.map((l) => ({ label: l.name, value: l.id }))];
  const first = (page - 1) * PAGE_SIZE + 1;
  const rerouting = navigation.state === "submitting" && navigation.formData?.get("intent") === "reroute_unroutable";

  return (
    <Page title="Orders" subtitle="Orders from every channel: where each ships from, and why." fullWidth>
      <BlockStack gap="400">
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <Text as="p">{result.message}</Text>
          </Banner>
        ) : null}
        {unroutable > 0 ? (
          <Banner tone="warning" title={`${unroutable === 1 ? "1 order" : `${unroutable} orders`} could not be routed`}>
            <BlockStack gap="200">
              <Text as="p">
                Their stock stays held where intake put it. Each order says why (a location without coordinates, no active routing profile, a kit
                without components…); once fixed they re-route on their own, or re-route them all now.
              </Text>
              <InlineStack gap="200" blockAlign="center">
                {filters.status === "unroutable" ? null : <Button url="/app/orders?status=unroutable">See why</Button>}
                <Form method="post" action="/app/orders?index">
                  <input type="hidden" name="intent" value="reroute_unroutable" />
                  <Button submit loading={rerouting}>{`Re-route all ${unroutable}`}</Button>
                </Form>
              </InlineStack>
            </BlockStack>
          </Banner>
        ) : null}
        <Card>
          <Form
            method="get"
            action="/app/orders"
            onSubmit={(e) => {
              e.preventDefault();
              apply({});
            }}
          >
            <InlineStack gap="300" blockAlign="end" wrap>
              <Box minWidth="260px">
                <TextField
                  label="Search"
                  name="q"
                  value={q}
                  onChange={setQ}
                  placeholder="Order name or external id"
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => {
                    setQ("");
                    apply({ q: "" });
                  }}
                />
              </Box>
              <Box minWidth="180px">
                <Select label="Channel" name="channel" options={channelOptions} value={filters.channel} onChange={(v) => apply({ channel: v })} />
              </Box>
              <Box minWidth="160px">
                <Select label="Status" name="status" options={statusOptions} value={filters.status} onChange={(v) => apply({ status: v })} />
              </Box>
              <Box minWidth="220px">
                <Select label="Ships from" name="location" options={locationOptions} value={filters.location} onChange={(v) => apply({ location: v })} />
              </Box>
              {/* Not `loading`: a loading button is disabled, and a disabled default button blocks the
                  browser's implicit submission, so Enter in the search box was ignored while the
                  list loaded.  The table shows the loading state instead. */}
              <Button submit variant="primary">
                Search
              </Button>
              {filtered ? <Button url="/app/orders">Clear filters</Button> : null}
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "order", plural: "orders" }}
            itemCount={rows.length}
            selectable={false}
            loading={loading}
            emptyState={
              filtered || cursor ? (
                <EmptySearchResult title="No orders match" description="Try another channel, status, location or search, or clear the filters." />
              ) : (
                <EmptySearchResult
                  title="No orders yet"
                  description="Orders appear here as they arrive from your channels (online store, point of sale, marketplaces, B2B portal): each is reserved and routed at once."
                />
              )
            }
            headings={[
              { title: "Placed (UTC)" },
              { title: "Order" },
              { title: "Channel" },
              { title: "Status" },
              { title: "Speed" },
              { title: "Destination" },
              { title: "Units", alignment: "end" },
              { title: "Ships from" },
              { title: "Rule" },
            ]}
          >
            {rows.map((o, i) => (
              <IndexTable.Row id={o.id} key={o.id} position={i}>
                <IndexTable.Cell>
                  <BlockStack gap="0">
                    <Text as="span">{o.placedAt.slice(0, 10)}</Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {o.placedAt.slice(11, 16)}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Link url={`/app/orders/${encodeURIComponent(o.id)}`} removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {o.name}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="100" blockAlign="center" wrap={false}>
                    <Text as="span">{o.channel}</Text>
                    {o.b2b ? <Badge tone="info">B2B</Badge> : null}
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <OrderStatusBadge status={o.status} queue={o.queue} />
                </IndexTable.Cell>
                <IndexTable.Cell>{speedLabel(o.speed)}</IndexTable.Cell>
                <IndexTable.Cell>{o.destination}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {o.units}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {o.shipsFrom.length ? (
                    <BlockStack gap="050">
                      {o.shipsFrom.map((l) => (
                        <Text as="span" key={l}>
                          {l}
                        </Text>
                      ))}
                    </BlockStack>
                  ) : (
                    <Text as="span" tone="subdued">
                      —
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {o.rule ?? (
                    <Text as="span" tone="subdued">
                      —
                    </Text>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <Box padding="300" borderBlockStartWidth="025" borderColor="border">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p" tone="subdued">
                {rows.length === 0 ? "No orders" : `Orders ${first}–${first + rows.length - 1}${nextCursor ? "" : " (last page)"}`}
              </Text>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" tone="subdued">{`Page ${page}`}</Text>
                {/* Buttons with visible text: the sandbox's link component drops aria-labels of icon-only link buttons. */}
                <Button url={pageUrl(null)} disabled={!cursor}>
                  First page
                </Button>
                <Button url={nextCursor ? pageUrl({ cursor: nextCursor, page: page + 1 }) : undefined} disabled={!nextCursor}>
                  Next page
                </Button>
              </InlineStack>
            </InlineStack>
          </Box>
        </Card>
      </BlockStack>
    </Page>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
