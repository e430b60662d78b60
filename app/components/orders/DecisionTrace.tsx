import { Badge, BlockStack, Box, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import { plural } from "./format";
import type { CandidateGroupView, PlanComparisonGroupView, RuleTraceView, TraceView } from "./types";

/**
 * Why a decision came out as it did: the rules in order (✓ matched, ✗ not, with the reasons), the
 * candidate locations each evaluated rule accepted or rejected, and the plans its search compared.
 */
export function DecisionTrace({ trace }: { trace: TraceView }) {
  return (
    <BlockStack gap="500">
      <RulesTried rules={trace.rules} />
      {trace.candidates.map((g) => (
        <Candidates key={g.ruleId} group={g} />
      ))}
      {trace.plansCompared.map((g) => (
        <PlansCompared key={g.ruleId} group={g} />
      ))}
      <Text as="p" variant="bodySm" tone="subdued">
        {trace.searchMode ? `${plural(trace.plansConsidered, "feasible plan")} considered — ${trace.searchNote ?? `${trace.searchMode} search`}.` : "No rule got as far as a search for a plan."}
      </Text>
    </BlockStack>
  );
}

function RulesTried({ rules }: { rules: RuleTraceView[] }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Rules, in order
      </Text>
      {rules.length === 0 ? (
        <Text as="p" tone="subdued">
          The profile has no rules.
        </Text>
      ) : (
        <ol aria-label="Rules" style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: "var(--p-space-200)" }}>
          {rules.map((r) => (
            <li key={r.ruleId}>
              <BlockStack gap="050">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold" tone={r.matched ? "success" : undefined}>
                    {`${r.matched ? "✓" : "✗"} ${r.ruleId}`}
                  </Text>
                  {r.matched ? <Badge tone="success">matched</Badge> : <Badge>not matched</Badge>}
                </InlineStack>
                <Box paddingInlineStart="500">
                  {r.reasons.map((reason, i) => (
                    <Text as="p" variant="bodySm" tone="subdued" key={i}>
                      {reason}
                    </Text>
                  ))}
                </Box>
              </BlockStack>
            </li>
          ))}
        </ol>
      )}
    </BlockStack>
  );
}

function Candidates({ group }: { group: CandidateGroupView }) {
  const accepted = group.candidates.filter((c) => c.accepted).length;
  return (
    <section aria-label={`Candidates for ${group.ruleId}`}>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="baseline">
          <Text as="h3" variant="headingSm">
            {`Candidate locations for ${group.ruleId}`}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {`${accepted} accepted, ${group.candidates.length - accepted} rejected`}
          </Text>
        </InlineStack>
        <List type="bullet" gap="extraTight">
          {[...group.candidates.filter((c) => c.accepted), ...group.candidates.filter((c) => !c.accepted)].map((c) => (
            <List.Item key={c.locationId}>
              <InlineStack gap="200" blockAlign="center" wrap={false}>
                <span style={{ flexShrink: 0 }}>{c.accepted ? <Badge tone="success">accepted</Badge> : <Badge tone="critical">rejected</Badge>}</span>
                <Text as="span">
                  <Text as="span" fontWeight="semibold">
                    {c.location}
                  </Text>
                  {` — ${c.reason}`}
                </Text>
              </InlineStack>
            </List.Item>
          ))}
        </List>
      </BlockStack>
    </section>
  );
}

function PlansCompared({ group }: { group: PlanComparisonGroupView }) {
  const keys = group.scoreKeys.length ? group.scoreKeys : group.plans[0]?.score.map((_, i) => `score ${i + 1}`) ?? [];
  return (
    <section aria-label={`Plans compared for ${group.ruleId}`}>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {`Plans compared for ${group.ruleId}`}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {`Score = ${keys.join(", ")}: compared left to right, lower wins.`}
        </Text>
        <DataTable
          columnContentTypes={["text", "text", ...keys.map(() => "numeric" as const)]}
          headings={["", "Ships from", ...keys]}
          rows={group.plans.map((p) => [
            p.chosen ? (
              <Badge key="c" tone="success">
                chosen
              </Badge>
            ) : (
              ""
            ),
            p.locations.join(" + "),
            ...p.score.map((n) => n),
          ])}
          increasedTableDensity
        />
      </BlockStack>
    </section>
  );
}
