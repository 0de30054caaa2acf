import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { routeTemplateOf, ROUTE_TEMPLATES } from "../../../../src/interfaces/server/route-templates";
import { pathOf, requestIdOf } from "../../../../src/interfaces/server/request-observer";

const APP = join(__dirname, "../../../../web/app");

/** `web/app/(auth)/sign-in/page.tsx` → `/sign-in`; `api/teams/[id]/route.ts` → `/api/teams/:id`. */
function servedTemplates(): string[] {
  const files = readdirSync(APP, { recursive: true }).map(String).filter((file) => /(^|[/\\])(page\.tsx|route\.ts)$/.test(file));
  return files
    .map((file) => {
      const segments = relative(APP, join(APP, file)).split(sep).slice(0, -1);
      const kept = segments.filter((segment) => !/^\(.*\)$/.test(segment)).map((segment) => segment.replace(/^\[([^.\]]+)\]$/, ":$1"));
      return `/${kept.join("/")}`;
    })
    .filter((template) => !template.includes("[[..."))
    .sort();
}

describe("route templates (metrics labels)", () => {
  it("name exactly the pages and routes under web/app", () => {
    expect([...ROUTE_TEMPLATES].sort()).toEqual(servedTemplates());
  });

  it("label a request by its template, never by its raw path", () => {
    expect(routeTemplateOf("/api/teams/9f8e7d6c")).toBe("/api/teams/:id");
    expect(routeTemplateOf("/api/teams/9f8e7d6c/members/u1")).toBe("/api/teams/:id/members/:userId");
    expect(routeTemplateOf("/dashboard/teams/abc/")).toBe("/dashboard/teams/:id");
    // A literal segment beats a parameter in the same position.
    expect(routeTemplateOf("/api/auth/passkeys/registration")).toBe("/api/auth/passkeys/registration");
    expect(routeTemplateOf("/api/auth/passkeys/pk_123")).toBe("/api/auth/passkeys/:id");
    expect(routeTemplateOf("/api/no/such/route/123")).toBe("/api/*");
    expect(routeTemplateOf("/_next/static/chunks/abc.js")).toBe("/_next/*");
    expect(routeTemplateOf("/wp-login.php")).toBe("(other)");
  });

  it("keep the path of a request target without its query, also in absolute form", () => {
    expect(pathOf("/verify-email?token=secret")).toBe("/verify-email");
    expect(pathOf("http://other.example/api/auth/sign-in?x=1")).toBe("/api/auth/sign-in");
    expect(pathOf("*")).toBe("*");
  });

  it("take a well-formed X-Request-Id as is and replace anything else", () => {
    expect(requestIdOf("req-42.abc:1")).toBe("req-42.abc:1");
    for (const bad of [undefined, "", "a b", "x".repeat(129), "id\u0000", "<script>", ["a", "b"]]) {
      expect(requestIdOf(bad as string | undefined)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
