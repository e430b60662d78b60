import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { InlineGrid, Layout, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect } from "react";
import { AmazonConnectionCard } from "#app/components/connections/AmazonConnectionCard";
import { ComingSoonCard } from "#app/components/connections/ComingSoonCard";
import { amazonNotificationsOverview, listAmazonAccounts } from "#app/modules/amazon/index";
import { ShopifyConnectionCard } from "#app/components/connections/ShopifyConnectionCard";
import { connectionStatus, requestShopifyResync } from "#app/modules/operations/index";
import { SHOPIFY_IMPORT_JOB } from "#app/workflows/shopify-import.server";

/** While an import runs the page refreshes every second (the progress bar); otherwise every 5 s (lag, backlog). */
const ACTIVE_REFRESH_MS = 1_000;
const IDLE_REFRESH_MS = 5_000;

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const now = runtime.now();
  const [status, amazon, notices] = await Promise.all([
    connectionStatus(runtime.db, shop, now, { importJob: SHOPIFY_IMPORT_JOB }),
    listAmazonAccounts(runtime, shop),
    amazonNotificationsOverview(runtime.db, shop, now),
  ]);
  const amazonAccounts = amazon.map((a) => ({
    sellerId: a.sellerId,
    region: a.region,
    status: a.status,
    marketplaces: a.marketplaces.map((m) => m.name),
    lastError: a.lastError,
    notifications: a.notifications.status,
  }));
  // The SQS consumer is the operator's, shared by every shop: a merchant sees whether it is
  // receiving, never its queue URL, its error text or other shops' counts.
  const consumer = runtime.amazon.notifications.health();
  const amazonNotifications = {
    consumer: consumer.state === "off" ? ({ state: "off" } as const) : { state: consumer.state, lastReceiveAt: consumer.lastReceiveAt, consecutiveErrors: consumer.consecutiveErrors },
    lastReceivedAt: notices.lastReceivedAt,
    last24h: notices.last24h,
  };
  return json({ now: now.toISOString(), status, amazonAccounts, amazonNotifications });
};

type ActionResult = { ok: true; jobId: string; alreadyActive: boolean; message: string } | { ok: false; message: string };

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { runtime } = context;
  const { shop } = await runtime.auth.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent !== "resync") return json<ActionResult>({ ok: false, message: `unknown intent "${intent}"` }, { status: 400 });
  const r = await requestShopifyResync({ db: runtime.db, queue: runtime.runner }, shop, { importJob: SHOPIFY_IMPORT_JOB });
  runtime.logger.info("Shopify resync requested", { shop, jobId: r.jobId, alreadyActive: r.alreadyActive });
  return json<ActionResult>({
    ok: true,
    jobId: r.jobId,
    alreadyActive: r.alreadyActive,
    message: r.alreadyActive ? "A resync is already queued or running: showing its progress." : "Resync queued.",
  });
};

export default function Connections() {
  const { now, status, amazonAccounts, amazonNotifications } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const importing = status.lastImport !== null && (status.lastImport.status === "queued" || status.lastImport.status === "running");
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "resync";

  useEffect(() => {
    const timer = setInterval(
      () => {
        if (revalidator.state === "idle" && navigation.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
      },
      importing ? ACTIVE_REFRESH_MS : IDLE_REFRESH_MS,
    );
    return () => clearInterval(timer);
  }, [importing, revalidator, navigation.state]);

  // The notice belongs to the resync just requested; once it finished, the card tells the rest.
  const notice = result && importing && (!result.ok || result.jobId === status.lastImport?.id) ? result.message : result && !result.ok ? result.message : null;

  return (
    <Page title="Connections" subtitle="How each channel's connection is doing: sync, webhook lag, backlog and errors.">
      <Layout>
        <Layout.Section>
          <ShopifyConnectionCard status={status} now={now} submitting={submitting} notice={notice} />
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <AmazonConnectionCard accounts={amazonAccounts} notifications={amazonNotifications} now={now} />
            <ComingSoonCard name="B2B portal" description="Wholesale orders and EDI documents from the B2B portal will show here once its connector is built." />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
