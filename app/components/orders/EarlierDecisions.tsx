import { BlockStack, Box, Button, Collapsible, Divider, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { DecisionOutcome, planSummary, profileLabel } from "./DecisionOutcome";
import { DecisionTrace } from "./DecisionTrace";
import { formatTime, plural } from "./format";
import { OrderStatusBadge } from "./OrderStatusBadge";
import { SectionCard } from "./SectionCard";
import type { DecisionView } from "./types";

/** A list without bullets, its items spaced like a BlockStack. */
export const LIST_STYLE = { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: "var(--p-space-300)" } as const;

/** One superseded decision: a summary line, and its full outcome and trace on demand. */
function EarlierDecision({ decision, first }: { decision: DecisionView; first: boolean }) {
  const [open, setOpen] = useState(false);
  const id = `decision-${decision.sequence}-details`;
  return (
    <li aria-label={`Decision #${decision.sequence}`}>
      <BlockStack gap="200">
        {first ? null : <Divider />}
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">{`#${decision.sequence}`}</Text>
            <Text as="span" tone="subdued">
              {formatTime(decision.createdAt)}
            </Text>
            <Text as="span">{`${decision.trigger} by ${decision.actor}`}</Text>
            <OrderStatusBadge status={decision.status} queue={decision.queue} />
            <Text as="span">{decision.ruleId ? `rule ${decision.ruleId}` : "no rule"}</Text>
          </InlineStack>
          <Button variant="plain" onClick={() => setOpen((o) => !o)} ariaExpanded={open} ariaControls={id} accessibilityLabel={`${open ? "Hide" : "Show"} the trace of decision #${decision.sequence}`}>
            {open ? "Hide trace" : "Show trace"}
          </Button>
        </InlineStack>
        <Text as="p" variant="bodySm">
          {`Plan: ${planSummary(decision)}`}
        </Text>
        <Collapsible id={id} open={open}>
          <Box paddingBlockStart="200" paddingInlineStart="400" borderInlineStartWidth="025" borderColor="border">
            <BlockStack gap="400">
              <Text as="p" variant="bodySm" tone="subdued">{`${profileLabel(decision).charAt(0).toUpperCase()}${profileLabel(decision).slice(1)}`}</Text>
              <DecisionOutcome decision={decision} />
              <DecisionTrace trace={decision.trace} />
            </BlockStack>
          </Box>
        </Collapsible>
      </BlockStack>
    </li>
  );
}

/** Decisions the current one replaced, newest first; collapsed until asked for. */
export function EarlierDecisions({ decisions }: { decisions: DecisionView[] }) {
  const [open, setOpen] = useState(false);
  return (
    <SectionCard
      title="Earlier decisions"
      subtitle={decisions.length ? `${plural(decisions.length, "earlier decision")}, newest first` : "The current decision is the only one."}
      actions={
        decisions.length ? (
          <Button onClick={() => setOpen((o) => !o)} ariaExpanded={open} ariaControls="earlier-decisions" disclosure={open ? "up" : "down"}>
            {open ? "Hide earlier decisions" : "Show earlier decisions"}
          </Button>
        ) : undefined
      }
    >
      {decisions.length ? (
        <Collapsible id="earlier-decisions" open={open}>
          <ol style={LIST_STYLE}>
            {decisions.map((d, i) => (
              <EarlierDecision key={d.id} decision={d} first={i === 0} />
            ))}
          </ol>
        </Collapsible>
      ) : null}
    </SectionCard>
  );
}
