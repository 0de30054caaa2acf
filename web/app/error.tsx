"use client";

import Link from "next/link";

/**
 * Shown when rendering a page failed. The error's text stays on the server (it is logged there);
 * people see a plain sentence and a way to retry.
 */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="auth-shell">
      <main id="main" className="card">
        <h1>Something went wrong</h1>
        <p className="lead">We could not show this page. Try again in a moment.</p>
        <div className="row">
          <button type="button" className="button button-primary" onClick={() => reset()}>
            Try again
          </button>
          <Link href="/">Go to the start page</Link>
        </div>
      </main>
    </div>
  );
}
