import { CreateApiKeyForm } from "../../_components/create-api-key-form";
import { NoticeBanner } from "../../_components/notice-banner";
import { ResendVerificationForm } from "../../_components/resend-verification-form";
import { SubmitButton } from "../../_components/submit-button";
import { revokeApiKeyAction } from "../../../../src/interfaces/web/api-keys/actions";
import { formatDateTime, formatRelative } from "../../../../src/interfaces/web/shared/format";
import { noticeFor } from "../../../../src/interfaces/web/shared/notices";
import { apiKeyNameMaxLength, apiKeysOf } from "../../../../src/interfaces/web/api-keys/page-data";
import { requireViewer } from "../../../../src/interfaces/web/shared/session";

export const metadata = { title: "API keys" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ApiKeysPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer("/dashboard/api-keys");
  const params = await searchParams;
  const keys = await apiKeysOf(viewer);
  return (
    <>
      <h1>API keys</h1>
      <NoticeBanner notice={noticeFor(params.notice)} />

      <section className="panel" aria-labelledby="create-title">
        <h2 id="create-title">Create a key</h2>
        {viewer.user.emailVerified ? (
          <CreateApiKeyForm maxLength={apiKeyNameMaxLength} />
        ) : (
          <div className="alert alert-warning" data-code="EMAIL_NOT_VERIFIED">
            <p>
              <strong>Creating API keys is blocked until you verify your e-mail address.</strong> A key acts as you, so we first
              make sure {viewer.user.email} really belongs to you. Open the link we sent there, or send a new one.
            </p>
            <ResendVerificationForm />
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">Your keys</h2>
        {keys.length === 0 ? (
          <p className="empty">You have no API keys.</p>
        ) : (
          <ul className="item-list" aria-label="API keys">
            {keys.map((key) => (
              <li key={key.id} data-testid="api-key-row">
                <div className="item-main">
                  <div className="item-title">{key.name}</div>
                  <div className="item-meta">
                    <span className="mono">ak_{key.prefix}_…</span> · created {formatDateTime(key.createdAt)} ·{" "}
                    {key.lastUsedAt ? `last used ${formatRelative(key.lastUsedAt)}` : "never used"}
                  </div>
                </div>
                <form action={revokeApiKeyAction}>
                  <input type="hidden" name="apiKeyId" value={key.id} />
                  <SubmitButton variant="danger" pendingLabel="Revoking…">
                    Revoke<span className="visually-hidden"> {key.name}</span>
                  </SubmitButton>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
