/**
 * Structured logger: JSON lines in production (one object per line, for log shippers), a short
 * readable line in development.  Errors are serialised with name, message, kind and stack.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; defaults to stdout (stderr for warn/error). */
  write?: (line: string, level: LogLevel) => void;
  now?: () => Date;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    const extra = value as unknown as Record<string, unknown>;
    if (typeof extra.kind === "string") out.kind = extra.kind;
    if (typeof extra.code === "string") out.code = extra.code;
    if (value.stack) out.stack = value.stack;
    return out;
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}

function defaultWrite(line: string, level: LogLevel) {
  (level === "warn" || level === "error" ? process.stderr : process.stdout).write(line + "\n");
}

export function createLogger(opts: LoggerOptions = {}, bindings: LogFields = {}): Logger {
  const min = ORDER[opts.level ?? "info"];
  const format = opts.format ?? "json";
  const write = opts.write ?? defaultWrite;
  const now = opts.now ?? (() => new Date());

  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (ORDER[level] < min) return;
    const all: LogFields = { ...bindings, ...fields };
    if (format === "json") {
      const record: LogFields = { time: now().toISOString(), level, msg };
      for (const [k, v] of Object.entries(all)) record[k] = serialise(v);
      write(JSON.stringify(record), level);
      return;
    }
    const time = now().toISOString().slice(11, 19);
    const rest = Object.entries(all)
      .filter(([k]) => k !== "err")
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(serialise(v))}`)
      .join(" ");
    const err = all.err instanceof Error ? `\n  ${all.err.stack ?? all.err.message}` : "";
    write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? "  " + rest : ""}${err}`, level);
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (b) => createLogger(opts, { ...bindings, ...b }),
  };
}
