import type { GraphqlClient } from "@shopify/shopify-api";
import { readResponse, TransportNetworkError, type Transport } from "./transport";

/** What the transport needs of shopify-api's `new shopify.clients.Graphql({ session })`. */
export type ShopifyGraphqlClient = Pick<GraphqlClient, "client">;

export interface ShopifyApiTransportOptions {
  /**
   * A client for this shop, asked for before every request so an expiring offline token can be
   * refreshed in between (app/platform/shopify-admin.server.ts loads the session).
   */
  client: () => Promise<ShopifyGraphqlClient> | ShopifyGraphqlClient;
}

/**
 * Production transport on @shopify/shopify-api 15's GraphQL client.  It calls the underlying
 * admin-api-client's `fetch` rather than `request`, because `request` throws away what the cost
 * model needs: it throws on any `errors` (THROTTLED included) and turns a 429/5xx into an exception
 * without the body, and `admin.graphql` re-wraps the answer in a 200.  `fetch` returns the raw
 * Response: status, headers and the body with `extensions.cost`.
 * Retries are off: createAdminApiClient defaults `retries` to 0 and shopify-api passes none; we
 * pass none either (graphql-client drops a falsy `retries` and would otherwise retry 429/503 after
 * a fixed 1 s, hidden from the bucket) — the contract test counts one HTTP request per attempt.
 * https://github.com/Shopify/shopify-app-js/blob/main/packages/api-clients/graphql-client/README.md
 */
export function createShopifyApiTransport(opts: ShopifyApiTransportOptions): Transport {
  return async (request, { signal } = {}) => {
    const gql = await opts.client();
    let res: Response;
    try {
      res = await gql.client.fetch(request.query, { variables: request.variables, signal });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new TransportNetworkError(`Shopify Admin API request failed: ${(e as Error).message}`, { cause: e });
    }
    return readResponse(res);
  };
}
