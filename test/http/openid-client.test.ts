/**
 * Interoperability: openid-client drives the whole device flow against the built app, as a device
 * would (discovery, device code, polling at the interval, token, GET /api/me, revocation).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { linkToken, signUp, Tab } from "./http-client";

jest.setTimeout(90_000);

describeWithPostgres("openid-client as the device", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("completes the device flow and uses the token", async () => {
    const browser = new Tab(server.url);
    const { email, userId } = await signUp(browser);
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    await new Tab(server.url).post("/api/auth/verify-email", { token: linkToken(mail, server.url, "/verify-email") });

    const child = spawn(process.execPath, [join(__dirname, "openid-client-device.mjs"), server.url], { stdio: ["ignore", "pipe", "pipe"] });
    const steps: Array<Record<string, any>> = [];
    let stderr = "";
    let buffered = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const approved = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const step = JSON.parse(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
          steps.push(step);
          if (step.step === "code") {
            // The decision the /device page takes (its own journey is tested in the browser).
            query(server.databaseUrl, "UPDATE device_authorizations SET status = 'approved', user_id = $2, decided_at = now() WHERE user_code = $1", [
              step.user_code.replace("-", ""),
              userId,
            ]).then(() => resolve(), reject);
          }
        }
      });
    });
    const exit = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
    await approved;
    expect({ code: await exit, stderr }).toEqual({ code: 0, stderr: "" });

    const byStep = Object.fromEntries(steps.map((s) => [s.step, s]));
    expect(byStep.discovered.metadata).toMatchObject({ issuer: server.url, token_endpoint: `${server.url}/api/oauth/token` });
    expect(byStep.code).toMatchObject({ verification_uri: `${server.url}/device`, interval: 5 });
    expect(byStep.token).toMatchObject({ token_type: "bearer", prefix: "nah_dt_" });
    expect(byStep.me).toEqual({ step: "me", status: 200, body: { user: expect.objectContaining({ id: userId, email }), credential: expect.objectContaining({ kind: "device" }) } });
    expect(byStep.revoked).toEqual({ step: "revoked", status: 401 });
  });
});
