/**
 * Thrown (not returned: it is the server's state, not an outcome of the user's input) when password
 * hashing is at capacity. The HTTP layer answers 503 with `Retry-After: retryAfterSeconds`.
 *
 * Sign-in of a known and of an unknown e-mail both hash, so both are refused alike: an overload
 * reveals nothing about which accounts exist.
 */
export class Overloaded extends Error {
  readonly code = "OVERLOADED";

  constructor(readonly retryAfterSeconds: number) {
    super("The server is busy. Try again in a moment.");
    this.name = "Overloaded";
  }

  /** Also for code that cannot import this class (it only sees the thrown value). */
  static is(error: unknown): error is Overloaded {
    return (
      error instanceof Overloaded ||
      (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "OVERLOADED")
    );
  }
}
