import Link from "next/link";
import { DashboardNav } from "../_components/dashboard-nav";
import { SubmitButton } from "../_components/submit-button";
import { signOutAction } from "../../../src/interfaces/web/sessions/actions";
import { requireViewer } from "../../../src/interfaces/web/shared/session";

/**
 * The signed-in shell. The proxy already turned away requests without a valid session; this checks
 * again through the application layer, and each page below checks once more for its own path (a
 * layout is not re-rendered on client navigation, so it cannot be the only guard).
 */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const viewer = await requireViewer("/dashboard");
  return (
    <>
      <header className="app-header">
        <div className="app-header-inner">
          <Link className="brand" href="/dashboard">
            Account
          </Link>
          <DashboardNav />
          <div className="app-header-account">
            <span className="who" title={viewer.user.email}>
              <span className="visually-hidden">Signed in as </span>
              {viewer.user.email}
            </span>
            <form action={signOutAction}>
              <SubmitButton variant="secondary" pendingLabel="Signing out…">
                Sign out
              </SubmitButton>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="app-main">
        {children}
      </main>
    </>
  );
}
