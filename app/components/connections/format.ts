/**
 * Formatting for the connections page.  Times are relative to the loader's `now` (not the
 * browser's clock), so the server render and hydration agree.
 */

/** 850 → "850 ms", 4200 → "4.2 s", 95 000 → "1 min 35 s", 2 h… */
export function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

/** "12 s ago", or "—" when there is no time. */
export function ago(iso: string | null, nowIso: string): string {
  if (!iso) return "—";
  return `${duration(Math.max(0, Date.parse(nowIso) - Date.parse(iso)))} ago`;
}

/** 2026-11-27T12:00:00.000Z → "2026-11-27 12:00:00 UTC" (the same on server and browser). */
export function timestamp(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : "—";
}

export function percent(rate: number | null): string {
  if (rate === null) return "—";
  if (rate === 0) return "0 %";
  const p = rate * 100;
  return `${p < 1 ? p.toFixed(2) : p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}
