import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Account", template: "%s · Account" },
  description: "Sign in, manage your sessions and API keys.",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: the proxy's CSP nonce only reaches scripts rendered at request
  // time, and almost every page depends on the session cookie anyway. The prerendered copies of the
  // public pages (web/static-pages.cjs) opt out with `dynamic = "force-static"`, under which this
  // resolves at once.
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
