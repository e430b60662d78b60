import { Link as RemixLink, useLocation } from "@remix-run/react";
import { AppProvider, Banner, Box, Frame, Navigation } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import type { ComponentProps, ReactNode } from "react";

type LinkLikeComponentProps = ComponentProps<NonNullable<ComponentProps<typeof AppProvider>["linkComponent"]>>;

export interface NavItem {
  url: string;
  label: string;
}

function PolarisLink({ url, children, external, ...rest }: LinkLikeComponentProps) {
  if (external) {
    return (
      <a href={url} target="_blank" rel="noreferrer" className={rest.className}>
        {children}
      </a>
    );
  }
  return (
    <RemixLink to={url} className={rest.className} aria-current={rest["aria-current"]}>
      {children}
    </RemixLink>
  );
}

/**
 * The admin shell outside Shopify admin: Polaris (bundled, no CDN), our own navigation instead of
 * App Bridge's, and a banner that says plainly this is the sandbox.
 */
export function SandboxShell({ shopName, nav, children }: { shopName: string; nav: NavItem[]; children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <AppProvider i18n={en} linkComponent={PolarisLink}>
      <Frame
        navigation={
          <Navigation location={pathname}>
            <Navigation.Section
              title={shopName}
              items={nav.map((n) => ({ url: n.url, label: n.label, exactMatch: n.url === "/app", selected: n.url === "/app" ? pathname === "/app" : pathname.startsWith(n.url) }))}
            />
          </Navigation>
        }
      >
        <Box padding="400" paddingBlockEnd="0">
          <Banner tone="warning" title="Sandbox">
            <p>
              Local demo of <strong>{shopName}</strong>, outside Shopify admin. Data comes from the seeded demo shop and the sandbox channel peers; nothing is sent to
              Shopify or Amazon.
            </p>
          </Banner>
        </Box>
        {children}
      </Frame>
    </AppProvider>
  );
}
