import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, List, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import type { RoutingStatus, SimulationAggregates } from "#app/modules/routing/index";
import { DAY_CHOICES, type PlanView, type VersionView, type WhatIfResult } from "./types";

/** "unsaved" = the editor's current rules; otherwise a version number. */
export type WhatIfTarget = string;

export interface WhatIfPanelProps {
  versions: VersionView[];
  target: WhatIfTarget;
  onTarget(target: WhatIfTarget): void;
  /** The editor's rules as JSON, for "unsaved edits". */
  rulesJson: string;
  dirty: boolean;
}

type Measure = {
  key: keyof SimulationAggregates;
  label: string;
  format(n: number): string;
  /** Which direction is an improvement; null: neither. */
  better: "up" | "down" | null;
};

const plain = (n: number) => String(Math.round(n * 1000) / 1000);
const money = (cents: number) => `${cents < 0 ? "−" : ""}$${(Math.abs(cents) / 100).toFixed(2)}`;
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

const MEASURES: Measure[] = [
  { key: "routed", label: "Routed", format: plain, better: "up" },
  { key: "queued", label: "Queued", format: plain, better: "down" },
  { key: "backordered", label: "Backordered", format: plain, better: "down" },
  { key: "unroutable", label: "Unroutable", format: plain, better: "down" },
  { key: "shipmentsPerOrder", label: "Shipments per routed order", format: plain, better: "down" },
  { key: "splitRate", label: "Split rate", format: percent, better: "down" },
  { key: "costCents", label: "Total shipping cost", format: money, better: "down" },
  { key: "meanCostCents", label: "Mean cost per routed order", format: money, better: "down" },
  { key: "meanDays", label: "Mean delivery days", format: plain, better: "down" },
  { key: "maxDays", label: "Max delivery days", format: plain, better: "down" },
];

function Delta({ measure, value }: { measure: Measure; value: number }) {
  if (value === 0) {
    return (
      <Text as="span" tone="subdued">
        no change
      </Text>
    );
  }
  const sign = value > 0 ? "+" : "−";
  // A change of a share is in percentage points.
  const shown = measure.key === "splitRate" ? `${Math.round(Math.abs(value) * 1000) / 10} pts` : measure.format(Math.abs(value));
  const good = measure.better === null ? null : (measure.better === "up") === value > 0;
  return (
    <Text as="span" tone={good === null ? undefined : good ? "success" : "critical"} fontWeight="semibold">
      {`${sign}${shown}${good === null ? "" : good ? " (better)" : " (worse)"}`}
    </Text>
  );
}

const STATUS_TONE: Record<RoutingStatus, "success" | "warning" | "attention" | "critical"> = { routed: "success", queued: "warning", backordered: "attention", unroutable: "critical" };

function Plan({ plan }: { plan: PlanView }) {
  return (
    // DataTable cells do not wrap; a plan may be long.
    <div style={{ whiteSpace: "normal", minWidth: "240px", maxWidth: "560px" }}>
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center">
          <Badge tone={STATUS_TONE[plan.status]}>{plan.status}</Badge>
          {plan.ruleId ? (
            <Text as="span" variant="bodySm" tone="subdued">
              rule {plan.ruleId}
            </Text>
          ) : null}
        </InlineStack>
        <Text as="p" breakWord>
          {plan.text}
        </Text>
        {plan.costCents !== null ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {money(plan.costCents)} · {plan.days} {plan.days === 1 ? "day" : "days"}
          </Text>
        ) : null}
      </BlockStack>
    </div>
  );
}

function Report({ result }: { result: Extract<WhatIfResult, { ok: true }> }) {
  const { base, compare, delta } = result;
  const headings = ["Measure", base.label, ...(compare ? [compare.label, "Change"] : [])];
  const rows = [
    ["Orders replayed", String(result.orders), ...(compare ? [String(result.orders), ""] : [])],
    ...MEASURES.map((m) => [
      m.label,
      m.format(base.aggregates[m.key]),
      ...(compare && delta ? [m.format(compare.aggregates[m.key]), <Delta key="delta" measure={m} value={delta[m.key]} />] : []),
    ]),
  ];
  const differing = compare ? result.matching : 0;
  return (
    <BlockStack gap="400">
      <Text as="p">
        {result.orders === 0
          ? `No orders in the last ${result.days} days to replay.`
          : compare
            ? `Replayed ${result.orders} orders from the last ${result.days} days: ${differing === 0 ? "every order gets the same plan" : `${differing} ${differing === 1 ? "order gets" : "orders get"} a different plan`} under ${compare.label} than under ${base.label}.`
            : `Replayed ${result.orders} orders from the last ${result.days} days under ${base.label}.`}
      </Text>
      <section aria-label="What-if aggregates">
        <DataTable columnContentTypes={["text", "numeric", ...(compare ? (["numeric", "numeric"] as const) : [])]} headings={headings} rows={rows} increasedTableDensity />
      </section>
      {result.orders > 0 ? (
        <section aria-label={compare ? "Orders with different plans" : "Plans per order"}>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {compare ? "Orders with different plans" : "Plans per order"}
            </Text>
            {result.rows.length === 0 ? (
              <Text as="p" tone="subdued">
                No order is routed differently.
              </Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", ...(compare ? (["text"] as const) : [])]}
                headings={["Order", base.label, ...(compare ? [compare.label] : [])]}
                rows={result.rows.map((r) => [
                  <Text as="span" fontWeight="semibold" key="name">
                    {r.name}
                  </Text>,
                  <Plan plan={r.base} key="base" />,
                  ...(r.compare ? [<Plan plan={r.compare} key="compare" />] : []),
                ])}
                verticalAlign="top"
              />
            )}
            {result.matching > result.rows.length ? (
              <Text as="p" variant="bodySm" tone="subdued">
                Showing the first {result.rows.length} of {result.matching} orders.
              </Text>
            ) : null}
          </BlockStack>
        </section>
      ) : null}
      {result.notes.length ? (
        <BlockStack gap="100">
          <Text as="p" variant="bodySm" tone="subdued">
            How the replay works:
          </Text>
          <List type="bullet">
            {result.notes.map((n) => (
              <List.Item key={n}>
                <Text as="span" variant="bodySm" tone="subdued">
                  {n}
                </Text>
              </List.Item>
            ))}
          </List>
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}

/** Replay recent orders under a version (or the unsaved edits), next to the active version. */
export function WhatIfPanel({ versions, target, onTarget, rulesJson, dirty }: WhatIfPanelProps) {
  const fetcher = useFetcher<WhatIfResult>();
  const [days, setDays] = useState("30");
  const active = versions.find((v) => v.status === "active") ?? null;
  const options = [
    ...versions.map((v) => ({ label: `v${v.version} (${v.status})`, value: String(v.version) })),
    { label: dirty ? "Unsaved edits in the editor" : "The editor's rules (unchanged)", value: "unsaved" },
  ];
  const run = () => {
    if (target === "unsaved") fetcher.submit({ rules: rulesJson, days }, { method: "post", action: "/app/routing/what-if" });
    else fetcher.load(`/app/routing/what-if?${new URLSearchParams({ version: target, days })}`);
  };
  const running = fetcher.state !== "idle";
  const result = fetcher.data;

  return (
    <section aria-label="What-if">
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              What-if
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              Replays the shop&apos;s recent orders under a version{active ? `, side by side with the active v${active.version}` : ""}. Nothing live changes: no stock is
              reserved and no order is re-routed.
            </Text>
          </BlockStack>
          <InlineStack gap="300" blockAlign="end" wrap>
            <Box minWidth="260px">
              <Select label="Profile to test" options={options} value={target} onChange={onTarget} />
            </Box>
            <Box minWidth="180px">
              <Select
                label="Orders from the last"
                options={DAY_CHOICES.map((d) => ({ label: `${d} days`, value: String(d) }))}
                value={days}
                onChange={setDays}
              />
            </Box>
            <Button variant="primary" onClick={run} loading={running} disabled={target === ""}>
              Run what-if
            </Button>
          </InlineStack>
          {result && !result.ok ? (
            <Banner tone="critical" title={`What-if not run: ${result.message}`}>
              {target === "unsaved" ? <p>Fix the field in the editor and run again.</p> : null}
            </Banner>
          ) : null}
          {result?.ok ? <Report result={result} /> : null}
          {!result && !running ? (
            <Text as="p" tone="subdued">
              Choose a version and run the what-if to see how it would have routed the shop&apos;s orders.
            </Text>
          ) : null}
        </BlockStack>
      </Card>
    </section>
  );
}
