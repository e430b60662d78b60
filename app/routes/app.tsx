import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { SandboxShell } from "#app/components/SandboxShell";
import { NAV } from "#app/components/nav";
import { findShop } from "#app/modules/shops/index";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { runtime } = context;
  const auth = await runtime.auth.admin(request);
  const shop = await findShop(runtime.db, auth.shop);
  return json({ apiKey: runtime.env.SHOPIFY_API_KEY, mode: auth.mode, shopName: shop?.name ?? auth.shop });
};

export default function AppLayout() {
  const { apiKey, mode, shopName } = useLoaderData<typeof loader>();
  if (mode === "sandbox") {
    return (
      <SandboxShell shopName={shopName} nav={NAV}>
        <Outlet />
      </SandboxShell>
    );
  }
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        {NAV.map((n, i) => (
          <Link key={n.url} to={n.url} {...(i === 0 ? { rel: "home" } : {})}>
            {n.label}
          </Link>
        ))}
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
