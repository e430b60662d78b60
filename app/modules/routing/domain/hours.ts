/**
 * Opening hours and same-day cut-offs, on the location's own wall clock (LocalTime, computed by the
 * caller in the location's time zone: no Intl or clock in here).
 */
import { DomainError } from "#app/platform/errors";
import type { RoutingLocation, TimeRange } from "./types";

/** "HH:MM" → minutes since midnight; "24:00" is allowed as a closing time. */
export function parseClock(value: string, field: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  const hours = m ? Number(m[1]) : NaN;
  const minutes = m ? Number(m[2]) : NaN;
  if (!m || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw DomainError.invalid(field, `"${value}" is not a time HH:MM between 00:00 and 24:00`);
  }
  return hours * 60 + minutes;
}

/** "HH:MM" for minutes since midnight. */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h < 10 ? "0" : ""}${h}:${m < 10 ? "0" : ""}${m}`;
}

function formatRanges(ranges: TimeRange[]): string {
  return ranges.map(([open, close]) => `${open}-${close}`).join(", ");
}

/** The hours that apply today: a dated exception wins over the weekday; null when there is no hours constraint. */
export function hoursToday(location: RoutingLocation): { ranges: TimeRange[]; source: string } | null {
  const { date, weekday } = location.localTime;
  const exception = location.exceptions.find((e) => e.date === date);
  // An exception that neither closes nor gives hours changes nothing.
  if (exception?.closed) return { ranges: [], source: `exception ${date}` };
  if (exception?.hours) return { ranges: exception.hours, source: `exception ${date}` };
  if (location.openingHours === null) return null;
  return { ranges: location.openingHours[weekday] ?? [], source: weekday };
}

/**
 * Why the location cannot serve a same-day order right now (closed, or past its cut-off), or null
 * when it can.  For a pickup it is only a note: the order waits for the store to open.
 */
export function closedReason(location: RoutingLocation): string | null {
  const now = location.localTime.minutes;
  const nowText = `${location.localTime.weekday} ${formatClock(now)}`;
  const today = hoursToday(location);
  if (today !== null) {
    if (today.ranges.length === 0) return `closed today (${today.source})`;
    const open = today.ranges.some(([from, to]) => now >= parseClock(from, "hours") && now < parseClock(to, "hours"));
    if (!open) return `closed now (${nowText}; ${today.source} hours ${formatRanges(today.ranges)})`;
  }
  const cutoff = location.sameDayCutoffMinutes;
  if (cutoff !== undefined && now >= cutoff) {
    return `past same-day cut-off ${formatClock(cutoff)} (now ${nowText})`;
  }
  return null;
}
