import { NextRequest } from "next/server";
import { createInMemoryAuth } from "../../../../src/infrastructure/testing/in-memory-auth";
import { pageProxy } from "../../../../src/interfaces/web/page-proxy";

// The proxy resolves its use cases from the composition root; here they are the real use cases on
// in-memory adapters, so "refused" means what it means in production (session row revoked, expired…).
const mockAuth = createInMemoryAuth();
jest.mock("../../../../src/interfaces/web/shared/use-cases", () => ({
  useCase: async (name: keyof typeof mockAuth.useCases) => mockAuth.useCases[name],
  trustProxy: () => false,
  appUrl: () => "http://localhost:3000",
}));

const ORIGIN = "http://localhost:3000";

function get(path: string, init: { cookie?: string; method?: string; headers?: Record<string, string> } = {}): NextRequest {
  // What web/client-ip.cjs stamps on every request in the real server.
  const headers = new Headers({ "x-socket-remote-address": "203.0.113.9", ...init.headers });
  if (init.cookie) headers.set("cookie", init.cookie);
  return new NextRequest(new URL(path, ORIGIN), { method: init.method ?? "GET", headers });
}

/** The request headers the proxy hands on to the page (Next.js carries them in x-middleware-request-*). */
function forwarded(response: Response, name: string): string | null {
  return response.headers.get(`x-middleware-request-${name}`);
}

async function signedIn() {
  const user = await mockAuth.registerUser();
  return { ...user, cookie: `session=${user.token}` };
}

describe("the proxy in front of the pages", () => {
  it("sends a visitor without a session from any dashboard path to sign-in, with the path to come back to", async () => {
    for (const path of ["/dashboard", "/dashboard/settings", "/dashboard/api-keys?x=1"]) {
      const response = await pageProxy(get(path));
      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toBe(`${ORIGIN}/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  it("lets a valid session through and renders nothing twice", async () => {
    const { cookie } = await signedIn();
    const response = await pageProxy(get("/dashboard/settings", { cookie }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a signed-out session on the very next request and clears the dead cookie", async () => {
    const { cookie, token } = await signedIn();
    await mockAuth.useCases.signOut.execute({ token });
    const response = await pageProxy(get("/dashboard", { cookie }));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/sign-in?next=%2Fdashboard`);
    expect(response.headers.get("set-cookie")).toMatch(/^session=;.*Max-Age=0/);
  });

  it("refuses a session that has been idle too long", async () => {
    const { cookie } = await signedIn();
    mockAuth.clock.advance({ seconds: mockAuth.settings.session.idleTimeoutSeconds + 1 });
    const response = await pageProxy(get("/dashboard", { cookie }));
    expect(response.status).toBe(307);
  });

  it("does not trust a forged cookie", async () => {
    const response = await pageProxy(get("/dashboard", { cookie: "session=not.a.token" }));
    expect(response.status).toBe(307);
  });

  it("sends a signed-in visitor away from sign-in and sign-up, to `next` only when it stays on this site", async () => {
    const { cookie } = await signedIn();
    const cases: Array<[string, string]> = [
      ["/sign-in", "/dashboard"],
      ["/sign-up", "/dashboard"],
      ["/sign-in?next=%2Fdashboard%2Fapi-keys", "/dashboard/api-keys"],
      ["/sign-in?next=%2F%2Fevil.example", "/dashboard"],
      ["/sign-in?next=https%3A%2F%2Fevil.example", "/dashboard"],
      ["/sign-in?next=%2F%5Cevil.example", "/dashboard"],
    ];
    for (const [path, target] of cases) {
      const response = await pageProxy(get(path, { cookie }));
      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toBe(`${ORIGIN}${target}`);
    }
  });

  it("shows sign-in to a visitor whose cookie is dead instead of bouncing between pages", async () => {
    const response = await pageProxy(get("/sign-in", { cookie: "session=dead" }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("hands a rotated session's new cookie to the browser and to the page being rendered", async () => {
    const { cookie } = await signedIn();
    mockAuth.clock.advance({ seconds: mockAuth.settings.session.rotateAfterSeconds + 1 });
    const response = await pageProxy(get("/dashboard", { cookie }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    const setCookie = response.headers.get("set-cookie") ?? "";
    const successor = /^session=([^;]+);/.exec(setCookie)?.[1];
    expect(successor).toBeDefined();
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect(forwarded(response, "cookie")).toContain(`session=${successor}`);
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    // The successor is active: the page's own check rotates nothing again.
    const again = await mockAuth.useCases.authenticateSession.execute({ token: successor! });
    expect(again.ok && again.value.token).toBeUndefined();
  });

  it("lets a server action through to check the session itself, and sends a plain form POST to sign-in", async () => {
    const action = await pageProxy(get("/dashboard/settings", { method: "POST", headers: { "next-action": "abc" } }));
    expect(action.headers.get("x-middleware-next")).toBe("1");
    const plain = await pageProxy(get("/dashboard/settings", { method: "POST" }));
    expect(plain.status).toBe(303);
  });

  it("moves an e-mailed link's token out of the URL into a cookie for that page only, with no Referer", async () => {
    const token = "oPVsRXRTc9JDbhRq9Z9J_iGb2NVT6317r4A-jxD6dSc";
    const response = await pageProxy(get(`/reset-password?token=${token}`));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/reset-password`);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toContain(`reset-password-token=${token}`);
    expect(setCookie).toMatch(/Path=\/reset-password/);
    expect(setCookie).toMatch(/HttpOnly/i);

    const junk = await pageProxy(get("/verify-email?token=%3Cscript%3E"));
    expect(junk.headers.get("set-cookie")).toMatch(/^verify-email-token=;.*Max-Age=0/);
  });

  it("moves a device link's user code out of the URL into a cookie for /device only, with no Referer", async () => {
    const response = await pageProxy(get("/device?user_code=wdjb-mjht"));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/device`);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^device-user-code=WDJBMJHT;/);
    expect(cookie).toMatch(/Path=\/device/);
    expect(cookie).toMatch(/HttpOnly/i);

    const junk = await pageProxy(get("/device?user_code=<script>"));
    expect(junk.status).toBe(303);
    expect(junk.headers.get("set-cookie")).toMatch(/^device-user-code=;/);
  });

  it("sends a visitor without a session from /device to sign-in, and lets a signed-in one through", async () => {
    const response = await pageProxy(get("/device"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/sign-in?next=%2Fdevice`);
    const { cookie } = await signedIn();
    expect((await pageProxy(get("/device", { cookie }))).status).toBe(200);
  });

  it("answers a prerendered copy asked for by name with its page, query kept", async () => {
    for (const [asked, page] of [
      ["/sign-in/static", "/sign-in"],
      ["/forgot-password/static/?x=1", "/forgot-password?x=1"],
    ] as const) {
      const response = await pageProxy(get(asked));
      expect([response.status, response.headers.get("location"), response.headers.get("cache-control")]).toEqual([307, `${ORIGIN}${page}`, "private, no-store"]);
    }
    // Anything else below those pages is not a copy.
    expect((await pageProxy(get("/sign-in/mfa"))).headers.get("x-middleware-next")).toBe("1");
  });

  it("puts a fresh CSP nonce on every page and tells Next.js about it", async () => {
    const first = await pageProxy(get("/sign-in"));
    const second = await pageProxy(get("/sign-in"));
    const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
    const a = nonceOf(first.headers.get("content-security-policy"));
    expect(a).toBeDefined();
    expect(a).not.toBe(nonceOf(second.headers.get("content-security-policy")));
    expect(nonceOf(forwarded(first, "content-security-policy"))).toBe(a);
    expect(first.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
