/**
 * Fuzzing every JSON route of the running product (next start on PostgreSQL) with fast-check: random
 * and malformed bodies, content types, origins, cookies, header values, query strings, path ids and
 * methods. For every answer: never a 5xx; every 4xx is JSON of the shape {"error":{"code","message"}};
 * no stack trace, SQL or version in it; and the stored state (users, sessions, tokens, keys, outbox)
 * unchanged by a batch in which every request was refused, and by any GET at all.
 *
 * Seeded: the seed is printed, and FUZZ_SEED=<seed> replays a run (fast-check also prints the path of
 * a failing case). FUZZ_CASES sets the cases per route (default 1,000). Rate limits are off on this
 * server (RATE_LIMIT_SCALE=0): the throttling suites test them with limits on.
 */
import fc from "fast-check";
import { Database, describeWithDatabase, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { Browser, isErrorBody, leaks, PASSWORD, request, uniqueEmail, type HttpResponse } from "../support/security-http";
import { bodies, contentTypes, cookies, extraHeaders, origins, otherMethods, pathIds, queries, type Known } from "./arbitraries";

const CASES_PER_ROUTE = Number(process.env.FUZZ_CASES ?? 1000);
const BATCH = 16;
const RUNS = Math.ceil(CASES_PER_ROUTE / BATCH);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

interface Route {
  readonly method: string;
  /** `:id` is replaced by a fuzzed path segment. */
  readonly path: string;
  readonly fields: readonly string[];
}

const ROUTES: readonly Route[] = [
  { method: "POST", path: "/api/auth/sign-up", fields: ["email", "password"] },
  { method: "POST", path: "/api/auth/sign-in", fields: ["email", "password"] },
  { method: "POST", path: "/api/auth/sign-out", fields: [] },
  { method: "POST", path: "/api/auth/sign-out-all", fields: [] },
  { method: "GET", path: "/api/auth/session", fields: [] },
  { method: "GET", path: "/api/auth/sessions", fields: [] },
  { method: "DELETE", path: "/api/auth/sessions/:id", fields: [] },
  { method: "POST", path: "/api/auth/verify-email", fields: ["token"] },
  { method: "POST", path: "/api/auth/verify-email/resend", fields: [] },
  { method: "POST", path: "/api/auth/password-reset", fields: ["email"] },
  { method: "POST", path: "/api/auth/password-reset/confirm", fields: ["token", "password"] },
  { method: "POST", path: "/api/auth/change-password", fields: ["currentPassword", "newPassword"] },
  { method: "DELETE", path: "/api/account", fields: ["password"] },
  { method: "POST", path: "/api/account/email", fields: ["newEmail"] },
  { method: "POST", path: "/api/account/email/confirm", fields: ["token"] },
  { method: "POST", path: "/api/auth/reauthenticate", fields: ["password"] },
  { method: "POST", path: "/api/api-keys", fields: ["name"] },
  { method: "GET", path: "/api/api-keys", fields: [] },
  { method: "DELETE", path: "/api/api-keys/:id", fields: [] },
  { method: "POST", path: "/api/teams", fields: ["name"] },
  { method: "GET", path: "/api/teams", fields: [] },
  { method: "GET", path: "/api/teams/:id", fields: [] },
  { method: "PATCH", path: "/api/teams/:id", fields: ["name"] },
  { method: "DELETE", path: "/api/teams/:id", fields: [] },
  { method: "POST", path: "/api/teams/:id/invitations", fields: ["email", "role"] },
  { method: "DELETE", path: "/api/teams/:id/invitations/:id", fields: [] },
  { method: "PATCH", path: "/api/teams/:id/members/:id", fields: ["role"] },
  { method: "DELETE", path: "/api/teams/:id/members/:id", fields: [] },
  { method: "POST", path: "/api/invitations/accept", fields: ["token"] },
  { method: "POST", path: "/api/invitations/decline", fields: ["token"] },
  { method: "GET", path: "/api/me", fields: [] },
  { method: "GET", path: "/api/devices", fields: [] },
  { method: "DELETE", path: "/api/devices/:id", fields: [] },
  { method: "POST", path: "/api/auth/sign-in/mfa", fields: ["code", "recoveryCode"] },
  { method: "GET", path: "/api/auth/mfa", fields: [] },
  { method: "POST", path: "/api/auth/mfa/totp/setup", fields: [] },
  { method: "POST", path: "/api/auth/mfa/totp/enable", fields: ["code"] },
  { method: "DELETE", path: "/api/auth/mfa/totp", fields: ["code", "recoveryCode"] },
  { method: "POST", path: "/api/auth/mfa/recovery-codes", fields: [] },
  { method: "GET", path: "/api/auth/passkeys", fields: [] },
  { method: "DELETE", path: "/api/auth/passkeys/:id", fields: [] },
  { method: "POST", path: "/api/auth/passkeys/registration/options", fields: [] },
  { method: "POST", path: "/api/auth/passkeys/registration", fields: ["response", "name"] },
  { method: "POST", path: "/api/auth/passkeys/authentication/options", fields: [] },
  { method: "POST", path: "/api/auth/passkeys/authentication", fields: ["response"] },
  { method: "POST", path: "/api/auth/passkeys/reauthentication", fields: ["response"] },
  { method: "ANY", path: "/api/:id", fields: ["email", "token"] },
];

let app: NextServer;
let db: Database;

/** A verified user with a live session, an API key and a second session: what the fuzzed requests aim at. */
class Fixture {
  email = "";
  password = PASSWORD;
  cookie: string | null = null;
  ids: string[] = [];
  /** Set when a request succeeded: it may have ended the session, changed the password or deleted the account. */
  dirty = true;

  async ensure(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    if (this.cookie && (await request(app.url, "/api/auth/session", { headers: { Cookie: `session=${this.cookie}` } })).status === 200) return;
    const browser = Browser.of(app);
    if (this.email) {
      const signIn = await browser.post("/api/auth/sign-in", { email: this.email, password: this.password });
      if (signIn.status === 200) {
        this.cookie = browser.cookie;
        return;
      }
    }
    // The account was deleted or its password changed by a fuzzed request: start a new one.
    this.email = uniqueEmail("fuzz");
    this.password = PASSWORD;
    const signUp = await browser.post("/api/auth/sign-up", { email: this.email, password: this.password });
    if (signUp.status !== 201) throw new Error(`fixture sign-up failed: ${signUp.status} ${signUp.text}`);
    await db.timeTravel(`UPDATE users SET email_verified_at = now() WHERE email = $1`, [this.email]);
    const key = await browser.post("/api/api-keys", { name: "fuzz fixture" });
    const team = await browser.post("/api/teams", { name: "fuzz fixture" });
    const other = Browser.of(app);
    await other.post("/api/auth/sign-in", { email: this.email, password: this.password });
    const sessions = await browser.get("/api/auth/sessions");
    this.ids = [key.json?.apiKey?.id, team.json?.team?.id, ...(sessions.json?.sessions ?? []).map((s: { id: string }) => s.id)].filter(Boolean);
    this.cookie = browser.cookie;
  }
}

const fixture = new Fixture();
let lastDigest: string | null = null;
const known: Known = {
  get origin() {
    return app.url;
  },
  get email() {
    return fixture.email || "someone@example.com";
  },
  get password() {
    return fixture.password;
  },
  cookie: () => fixture.cookie,
  ids: () => fixture.ids,
};

/** The stored state a refused request must not change (activity stamps such as last_seen_at left out). */
async function digest(): Promise<string> {
  const row = await db.one<{ digest: string }>(`
    SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) AS digest FROM (
      SELECT 'u' || id || email || password_hash || coalesce(email_verified_at::text, '') || password_changed_at::text AS x FROM users
      UNION ALL SELECT 's' || id || coalesce(revoked_at::text, '') || coalesce(rotated_at::text, '') || coalesce(replaced_by, '') || expires_at::text FROM sessions
      UNION ALL SELECT 't' || id || coalesce(consumed_at::text, '') || coalesce(invalidated_at::text, '') FROM verification_tokens
      UNION ALL SELECT 'k' || id || name || coalesce(revoked_at::text, '') FROM api_keys
      UNION ALL SELECT 'g' || id || name FROM teams
      UNION ALL SELECT 'm' || team_id || user_id || role FROM team_memberships
      UNION ALL SELECT 'i' || id || coalesce(accepted_at::text, '') || coalesce(declined_at::text, '') || coalesce(invalidated_at::text, '') FROM team_invitations
      UNION ALL SELECT 'p' || id || name || counter::text FROM passkeys
      UNION ALL SELECT 'o' || id FROM outbox
    ) q`);
  return row.digest;
}

interface Case {
  readonly method: string;
  readonly id: string;
  readonly query: string;
  readonly body: Buffer | undefined;
  readonly contentType: string | undefined;
  readonly origin: string | undefined;
  readonly cookie: (() => string | null) | string | null;
  readonly headers: Record<string, string>;
  readonly chunked: boolean;
}

function cases(route: Route): fc.Arbitrary<Case> {
  const method =
    route.method === "ANY"
      ? otherMethods
      : fc.oneof({ arbitrary: fc.constant(route.method), weight: 9 }, { arbitrary: otherMethods, weight: 1 });
  return fc.record({
    method,
    id: pathIds(known),
    query: queries(known),
    body: bodies(route.fields, known),
    contentType: contentTypes,
    origin: origins(known),
    cookie: cookies(known),
    headers: extraHeaders,
    chunked: fc.boolean(),
  });
}

function send(route: Route, c: Case): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...c.headers };
  if (c.contentType !== undefined) headers["Content-Type"] = c.contentType;
  if (c.origin !== undefined) headers.Origin = c.origin;
  const cookie = typeof c.cookie === "function" ? (c.cookie() ? `session=${c.cookie()}` : null) : c.cookie;
  if (cookie !== null) headers.Cookie = cookie;
  if (c.body !== undefined && c.chunked) headers["Transfer-Encoding"] = "chunked";
  const path = route.path.replaceAll(":id", c.id) + c.query;
  return request(app.url, path, { method: c.method, headers, raw: c.body, timeoutMs: 20_000 });
}

/** What a client may see: input echoed back as field names is the client's own text, not a leak. */
function withoutEchoedInput(response: HttpResponse): string {
  if (!isErrorBody(response.json)) return response.text;
  const { code, message, fields } = response.json.error;
  return JSON.stringify({ code, message, fields: Object.values(fields ?? {}) });
}

/** An id of `.` or `..` makes the path leave /api (Next.js resolves dot segments): a page answers, not the API. */
function leavesApi(route: Route, c: Case): boolean {
  if (!route.path.includes(":id")) return false;
  try {
    return /(^|\/)\.\.?(\/|$)/.test(decodeURIComponent(c.id));
  } catch {
    return false;
  }
}

function check(route: Route, c: Case, response: HttpResponse): string | null {
  const what = `${c.method} ${route.path.replace(":id", c.id.slice(0, 40))} → ${response.status}`;
  if (response.status >= 500) return `${what}: a 5xx: ${response.text.slice(0, 300)}`;
  if (response.headers["x-powered-by"] !== undefined) return `${what}: X-Powered-By`;
  if (response.status >= 400 && c.method !== "HEAD" && !leavesApi(route, c)) {
    if (!String(response.headers["content-type"] ?? "").startsWith("application/json")) return `${what}: not JSON: ${response.headers["content-type"]} ${response.text.slice(0, 200)}`;
    if (!isErrorBody(response.json)) return `${what}: not the error shape: ${response.text.slice(0, 300)}`;
    const leak = leaks(withoutEchoedInput(response));
    if (leak) return `${what}: leaks ${leak}: ${response.text.slice(0, 300)}`;
  }
  return null;
}

const summary = new Map<string, Map<number, number>>();

beforeAll(async () => {
  app = await startApp({ env: { RATE_LIMIT_SCALE: "0", PASSWORD_HASH_QUEUE: "64" } });
  db = new Database(app.databaseUrl);
  await fixture.ensure();
  console.log(`[fuzz] seed ${SEED}: ${CASES_PER_ROUTE} cases per route in batches of ${BATCH} (replay with FUZZ_SEED=${SEED})`);
}, START_TIMEOUT_MS);

afterAll(async () => {
  const lines = [...summary].map(([route, statuses]) => {
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(" ");
    return `  ${route}: ${total} cases: ${histogram}`;
  });
  if (lines.length) console.log(`[fuzz] seed ${SEED}\n${lines.join("\n")}`);
  await db?.close();
  await app?.stop();
});

describeWithDatabase("every JSON route, fuzzed: never a 5xx, always the error shape on a 4xx, no stack or SQL, state unchanged on refusal", () => {
  ROUTES.forEach((route, index) => {
    const name = `${route.method} ${route.path}`;
    it(`${name}: ${CASES_PER_ROUTE} fuzzed requests`, async () => {
      const statuses = new Map<number, number>();
      summary.set(name, statuses);
      await fc.assert(
        fc.asyncProperty(fc.array(cases(route), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const repaired = fixture.dirty;
          await fixture.ensure();
          // The state after the last batch stands unless something succeeded since (or the fixture was remade).
          const before = repaired || lastDigest === null ? await digest() : lastDigest;
          const responses = await Promise.all(batch.map((c) => send(route, c)));
          if (responses.some((r) => r.status < 300)) fixture.dirty = true;
          const problems: string[] = [];
          responses.forEach((response, i) => {
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            const problem = check(route, batch[i]!, response);
            if (problem) problems.push(problem);
          });
          const refusedAll = responses.every((r) => r.status >= 400);
          const readOnly = batch.every((c) => c.method === "GET" || c.method === "HEAD" || c.method === "OPTIONS");
          if (refusedAll || readOnly) {
            const after = await digest();
            if (after !== before) problems.push(`stored state changed although ${refusedAll ? "every request was refused" : "every request was a read"}: ${responses.map((r) => r.status).join(",")}`);
            lastDigest = after;
          } else {
            lastDigest = null;
          }
          if (problems.length > 0) throw new Error(problems.join("\n"));
        }),
        { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
      );
      expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(CASES_PER_ROUTE);
    }, 240_000);
  });
});
