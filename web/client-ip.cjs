// Preloaded into the Next.js server (NODE_OPTIONS=--require, see package.json scripts). Three jobs: the
// client's socket address, request observation (ids, logs, metrics) and load shedding (below).
//
// Next.js fills `X-Forwarded-For` with the socket address only when the client sent none, so a client
// can name any IP it likes and the real peer address never reaches a route handler. Before Next.js sees
// a request, this replaces the private `x-socket-remote-address` header (whatever the client sent under
// that name is discarded) with the TCP peer address. src/interfaces/http/client-ip.ts reads it.
"use strict";

const http = require("node:http");
const https = require("node:https");

const HEADER = "x-socket-remote-address";

function stamp(req) {
  const address = req.socket && req.socket.remoteAddress;
  delete req.headers[HEADER];
  if (Array.isArray(req.rawHeaders)) {
    for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
      if (String(req.rawHeaders[i]).toLowerCase() === HEADER) req.rawHeaders.splice(i, 2);
    }
  }
  if (address) {
    req.headers[HEADER] = address;
    if (Array.isArray(req.rawHeaders)) req.rawHeaders.push(HEADER, address);
  }
}

// Load shedding: once the product has booted it publishes a function under this key (see
// src/interfaces/http/load-shedding.ts) that may answer a request before Next.js routes it, e.g. a
// sign-in while password hashing is at capacity, which would end in a 503 anyway.
const SHED = Symbol.for("nextauth-hex:shed-load");

function shed(req, res) {
  const decide = globalThis[SHED];
  if (typeof decide !== "function" || !res || typeof res.writeHead !== "function") return false;
  let answer = null;
  try {
    answer = decide(req.method, req.url);
  } catch {
    return false; // never let shedding break a request: Next.js answers it as usual
  }
  if (!answer) return false;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
  return true;
}

// Observation: once the product has booted its instrumentation, it publishes under this key a function
// (src/interfaces/server/request-observer.ts) that gives every request an id, logs one JSON line when it
// ends, times it for the metrics, and must call `next` (the rest of the handling) exactly once.
const OBSERVE = Symbol.for("nextauth-hex:observe-request");

function observed(req, res, next) {
  const observe = globalThis[OBSERVE];
  if (typeof observe !== "function" || !res || typeof res.setHeader !== "function") return next();
  let called = false;
  const once = () => {
    called = true;
    return next();
  };
  try {
    return observe(req, res, once);
  } catch (error) {
    if (called) throw error;
    return next(); // never let observation break a request
  }
}

// Methods Node's HTTP parser does not know (e.g. FOO) never become a request: the parser fails with
// HPE_INVALID_METHOD and Node answers a bare 400. CONNECT becomes a "connect" event nobody listens to,
// and its socket is dropped without an answer. Both get the 405 with Allow that the product states
// (src/interfaces/server/method-policy.ts) once it is installed.
const RAW_ANSWER = Symbol.for("nextauth-hex:raw-method-answer");

function answerRaw(socket, firstLine) {
  const answer = globalThis[RAW_ANSWER];
  if (typeof answer !== "function" || !socket || !socket.writable) return false;
  try {
    socket.end(answer(firstLine));
  } catch {
    socket.destroy();
  }
  return true;
}

for (const Server of [http.Server, https.Server]) {
  const emit = Server.prototype.emit;
  if (emit.__socketAddressStamped) continue;
  const patched = function (event, req, res) {
    if (event === "request" && req && req.headers) {
      stamp(req);
      const args = arguments;
      return observed(req, res, () => (shed(req, res) ? true : emit.apply(this, args)));
    }
    if (event === "clientError" && req && req.code === "HPE_INVALID_METHOD" && res) {
      const packet = req.rawPacket ? String(req.rawPacket).split("\r\n")[0] : "";
      if (answerRaw(res, packet)) return true;
    }
    // Node drops a CONNECT without a word unless the server listens for it: listen, and answer 405.
    if (event === "listening" && this.listenerCount("connect") === 0) {
      this.on("connect", (connectReq, socket) => {
        if (!answerRaw(socket, `CONNECT ${connectReq.url || "/"} HTTP/1.1`)) socket.destroy();
      });
    }
    return emit.apply(this, arguments);
  };
  patched.__socketAddressStamped = true;
  Server.prototype.emit = patched;
}
