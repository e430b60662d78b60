/** Helpers for tests that talk to a running Amazon sandbox peer over real HTTP. */
import type { AmazonSandbox } from "./server";

/** A mutable clock for the peer (token, pagination-token and URL expiry). */
export function fakeClock(start = Date.parse("2026-11-27T10:00:00Z")) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export interface SpResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Calls the peer as amazon-sp-api would (x-amz-access-token, JSON body, comma-joined arrays). */
export function spApi(peer: AmazonSandbox, token: string | (() => string)) {
  return async (method: string, path: string, opts: { query?: Record<string, string | number | boolean | string[]>; body?: unknown; rawBody?: string } = {}): Promise<SpResponse> => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) qs.set(k, Array.isArray(v) ? v.join(",") : String(v));
    const url = `${peer.url}${path}${qs.size ? `?${qs}` : ""}`;
    const res = await fetch(url, {
      method,
      headers: { "x-amz-access-token": typeof token === "string" ? token : token(), "content-type": "application/json; charset=utf-8", host: "sellingpartnerapi-na.amazon.com" },
      ...(opts.rawBody !== undefined ? { body: opts.rawBody } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* XML (document host) or empty */
    }
    return { status: res.status, headers: res.headers, body };
  };
}

/** LWA token request with the JSON body amazon-sp-api sends (SellingPartner._constructRefreshAccessTokenBody). */
export async function lwaToken(peer: AmazonSandbox, body: unknown, contentType = "application/json") {
  const res = await fetch(`${peer.url}/auth/o2/token`, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

type Shape = Map<string, { types: Set<string>; count: number }>;

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Every path in a JSON value (arrays as "[]") with the JSON types seen there and how many objects carried it. */
export function shapeOf(values: unknown[], shape: Shape = new Map(), path = ""): Shape {
  for (const v of values) {
    const at = shape.get(path) ?? { types: new Set<string>(), count: 0 };
    at.types.add(typeOf(v));
    at.count++;
    shape.set(path, at);
    if (Array.isArray(v)) shapeOf(v, shape, `${path}[]`);
    else if (v && typeof v === "object") for (const [k, child] of Object.entries(v)) shapeOf([child], shape, path ? `${path}.${k}` : k);
  }
  return shape;
}

/**
 * Compares the peer's answers with Amazon's: every path the peer emits must exist in the fixtures with
 * the same JSON type, and every key that all fixture objects at a path carry must be there too.
 */
export function shapeDifferences(peer: unknown[], fixtures: unknown[]): string[] {
  const ours = shapeOf(peer);
  const theirs = shapeOf(fixtures);
  const problems: string[] = [];
  for (const [path, s] of ours) {
    const t = theirs.get(path);
    if (!t) problems.push(`peer emits ${path || "(root)"}, which Amazon's examples never carry`);
    else for (const ty of s.types) if (!t.types.has(ty)) problems.push(`${path}: peer type ${ty}, Amazon's ${[...t.types].join("|")}`);
  }
  for (const [path, t] of theirs) {
    const parent = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : path.endsWith("[]") ? path.slice(0, -2) : "";
    if (!path) continue;
    const parentShape = theirs.get(parent);
    // A key every fixture object at the parent carries is required of the peer too (when the peer has the parent).
    if (parentShape && t.count === parentShape.count && ours.has(parent) && !ours.has(path) && !path.endsWith("[]")) problems.push(`peer lacks ${path}, which every Amazon example carries`);
  }
  return problems;
}
