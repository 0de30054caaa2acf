import type { DeviceToken } from "../../domain/device/device-token";
import { NotFound } from "../../domain/shared/domain-error";
import { TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { failure, handler, type Handler, noBody, param, signedIn } from "./shared/handler";
import { empty, json } from "./shared/responses";

/** What the API shows of a device credential: never its secret or hash. */
export function presentDevice(token: DeviceToken) {
  return {
    id: token.id,
    clientName: token.clientName,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt ? token.lastUsedAt.toISOString() : null,
    expiresAt: token.expiresAt.toISOString(),
    ip: token.ip,
  };
}

const listDevices = handler(async (request) =>
  signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ListDeviceTokens).execute({ userId: who.user.id });
    if (!result.ok) return failure(result.error);
    return json(200, { devices: result.value.map(presentDevice) });
  }),
);

const deleteDevice = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await param(context, "id");
    if (!id) return failure(new NotFound("Device"));
    const result = await auth.resolve(TOKENS.RevokeDeviceToken).execute({ userId: who.user.id, deviceTokenId: id, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

/** The device credential routes: the user's devices, and signing one out. */
export const deviceHandlers = {
  listDevices,
  deleteDevice,
} satisfies Record<string, Handler>;
