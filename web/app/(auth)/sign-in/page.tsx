import { SignInPageBody } from "../../_components/sign-in-page";
import { noticeFor } from "../../../../src/interfaces/web/shared/notices";
import { safeNextPath } from "../../../../src/interfaces/web/shared/safe-next-path";

export const metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * /sign-in rendered per request (nonce CSP, through the proxy): with `?next=` or `?notice=`, a session
 * cookie, or a form post. The plain anonymous GET is answered by ./static (see web/static-pages.cjs).
 */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return <SignInPageBody next={safeNextPath(params.next)} notice={noticeFor(params.notice)} />;
}
