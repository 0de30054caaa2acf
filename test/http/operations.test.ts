/**
 * The operator's side of the running app (CONTRACT: Operations): health, readiness, metrics behind
 * their token, and one JSON log line per request with no secret in the whole log of a real flow.
 */
import { request as rawRequest } from "node:http";
import { connect } from "node:net";
import { describeWithPostgres, startNextServer, type NextServer } from "../support/next-server";
import { parsePrometheusText, type Exposition } from "../support/prometheus-text";
import { linkToken, PASSWORD, signUp, Tab, uniqueEmail } from "./http-client";

const METRICS_TOKEN = "metrics-token-0123456789abcdef0123456789abcdef";
const NEW_PASSWORD = "a different passphrase 42";

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly time: string;
  readonly [field: string]: unknown;
}

/** Every line the server printed that is a JSON log line; anything else is returned apart. */
function logOf(server: NextServer): { lines: LogLine[]; other: string[] } {
  const lines: LogLine[] = [];
  const other: string[] = [];
  for (const text of server.output().split("\n")) {
    if (!text.trim()) continue;
    try {
      const parsed = JSON.parse(text) as LogLine;
      if (typeof parsed === "object" && parsed && typeof parsed.level === "string") lines.push(parsed);
      else other.push(text);
    } catch {
      other.push(text);
    }
  }
  return { lines, other };
}

describeWithPostgres("operations: health, readiness, metrics and logs of the built app", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ env: { METRICS_TOKEN, LOG_LEVEL: "info" } });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tab = () => new Tab(server.url);
  const scrape = async (): Promise<Exposition> => {
    const response = await fetch(`${server.url}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  };

  describe("health and readiness", () => {
    it("GET /api/health → 200 {status: ok}; GET /api/ready → 200 once the database answers and is migrated", async () => {
      const health = await tab().get("/api/health");
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: "ok" });
      expect(health.headers["cache-control"]).toBe("no-store");
      const ready = await tab().get("/api/ready");
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: "ok" });
    });

    it("another method → JSON 405 with Allow", async () => {
      for (const path of ["/api/health", "/api/ready", "/api/metrics"]) {
        const response = await tab().post(path, {});
        expect(response.status).toBe(405);
        expect(response.body.error.code).toBe("METHOD_NOT_ALLOWED");
        expect(response.headers.allow).toBe("GET, HEAD, OPTIONS");
      }
    });
  });

  describe("metrics", () => {
    it("without the right bearer token the route does not exist: 404 (missing, wrong, or another scheme)", async () => {
      for (const headers of [{} as Record<string, string>, { Authorization: "Bearer wrong-token" }, { Authorization: `Basic ${METRICS_TOKEN}` }, { Authorization: `Bearer ${METRICS_TOKEN}x` }]) {
        const response = await tab().get("/api/metrics", { headers });
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe("NOT_FOUND");
        expect(response.text).not.toContain("nextauth_");
      }
    });

    it("scraped after real requests: counters moved, families present, durations labelled by route template only", async () => {
      const before = await scrape();
      const browser = tab();
      const { email } = await signUp(browser);
      await server.smtp.waitFor((mail) => mail.to.includes(email), 10_000);
      expect((await tab().post("/api/auth/sign-in", { email, password: "not the password at all" })).status).toBe(401);
      expect((await tab().post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
      const strangerId = `team-${Math.random().toString(36).slice(2)}`;
      expect((await browser.get(`/api/teams/${strangerId}`)).status).toBe(404);

      // The mail's "sent" is counted once the dispatcher has recorded it; give it a moment.
      let after = await scrape();
      for (let i = 0; i < 20 && after.value("nextauth_mails_total", { template: "verify-email", result: "sent" }) <= before.value("nextauth_mails_total", { template: "verify-email", result: "sent" }); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = await scrape();
      }
      const moved = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
      expect(moved("nextauth_sign_ups_total", { outcome: "success" })).toBe(1);
      expect(moved("nextauth_sign_ins_total", { outcome: "success" })).toBe(1);
      expect(moved("nextauth_sign_ins_total", { outcome: "invalid_credentials" })).toBe(1);
      expect(moved("nextauth_mails_total", { template: "verify-email", result: "queued" })).toBe(1);
      expect(moved("nextauth_mails_total", { template: "verify-email", result: "sent" })).toBe(1);
      expect(moved("nextauth_http_request_duration_seconds_count", { method: "POST", route: "/api/auth/sign-in", status: "200" })).toBe(1);
      expect(moved("nextauth_http_request_duration_seconds_count", { method: "POST", route: "/api/auth/sign-in", status: "401" })).toBe(1);
      expect(moved("nextauth_http_request_duration_seconds_count", { method: "GET", route: "/api/teams/:id", status: "404" })).toBe(1);
      expect(moved("nextauth_session_checks_total", {})).toBeGreaterThan(0);

      for (const family of [
        "nextauth_sign_ins_total",
        "nextauth_sign_ups_total",
        "nextauth_throttled_total",
        "nextauth_locked_total",
        "nextauth_mails_total",
        "nextauth_outbox_depth",
        "nextauth_outbox_oldest_age_seconds",
        "nextauth_password_hashing_in_flight",
        "nextauth_password_hashing_queued",
        "nextauth_password_hashing_refused_total",
        "nextauth_session_checks_total",
        "nextauth_invalidation_bus_connected",
        "nextauth_invalidation_fanout_seconds",
        "nextauth_http_request_duration_seconds",
      ]) {
        expect([family, after.types.has(family.replace(/_total$/, "")) || after.types.has(family)]).toEqual([family, true]);
      }
      expect(after.value("nextauth_invalidation_bus_connected")).toBe(1);
      expect(after.value("nextauth_outbox_depth")).toBe(0);
      // Never a raw path in a label: the id above appears nowhere, and every route label is a template.
      const routes = new Set(after.samples.map((sample) => sample.labels.route).filter((route): route is string => route !== undefined));
      expect([...routes].some((route) => route.includes(strangerId))).toBe(false);
      for (const route of routes) expect(route).toMatch(/^(\/[a-z0-9._:*-]*)+$|^\(other\)$/);
    });

    it("throttles and locks are counted by limit", async () => {
      const before = await scrape();
      // A sign-in per-account wait after repeated failures: the account's failures are counted from the
      // sixth on (RATE_LIMIT_SCALE=100 in the harness scales counts, not the free failures' waits).
      const email = uniqueEmail("throttle");
      let throttled = false;
      for (let i = 0; i < 600 && !throttled; i++) {
        const response = await tab().post("/api/auth/sign-in", { email, password: "wrong wrong wrong" });
        throttled = response.status === 429;
      }
      expect(throttled).toBe(true);
      const after = await scrape();
      const counted =
        after.value("nextauth_throttled_total", { limit: "sign-in:account" }) - before.value("nextauth_throttled_total", { limit: "sign-in:account" }) +
        after.value("nextauth_locked_total", { limit: "sign-in:account" }) - before.value("nextauth_locked_total", { limit: "sign-in:account" });
      expect(counted).toBeGreaterThanOrEqual(1);
    }, 120_000);
  });

  describe("logs", () => {
    it("one JSON line per request with method, path without query, status, ms and the request id, which is echoed", async () => {
      const given = `op-test-${Date.now()}`;
      const response = await fetch(`${server.url}/api/auth/session?probe=${given}-query`, { headers: { "X-Request-Id": given } });
      expect(response.headers.get("x-request-id")).toBe(given);
      const malformed = await fetch(`${server.url}/sign-in`, { headers: { "X-Request-Id": "not ok <script>" } });
      const generated = malformed.headers.get("x-request-id");
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const { lines } = logOf(server);
      const line = lines.find((l) => l.requestId === given);
      expect(line).toMatchObject({ level: "info", msg: "request", method: "GET", path: "/api/auth/session", status: 401, route: "/api/auth/session" });
      expect(typeof line!.ms).toBe("number");
      expect(JSON.stringify(lines)).not.toContain(`${given}-query`);
      // Pages get their line too, with the status Next.js wrote.
      expect(lines.find((l) => l.requestId === generated)).toMatchObject({ method: "GET", path: "/sign-in", status: 200, route: "/sign-in" });
      // The app's own events share the format.
      expect(lines.some((l) => l.event === "start")).toBe(true);
    });

    it("a real flow (sign-up, verify link, sign-in, API key, reset) leaves none of its secrets anywhere in the log", async () => {
      const email = uniqueEmail("secrets");
      const browser = tab();
      await signUp(browser, email, PASSWORD);
      const verifyMail = await server.smtp.waitFor((mail) => mail.to.includes(email) && /confirm/i.test(mail.subject), 10_000);
      const verifyToken = linkToken(verifyMail, server.url, "/verify-email");
      // The link as a browser follows it (the page moves the token into a cookie), then the confirmation.
      const page = await fetch(`${server.url}/verify-email?token=${verifyToken}`, { redirect: "manual" });
      const linkCookie = page.headers.getSetCookie().join("; ");
      expect((await tab().post("/api/auth/verify-email", { token: verifyToken })).status).toBe(200);

      const signedIn = tab();
      expect((await signedIn.post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
      const key = await signedIn.post("/api/api-keys", { name: "ci" });
      expect(key.status).toBe(201);
      const apiKey: string = key.body.secret;
      expect((await tab().get("/api/me", { headers: { Authorization: `Bearer ${apiKey}` } })).status).toBe(200);

      const resetAt = server.smtp.messages.length;
      expect((await tab().post("/api/auth/password-reset", { email })).status).toBe(202);
      const resetMail = await server.smtp.waitFor((mail) => mail.to.includes(email) && /reset/i.test(mail.subject) && server.smtp.messages.indexOf(mail) >= resetAt, 10_000);
      const resetToken = linkToken(resetMail, server.url, "/reset-password");
      expect((await tab().post("/api/auth/password-reset/confirm", { token: resetToken, password: NEW_PASSWORD })).status).toBe(200);
      expect((await tab().post("/api/auth/sign-in", { email, password: NEW_PASSWORD })).status).toBe(200);
      // A metrics scrape carries its own secret.
      await scrape();
      await new Promise((resolve) => setTimeout(resolve, 300));

      const secrets: Record<string, string> = {
        password: PASSWORD,
        "new password": NEW_PASSWORD,
        "verification token": verifyToken,
        "reset token": resetToken,
        "session cookie": browser.session!,
        "signed-in session cookie": signedIn.session!,
        "API key": apiKey,
        // The secret is base64url, so it may hold "_" itself: everything after `ak_<prefix>_`.
        "API key secret part": apiKey.split("_").slice(2).join("_"),
        "metrics token": METRICS_TOKEN,
        "JWT secret": server.env.AUTH_JWT_SECRET!,
      };
      for (const cookie of linkCookie.split(/;\s*/)) {
        const value = cookie.split("=")[1];
        if (value && value.length >= 20) secrets["link cookie"] = value;
      }
      const whole = server.output();
      for (const [name, secret] of Object.entries(secrets)) {
        expect([name, secret.length >= 8, whole.includes(secret)]).toEqual([name, true, false]);
      }
      // No mail body either: not the link, not its text.
      for (const mail of [verifyMail, resetMail]) {
        for (const sentence of mail.text.split("\n").filter((l) => l.trim().length > 25)) expect(whole).not.toContain(sentence.trim());
      }
      // And every request of the flow has its line.
      const { lines } = logOf(server);
      expect(lines.filter((l) => l.msg === "request" && l.path === "/api/auth/sign-in" && l.status === 200).length).toBeGreaterThanOrEqual(2);
      expect(lines.some((l) => l.msg === "request" && l.path === "/verify-email" && l.status === 303)).toBe(true);
    });
  });

  describe("hardening", () => {
    /** A raw request, so the request target can be anything (absolute form, unknown method). */
    const raw = (method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
        const url = new URL(server.url);
        const req = rawRequest({ host: url.hostname, port: url.port, method, path: target, headers: { Host: url.host, ...headers } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        });
        req.on("error", reject);
        if (body) req.write(body);
        req.end();
      });

    /** The same over a bare socket: a method Node's HTTP client refuses to send (FOO) or treats apart (CONNECT). */
    const socketRequest = (requestLine: string) =>
      new Promise<{ status: number; allow: string | undefined; contentType: string | undefined; body: string }>((resolve, reject) => {
        const url = new URL(server.url);
        const socket = connect(Number(url.port), url.hostname, () => socket.write(`${requestLine}\r\nHost: ${url.host}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`));
        let text = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk) => (text += chunk));
        socket.on("end", () => {
          const split = text.indexOf("\r\n\r\n");
          const head = split < 0 ? text : text.slice(0, split);
          let body = split < 0 ? "" : text.slice(split + 4);
          const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1];
          if (/^chunked$/i.test(header("transfer-encoding") ?? "")) {
            let decoded = "";
            for (let rest = body; ; ) {
              const eol = rest.indexOf("\r\n");
              const size = parseInt(rest.slice(0, eol), 16);
              if (!(size > 0)) break;
              decoded += rest.slice(eol + 2, eol + 2 + size);
              rest = rest.slice(eol + 2 + size + 2);
            }
            body = decoded;
          }
          resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), allow: header("allow"), contentType: header("content-type"), body });
        });
        socket.on("error", reject);
        setTimeout(() => socket.destroy(new Error(`no answer to ${requestLine}`)), 10_000).unref();
      });

    it("a method a path does not serve, TRACE and unknown ones included → 405 with Allow (JSON on /api), never a 500 or a page", async () => {
      for (const method of ["TRACE", "PROPFIND", "PURGE", "COPY"]) {
        const api = await socketRequest(`${method} /api/auth/sign-in HTTP/1.1`);
        expect([method, api.status, api.allow, api.contentType]).toEqual([method, 405, "POST, OPTIONS", "application/json; charset=utf-8"]);
        expect(JSON.parse(api.body).error.code).toBe("METHOD_NOT_ALLOWED");
        const team = await socketRequest(`${method} /api/teams/some-id HTTP/1.1`);
        expect([method, team.status, team.allow]).toEqual([method, 405, "GET, PATCH, DELETE, HEAD, OPTIONS"]);
        const unknownApi = await socketRequest(`${method} /api/no/such/route HTTP/1.1`);
        expect([method, unknownApi.status]).toEqual([method, 404]);
      }
      for (const method of ["TRACE", "PUT", "PATCH", "DELETE", "PROPFIND", "PURGE"]) {
        for (const page of ["/sign-in", "/dashboard", "/", "/no-such-page"]) {
          const response = await socketRequest(`${method} ${page} HTTP/1.1`);
          expect([method, page, response.status, response.allow]).toEqual([method, page, 405, "GET, HEAD, POST, OPTIONS"]);
          expect(response.body).not.toMatch(/<html|Internal Server Error/i);
        }
      }
      // Methods the HTTP parser itself does not know, and CONNECT, which never becomes a request.
      for (const [line, status, allow, json] of [
        ["FOO /api/auth/sign-in HTTP/1.1", 405, "POST, OPTIONS", true],
        ["FOO /sign-in HTTP/1.1", 405, "GET, HEAD, POST, OPTIONS", false],
        ["BREW /dashboard HTTP/1.1", 405, "GET, HEAD, POST, OPTIONS", false],
        ["CONNECT /sign-in HTTP/1.1", 405, "GET, HEAD, POST, OPTIONS", false],
      ] as const) {
        const response = await socketRequest(line);
        expect([line, response.status, response.allow]).toEqual([line, status, allow]);
        if (json) expect(JSON.parse(response.body).error.code).toBe("METHOD_NOT_ALLOWED");
      }
      // OPTIONS on a page states what it allows; the methods pages serve still work.
      const options = await socketRequest("OPTIONS /sign-in HTTP/1.1");
      expect([options.status, options.allow]).toEqual([204, "GET, HEAD, POST, OPTIONS"]);
      expect((await socketRequest("GET /sign-in HTTP/1.1")).status).toBe(200);
      expect((await socketRequest("HEAD /sign-in HTTP/1.1")).status).toBe(200);
    });

    it("an absolute-URI request target naming another host is served as the same path here, never redirected there", async () => {
      for (const [method, target, headers, body] of [
        ["GET", "http://other.example/dashboard", { Host: "other.example" }, undefined],
        ["GET", "http://other.example/sign-in?next=/dashboard", {}, undefined],
        ["POST", "http://other.example/api/auth/sign-in", { "Content-Type": "application/json", Origin: server.url }, JSON.stringify({ email: uniqueEmail(), password: PASSWORD })],
        ["GET", "http://other.example/api/auth/session", {}, undefined],
        ["GET", "http://other.example/api/teams/", {}, undefined],
      ] as const) {
        const response = await raw(method, target, headers as Record<string, string>, body);
        expect([target, response.status < 500]).toEqual([target, true]);
        const location = String(response.headers.location ?? "");
        expect([target, location]).not.toEqual([target, expect.stringContaining("other.example")]);
      }
      // The absolute form is the same route as the path: the API answers as it would.
      const session = await raw("GET", "http://other.example/api/auth/session");
      expect(session.status).toBe(401);
      expect(JSON.parse(session.text).error.code).toBe("UNAUTHENTICATED");
    });
  });
});

describeWithPostgres("operations with METRICS_TOKEN unset and LOG_LEVEL=warn", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ env: { METRICS_TOKEN: undefined, LOG_LEVEL: "warn" } });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("/api/metrics does not exist at all, whatever bearer comes with it", async () => {
    for (const headers of [{} as Record<string, string>, { Authorization: `Bearer ${METRICS_TOKEN}` }, { Authorization: "Bearer " }]) {
      const response = await new Tab(server.url).get("/api/metrics", { headers });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("NOT_FOUND");
    }
  });

  it("request lines are info: at warn the log keeps only warnings and errors", async () => {
    const id = `quiet-${Date.now()}`;
    await fetch(`${server.url}/api/health`, { headers: { "X-Request-Id": id } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { lines } = logOf(server);
    expect(lines.some((line) => line.requestId === id)).toBe(false);
    expect(lines.every((line) => ["warn", "error", "fatal"].includes(line.level))).toBe(true);
  });
});
