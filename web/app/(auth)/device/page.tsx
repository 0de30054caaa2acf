import type { Metadata } from "next";
import Link from "next/link";
import { clearDeviceCodeAction, decideDeviceAction, enterDeviceCodeAction } from "../../../../src/interfaces/web/devices/actions";
import { deviceForViewer, deviceProblemText } from "../../../../src/interfaces/web/devices/page-data";
import { formatDateTime } from "../../../../src/interfaces/web/shared/format";
import { requireFreshViewer } from "../../../../src/interfaces/web/shared/session";

export const metadata: Metadata = { title: "Sign in a device" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * RFC 8628's verification page. A signed-in user with a verified address enters (or finds pre-filled)
 * the code a device shows, sees which configured client asks, from which address and when, compares
 * the code, and approves or denies. The page needs a fresh session (step-up): a stale one goes through
 * /reauthenticate first and comes back with the code kept. Every step is a form POST, so it works
 * without JavaScript.
 */
export default async function DevicePage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireFreshViewer("/device");
  const params = await searchParams;
  const done = Array.isArray(params.done) ? params.done[0] : params.done;

  if (!viewer.user.emailVerified) {
    return (
      <>
        <h1>Verify your e-mail address first</h1>
        <p>Signing in a device needs a verified e-mail address. Open the link we sent to {viewer.user.email}, then come back here.</p>
        <Link className="button button-primary" href="/verify-email">
          Verify my address
        </Link>
      </>
    );
  }
  if (done === "approved" || done === "denied") {
    return (
      <>
        <h1>{done === "approved" ? "Device approved" : "Device denied"}</h1>
        <p role="status">
          {done === "approved"
            ? "The device is signing in now; you can return to it. You can sign it out any time from your security settings."
            : "The device was refused and its code no longer works."}
        </p>
        <Link href="/dashboard/settings">Your devices and sessions</Link>
      </>
    );
  }

  const problem = deviceProblemText(params.problem);
  const lookup = await deviceForViewer(viewer);
  const refusal = lookup.kind === "refused" ? deviceProblemText(lookup.code) : null;

  if (lookup.kind !== "found") {
    return (
      <>
        <h1>Sign in a device</h1>
        {problem || refusal ? (
          <div className="alert alert-error" role="alert">
            <p>{problem ?? refusal}</p>
          </div>
        ) : null}
        <p className="lead">Enter the code your device shows.</p>
        <form action={enterDeviceCodeAction} className="form">
          <div className="field">
            <label htmlFor="user_code">Code</label>
            <input id="user_code" name="user_code" type="text" required autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={20} placeholder="XXXX-XXXX" />
          </div>
          <button type="submit" className="button button-primary">
            Continue
          </button>
        </form>
      </>
    );
  }

  const { device } = lookup;
  return (
    <>
      <h1>Approve this device?</h1>
      {problem ? (
        <div className="alert alert-error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      <p className="lead">Only approve a device you are using right now. If someone sent you this code, deny it.</p>
      <dl className="details" data-testid="device-request">
        <dt>Application</dt>
        <dd data-testid="device-client">{device.clientName}</dd>
        <dt>Requested from</dt>
        <dd data-testid="device-ip">{device.requestIp ?? "an unknown address"}</dd>
        <dt>Requested at</dt>
        <dd data-testid="device-time">{formatDateTime(new Date(device.requestedAt))}</dd>
        <dt>Code</dt>
        <dd>
          <strong data-testid="device-code">{device.userCode}</strong> — check that your device shows exactly this code.
        </dd>
      </dl>
      <form action={decideDeviceAction} className="form">
        <input type="hidden" name="user_code" value={device.userCode} />
        <div className="row">
          <button type="submit" name="decision" value="approve" className="button button-primary">
            Approve
          </button>
          <button type="submit" name="decision" value="deny" className="button button-secondary">
            Deny
          </button>
        </div>
      </form>
      <form action={clearDeviceCodeAction}>
        <button type="submit" className="button button-link">
          Enter another code
        </button>
      </form>
    </>
  );
}
