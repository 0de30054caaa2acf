import { AddPasskey } from "../../_components/passkey-buttons";
import { NoticeBanner } from "../../_components/notice-banner";
import { TotpPanel } from "../../_components/totp-panel";
import { SubmitButton } from "../../_components/submit-button";
import { removePasskeyAction } from "../../../../src/interfaces/web/passkeys/actions";
import { passkeyNameMaxLength, passkeysOf } from "../../../../src/interfaces/web/passkeys/page-data";
import { secondFactorOf } from "../../../../src/interfaces/web/mfa/page-data";
import { formatDateTime, formatRelative } from "../../../../src/interfaces/web/shared/format";
import { noticeFor } from "../../../../src/interfaces/web/shared/notices";
import { requireViewer } from "../../../../src/interfaces/web/shared/session";

export const metadata = { title: "Sign-in methods" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const SECURITY = "/dashboard/security";

export default async function SecurityPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer(SECURITY);
  const params = await searchParams;
  const [passkeys, status] = await Promise.all([passkeysOf(viewer), secondFactorOf(viewer)]);
  return (
    <>
      <h1>Sign-in methods</h1>
      <NoticeBanner notice={noticeFor(params.notice)} />
      <TotpPanel status={status} />

      <section className="panel" aria-labelledby="passkeys-title" id="passkeys">
        <h2 id="passkeys-title">Passkeys</h2>
        <p>
          A passkey signs you in with your device&apos;s screen lock or security key instead of your password, and counts as
          both factors. Adding or removing one asks you to confirm it is you if you signed in more than a few minutes ago, and
          we e-mail {viewer.user.email} each time.
        </p>
        {passkeys.length === 0 ? (
          <p className="empty">You have no passkeys.</p>
        ) : (
          <ul className="item-list" aria-label="Passkeys">
            {passkeys.map((passkey) => (
              <li key={passkey.id} data-testid="passkey-row">
                <div className="item-main">
                  <div className="item-title">{passkey.name}</div>
                  <div className="item-meta">
                    added {formatDateTime(passkey.createdAt)} ·{" "}
                    {passkey.lastUsedAt ? `last used ${formatRelative(passkey.lastUsedAt)}` : "never used"}
                  </div>
                </div>
                <form action={removePasskeyAction}>
                  <input type="hidden" name="passkeyId" value={passkey.id} />
                  <SubmitButton variant="danger" pendingLabel="Removing…">
                    Remove<span className="visually-hidden"> {passkey.name}</span>
                  </SubmitButton>
                </form>
              </li>
            ))}
          </ul>
        )}
        <h3>Add a passkey</h3>
        <noscript>
          <p className="alert alert-warning">Adding a passkey needs JavaScript: your browser creates it through WebAuthn. Removing one works without.</p>
        </noscript>
        <p className="hint">Creating a passkey runs in your browser and needs JavaScript.</p>
        <AddPasskey maxLength={passkeyNameMaxLength} returnTo={SECURITY} />
      </section>
    </>
  );
}
