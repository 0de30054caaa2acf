import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the code serving one request tells the server edge about it (request-observer.ts): so far,
 * that a backing service (the database) was found unavailable while serving it. Lives on globalThis:
 * Next.js loads the instrumentation, the pages and the route handlers as separate module graphs.
 */
export interface RequestScope {
  unavailable: boolean;
}

interface SharedState {
  readonly storage: AsyncLocalStorage<RequestScope>;
  /** When any request last met an unavailable backing service (ms since epoch). */
  lastUnavailableAt: number;
}

const KEY = Symbol.for("nextauth-hex:request-scope");

export function requestScopes(): SharedState {
  const global = globalThis as typeof globalThis & { [KEY]?: SharedState };
  return (global[KEY] ??= { storage: new AsyncLocalStorage<RequestScope>(), lastUnavailableAt: 0 });
}

/** Called where a page's work fails because the database (or another backing service) is unreachable. */
export function markUnavailable(): void {
  const state = requestScopes();
  state.lastUnavailableAt = Date.now();
  const scope = state.storage.getStore();
  if (scope) scope.unavailable = true;
}
