import { cookies } from "next/headers";
import { formatUserCode } from "../../../domain/device/user-code";
import type { Viewer } from "../shared/session";
import { requestContext } from "../shared/session";
import { appUrl, useCase } from "../shared/use-cases";
import { userCodeCookieName, wellFormedUserCode } from "./user-code-cookie";

/** What the approval page shows of the device behind a code. */
export interface PendingDeviceView {
  readonly userCode: string;
  readonly clientName: string;
  readonly requestIp: string | null;
  readonly requestedAt: string;
  readonly expiresAt: string;
}

export type DeviceLookup =
  | { readonly kind: "none" }
  | { readonly kind: "found"; readonly device: PendingDeviceView }
  | { readonly kind: "refused"; readonly code: string; readonly userCode: string | null };

/** The code the visitor brought (from the link, through the cookie) and the device waiting behind it. */
export async function deviceForViewer(viewer: Viewer): Promise<DeviceLookup> {
  const raw = (await cookies()).get(userCodeCookieName(appUrl()))?.value;
  const code = wellFormedUserCode(raw);
  if (!code) return { kind: "none" };
  const describe = await useCase("describeDeviceAuthorization");
  const result = await describe.execute({ userId: viewer.user.id, userCode: code, context: await requestContext() });
  if (!result.ok) return { kind: "refused", code: result.error.code, userCode: formatUserCode(code) };
  const { clientName, requestIp, requestedAt, expiresAt, userCode } = result.value;
  return { kind: "found", device: { userCode, clientName, requestIp, requestedAt: requestedAt.toISOString(), expiresAt: expiresAt.toISOString() } };
}

/** The viewer's device credentials, for the settings page. */
export interface DeviceCredentialView {
  readonly id: string;
  readonly clientName: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string;
  readonly ip: string | null;
}

export async function devicesOf(viewer: Viewer): Promise<DeviceCredentialView[]> {
  const list = await useCase("listDeviceTokens");
  const result = await list.execute({ userId: viewer.user.id });
  if (!result.ok) return [];
  return result.value.map((token) => ({
    id: token.id,
    clientName: token.clientName,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt ? token.lastUsedAt.toISOString() : null,
    expiresAt: token.expiresAt.toISOString(),
    ip: token.ip,
  }));
}

/** What the page says after a refused step; only these fixed texts, never text from the query string. */
const PROBLEMS: Record<string, string> = {
  INVALID_USER_CODE: "This code is not valid or has expired. Check the code shown on your device, or start again there.",
  RATE_LIMITED: "Too many attempts. Wait a few minutes and try again.",
  EMAIL_NOT_VERIFIED: "Verify your e-mail address before approving a device.",
};

export function deviceProblemText(code: unknown): string | null {
  const value = Array.isArray(code) ? code[0] : code;
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(PROBLEMS, value) ? PROBLEMS[value]! : null;
}
