import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, Divider, InlineGrid, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { ConnectionState, ImportSummary, ShopifyConnectionStatus } from "#app/modules/operations/index";
import { ago, duration, percent, timestamp } from "./format";

const STATE_BADGE: Record<ConnectionState, { tone: "success" | "info" | "critical"; label: string }> = {
  connected: { tone: "success", label: "Connected" },
  importing: { tone: "info", label: "Importing" },
  attention: { tone: "critical", label: "Attention needed" },
};

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingMd">
          {value}
        </Text>
        {detail ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        ) : null}
      </BlockStack>
    </Box>
  );
}

function summaryLine(r: ImportSummary | null): string | null {
  if (!r) return null;
  const parts: string[] = [];
  if (r.locations) parts.push(`${r.locations.linked} locations linked, ${r.locations.created} created`);
  if (r.variants) parts.push(`${r.variants.seen} SKUs (${r.variants.linked} linked, ${r.variants.created} created${r.variants.withoutSku ? `, ${r.variants.withoutSku} without SKU` : ""})`);
  if (r.levels) parts.push(`${r.levels.seen} stock levels (${r.levels.changed} changed, ${r.levels.skipped} skipped)`);
  return parts.length ? parts.join(" · ") : null;
}

function ImportSection({ status, now }: { status: ShopifyConnectionStatus; now: string }) {
  const job = status.lastImport;
  const active = job !== null && (job.status === "queued" || job.status === "running");
  const last = status.lastCompletedImport;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Import and resync
      </Text>
      {active && job ? (
        <BlockStack gap="100">
          <Text as="p" id="resync-progress-label">
            {job.status === "queued" ? "Resync queued — waiting for a worker" : `Resync running: ${job.progress?.message ?? "starting"}`}
            {job.progress && job.progress.total > 0 ? ` (${job.progress.done} of ${job.progress.total})` : ""}
          </Text>
          <ProgressBar progress={job.progress && job.progress.total > 0 ? Math.min(100, Math.round((job.progress.done / job.progress.total) * 100)) : 0} ariaLabelledBy="resync-progress-label" tone="highlight" />
        </BlockStack>
      ) : null}
      {job && job.status === "failed" ? (
        <Text as="p" tone="critical">
          Last import failed {ago(job.finishedAt, now)} after {job.attempts} attempt{job.attempts === 1 ? "" : "s"}: {job.lastError ?? "no message"}
        </Text>
      ) : null}
      {job && job.status === "queued" && job.lastError ? (
        <Text as="p" tone="caution">
          Retrying after: {job.lastError}
        </Text>
      ) : null}
      {last ? (
        <BlockStack gap="050">
          <Text as="p">
            Last sync completed {ago(last.finishedAt, now)} ({timestamp(last.finishedAt)})
          </Text>
          {summaryLine(last.result) ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {summaryLine(last.result)}
            </Text>
          ) : null}
        </BlockStack>
      ) : (
        <Text as="p" tone="subdued">
          No import has completed yet.
        </Text>
      )}
    </BlockStack>
  );
}

export function ShopifyConnectionCard({ status, now, submitting, notice }: { status: ShopifyConnectionStatus; now: string; submitting: boolean; notice: string | null }) {
  const badge = STATE_BADGE[status.state];
  const w = status.webhooks;
  const queuedJobs = status.backlog.jobs.reduce((n, j) => n + j.queued, 0);
  const runningJobs = status.backlog.jobs.reduce((n, j) => n + j.running, 0);
  return (
    <section aria-label="Shopify">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <BlockStack gap="050">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Shopify
                </Text>
                <Badge tone={badge.tone}>{badge.label}</Badge>
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {status.shop.domain} · {status.shop.installState}
                {status.offlineSession ? " · offline access granted" : " · no offline access token"}
              </Text>
            </BlockStack>
            <Form method="post">
              <input type="hidden" name="intent" value="resync" />
              <Button submit variant="primary" loading={submitting}>
                Resync now
              </Button>
            </Form>
          </InlineStack>

          {notice ? <Banner tone="info" title={notice} /> : null}
          {status.state === "attention" && status.reasons.length > 0 ? (
            <Banner tone="warning" title="Attention needed">
              <BlockStack gap="100">
                {status.reasons.map((r) => (
                  <Text as="p" key={r}>
                    {r}
                  </Text>
                ))}
              </BlockStack>
            </Banner>
          ) : null}

          <ImportSection status={status} now={now} />
          <Divider />

          <InlineGrid columns={{ xs: 2, md: 3, xl: 6 }} gap="300">
            <Stat label="Locations linked" value={`${status.locations.linked}`} detail={status.locations.unlinked ? `${status.locations.unlinked} not linked` : "all linked"} />
            <Stat label="SKUs linked" value={`${status.variants.linked}`} detail={status.variants.unlinked ? `${status.variants.unlinked} not linked` : "all linked"} />
            <Stat label="Last webhook" value={ago(w.lastReceivedAt, now)} detail={w.lastTopic ?? "none received yet"} />
            <Stat label="Webhook lag" value={duration(w.lagMs)} detail="since the newest webhook" />
            <Stat label="Processing time (1 h)" value={`p50 ${duration(w.processing.p50Ms)}`} detail={`max ${duration(w.processing.maxMs)} · ${w.processing.count} events`} />
            <Stat
              label="Backlog"
              value={`${status.backlog.unprocessed} webhook${status.backlog.unprocessed === 1 ? "" : "s"}`}
              detail={`${queuedJobs} jobs queued, ${runningJobs} running${status.backlog.oldestUnprocessedAt ? ` · oldest ${ago(status.backlog.oldestUnprocessedAt, now)}` : ""}`}
            />
          </InlineGrid>

          <section aria-label="Webhooks by topic">
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Webhooks by topic (last 24 h)
              </Text>
              {status.topics.length === 0 ? (
                <Text as="p" tone="subdued">
                  No webhooks received in the last 24 hours.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                  headings={["Topic", "Received", "Processed", "Failed", "Quarantined", "Pending", "Error rate"]}
                  rows={status.topics.map((t) => [t.label, t.received, t.processed, t.failed, t.quarantined, t.pending, percent(t.errorRate)])}
                />
              )}
            </BlockStack>
          </section>

          {status.backlog.jobs.length > 0 ? (
            <section aria-label="Jobs waiting">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Jobs waiting or running
                </Text>
                <DataTable columnContentTypes={["text", "numeric", "numeric"]} headings={["Job", "Queued", "Running"]} rows={status.backlog.jobs.map((j) => [j.name, j.queued, j.running])} />
              </BlockStack>
            </section>
          ) : null}

          <section aria-label="Recent errors">
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Recent errors
              </Text>
              {status.recentErrors.length === 0 ? (
                <Text as="p" tone="subdued">
                  No failed or quarantined webhooks.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text"]}
                  headings={["Received", "Topic", "Status", "Attempts", "Error"]}
                  rows={status.recentErrors.map((e) => [timestamp(e.receivedAt), e.label, e.status, e.attempts, e.error ?? ""])}
                />
              )}
            </BlockStack>
          </section>
        </BlockStack>
      </Card>
    </section>
  );
}
