import { loadConfig, type AppConfig } from "../config";
import type { Overloaded } from "../hashing-limit";
import { appLog, createPinoLogger, parseLogLevel, PrometheusTelemetry, type AppLog, type Telemetry } from "../observability";
import { boot, type Auth } from "./boot";
import { TOKENS } from "./tokens";

/**
 * One product per process. Next.js loads the proxy, route handlers and pages in separate module
 * graphs, so module-level variables would boot it several times: the instance lives on `globalThis`
 * under a registry symbol instead. Nothing boots at import time (so `next build` touches no
 * database); the first request that needs it does.
 */
const KEY = Symbol.for("nextauth-hex:runtime");

interface Runtime {
  config?: AppConfig;
  auth?: Promise<Auth>;
  /** The same product once booted, for synchronous reads. */
  ready?: Auth;
  signalsHooked?: boolean;
  log?: AppLog;
  telemetry?: Telemetry;
}

function runtime(): Runtime {
  const global = globalThis as typeof globalThis & { [KEY]?: Runtime };
  return (global[KEY] ??= {});
}

/** The validated configuration, read once; cheap, and touches no database (CSRF checks need only this). */
export function getConfig(): AppConfig {
  const state = runtime();
  return (state.config ??= loadConfig());
}

/**
 * The process's JSON log (pino, LOG_LEVEL). Usable before and without a valid configuration: the
 * level is read from the environment directly, so even a configuration error is one JSON line.
 */
export function getLogger(): AppLog {
  const state = runtime();
  return (state.log ??= appLog(createPinoLogger(parseLogLevel(process.env.LOG_LEVEL) ?? "info")));
}

/** This process's metrics (its own registry; every instance is scraped on its own). */
export function getTelemetry(): Telemetry {
  const state = runtime();
  return (state.telemetry ??= new PrometheusTelemetry());
}

/** What the HTTP edge needs before any work: the public origin and whether to trust a proxy. */
export interface EdgeConfig {
  readonly appUrl: string;
  readonly appOrigin: string;
  readonly trustProxy: boolean;
}

export function getEdgeConfig(): EdgeConfig {
  const config = getConfig();
  return { appUrl: config.appUrl, appOrigin: new URL(config.appUrl).origin, trustProxy: config.trustProxy };
}

/**
 * The booted product, started on first use. A failed boot (database unreachable) is not cached: the
 * next request tries again, so the app recovers once the database is back.
 */
export function getAuth(): Promise<Auth> {
  const state = runtime();
  if (!state.auth) {
    const starting = boot({ config: getConfig(), log: getLogger(), telemetry: getTelemetry() });
    state.auth = starting;
    starting.then(
      (auth) => {
        if (state.auth === starting) state.ready = auth;
        hookSignals(state);
      },
      () => {
        if (state.auth === starting) state.auth = undefined;
      },
    );
  }
  return state.auth;
}

/**
 * The refusal a request that hashes a password (sign-up, sign-in) would get right now, or null.
 * Synchronous and never boots anything: before the product is up, nothing is hashing.
 */
export function hashingRefusal(): Overloaded | null {
  return runtime().ready?.resolve(TOKENS.BoundedPasswordHasher).refusal() ?? null;
}

/** The container itself, for code that wants to resolve many things. */
export async function getContainer() {
  return (await getAuth()).container;
}

/** Stops the product if it was started (tests, scripts). */
export async function shutdownAuth(): Promise<void> {
  const state = runtime();
  const auth = state.auth;
  state.auth = undefined;
  state.ready = undefined;
  if (auth) await (await auth.catch(() => null))?.shutdown();
}

/**
 * Graceful shutdown on SIGTERM/SIGINT. Next.js has its own handler: it stops accepting connections,
 * lets requests in flight finish, then calls process.exit. Our clean-up must come after those
 * requests (they still use the database) and before the exit, so we defer that exit until the
 * product has stopped (dispatcher finished its batch, pool and embedded database closed). Without
 * such a handler (a plain Node process) we exit ourselves.
 */
function hookSignals(state: Runtime): void {
  if (state.signalsHooked) return;
  state.signalsHooked = true;
  let handled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (handled) return;
    handled = true;
    // Counted without ourselves (`process.once` would already have removed us at this point).
    const othersHandleIt = process.listeners(signal).some((listener) => listener !== onSignal);
    let cleanup: Promise<void> | null = null;
    const stop = () => (cleanup ??= withTimeout(shutdownAuth(), 10_000));
    if (!othersHandleIt) {
      void stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
      return;
    }
    const exit = process.exit.bind(process);
    process.exit = ((code?: number | string | null) => {
      void stop().finally(() => exit(code ?? undefined));
    }) as typeof process.exit;
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      getLogger().error("[auth] shutdown took too long; exiting anyway", { event: "stop" });
      resolve();
    }, ms);
    timer.unref();
    work.catch((error) => getLogger().error(`[auth] shutdown failed: ${error instanceof Error ? error.message : String(error)}`, { event: "stop" })).finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
