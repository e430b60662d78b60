/**
 * The state of a hub-owned location's pushes to Shopify (job `shopify.pushInventory`), as people
 * read it on the Locations pages.  Pure: the jobs' activity comes in as plain data (the operations
 * module's `jobActivityByKey`), times as ISO strings.
 */

/** One run of the push job (what the job table records). */
export interface PushRun {
  id: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  finishedAt: string | null;
  lastError: string | null;
  /** What the job returned: `{ read, pushed, unchanged }`, or `{ skipped: reason }`. */
  result: unknown;
}

export interface PushActivity {
  /** Outbox messages not yet turned into a job (a push waits for its coalescing window). */
  notDispatched: number;
  /** Jobs queued or running. */
  pending: PushRun[];
  lastCompleted: PushRun | null;
  /** Runs that failed for good since the last completed one, newest first. */
  failures: PushRun[];
}

export type PushState = "not_linked" | "failed" | "retrying" | "pushing" | "queued" | "skipped" | "pushed" | "never";

export interface PushStatus {
  state: PushState;
  /** One line: what is going on. */
  headline: string;
  /** The last completed run and what it did. */
  lastPush: { at: string | null; outcome: string } | null;
  /** Pushes waiting to run (not yet dispatched, or queued). */
  waiting: number;
  running: boolean;
  /** A run whose last attempt failed and that the runner will try again. */
  retry: { attempts: number; maxAttempts: number; error: string; nextTryAt: string } | null;
  failures: { id: string; at: string | null; attempts: number; error: string }[];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a completed push did, in words. */
export function describePushResult(result: unknown): { skipped: boolean; outcome: string } {
  if (result && typeof result === "object") {
    const r = result as Record<string, unknown>;
    if (typeof r.skipped === "string") return { skipped: true, outcome: `not pushed: ${r.skipped}` };
    if (typeof r.pushed === "number" && typeof r.unchanged === "number") {
      // A "changed" push that found no count Shopify lacks reads nothing at all (ADR 016).
      if (r.pushed === 0 && r.unchanged === 0) return { skipped: false, outcome: "nothing to send: Shopify already had every count" };
      if (r.pushed === 0) return { skipped: false, outcome: `nothing to change: Shopify already had the hub's ${plural(r.unchanged, "count", "counts")}` };
      return { skipped: false, outcome: `${plural(r.pushed, "count", "counts")} set in Shopify, ${r.unchanged} already equal` };
    }
  }
  return { skipped: false, outcome: "completed" };
}

/**
 * Sum up a location's pushes.  `linked`: the location has a Shopify location id (without one a
 * push has nowhere to go and is skipped).  Failures outrank everything (they need a person), then
 * a running push, a retry waiting for its back-off, waiting pushes, and finally what the last push did.
 */
export function summarizePushStatus(activity: PushActivity, linked: boolean): PushStatus {
  const running = activity.pending.some((j) => j.status === "running");
  const queued = activity.pending.filter((j) => j.status === "queued");
  const waiting = activity.notDispatched + queued.length;
  // Queued again after a failed attempt (the runner backs off before the next one).
  const retrying = queued.find((j) => j.lastError !== null && j.attempts > 0) ?? null;
  const last = activity.lastCompleted ? { at: activity.lastCompleted.finishedAt, ...describePushResult(activity.lastCompleted.result) } : null;
  const failures = activity.failures.map((f) => ({ id: f.id, at: f.finishedAt, attempts: f.attempts, error: f.lastError ?? "failed without an error message" }));

  let state: PushState;
  let headline: string;
  if (!linked) {
    state = "not_linked";
    headline = "Not linked to a Shopify location: counts cannot be pushed until an import links it";
  } else if (failures.length) {
    state = "failed";
    headline = `Push failed: ${failures[0]!.error}`;
  } else if (running) {
    state = "pushing";
    headline = "Pushing the hub's counts to Shopify";
  } else if (retrying) {
    state = "retrying";
    headline = `Push attempt ${retrying.attempts} of ${retrying.maxAttempts} failed, will retry: ${retrying.lastError ?? ""}`;
  } else if (waiting > 0) {
    state = "queued";
    headline = "Push to Shopify queued";
  } else if (last?.skipped) {
    state = "skipped";
    headline = `Last push ${last.outcome}`;
  } else if (last) {
    state = "pushed";
    headline = "Last push succeeded";
  } else {
    state = "never";
    headline = "No push yet";
  }
  return {
    state,
    headline,
    lastPush: last ? { at: last.at, outcome: last.outcome } : null,
    waiting,
    running,
    retry: retrying ? { attempts: retrying.attempts, maxAttempts: retrying.maxAttempts, error: retrying.lastError ?? "", nextTryAt: retrying.runAt } : null,
    failures,
  };
}
