import { z } from "zod";

/**
 * A transport sends one GraphQL request and hands back what came back — status, parsed body and
 * headers — without retrying, throttling or judging it: that is the client's job (admin-client.ts).
 * Two implementations: shopify-api-transport.ts (production, through @shopify/shopify-api) and
 * fetch-transport.ts (a plain POST to a base URL: the local sandbox peer).
 */
export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** For logs and for the sandbox; Shopify reads the name from the document. */
  operationName?: string;
}

const graphqlError = z.looseObject({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});

const throttleStatus = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});

const cost = z.object({
  requestedQueryCost: z.number().nullable().optional(),
  actualQueryCost: z.number().nullable().optional(),
  throttleStatus: throttleStatus.optional(),
});

/** The response envelope, validated at the edge (ARCHITECTURE.md rule 3); `data` is the caller's to type. */
const envelope = z.looseObject({
  data: z.unknown().optional(),
  errors: z.array(graphqlError).optional(),
  extensions: z.looseObject({ cost: cost.optional() }).optional(),
});

export type GraphqlError = z.infer<typeof graphqlError>;
export type ThrottleStatus = z.infer<typeof throttleStatus>;
export type QueryCost = z.infer<typeof cost>;

export interface GraphqlResponseBody {
  data?: unknown;
  errors?: GraphqlError[];
  extensions?: { cost?: QueryCost; [key: string]: unknown };
}

export interface TransportResponse {
  status: number;
  body: GraphqlResponseBody;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Set when the body was not the JSON envelope (an HTML error page, a proxy's text): its first 500 characters. */
  unparsedBody?: string;
}

export type Transport = (request: GraphqlRequest, opts?: { signal?: AbortSignal }) => Promise<TransportResponse>;

/**
 * The request did not produce a response (DNS, connection reset, timeout).  It may or may not have
 * reached Shopify, so only retry-safe requests are retried after it.
 */
export class TransportNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportNetworkError";
  }
}

/** Read a fetch Response into a TransportResponse (both transports). */
export async function readResponse(res: Response): Promise<TransportResponse> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success || json === undefined) {
    return { status: res.status, body: {}, headers, unparsedBody: text.slice(0, 500) };
  }
  return { status: res.status, body: parsed.data as GraphqlResponseBody, headers };
}
