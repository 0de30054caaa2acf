// The HTTP edge of the product: what web/ (route files, pages, server actions, the proxy) imports.
export { type Handler, type RouteContext } from "./shared/handler";
export { routes, type RouteModule } from "./routes";
export { authenticate, requestContext, type Authenticated } from "./shared/authenticate";
export * from "./shared/session-cookie";
export { clientIp, userAgent, SOCKET_ADDRESS_HEADER } from "./shared/client-ip";
export { checkOrigin, MAX_BODY_BYTES } from "./shared/request-guards";
export { STATUS_BY_CODE, statusFor } from "./shared/error-table";
export { presentUser, presentSession, presentApiKey, type UserView, type SessionView, type ApiKeyView } from "./shared/presenters";
