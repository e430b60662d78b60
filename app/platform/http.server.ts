import { json } from "@remix-run/node";
import type { ZodError } from "zod";
import { isConnectorError } from "#connectors/core/errors";
import { DomainError, type DomainErrorKind } from "./errors";
import type { Logger } from "./logger.server";

/** The one place where DomainError kinds become HTTP statuses. */
export const HTTP_STATUS: Record<DomainErrorKind, number> = {
  NOT_FOUND: 404,
  INVALID: 422,
  NOT_ALLOWED: 403,
  CONFLICT: 409,
  UNAVAILABLE: 503,
};

export function domainErrorFromZod(error: ZodError, prefix = ""): DomainError {
  const first = error.issues[0];
  const field = [prefix, ...(first?.path ?? []).map(String)].filter(Boolean).join(".") || "body";
  return DomainError.invalid(field, first?.message ?? "invalid", {
    issues: error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  });
}

/**
 * Turn anything thrown by a loader/action into a Response.  Responses thrown by Shopify's
 * authenticate.* (redirects, 401 with reauthorize headers) pass through untouched.
 */
export function errorResponse(error: unknown, logger?: Logger): Response {
  if (error instanceof Response) return error;
  if (error instanceof DomainError) {
    return json(
      { error: { kind: error.kind, message: error.message, details: error.details } },
      { status: HTTP_STATUS[error.kind] },
    );
  }
  if (isConnectorError(error)) {
    return json({ error: { kind: error.kind, message: error.message, details: { field: error.field, code: error.code, retryable: error.retryable } } }, { status: HTTP_STATUS[error.kind] });
  }
  logger?.error("unhandled error", { err: error });
  return json({ error: { kind: "INTERNAL", message: "Internal error" } }, { status: 500 });
}
