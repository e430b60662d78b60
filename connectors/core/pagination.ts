/**
 * The page loop (ARCHITECTURE.md rule 3: connectors describe a page, the core runs the loop).
 * Cursor-based: `fetchPage(cursor)` returns a page; `nextCursor(page)` says where the next one
 * starts, or null at the end.  Callers that checkpoint store the cursor only after committing
 * the page they were handed (rule 4), then resume with `start`.
 */
export async function* paginate<P>(
  fetchPage: (cursor: string | null) => Promise<P>,
  nextCursor: (page: P) => string | null,
  opts: { start?: string | null; maxPages?: number } = {},
): AsyncGenerator<{ page: P; cursor: string | null; next: string | null }> {
  let cursor = opts.start ?? null;
  for (let n = 0; n < (opts.maxPages ?? Number.POSITIVE_INFINITY); n++) {
    const page = await fetchPage(cursor);
    const next = nextCursor(page);
    yield { page, cursor, next };
    if (next === null || next === cursor) return;
    cursor = next;
  }
}

/** A GraphQL connection page (Relay shape, as Shopify returns it). */
export interface ConnectionPage<N> {
  nodes: N[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export const relayNextCursor = <N>(conn: ConnectionPage<N>): string | null => (conn.pageInfo.hasNextPage ? (conn.pageInfo.endCursor ?? null) : null);
