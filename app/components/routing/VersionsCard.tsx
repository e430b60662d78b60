import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, ButtonGroup, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { VersionStatus, VersionView } from "./types";

/** Same text on the server and in the browser (no time-zone dependent formatting: no hydration mismatch). */
export function formatTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "—";
}

const STATUS_TONE: Record<VersionStatus, "success" | "info" | undefined> = { active: "success", draft: "info", retired: undefined };
const STATUS_LABEL: Record<VersionStatus, string> = { active: "Active", draft: "Draft", retired: "Retired" };

export function StatusBadge({ status }: { status: VersionStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge>;
}

export interface VersionsCardProps {
  versions: VersionView[];
  rollbackTo: number | null;
  /** The last activate / rollback, if any. */
  outcome: { ok: boolean; message: string } | null;
  editing: number | null;
  onEdit(version: number): void;
  onWhatIf(version: number): void;
}

/** Every version of the profile, newest first, with activate / roll back. */
export function VersionsCard({ versions, rollbackTo, outcome, editing, onEdit, onWhatIf }: VersionsCardProps) {
  const navigation = useNavigation();
  const busy = (intent: string, version?: number) =>
    navigation.state === "submitting" && navigation.formData?.get("intent") === intent && (version === undefined || navigation.formData?.get("version") === String(version));
  const active = versions.find((v) => v.status === "active") ?? null;

  return (
    <section aria-label="Profile versions">
      <Card padding="0">
        <Box padding="400">
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="start" gap="300">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Profile versions
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  Saved versions never change. Live orders are routed by the active version; activating another retires it (kept for roll back).
                </Text>
              </BlockStack>
              <Form method="post">
                <input type="hidden" name="intent" value="rollback" />
                <Button submit disabled={rollbackTo === null} loading={busy("rollback")} accessibilityLabel={rollbackTo === null ? "Roll back (no earlier active version)" : undefined}>
                  {rollbackTo === null ? "Roll back" : `Roll back to v${rollbackTo}`}
                </Button>
              </Form>
            </InlineStack>
            {outcome ? <Banner tone={outcome.ok ? "success" : "critical"} title={outcome.message} /> : null}
            {!active && versions.length > 0 ? (
              <Banner tone="warning" title="No active version">
                <p>Orders are not routed by rules until a version is activated.</p>
              </Banner>
            ) : null}
          </BlockStack>
        </Box>
        {versions.length === 0 ? (
          <Box padding="400" paddingBlockStart="0">
            <Text as="p" tone="subdued">
              No routing profile yet: write the first rules in the editor below and save them as a draft.
            </Text>
          </Box>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "text", "numeric", "text"]}
            headings={["Version", "Status", "Note", "Author", "Created", "Activated", "Rules", "Actions"]}
            verticalAlign="middle"
            rows={versions.map((v) => [
              <Text as="span" fontWeight="semibold" key="version">
                {`v${v.version}`}
              </Text>,
              <StatusBadge status={v.status} key="status" />,
              <Box maxWidth="420px" key="note">
                <Text as="span" breakWord tone={v.note ? undefined : "subdued"}>
                  {v.note ?? "No note"}
                </Text>
              </Box>,
              v.createdBy,
              formatTime(v.createdAt),
              formatTime(v.activatedAt),
              v.rules.length,
              <InlineStack align="end" gap="200" wrap={false} key="actions">
                <ButtonGroup>
                  <Button size="slim" onClick={() => onEdit(v.version)} pressed={editing === v.version} accessibilityLabel={`Edit a copy of v${v.version}`}>
                    Edit
                  </Button>
                  <Button size="slim" onClick={() => onWhatIf(v.version)} accessibilityLabel={`What-if for v${v.version}`}>
                    What-if
                  </Button>
                </ButtonGroup>
                {v.status === "active" ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="activate" />
                    <input type="hidden" name="version" value={v.version} />
                    <Button submit size="slim" variant="primary" loading={busy("activate", v.version)} accessibilityLabel={`Activate v${v.version}`}>
                      Activate
                    </Button>
                  </Form>
                )}
              </InlineStack>,
            ])}
          />
        )}
      </Card>
    </section>
  );
}
