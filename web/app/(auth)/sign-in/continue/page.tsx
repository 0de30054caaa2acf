import { connection } from "next/server";
import { SignInPanel } from "../../../_components/sign-in-panel";
import { noticeFor } from "../../../../../src/interfaces/web/shared/notices";
import { safeNextPath } from "../../../../../src/interfaces/web/shared/safe-next-path";

export const metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * /sign-in with a destination (`next`) or a confirmation (`notice`): the proxy serves /sign-in?… from
 * here, rendered per request (with the nonce policy), so both work without JavaScript too. The
 * address bar keeps /sign-in?….
 */
export default async function SignInContinuePage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const params = await searchParams;
  return <SignInPanel next={safeNextPath(params.next)} notice={noticeFor(params.notice)} />;
}
