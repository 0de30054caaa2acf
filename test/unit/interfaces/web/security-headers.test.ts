import { carriesTokenInUrl, contentSecurityPolicy, newNonce, strictTransportSecurity } from "../../../../src/interfaces/web/security-headers";

function directives(csp: string): Map<string, string> {
  return new Map(csp.split(";").map((d) => d.trim()).filter(Boolean).map((d) => [d.split(" ")[0]!, d.slice(d.indexOf(" ") + 1)]));
}

describe("page security headers", () => {
  it("locks down plugins, base URLs, framing and form targets", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc", development: false, https: true }));
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("form-action")).toBe("'self'");
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
  });

  it("allows scripts only with this request's nonce in production, never inline or eval", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "n0nce", development: false, https: false }));
    expect(csp.get("script-src")).toBe("'self' 'nonce-n0nce' 'strict-dynamic'");
    expect(csp.get("style-src")).not.toContain("unsafe-inline");
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds eval only for development tooling", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "n", development: true, https: false }));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
  });

  it("makes a new, unguessable nonce every time", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64").length).toBeGreaterThanOrEqual(16);
  });

  it("sends HSTS only when the public origin is https", () => {
    expect(strictTransportSecurity("https://app.example.com")).toMatch(/^max-age=\d{8,}/);
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });

  it("knows which pages carry a token in their URL", () => {
    expect(carriesTokenInUrl("/verify-email")).toBe(true);
    expect(carriesTokenInUrl("/reset-password")).toBe(true);
    expect(carriesTokenInUrl("/sign-in")).toBe(false);
  });
});
