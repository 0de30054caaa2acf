/**
 * The prerendered public pages (web/static-pages.cjs): the proxy's matcher, the rewrite and the static
 * CSP must split requests exactly, and the build step that writes the hashes must refuse to guess.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import nextConfig from "../../../../web/next.config";
import { config as proxyConfig } from "../../../../web/proxy";
import { PER_REQUEST_WHEN, SCRIPT_HASHES, STATIC_CSP, STATIC_PAGES, STYLE_HASHES } from "../../../../web/static-pages.cjs";

jest.mock("../../../../src/interfaces/web/page-proxy", () => ({ pageProxy: jest.fn() }));

const ROOT = resolve(__dirname, "../../../..");
const SCRIPT = join(ROOT, "scripts/static-csp.mjs");

type Matcher = { source: string; has?: ReadonlyArray<{ type: string; key: string }> };

describe("static public pages", () => {
  const paths = STATIC_PAGES.map((p) => p.path.slice(1));

  it("the proxy runs on a static page exactly when one of the per-request conditions holds", () => {
    const matchers = proxyConfig.matcher as ReadonlyArray<string | Matcher>;
    const catchAll = matchers[0] as string;
    // The catch-all leaves out each static page (and only the page itself, not what is below it).
    for (const path of paths) expect(catchAll).toContain(`|${path}$`);
    const conditional = matchers.filter((m): m is Matcher => typeof m !== "string");
    expect(conditional.map((m) => m.source)).toEqual(PER_REQUEST_WHEN.map(() => `/(${paths.join("|")})`));
    expect(conditional.map((m) => m.has)).toEqual(PER_REQUEST_WHEN.map((condition) => [condition]));
  });

  it("the rewrite to the prerendered copy and its CSP apply exactly when none of them holds", async () => {
    const rewrites = (await nextConfig.rewrites!()) as { beforeFiles: Array<{ source: string; destination: string; missing: unknown }> };
    expect(rewrites.beforeFiles).toEqual(STATIC_PAGES.map(({ path, twin }) => ({ source: path, destination: twin, missing: [...PER_REQUEST_WHEN] })));
    const headers = await nextConfig.headers!();
    for (const { path } of STATIC_PAGES) {
      const rules = headers.filter((rule) => rule.source === path && rule.headers.some((h) => h.key === "Content-Security-Policy"));
      expect(rules).toEqual([{ source: path, missing: [...PER_REQUEST_WHEN], headers: [{ key: "Content-Security-Policy", value: STATIC_CSP }] }]);
    }
  });

  it("the static policy is the nonce policy's strictness with hashes: no inline script, eval or plugin without one", () => {
    const directives = new Map(STATIC_CSP.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives.get("script-src")).toBe(`'self' ${SCRIPT_HASHES}`);
    expect(directives.get("style-src")).toBe(`'self' ${STYLE_HASHES}`);
    expect(directives.get("object-src")).toBe("'none'");
    expect(directives.get("base-uri")).toBe("'none'");
    expect(directives.get("frame-ancestors")).toBe("'none'");
    expect(STATIC_CSP).not.toMatch(/unsafe-/);
  });

  describe("scripts/static-csp.mjs (the build's last step)", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "static-csp-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function fakeBuild(pages: Record<string, string>): string {
      const dist = join(dir, ".next");
      mkdirSync(dist, { recursive: true });
      const headers = STATIC_PAGES.map(({ path }) => ({ source: path, missing: PER_REQUEST_WHEN, headers: [{ key: "Content-Security-Policy", value: STATIC_CSP }] }));
      writeFileSync(join(dist, "routes-manifest.json"), JSON.stringify({ headers: [{ source: "/:path*", headers: [{ key: "X-Frame-Options", value: "DENY" }] }, ...headers] }));
      for (const [twin, html] of Object.entries(pages)) {
        mkdirSync(join(dist, "server", "app", twin, ".."), { recursive: true });
        writeFileSync(join(dist, "server", "app", `${twin}.html`), html);
      }
      return dist;
    }
    const run = () => execFileSync(process.execPath, [SCRIPT, dir, ".next"], { encoding: "utf8", stdio: "pipe" });
    const sha = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

    it("puts the hashes of each page's own inline scripts and styles in its policy, and nothing else", () => {
      const signIn = `<html><head><style>b{}</style><script src="/_next/static/a.js" async=""></script></head><body><form></form><script>self.a=1</script><script>self.b="</p>"</script></body></html>`;
      const forgot = `<html><body><script>self.c=2</script></body></html>`;
      const dist = fakeBuild({ "sign-in/static": signIn, "forgot-password/static": forgot });
      expect(run()).toMatch(/\/sign-in: 2 script and 1 style hashes/);
      const manifest = JSON.parse(readFileSync(join(dist, "routes-manifest.json"), "utf8"));
      const policyOf = (path: string) => manifest.headers.find((r: { source: string }) => r.source === path).headers[0].value as string;
      expect(policyOf("/sign-in")).toContain(`script-src 'self' ${sha("self.a=1")} ${sha('self.b="</p>"')};`);
      expect(policyOf("/sign-in")).toContain(`style-src 'self' ${sha("b{}")};`);
      expect(policyOf("/forgot-password")).toContain(`script-src 'self' ${sha("self.c=2")};`);
      expect(policyOf("/forgot-password")).toContain("style-src 'self';");
      expect(JSON.stringify(manifest)).not.toContain("pending");
      expect(manifest.headers[0]).toEqual({ source: "/:path*", headers: [{ key: "X-Frame-Options", value: "DENY" }] });
      // Run twice, it refuses: the placeholders are gone.
      expect(run).toThrow(/expected one static CSP/);
    });

    it("fails the build when a page is missing, or has what a hash cannot allow", () => {
      fakeBuild({ "sign-in/static": "<script>self.a=1</script>" });
      expect(run).toThrow(/ENOENT/);
      fakeBuild({ "sign-in/static": `<p style="color:red">x</p>`, "forgot-password/static": "" });
      expect(run).toThrow(/style attribute/);
      fakeBuild({ "sign-in/static": `<button onclick="go()">x</button>`, "forgot-password/static": "" });
      expect(run).toThrow(/event handler/);
    });
  });
});
