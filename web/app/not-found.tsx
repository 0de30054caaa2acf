import Link from "next/link";

export const metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="auth-shell">
      <main id="main" className="card">
        <h1>Page not found</h1>
        <p className="lead">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
        <Link className="button button-primary" href="/">
          Go to the start page
        </Link>
      </main>
    </div>
  );
}
