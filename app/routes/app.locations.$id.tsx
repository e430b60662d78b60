import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptySearchResult, IndexTable, InlineGrid, InlineStack, Layout, Link, List, Modal, Page, Pagination, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Coordinates, formatAddress, formatTime, kindLabel, pushInFlight, PushStatusSummary, StockSourceBadge, YesNo } from "#app/components/locations/LocationBits";
import {
  getLocation,
  inventoryPushJobKey,
  ledgerAtLocation,
  listInventory,
  requestInventoryPush,
  setHubCount,
  setLocationStockSource,
  SHOPIFY_PUSH_INVENTORY_JOB,
  summarizePushStatus,
} from "#app/modules/inventory/index";
import { jobActivityByKey } from "#app/modules/operations/index";
import { DomainError } from "#app/platform/errors";
import { errorResponse, HTTP_STATUS } from "#app/platform/http.server";
import { notFoundBoundary } from "#app/components/NotFoundBoundary";

const PAGE_SIZE = 50;
/** While a push is on its way the page refreshes itself, so its end (or its error) shows up. */
const REFRESH_MS = 2_000;
/** Who the ledger names for a change made on this page (as the order and routing pages do). */
const ACTOR = "admin";

type Intent = "stock-source" | "count" | "push";
const INTENTS: readonly string[] = ["stock-source", "count", "push"];

/** What was typed into the count form: sent back with an error so nothing is lost. */
interface CountValues {
  sku: string;
  onHand: string;
  note: string;
}

interface LedgerLine {
  quantityName: string;
  delta: number;
  resulting: number;
  reason: string;
}

type ActionResult =
  | { ok: true; intent: "stock-source"; stockSource: string; message: string }
  | { ok: true; intent: "push"; message: string }
  | { ok: true; intent: "count"; message: string; sku: string; changed: boolean; ledger: LedgerLine[] }
  | { ok: false; intent: Intent | null; field: string | null; message: string; values: CountValues | null };

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const id = params.id ?? "";
  let location: Awaited<ReturnType<typeof getLocation>>;
  try {
    location = await getLocation(runtime.db, shop, id);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "NOT_FOUND") throw json({ message: `Location ${id} not found` }, { status: 404 });
    throw errorResponse(error, runtime.logger);
  }
  const search = new URL(request.url).searchParams;
  const q = search.get("q")?.trim() ?? "";
  const page = Math.max(1, Number.parseInt(search.get("page") ?? "1", 10) || 1);
  const filter = { q: q || undefined, locationId: location.id, pageSize: PAGE_SIZE };
  const first = await listInventory(runtime.db, shop, { ...filter, page });
  // A page past the end (an old link, fewer matches now) shows the last page instead of nothing.
  const lastPage = Math.max(1, Math.ceil(first.total / PAGE_SIZE));
  const list = page > lastPage ? await listInventory(runtime.db, shop, { ...filter, page: lastPage }) : first;
  const hubOwned = location.stockSource === "hub";
  const [activity] = hubOwned ? await jobActivityByKey(runtime.db, shop, SHOPIFY_PUSH_INVENTORY_JOB, [inventoryPushJobKey(location.id)]) : [];
  return json({
    location: {
      id: location.id,
      name: location.name,
      kind: location.kind,
      readOnly: location.readOnly,
      active: location.active,
      stockSource: location.stockSource,
      linkedToShopify: location.shopifyLocationId !== null,
      shopifyLocationId: location.shopifyLocationId,
      address1: location.address1,
      city: location.city,
      province: location.province,
      zip: location.zip,
      countryCode: location.countryCode,
      latitude: location.latitude,
      longitude: location.longitude,
      usedByRouting: location.active && !location.readOnly,
      timeZone: location.timeZone,
      shipsOnlineOrders: location.shipsOnlineOrders,
      offersPickup: location.offersPickup,
      shipsFromStore: location.shipsFromStore,
    },
    push: activity ? summarizePushStatus(activity, location.shopifyLocationId !== null) : null,
    stock: {
      q,
      total: list.total,
      page: list.page,
      pageSize: list.pageSize,
      rows: list.rows.map((r) => ({ sku: r.sku, title: r.title, isKit: r.isKit, onHand: r.onHand, available: r.available, committed: r.committed, held: r.held })),
    },
  });
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.location.name} · Locations` : "Location not found" }];

function formText(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/**
 * The count as a number for setHubCount, which refuses negative and fractional counts itself (the
 * one place that rule lives).  Here only what cannot reach it as a number: nothing, or not a number.
 */
function parseCount(text: string): number {
  const t = text.trim();
  if (t === "") throw DomainError.invalid("onHand", "enter the new on-hand count (a whole number, 0 or more)");
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) throw DomainError.invalid("onHand", `"${t}" is not a number: enter a whole number, 0 or more`);
  return Number(t);
}

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const form = await request.formData();
  const raw = formText(form, "intent");
  const intent = INTENTS.includes(raw) ? (raw as Intent) : null;
  const values: CountValues | null = intent === "count" ? { sku: formText(form, "sku"), onHand: formText(form, "onHand"), note: formText(form, "note") } : null;
  try {
    if (!intent) throw DomainError.invalid("intent", `unknown action "${raw}"`);
    // Scoped by shop: another shop's location is not found, exactly like an unknown id.
    const location = await getLocation(runtime.db, shop, params.id ?? "");
    switch (intent) {
      case "stock-source": {
        const r = await setLocationStockSource({ db: runtime.db, now: runtime.now }, shop, location.id, formText(form, "stockSource"));
        runtime.logger.info("location stock source changed", { shop, location: r.name, stockSource: r.stockSource });
        const message =
          r.stockSource === "hub"
            ? `The hub now owns the stock at ${r.name}: ${location.shopifyLocationId ? "its counts are being pushed to Shopify" : "its counts will be pushed once the location is linked to a Shopify location"}. Enter counts below.`
            : `${r.name} mirrors Shopify's counts again: the hub no longer pushes them, and Shopify's figures replace the hub's at the next import or inventory webhook.`;
        return json<ActionResult>({ ok: true, intent, stockSource: r.stockSource, message });
      }
      case "count": {
        const sku = values!.sku.trim();
        if (!sku) throw DomainError.invalid("sku", "enter the SKU you counted");
        const onHand = parseCount(values!.onHand);
        // One instant for the count and its ledger entries, so the entries just written can be picked out.
        const at = runtime.now();
        const r = await setHubCount({ db: runtime.db, now: () => at }, shop, { locationRef: location.id, sku, onHand, reason: values!.note.trim(), actor: ACTOR });
        const written = r.changed
          ? (await ledgerAtLocation(runtime.db, shop, sku, location.id, 10))
              .filter((e) => e.occurredAt.getTime() === at.getTime())
              .sort((a, b) => Number(b.quantityName === "on_hand") - Number(a.quantityName === "on_hand"))
          : [];
        const was = written.find((e) => e.quantityName === "on_hand");
        const pushing = location.shopifyLocationId ? "The push to Shopify is queued." : "It cannot be pushed until the location is linked to a Shopify location.";
        const message = r.changed
          ? `Counted ${sku} at ${r.location}: on hand ${r.onHand}${was ? ` (was ${was.resulting - was.delta})` : ""}. ${pushing}`
          : `${sku} at ${r.location} was already ${r.onHand} on hand: nothing changed, nothing to push.`;
        return json<ActionResult>({
          ok: true,
          intent,
          message,
          sku,
          changed: r.changed > 0,
          ledger: written.map((e) => ({ quantityName: e.quantityName, delta: e.delta, resulting: e.resulting, reason: e.reason })),
        });
      }
      case "push": {
        // Only where the hub owns the stock; elsewhere the push job would skip it anyway.
        if (location.stockSource !== "hub") throw DomainError.invalid("location", `${location.name} mirrors Shopify's counts: there is nothing of the hub's to push`);
        await requestInventoryPush(runtime.db, shop, location.id, runtime.now());
        return json<ActionResult>({ ok: true, intent, message: `Push of the hub's counts at ${location.name} queued.` });
      }
    }
  } catch (error) {
    if (error instanceof DomainError) {
      const field = typeof error.details.field === "string" ? error.details.field : null;
      const message = error.kind === "NOT_FOUND" ? `Location ${params.id ?? ""} not found` : error.message;
      return json<ActionResult>({ ok: false, intent, field, message, values }, { status: HTTP_STATUS[error.kind] });
    }
    throw errorResponse(error, runtime.logger);
  }
};

type LocationView = ReturnType<typeof useLoaderData<typeof loader>>["location"];
type PushView = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["push"]>;
type StockView = ReturnType<typeof useLoaderData<typeof loader>>["stock"];

/** The count form's fields as people see them (the services name them sku, onHand, reason). */
const FIELD_LABELS: Record<string, string> = { sku: "SKU", onHand: "New on-hand count", reason: "Note", note: "Note" };

/** "onHand: must be …" → "must be …": the field it belongs to is shown beside it. */
function problemOf(message: string, field: string | null): string {
  return field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/** A card that is also a labelled landmark (screen readers, tests). */
function SectionCard({ title, children, padding }: { title: string; children: ReactNode; padding?: "0" }) {
  return (
    <section aria-label={title}>
      <Card padding={padding}>{children}</Card>
    </section>
  );
}

function StockSourceModal({ location, onConfirm, onClose }: { location: LocationView; onConfirm: () => void; onClose: () => void }) {
  const toHub = location.stockSource !== "hub";
  return (
    <Modal
      open
      onClose={onClose}
      title={toHub ? `Make the hub the stock source of ${location.name}?` : `Mirror Shopify's counts at ${location.name} again?`}
      primaryAction={{ content: toHub ? "Make the hub the source" : "Mirror Shopify", onAction: onConfirm }}
      secondaryActions={[{ content: "Keep it as it is", onAction: onClose }]}
    >
      <Modal.Section>
        {toHub ? (
          <BlockStack gap="300">
            <Text as="p">The hub&apos;s counts at {location.name} become the truth, and Shopify gets them:</Text>
            <List>
              <List.Item>
                The hub&apos;s on-hand counts here are pushed to Shopify now, item by item where they differ (compare-and-set: a sale in Shopify meanwhile is read again,
                never overwritten). Check the counts on this page first: what the hub has is what Shopify will show.
              </List.Item>
              <List.Item>From then on, counts are entered here (or with oms stock-count) and each one is pushed.</List.Item>
              <List.Item>
                Shopify&apos;s inventory webhooks and imports no longer change the hub&apos;s counts here (an import already running stops at its next batch); a
                different figure in Shopify is corrected by a push.
              </List.Item>
              {location.linkedToShopify ? null : (
                <List.Item>
                  This location is not linked to a Shopify location yet: nothing can be pushed until an import links it (resync on the Connections page).
                </List.Item>
              )}
            </List>
          </BlockStack>
        ) : (
          <BlockStack gap="300">
            <Text as="p">Shopify&apos;s counts at {location.name} become the truth again:</Text>
            <List>
              <List.Item>The hub stops pushing its counts here; a push already queued does nothing.</List.Item>
              <List.Item>
                The hub keeps showing the counts entered here until Shopify&apos;s figures replace them, item by item at its next inventory webhook, or all at once at
                the next import (resync on the Connections page to take them now).
              </List.Item>
              <List.Item>Counts are then changed in Shopify, not here.</List.Item>
            </List>
          </BlockStack>
        )}
      </Modal.Section>
    </Modal>
  );
}

function StockSourceCard({ location, submitting, onSwitch }: { location: LocationView; submitting: boolean; onSwitch: () => void }) {
  return (
    <SectionCard title="Stock source">
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Stock source
            </Text>
            <StockSourceBadge stockSource={location.stockSource} readOnly={location.readOnly} />
          </InlineStack>
          {location.readOnly ? null : (
            <Button onClick={onSwitch} loading={submitting}>
              {location.stockSource === "hub" ? "Mirror Shopify's counts" : "Make the hub the stock source"}
            </Button>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          {location.readOnly
            ? "The marketplace manages this stock (e.g. Amazon FBA): its counts come from the marketplace's reports, and neither Shopify nor the hub sets them."
            : location.stockSource === "hub"
              ? "The hub's counts are the truth here (a 3PL's stock reports, your own counts) and are pushed to Shopify's on-hand. Shopify's figures do not overwrite them."
              : "Shopify's counts are the truth here: the hub mirrors them from Shopify's inventory webhooks and imports, and never writes them."}
        </Text>
      </BlockStack>
    </SectionCard>
  );
}

function PushCard({ push, submitting, onPush }: { push: PushView; submitting: boolean; onPush: () => void }) {
  return (
    <SectionCard title="Push to Shopify">
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Push to Shopify
          </Text>
          <Button onClick={onPush} loading={submitting}>
            Push counts now
          </Button>
        </InlineStack>
        <PushStatusSummary status={push} />
        <BlockStack gap="100">
          <Text as="p">{push.lastPush ? `Last push: ${push.lastPush.at ? formatTime(push.lastPush.at) : "time unknown"}, ${push.lastPush.outcome}.` : "No push has completed yet."}</Text>
          {push.running ? <Text as="p">A push is running now.</Text> : null}
          {push.waiting ? <Text as="p">{`${push.waiting} ${push.waiting === 1 ? "push" : "pushes"} waiting to run.`}</Text> : null}
          {push.retry ? (
            <Text as="p" tone="caution">
              {`Attempt ${push.retry.attempts} of ${push.retry.maxAttempts} failed: ${push.retry.error}. Next try ${formatTime(push.retry.nextTryAt)}.`}
            </Text>
          ) : null}
        </BlockStack>
        {push.failures.length ? (
          <Banner tone="critical" title={`${push.failures.length === 1 ? "A push" : `${push.failures.length} pushes`} failed since the last successful one`}>
            <BlockStack gap="100">
              {push.failures.map((f) => (
                <Text as="p" key={f.id} breakWord>
                  {`${f.at ? formatTime(f.at) : "—"} after ${f.attempts} ${f.attempts === 1 ? "attempt" : "attempts"}: ${f.error}`}
                </Text>
              ))}
              <Text as="p">Fix the cause, then push the counts again. Shopify keeps its own figures here until a push succeeds.</Text>
            </BlockStack>
          </Banner>
        ) : null}
      </BlockStack>
    </SectionCard>
  );
}

/**
 * The last action's result, kept until the next one.  Remix drops the action's data at the next
 * revalidation, and this page revalidates itself every few seconds while a push is on its way: the
 * outcome of a count (or its errors) must not vanish with it.  Taken once the page's data has been
 * reloaded too (the action's data comes first), so the message and the counts beside it agree.
 */
function useLastResult() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [last, setLast] = useState<ActionResult | null>(result ?? null);
  if (result && result !== last && navigation.state === "idle") setLast(result);
  return last;
}

/** The count form; `preset` (a row's "Count" button) fills in a SKU and its current count. */
function CountForm({ locationName, preset, result }: { locationName: string; preset: { sku: string; onHand: string; n: number } | null; result: ActionResult | null }) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "count";
  const mine = result && result.intent === "count" ? result : null;
  const failed = mine && !mine.ok ? mine : null;
  // After a failed submit without JavaScript the page is new: start from what was typed.
  const [sku, setSku] = useState(failed?.values?.sku ?? "");
  const [onHand, setOnHand] = useState(failed?.values?.onHand ?? "");
  const [note, setNote] = useState(failed?.values?.note ?? "");
  const countRef = useRef<HTMLDivElement>(null);

  // A successful count empties the form for the next one; a failed one keeps every value.
  const [handled, setHandled] = useState<unknown>(mine);
  if (mine !== handled) {
    setHandled(mine);
    if (mine?.ok) {
      setSku("");
      setOnHand("");
      setNote("");
    }
  }
  const [presetSeen, setPresetSeen] = useState<number | null>(null);
  if (preset && preset.n !== presetSeen) {
    setPresetSeen(preset.n);
    setSku(preset.sku);
    setOnHand(preset.onHand);
  }
  useEffect(() => {
    if (preset) countRef.current?.querySelector("input")?.focus();
  }, [preset]);

  const error = (field: string) => (failed && failed.field === field ? problemOf(failed.message, failed.field) : undefined);

  return (
    <Form method="post" aria-label="Enter a count">
      <input type="hidden" name="intent" value="count" />
      <BlockStack gap="300">
        {failed ? (
          <Banner tone="critical" title="Count not saved">
            <p>{failed.field && FIELD_LABELS[failed.field] ? `${FIELD_LABELS[failed.field]}: ${problemOf(failed.message, failed.field)}` : failed.message}</p>
          </Banner>
        ) : null}
        <InlineGrid columns={{ xs: 1, md: ["oneThird", "oneThird", "oneThird"] }} gap="300">
          <TextField label="SKU" name="sku" value={sku} onChange={setSku} autoComplete="off" error={error("sku")} placeholder="e.g. TT1-BLA-M" />
          <div ref={countRef}>
            <TextField
              label="New on-hand count"
              name="onHand"
              // Text, not type=number: the browser's own check would block the submit with its own
              // wording; the server names what is wrong (negative, fractional, not a number).
              type="text"
              inputMode="numeric"
              value={onHand}
              onChange={setOnHand}
              autoComplete="off"
              error={error("onHand")}
              helpText={`Units physically at ${locationName}; available moves by the same difference.`}
            />
          </div>
          <TextField
            label="Note"
            name="note"
            value={note}
            onChange={setNote}
            autoComplete="off"
            maxLength={500}
            error={error("reason")}
            helpText="Required: it goes in the ledger (e.g. cycle count, 3PL stock report)."
          />
        </InlineGrid>
        <InlineStack align="end">
          <Button submit variant="primary" loading={submitting}>
            Save count
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function StockTable({ basePath, stock, countable, onCount }: { basePath: string; stock: StockView; countable: boolean; onCount: (sku: string, onHand: number) => void }) {
  const [searchParams] = useSearchParams();
  const submit = useSubmit();
  const [q, setQ] = useState(stock.q);
  useEffect(() => setQ(stock.q), [stock.q]);
  const pages = Math.max(1, Math.ceil(stock.total / stock.pageSize));
  const pageUrl = (p: number) => {
    const params = new URLSearchParams(searchParams);
    if (p <= 1) params.delete("page");
    else params.set("page", String(p));
    const s = params.toString();
    return `${basePath}${s ? `?${s}` : ""}`;
  };
  const search = (value: string) => {
    const params = new URLSearchParams();
    if (value.trim()) params.set("q", value.trim());
    submit(params, { method: "get", action: basePath });
  };
  return (
    <BlockStack gap="300">
      <Form
        method="get"
        action={basePath}
        onSubmit={(e) => {
          e.preventDefault();
          search(q);
        }}
      >
        <InlineStack gap="300" blockAlign="end">
          <Box minWidth="280px">
            <TextField
              label="Find a SKU"
              name="q"
              value={q}
              onChange={setQ}
              placeholder="SKU or product title"
              autoComplete="off"
              clearButton
              onClearButtonClick={() => {
                setQ("");
                search("");
              }}
            />
          </Box>
          <Button submit>Search</Button>
        </InlineStack>
      </Form>
      <IndexTable
        resourceName={{ singular: "SKU", plural: "SKUs" }}
        itemCount={stock.rows.length}
        selectable={false}
        emptyState={<EmptySearchResult title="No SKUs match" description="Try another SKU or title." />}
        headings={[
          { title: "SKU" },
          { title: "Title" },
          { title: "On hand", alignment: "end" },
          { title: "Available", alignment: "end" },
          { title: "Committed", alignment: "end" },
          { title: "Held", alignment: "end" },
          ...(countable ? [{ title: "" }] : []),
        ]}
      >
        {stock.rows.map((r, i) => (
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
              <IndexTable.Cell colSpan={countable ? 5 : 4}>
                <Text as="span" alignment="end" tone="subdued">
                  Kit: built from its components, no count of its own
                </Text>
              </IndexTable.Cell>
            ) : (
              <>
                {[r.onHand, r.available, r.committed, r.held].map((n, k) => (
                  <IndexTable.Cell key={k}>
                    <Text as="span" alignment="end" numeric>
                      {n}
                    </Text>
                  </IndexTable.Cell>
                ))}
                {countable ? (
                  <IndexTable.Cell>
                    <InlineStack align="end">
                      <Button variant="plain" onClick={() => onCount(r.sku, r.onHand)} accessibilityLabel={`Count ${r.sku}`}>
                        Count
                      </Button>
                    </InlineStack>
                  </IndexTable.Cell>
                ) : null}
              </>
            )}
          </IndexTable.Row>
        ))}
      </IndexTable>
      <InlineStack align="space-between" blockAlign="center">
        <Text as="p" tone="subdued">
          {stock.total === 0 ? "No SKUs" : `${(stock.page - 1) * stock.pageSize + 1}–${Math.min(stock.page * stock.pageSize, stock.total)} of ${stock.total} SKUs`}
        </Text>
        <Pagination
          hasPrevious={stock.page > 1}
          previousURL={stock.page > 1 ? pageUrl(stock.page - 1) : undefined}
          hasNext={stock.page < pages}
          nextURL={stock.page < pages ? pageUrl(stock.page + 1) : undefined}
          label={`Page ${Math.min(stock.page, pages)} of ${pages}`}
        />
      </InlineStack>
    </BlockStack>
  );
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function LocationFacts({ location }: { location: LocationView }) {
  const rows: [string, ReactNode][] = [
    ["Kind", kindLabel(location.kind)],
    ["Address", formatAddress(location) || "—"],
    ["Coordinates", <Coordinates key="c" latitude={location.latitude} longitude={location.longitude} usedByRouting={location.usedByRouting} />],
    ["Time zone", location.timeZone],
    ["Ships online orders", <YesNo key="s" value={location.shipsOnlineOrders} />],
    ["Pickup", <YesNo key="p" value={location.offersPickup} />],
    ["Ships from store", <YesNo key="f" value={location.shipsFromStore} />],
    ["Active", location.active ? <Badge key="a" tone="success">Active</Badge> : <Badge key="a">Inactive</Badge>],
    ["Shopify location", location.shopifyLocationId ?? "Not linked"],
  ];
  return (
    <SectionCard title="Location">
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Location
        </Text>
        {rows.map(([label, value]) => (
          <BlockStack key={label} gap="050">
            <Text as="span" variant="bodySm" tone="subdued">
              {label}
            </Text>
            <Text as="span" breakWord>
              {value}
            </Text>
          </BlockStack>
        ))}
        {location.usedByRouting && (location.latitude === null || location.longitude === null) ? (
          <Banner tone="critical">
            <p>
              Routing cannot ship from a location without coordinates: distance, shipping cost and transit days come from them. The import takes them from the
              location&apos;s address in Shopify (Shopify geocodes it): check the address in Shopify admin, then resync on the{" "}
              <Link url="/app/connections">Connections</Link> page.
            </p>
          </Banner>
        ) : null}
      </BlockStack>
    </SectionCard>
  );
}

export default function LocationPage() {
  const { location, push, stock } = useLoaderData<typeof loader>();
  const result = useLastResult();
  const navigation = useNavigation();
  const submit = useSubmit();
  const revalidator = useRevalidator();
  const [switchOpen, setSwitchOpen] = useState(false);
  const [preset, setPreset] = useState<{ sku: string; onHand: string; n: number } | null>(null);
  const submitting = (intent: Intent) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const hubOwned = location.stockSource === "hub" && !location.readOnly;
  const inFlight = pushInFlight(push);

  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && navigation.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [inFlight, revalidator, navigation.state]);

  // Results of the switch and the push belong at the top; a count's result sits by its form.
  const pageResult = result && result.intent !== "count" ? result : null;
  const countResult = result && result.intent === "count" && result.ok ? result : null;

  return (
    <Page
      title={location.name}
      titleMetadata={
        <InlineStack gap="200">
          <Badge>{kindLabel(location.kind)}</Badge>
          <StockSourceBadge stockSource={location.stockSource} readOnly={location.readOnly} />
          {location.active ? null : <Badge>Inactive</Badge>}
        </InlineStack>
      }
      subtitle={formatAddress(location) || undefined}
      backAction={{ content: "Locations", url: "/app/locations" }}
      fullWidth
    >
      <Layout>
        {pageResult ? (
          <Layout.Section>
            <Banner tone={pageResult.ok ? "success" : "critical"} title={pageResult.ok ? pageResult.message : "Not changed"}>
              {pageResult.ok ? null : <p>{pageResult.message}</p>}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <StockSourceCard location={location} submitting={submitting("stock-source")} onSwitch={() => setSwitchOpen(true)} />
            {hubOwned && push ? <PushCard push={push} submitting={submitting("push")} onPush={() => submit({ intent: "push" }, { method: "post" })} /> : null}
            <SectionCard title="Counts">
              <BlockStack gap="400">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    Counts
                  </Text>
                  <Text as="p" tone="subdued">
                    {hubOwned
                      ? `Enter what was counted at ${location.name}: on hand becomes the new count, the ledger records it with your note, and the count is pushed to Shopify.`
                      : `What the hub has at ${location.name}, per SKU.`}
                  </Text>
                </BlockStack>
                {hubOwned ? (
                  <>
                    {countResult ? (
                      <Banner tone="success" title={countResult.message}>
                        <BlockStack gap="100">
                          {countResult.ledger.length ? (
                            <Text as="p">{`Ledger: ${countResult.ledger.map((e) => `${e.quantityName} ${signed(e.delta)} → ${e.resulting}`).join(", ")} (“${countResult.ledger[0]!.reason}”).`}</Text>
                          ) : null}
                          <p>
                            <Link url={`/app/inventory/${encodeURIComponent(countResult.sku)}`}>{`Open ${countResult.sku}: stock by location and its ledger`}</Link>
                          </p>
                        </BlockStack>
                      </Banner>
                    ) : null}
                    <CountForm locationName={location.name} preset={preset} result={result} />
                  </>
                ) : (
                  <Banner tone="info" title="These counts cannot be edited here">
                    <p>
                      {location.readOnly
                        ? "The marketplace manages this stock: the hub shows what its reports say."
                        : `Shopify owns the stock at ${location.name}: the hub mirrors Shopify's counts, so a count entered here would be replaced by Shopify's next inventory webhook or import. Change counts in Shopify admin, or make the hub the stock source above if the hub (a 3PL's stock reports, your own counts) is the truth here.`}
                    </p>
                  </Banner>
                )}
              </BlockStack>
            </SectionCard>
            <SectionCard title="Stock here" padding="0">
              <Box padding="400">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Stock here
                  </Text>
                  <StockTable basePath={`/app/locations/${encodeURIComponent(location.id)}`} stock={stock} countable={hubOwned} onCount={(sku, onHand) => setPreset((p) => ({ sku, onHand: String(onHand), n: (p?.n ?? 0) + 1 }))} />
                </BlockStack>
              </Box>
            </SectionCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <LocationFacts location={location} />
        </Layout.Section>
      </Layout>
      {/* Mounted only while open: closing removes it at once (as the order page's dialogs). */}
      {switchOpen ? (
        <StockSourceModal
          location={location}
          onClose={() => setSwitchOpen(false)}
          onConfirm={() => {
            setSwitchOpen(false);
            submit({ intent: "stock-source", stockSource: location.stockSource === "hub" ? "shopify" : "hub" }, { method: "post" });
          }}
        />
      ) : null}
    </Page>
  );
}

export const ErrorBoundary = notFoundBoundary({
  title: "Location not found",
  back: { content: "Locations", url: "/app/locations" },
  hint: (
    <>
      It may belong to another shop, or the link is wrong. <Link url="/app/locations">See all locations</Link>.
    </>
  ),
});

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
