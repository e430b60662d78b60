import { Badge, BlockStack, DataTable, Text } from "@shopify/polaris";
import type { ComponentProps } from "react";
import { money } from "./format";
import { SectionCard } from "./SectionCard";
import type { OrderLineView } from "./types";

const RESERVATION_TONES: Record<string, ComponentProps<typeof Badge>["tone"]> = {
  held: "attention",
  committed: "info",
  refused: "critical",
};

/** Where a line's units are held: one entry per location (a kit line holds its components). */
function HeldAt({ line }: { line: OrderLineView }) {
  const r = line.reservation;
  if (!r || r.allocations.length === 0) {
    return (
      <Text as="span" tone="subdued">
        {r?.reason ?? "—"}
      </Text>
    );
  }
  const byLocation = new Map<string, { sku: string; quantity: number }[]>();
  for (const a of r.allocations) byLocation.set(a.location, [...(byLocation.get(a.location) ?? []), { sku: a.sku, quantity: a.quantity }]);
  return (
    <BlockStack gap="050">
      {[...byLocation].map(([location, units]) => (
        <Text as="span" key={location}>
          <Text as="span" fontWeight="semibold">
            {location}
          </Text>
          {`: ${units.map((u) => (u.sku === line.sku ? `${u.quantity}` : `${u.sku}×${u.quantity}`)).join(", ")}`}
        </Text>
      ))}
    </BlockStack>
  );
}

export function OrderLines({ lines, currencyCode }: { lines: OrderLineView[]; currencyCode: string }) {
  return (
    <SectionCard title="Lines" subtitle="Each line's reservation: its status and where its units are held." padding="0">
      <DataTable
        columnContentTypes={["text", "text", "text", "numeric", "numeric", "text", "text"]}
        headings={["Line", "SKU", "Title", "Quantity", "Price", "Reservation", "Held at"]}
        rows={lines.map((l) => [
          l.lineKey,
          l.sku,
          l.title || "—",
          l.quantity,
          money(l.priceCents, currencyCode),
          l.reservation ? (
            <Badge key="r" tone={RESERVATION_TONES[l.reservation.status]}>
              {l.reservation.status}
            </Badge>
          ) : (
            <Text key="r" as="span" tone="subdued">
              none
            </Text>
          ),
          <HeldAt key="at" line={l} />,
        ])}
        totals={[
          "",
          "",
          "",
          lines.reduce((n, l) => n + l.quantity, 0),
          money(
            lines.reduce((n, l) => n + l.priceCents * l.quantity, 0),
            currencyCode
          ),
          "",
          "",
        ]}
        showTotalsInFooter
        totalsName={{ singular: "Total", plural: "Total" }}
      />
    </SectionCard>
  );
}
