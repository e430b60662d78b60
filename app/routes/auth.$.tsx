import type { LoaderFunctionArgs } from "@remix-run/node";

// Shopify's auth paths (token exchange, session-token bounce).  authenticate.admin answers them.
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  await context.runtime.shopify.authenticate.admin(request);
  return null;
};
