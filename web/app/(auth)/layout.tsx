import Link from "next/link";

/** Sign-in, sign-up and the e-mail link pages: one centred card. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="auth-shell">
      <header>
        <Link className="brand" href="/">
          Account
        </Link>
      </header>
      <main id="main" className="card">
        {children}
      </main>
    </div>
  );
}
