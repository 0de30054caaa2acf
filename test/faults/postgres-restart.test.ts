/**
 * A real PostgreSQL restart under load (a server of the test's own, stopped with `pg_ctl -m fast` and
 * started again): signed-in pages answer 200, a redirect or 503 with Retry-After and a short
 * "temporarily unavailable" page, never Next.js's 500; the API answers JSON 503; readiness says 503
 * meanwhile; and everything recovers by itself once the server is back.
 */
import { spawn } from "node:child_process";
import { Client } from "pg";
import { ROOT } from "../support/next-server";
import { PrivatePostgres, privatePostgresAvailable } from "../support/private-postgres";
import { describeWithDatabase, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { Browser, PASSWORD, request, sleep, uniqueEmail } from "../support/security-http";

let pg: PrivatePostgres;
let app: NextServer;
let cookie: string | null;

async function migrate(url: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "db:migrate"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`db:migrate failed (${code})`))));
  });
}

(privatePostgresAvailable() ? describeWithDatabase : describe.skip)("PostgreSQL restarts under load", () => {
  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    const admin = new Client({ connectionString: pg.url() });
    await admin.connect();
    await admin.query("CREATE DATABASE app");
    await admin.end();
    await migrate(pg.url("app"));
    app = await startApp({ databaseUrl: pg.url("app") });
    const browser = Browser.of(app);
    const signUp = await browser.post("/api/auth/sign-up", { email: uniqueEmail("restart"), password: PASSWORD });
    if (signUp.status !== 201) throw new Error(`sign-up failed: ${signUp.status} ${signUp.text}`);
    cookie = browser.cookie;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await app?.stop();
    await pg?.destroy();
  });

  it("pages never answer 500 (503 with Retry-After instead), the API answers JSON 503, readiness 503; all recover without a restart of the app", async () => {
    const pages = ["/dashboard", "/dashboard/settings", "/dashboard/api-keys", "/dashboard/teams"];
    const pageStatuses = new Map<number, number>();
    const apiStatuses = new Map<number, number>();
    const readyStatuses = new Set<number>();
    let stop = false;
    /** 503s answered by the server edge in place of Next.js's 500 (the others come from the proxy's session check). */
    let edgeAnswers = 0;
    const count = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);
    const pageWorker = async (n: number) => {
      for (let i = n; !stop; i++) {
        const page = await request(app.url, pages[i % pages.length]!, { headers: { Cookie: `session=${cookie}`, Accept: "text/html" }, timeoutMs: 20_000, agent: false });
        count(pageStatuses, page.status);
        if (page.status === 503) {
          if (String(page.headers["content-type"]).startsWith("text/html")) edgeAnswers++;
          expect(Number(page.headers["retry-after"])).toBeGreaterThanOrEqual(1);
          expect(page.text).toMatch(/temporarily unavailable/i);
        }
        if (page.status === 500) console.warn(`a page answered 500: ${pages[i % pages.length]}`);
      }
    };
    const apiWorker = async () => {
      while (!stop) {
        const response = await request(app.url, "/api/auth/sessions", { headers: { Cookie: `session=${cookie}` }, timeoutMs: 20_000, agent: false });
        count(apiStatuses, response.status);
        if (response.status === 503) expect(response.json?.error?.code).toBe("SERVICE_UNAVAILABLE");
      }
    };
    const load = Promise.all([...Array.from({ length: 16 }, (_, n) => pageWorker(n)), apiWorker(), apiWorker()]);
    await sleep(2000);
    pg.stop("fast");
    const probed = Date.now();
    readyStatuses.add((await request(app.url, "/api/ready", { timeoutMs: 10_000, agent: false })).status);
    expect(Date.now() - probed).toBeLessThan(4000);
    await sleep(3000);
    pg.start();
    await sleep(6000);
    stop = true;
    await load;

    expect(pageStatuses.get(500) ?? 0).toBe(0);
    expect([...pageStatuses.keys()].every((status) => [200, 303, 307, 503].includes(status))).toBe(true);
    expect(apiStatuses.get(500) ?? 0).toBe(0);
    expect(readyStatuses).toEqual(new Set([503]));

    // Back by itself: pages, the API and readiness.
    const deadline = Date.now() + 20_000;
    let last = 0;
    while (Date.now() < deadline) {
      last = (await request(app.url, "/dashboard", { headers: { Cookie: `session=${cookie}`, Accept: "text/html" }, agent: false })).status;
      if (last === 200) break;
      await sleep(250);
    }
    expect(last).toBe(200);
    expect((await request(app.url, "/api/ready")).status).toBe(200);
    expect((await request(app.url, "/api/auth/sessions", { headers: { Cookie: `session=${cookie}` } })).status).toBe(200);
    console.log(`statuses during the restart: pages ${JSON.stringify(Object.fromEntries(pageStatuses))}, API ${JSON.stringify(Object.fromEntries(apiStatuses))}, page 503s in place of a 500: ${edgeAnswers}`);
  }, 120_000);
});
