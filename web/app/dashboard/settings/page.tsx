import { ChangeEmailForm } from "../../_components/change-email-form";
import { ChangePasswordForm } from "../../_components/change-password-form";
import { DeleteAccountForm } from "../../_components/delete-account-form";
import { NoticeBanner } from "../../_components/notice-banner";
import { SubmitButton } from "../../_components/submit-button";
import { VerificationBanner } from "../_verification-banner";
import { revokeSessionAction, signOutEverywhereAction } from "../../../../src/interfaces/web/sessions/actions";
import { formatDateTime, formatRelative } from "../../../../src/interfaces/web/shared/format";
import { noticeFor } from "../../../../src/interfaces/web/shared/notices";
import { passwordRules, recentSecurityActivity } from "../../../../src/interfaces/web/identity/page-data";
import { sessionsOf } from "../../../../src/interfaces/web/sessions/page-data";
import { revokeDeviceAction } from "../../../../src/interfaces/web/devices/actions";
import { devicesOf } from "../../../../src/interfaces/web/devices/page-data";
import { requireViewer } from "../../../../src/interfaces/web/shared/session";

export const metadata = { title: "Security settings" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SettingsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer("/dashboard/settings");
  const params = await searchParams;
  const [sessions, activity, rules, devices] = await Promise.all([sessionsOf(viewer), recentSecurityActivity(viewer), passwordRules(), devicesOf(viewer)]);
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      <h1>Security settings</h1>
      <NoticeBanner notice={noticeFor(params.notice)} />
      {viewer.user.emailVerified ? null : <VerificationBanner email={viewer.user.email} />}

      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you are signed in</h2>
        <p className="lead">
          {sessions.length === 1
            ? "Only this device is signed in."
            : `${sessions.length} active sessions, ${others} besides this one. Sign out any you do not recognise.`}
        </p>
        <ul className="item-list" aria-label="Active sessions">
          {sessions.map((s) => (
            <li key={s.id} data-testid="session-row">
              <div className="item-main">
                <div className="item-title">
                  {s.device}
                  {s.current ? <span className="badge">This device</span> : null}
                </div>
                <div className="item-meta">
                  IP {s.ip ?? "unknown"} · last active {s.current ? "now" : formatRelative(s.lastSeenAt)} · signed in{" "}
                  {formatDateTime(s.authenticatedAt)}
                </div>
              </div>
              {s.current ? null : (
                <form action={revokeSessionAction}>
                  <input type="hidden" name="sessionId" value={s.id} />
                  <SubmitButton variant="secondary" pendingLabel="Signing out…">
                    Sign out<span className="visually-hidden"> {s.device}, last active {formatRelative(s.lastSeenAt)}</span>
                  </SubmitButton>
                </form>
              )}
            </li>
          ))}
        </ul>
        <form action={signOutEverywhereAction} className="row panel-actions">
          <SubmitButton variant="secondary" pendingLabel="Signing out everywhere…">
            Sign out everywhere, this device included
          </SubmitButton>
        </form>
      </section>

      <section className="panel" aria-labelledby="devices-title">
        <h2 id="devices-title">Signed-in devices</h2>
        <p className="lead">Command-line tools and other devices you approved on the device page. Sign out any you do not recognise.</p>
        {devices.length === 0 ? (
          <p className="empty">No devices.</p>
        ) : (
          <ul className="item-list" aria-label="Signed-in devices">
            {devices.map((d) => (
              <li key={d.id} data-testid="device-row">
                <div className="item-main">
                  <div className="item-title">{d.clientName}</div>
                  <div className="item-meta">
                    IP {d.ip ?? "unknown"} · approved {formatDateTime(new Date(d.createdAt))} · last used{" "}
                    {d.lastUsedAt ? formatRelative(new Date(d.lastUsedAt)) : "never"} · expires {formatDateTime(new Date(d.expiresAt))}
                  </div>
                </div>
                <form action={revokeDeviceAction}>
                  <input type="hidden" name="deviceId" value={d.id} />
                  <SubmitButton variant="secondary" pendingLabel="Signing out…">
                    Sign out<span className="visually-hidden"> {d.clientName}, approved {formatDateTime(new Date(d.createdAt))}</span>
                  </SubmitButton>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="email-title">
        <h2 id="email-title">E-mail address</h2>
        <p>
          You sign in and receive mail as <strong>{viewer.user.email}</strong>.
        </p>
        <ChangeEmailForm />
      </section>

      <section className="panel" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <p className="lead">Every other device is signed out when you change it.</p>
        <ChangePasswordForm email={viewer.user.email} minLength={rules.minLength} />
      </section>

      <section className="panel" aria-labelledby="activity-title">
        <h2 id="activity-title">Recent security activity</h2>
        {activity.length === 0 ? (
          <p className="empty">Nothing yet.</p>
        ) : (
          <ul className="item-list" aria-label="Recent security activity">
            {activity.map((event) => (
              <li key={event.id}>
                <div className="item-main">
                  <div className="item-title">
                    {event.description}
                    {event.notable ? <span className="badge badge-warning">Check</span> : null}
                  </div>
                  <div className="item-meta">
                    <time dateTime={event.at.toISOString()}>{formatDateTime(event.at)}</time>
                    {event.device ? ` · ${event.device}` : ""}
                    {event.ip ? ` · IP ${event.ip}` : ""}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel panel-danger" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete account</h2>
        <p>This deletes your account for good. Enter your password to confirm.</p>
        <DeleteAccountForm />
      </section>
    </>
  );
}
