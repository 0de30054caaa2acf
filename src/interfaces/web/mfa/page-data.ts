import type { Viewer } from "../shared/session";
import { readChallenge } from "../shared/challenge";
import { useCase } from "../shared/use-cases";

/** The second factor as the security page shows it; a pending set-up brings its QR code and secret again. */
export async function secondFactorOf(viewer: Viewer) {
  const status = await (await useCase("getMfaStatus")).execute({ userId: viewer.user.id, withPendingSetup: true });
  return {
    ...status,
    pending: status.pendingSetup ? { ...status.pendingSetup, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(status.pendingSetup.qrSvg).toString("base64")}` } : null,
  };
}

/** Whether this browser holds a sign-in waiting for its second step. */
export async function hasPendingSignIn(): Promise<boolean> {
  return (await readChallenge()) !== null;
}
