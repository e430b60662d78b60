/**
 * The job runner interface.  Shaped after BullMQ so a Redis-backed implementation can replace the
 * in-process one without touching callers:
 *   queue.add(name, data, { jobId, delay, attempts, backoff })  ≈ BullMQ Queue.add
 *   runner.register(name, handler)                              ≈ a Worker processor per job name
 *   concurrencyKey                                              ≈ BullMQ Pro groups (concurrency 1)
 * Why and how: docs/decisions/006-job-runner-and-outbox.md
 */
export interface AddJobOptions {
  /** Tenant the job works for (lets purges and the admin UI scope jobs). */
  shop?: string | null;
  /** Idempotent enqueue: a second add with the same key returns the existing job (BullMQ jobId). */
  dedupeKey?: string;
  /** Jobs sharing a key never run at the same time, across workers and processes. */
  concurrencyKey?: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Total tries including the first (default 5). */
  attempts?: number;
}

export interface EnqueuedJob {
  id: string;
  /** True when dedupeKey matched an existing job and nothing new was added. */
  deduplicated: boolean;
}

export interface JobContext<T = unknown> {
  id: string;
  name: string;
  shop: string | null;
  data: T;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the runner stops or the lease is lost; long jobs should check it. */
  signal: AbortSignal;
  /** Visible progress for people (admin UI, `oms jobs`). */
  progress(done: number, total: number, message?: string): Promise<void>;
}

export type JobHandler<T = unknown> = (job: JobContext<T>) => Promise<unknown>;

export interface JobQueue {
  add(name: string, data: unknown, opts?: AddJobOptions): Promise<EnqueuedJob>;
}

export interface JobRunner extends JobQueue {
  register<T>(name: string, handler: JobHandler<T>): void;
  /** Add this job every `everyMs` while the runner runs, once per period across all runners (≈ BullMQ repeat.every). */
  repeat(name: string, data: unknown, everyMs: number): void;
  start(): void;
  /** Stop taking jobs; wait up to graceMs for running ones to finish. */
  stop(graceMs?: number): Promise<void>;
  /** Run until no job is due (tests, CLI one-shots). */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
}

/** Backoff before retry number `attempt` (1-based): exponential, capped, with "equal jitter" (a random delay between half and all of the ceiling) so retries of many jobs spread out but never retry instantly. */
export function backoffMs(attempt: number, random: number, baseMs = 1_000, capMs = 15 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
