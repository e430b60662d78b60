/**
 * Formatting shared by the Orders pages.  The same text on the server and in the browser: no
 * locale- or time-zone-dependent formatting, so hydration never mismatches.
 */

/** "2026-12-02 07:59 UTC" */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Shipping estimates and order values are in cents; "$35.88" (other currencies: "35.88 EUR"). */
export function money(cents: number, currencyCode = "USD"): string {
  const amount = (Math.abs(cents) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = cents < 0 ? "-" : "";
  return currencyCode === "USD" ? `${sign}$${amount}` : `${sign}${amount} ${currencyCode}`;
}

const SPEEDS: Record<string, string> = { standard: "Standard", expedited: "Expedited", same_day: "Same-day", pickup: "Pickup" };

export function speedLabel(speed: string): string {
  return SPEEDS[speed] ?? speed;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "CC1-RED-ONESIZE×1, FV2-BLA-S×2" */
export function linesText(lines: { sku: string; quantity: number }[]): string {
  return lines.map((l) => `${l.sku}×${l.quantity}`).join(", ");
}

const GEOCODE_NOTES: Record<string, string> = {
  region: "Coordinates are the centroid of the region (state/province): no address coordinates were sent, so distances are approximate.",
  country: "Coordinates are the centroid of the country: no address or region coordinates, so distances are rough.",
  redacted: "The customer's data was redacted: the destination is kept to region and country, with coordinates rounded.",
};

/** A note on where the destination's coordinates come from, unless they are the address's own. */
export function geocodeNote(geocode: string): string | null {
  return GEOCODE_NOTES[geocode] ?? null;
}
