import Link from "next/link";
import { redirect } from "next/navigation";
import { currentViewer } from "../../src/interfaces/web/shared/session";

export const metadata = { title: "Welcome" };

export default async function HomePage() {
  if (await currentViewer()) redirect("/dashboard");
  return (
    <div className="auth-shell">
      <main id="main" className="card">
        <h1>Welcome</h1>
        <p className="lead">Sign in to manage your account, your sessions and your API keys.</p>
        <div className="row">
          <Link className="button button-primary" href="/sign-in">
            Sign in
          </Link>
          <Link className="button button-secondary" href="/sign-up">
            Create an account
          </Link>
        </div>
      </main>
    </div>
  );
}
