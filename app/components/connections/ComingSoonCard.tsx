import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";

/** A channel whose connector is not built yet: says so, shows no figures. */
export function ComingSoonCard({ name, description }: { name: string; description: string }) {
  return (
    <section aria-label={name}>
      <Card>
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {name}
            </Text>
            <Badge>Not connected</Badge>
          </InlineStack>
          <Text as="p">Not connected yet — coming with their connectors.</Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {description}
          </Text>
        </BlockStack>
      </Card>
    </section>
  );
}
