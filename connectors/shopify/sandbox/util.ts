/** Small helpers shared by the sandbox: global ids, Shopify's time and money formats, a seeded PRNG. */

export const gid = (type: string, n: number | string) => `gid://shopify/${type}/${n}`;

/** `gid://shopify/InventoryLevel/<location>?inventory_item_id=<item>` — the shape Shopify uses. */
export const levelGid = (locationN: number, itemN: number) => `gid://shopify/InventoryLevel/${locationN}?inventory_item_id=${itemN}`;

export interface ParsedGid {
  type: string;
  n: number;
  params: URLSearchParams;
}

export function parseGid(id: unknown): ParsedGid | null {
  if (typeof id !== "string") return null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?(.*))?$/.exec(id);
  if (!m) return null;
  return { type: m[1]!, n: Number(m[2]), params: new URLSearchParams(m[3] ?? "") };
}

/** GraphQL DateTime as Shopify writes it: UTC, second precision ("2026-11-27T10:00:00Z"). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** REST/webhook timestamps are in the shop's zone with an offset ("2021-12-31T19:00:00-05:00"). */
export function isoInZone(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "longOffset",
  }).formatToParts(new Date(ms));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? "";
  const zone = p("timeZoneName").replace("GMT", "");
  const offset = zone === "" ? "+00:00" : zone;
  return `${p("year")}-${p("month")}-${p("day")}T${p("hour")}:${p("minute")}:${p("second")}${offset}`;
}

/** GraphQL `Decimal` as Shopify serialises it ("29.5", "10.0"). */
export function decimal(n: number): string {
  const s = String(Math.round(n * 100) / 100);
  return s.includes(".") ? s : `${s}.0`;
}

/** REST money ("29.50"). */
export const money2 = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function handleize(s: string): string {
  return s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const COUNTRY_NAMES: Record<string, string> = { US: "United States", CA: "Canada", NL: "Netherlands", DE: "Germany", GB: "United Kingdom", FR: "France" };
export const countryName = (code: string | null | undefined) => (code ? (COUNTRY_NAMES[code] ?? code) : null);
