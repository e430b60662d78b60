import { Badge } from "@shopify/polaris";
import type { ComponentProps } from "react";

type Tone = ComponentProps<typeof Badge>["tone"];

const STATUS: Record<string, { label: string; tone: Tone }> = {
  received: { label: "Received", tone: undefined },
  reserved: { label: "Reserved", tone: "info" },
  routed: { label: "Routed", tone: "success" },
  queued: { label: "Queued", tone: "attention" },
  backordered: { label: "Backordered", tone: "warning" },
  unroutable: { label: "Unroutable", tone: "critical" },
  refused: { label: "Refused", tone: "critical" },
  cancelled: { label: "Cancelled", tone: undefined },
  fulfilled_by_channel: { label: "Fulfilled by the channel", tone: undefined },
  fulfilled: { label: "Fulfilled", tone: "success" },
  closed: { label: "Closed", tone: undefined },
};

export function statusLabel(status: string, queue?: string | null): string {
  const label = STATUS[status]?.label ?? status;
  return status === "queued" && queue ? `${label}: ${queue}` : label;
}

/** An order's (or a decision's) status; a queued one names its queue. */
export function OrderStatusBadge({ status, queue }: { status: string; queue?: string | null }) {
  return <Badge tone={STATUS[status]?.tone}>{statusLabel(status, queue)}</Badge>;
}
