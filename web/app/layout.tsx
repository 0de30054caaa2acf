import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Account", template: "%s · Account" },
  description: "Sign in, manage your sessions and API keys.",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * No page is forced to render per request here: the public pages that depend on nothing from the
 * request (/sign-in, /forgot-password) are prerendered at build time and served under a policy made
 * of their scripts' hashes (src/interfaces/web/static-page-csp.ts). Every other page waits for the
 * request itself (`await connection()` or the session cookie), so the proxy's nonce reaches its scripts.
 */
export default function RootLayout({ children }: { children: React.ReactNode }) {
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
