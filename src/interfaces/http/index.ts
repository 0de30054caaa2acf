// The HTTP edge of the product: what web/ (route files, pages, server actions, the proxy) imports.
export * from "./session-cookie";
export { clientIp, userAgent, SOCKET_ADDRESS_HEADER } from "./client-ip";
export { checkOrigin, MAX_BODY_BYTES } from "./request-guards";
