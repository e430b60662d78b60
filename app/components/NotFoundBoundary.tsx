import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ReactNode } from "react";

/**
 * A detail page's ErrorBoundary: a 404 from its loader (a record that is not there, or belongs to another
 * shop) becomes a page that says so and links back; anything else goes to Shopify's boundary, which
 * Remix must see for thrown responses such as re-authentication so that their headers are included.
 */
export function notFoundBoundary(page: { title: string; back: { content: string; url: string }; hint: ReactNode }) {
  return function ErrorBoundary() {
    const error = useRouteError();
    if (isRouteErrorResponse(error) && error.status === 404) {
      const data: unknown = error.data;
      const message = data && typeof data === "object" && "message" in data && typeof data.message === "string" ? data.message : "Not found";
      return (
        <Page title={page.title} backAction={page.back}>
          <Banner tone="critical" title={message}>
            <p>{page.hint}</p>
          </Banner>
        </Page>
      );
    }
    return boundary.error(error);
  };
}
