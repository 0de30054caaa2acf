import { isIP } from "node:net";

/**
 * The client's IP address, for rate limits and the session list.
 *
 * Next.js copies the socket address into `X-Forwarded-For` only when the client sent none, so that
 * header is whatever the client wants it to be. The server is therefore started with a preload
 * (web/client-ip.cjs, via NODE_OPTIONS in the npm scripts) that, on every request, removes any incoming
 * `x-socket-remote-address` header and sets it from the TCP socket. Without TRUST_PROXY that is the only
 * source; with TRUST_PROXY the right-most `X-Forwarded-For` entry is used: the one the trusted proxy
 * appended, which the client cannot forge.
 */
export const SOCKET_ADDRESS_HEADER = "x-socket-remote-address";

function normalise(candidate: string | null | undefined): string | null {
  if (!candidate) return null;
  let value = candidate.trim();
  if (value.startsWith("[") && value.includes("]")) value = value.slice(1, value.indexOf("]"));
  if (value.toLowerCase().startsWith("::ffff:") && isIP(value.slice(7)) === 4) value = value.slice(7);
  return isIP(value) === 0 ? null : value.toLowerCase();
}

let warnedMissingPreload = false;

export function clientIp(headers: Headers, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = headers.get("x-forwarded-for");
    if (forwarded) {
      const entries = forwarded.split(",");
      const rightMost = normalise(entries[entries.length - 1]);
      if (rightMost) return rightMost;
    }
  }
  const socket = normalise(headers.get(SOCKET_ADDRESS_HEADER));
  if (socket === null && !warnedMissingPreload && !trustProxy) {
    warnedMissingPreload = true;
    console.warn(
      "[api] client IP unknown: start the server with `npm start` / `npm run dev` (they preload web/client-ip.cjs); " +
        "per-IP rate limits now share one bucket.",
    );
  }
  return socket;
}

/** The User-Agent, bounded: it is stored with the session and shown back to the user. */
export function userAgent(headers: Headers): string | null {
  const value = headers.get("user-agent");
  return value ? value.slice(0, 512) : null;
}
