/**
 * The command-line client against the built app: `login` prints the code and both links, waits for
 * the approval at the server's interval, keeps the token in a file only its user can read; `whoami`
 * uses it; `logout` revokes it; a denied or expired code is said plainly.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithPostgres, query, ROOT, startNextServer, type NextServer } from "../support/next-server";
import { linkToken, signUp, Tab } from "./http-client";

jest.setTimeout(90_000);

interface Run {
  readonly child: ChildProcess;
  output(): string;
  readonly exit: Promise<number>;
}

describeWithPostgres("the command-line client", () => {
  let server: NextServer;
  let home: string;
  beforeAll(async () => {
    server = await startNextServer();
    home = await mkdtemp(join(tmpdir(), "cli-test-"));
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
    await rm(home, { recursive: true, force: true });
  });

  const credentials = () => join(home, "credentials.json");

  function cli(...args: string[]): Run {
    const child = spawn(process.execPath, [join(ROOT, "cli/nextauth-hex.mjs"), ...args], {
      env: { ...process.env, NEXTAUTH_HEX_CREDENTIALS: credentials(), NEXTAUTH_HEX_URL: "http://127.0.0.1:9" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const exit = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
    return { child, output: () => output, exit };
  }

  async function userCodeFrom(run: Run): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const match = /enter the code: ([A-Z]{4}-[A-Z]{4})/.exec(run.output());
      if (match) return match[1]!;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no code printed: ${run.output()}`);
  }

  async function verifiedUser(): Promise<{ userId: string; email: string }> {
    const browser = new Tab(server.url);
    const { email, userId } = await signUp(browser);
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    await new Tab(server.url).post("/api/auth/verify-email", { token: linkToken(mail, server.url, "/verify-email") });
    return { email, userId };
  }

  /** The decision the /device page takes (its own journey is tested in the browser). */
  const decide = (userCode: string, userId: string, status: "approved" | "denied") =>
    query(server.databaseUrl, `UPDATE device_authorizations SET status = $2, user_id = $3, decided_at = now() WHERE user_code = $1`, [userCode.replace("-", ""), status, userId]);

  it("logs in, says who it is, and logs out", async () => {
    const { email, userId } = await verifiedUser();
    const login = cli("login", "--url", server.url);
    const userCode = await userCodeFrom(login);
    expect(login.output()).toContain(`open ${server.url}/device and enter the code: ${userCode}`);
    expect(login.output()).toContain(`${server.url}/device?user_code=${userCode}`);
    await decide(userCode, userId, "approved");
    expect(await login.exit).toBe(0);
    expect(login.output()).toContain(`Signed in as ${email}`);
    expect((await stat(credentials())).mode & 0o777).toBe(0o600);

    const whoami = cli("whoami");
    expect(await whoami.exit).toBe(0);
    expect(whoami.output()).toContain(email);
    expect(whoami.output()).toContain("device");

    const logout = cli("logout");
    expect(await logout.exit).toBe(0);
    expect(logout.output()).toContain("Signed out");
    const [row] = await query<{ revoked_at: Date | null }>(server.databaseUrl, "SELECT revoked_at FROM device_tokens WHERE user_id = $1", [userId]);
    expect(row!.revoked_at).not.toBeNull();
    const after = cli("whoami");
    expect(await after.exit).toBe(1);
    expect(after.output()).toContain("Not signed in");
  });

  it("says so when the code is denied, and when it expires", async () => {
    const { userId } = await verifiedUser();
    const denied = cli("login", "--url", server.url);
    await decide(await userCodeFrom(denied), userId, "denied");
    expect(await denied.exit).toBe(1);
    expect(denied.output()).toContain("denied");

    const expired = cli("login", "--url", server.url);
    const code = await userCodeFrom(expired);
    await query(server.databaseUrl, "UPDATE device_authorizations SET expires_at = now() - interval '1 second' WHERE user_code = $1", [code.replace("-", "")]);
    expect(await expired.exit).toBe(1);
    expect(expired.output()).toContain("expired");
  });

  it("explains an unreachable server", async () => {
    const run = cli("login");
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain("Cannot reach http://127.0.0.1:9");
  });
});
