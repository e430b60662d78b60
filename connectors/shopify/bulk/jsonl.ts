/**
 * Streaming reader for Shopify bulk operation results (JSON Lines).
 *
 * A bulk query's result is one JSON object per line; objects of a nested connection come on lines
 * of their own with `__parentId` naming their parent, after it
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries#download-result-data).  A 100 000-row
 * file must not sit in memory, so lines are parsed as the bytes arrive and handed on in batches.
 */
export interface BulkRow {
  id?: string;
  __parentId?: string;
  [field: string]: unknown;
}

export class BulkLineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`bulk result line ${line}: ${message}`);
    this.name = "BulkLineError";
  }
}

/** Rows of a JSONL byte stream, one at a time, in file order; a malformed line names its number. */
export async function* readBulkRows(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<BulkRow> {
  const decoder = new TextDecoder();
  let carry = "";
  let lineNo = 0;
  const parse = (text: string): BulkRow | null => {
    lineNo++;
    if (!text.trim()) return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new BulkLineError(lineNo, `not JSON (${(e as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new BulkLineError(lineNo, "not a JSON object");
    return value as BulkRow;
  };
  for await (const chunk of chunks) {
    carry += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    // Walk the buffer with an index and cut it once per chunk (slicing per line would copy the
    // rest of the chunk for every line).
    let start = 0;
    let nl = carry.indexOf("\n", start);
    while (nl !== -1) {
      const row = parse(carry.slice(start, nl));
      start = nl + 1;
      if (row) yield row;
      nl = carry.indexOf("\n", start);
    }
    carry = carry.slice(start);
  }
  carry += decoder.decode();
  const last = parse(carry);
  if (last) yield last;
}

/** Group rows into batches of at most `size`, so a consumer can write each batch in one transaction. */
export async function* batches<T>(rows: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The type name of a row from its gid (gid://shopify/InventoryLevel/123?inventory_item_id=… → "InventoryLevel"). */
export function gidType(id: string | undefined): string | null {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id ?? "");
  return m ? m[1]! : null;
}

/** A top-level object of a bulk result with the nested-connection objects that belong to it. */
export interface BulkObject {
  parent: BulkRow;
  children: BulkRow[];
}

/**
 * Objects of a bulk result run with `groupObjects: true`, each with its children: Shopify then
 * writes a parent's nested-connection rows right after it
 * (https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/bulkOperationRunQuery, argument
 * groupObjects), so an object is complete when the next top-level row (or the end) arrives and only
 * one object is in memory at a time.  A child row naming another parent means the result was not
 * grouped: that is an error (naming the row), not a silent mis-assignment.
 */
export async function* groupedObjects(rows: AsyncIterable<BulkRow>): AsyncGenerator<BulkObject> {
  let current: BulkObject | null = null;
  let n = 0;
  for await (const row of rows) {
    n++;
    if (row.__parentId === undefined) {
      if (current) yield current;
      current = { parent: row, children: [] };
      continue;
    }
    if (!current || row.__parentId !== current.parent.id) {
      throw new BulkLineError(n, `child of ${row.__parentId} does not follow its parent${current ? ` (the last parent was ${current.parent.id})` : ""}; was the bulk query run with groupObjects: true?`);
    }
    current.children.push(row);
  }
  if (current) yield current;
}
