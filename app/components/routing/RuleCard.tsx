import { BlockStack, Box, Button, ButtonGroup, Checkbox, ChoiceList, Divider, FormLayout, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { ReactNode } from "react";
import { FALLBACKS, LOCATION_KINDS, SORT_KEYS, SPEEDS, SPLIT_POLICIES, concerns, newKey, summarize, type FallbackKind, type RuleForm, type SortForm, type SplitKind } from "./rule-form";
import type { ChannelOption, LocationOption } from "./types";

export interface RuleCardProps {
  rule: RuleForm;
  index: number;
  count: number;
  open: boolean;
  /** Where the server's last error points inside this rule ("splitPolicy.n"), with its message. */
  error: { path: string; message: string } | null;
  channels: ChannelOption[];
  locations: LocationOption[];
  onToggle(): void;
  onChange(next: RuleForm): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}

function Group({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <BlockStack gap="300">
      <BlockStack gap="050">
        <Text as="h4" variant="headingSm">
          {title}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
      {children}
    </BlockStack>
  );
}

/** Choices for known values, plus any value the rule holds that the shop no longer has (kept, marked). */
function withUnknown(choices: { label: string; value: string }[], selected: string[], unknownLabel: (v: string) => string) {
  const known = new Set(choices.map((c) => c.value));
  return [...choices, ...selected.filter((v) => !known.has(v)).map((v) => ({ label: unknownLabel(v), value: v }))];
}

function SortEditor({ rule, error, onChange }: { rule: RuleForm; error: RuleCardProps["error"]; onChange(sort: SortForm[]): void }) {
  const sort = rule.sort;
  const set = (j: number, patch: Partial<SortForm>) => onChange(sort.map((s, k) => (k === j ? { ...s, ...patch } : s)));
  const move = (j: number, by: -1 | 1) => {
    const next = [...sort];
    const [item] = next.splice(j, 1);
    next.splice(j + by, 0, item!);
    onChange(next);
  };
  const err = (...fields: string[]) => (error && concerns(error.path, ...fields) ? error.message : undefined);
  const unused = SORT_KEYS.find((k) => !sort.some((s) => s.by === k.value))?.value ?? "distance";
  return (
    <BlockStack gap="200">
      {sort.length === 0 ? (
        <Text as="p" tone="subdued">
          No criteria: only the number of shipments decides (ties go to the lowest location id).
        </Text>
      ) : null}
      {sort.map((s, j) => (
        <InlineStack key={s.key} gap="200" blockAlign="start" wrap={false}>
          <Box minWidth="260px">
            <Select
              label={`Criterion ${j + 1}`}
              options={withUnknown(
                SORT_KEYS.map((k) => ({ label: k.label, value: k.value })),
                [s.by],
                (v) => `${v} (unknown)`,
              )}
              value={s.by}
              onChange={(by) => set(j, { by })}
              helpText={SORT_KEYS.find((k) => k.value === s.by)?.help}
              error={err(`sort[${j}].by`) ?? (error?.path === `sort[${j}]` ? error.message : undefined)}
            />
          </Box>
          <Box minWidth="160px" maxWidth="240px">
            <TextField
              label={`Weight ${j + 1}`}
              value={s.weight}
              onChange={(weight) => set(j, { weight })}
              autoComplete="off"
              inputMode="decimal"
              placeholder="none"
              helpText="Optional, > 0"
              error={err(`sort[${j}].weight`)}
            />
          </Box>
          <Box paddingBlockStart="600">
            <ButtonGroup variant="segmented">
              <Button size="slim" disabled={j === 0} onClick={() => move(j, -1)} accessibilityLabel={`Move criterion ${j + 1} up`}>
                ↑
              </Button>
              <Button size="slim" disabled={j === sort.length - 1} onClick={() => move(j, 1)} accessibilityLabel={`Move criterion ${j + 1} down`}>
                ↓
              </Button>
              <Button size="slim" tone="critical" onClick={() => onChange(sort.filter((_, k) => k !== j))} accessibilityLabel={`Remove criterion ${j + 1}`}>
                ✕
              </Button>
            </ButtonGroup>
          </Box>
        </InlineStack>
      ))}
      {err("sort") && !sort.some((_, j) => err(`sort[${j}]`)) ? (
        <Text as="p" tone="critical">
          {err("sort")}
        </Text>
      ) : null}
      <InlineStack>
        <Button size="slim" onClick={() => onChange([...sort, { key: newKey("sort"), by: unused, weight: "" }])} disabled={sort.length >= SORT_KEYS.length}>
          Add criterion
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

/** One rule: a summary line, and when open every part of it as fields. */
export function RuleCard({ rule, index, count, open, error, channels, locations, onToggle, onChange, onMove, onRemove }: RuleCardProps) {
  const set = <K extends keyof RuleForm>(key: K) => (value: RuleForm[K]) => onChange({ ...rule, [key]: value });
  const err = (...fields: string[]) => (error && concerns(error.path, ...fields) ? error.message : undefined);
  const names = new Map(locations.map((l) => [l.id, l.name]));
  const locationName = (id: string) => names.get(id) ?? `unknown location ${id}`;
  const kindLabel = (kind: string) => LOCATION_KINDS.find((k) => k.value === kind)?.label ?? kind.charAt(0).toUpperCase() + kind.slice(1).replace("_", " ");
  const locationChoices = locations.map((l) => ({ label: l.name, value: l.id, helpText: kindLabel(l.kind) }));
  const title = rule.name.trim() || rule.id.trim() || "Untitled rule";
  const regionName = `Rule ${index + 1}: ${rule.id.trim() || "no id"}`;
  const fieldsId = `rule-fields-${rule.key}`;

  return (
    <section aria-label={regionName}>
      <Box padding="400" borderWidth="025" borderColor={error ? "border-critical" : "border"} borderRadius="200" background={open ? "bg-surface" : "bg-surface-secondary"}>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="start" gap="300" wrap={false}>
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {index + 1}. {title}{" "}
                <Text as="span" variant="bodySm" tone="subdued" fontWeight="regular">
                  ({rule.id.trim() || "no id"})
                </Text>
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {summarize(rule, locationName)}
              </Text>
            </BlockStack>
            <ButtonGroup noWrap>
              <Button size="slim" onClick={onToggle} ariaExpanded={open} ariaControls={fieldsId} accessibilityLabel={`${open ? "Close" : "Edit"} rule ${rule.id}`}>
                {open ? "Close" : "Edit"}
              </Button>
              <Button size="slim" disabled={index === 0} onClick={() => onMove(-1)} accessibilityLabel={`Move rule ${rule.id} up`}>
                ↑
              </Button>
              <Button size="slim" disabled={index === count - 1} onClick={() => onMove(1)} accessibilityLabel={`Move rule ${rule.id} down`}>
                ↓
              </Button>
              <Button size="slim" tone="critical" onClick={onRemove} accessibilityLabel={`Remove rule ${rule.id}`}>
                Remove
              </Button>
            </ButtonGroup>
          </InlineStack>

          {open ? (
            <div id={fieldsId}>
              <BlockStack gap="500">
                <Divider />
                <FormLayout>
                  <FormLayout.Group>
                    <TextField label="Rule id" value={rule.id} onChange={set("id")} autoComplete="off" helpText="Short and unique; decisions and traces name the rule by it" error={err("id")} />
                    <TextField label="Rule name" value={rule.name} onChange={set("name")} autoComplete="off" helpText="What the rule is for, in words" error={err("name")} />
                  </FormLayout.Group>
                </FormLayout>

                <Group title="Conditions" help="All conditions given must hold; within a list any value may match. Leave a condition empty to ignore it.">
                  <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
                    <ChoiceList
                      title="Channels"
                      allowMultiple
                      choices={withUnknown(
                        channels.map((c) => ({ label: `${c.name} (${c.code})`, value: c.code })),
                        rule.channels,
                        (v) => `${v} (not a channel of this shop)`,
                      )}
                      selected={rule.channels}
                      onChange={set("channels")}
                      error={err("conditions.channels")}
                    />
                    <ChoiceList
                      title="Shipping speeds"
                      allowMultiple
                      choices={withUnknown(
                        SPEEDS.map((s) => ({ label: s.label, value: s.value })),
                        rule.speeds,
                        (v) => `${v} (unknown)`,
                      )}
                      selected={rule.speeds}
                      onChange={set("speeds")}
                      error={err("conditions.speeds")}
                    />
                    <BlockStack gap="300">
                      <Select
                        label="B2B"
                        options={[
                          { label: "Any order", value: "any" },
                          { label: "B2B orders only", value: "yes" },
                          { label: "Consumer orders only", value: "no" },
                        ]}
                        value={rule.b2b}
                        onChange={(v) => onChange({ ...rule, b2b: v as RuleForm["b2b"] })}
                        error={err("conditions.b2b")}
                      />
                      <TextField label="Company ids" value={rule.companyIds} onChange={set("companyIds")} autoComplete="off" helpText="B2B company ids, comma-separated" error={err("conditions.companyIds")} />
                    </BlockStack>
                  </InlineGrid>
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField label="Destination countries" value={rule.countries} onChange={set("countries")} autoComplete="off" placeholder="e.g. US, CA" helpText="ISO codes, comma-separated" error={err("conditions.destination.countries")} />
                      <TextField
                        label="Destination regions"
                        value={rule.regions}
                        onChange={set("regions")}
                        autoComplete="off"
                        placeholder="e.g. US-CA, US-NV"
                        helpText={'"US-CA" cannot be mistaken for Canada; a bare "CA" matches any country'}
                        error={err("conditions.destination.regions")}
                      />
                      <TextField label="Postal code prefixes" value={rule.postalPrefixes} onChange={set("postalPrefixes")} autoComplete="off" placeholder="e.g. 90, 91" helpText="Spaces and case are ignored" error={err("conditions.destination.postalPrefixes")} />
                    </FormLayout.Group>
                  </FormLayout>
                  <BlockStack gap="200">
                    <Checkbox label="Only within a radius of a point" checked={rule.radiusOn} onChange={set("radiusOn")} error={err("conditions.destination.radius") && !err("conditions.destination.radius.lat", "conditions.destination.radius.lng", "conditions.destination.radius.km") ? err("conditions.destination.radius") : undefined} />
                    {rule.radiusOn ? (
                      <FormLayout>
                        <FormLayout.Group condensed>
                          <TextField label="Latitude" value={rule.radiusLat} onChange={set("radiusLat")} autoComplete="off" inputMode="decimal" placeholder="e.g. 34.05" error={err("conditions.destination.radius.lat")} />
                          <TextField label="Longitude" value={rule.radiusLng} onChange={set("radiusLng")} autoComplete="off" inputMode="decimal" placeholder="e.g. -118.24" error={err("conditions.destination.radius.lng")} />
                          <TextField label="Radius" suffix="km" value={rule.radiusKm} onChange={set("radiusKm")} autoComplete="off" inputMode="decimal" error={err("conditions.destination.radius.km")} />
                        </FormLayout.Group>
                      </FormLayout>
                    ) : null}
                  </BlockStack>
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField label="SKU tags" value={rule.skuTags} onChange={set("skuTags")} autoComplete="off" helpText="Some line carries one of these tags" error={err("conditions.skuTags")} />
                      <TextField label="Demand tiers" value={rule.demandTiers} onChange={set("demandTiers")} autoComplete="off" placeholder="e.g. high" helpText="Some line is in one of these tiers" error={err("conditions.demandTiers")} />
                      <TextField label="Customer tags" value={rule.customerTags} onChange={set("customerTags")} autoComplete="off" helpText="The customer carries one of these tags" error={err("conditions.customerTags")} />
                    </FormLayout.Group>
                    <FormLayout.Group condensed>
                      <TextField
                        label="Order value from"
                        prefix="$"
                        value={rule.orderValueMin}
                        onChange={set("orderValueMin")}
                        autoComplete="off"
                        inputMode="decimal"
                        helpText="Inclusive; stored in cents"
                        error={err("conditions.orderValue.min") ?? (error?.path === "conditions.orderValue" ? error.message : undefined)}
                      />
                      <TextField label="Order value up to" prefix="$" value={rule.orderValueMax} onChange={set("orderValueMax")} autoComplete="off" inputMode="decimal" error={err("conditions.orderValue.max")} />
                      <TextField
                        label="Lines from"
                        value={rule.lineCountMin}
                        onChange={set("lineCountMin")}
                        autoComplete="off"
                        inputMode="numeric"
                        helpText="Number of order lines"
                        error={err("conditions.lineCount.min") ?? (error?.path === "conditions.lineCount" ? error.message : undefined)}
                      />
                      <TextField label="Lines up to" value={rule.lineCountMax} onChange={set("lineCountMax")} autoComplete="off" inputMode="numeric" error={err("conditions.lineCount.max")} />
                    </FormLayout.Group>
                  </FormLayout>
                </Group>

                <Divider />
                <Group title="Candidate locations" help="Which locations this rule may ship from. All filters given apply.">
                  <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
                    <ChoiceList
                      title="Location kinds"
                      allowMultiple
                      choices={withUnknown(
                        LOCATION_KINDS.map((k) => ({ label: k.label, value: k.value })),
                        rule.kinds,
                        (v) => v,
                      )}
                      selected={rule.kinds}
                      onChange={set("kinds")}
                      error={err("candidateFilter.locationKinds")}
                    />
                    <ChoiceList title="Only these locations" allowMultiple choices={withUnknown(locationChoices, rule.include, locationName)} selected={rule.include} onChange={set("include")} error={err("candidateFilter.include")} />
                    <ChoiceList title="Never these locations" allowMultiple choices={withUnknown(locationChoices, rule.exclude, locationName)} selected={rule.exclude} onChange={set("exclude")} error={err("candidateFilter.exclude")} />
                  </InlineGrid>
                  <Box maxWidth="240px">
                    <TextField
                      label="Maximum distance"
                      suffix="km"
                      value={rule.maxDistanceKm}
                      onChange={set("maxDistanceKm")}
                      autoComplete="off"
                      inputMode="decimal"
                      helpText="From the location to the customer; empty = any"
                      error={err("candidateFilter.maxDistanceKm")}
                    />
                  </Box>
                </Group>

                <Divider />
                <Group
                  title="Ranking"
                  help="Fewest shipments always comes first. Then criteria in this order; weighted criteria are summed into one score at the first weighted one (a weight converts the unit: cost 1 and delivery days 300 = a day is worth $3)."
                >
                  <SortEditor rule={rule} error={error} onChange={set("sort")} />
                </Group>

                <Divider />
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                  <Group title="Split policy" help="How many shipments an order may become.">
                    <Select label="Split policy" labelHidden options={SPLIT_POLICIES} value={rule.split} onChange={(v) => onChange({ ...rule, split: v as SplitKind })} error={err("splitPolicy.kind")} />
                    {rule.split === "max_shipments" ? (
                      <Box maxWidth="240px">
                        <TextField label="Maximum shipments" value={rule.splitN} onChange={set("splitN")} autoComplete="off" inputMode="numeric" helpText="Whole number, at least 1" error={err("splitPolicy.n")} />
                      </Box>
                    ) : null}
                    {rule.split === "split_lines" ? (
                      <Box maxWidth="240px">
                        <TextField
                          label="Maximum shipments"
                          value={rule.splitMaxShipments}
                          onChange={set("splitMaxShipments")}
                          autoComplete="off"
                          inputMode="numeric"
                          placeholder="no limit"
                          helpText="Optional cap even when lines split"
                          error={err("splitPolicy.maxShipments")}
                        />
                      </Box>
                    ) : null}
                  </Group>
                  <Group title="Fallback" help="What happens when the rule matches but no plan satisfies it.">
                    <Select label="Fallback" labelHidden options={FALLBACKS} value={rule.fallback} onChange={(v) => onChange({ ...rule, fallback: v as FallbackKind })} error={err("fallback.kind")} />
                    {rule.fallback === "queue" ? (
                      <FormLayout>
                        <TextField label="Queue name" value={rule.queue} onChange={set("queue")} autoComplete="off" placeholder="e.g. b2b-review" error={err("fallback.queue")} />
                        <TextField label="Reason" value={rule.queueReason} onChange={set("queueReason")} autoComplete="off" helpText="Shown with each order parked in the queue" error={err("fallback.reason")} />
                      </FormLayout>
                    ) : null}
                  </Group>
                </InlineGrid>
              </BlockStack>
            </div>
          ) : null}
        </BlockStack>
      </Box>
    </section>
  );
}
