import { readResponse, TransportNetworkError, type Transport } from "./transport";

export interface FetchTransportOptions {
  /**
   * Where the Admin API lives, e.g. "http://127.0.0.1:4010" (the sandbox peer) or
   * "https://my-shop.myshopify.com".  "{shop}" is replaced by the shop's domain, for a peer that
   * serves several shops under one origin ("http://127.0.0.1:4010/shops/{shop}").
   */
  baseUrl: string;
  shop: string;
  apiVersion: string;
  /** Sent as X-Shopify-Access-Token when given. */
  accessToken?: string;
  fetch?: typeof fetch;
}

/**
 * A plain POST to `<baseUrl>/admin/api/<version>/graphql.json` with the global fetch — the same
 * request @shopify/shopify-api sends, to a base URL of our choosing.  shopify-api cannot be pointed
 * at one: its client forces https on the shop domain (docs/decisions/010-shopify-admin-client.md).
 * No retries here; the client decides.
 * https://shopify.dev/docs/api/admin-graphql#endpoints
 */
export function createFetchTransport(opts: FetchTransportOptions): Transport {
  const base = opts.baseUrl.replace("{shop}", encodeURIComponent(opts.shop)).replace(/\/+$/, "");
  const url = `${base}/admin/api/${opts.apiVersion}/graphql.json`;
  const doFetch = opts.fetch ?? fetch;
  return async (request, { signal } = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (opts.accessToken) headers["x-shopify-access-token"] = opts.accessToken;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: request.query, variables: request.variables ?? {}, operationName: request.operationName }),
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new TransportNetworkError(`POST ${url} failed: ${(e as Error).message}`, { cause: e });
    }
    return readResponse(res);
  };
}
