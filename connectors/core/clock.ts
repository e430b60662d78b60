import { setTimeout as delay } from "node:timers/promises";

/**
 * Time, waiting and randomness for connector code, injected everywhere so tests drive them.  The
 * system clock below is the default at the composition root only.
 */
export interface ConnectorClock {
  /** Milliseconds; only differences matter (bucket refill, durations). */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** In [0, 1). */
  random(): number;
}

export const systemClock: ConnectorClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, { signal }),
  random: () => Math.random(),
};
