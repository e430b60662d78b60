import { BlockStack, DataTable, InlineStack, Text } from "@shopify/polaris";
import { formatTime, linesText, money, plural } from "./format";
import { OrderStatusBadge } from "./OrderStatusBadge";
import type { DecisionView, PlanView } from "./types";

/** "profile default v1", or "no active profile" for a decision made without one (stored as version 0). */
export function profileLabel(d: Pick<DecisionView, "profileKey" | "profileVersion">): string {
  return d.profileVersion > 0 ? `profile ${d.profileKey} v${d.profileVersion}` : "no active profile";
}

/** "Decision #2 · manual by admin · 2026-12-02 08:01 UTC · profile default v1" */
export function decisionMeta(d: DecisionView): string {
  return `Decision #${d.sequence} · ${d.trigger} by ${d.actor} · ${formatTime(d.createdAt)} · ${profileLabel(d)}`;
}

/** A plan in one line: "West Coast Warehouse (CC1-RED-ONESIZE×1) + East Coast Fulfillment Center (FV2-BLA-S×1)". */
export function planSummary(d: Pick<DecisionView, "plan" | "queue" | "status">): string {
  if (d.plan) return d.plan.shipments.map((s) => `${s.location} (${linesText(s.lines)})`).join(" + ");
  return d.queue ? `parked in queue ${d.queue}` : "no plan";
}

export function PlanTable({ plan }: { plan: PlanView }) {
  return (
    <BlockStack gap="100">
      <DataTable
        columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
        headings={["Ships from", "Lines", "Distance", "Estimated cost", "Days"]}
        rows={plan.shipments.map((s) => [s.location, linesText(s.lines), `${s.distanceKm} km`, money(s.costCents), s.days])}
        totals={["", "", "", money(plan.totals.costCents), plan.totals.maxDays]}
        showTotalsInFooter
        totalsName={{ singular: plural(plan.totals.shipments, "shipment"), plural: plural(plan.totals.shipments, "shipment") }}
        increasedTableDensity
      />
      <Text as="p" variant="bodySm" tone="subdued">
        {`${plural(plan.totals.shipments, "shipment")}, ${money(plan.totals.costCents)} estimated shipping; the order is complete in ${plural(plan.totals.maxDays, "day")} (its slowest shipment).`}
      </Text>
    </BlockStack>
  );
}

/** What was decided and why in one sentence, then the plan (or where the order waits). */
export function DecisionOutcome({ decision }: { decision: DecisionView }) {
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center">
          <OrderStatusBadge status={decision.status} queue={decision.queue} />
          <Text as="span" fontWeight="semibold">
            {decision.ruleId ? `by rule ${decision.ruleId}` : "no rule decided"}
          </Text>
        </InlineStack>
        <Text as="p">{decision.reason}</Text>
      </BlockStack>
      {decision.plan ? (
        <PlanTable plan={decision.plan} />
      ) : (
        <Text as="p" tone="subdued">
          {decision.queue ? `No plan: the order waits in queue ${decision.queue} for someone to act on it.` : "No plan: no location can ship this order now."}
        </Text>
      )}
    </BlockStack>
  );
}
