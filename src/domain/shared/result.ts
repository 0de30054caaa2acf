/**
 * Expected outcomes are returned, bugs are thrown. A failed Result carries a DomainError
 * with a stable code; nothing here knows about HTTP.
 */
export type Result<T, E = never> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok(): Result<void, never>;
export function ok<T>(value: T): Result<T, never>;
export function ok<T>(value?: T): Result<T | undefined, never> {
  return { ok: true, value };
}

export function fail<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

export function isFailure(value: unknown): value is { ok: false; error: unknown } {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false;
}
