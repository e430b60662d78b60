/**
 * Shopify's search syntax for the `query:` argument of connections
 * (https://shopify.dev/docs/api/usage/search-syntax): terms joined by spaces (AND), `OR`, `AND`,
 * `NOT` / `-` negation, parentheses, `field:value`, range comparators `field:>v`, `:>=`, `:<`, `:<=`,
 * quoted values ('…' or "…") and `*` prefix wildcards.  Only the fields each connection declares
 * are accepted: an unknown field is an error naming it (Shopify would ignore it with a warning,
 * which would make a connector's filter silently do nothing here).
 */

export type SearchFieldType = "time" | "string" | "number" | "id" | "boolean";

export interface SearchField<T> {
  type: SearchFieldType;
  get: (t: T) => unknown;
}

export interface SearchSpec<T> {
  fields: Record<string, SearchField<T>>;
  /** Values a bare word (no field) is matched against, case-insensitively. */
  text?: (t: T) => (string | null | undefined)[];
}

export class SearchSyntaxError extends Error {}

type Node<T> = (t: T) => boolean;

export function compileSearch<T>(query: string | null | undefined, spec: SearchSpec<T>, now: number, connection: string): Node<T> {
  if (!query || !query.trim()) return () => true;
  const tokens = tokenize(query);
  let i = 0;
  const peek = () => tokens[i];
  const parseOr = (): Node<T> => {
    const parts = [parseAnd()];
    while (peek() === "OR") {
      i++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0]! : (t) => parts.some((p) => p(t));
  };
  const parseAnd = (): Node<T> => {
    const parts: Node<T>[] = [];
    while (i < tokens.length && peek() !== ")" && peek() !== "OR") {
      if (peek() === "AND") {
        i++;
        continue;
      }
      parts.push(parseUnary());
    }
    if (!parts.length) throw new SearchSyntaxError(`Invalid search query for ${connection}: "${query}"`);
    return parts.length === 1 ? parts[0]! : (t) => parts.every((p) => p(t));
  };
  const parseUnary = (): Node<T> => {
    const tok = tokens[i]!;
    if (tok === "NOT") {
      i++;
      const inner = parseUnary();
      return (t) => !inner(t);
    }
    if (tok === "(") {
      i++;
      const inner = parseOr();
      if (tokens[i] !== ")") throw new SearchSyntaxError(`Unbalanced parentheses in search query for ${connection}: "${query}"`);
      i++;
      return inner;
    }
    i++;
    if (tok.startsWith("-") && tok.length > 1) {
      const inner = term(tok.slice(1));
      return (t) => !inner(t);
    }
    return term(tok);
  };
  const term = (tok: string): Node<T> => {
    const colon = indexOutsideQuotes(tok, ":");
    if (colon < 0) {
      const word = unquote(tok).toLowerCase();
      if (!spec.text) throw new SearchSyntaxError(`Free-text search is not supported by the Shopify sandbox on ${connection} ("${tok}"); use field:value`);
      return (t) => spec.text!(t).some((v) => typeof v === "string" && v.toLowerCase().includes(word));
    }
    const field = tok.slice(0, colon);
    let rest = tok.slice(colon + 1);
    let op: ":" | ">" | ">=" | "<" | "<=" = ":";
    for (const candidate of [">=", "<=", ">", "<"] as const) {
      if (rest.startsWith(candidate)) {
        op = candidate;
        rest = rest.slice(candidate.length);
        break;
      }
    }
    const def = spec.fields[field];
    if (!def) {
      throw new SearchSyntaxError(
        `Search field '${field}' on ${connection} is not supported by the Shopify sandbox (supported: ${Object.keys(spec.fields).join(", ")})`,
      );
    }
    return compare(def, op, unquote(rest), now, field);
  };
  const node = parseOr();
  if (i < tokens.length) throw new SearchSyntaxError(`Invalid search query for ${connection}: "${query}"`);
  return node;
}

function compare<T>(def: SearchField<T>, op: string, raw: string, now: number, field: string): Node<T> {
  const cmp = (a: number, b: number) => (op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : op === "<=" ? a <= b : a === b);
  switch (def.type) {
    case "time": {
      const dayOnly = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(raw);
      const v = raw === "now" ? now : Date.parse(raw.length === 4 ? `${raw}-01-01` : raw.length === 7 ? `${raw}-01` : raw);
      if (Number.isNaN(v)) throw new SearchSyntaxError(`Invalid time '${raw}' for search field '${field}'`);
      if (op === ":" && dayOnly) return (t) => sameDay(Number(def.get(t)), v);
      return (t) => {
        const x = def.get(t);
        return typeof x === "number" && cmp(x, v);
      };
    }
    case "number":
    case "id": {
      const m = /(\d+)(?:\?.*)?$/.exec(raw);
      const v = def.type === "id" && m ? Number(m[1]) : Number(raw);
      if (Number.isNaN(v)) throw new SearchSyntaxError(`Invalid number '${raw}' for search field '${field}'`);
      return (t) => {
        const x = def.get(t);
        return typeof x === "number" && cmp(x, v);
      };
    }
    case "boolean": {
      const v = raw.toLowerCase() === "true";
      return (t) => def.get(t) === v;
    }
    case "string": {
      if (op !== ":") throw new SearchSyntaxError(`Range comparison is not supported on search field '${field}'`);
      const values = raw.split(",").map((s) => s.toLowerCase());
      const match = (x: unknown) =>
        typeof x === "string" && values.some((v) => (v.endsWith("*") ? x.toLowerCase().startsWith(v.slice(0, -1)) : x.toLowerCase() === v));
      return (t) => {
        const x = def.get(t);
        return Array.isArray(x) ? x.some(match) : match(x);
      };
    }
  }
}

function sameDay(ms: number, dayStart: number) {
  return ms >= dayStart && ms < dayStart + 86_400_000;
}

function tokenize(q: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push(c);
      i++;
      continue;
    }
    let tok = "";
    let quote: string | null = null;
    while (i < q.length) {
      const ch = q[i]!;
      if (quote) {
        tok += ch;
        if (ch === quote) quote = null;
        i++;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        tok += ch;
        i++;
        continue;
      }
      if (/\s/.test(ch) || ch === "(" || ch === ")") break;
      tok += ch;
      i++;
    }
    if (quote) throw new SearchSyntaxError(`Unterminated quote in search query: "${q}"`);
    out.push(tok);
  }
  return out;
}

function indexOutsideQuotes(s: string, ch: string) {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ch) return i;
  }
  return -1;
}

function unquote(s: string) {
  return (s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"')) ? s.slice(1, -1) : s;
}
