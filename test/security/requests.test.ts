/**
 * Requests: CSRF (login CSRF included), JSON only, strict schemas, bad input, methods, unknown routes,
 * header limits and the security headers of pages, against `next start` on PostgreSQL.
 */
import { createHash } from "node:crypto";
import { describeWithDatabase, Database, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { Browser, isErrorBody, leaks, parseSetCookie, PASSWORD, request, uniqueEmail, type HttpResponse } from "../support/security-http";
import { expectStatus, hiddenFields, isSignedIn, signUp, verifiedAccount } from "./flows";
import { REQUIREMENTS } from "./requirements";

/** A public origin on https, as behind a TLS-terminating load balancer: `__Host-` cookie, HSTS, sibling subdomains. */
const HTTPS_ORIGIN = "https://app.example.test";

let http: NextServer;
let https: NextServer;
let db: Database;

beforeAll(async () => {
  http = await startApp();
  https = await startApp({ env: { APP_URL: HTTPS_ORIGIN } });
  db = new Database(http.databaseUrl);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  await Promise.all([http?.stop(), https?.stop()]);
});

function expectRefusal(response: HttpResponse, status: number, code: string): void {
  if (response.status !== status || !isErrorBody(response.json) || response.json.error.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${response.status}: ${response.text.slice(0, 300)}`);
  }
}

function noCors(response: HttpResponse): void {
  for (const name of Object.keys(response.headers)) expect(name).not.toMatch(/^access-control-/);
}

/** Every state-changing route with a body that would succeed for a signed-in, verified user. */
function stateChangingRoutes(victim: { password: string }): Array<{ method: string; path: string; body?: unknown }> {
  return [
    { method: "POST", path: "/api/auth/sign-up", body: { email: uniqueEmail("csrf"), password: PASSWORD } },
    { method: "POST", path: "/api/auth/sign-in", body: { email: uniqueEmail("csrf"), password: PASSWORD } },
    { method: "POST", path: "/api/auth/sign-out" },
    { method: "POST", path: "/api/auth/sign-out-all" },
    { method: "DELETE", path: "/api/auth/sessions/some-session-id" },
    { method: "POST", path: "/api/auth/verify-email", body: { token: "x".repeat(43) } },
    { method: "POST", path: "/api/auth/verify-email/resend" },
    { method: "POST", path: "/api/auth/password-reset", body: { email: uniqueEmail("csrf") } },
    { method: "POST", path: "/api/auth/password-reset/confirm", body: { token: "x".repeat(43), password: "another fine passphrase" } },
    { method: "POST", path: "/api/auth/change-password", body: { currentPassword: victim.password, newPassword: "another fine passphrase" } },
    { method: "DELETE", path: "/api/account", body: { password: victim.password } },
    { method: "POST", path: "/api/api-keys", body: { name: "csrf" } },
    { method: "DELETE", path: "/api/api-keys/some-key-id" },
  ];
}

describeWithDatabase(REQUIREMENTS.requests.csrf, () => {
  const foreignOrigins = [
    ["another site", "https://evil.example"],
    ["Origin: null (sandboxed frame, data: URL, some redirects)", "null"],
    ["a same-site sibling subdomain", "https://evil.app.example.test"],
    ["the parent domain", "https://example.test"],
    ["the same host over http (scheme downgrade)", "http://app.example.test"],
    ["the same host on another port", "https://app.example.test:8443"],
    ["an origin with a path", "https://app.example.test/evil"],
    ["a look-alike host", "https://app.example.test.evil.example"],
    ["two origins in one header", "https://app.example.test https://evil.example"],
  ] as const;

  it("refuses every foreign Origin with 403 on every state-changing route, login CSRF included, and changes nothing", async () => {
    const victim = Browser.of(https);
    const account = await verifiedAccount(https, victim);
    const httpsDb = new Database(https.databaseUrl);
    const before = await httpsDb.one<{ n: string }>(`SELECT count(*)::text AS n FROM users`);
    for (const [, origin] of foreignOrigins) {
      for (const route of stateChangingRoutes(account)) {
        const response = await victim.call(route.method, route.path, { origin, body: route.body ?? {}, headers: { "Content-Type": "application/json" } });
        expectRefusal(response, 403, "CROSS_SITE_REQUEST");
        expect(response.setCookies).toEqual([]);
        noCors(response);
      }
    }
    // Nothing happened: the victim is still signed in with the same password, no account was created.
    expect(await isSignedIn(https, victim.cookie)).toBe(true);
    expect(await httpsDb.one<{ n: string }>(`SELECT count(*)::text AS n FROM users`)).toEqual(before);
    await httpsDb.close();
    const again = Browser.of(https);
    expectStatus(await again.post("/api/auth/sign-in", { email: account.email, password: account.password }), 200);
  });

  it("login CSRF: a cross-site sign-in with valid credentials gets no session cookie (Origin, Sec-Fetch-Site, Referer)", async () => {
    const owner = Browser.of(http);
    const account = await signUp(owner);
    const attacks: Array<Record<string, string>> = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      { Referer: "https://evil.example/login.html" },
      { Origin: http.url, "Sec-Fetch-Site": "cross-site" },
      { Origin: http.url, Referer: "https://evil.example/" },
    ];
    for (const headers of attacks) {
      const response = await request(http.url, "/api/auth/sign-in", { method: "POST", body: { email: account.email, password: account.password }, headers });
      expectRefusal(response, 403, "CROSS_SITE_REQUEST");
      expect(response.setCookies).toEqual([]);
    }
    // The same request from the site itself works, so the refusals above are the origin check's.
    const ok = await request(http.url, "/api/auth/sign-in", {
      method: "POST",
      body: { email: account.email, password: account.password },
      headers: { Origin: http.url, "Sec-Fetch-Site": "same-origin", Referer: `${http.url}/sign-in` },
    });
    expectStatus(ok, 200);
  });

  it("a request without Origin is refused when Sec-Fetch-Site is cross-site or same-site, or the Referer is foreign", async () => {
    const browser = Browser.of(http);
    await signUp(browser);
    for (const headers of [{ "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }, { Referer: "https://evil.example/" }, { Referer: "http://localhost:1/" }]) {
      const response = await browser.post("/api/auth/sign-out", undefined, { origin: null, headers });
      expectRefusal(response, 403, "CROSS_SITE_REQUEST");
    }
    expect(await isSignedIn(http, browser.cookie)).toBe(true);
  });

  it("JSON only: every state-changing route answers 415 to forms, multipart, text/plain, a missing type and look-alike JSON types", async () => {
    const browser = Browser.of(http);
    const account = await verifiedAccount(http, browser);
    const types = [
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "text/plain",
      "text/plain; charset=utf-8",
      "application/json-patch+json",
      "application/jsonx",
      "text/json",
      "application/json; charset=latin1",
      "application/x-json",
      "",
    ];
    for (const route of stateChangingRoutes(account)) {
      for (const type of types) {
        const response = await browser.call(route.method, route.path, { raw: JSON.stringify(route.body ?? {}), headers: { "Content-Type": type } });
        expectRefusal(response, 415, "UNSUPPORTED_MEDIA_TYPE");
      }
      // Without any Content-Type but with a body: the classic form-less CSRF of a text/plain fetch.
      const bare = await browser.call(route.method, route.path, { raw: JSON.stringify(route.body ?? { x: 1 }) });
      expectRefusal(bare, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    expect(await isSignedIn(http, browser.cookie)).toBe(true);
  });

  it("no CORS headers for a foreign origin, neither on a preflight nor on the answer", async () => {
    const preflight = await request(http.url, "/api/auth/sign-in", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
    });
    expect(preflight.status).toBeLessThan(500);
    noCors(preflight);
    const get = await request(http.url, "/api/auth/session", { headers: { Origin: "https://evil.example" } });
    noCors(get);
    const post = await request(http.url, "/api/auth/password-reset", { method: "POST", body: { email: uniqueEmail() }, headers: { Origin: "https://evil.example" } });
    noCors(post);
  });

  it("server actions keep Next.js's origin check: a cross-site form post to the sign-in action opens no session", async () => {
    const owner = Browser.of(http);
    const account = await signUp(owner);
    const page = await request(http.url, "/sign-in");
    const fields = hiddenFields(page.text);
    expect(fields.length).toBeGreaterThan(0);
    const post = (origin: string) => {
      const boundary = "----sec" + Math.random().toString(16).slice(2);
      const parts = [...fields, ["email", account.email], ["password", account.password], ["next", "/dashboard"]]
        .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join("");
      return request(http.url, "/sign-in", {
        method: "POST",
        raw: `${parts}--${boundary}--\r\n`,
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Origin: origin, Accept: "text/html" },
      });
    };
    // The form itself works from the site (so the refusals below are the origin check's).
    const same = await post(http.url);
    expect(same.status).toBe(303);
    expect(same.setCookies.some((c) => parseSetCookie(c).name === "session" && parseSetCookie(c).value !== "")).toBe(true);
    for (const origin of ["https://evil.example", "null", "http://localhost:1"]) {
      const response = await post(origin);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.setCookies.filter((c) => parseSetCookie(c).value !== "")).toEqual([]);
      expect(leaks(response.text)).toBeNull();
    }
  });
});

describeWithDatabase(REQUIREMENTS.requests.nextParam, () => {
  const hostile = [
    "//evil.example",
    "///evil.example",
    "////evil.example/x",
    "https://evil.example",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "/.//evil.example",
    "/..//evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:/\\evil.example",
    "/sign-in?next=//evil.example",
  ];

  function expectSameSite(location: string | undefined, base: string): void {
    expect(location).toBeDefined();
    const target = new URL(location!, base);
    expect(target.origin).toBe(new URL(base).origin);
    expect(location!.startsWith("//")).toBe(false);
    expect(location!).not.toMatch(/^\/[\\/]|^[a-z][a-z0-9+.-]*:(?!\/\/127\.0\.0\.1)/i);
  }

  it("a signed-in visitor sent to /sign-in?next=… lands on this site whatever `next` says", async () => {
    const browser = Browser.of(http);
    await signUp(browser);
    for (const next of hostile) {
      const response = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`, { headers: { Accept: "text/html" } });
      expect([303, 307, 308]).toContain(response.status);
      expectSameSite(response.headers.location, http.url);
    }
    const good = await browser.get(`/sign-in?next=${encodeURIComponent("/dashboard/settings")}`, { headers: { Accept: "text/html" } });
    expect(new URL(good.headers.location!, http.url).pathname).toBe("/dashboard/settings");
  });

  it("the no-JavaScript sign-in form redirects only to same-site paths after signing in", async () => {
    const owner = Browser.of(http);
    const account = await signUp(owner);
    const page = await request(http.url, "/sign-in");
    const fields = hiddenFields(page.text);
    for (const next of [...hostile.slice(0, 8), "/dashboard/api-keys"]) {
      const boundary = "----sec" + Math.random().toString(16).slice(2);
      const parts = [...fields, ["email", account.email], ["password", account.password], ["next", next]]
        .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join("");
      const response = await request(http.url, "/sign-in", {
        method: "POST",
        raw: `${parts}--${boundary}--\r\n`,
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Origin: http.url, Accept: "text/html" },
      });
      expect(response.status).toBe(303);
      expectSameSite(response.headers.location, http.url);
      if (next === "/dashboard/api-keys") expect(new URL(response.headers.location!, http.url).pathname).toBe("/dashboard/api-keys");
    }
  });

  it("an anonymous visit to a protected page keeps the path in `next` as a relative path", async () => {
    const response = await request(http.url, "/dashboard/settings?tab=1", { headers: { Accept: "text/html" } });
    expect(response.status).toBe(307);
    const location = new URL(response.headers.location!, http.url);
    expect(location.origin).toBe(http.url);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("next")).toBe("/dashboard/settings?tab=1");
  });
});

describeWithDatabase(REQUIREMENTS.requests.schemas, () => {
  it("unknown fields are refused with 400 and nothing is stored (role, emailVerified, id, __proto__, constructor)", async () => {
    const extras: Array<Record<string, unknown>> = [
      { role: "admin" },
      { emailVerified: true },
      { email_verified_at: "2020-01-01T00:00:00Z" },
      { id: "chosen-id" },
      { isAdmin: true },
    ];
    for (const extra of extras) {
      const email = uniqueEmail("schema");
      const response = await request(http.url, "/api/auth/sign-up", { method: "POST", body: { email, password: PASSWORD, ...extra }, headers: { Origin: http.url } });
      expectRefusal(response, 400, "VALIDATION_FAILED");
      expect(await db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);
    }
    for (const raw of [
      (email: string) => `{"email":"${email}","password":"${PASSWORD}","__proto__":{"emailVerified":true,"isAdmin":true}}`,
      (email: string) => `{"email":"${email}","password":"${PASSWORD}","constructor":{"prototype":{"emailVerified":true}}}`,
      (email: string) => `{"__proto__":{"__proto__":{"polluted":"yes"}},"email":"${email}","password":"${PASSWORD}"}`,
    ]) {
      const email = uniqueEmail("proto");
      const response = await request(http.url, "/api/auth/sign-up", { method: "POST", raw: raw(email), headers: { Origin: http.url, "Content-Type": "application/json" } });
      expectRefusal(response, 400, "VALIDATION_FAILED");
      expect(await db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);
    }
  });

  it("no prototype pollution: after the attempts, a new account is still unverified and cannot create API keys", async () => {
    for (const path of ["/api/auth/sign-in", "/api/auth/password-reset", "/api/api-keys", "/api/auth/change-password"]) {
      await request(http.url, path, {
        method: "POST",
        raw: `{"__proto__":{"emailVerified":true,"verified":true,"isAdmin":true,"polluted":1},"constructor":{"prototype":{"emailVerified":true}}}`,
        headers: { Origin: http.url, "Content-Type": "application/json" },
      });
    }
    const browser = Browser.of(http);
    await signUp(browser);
    const session = await browser.get("/api/auth/session");
    expect(session.json.user.emailVerified).toBe(false);
    expect(session.text).not.toContain("polluted");
    expect(session.text).not.toContain("isAdmin");
    expectRefusal(await browser.post("/api/api-keys", { name: "k" }), 403, "EMAIL_NOT_VERIFIED");
  });

  it("values of the wrong type are refused, never coerced (arrays, objects, numbers, null, booleans)", async () => {
    for (const password of [["a", "b"], { $ne: null }, 12345678901, null, true]) {
      const email = uniqueEmail("types");
      const response = await request(http.url, "/api/auth/sign-up", { method: "POST", body: { email, password }, headers: { Origin: http.url } });
      expectRefusal(response, 400, "VALIDATION_FAILED");
      expect(await db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);
    }
    for (const email of [[uniqueEmail()], { $gt: "" }, null]) {
      const response = await request(http.url, "/api/auth/sign-in", { method: "POST", body: { email, password: PASSWORD }, headers: { Origin: http.url } });
      expectRefusal(response, 400, "VALIDATION_FAILED");
    }
  });
});

describeWithDatabase(REQUIREMENTS.requests.badInput, () => {
  function expectCleanRefusal(response: HttpResponse): void {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(isErrorBody(response.json)).toBe(true);
    expect(leaks(response.text)).toBeNull();
    expect(response.headers["x-powered-by"]).toBeUndefined();
    expect(response.headers.server).toBeUndefined();
  }

  it("malformed bodies get a 4xx with a stable code and no stack, SQL or version", async () => {
    const bodies: Array<string | Buffer> = [
      "",
      "{",
      "{'email': 'x'}",
      '{"email": "a@b.c", "password": }',
      "null",
      "[]",
      '"a string"',
      "12345",
      "true",
      '{"email":"a@b.c","password":"x"}trailing',
      "\uFEFF{}",
      Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
      Buffer.from('{"email":"\xc3\x28@b.c","password":"abcdefghij"}', "latin1"),
      "[".repeat(100_000) + "]".repeat(100_000),
      '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000),
      `{"email":"${"a".repeat(15_000)}","password":"x"}`,
      '{"email":"a@b.c","password":"' + "\\ud800".repeat(10) + '"}',
      '{"email":"\\u0000@b.c","password":"abcdefghijk"}',
      '{"email":1e999,"password":-0}',
    ];
    for (const route of ["/api/auth/sign-up", "/api/auth/sign-in", "/api/auth/password-reset", "/api/auth/verify-email", "/api/auth/password-reset/confirm"]) {
      for (const raw of bodies) {
        const response = await request(http.url, route, { method: "POST", raw, headers: { Origin: http.url, "Content-Type": "application/json" } });
        expectCleanRefusal(response);
      }
    }
  });

  it("NUL bytes and control characters in ids and names are a 4xx, never a database error", async () => {
    const browser = Browser.of(http);
    await verifiedAccount(http, browser);
    for (const id of ["%00", "a%00b", "%0a", "%7f"]) {
      expectCleanRefusal(await browser.delete(`/api/api-keys/${id}`));
      expectCleanRefusal(await browser.delete(`/api/auth/sessions/${id}`));
    }
    // JSON escapes, as a client would send them: the server decodes them into the characters.
    for (const name of ["a\\u0000b", "tab\\there", "\\ud800 lone", "line\\nbreak", "\\u007f"]) {
      const response = await browser.call("POST", "/api/api-keys", { raw: `{"name":"${name}"}`, headers: { "Content-Type": "application/json" } });
      expectCleanRefusal(response);
    }
    expect((await browser.get("/api/api-keys")).json.apiKeys).toEqual([]);
  });

  it("unsupported methods answer a JSON 405 with Allow, on every API route", async () => {
    const routes: Array<[string, string[]]> = [
      ["/api/auth/sign-up", ["GET", "PUT", "PATCH", "DELETE"]],
      ["/api/auth/sign-in", ["GET", "PUT", "PATCH", "DELETE"]],
      ["/api/auth/sign-out", ["GET", "PUT", "DELETE"]],
      ["/api/auth/sign-out-all", ["GET", "PATCH"]],
      ["/api/auth/session", ["POST", "PUT", "DELETE"]],
      ["/api/auth/sessions", ["POST", "DELETE"]],
      ["/api/auth/sessions/abc", ["GET", "POST", "PUT"]],
      ["/api/auth/verify-email", ["GET", "PUT"]],
      ["/api/auth/verify-email/resend", ["GET"]],
      ["/api/auth/password-reset", ["GET", "DELETE"]],
      ["/api/auth/password-reset/confirm", ["GET", "PATCH"]],
      ["/api/auth/change-password", ["GET", "PUT"]],
      ["/api/account", ["GET", "POST", "PUT"]],
      ["/api/api-keys", ["PUT", "DELETE", "PATCH"]],
      ["/api/api-keys/abc", ["GET", "POST"]],
      ["/api/auth/passkeys", ["POST", "PUT"]],
      ["/api/auth/passkeys/abc", ["GET", "POST"]],
      ["/api/auth/passkeys/registration", ["GET", "DELETE"]],
      ["/api/auth/passkeys/authentication", ["GET", "PATCH"]],
    ];
    for (const [path, methods] of routes) {
      for (const method of methods) {
        const response = await request(http.url, path, { method, headers: { Origin: http.url } });
        expectRefusal(response, 405, "METHOD_NOT_ALLOWED");
        expect(response.headers.allow).toBeDefined();
        expect(response.headers.allow!.split(/,\s*/)).not.toContain(method);
      }
    }
  });

  it("unknown /api routes answer a JSON 404, whatever the method and however the path is spelled", async () => {
    for (const path of ["/api/nope", "/api/auth/nope", "/api/auth/sign-in/extra", "/api/api-keys/a/b", "/api/auth/%2e%2e/x", "/api/..%2f..%2fetc/passwd", "/api/auth/sessions/a/b/c", "/api", "/api/api-keys/%ZZ", "/api/auth/sessions/%E0%A4%A", "/api/%"]) {
      for (const method of ["GET", "POST", "DELETE", "PUT"]) {
        const response = await request(http.url, path, { method, headers: { Origin: http.url } });
        expect(response.status).toBe(404);
        expect(response.headers["content-type"]).toMatch(/^application\/json/);
        expectCleanRefusal(response);
      }
    }
  });

  it("a trailing slash on /api only redirects to the same path on this site", async () => {
    const response = await request(http.url, "/api/", { headers: { Host: "evil.example" } });
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe("/api");
  });

  it("oversized headers answer 431, and the server keeps serving", async () => {
    const agent = false as const;
    const big = await request(http.url, "/api/auth/session", { agent, headers: { "X-Filler": "a".repeat(20_000) } });
    expect(big.status).toBe(431);
    const cookies = await request(http.url, "/dashboard", { agent, headers: { Cookie: Array.from({ length: 800 }, (_, i) => `c${i}=${"v".repeat(20)}`).join("; ") } });
    expect(cookies.status).toBe(431);
    const many = await request(http.url, "/api/auth/sign-in", {
      agent,
      method: "POST",
      headers: Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`x-h${i}`, "1234567890"])),
    });
    expect(many.status).toBe(431);
    expect((await request(http.url, "/api/nope")).status).toBe(404);
  });

  it("a huge session cookie below the header limit is simply not a session (401, no crash)", async () => {
    const response = await request(http.url, "/api/auth/session", { headers: { Cookie: `session=${"a".repeat(12_000)}` } });
    expectRefusal(response, 401, "UNAUTHENTICATED");
  });

  it("pages and errors carry no version banner or stack trace", async () => {
    for (const path of ["/", "/sign-in", "/no-such-page", "/dashboard/%zz", "/_next/static/nope.js", "/api/auth/session"]) {
      const response = await request(http.url, path, { headers: { Accept: "text/html" } });
      expect(response.status).toBeLessThan(500);
      expect(response.headers["x-powered-by"]).toBeUndefined();
      expect(response.headers.server).toBeUndefined();
      expect(response.text).not.toMatch(/\bat [\w$.<>]+ \(|node_modules|\/work\//);
    }
  });
});

describeWithDatabase(REQUIREMENTS.requests.headers, () => {
  function cspOf(response: HttpResponse): Map<string, string> {
    const header = response.headers["content-security-policy"];
    expect(typeof header).toBe("string");
    return new Map(
      String(header)
        .split(";")
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name, ...values] = d.split(/\s+/);
          return [name!.toLowerCase(), values.join(" ")] as [string, string];
        }),
    );
  }

  function expectPageHeaders(response: HttpResponse, tokenPage: boolean): void {
    const csp = cspOf(response);
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    const scripts = csp.get("script-src") ?? csp.get("default-src") ?? "";
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["cross-origin-opener-policy"]).toBe("same-origin");
    const referrer = String(response.headers["referrer-policy"]);
    if (tokenPage) expect(referrer).toBe("no-referrer");
    else expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]).toContain(referrer);
    expect(response.headers["x-powered-by"]).toBeUndefined();
  }

  it("every page has the CSP, nosniff, Referrer-Policy, COOP and no X-Powered-By; token pages say no-referrer", async () => {
    const browser = Browser.of(http);
    await signUp(browser);
    const pages: Array<[string, boolean, string | null]> = [
      ["/", false, null],
      ["/sign-in", false, null],
      ["/sign-up", false, null],
      ["/forgot-password", false, null],
      ["/verify-email?token=abc", true, null],
      ["/reset-password?token=abc", true, null],
      ["/no-such-page", false, null],
      ["/dashboard", false, browser.cookie],
      ["/dashboard/settings", false, browser.cookie],
      ["/dashboard/api-keys", false, browser.cookie],
      ["/verify-email?token=abc", true, browser.cookie],
    ];
    for (const [path, tokenPage, cookie] of pages) {
      const response = await request(http.url, path, { headers: { Accept: "text/html", ...(cookie ? { Cookie: `session=${cookie}` } : {}) } });
      expect(response.status).toBeLessThan(500);
      expectPageHeaders(response, tokenPage);
    }
    // A redirect decided by the proxy carries them too.
    const redirect = await request(http.url, "/dashboard", { headers: { Accept: "text/html" } });
    expect(redirect.status).toBe(307);
    expectPageHeaders(redirect, false);
  });

  it("the CSP nonce changes on every request", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await request(http.url, "/sign-up");
      const nonce = /'nonce-([^']+)'/.exec(String(response.headers["content-security-policy"]))?.[1];
      expect(nonce).toBeDefined();
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(5);
  });

  it("a plain anonymous GET of /sign-in or /forgot-password is the prerendered page, allowed to run exactly its own inline scripts by hash", async () => {
    const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
    for (const path of ["/sign-in", "/forgot-password"]) {
      const first = await request(http.url, path, { headers: { Accept: "text/html" } });
      const second = await request(http.url, path, { headers: { Accept: "text/html" } });
      expect(first.status).toBe(200);
      // Prerendered: the same bytes every time, with nothing a request could have put in them.
      expect(second.text).toBe(first.text);
      expect(first.text).toContain("<form");
      const csp = cspOf(first);
      expect(first.headers["content-security-policy"]).toBe(second.headers["content-security-policy"]);
      const scripts = (csp.get("script-src") ?? "").split(" ");
      expect(scripts.some((source) => source.startsWith("'nonce-"))).toBe(false);
      expect(scripts).not.toContain("'strict-dynamic'");
      const inline = [...first.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]!)).map((m) => sha256(m[2]!));
      expect(inline.length).toBeGreaterThan(0);
      // Exactly the page's own inline scripts, and script files only from this origin.
      expect(scripts.sort()).toEqual(["'self'", ...new Set(inline)].sort());
      expect(csp.get("style-src")).toBe("'self'");
      expectPageHeaders(first, false);
      // Named directly, the prerendered copy is its page.
      const twin = await request(http.url, `${path}/static`);
      expect([twin.status, twin.headers.location]).toEqual([307, path]);
    }
  });

  it("with a session cookie, ?next=, ?notice= or a form post the same pages are rendered per request under a fresh nonce", async () => {
    const browser = Browser.of(http);
    await signUp(browser);
    const nonceOf = (response: HttpResponse) => /'nonce-([^']+)'/.exec(String(response.headers["content-security-policy"]))?.[1];
    const dead = await request(http.url, "/sign-in", { headers: { Accept: "text/html", Cookie: "session=not-a-session" } });
    expect(dead.status).toBe(200);
    expect(nonceOf(dead)).toBeDefined();
    // A dead cookie is cleared on a response no cache may keep.
    expect(dead.setCookies.some((c) => parseSetCookie(c).name === "session" && parseSetCookie(c).value === "")).toBe(true);
    expect(String(dead.headers["cache-control"])).toMatch(/no-store/);
    const live = await request(http.url, "/sign-in", { headers: { Accept: "text/html", Cookie: `session=${browser.cookie}` } });
    expect([live.status, live.headers.location]).toEqual([307, "/dashboard"]);
    for (const path of ["/sign-in?next=%2Fdashboard%2Fsettings", "/sign-in?notice=signed-out", "/forgot-password?notice=rate-limited"]) {
      const response = await request(http.url, path, { headers: { Accept: "text/html" } });
      expect([path, response.status, typeof nonceOf(response)]).toEqual([path, 200, "string"]);
      expect(String(response.headers["cache-control"])).toMatch(/no-store/);
    }
    expect((await request(http.url, "/sign-in?next=%2Fdashboard%2Fsettings")).text).toContain('value="/dashboard/settings"');
    expect((await request(http.url, "/sign-in?notice=signed-out")).text).toContain("You are signed out.");
  });

  it("HSTS only when the public origin is https", async () => {
    const plain = await request(http.url, "/sign-in");
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    const secure = await request(https.url, "/sign-in");
    const hsts = String(secure.headers["strict-transport-security"]);
    const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
    expectPageHeaders(secure, false);
  });

  it("API answers carry nosniff and no-store, never X-Powered-By", async () => {
    for (const path of ["/api/auth/session", "/api/nope"]) {
      const response = await request(http.url, path);
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(String(response.headers["cache-control"])).toContain("no-store");
      expect(response.headers["x-powered-by"]).toBeUndefined();
    }
  });
});
