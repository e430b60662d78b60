import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { RuleCard } from "./RuleCard";
import { blankRule, type RuleForm } from "./rule-form";
import type { ChannelOption, LocationOption, VersionView } from "./types";

export interface RuleEditorProps {
  versions: VersionView[];
  channels: ChannelOption[];
  locations: LocationOption[];
  /** The version the edits started from; null: from scratch. */
  baseVersion: number | null;
  onBaseVersion(version: number | null): void;
  rules: RuleForm[];
  onRules(rules: RuleForm[]): void;
  dirty: boolean;
  /** The rules as posted (JSON), computed by the page. */
  rulesJson: string;
  note: string;
  onNote(note: string): void;
  saving: boolean;
  /** The last save: success, or the server's message with the rule it points at. */
  outcome: { ok: true; message: string } | { ok: false; message: string; ruleKey: string | null; path: string | null } | null;
}

/** The ordered rule list, edited in the browser and saved as one new draft version. */
export function RuleEditor({ versions, channels, locations, baseVersion, onBaseVersion, rules, onRules, dirty, rulesJson, note, onNote, saving, outcome }: RuleEditorProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const failed = outcome && !outcome.ok ? outcome : null;
  const toggle = (key: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const replace = (i: number, next: RuleForm) => onRules(rules.map((r, j) => (j === i ? next : r)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...rules];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    onRules(next);
  };
  const add = () => {
    const rule = blankRule(rules.map((r) => r.id));
    onRules([...rules, rule]);
    setExpanded((s) => new Set([...s, rule.key]));
  };
  const nextVersion = Math.max(0, ...versions.map((v) => v.version)) + 1;
  const versionOptions = [
    ...versions.map((v) => ({ label: `v${v.version} (${v.status})${v.note ? ` — ${v.note.length > 50 ? `${v.note.slice(0, 49)}…` : v.note}` : ""}`, value: String(v.version) })),
    { label: "Empty profile (no rules)", value: "" },
  ];

  return (
    <section aria-label="Rule editor">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="start" gap="300">
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Rule editor
                </Text>
                {dirty ? <Badge tone="attention">Unsaved changes</Badge> : null}
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                Rules are tried top to bottom: the first rule whose conditions hold and that finds a plan routes the order. Saving creates a new draft version — live
                orders keep the active version until you activate the draft.
              </Text>
            </BlockStack>
            <InlineStack gap="200" blockAlign="end">
              <Box minWidth="280px">
                <Select
                  label="Start from"
                  options={versionOptions}
                  value={baseVersion === null ? "" : String(baseVersion)}
                  onChange={(v) => onBaseVersion(v === "" ? null : Number(v))}
                  helpText="Loading a version replaces the edits below"
                />
              </Box>
            </InlineStack>
          </InlineStack>

          {failed ? (
            <Banner tone="critical" title={`Not saved: ${failed.message}`}>
              <p>Your edits are still here. Fix the field named above{failed.ruleKey ? " (its rule is opened and outlined)" : ""} and save again.</p>
            </Banner>
          ) : outcome?.ok ? (
            <Banner tone="success" title={outcome.message} />
          ) : null}

          <BlockStack gap="300">
            {rules.length === 0 ? (
              <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
                <Text as="p" tone="subdued">
                  No rules: every order would be unroutable. Add a rule to start.
                </Text>
              </Box>
            ) : null}
            {rules.map((r, i) => {
              const error = failed && failed.ruleKey === r.key && failed.path ? { path: failed.path, message: failed.message } : null;
              return (
                <RuleCard
                  key={r.key}
                  rule={r}
                  index={i}
                  count={rules.length}
                  open={expanded.has(r.key) || error !== null}
                  error={error}
                  channels={channels}
                  locations={locations}
                  onToggle={() => toggle(r.key)}
                  onChange={(next) => replace(i, next)}
                  onMove={(by) => move(i, by)}
                  onRemove={() => onRules(rules.filter((_, j) => j !== i))}
                />
              );
            })}
            <InlineStack>
              <Button onClick={add}>Add rule</Button>
            </InlineStack>
          </BlockStack>

          <Box borderBlockStartWidth="025" borderColor="border" paddingBlockStart="400">
            <Form method="post">
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="rules" value={rulesJson} />
              <input type="hidden" name="baseVersion" value={baseVersion ?? ""} />
              <InlineStack gap="300" blockAlign="end" wrap>
                <Box minWidth="360px">
                  <TextField label="Version note" name="note" value={note} onChange={onNote} autoComplete="off" placeholder="What changed and why" helpText="Shown in the version list" />
                </Box>
                <Box paddingBlockEnd="500">
                  <Button submit variant="primary" loading={saving}>
                    {`Save as draft v${nextVersion}`}
                  </Button>
                </Box>
              </InlineStack>
            </Form>
          </Box>
        </BlockStack>
      </Card>
    </section>
  );
}
