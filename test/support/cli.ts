import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "#test/support/databases";

/**
 * The operator CLI as an operator runs it: `bin/oms.js` in a separate process, configuration from
 * the environment given (plus PATH and HOME), in production mode.
 */
export interface OmsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const entry = path.join(ROOT, "bin/oms.js");
const envFor = (env: Record<string, string>, logLevel: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production" as const, LOG_LEVEL: logLevel, ...env });

export function runOms(args: string[], env: Record<string, string>, opts: { logLevel?: string } = {}): OmsRun {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: ROOT, encoding: "utf8", env: envFor(env, opts.logLevel ?? "warn"), timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asynchronous, for a test whose in-process peer answers the CLI's calls (a sync spawn would block it). */
export function runOmsAsync(args: string[], env: Record<string, string>, opts: { logLevel?: string } = {}): Promise<OmsRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd: ROOT, env: envFor(env, opts.logLevel ?? "warn"), timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
