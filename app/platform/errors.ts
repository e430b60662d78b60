/**
 * One error type for the whole app (ARCHITECTURE.md rule 7).  Services throw DomainError with a
 * kind; app/platform/http.server.ts maps kinds to HTTP in exactly one place.
 */
export type DomainErrorKind = "NOT_FOUND" | "INVALID" | "NOT_ALLOWED" | "CONFLICT" | "UNAVAILABLE";

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly details: Record<string, unknown>;

  constructor(kind: DomainErrorKind, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.details = details;
  }

  static notFound(what: string, details: Record<string, unknown> = {}) {
    return new DomainError("NOT_FOUND", `${what} not found`, details);
  }

  /** Bad input: name the field so the person (or the integration) can fix it. */
  static invalid(field: string, problem: string, details: Record<string, unknown> = {}) {
    return new DomainError("INVALID", `${field}: ${problem}`, { field, ...details });
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** Kinds that retrying cannot fix: the job runner fails such jobs at once instead of backing off. */
export function isPermanent(e: unknown): boolean {
  return isDomainError(e) && (e.kind === "INVALID" || e.kind === "NOT_FOUND" || e.kind === "NOT_ALLOWED");
}
