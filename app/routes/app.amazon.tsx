import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { AmazonOrdersSection } from "#app/components/amazon-orders/OrdersSection";
import { ListingsSection } from "#app/components/amazon/ListingsSection";
import {
  amazonListingsOverview,
  amazonOrdersOverview,
  disconnectAmazonAccount,
  listAmazonAccounts,
  MARKETPLACES,
  REGION_NAMES,
  REGIONS,
  saveAmazonAccount,
  type AmazonAccountInput,
  type AmazonAccountView,
} from "#app/modules/amazon/index";
import { listChannelsWithOverrides } from "#app/modules/inventory/index";
import { DomainError } from "#app/platform/errors";
import { HTTP_STATUS } from "#app/platform/http.server";
import { isConnectorError } from "#connectors/core/errors";

/**
 * Amazon seller accounts: connect (checked with Amazon before anything is stored), edit, disconnect.
 * Secrets are write-only here: the page shows that they are set, never what they are.
 */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const [accounts, { channels }] = await Promise.all([listAmazonAccounts(runtime, shop), listChannelsWithOverrides(runtime.db, shop)]);
  // Per live account: orders in / shipments out, and listings (quantities out).
  const live = accounts.filter((a) => a.status !== "disconnected");
  const details = await Promise.all(
    live.map(async (a) => ({ accountId: a.id, orders: await amazonOrdersOverview(runtime.db, shop, a.id), listings: await amazonListingsOverview(runtime.db, shop, a.id) })),
  );
  return json({
    accounts,
    details,
    amazonChannels: channels.filter((c) => c.kind === "amazon").map((c) => ({ code: c.code, name: c.name })),
    sandbox: runtime.amazon.sandboxUrl !== undefined,
    // The tables the form renders travel as data: the module's index is server-only.
    marketplaces: MARKETPLACES.map((m) => ({ id: m.id, name: m.name, country: m.country, region: m.region })),
    regions: REGIONS.map((r) => ({ value: r, name: REGION_NAMES[r] })),
  });
};

type Intent = "save" | "disconnect";
type ActionResult = { ok: true; intent: Intent; accountId: string; message: string } | { ok: false; intent: Intent; accountId: string; field: string | null; message: string };

const FEATURE_NAMES = ["orders", "quantities", "shipments", "fbaInventory"] as const;

function formInput(form: FormData): AmazonAccountInput {
  const region = String(form.get("region") ?? "");
  return {
    region,
    sellerId: String(form.get("sellerId") ?? ""),
    lwaClientId: String(form.get("lwaClientId") ?? ""),
    lwaClientSecret: String(form.get("lwaClientSecret") ?? ""),
    refreshToken: String(form.get("refreshToken") ?? ""),
    // Only the region's marketplaces that are ticked: a hidden input for another region's choice must not count.
    marketplaces: form
      .getAll("marketplace")
      .map(String)
      .filter((id) => MARKETPLACES.some((m) => m.id === id && m.region === region))
      .map((marketplaceId) => ({ marketplaceId, channelCode: String(form.get(`channel:${marketplaceId}`) ?? "") })),
    features: Object.fromEntries(FEATURE_NAMES.map((f) => [f, form.get(`feature:${f}`) !== null])),
  };
}

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  const accountId = String(form.get("accountId") ?? "");
  try {
    if (intent === "save") {
      const deps = { db: runtime.db, secrets: runtime.secrets, now: runtime.now, logger: runtime.logger, checkCredentials: runtime.amazon.checkCredentials };
      const saved = await saveAmazonAccount(deps, shop, formInput(form), accountId || undefined);
      return json<ActionResult>({ ok: true, intent, accountId: saved.id, message: `Connected seller ${saved.sellerId} (${REGION_NAMES[saved.region]}): Amazon accepted the credentials.` });
    }
    if (intent === "disconnect") {
      const off = await disconnectAmazonAccount({ db: runtime.db, secrets: runtime.secrets, now: runtime.now, logger: runtime.logger }, shop, accountId);
      return json<ActionResult>({ ok: true, intent, accountId, message: `Disconnected seller ${off.sellerId}: its credentials are deleted; listing state is kept for a reconnect.` });
    }
    return json<ActionResult>({ ok: false, intent, accountId, field: "intent", message: `unknown intent "${intent}"` }, { status: 400 });
  } catch (error) {
    if (error instanceof DomainError) {
      const field = typeof error.details.field === "string" ? error.details.field : null;
      return json<ActionResult>({ ok: false, intent, accountId, field, message: error.message }, { status: HTTP_STATUS[error.kind] });
    }
    if (isConnectorError(error)) {
      // LWA unreachable or failing: nothing was stored; the merchant can simply try again.
      return json<ActionResult>({ ok: false, intent, accountId, field: null, message: `Could not reach Amazon to check the credentials (${error.message}). Nothing was saved; try again in a minute.` }, { status: 503 });
    }
    throw error;
  }
};

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function AmazonAccounts() {
  const { accounts, amazonChannels, sandbox, marketplaces, regions, details } = useLoaderData<typeof loader>();
  const regionName = (r: string) => regions.find((x) => x.value === r)?.name ?? r;
  const result = useActionData<typeof action>();
  const [editing, setEditing] = useState<string | null>(accounts.length === 0 ? "new" : null);

  return (
    <Page title="Amazon" subtitle="Seller accounts the hub takes orders from and publishes quantities to." backAction={{ content: "Connections", url: "/app/connections" }}>
      <Layout>
        {sandbox ? (
          <Layout.Section>
            <Banner tone="info" title="Sandbox">
              Every Amazon call goes to the local Amazon sandbox peer, not to Amazon.
            </Banner>
          </Layout.Section>
        ) : null}
        {result?.ok ? (
          <Layout.Section>
            <Banner tone="success">{result.message}</Banner>
          </Layout.Section>
        ) : null}
        {accounts.map((a) => (
          <Layout.Section key={a.id}>
            {editing === a.id ? (
              <AccountForm account={a} channels={amazonChannels} marketplaces={marketplaces} regions={regions} onCancel={() => setEditing(null)} />
            ) : (
              <AccountCard account={a} regionName={regionName(a.region)} onEdit={() => setEditing(a.id)} />
            )}
            {details
              .filter((d) => d.accountId === a.id)
              .map((d) => (
                <BlockStack key={d.accountId} gap="400">
                  <Box paddingBlockStart="400">
                    <AmazonOrdersSection overview={d.orders} sellerId={a.sellerId} />
                  </Box>
                  <ListingsSection overview={d.listings} sellerId={a.sellerId} />
                </BlockStack>
              ))}
          </Layout.Section>
        ))}
        <Layout.Section>
          {editing === "new" ? (
            <AccountForm account={null} channels={amazonChannels} marketplaces={marketplaces} regions={regions} onCancel={accounts.length ? () => setEditing(null) : undefined} />
          ) : (
            <Button onClick={() => setEditing("new")}>Connect another seller account</Button>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const STATUS_TONE: Record<string, "success" | "critical" | undefined> = { connected: "success", error: "critical" };

/**
 * ORDER_CHANGE notifications (ADR 015): what the seller's subscription is doing.  Orders arrive by
 * polling whatever this says; notifications only make them arrive within seconds.
 */
const NOTIFICATIONS: Record<string, { label: string; tone?: "success" | "critical" | "attention" | "info"; explain: string }> = {
  subscribed: { label: "Subscribed", tone: "success", explain: "Amazon announces order changes; the hub fetches each order within seconds." },
  pending: { label: "Subscribing", tone: "info", explain: "The hub is setting up the subscription with Amazon." },
  off: { label: "Off", explain: "Orders arrive by polling only (every few minutes)." },
  failed: { label: "Failed", tone: "critical", explain: "The subscription could not be set up; the hub retries on its own. Orders still arrive by polling." },
  unsubscribing: { label: "Unsubscribing", tone: "info", explain: "The hub is removing the subscription at Amazon." },
  unsubscribe_failed: { label: "Not removed", tone: "critical", explain: "Amazon still has this seller's subscription; its notifications are ignored." },
};

function NotificationsStatus({ n }: { n: AmazonAccountView["notifications"] }) {
  const known = NOTIFICATIONS[n.status] ?? { label: n.status, explain: "" };
  const failed = n.status === "failed" || n.status === "unsubscribe_failed";
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          Order notifications
        </Text>
        <Badge tone={known.tone}>{known.label}</Badge>
        {n.checkedAt ? (
          <Text as="span" tone="subdued">
            checked {new Date(n.checkedAt).toLocaleString()}
          </Text>
        ) : null}
      </InlineStack>
      {failed ? (
        <Banner tone="critical" title={n.status === "failed" ? "Order notifications could not be set up" : "Amazon's subscription could not be removed"}>
          <BlockStack gap="100">
            {n.message ? <Text as="p">{n.message}</Text> : null}
            <Text as="p">{known.explain}</Text>
          </BlockStack>
        </Banner>
      ) : (
        <Text as="p" tone="subdued">
          {n.message ?? known.explain}
        </Text>
      )}
    </BlockStack>
  );
}

function AccountCard({ account: a, regionName, onEdit }: { account: AmazonAccountView; regionName: string; onEdit: () => void }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("accountId") === a.id;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Seller {a.sellerId}
            </Text>
            <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
            <Text as="span" tone="subdued">
              {regionName}
            </Text>
          </InlineStack>
          <InlineStack gap="200">
            <Button onClick={onEdit}>{a.status === "disconnected" ? "Reconnect" : "Edit"}</Button>
            {a.status !== "disconnected" ? (
              <Form method="post" onSubmit={(e) => (confirm(`Disconnect seller ${a.sellerId}? Its credentials are deleted; orders stop coming in.`) ? undefined : e.preventDefault())}>
                <input type="hidden" name="intent" value="disconnect" />
                <input type="hidden" name="accountId" value={a.id} />
                <Button submit tone="critical" loading={busy}>
                  Disconnect
                </Button>
              </Form>
            ) : null}
          </InlineStack>
        </InlineStack>
        {a.lastError ? (
          <Banner tone="critical" title="Amazon refused the last call">
            {a.lastError}
          </Banner>
        ) : null}
        {a.status !== "disconnected" || a.notifications.status === "unsubscribing" || a.notifications.status === "unsubscribe_failed" ? <NotificationsStatus n={a.notifications} /> : null}
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Marketplaces
            </Text>
            {a.marketplaces.map((m) => (
              <Text as="p" key={m.marketplaceId}>
                {m.name} → channel {m.channelCode}
              </Text>
            ))}
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              What the hub does
            </Text>
            <Text as="p">{FEATURE_NAMES.filter((f) => a.features[f]).map(featureLabel).join(", ") || "nothing (all features off)"}</Text>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Credentials
            </Text>
            <Text as="p">LWA client {a.lwaClientId.replace(/^amzn1\.application-oa2-client\./, "…")}</Text>
            <Text as="p">Refresh token {a.refreshToken}</Text>
            <Text as="p" tone="subdued">
              {a.validatedAt ? `Checked with Amazon ${new Date(a.validatedAt).toLocaleString()}` : "Not checked yet"}
            </Text>
          </BlockStack>
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

function featureLabel(f: (typeof FEATURE_NAMES)[number]): string {
  return { orders: "take orders in", quantities: "publish quantities", shipments: "confirm shipments", fbaInventory: "read FBA stock" }[f];
}

function AccountForm({
  account,
  channels,
  marketplaces,
  regions,
  onCancel,
}: {
  account: AmazonAccountView | null;
  channels: Loaded["amazonChannels"];
  marketplaces: Loaded["marketplaces"];
  regions: Loaded["regions"];
  onCancel?: () => void;
}) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "save";
  const mine = result && !result.ok && result.intent === "save" && result.accountId === (account?.id ?? "") ? result : null;
  const errorFor = (field: string) => (mine?.field === field ? mine.message.replace(/^[\w[\]]+: /, "") : undefined);

  const [region, setRegion] = useState<string>(account?.region ?? "na");
  const regionName = regions.find((r) => r.value === region)?.name ?? region;
  const [sellerId, setSellerId] = useState(account?.sellerId ?? "");
  const [clientId, setClientId] = useState(account?.lwaClientId ?? "");
  const [secret, setSecret] = useState("");
  const [refresh, setRefresh] = useState("");
  const [chosen, setChosen] = useState<Record<string, string>>(Object.fromEntries((account?.marketplaces ?? []).map((m) => [m.marketplaceId, m.channelCode])));
  const [features, setFeatures] = useState<Record<string, boolean>>({ orders: true, quantities: true, shipments: true, fbaInventory: true, ...(account?.features ?? {}) });
  const channelOptions = [{ label: "Choose a channel…", value: "" }, ...channels.map((c) => ({ label: `${c.name} (${c.code})`, value: c.code }))];
  const editing = account !== null;
  const marketplaceError = mine?.field?.startsWith("marketplaces") ? mine.message : undefined;

  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="accountId" value={account?.id ?? ""} />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {editing ? `Edit seller ${account.sellerId}` : "Connect a seller account"}
          </Text>
          {mine && !mine.field?.match(/^(region|sellerId|lwaClientId|lwaClientSecret|refreshToken|marketplaces)/) ? <Banner tone="critical">{mine.message}</Banner> : null}
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <Select label="Region" name="region" options={regions.map((r) => ({ label: `${r.name} (${r.value})`, value: r.value }))} value={region} onChange={setRegion} error={errorFor("region")} />
            <TextField label="Seller id (merchant token)" name="sellerId" value={sellerId} onChange={setSellerId} autoComplete="off" error={errorFor("sellerId")} helpText="Seller Central → Settings → Account info → Merchant token" />
            <TextField label="LWA client id" name="lwaClientId" value={clientId} onChange={setClientId} autoComplete="off" error={errorFor("lwaClientId")} />
            <TextField
              label="LWA client secret"
              name="lwaClientSecret"
              type="password"
              value={secret}
              onChange={setSecret}
              autoComplete="off"
              error={errorFor("lwaClientSecret")}
              helpText={editing ? "Leave empty to keep the stored secret" : undefined}
            />
            <TextField
              label="Refresh token"
              name="refreshToken"
              type="password"
              value={refresh}
              onChange={setRefresh}
              autoComplete="off"
              error={errorFor("refreshToken")}
              helpText={editing ? `Stored: ${account.refreshToken}. Leave empty to keep it.` : "Shown once when the seller authorises the app (starts Atzr|)"}
            />
          </InlineGrid>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Marketplaces in {regionName}, and the hub channel each sells through
            </Text>
            {marketplaceError ? (
              <Text as="p" tone="critical">
                {marketplaceError}
              </Text>
            ) : null}
            {channels.length === 0 ? (
              <Text as="p" tone="critical">
                The shop has no Amazon channel yet: add one on the Channels page first.
              </Text>
            ) : null}
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="200">
              {marketplaces.filter((m) => m.region === region).map((m) => (
                <InlineStack key={m.id} gap="200" blockAlign="center" wrap={false}>
                  <Box minWidth="180px">
                    <Checkbox
                      label={`${m.name} (${m.country})`}
                      name="marketplace"
                      value={m.id}
                      checked={m.id in chosen}
                      onChange={(on) =>
                        setChosen((c) => {
                          const next = { ...c };
                          if (on) next[m.id] = c[m.id] ?? channels.find((ch) => ch.code === `amazon-${m.country.toLowerCase()}`)?.code ?? "";
                          else delete next[m.id];
                          return next;
                        })
                      }
                    />
                  </Box>
                  {m.id in chosen ? <Select label="Channel" labelHidden name={`channel:${m.id}`} options={channelOptions} value={chosen[m.id] ?? ""} onChange={(v) => setChosen((c) => ({ ...c, [m.id]: v }))} /> : null}
                </InlineStack>
              ))}
            </InlineGrid>
          </BlockStack>
          <InlineStack gap="400">
            {FEATURE_NAMES.map((f) => (
              <Checkbox key={f} label={featureLabel(f)} name={`feature:${f}`} checked={features[f] ?? false} onChange={(on) => setFeatures((x) => ({ ...x, [f]: on }))} />
            ))}
          </InlineStack>
          <InlineStack gap="200">
            <Button submit variant="primary" loading={submitting}>
              {editing ? "Check and save" : "Check with Amazon and connect"}
            </Button>
            {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
