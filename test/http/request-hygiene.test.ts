/**
 * What every request must get through before it reaches the core: same-origin only (login CSRF
 * included), JSON only, a bounded body, a strict schema; and what comes back: stable JSON error codes,
 * no stack, no caching, 405 and 404 as JSON.
 */
import { connect } from "node:net";
import { describeWithPostgres, startNextServer, type NextServer } from "../support/next-server";
import { request } from "../support/security-http";
import { PASSWORD, signUp, Tab, uniqueEmail } from "./http-client";

describeWithPostgres("request hygiene over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tab = () => new Tab(server.url);

  /** Every state-changing route, with a body it would otherwise accept as well-formed. */
  const stateChanging: Array<[string, "POST" | "DELETE" | "PATCH", unknown]> = [
    ["/api/auth/sign-up", "POST", { email: "csrf@example.com", password: PASSWORD }],
    ["/api/auth/sign-in", "POST", { email: "csrf@example.com", password: PASSWORD }],
    ["/api/auth/sign-out", "POST", {}],
    ["/api/auth/sign-out-all", "POST", {}],
    ["/api/auth/sessions/some-id", "DELETE", {}],
    ["/api/auth/verify-email", "POST", { token: "x" }],
    ["/api/auth/verify-email/resend", "POST", {}],
    ["/api/auth/password-reset", "POST", { email: "csrf@example.com" }],
    ["/api/auth/password-reset/confirm", "POST", { token: "x", password: PASSWORD }],
    ["/api/auth/change-password", "POST", { currentPassword: PASSWORD, newPassword: "another long passphrase" }],
    ["/api/account", "DELETE", { password: PASSWORD }],
    ["/api/api-keys", "POST", { name: "ci" }],
    ["/api/api-keys/some-id", "DELETE", {}],
    ["/api/teams", "POST", { name: "csrf" }],
    ["/api/teams/some-id", "PATCH", { name: "csrf" }],
    ["/api/teams/some-id", "DELETE", {}],
    ["/api/teams/some-id/invitations", "POST", { email: "csrf@example.com", role: "member" }],
    ["/api/teams/some-id/invitations/some-invitation", "DELETE", {}],
    ["/api/teams/some-id/members/some-user", "PATCH", { role: "member" }],
    ["/api/teams/some-id/members/some-user", "DELETE", {}],
    ["/api/invitations/accept", "POST", { token: "x" }],
    ["/api/invitations/decline", "POST", { token: "x" }],
  ];

  describe("cross-site requests are refused with 403 before anything happens", () => {
    const hostile: Array<[string, Record<string, string>, string | null]> = [
      ["a foreign Origin", {}, "https://evil.example"],
      ["Origin: null", {}, "null"],
      ["a sibling subdomain (same site, other origin)", {}, "http://sub.127.0.0.1.nip.io"],
      ["another port of the same host", {}, "http://127.0.0.1:1"],
      ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }, null],
      ["Sec-Fetch-Site: same-site", { "Sec-Fetch-Site": "same-site" }, null],
      ["a cross-origin Referer", { Referer: "https://evil.example/page" }, null],
    ];

    it.each(hostile)("%s", async (_label, headers, origin) => {
      for (const [path, method, body] of stateChanging) {
        const response = await tab().send(method, path, { body, headers, origin });
        expect({ path, status: response.status, code: response.body?.error?.code }).toEqual({ path, status: 403, code: "CROSS_SITE_REQUEST" });
        expect(response.headers["access-control-allow-origin"]).toBeUndefined();
      }
    });

    it("login CSRF: a foreign page cannot sign the browser in to the attacker's account", async () => {
      const { email } = await signUp(tab());
      const response = await tab().post("/api/auth/sign-in", { email, password: PASSWORD }, { origin: "https://evil.example" });
      expect(response.status).toBe(403);
      expect(response.headers["set-cookie"]).toBeUndefined();
    });

    it("a refused sign-out leaves the session alive; the same request from the site itself works", async () => {
      const browser = tab();
      await signUp(browser);
      const refused = await browser.send("POST", "/api/auth/sign-out", { origin: "https://evil.example" });
      expect(refused.status).toBe(403);
      expect((await browser.get("/api/auth/session")).status).toBe(200);
      const allowed = await browser.send("POST", "/api/auth/sign-out", { headers: { "Sec-Fetch-Site": "same-origin", Referer: `${server.url}/dashboard` } });
      expect(allowed.status).toBe(204);
    });

    it("a preflight from a foreign origin gets no CORS permission", async () => {
      const response = await tab().send("PUT", "/api/auth/sign-in", { origin: "https://evil.example" });
      expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("the Host header does not decide what the right origin is", async () => {
      const response = await tab().post(
        "/api/auth/sign-up",
        { email: uniqueEmail(), password: PASSWORD },
        { origin: "https://evil.example", headers: { Host: "evil.example", "X-Forwarded-Host": "evil.example" } },
      );
      expect(response.status).toBe(403);
    });
  });

  describe("JSON only", () => {
    it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "text/json"])(
      "Content-Type %s → 415 UNSUPPORTED_MEDIA_TYPE on every state-changing route",
      async (contentType) => {
        for (const [path, method, body] of stateChanging) {
          const response = await tab().send(method, path, { raw: JSON.stringify(body), contentType });
          expect({ path, status: response.status, code: response.body?.error?.code }).toEqual({
            path,
            status: 415,
            code: "UNSUPPORTED_MEDIA_TYPE",
          });
        }
      },
    );

    it("a page post whose multipart body does not parse → 400, never a 500; a well-formed one still reaches the page", async () => {
      for (const [path, contentType] of [
        ["/", "multipart/form-data; boundary=x"],
        ["/sign-in?_rsc=1", "multipart/form-data; boundary=x"],
        ["/sign-up", "multipart/form-data"],
      ]) {
        const response = await fetch(server.url + path, { method: "POST", headers: { "Content-Type": contentType!, Origin: server.url }, body: '{"a":1}' });
        expect({ path, status: response.status, text: await response.text() }).toEqual({
          path,
          status: 400,
          text: "This form submission could not be read. Reload the page and send the form again.",
        });
      }
      // A percent-encoded dot segment leaves /api for the home page (sent raw: fetch would normalise it).
      const encoded = await request(server.url, "/api/%2e%2e?_rsc=1", {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=x", Origin: server.url, "Transfer-Encoding": "chunked" },
        raw: '{"a":1}',
      });
      expect(encoded.status).toBe(400);
      const wellFormed = await fetch(`${server.url}/`, {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=x", Origin: server.url },
        body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
      });
      // Past the proxy: Next.js itself refuses a form that names no server action.
      expect(wellFormed.status).toBe(400);
      expect(await wellFormed.text()).not.toContain("could not be read");
    });

    it("a body without any Content-Type → 415", async () => {
      const response = await tab().send("POST", "/api/auth/sign-in", { raw: JSON.stringify({ email: "a@b.co", password: PASSWORD }), contentType: null });
      expect(response.status).toBe(415);
    });

    it("application/json with a charset is fine", async () => {
      const response = await tab().send("POST", "/api/auth/sign-up", {
        raw: JSON.stringify({ email: uniqueEmail(), password: PASSWORD }),
        contentType: "application/json; charset=utf-8",
      });
      expect(response.status).toBe(201);
    });
  });

  describe("bad input → 4xx with a stable code, never a 500 or a stack", () => {
    it.each(["{bad", '{"email": "a@b.co",}', "", "nul", '"unterminated'])("malformed JSON %j → 400 MALFORMED_JSON", async (raw) => {
      const response = await tab().send("POST", "/api/auth/sign-in", { raw });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("MALFORMED_JSON");
    });

    it("invalid UTF-8 → 400 MALFORMED_JSON", async () => {
      const response = await fetch(new URL("/api/auth/sign-in", server.url), {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: server.url },
        body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("MALFORMED_JSON");
    });

    it.each([
      ["a number for the e-mail", { email: 12, password: PASSWORD }, "email"],
      ["an object for the password", { email: "a@b.co", password: { $gt: "" } }, "password"],
      ["an array for the password", { email: "a@b.co", password: ["x"] }, "password"],
      ["null for the e-mail", { email: null, password: PASSWORD }, "email"],
      ["a missing password", { email: "a@b.co" }, "password"],
    ])("%s → 400 VALIDATION_FAILED naming the field", async (_label, body, field) => {
      const response = await tab().post("/api/auth/sign-in", body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
      expect(response.body.error.fields[field]).toEqual(expect.any(String));
    });

    it.each([["an array", [1, 2]], ["a string", "hello"], ["a number", 42], ["null", null]])("a JSON body that is %s → 400 VALIDATION_FAILED", async (_label, body) => {
      const response = await tab().send("POST", "/api/auth/sign-in", { raw: JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
    });

    it("unknown fields are refused, and nothing of them is stored", async () => {
      const email = uniqueEmail();
      const response = await tab().post("/api/auth/sign-up", { email, password: PASSWORD, emailVerified: true, role: "admin" });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
      expect(Object.keys(response.body.error.fields).sort()).toEqual(["emailVerified", "role"]);
      // Not created either.
      expect((await tab().post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(401);
    });

    it.each(['{"__proto__": {"emailVerified": true}}', '{"constructor": {"prototype": {"isAdmin": true}}}'])(
      "prototype-pollution keys %s → 400, and the server is unaffected",
      async (extra) => {
        const email = uniqueEmail();
        const raw = `{"email": ${JSON.stringify(email)}, "password": ${JSON.stringify(PASSWORD)}, ${extra.slice(1, -1)}}`;
        const response = await tab().send("POST", "/api/auth/sign-up", { raw });
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe("VALIDATION_FAILED");
        const browser = tab();
        await signUp(browser);
        expect((await browser.get("/api/auth/session")).body.user.emailVerified).toBe(false);
      },
    );

    it("an empty body on a route without input is fine, and an unexpected field there is refused", async () => {
      expect((await tab().send("POST", "/api/auth/sign-out")).status).toBe(204);
      const extra = await tab().send("POST", "/api/auth/sign-out", { body: { everywhere: true } });
      expect(extra.status).toBe(400);
      expect(extra.body.error.code).toBe("VALIDATION_FAILED");
    });

    it("errors never carry a stack, SQL or a version banner", async () => {
      const responses = [
        await tab().send("POST", "/api/auth/sign-in", { raw: "{bad" }),
        await tab().post("/api/auth/sign-in", { email: "x'; DROP TABLE users; --@example.com", password: PASSWORD }),
        await tab().post("/api/auth/verify-email", { token: "' OR 1=1 --" }),
        await tab().get("/api/auth/sessions"),
      ];
      for (const response of responses) {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const text = JSON.stringify(response.body);
        expect(text).not.toMatch(/\bat \w+ \(|node_modules|SELECT|INSERT|QueryFailedError|typeorm|stack/i);
        expect(response.headers["x-powered-by"]).toBeUndefined();
        expect(Object.keys(response.body)).toEqual(["error"]);
        expect(Object.keys(response.body.error).every((key) => ["code", "message", "fields"].includes(key))).toBe(true);
      }
    });
  });

  describe("body size", () => {
    it("a declared Content-Length over the limit → 413 PAYLOAD_TOO_LARGE", async () => {
      const raw = JSON.stringify({ email: "a@b.co", password: "x".repeat(20_000) });
      const response = await tab().send("POST", "/api/auth/sign-in", { raw });
      expect(response.status).toBe(413);
      expect(response.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    });

    it("a chunked body without Content-Length is counted while it is read → 413", async () => {
      const url = new URL("/api/auth/sign-up", server.url);
      const chunk = new TextEncoder().encode("x".repeat(8 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 64) return controller.close();
          sent++;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: server.url },
        body: stream,
        duplex: "half",
      } as RequestInit & { duplex: "half" });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    });

    it("a 1 MB password is refused before any hashing, quickly", async () => {
      const started = Date.now();
      const response = await tab().post("/api/auth/sign-up", { email: uniqueEmail(), password: "p".repeat(1024 * 1024) });
      expect(response.status).toBe(413);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it("oversized headers → 431", async () => {
      // Node answers and closes at once, which fetch reports as a reset: read the status line off the socket.
      const { port } = new URL(server.url);
      const statusLine = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => {
          socket.write(`GET /api/auth/session HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: session=${"a".repeat(20_000)}\r\n\r\n`);
        });
        let received = "";
        socket.on("data", (chunk) => {
          received += chunk.toString("latin1");
          if (received.includes("\r\n")) {
            socket.destroy();
            resolve(received.slice(0, received.indexOf("\r\n")));
          }
        });
        socket.on("error", reject);
        socket.setTimeout(5000, () => reject(new Error("no answer")));
      });
      expect(statusLine).toMatch(/^HTTP\/1\.1 431 /);
    });
  });

  describe("methods and routes", () => {
    it.each([
      ["PUT", "/api/auth/sign-in", "POST, OPTIONS"],
      ["GET", "/api/auth/sign-up", "POST, OPTIONS"],
      ["DELETE", "/api/auth/session", "GET, HEAD, OPTIONS"],
      ["PATCH", "/api/api-keys", "GET, POST, HEAD, OPTIONS"],
      ["POST", "/api/account", "DELETE, OPTIONS"],
    ] as const)("%s %s → 405 JSON with Allow: %s", async (method, path, allow) => {
      const response = await tab().send(method, path);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.body.error.code).toBe("METHOD_NOT_ALLOWED");
      expect(response.headers["cache-control"]).toBe("no-store");
    });

    it.each(["/api/nope", "/api/auth/nope", "/api/auth/sessions/a/b", "/api", "/api/.env"])("unknown API route %s → JSON 404", async (path) => {
      for (const method of ["GET", "POST", "DELETE"] as const) {
        const response = await tab().send(method, path);
        expect(response.status).toBe(404);
        expect(response.headers["content-type"]).toMatch(/^application\/json/);
        expect(response.body.error.code).toBe("NOT_FOUND");
      }
    });

    it("a client-sent x-middleware-subrequest header opens nothing", async () => {
      const response = await tab().get("/api/auth/session", {
        headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware", "x-middleware-override-headers": "cookie" },
      });
      expect(response.status).toBe(401);
    });
  });
});
