import { BlockStack, Box, Card, InlineStack, Text } from "@shopify/polaris";
import type { ComponentProps, ReactNode } from "react";

/**
 * A card of the order page: a labelled landmark (screen readers, tests) with a heading, an
 * optional line under it and optional actions on the right.  New sections of the page (Shopify
 * fulfillment orders, the events timeline) are further SectionCards.
 */
export function SectionCard({
  title,
  subtitle,
  actions,
  padding,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  padding?: ComponentProps<typeof Card>["padding"];
  children: ReactNode;
}) {
  const header = (
    <InlineStack align="space-between" blockAlign="start" gap="200">
      <BlockStack gap="100">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {subtitle ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {subtitle}
          </Text>
        ) : null}
      </BlockStack>
      {actions}
    </InlineStack>
  );
  return (
    <section aria-label={title}>
      <Card padding={padding}>
        {padding === "0" ? (
          <>
            <Box padding="400" paddingBlockEnd="200">
              {header}
            </Box>
            {children}
          </>
        ) : (
          <BlockStack gap="300">
            {header}
            {children}
          </BlockStack>
        )}
      </Card>
    </section>
  );
}
