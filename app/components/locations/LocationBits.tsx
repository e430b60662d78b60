import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { ComponentProps } from "react";
import type { PushState, PushStatus } from "#app/modules/inventory/index";

/** Shared by the Locations list and the location page (plain data from their loaders). */

const KIND_LABELS: Record<string, string> = {
  warehouse: "Warehouse",
  store: "Store",
  "3pl": "3PL",
  wholesale_dc: "Wholesale DC",
  marketplace: "Marketplace",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** Same text on the server and in the browser (no time-zone dependent formatting: no hydration mismatch). */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export interface AddressView {
  address1: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  countryCode: string | null;
}

export function formatAddress(a: AddressView): string {
  const cityLine = [a.city, [a.province, a.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [a.address1, cityLine, a.countryCode].filter(Boolean).join(", ");
}

/**
 * Latitude and longitude, or why their absence matters: routing's network is every active location
 * that is not marketplace-managed, and distance, shipping cost and transit days all come from the
 * coordinates, so routing cannot ship from one without them (app/modules/routing).
 */
export function Coordinates({ latitude, longitude, usedByRouting }: { latitude: number | null; longitude: number | null; usedByRouting: boolean }) {
  if (latitude !== null && longitude !== null) {
    return (
      <Text as="span" numeric>
        {`${latitude.toFixed(4)}, ${longitude.toFixed(4)}`}
      </Text>
    );
  }
  return usedByRouting ? (
    <Badge tone="critical">Missing: routing cannot ship from here</Badge>
  ) : (
    <Text as="span" tone="subdued">
      None (not used by routing)
    </Text>
  );
}

export function YesNo({ value }: { value: boolean }) {
  return <Text as="span">{value ? "Yes" : "No"}</Text>;
}

export function StockSourceBadge({ stockSource, readOnly }: { stockSource: string; readOnly: boolean }) {
  if (readOnly) return <Badge tone="info">Marketplace</Badge>;
  return stockSource === "hub" ? <Badge tone="attention">Hub</Badge> : <Badge>Shopify</Badge>;
}

const PUSH_TONE: Record<PushState, ComponentProps<typeof Badge>["tone"]> = {
  not_linked: "warning",
  failed: "critical",
  retrying: "warning",
  pushing: "info",
  queued: "info",
  skipped: "warning",
  pushed: "success",
  never: undefined,
};

const PUSH_LABEL: Record<PushState, string> = {
  not_linked: "Not linked",
  failed: "Failed",
  retrying: "Retrying",
  pushing: "Pushing",
  queued: "Queued",
  skipped: "Not pushed",
  pushed: "Pushed",
  never: "No push yet",
};

/** The push state as a badge, with its headline and the last push's time. */
export function PushStatusSummary({ status }: { status: PushStatus }) {
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center" wrap={false}>
        <Badge tone={PUSH_TONE[status.state]}>{PUSH_LABEL[status.state]}</Badge>
        {status.lastPush?.at ? (
          <Text as="span" variant="bodySm" tone="subdued">
            {`last ${formatTime(status.lastPush.at)}`}
          </Text>
        ) : null}
      </InlineStack>
      {status.state === "pushed" || status.state === "never" ? null : (
        <Text as="span" variant="bodySm" tone={status.state === "failed" ? "critical" : "subdued"} breakWord>
          {status.headline}
        </Text>
      )}
    </BlockStack>
  );
}

/** States in which the page should refresh itself to show the push finishing. */
export function pushInFlight(status: PushStatus | null): boolean {
  return status !== null && (status.state === "queued" || status.state === "pushing" || status.state === "retrying" || status.waiting > 0 || status.running);
}
