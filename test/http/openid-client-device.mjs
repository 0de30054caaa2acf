// openid-client 6 (a certified, independently written OAuth client) as the device, against the app at
// argv[2]: discovery from the RFC 8414 metadata, device authorization, polling, the token, then
// GET /api/me with it and RFC 7009 revocation. Runs as a separate ESM process because openid-client
// is ESM-only. Prints one JSON line per step on stdout.
import * as client from "openid-client";

const issuer = new URL(process.argv[2]);
const say = (step, value) => process.stdout.write(`${JSON.stringify({ step, ...value })}\n`);

const config = await client.discovery(issuer, "cli", undefined, client.None(), {
  algorithm: "oauth2",
  // Loopback over plain http in tests only.
  execute: [client.allowInsecureRequests],
});
say("discovered", { metadata: config.serverMetadata() });

const authorization = await client.initiateDeviceAuthorization(config, { scope: "profile" });
say("code", { user_code: authorization.user_code, verification_uri: authorization.verification_uri, interval: authorization.interval });

const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
say("token", { token_type: tokens.token_type, expires_in: tokens.expires_in, prefix: tokens.access_token.slice(0, 7) });

const me = await client.fetchProtectedResource(config, tokens.access_token, new URL("/api/me", issuer), "GET");
say("me", { status: me.status, body: await me.json() });

await client.tokenRevocation(config, tokens.access_token);
const after = await fetch(new URL("/api/me", issuer), { headers: { Authorization: `Bearer ${tokens.access_token}` } });
say("revoked", { status: after.status });
