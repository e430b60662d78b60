import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, DataTable, Divider, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { addPolicyOverride, listChannelsWithOverrides, removePolicyOverride, updateChannelPolicy } from "#app/modules/inventory/index";
import { DomainError } from "#app/platform/errors";
import { HTTP_STATUS } from "#app/platform/http.server";

type Intent = "save" | "add-override" | "remove-override";

type ActionResult =
  | { ok: true; intent: Intent; channelId: string; message: string }
  | { ok: false; intent: Intent; channelId: string; field: string | null; message: string };

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const { channels, locations } = await listChannelsWithOverrides(runtime.db, shop);
  return json({
    locations: locations.map((l) => ({ id: l.id, name: l.name, kind: l.kind, readOnly: l.readOnly })),
    channels: channels.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      kind: c.kind,
      eligibleLocationIds: c.eligibleLocationIds,
      bufferUnits: c.bufferUnits,
      bufferPercent: c.bufferPercent,
      maxExposure: c.maxExposure,
      zeroPolicy: c.zeroPolicy,
      backorderQuantity: c.backorderQuantity,
      holdTtlMinutes: c.holdTtlMinutes,
      hubHoldsStock: c.hubHoldsStock,
      active: c.active,
      version: new Date(c.updatedAt).toISOString(),
      overrides: c.overrides.map((o) => ({ id: o.id, sku: o.sku, tag: o.tag, bufferUnits: o.bufferUnits, bufferPercent: o.bufferPercent, maxExposure: o.maxExposure })),
    })),
  });
};

/** A form field as the services expect it: text, or null when left empty. */
function text(form: FormData, name: string): string | null {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
}

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  const channelId = String(form.get("channelId") ?? "");
  const channelName = String(form.get("channelName") ?? "channel");
  try {
    if (intent === "save") {
      await updateChannelPolicy({ db: runtime.db, now: runtime.now }, shop, channelId, {
        eligibleLocationIds: form.getAll("eligibleLocationIds").map(String),
        bufferUnits: text(form, "bufferUnits") ?? "0",
        bufferPercent: text(form, "bufferPercent") ?? "0",
        maxExposure: text(form, "maxExposure"),
        zeroPolicy: String(form.get("zeroPolicy") ?? ""),
        backorderQuantity: text(form, "backorderQuantity") ?? "0",
        holdTtlMinutes: text(form, "holdTtlMinutes"),
        active: form.get("active") !== null,
      });
      return json<ActionResult>({ ok: true, intent, channelId, message: `Saved ${channelName}; ATS republishing queued` });
    }
    if (intent === "add-override") {
      const match = text(form, "match");
      const matchBy = form.get("matchBy") === "tag" ? "tag" : "sku";
      await addPolicyOverride(runtime.db, shop, channelId, {
        sku: matchBy === "sku" ? match : null,
        tag: matchBy === "tag" ? match : null,
        bufferUnits: text(form, "bufferUnits"),
        bufferPercent: text(form, "bufferPercent"),
        maxExposure: text(form, "maxExposure"),
      }, runtime.now());
      return json<ActionResult>({ ok: true, intent, channelId, message: `Override added to ${channelName}` });
    }
    if (intent === "remove-override") {
      await removePolicyOverride(runtime.db, shop, String(form.get("overrideId") ?? ""), runtime.now());
      return json<ActionResult>({ ok: true, intent, channelId, message: `Override removed from ${channelName}` });
    }
    return json<ActionResult>({ ok: false, intent, channelId, field: "intent", message: `unknown intent "${intent}"` }, { status: 400 });
  } catch (error) {
    if (error instanceof DomainError) {
      const field = typeof error.details.field === "string" ? error.details.field : null;
      return json<ActionResult>({ ok: false, intent, channelId, field, message: error.message }, { status: HTTP_STATUS[error.kind] });
    }
    throw error;
  }
};

type Channel = ReturnType<typeof useLoaderData<typeof loader>>["channels"][number];
type Location = ReturnType<typeof useLoaderData<typeof loader>>["locations"][number];

const ZERO_POLICIES = [
  { label: "Publish 0", value: "zero" },
  { label: "Delist (take the listing down)", value: "delist" },
  { label: "Backorder (publish a fixed quantity)", value: "backorder" },
];

/** The message for one field of one form, when the last submission failed on it. */
function useFieldError(channelId: string, intent: Intent) {
  const result = useActionData<typeof action>();
  const failed = result && !result.ok && result.channelId === channelId && result.intent === intent ? result : null;
  return {
    failed,
    result: result && result.channelId === channelId && result.intent === intent ? result : null,
    error: (...fields: string[]) => (failed && failed.field !== null && fields.some((f) => failed.field === f || failed.field!.startsWith(`${f}.`)) ? failed.message : undefined),
  };
}

function useSubmitting(channelId: string, intent: Intent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("channelId") === channelId && navigation.formData?.get("intent") === intent;
}

function PolicyForm({ channel, locations }: { channel: Channel; locations: Location[] }) {
  const { failed, result, error } = useFieldError(channel.id, "save");
  const submitting = useSubmitting(channel.id, "save");
  const [eligible, setEligible] = useState<string[]>(channel.eligibleLocationIds);
  const [bufferUnits, setBufferUnits] = useState(String(channel.bufferUnits));
  const [bufferPercent, setBufferPercent] = useState(String(channel.bufferPercent));
  const [maxExposure, setMaxExposure] = useState(channel.maxExposure === null ? "" : String(channel.maxExposure));
  const [zeroPolicy, setZeroPolicy] = useState(channel.zeroPolicy);
  const [backorderQuantity, setBackorderQuantity] = useState(String(channel.backorderQuantity));
  const [holdTtlMinutes, setHoldTtlMinutes] = useState(channel.holdTtlMinutes === null ? "" : String(channel.holdTtlMinutes));
  const [active, setActive] = useState(channel.active);
  const toggle = (id: string, on: boolean) => setEligible((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));

  return (
    <Form method="post">
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="channelId" value={channel.id} />
      <input type="hidden" name="channelName" value={channel.name} />
      <BlockStack gap="400">
        {failed ? (
          <Banner tone="critical" title={`Not saved: ${failed.message}`}>
            <p>Fix the highlighted field and save again.</p>
          </Banner>
        ) : result?.ok ? (
          <Banner tone="success" title={result.message} />
        ) : null}
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Eligible locations
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Stock at these locations counts towards what {channel.name} may sell.
          </Text>
          <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="200">
            {locations.map((l) => {
              const checked = eligible.includes(l.id);
              return (
                <Box key={l.id}>
                  <Checkbox
                    label={l.name}
                    name="eligibleLocationIds"
                    value={l.id}
                    checked={checked}
                    disabled={l.readOnly}
                    helpText={l.readOnly ? "Marketplace-managed (read-only): sold only by its marketplace" : undefined}
                    onChange={(on) => toggle(l.id, on)}
                  />
                  {/* A disabled checkbox is not submitted: keep an existing read-only choice as it is. */}
                  {l.readOnly && checked ? <input type="hidden" name="eligibleLocationIds" value={l.id} /> : null}
                </Box>
              );
            })}
          </InlineGrid>
          {error("eligibleLocationIds") ? (
            <Text as="p" tone="critical">
              {error("eligibleLocationIds")}
            </Text>
          ) : null}
        </BlockStack>
        <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="300">
          <TextField label="Buffer units" name="bufferUnits" type="number" min={0} value={bufferUnits} onChange={setBufferUnits} autoComplete="off" error={error("bufferUnits")} helpText="Units always held back" />
          <TextField
            label="Buffer percent"
            name="bufferPercent"
            type="number"
            min={0}
            suffix="%"
            value={bufferPercent}
            onChange={setBufferPercent}
            autoComplete="off"
            error={error("bufferPercent")}
            helpText="Of the pool, rounded up; the larger buffer wins"
          />
          <TextField label="Max exposure" name="maxExposure" type="number" min={0} value={maxExposure} onChange={setMaxExposure} autoComplete="off" error={error("maxExposure")} helpText="Never publish more than this; empty = no cap" />
          <Select label="When nothing is available" name="zeroPolicy" options={ZERO_POLICIES} value={zeroPolicy} onChange={setZeroPolicy} error={error("zeroPolicy")} />
          <TextField
            label="Backorder quantity"
            name="backorderQuantity"
            type="number"
            min={0}
            value={backorderQuantity}
            onChange={setBackorderQuantity}
            autoComplete="off"
            error={error("backorderQuantity")}
            helpText="Published at 0 under the backorder policy"
          />
          <TextField
            label="Hold expiry"
            name="holdTtlMinutes"
            type="number"
            min={1}
            suffix="minutes"
            value={holdTtlMinutes}
            onChange={setHoldTtlMinutes}
            autoComplete="off"
            error={error("holdTtlMinutes")}
            helpText="Unpaid holds expire after this; empty = never"
          />
        </InlineGrid>
        <InlineStack align="space-between" blockAlign="center">
          <Checkbox label="Active (publish ATS to this channel)" name="active" checked={active} onChange={setActive} error={error("active")} />
          <Button submit variant="primary" loading={submitting}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function describeBuffer(o: Channel["overrides"][number]): string {
  const parts = [o.bufferUnits !== null ? `${o.bufferUnits} units` : null, o.bufferPercent !== null ? `${o.bufferPercent}%` : null].filter(Boolean);
  return parts.length ? parts.join(" or ") : "—";
}

function Overrides({ channel }: { channel: Channel }) {
  const { failed, result, error } = useFieldError(channel.id, "add-override");
  const removal = useFieldError(channel.id, "remove-override");
  const adding = useSubmitting(channel.id, "add-override");
  const navigation = useNavigation();
  const [matchBy, setMatchBy] = useState("sku");
  const [match, setMatch] = useState("");
  const [bufferUnits, setBufferUnits] = useState("");
  const [bufferPercent, setBufferPercent] = useState("");
  const [maxExposure, setMaxExposure] = useState("");
  const [lastAdded, setLastAdded] = useState<unknown>(null);
  // Clear the little form once an override was added.
  if (result?.ok && result !== lastAdded) {
    setLastAdded(result);
    setMatch("");
    setBufferUnits("");
    setBufferPercent("");
    setMaxExposure("");
  }

  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          Overrides
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          Per SKU or per tag buffer and cap; a SKU override beats a tag override beats the channel.
        </Text>
      </BlockStack>
      {removal.failed ? <Banner tone="critical" title={removal.failed.message} /> : removal.result?.ok ? <Banner tone="success" title={removal.result.message} /> : null}
      {channel.overrides.length === 0 ? (
        <Text as="p" tone="subdued">
          No overrides.
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "text"]}
          headings={["Applies to", "Buffer", "Cap", ""]}
          rows={channel.overrides.map((o) => [
            o.sku !== null ? `SKU ${o.sku}` : `Tag ${o.tag ?? ""}`,
            describeBuffer(o),
            o.maxExposure ?? "—",
            <Form method="post" key="remove">
              <input type="hidden" name="intent" value="remove-override" />
              <input type="hidden" name="channelId" value={channel.id} />
              <input type="hidden" name="channelName" value={channel.name} />
              <input type="hidden" name="overrideId" value={o.id} />
              <InlineStack align="end">
                <Button
                  submit
                  variant="plain"
                  tone="critical"
                  accessibilityLabel={`Remove override ${o.sku ?? o.tag ?? ""}`}
                  loading={navigation.state === "submitting" && navigation.formData?.get("overrideId") === o.id}
                >
                  Remove
                </Button>
              </InlineStack>
            </Form>,
          ])}
        />
      )}
      <Form method="post">
        <input type="hidden" name="intent" value="add-override" />
        <input type="hidden" name="channelId" value={channel.id} />
        <input type="hidden" name="channelName" value={channel.name} />
        <BlockStack gap="200">
          {failed ? <Banner tone="critical" title={`Override not added: ${failed.message}`} /> : result?.ok ? <Banner tone="success" title={result.message} /> : null}
          <InlineStack gap="200" blockAlign="end" wrap>
            <Box minWidth="110px">
              <Select label="Match" name="matchBy" options={[{ label: "SKU", value: "sku" }, { label: "Tag", value: "tag" }]} value={matchBy} onChange={setMatchBy} />
            </Box>
            <Box minWidth="180px">
              <TextField label={matchBy === "tag" ? "Tag" : "SKU"} name="match" value={match} onChange={setMatch} autoComplete="off" error={error("sku", "tag")} />
            </Box>
            <Box maxWidth="130px">
              <TextField label="Buffer units" name="bufferUnits" type="number" min={0} value={bufferUnits} onChange={setBufferUnits} autoComplete="off" error={error("bufferUnits")} />
            </Box>
            <Box maxWidth="130px">
              <TextField label="Buffer %" name="bufferPercent" type="number" min={0} value={bufferPercent} onChange={setBufferPercent} autoComplete="off" error={error("bufferPercent")} />
            </Box>
            <Box maxWidth="130px">
              <TextField label="Cap" name="maxExposure" type="number" min={0} value={maxExposure} onChange={setMaxExposure} autoComplete="off" error={error("maxExposure")} />
            </Box>
            <Button submit loading={adding}>
              Add override
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </BlockStack>
  );
}

export default function Channels() {
  const { channels, locations } = useLoaderData<typeof loader>();
  return (
    <Page title="Channels" subtitle="What each sales channel may sell: eligible locations, buffers, caps and what to publish at zero.">
      <Layout>
        {channels.map((c) => (
          <Layout.Section key={c.id}>
            <section aria-label={c.name}>
              <Card>
                <BlockStack gap="400">
                  <InlineStack align="space-between" blockAlign="center">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h2" variant="headingMd">
                        {c.name}
                      </Text>
                      <Text as="span" tone="subdued">
                        {c.code}
                      </Text>
                    </InlineStack>
                    <InlineStack gap="200">
                      {c.hubHoldsStock ? <Badge tone="info">Hub holds stock</Badge> : null}
                      <Badge tone={c.active ? "success" : undefined}>{c.active ? "Active" : "Inactive"}</Badge>
                    </InlineStack>
                  </InlineStack>
                  {/* Re-mount after a save so the fields show what was stored. */}
                  <PolicyForm key={c.version} channel={c} locations={locations} />
                  <Divider />
                  <Overrides channel={c} />
                </BlockStack>
              </Card>
            </section>
          </Layout.Section>
        ))}
      </Layout>
    </Page>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
