import type { Metadata } from "next";
import { PasskeySignIn } from "../../_components/passkey-buttons";
import { ReauthenticateForm } from "../../_components/reauthenticate-form";
import { safeNextPath } from "../../../../src/interfaces/web/shared/safe-next-path";
import { requireViewer } from "../../../../src/interfaces/web/shared/session";
import { secondFactorOf } from "../../../../src/interfaces/web/mfa/page-data";

export const metadata: Metadata = { title: "Confirm it is you" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The step-up page: sensitive actions (API keys, device approval, deleting a team or the account) need
 * a recent authentication. The password moves the session to a new id and the user goes back to
 * where they were (`next`, a path on this site only).
 */
export default async function ReauthenticatePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(Array.isArray(params.next) ? params.next[0] : params.next);
  const viewer = await requireViewer(`/reauthenticate?next=${encodeURIComponent(next)}`);
  return (
    <>
      <h1>Confirm it is you</h1>
      <p className="lead">
        This needs a recent sign-in. Enter the password of <strong>{viewer.user.email}</strong> to continue.
      </p>
      <ReauthenticateForm next={next} withCode={(await secondFactorOf(viewer)).totp === "on"} />
      <PasskeySignIn next={next} mode="reauthenticate" />
    </>
  );
}
