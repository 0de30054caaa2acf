import { SignInPanel } from "../../_components/sign-in-panel";

export const metadata = { title: "Sign in" };

/**
 * Prerendered at build time: nothing here depends on the request, so it is served as a static file
 * under a policy of its scripts' hashes. The proxy redirects a signed-in visitor before this is
 * served, and sends a URL with `next` or `notice` to /sign-in/continue, which renders them.
 */
export default function SignInPage() {
  return <SignInPanel />;
}
