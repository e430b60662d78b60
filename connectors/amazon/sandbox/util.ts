/** Small helpers of the Amazon sandbox peer: errors in Amazon's shape, time formats, a seeded PRNG. */

/** An SP-API error answer: `{"errors":[{code, message, details?}]}` (ErrorList in every model). */
export class PeerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: string,
  ) {
    super(message);
  }

  body() {
    return { errors: [{ code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) }] };
  }
}

/** 400 InvalidInput, the code Amazon's models use for bad parameters (getOrders/searchOrders TEST_CASE_400). */
export const invalidInput = (details: string, message = "Invalid Input") => new PeerError(400, "InvalidInput", message, details);

/** ISO 8601 UTC with second precision, as in Amazon's examples ("2024-12-25T02:30:00Z"). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Strict-enough ISO 8601 date-time (a date alone is refused: the models say date-time). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
export function parseIsoDateTime(value: string): number | null {
  if (!ISO_DATE_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** mulberry32: a small seeded PRNG, so a seed replays the same generated orders. */
export function prng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function digits(rnd: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 10);
  return s;
}
