import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../databases";

/** One result line of reserve-worker.ts. */
export interface WorkerResult {
  id: string;
  channelId: string;
  status: "reserved" | "refused" | "error";
  duplicate?: boolean;
  attempts?: number;
  ms?: number;
  reasons?: string[];
  error?: string;
}

export interface WorkerRace {
  results: WorkerResult[];
  /** performance.now() marks: processes spawned, all ready (GO), last result. */
  spawnedAt: number;
  goAt: number;
  lastAt: number;
}

const WORKER = path.join(ROOT, "test/support/workers/reserve-worker.ts");

/**
 * Spawn `workers` reserve-worker processes (each its own connection), hand them the orders round
 * robin, wait until every one is ready, then start them together.  Used by the reservation race
 * test and bench:reservations.  `track` sees each child (for kill-on-abort).
 */
export async function runReserveWorkers<O>(url: string, orders: O[], workers: number, track?: { add(c: ChildProcess): void; delete(c: ChildProcess): void }): Promise<WorkerRace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-race-"));
  const go = path.join(dir, "go");
  const buckets: O[][] = Array.from({ length: workers }, () => []);
  orders.forEach((o, i) => buckets[i % workers]!.push(o));
  const spawnedAt = performance.now();
  let goAt = 0;
  let lastAt = 0;
  let ready = 0;
  const results: WorkerResult[] = [];
  try {
    await Promise.all(
      buckets.map(
        (bucket) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, ["--import", "tsx", WORKER], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, GO_FILE: go }, stdio: ["pipe", "pipe", "pipe"] });
            track?.add(child);
            let out = "";
            let err = "";
            child.stdout.on("data", (d: Buffer) => {
              out += d.toString();
              let nl;
              while ((nl = out.indexOf("\n")) >= 0) {
                const line = out.slice(0, nl);
                out = out.slice(nl + 1);
                if (!line.trim()) continue;
                const msg = JSON.parse(line) as WorkerResult & { ready?: boolean };
                if (msg.ready) {
                  if (++ready === workers) {
                    goAt = performance.now();
                    fs.writeFileSync(go, "go");
                  }
                } else {
                  lastAt = performance.now();
                  results.push(msg);
                }
              }
            });
            child.stderr.on("data", (d: Buffer) => (err += d.toString()));
            child.on("error", reject);
            child.on("exit", (code, signal) => {
              track?.delete(child);
              if (code === 0) resolve();
              else reject(new Error(`worker exited ${code ?? signal}: ${err.trim().slice(-2_000)}`));
            });
            child.stdin.end(bucket.map((o) => JSON.stringify(o)).join("\n") + "\n");
          }),
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { results, spawnedAt, goAt, lastAt };
}
