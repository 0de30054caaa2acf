#!/usr/bin/env node
// The command-line client of nextauth-hex: signs in through the OAuth device flow (RFC 8628), keeps the
// device token in a file only its user can read, and uses it. Plain Node (18+: global fetch), no
// dependencies, so it runs wherever the product's own Node does.
//
//   npm run cli -- login [--url URL]   start the device flow, print the code and the link, wait for approval
//   npm run cli -- whoami              who the stored token signs in as (GET /api/me)
//   npm run cli -- logout              revoke the stored token (RFC 7009) and forget it
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

const CLIENT_ID = "cli";
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const DEFAULT_URL = process.env.NEXTAUTH_HEX_URL || "http://localhost:3000";
const CREDENTIALS = process.env.NEXTAUTH_HEX_CREDENTIALS || join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "nextauth-hex", "credentials.json");

class CliError extends Error {}

function option(args, name) {
  const index = args.indexOf(name);
  if (index < 0) return null;
  const value = args[index + 1];
  if (!value || value.startsWith("--")) throw new CliError(`${name} needs a value, e.g. ${name} https://auth.example.com`);
  return value;
}

function baseUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`"${raw}" is not a URL; pass the site's address, e.g. --url https://auth.example.com`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new CliError(`"${raw}" is not an http(s) URL.`);
  return url.origin;
}

async function call(url, init) {
  try {
    const response = await fetch(url, { ...init, headers: { Accept: "application/json", ...(init?.headers ?? {}) } });
    const text = await response.text();
    let body = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    return { status: response.status, body };
  } catch (error) {
    throw new CliError(`Cannot reach ${new URL(url).origin}: ${error?.cause?.code ?? error?.message ?? error}. Is the server running?`);
  }
}

const form = (fields) => ({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function metadata(origin) {
  const found = await call(`${origin}/.well-known/oauth-authorization-server`);
  if (found.status !== 200 || !found.body.device_authorization_endpoint || !found.body.token_endpoint) {
    throw new CliError(`${origin} does not offer device sign-in (no OAuth metadata at /.well-known/oauth-authorization-server).`);
  }
  return found.body;
}

async function saveCredentials(credentials) {
  await mkdir(dirname(CREDENTIALS), { recursive: true, mode: 0o700 });
  // Created 0600, and set again in case the file already existed with a wider mode.
  await writeFile(CREDENTIALS, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(CREDENTIALS, 0o600);
}

async function loadCredentials() {
  try {
    return JSON.parse(await readFile(CREDENTIALS, "utf8"));
  } catch {
    return null;
  }
}

async function login(args) {
  const origin = baseUrl(option(args, "--url") ?? DEFAULT_URL);
  const server = await metadata(origin);
  const started = await call(server.device_authorization_endpoint, form({ client_id: CLIENT_ID }));
  if (started.status !== 200) throw new CliError(`The server refused to start a sign-in: ${started.body.error_description ?? started.body.error ?? started.status}`);
  const { device_code, user_code, verification_uri, verification_uri_complete, expires_in } = started.body;
  let interval = Number(started.body.interval) > 0 ? Number(started.body.interval) : 5;

  console.log(`To sign in, open ${verification_uri} and enter the code: ${user_code}`);
  if (verification_uri_complete) console.log(`Or open this link, which fills in the code: ${verification_uri_complete}`);
  console.log(`Check that the page shows the same code. Waiting for approval (the code works for ${Math.round(expires_in / 60)} minutes)…`);

  const deadline = Date.now() + Number(expires_in) * 1000 + 5_000;
  while (Date.now() < deadline) {
    await sleep(interval * 1000);
    const polled = await call(server.token_endpoint, form({ grant_type: GRANT, device_code, client_id: CLIENT_ID }));
    if (polled.status === 200 && polled.body.access_token) {
      const expiresAt = new Date(Date.now() + Number(polled.body.expires_in) * 1000).toISOString();
      await saveCredentials({ url: origin, access_token: polled.body.access_token, expires_at: expiresAt, revocation_endpoint: server.revocation_endpoint ?? null });
      const who = await call(`${origin}/api/me`, { headers: { Authorization: `Bearer ${polled.body.access_token}` } });
      console.log(`Signed in${who.status === 200 ? ` as ${who.body.user.email}` : ""}. The token is kept in ${CREDENTIALS} (readable only by you).`);
      return 0;
    }
    switch (polled.body.error) {
      case "authorization_pending":
        continue;
      case "slow_down":
        // RFC 8628 §3.5: five seconds more for this and every later request.
        interval += 5;
        continue;
      case "access_denied":
        throw new CliError("The sign-in was denied on the device page. Nothing was stored.");
      case "expired_token":
        throw new CliError("The code expired before it was approved. Run `login` again for a new code.");
      default:
        throw new CliError(`The sign-in failed: ${polled.body.error_description ?? polled.body.error ?? `HTTP ${polled.status}`}`);
    }
  }
  throw new CliError("The code expired before it was approved. Run `login` again for a new code.");
}

async function whoami() {
  const credentials = await loadCredentials();
  if (!credentials?.access_token) throw new CliError("Not signed in. Run `login` first.");
  const who = await call(`${credentials.url}/api/me`, { headers: { Authorization: `Bearer ${credentials.access_token}` } });
  if (who.status === 401) throw new CliError("The stored sign-in no longer works (signed out, revoked or expired). Run `login` again.");
  if (who.status !== 200) throw new CliError(`The server answered HTTP ${who.status}.`);
  console.log(`${who.body.user.email} on ${credentials.url} (${who.body.credential.kind}: ${who.body.credential.name})`);
  return 0;
}

async function logout() {
  const credentials = await loadCredentials();
  if (!credentials?.access_token) {
    console.log("Not signed in; nothing to do.");
    return 0;
  }
  const endpoint = credentials.revocation_endpoint || `${credentials.url}/api/oauth/revoke`;
  const revoked = await call(endpoint, form({ token: credentials.access_token, token_type_hint: "access_token", client_id: CLIENT_ID })).catch((error) => error);
  await rm(CREDENTIALS, { force: true });
  if (revoked instanceof Error || revoked.status !== 200) {
    console.log(`Forgot the token locally, but could not revoke it on ${credentials.url}; sign it out from the security settings page.`);
    return 1;
  }
  console.log("Signed out: the token is revoked and forgotten.");
  return 0;
}

const USAGE = "Usage: npm run cli -- login [--url URL] | whoami | logout";

async function main(args) {
  const [command, ...rest] = args;
  if (command === "login") return login(rest);
  if (command === "whoami") return whoami();
  if (command === "logout") return logout();
  console.error(USAGE);
  return command === undefined || command === "--help" || command === "help" ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof CliError ? error.message : `Unexpected error: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
