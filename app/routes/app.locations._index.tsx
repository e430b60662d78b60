import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, IndexTable, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect } from "react";
import { Coordinates, formatAddress, kindLabel, pushInFlight, PushStatusSummary, StockSourceBadge, YesNo } from "#app/components/locations/LocationBits";
import { inventoryPushJobKey, listLocations, SHOPIFY_PUSH_INVENTORY_JOB, summarizePushStatus } from "#app/modules/inventory/index";
import { jobActivityByKey } from "#app/modules/operations/index";

/** While a push is on its way the list refreshes itself, so its end (or its error) shows up. */
const REFRESH_MS = 2_000;

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const locations = await listLocations(runtime.db, shop);
  // Pushes exist only where the hub owns the stock; they are the job rows keyed by location.
  const hubOwned = locations.filter((l) => l.stockSource === "hub");
  const activity = await jobActivityByKey(runtime.db, shop, SHOPIFY_PUSH_INVENTORY_JOB, hubOwned.map((l) => inventoryPushJobKey(l.id)));
  const push = new Map(hubOwned.map((l, i) => [l.id, summarizePushStatus(activity[i]!, l.shopifyLocationId !== null)]));
  return json({
    locations: locations.map((l) => ({
      id: l.id,
      name: l.name,
      kind: l.kind,
      readOnly: l.readOnly,
      active: l.active,
      address1: l.address1,
      city: l.city,
      province: l.province,
      zip: l.zip,
      countryCode: l.countryCode,
      latitude: l.latitude,
      longitude: l.longitude,
      // The routing network is every active location that is not marketplace-managed.
      usedByRouting: l.active && !l.readOnly,
      shipsOnlineOrders: l.shipsOnlineOrders,
      offersPickup: l.offersPickup,
      stockSource: l.stockSource,
      push: push.get(l.id) ?? null,
    })),
  });
};

export const meta: MetaFunction = () => [{ title: "Locations" }];

export default function Locations() {
  const { locations } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const inFlight = locations.some((l) => pushInFlight(l.push));

  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && navigation.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [inFlight, revalidator, navigation.state]);

  const noCoordinates = locations.filter((l) => l.usedByRouting && (l.latitude === null || l.longitude === null));
  const failed = locations.filter((l) => l.push?.state === "failed");

  return (
    <Page title="Locations" subtitle="Where the stock is, what each location does for routing, and whose counts are the truth there." fullWidth>
      <BlockStack gap="400">
        {noCoordinates.length ? (
          <Banner tone="critical" title={`${noCoordinates.map((l) => l.name).join(", ")} ${noCoordinates.length === 1 ? "has" : "have"} no coordinates: routing cannot ship from ${noCoordinates.length === 1 ? "it" : "them"}`}>
            <p>
              Routing measures the distance from each location to the customer (and the shipping cost and transit days that follow from it), so it needs the latitude
              and longitude of every active location. The import takes them from the location&apos;s address in Shopify, which Shopify geocodes: check the address in
              Shopify admin (Settings → Locations), then resync on the <Link url="/app/connections">Connections</Link> page.
            </p>
          </Banner>
        ) : null}
        {failed.length ? (
          <Banner tone="critical" title={`Counts not pushed to Shopify at ${failed.map((l) => l.name).join(", ")}`}>
            <p>Open the location to see the error. Until a push succeeds, Shopify shows other counts there than the hub.</p>
          </Banner>
        ) : null}
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "location", plural: "locations" }}
            itemCount={locations.length}
            selectable={false}
            headings={[
              { title: "Location" },
              { title: "Kind" },
              { title: "Address" },
              { title: "Coordinates" },
              { title: "Ships online" },
              { title: "Pickup" },
              { title: "Active" },
              { title: "Stock source" },
              { title: "Push to Shopify" },
            ]}
          >
            {locations.map((l, i) => (
              <IndexTable.Row id={l.id} key={l.id} position={i}>
                <IndexTable.Cell>
                  <Link url={`/app/locations/${encodeURIComponent(l.id)}`} removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {l.name}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{kindLabel(l.kind)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" breakWord>
                    {formatAddress(l) || "—"}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Coordinates latitude={l.latitude} longitude={l.longitude} usedByRouting={l.usedByRouting} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <YesNo value={l.shipsOnlineOrders} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <YesNo value={l.offersPickup} />
                </IndexTable.Cell>
                <IndexTable.Cell>{l.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</IndexTable.Cell>
                <IndexTable.Cell>
                  <StockSourceBadge stockSource={l.stockSource} readOnly={l.readOnly} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {l.push ? (
                    <PushStatusSummary status={l.push} />
                  ) : (
                    <Text as="span" tone="subdued">
                      {l.readOnly ? "Not pushed" : "Mirrors Shopify"}
                    </Text>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        <InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            Stock source Shopify: the hub mirrors Shopify&apos;s counts. Hub: the hub&apos;s counts are the truth and are pushed to Shopify. Open a location to change it or
            to enter counts.
          </Text>
        </InlineStack>
      </BlockStack>
    </Page>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
