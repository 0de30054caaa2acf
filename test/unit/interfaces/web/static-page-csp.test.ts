import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prerenderedScriptHashes, scriptHashesOf, staticPageScriptHashes } from "../../../../src/interfaces/web/static-page-csp";

const sha256 = (text: string) => `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;

describe("the script hashes of a prerendered page", () => {
  it("lists each inline script by the SHA-256 of its exact text", () => {
    const inline = '(self.__next_f=self.__next_f||[]).push([0])';
    const unicode = 'self.__next_f.push([1,"é \\u003c/script\\u003e"])';
    const html =
      `<html><head><script src="/_next/static/chunks/a.js" async="" integrity="sha256-AAA="></script>` +
      `<script src='/_next/static/chunks/b.js'></script></head>` +
      `<body><script>${inline}</script><SCRIPT type="text/javascript">${unicode}</SCRIPT><script>${inline}</script></body></html>`;
    expect(scriptHashesOf(html)).toEqual([sha256(inline), sha256(unicode)]);
  });

  it("gives no policy to a page with an external script from outside the build's assets (it gets the nonce instead)", () => {
    expect(scriptHashesOf('<script src="/_next/static/a.js"></script><script src="/evil.js"></script>')).toBeNull();
    expect(scriptHashesOf('<script src="https://cdn.example/_next/static/a.js"></script>')).toBeNull();
  });

  it("finds every prerendered page of a build by route and nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), "static-csp-"));
    try {
      const app = join(dir, "server", "app");
      mkdirSync(join(app, "docs"), { recursive: true });
      writeFileSync(join(app, "sign-in.html"), "<script>a</script>");
      writeFileSync(join(app, "index.html"), "<script>b</script>");
      writeFileSync(join(app, "docs", "intro.html"), "<script>c</script>");
      writeFileSync(join(app, "sign-in.rsc"), "not a page");
      writeFileSync(join(app, "unpinned.html"), '<script src="/x.js"></script>');
      const pages = prerenderedScriptHashes(dir);
      expect([...pages.keys()].sort()).toEqual(["/", "/docs/intro", "/sign-in"]);
      expect(staticPageScriptHashes("/sign-in", dir)).toEqual([sha256("a")]);
      expect(staticPageScriptHashes("/sign-in/", dir)).toEqual([sha256("a")]);
      expect(staticPageScriptHashes("/dashboard", dir)).toBeNull();
      expect(staticPageScriptHashes("/unpinned", dir)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("knows no prerendered page when the build directory is unknown or missing (every page then gets the nonce)", () => {
    expect(staticPageScriptHashes("/sign-in", undefined)).toBeNull();
    expect(staticPageScriptHashes("/sign-in", join(tmpdir(), "no-such-build-dir"))).toBeNull();
  });
});
