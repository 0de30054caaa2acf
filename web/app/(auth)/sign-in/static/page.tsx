import { SignInPageBody } from "../../../_components/sign-in-page";

export const metadata = { title: "Sign in" };

// Prerendered at build time, served for a plain anonymous GET /sign-in under a CSP of script hashes
// (see web/static-pages.cjs). The root layout's `connection()` resolves at once under force-static.
export const dynamic = "force-static";

export default function StaticSignInPage() {
  return <SignInPageBody />;
}
