/**
 * Relay connections as Shopify serves them (https://shopify.dev/docs/api/usage/pagination-graphql):
 * `edges { cursor node }`, `nodes`, `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`,
 * `first`/`after` forward and `last`/`before` backward, at most 250 per page, `reverse`.
 * Cursors are opaque base64 JSON holding the sort value and id of the row (like Shopify's
 * `{"last_id":…,"last_value":…}`), so paging stays stable while rows change.
 */
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Bulk operations page through the root connection in windows and read nested ones whole. */
export interface BulkPaging {
  window: { first: number; after: string | null };
  /** The page the root connection served last (the bulk runner reads its endCursor). */
  last?: Connection<unknown>;
}

export const MAX_PAGE_SIZE = 250;

type Key = [number | string, number];

export function paginate<T>(
  rows: readonly T[],
  args: ConnectionArgs,
  opts: { id: (t: T) => number; sortValue?: (t: T) => number | string; bulk?: BulkPaging | null; isRoot: boolean; field: string },
): Connection<T> {
  const key = (t: T): Key => [opts.sortValue ? opts.sortValue(t) : opts.id(t), opts.id(t)];
  const dir = args.reverse ? -1 : 1;
  const cmpKey = (a: Key, b: Key) => dir * (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);
  let list: readonly T[] = rows;
  if (opts.sortValue || args.reverse) {
    const keyed = rows.map((r) => ({ r, k: key(r) }));
    keyed.sort((a, b) => cmpKey(a.k, b.k));
    list = keyed.map((x) => x.r);
  }
  let first = args.first ?? null;
  let last = args.last ?? null;
  let after = args.after ?? null;
  let before = args.before ?? null;
  if (opts.bulk) {
    if (opts.isRoot) {
      first = opts.bulk.window.first;
      after = opts.bulk.window.after;
      last = null;
      before = null;
    } else {
      first = list.length;
      last = null;
      after = before = null;
    }
  } else {
    if (first === null && last === null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    for (const [name, v] of [["first", first], ["last", last]] as const) {
      if (v !== null && (v < 0 || v > MAX_PAGE_SIZE)) {
        throw new GraphQLError(`The ${name} argument on ${opts.field} must be between 0 and ${MAX_PAGE_SIZE} (got ${v}).`, { extensions: { code: "BAD_REQUEST" } });
      }
    }
  }
  // Position of the cursors in the ordered list (binary search: the list is sorted by cmpKey).
  const lowerBound = (k: Key, strict: boolean) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = cmpKey(key(list[mid]!), k);
      if (c < 0 || (strict && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let start = after ? lowerBound(decodeCursor(after, opts.field), true) : 0;
  let end = before ? lowerBound(decodeCursor(before, opts.field), false) : list.length;
  if (end < start) end = start;
  if (first !== null) end = Math.min(end, start + first);
  if (last !== null) start = Math.max(start, end - last);
  const page = list.slice(start, end);
  // The cursor is encoded only when selected (bulk reads of nested connections never select it).
  const edges = page.map((node) => ({
    node,
    get cursor() {
      return encodeCursor(key(node));
    },
  }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: end < list.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? encodeCursor(key(page[0]!)) : null,
      endCursor: page.length ? encodeCursor(key(page[page.length - 1]!)) : null,
    },
  };
}

export function encodeCursor([value, id]: Key): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value })).toString("base64");
}

function decodeCursor(cursor: string, field: string): Key {
  try {
    const o = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (typeof o.last_id === "number" && (typeof o.last_value === "number" || typeof o.last_value === "string")) return [o.last_value, o.last_id];
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for ${field}: ${cursor}`, { extensions: { code: "BAD_REQUEST" } });
}
