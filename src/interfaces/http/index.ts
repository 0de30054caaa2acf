// The HTTP edge of the product: what web/ (route files, pages, server actions, the proxy) imports.
export { handlers, type Handler, type RouteContext } from "./handlers";
export { routes, type RouteModule } from "./routes";
export { authenticate, requestContext, type Authenticated } from "./authenticate";
export * from "./session-cookie";
export { clientIp, userAgent, SOCKET_ADDRESS_HEADER } from "./client-ip";
export { checkOrigin, MAX_BODY_BYTES } from "./request-guards";
export { STATUS_BY_CODE, statusFor } from "./error-table";
export { presentUser, presentSession, presentApiKey, type UserView, type SessionView, type ApiKeyView } from "./presenters";
