import { describe, expect, it, vi } from "vitest";
import { DomainError } from "#app/platform/errors";
import { createLogger, type LogFormat, type LogLevel } from "#app/platform/logger.server";

const NOW = new Date("2024-05-06T07:08:09.123Z");

function capture(opts: { level?: LogLevel; format?: LogFormat } = {}) {
  const lines: { line: string; level: LogLevel }[] = [];
  const logger = createLogger({ ...opts, now: () => NOW, write: (line, level) => lines.push({ line, level }) });
  return { logger, lines };
}

const parsed = (line: string | undefined): Record<string, unknown> => JSON.parse(line ?? "null") as Record<string, unknown>;

describe("createLogger — json format", () => {
  it("writes one JSON line with time, level, msg and the fields", () => {
    const { logger, lines } = capture({ format: "json" });
    logger.info("order synced", { shop: "a.myshopify.com", orderId: 1001 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe("info");
    expect(lines[0]?.line).not.toContain("\n");
    expect(lines[0]?.line).toBe('{"time":"2024-05-06T07:08:09.123Z","level":"info","msg":"order synced","shop":"a.myshopify.com","orderId":1001}');
  });

  it("is the default format", () => {
    const { logger, lines } = capture();
    logger.warn("slow");
    expect(parsed(lines[0]?.line)).toEqual({ time: "2024-05-06T07:08:09.123Z", level: "warn", msg: "slow" });
  });

  it("passes each record's level to write", () => {
    const { logger, lines } = capture({ level: "debug" });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map((l) => l.level)).toEqual(["debug", "info", "warn", "error"]);
    expect(lines.map((l) => parsed(l.line).level)).toEqual(["debug", "info", "warn", "error"]);
  });

  it("serialises bigint fields as strings", () => {
    const { logger, lines } = capture();
    logger.info("big", { id: 9007199254740993n });
    expect(parsed(lines[0]?.line).id).toBe("9007199254740993");
  });

  it("serialises an Error field with name, message, kind and stack", () => {
    const { logger, lines } = capture();
    const err = new DomainError("CONFLICT", "order 1001 changed meanwhile");
    logger.error("sync failed", { err });
    const rec = parsed(lines[0]?.line);
    const e = rec.err as Record<string, unknown>;
    expect(e.name).toBe("DomainError");
    expect(e.message).toBe("order 1001 changed meanwhile");
    expect(e.kind).toBe("CONFLICT");
    expect(typeof e.stack).toBe("string");
    expect(e.stack).toContain("order 1001 changed meanwhile");
    expect(Object.keys(e).sort()).toEqual(["kind", "message", "name", "stack"]);
  });

  it("includes a string code (e.g. Node system errors) and omits kind when absent", () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    logger.error("db down", { err });
    const e = parsed(lines[0]?.line).err as Record<string, unknown>;
    expect(e.name).toBe("Error");
    expect(e.code).toBe("ECONNREFUSED");
    expect("kind" in e).toBe(false);
  });

  it("serialises an Error under any field name", () => {
    const { logger, lines } = capture();
    logger.warn("retrying", { cause: new TypeError("fetch failed") });
    const e = parsed(lines[0]?.line).cause as Record<string, unknown>;
    expect(e.name).toBe("TypeError");
    expect(e.message).toBe("fetch failed");
  });
});

describe("createLogger — level filtering", () => {
  it("defaults to info: debug is dropped", () => {
    const { logger, lines } = capture();
    logger.debug("hidden");
    logger.info("shown");
    expect(lines.map((l) => parsed(l.line).msg)).toEqual(["shown"]);
  });

  it("level warn drops debug and info, keeps warn and error", () => {
    const { logger, lines } = capture({ level: "warn" });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map((l) => parsed(l.line).msg)).toEqual(["w", "e"]);
  });

  it("level error keeps only errors", () => {
    const { logger, lines } = capture({ level: "error" });
    logger.warn("w");
    logger.error("e");
    expect(lines.map((l) => parsed(l.line).msg)).toEqual(["e"]);
  });

  it("a child keeps its parent's level", () => {
    const { logger, lines } = capture({ level: "warn" });
    const child = logger.child({ shop: "a.myshopify.com" });
    child.info("i");
    child.warn("w");
    expect(lines.map((l) => parsed(l.line).msg)).toEqual(["w"]);
  });
});

describe("createLogger — child bindings", () => {
  it("adds the bindings to every line", () => {
    const { logger, lines } = capture();
    logger.child({ shop: "a.myshopify.com" }).info("hello", { orderId: 7 });
    expect(parsed(lines[0]?.line)).toEqual({
      time: "2024-05-06T07:08:09.123Z",
      level: "info",
      msg: "hello",
      shop: "a.myshopify.com",
      orderId: 7,
    });
  });

  it("merges nested children, and call fields override bindings", () => {
    const { logger, lines } = capture();
    const job = logger.child({ shop: "a.myshopify.com", component: "worker" }).child({ jobId: "j1", component: "sync" });
    job.info("run", { jobId: "j2" });
    expect(parsed(lines[0]?.line)).toEqual({
      time: "2024-05-06T07:08:09.123Z",
      level: "info",
      msg: "run",
      shop: "a.myshopify.com",
      component: "sync",
      jobId: "j2",
    });
  });

  it("does not change the parent", () => {
    const { logger, lines } = capture();
    logger.child({ shop: "a.myshopify.com" });
    logger.info("plain");
    expect(parsed(lines[0]?.line)).toEqual({ time: "2024-05-06T07:08:09.123Z", level: "info", msg: "plain" });
  });
});

describe("createLogger — pretty format", () => {
  it("writes a readable single line with time, level and key=value fields", () => {
    const { logger, lines } = capture({ format: "pretty" });
    logger.info("order synced", { shop: "a.myshopify.com", count: 3, dry: false, tags: ["a", "b"] });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.line).toBe('07:08:09 INFO  order synced  shop=a.myshopify.com count=3 dry=false tags=["a","b"]');
    expect(lines[0]?.line).not.toContain("\n");
  });

  it("pads the level and omits the field separator when there are no fields", () => {
    const { logger, lines } = capture({ format: "pretty", level: "debug" });
    logger.warn("careful");
    logger.error("broken");
    logger.debug("trace");
    expect(lines.map((l) => l.line)).toEqual(["07:08:09 WARN  careful", "07:08:09 ERROR broken", "07:08:09 DEBUG trace"]);
  });

  it("includes child bindings", () => {
    const { logger, lines } = capture({ format: "pretty" });
    logger.child({ shop: "a.myshopify.com" }).info("hi", { n: 1 });
    expect(lines[0]?.line).toBe("07:08:09 INFO  hi  shop=a.myshopify.com n=1");
  });

  it("puts an err field's stack on the following line instead of key=value", () => {
    const { logger, lines } = capture({ format: "pretty" });
    const err = new Error("boom");
    err.stack = "Error: boom\n    at test.ts:1:1";
    logger.error("failed", { err, jobId: "j1" });
    expect(lines[0]?.line).toBe("07:08:09 ERROR failed  jobId=j1\n  Error: boom\n    at test.ts:1:1");
  });

  it("serialises an Error in another field as JSON", () => {
    const { logger, lines } = capture({ format: "pretty" });
    const cause = new DomainError("UNAVAILABLE", "down");
    cause.stack = undefined;
    logger.warn("retry", { cause });
    expect(lines[0]?.line).toBe('07:08:09 WARN  retry  cause={"name":"DomainError","message":"down","kind":"UNAVAILABLE"}');
  });
});

describe("createLogger — default writer", () => {
  it("writes info to stdout and warn/error to stderr, newline-terminated", () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const logger = createLogger({ now: () => NOW });
    let stdout: unknown[][] = [];
    let stderr: unknown[][] = [];
    try {
      logger.info("to stdout");
      logger.error("to stderr");
      stdout = [...out.mock.calls];
      stderr = [...err.mock.calls];
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(stdout).toEqual([['{"time":"2024-05-06T07:08:09.123Z","level":"info","msg":"to stdout"}\n']]);
    expect(stderr).toEqual([['{"time":"2024-05-06T07:08:09.123Z","level":"error","msg":"to stderr"}\n']]);
  });
});
