// The Node.js server edge: what web/instrumentation.ts installs for the socket-level preload.
import { getLogger } from "../../infrastructure/di";

export { installRequestObserver, observeRequest, pathOf, requestIdOf, REQUEST_ID_HEADER } from "./request-observer";
export { markUnavailable } from "./request-scope";
export { routeTemplateOf, ROUTE_TEMPLATES } from "./route-templates";

/** The "start" event of the log, once the server's instrumentation has run. */
export function logServerStart(): void {
  getLogger().info("[server] starting", { event: "start", node: process.version, port: Number(process.env.PORT) || undefined });
}
