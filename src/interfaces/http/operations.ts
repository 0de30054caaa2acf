import { constantTimeEqual } from "../../domain/shared/constant-time";
import { getAuth, getConfig, getLogger, getTelemetry } from "../../infrastructure/di";
import { edgeErrorResponse } from "./shared/error-table";
import { handler, type Handler } from "./shared/handler";
import { json } from "./shared/responses";

/** Readiness gives up after this long: a probe must never hang on a database that does not answer. */
export const READY_TIMEOUT_MS = 2_000;

/** `GET /api/health`: the process serves. Touches nothing else, so a database outage never restarts it. */
const health = handler(async () => json(200, { status: "ok" }));

/**
 * `GET /api/ready`: the database answers and every migration is applied, within READY_TIMEOUT_MS;
 * else 503. The answer says nothing more (no host, no error): the reason goes to the log.
 */
const ready = handler(async () => {
  try {
    await withTimeout(
      getAuth().then((auth) => auth.checkReady()),
      READY_TIMEOUT_MS,
    );
    return json(200, { status: "ok" });
  } catch (error) {
    getLogger().warn(`[ready] not ready: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`, { event: "not-ready" });
    return json(503, { status: "unavailable" }, { "Retry-After": "5" });
  }
});

/**
 * `GET /api/metrics`: this instance's Prometheus text, only with `Authorization: Bearer <METRICS_TOKEN>`.
 * Without the variable the route does not exist, and a missing or wrong token gets the same 404: a
 * scanner learns nothing, not even that metrics are turned on.
 */
const metrics = handler(async (request) => {
  const expected = getConfig().metricsToken;
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!expected || presented === undefined || !constantTimeEqual(presented, expected)) {
    return edgeErrorResponse("NOT_FOUND", "There is no such API route.");
  }
  const { contentType, body } = await getTelemetry().scrape();
  return new Response(body, { status: 200, headers: { "Content-Type": contentType, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });
});

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The operator's routes (CONTRACT: Operations). */
export const operationsHandlers = {
  health,
  ready,
  metrics,
} satisfies Record<string, Handler>;
