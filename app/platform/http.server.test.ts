import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DomainError, isDomainError, isPermanent, type DomainErrorKind } from "#app/platform/errors";
import { domainErrorFromZod, errorResponse, HTTP_STATUS } from "#app/platform/http.server";
import type { Logger } from "#app/platform/logger.server";

function fakeLogger() {
  const logger: Logger = {
    debug: vi.fn(),
    info: vi.fn(),
    warn: vi.fn(),
    error: vi.fn(),
    child: vi.fn(() => logger),
  };
  return logger;
}

function zodError(schema: z.ZodType, input: unknown): z.ZodError {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected the schema to reject the input");
  return result.error;
}

describe("DomainError", () => {
  it("carries kind, message, details and the name DomainError", () => {
    const e = new DomainError("CONFLICT", "order changed", { orderId: 7 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("DomainError");
    expect(e.kind).toBe("CONFLICT");
    expect(e.message).toBe("order changed");
    expect(e.details).toEqual({ orderId: 7 });
    expect(new DomainError("UNAVAILABLE", "down").details).toEqual({});
  });

  it("notFound builds '<what> not found'", () => {
    const e = DomainError.notFound("order 1001", { shop: "a.myshopify.com" });
    expect(e.kind).toBe("NOT_FOUND");
    expect(e.message).toBe("order 1001 not found");
    expect(e.details).toEqual({ shop: "a.myshopify.com" });
  });

  it("invalid names the field in the message and details", () => {
    const e = DomainError.invalid("quantity", "must be positive", { got: -1 });
    expect(e.kind).toBe("INVALID");
    expect(e.message).toBe("quantity: must be positive");
    expect(e.details).toEqual({ field: "quantity", got: -1 });
  });

  it("isDomainError distinguishes DomainError from other errors", () => {
    expect(isDomainError(new DomainError("INVALID", "x"))).toBe(true);
    expect(isDomainError(new Error("x"))).toBe(false);
    expect(isDomainError({ kind: "INVALID", message: "x" })).toBe(false);
    expect(isDomainError(null)).toBe(false);
  });
});

describe("isPermanent", () => {
  it.each<[DomainErrorKind, boolean]>([
    ["INVALID", true],
    ["NOT_FOUND", true],
    ["NOT_ALLOWED", true],
    ["CONFLICT", false],
    ["UNAVAILABLE", false],
  ])("%s → %s", (kind, permanent) => {
    expect(isPermanent(new DomainError(kind, "x"))).toBe(permanent);
  });

  it("is false for a plain Error and non-errors", () => {
    expect(isPermanent(new Error("boom"))).toBe(false);
    expect(isPermanent("INVALID")).toBe(false);
    expect(isPermanent(undefined)).toBe(false);
  });
});

describe("HTTP_STATUS", () => {
  it("maps every kind to its status", () => {
    expect(HTTP_STATUS).toEqual({ NOT_FOUND: 404, INVALID: 422, NOT_ALLOWED: 403, CONFLICT: 409, UNAVAILABLE: 503 });
  });
});

describe("errorResponse", () => {
  it("passes a thrown Response through unchanged (same object)", () => {
    const redirect = new Response(null, { status: 302, headers: { Location: "/auth/login" } });
    const logger = fakeLogger();
    expect(errorResponse(redirect, logger)).toBe(redirect);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it.each<[DomainErrorKind, number]>([
    ["NOT_FOUND", 404],
    ["INVALID", 422],
    ["NOT_ALLOWED", 403],
    ["CONFLICT", 409],
    ["UNAVAILABLE", 503],
  ])("turns a %s DomainError into status %i", (kind, status) => {
    expect(errorResponse(new DomainError(kind, "x")).status).toBe(status);
  });

  it("writes the DomainError as a JSON body {error:{kind,message,details}}", async () => {
    const logger = fakeLogger();
    const res = errorResponse(DomainError.invalid("email", "is not an email address"), logger);
    expect(res.status).toBe(422);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: { kind: "INVALID", message: "email: is not an email address", details: { field: "email" } },
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it("turns an unknown error into a generic 500 and logs it", async () => {
    const logger = fakeLogger();
    const boom = new Error("SQLITE_BUSY: database is locked at /srv/data/oms.sqlite");
    const res = errorResponse(boom, logger);
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: { kind: "INTERNAL", message: "Internal error" } });
    expect(JSON.stringify(body)).not.toContain("SQLITE_BUSY");
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith("unhandled error", { err: boom });
  });

  it("handles a thrown non-Error value as a 500", async () => {
    const logger = fakeLogger();
    const res = errorResponse("string thrown", logger);
    expect(res.status).toBe(500);
    expect(logger.error).toHaveBeenCalledWith("unhandled error", { err: "string thrown" });
  });

  it("works without a logger", async () => {
    const res = errorResponse(new Error("x"));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { kind: "INTERNAL", message: "Internal error" } });
  });
});

describe("domainErrorFromZod", () => {
  const schema = z.object({ a: z.object({ b: z.number() }) });

  it("names the nested field path of the first issue", () => {
    const e = domainErrorFromZod(zodError(schema, { a: { b: "x" } }));
    expect(e).toBeInstanceOf(DomainError);
    expect(e.kind).toBe("INVALID");
    expect(e.details.field).toBe("a.b");
    expect(e.message).toBe("a.b: Invalid input: expected number, received string");
    expect(e.details.issues).toEqual([{ path: "a.b", message: "Invalid input: expected number, received string" }]);
  });

  it("prepends the prefix to the field", () => {
    const e = domainErrorFromZod(zodError(schema, { a: { b: "x" } }), "body");
    expect(e.details.field).toBe("body.a.b");
    expect(e.message).toMatch(/^body\.a\.b: /);
  });

  it("includes array indexes in the path", () => {
    const lines = z.object({ lines: z.array(z.object({ qty: z.number().int().positive() })) });
    const e = domainErrorFromZod(zodError(lines, { lines: [{ qty: 1 }, { qty: 0 }] }));
    expect(e.details.field).toBe("lines.1.qty");
  });

  it("falls back to 'body' for a root-level issue", () => {
    const e = domainErrorFromZod(zodError(z.string(), 42));
    expect(e.details.field).toBe("body");
    expect(e.message).toBe("body: Invalid input: expected string, received number");
  });

  it("uses the prefix alone for a root-level issue", () => {
    expect(domainErrorFromZod(zodError(z.string(), 42), "query").details.field).toBe("query");
  });

  it("lists every issue but names the first in the message", () => {
    const two = z.object({ name: z.string(), qty: z.number() });
    const e = domainErrorFromZod(zodError(two, { name: 1, qty: "2" }));
    expect(e.details.field).toBe("name");
    expect(e.details.issues).toEqual([
      { path: "name", message: "Invalid input: expected string, received number" },
      { path: "qty", message: "Invalid input: expected number, received string" },
    ]);
  });

  it("maps through errorResponse to a 422 naming the field", async () => {
    const res = errorResponse(domainErrorFromZod(zodError(schema, { a: { b: "x" } })));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { field: string } } };
    expect(body.error.details.field).toBe("a.b");
  });
});
