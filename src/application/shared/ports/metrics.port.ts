/**
 * What the core tells the operator's metrics. Counts only, no identities: an outcome is "success" or a
 * refusal's stable error code, a limit is the name of a rate limit (e.g. "sign-in:ip").
 */
export interface AuthMetrics {
  /** A sign-in or sign-up that reached its use case, by outcome. */
  attempt(kind: "sign-in" | "sign-up", outcome: string): void;
  /** A request refused by a rate limit (a window full, or a wait after failed sign-ins). */
  throttled(limit: string): void;
  /** A sign-in or second-factor check refused because the account is locked (until a reset, or the window ends). */
  locked(limit: string): void;
}

/** For use cases built without metrics (unit tests, tools). */
export const NO_METRICS: AuthMetrics = {
  attempt() {},
  throttled() {},
  locked() {},
};
