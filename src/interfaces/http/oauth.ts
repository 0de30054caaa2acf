import type { DomainError, RateLimited } from "../../domain/shared/domain-error";
import { getAuth, getEdgeConfig, TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { handler, type Handler } from "./shared/handler";
import { MAX_BODY_BYTES, readLimited } from "./shared/request-guards";
import { json } from "./shared/responses";

// The OAuth endpoints of the device flow (RFC 8628, RFC 7009, RFC 8414). They speak OAuth, not the
// product's error shape: `{error, error_description}` (RFC 6749 §5.2), 400, or 401 for
// invalid_client; form-encoded and JSON bodies; every answer `Cache-Control: no-store` (json() sets
// it). They read no cookie and no Authorization header: a device has only its parameters.

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

function oauthError(error: string, description: string): Response {
  return json(error === "invalid_client" ? 401 : 400, { error, error_description: description }, { Pragma: "no-cache" });
}

/** A refusal of a use case, as OAuth names it: the domain code in lower case (`SLOW_DOWN` → `slow_down`). */
function fromDomain(error: DomainError): Response {
  return oauthError(error.code.toLowerCase(), error.message);
}

type Params = Record<string, string>;

/** The request's parameters, form-encoded or JSON; every value a string, none repeated (RFC 6749 §3.2). */
async function readParams(request: Request): Promise<Params | Response> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "application/json") {
    return oauthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded or application/json.");
  }
  const read = await readLimited(request, MAX_BODY_BYTES);
  if (!read.ok) return oauthError("invalid_request", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.value);
  } catch {
    return oauthError("invalid_request", "The request body is not valid UTF-8.");
  }
  const params: Params = Object.create(null) as Params;
  if (type === "application/json") {
    let value: unknown;
    try {
      value = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      return oauthError("invalid_request", "The request body is not valid JSON.");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return oauthError("invalid_request", "The request body must be a JSON object.");
    for (const [name, field] of Object.entries(value)) {
      if (typeof field !== "string") return oauthError("invalid_request", `The parameter ${name.slice(0, 40)} must be a string.`);
      params[name] = field;
    }
    return params;
  }
  for (const [name, field] of new URLSearchParams(text)) {
    if (name in params) return oauthError("invalid_request", `The parameter ${name.slice(0, 40)} is repeated.`);
    params[name] = field;
  }
  return params;
}

function required(params: Params, name: string): string | Response {
  const value = params[name];
  return value ? value : oauthError("invalid_request", `The parameter ${name} is required.`);
}

/** `POST /api/oauth/device/code` (RFC 8628 §3.1–3.2). */
const deviceCode = handler(async (request) => {
  const params = await readParams(request);
  if (params instanceof Response) return params;
  const clientId = required(params, "client_id");
  if (clientId instanceof Response) return clientId;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.StartDeviceAuthorization).execute({ clientId, scope: params.scope ?? null, context: requestContext(request) });
  if (!result.ok) {
    // Too many codes from this address: 429 with Retry-After, in OAuth's error shape.
    // (By code: the route's bundle and the use case's may hold two copies of the error classes.)
    if (result.error.code === "RATE_LIMITED") {
      const { message, retryAfterSeconds } = result.error as RateLimited;
      return json(429, { error: "rate_limited", error_description: message }, { Pragma: "no-cache", "Retry-After": String(retryAfterSeconds) });
    }
    return fromDomain(result.error);
  }
  const verificationUri = `${getEdgeConfig().appUrl}/device`;
  return json(200, {
    device_code: result.value.deviceCode,
    user_code: result.value.userCode,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(result.value.userCode)}`,
    expires_in: result.value.expiresIn,
    interval: result.value.interval,
  });
});

/** `POST /api/oauth/token` with the device code grant (RFC 8628 §3.4–3.5). */
const token = handler(async (request) => {
  const params = await readParams(request);
  if (params instanceof Response) return params;
  const grantType = required(params, "grant_type");
  if (grantType instanceof Response) return grantType;
  if (grantType !== DEVICE_CODE_GRANT) return oauthError("unsupported_grant_type", `Only ${DEVICE_CODE_GRANT} is supported.`);
  const clientId = required(params, "client_id");
  if (clientId instanceof Response) return clientId;
  const code = required(params, "device_code");
  if (code instanceof Response) return code;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.ExchangeDeviceCode).execute({ clientId, deviceCode: code, context: requestContext(request) });
  if (!result.ok) return fromDomain(result.error);
  return json(200, { access_token: result.value.accessToken, token_type: "Bearer", expires_in: result.value.expiresIn }, { Pragma: "no-cache" });
});

/** `POST /api/oauth/revoke` (RFC 7009): 200 whatever the token was, so the answer tells nothing about it. */
const revoke = handler(async (request) => {
  const params = await readParams(request);
  if (params instanceof Response) return params;
  if (params.token) {
    const auth = await getAuth();
    await auth.resolve(TOKENS.RevokeDeviceToken).execute({ token: params.token, context: requestContext(request) });
  }
  return json(200, {});
});

/** `GET /.well-known/oauth-authorization-server` (RFC 8414): what a standard client needs to run the flow. */
const metadata = handler(async () => {
  const issuer = getEdgeConfig().appUrl;
  return json(200, {
    issuer,
    device_authorization_endpoint: `${issuer}/api/oauth/device/code`,
    token_endpoint: `${issuer}/api/oauth/token`,
    revocation_endpoint: `${issuer}/api/oauth/revoke`,
    grant_types_supported: [DEVICE_CODE_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
  });
});

/** The OAuth routes of the device flow. */
export const oauthHandlers = {
  deviceCode,
  token,
  revoke,
  metadata,
} satisfies Record<string, Handler>;
