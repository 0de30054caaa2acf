/**
 * Passwords from outside: how they are hashed and upgraded (read back from the database), the length
 * rule in code points, the policy on all three entry points, NFKC and nothing else, and oversized input
 * refused before any parsing or hashing.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import * as argon2 from "argon2";
import { Database, describeWithDatabase, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { Browser, isErrorBody, median, request, uniqueEmail, type HttpResponse } from "../support/security-http";
import { expectStatus, requestReset, signUp } from "./flows";
import { REQUIREMENTS } from "./requirements";

let app: NextServer;
let db: Database;

beforeAll(async () => {
  app = await startApp();
  db = new Database(app.databaseUrl);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  await app?.stop();
});

function weak(response: HttpResponse, field = "password"): string {
  if (response.status !== 400 || !isErrorBody(response.json) || response.json.error.code !== "WEAK_PASSWORD") {
    throw new Error(`expected 400 WEAK_PASSWORD, got ${response.status}: ${response.text.slice(0, 300)}`);
  }
  const reason = response.json.error.fields?.[field];
  expect(typeof reason).toBe("string");
  return reason!;
}

async function trySignUp(password: string, email = uniqueEmail("pw")): Promise<HttpResponse> {
  return Browser.of(app).post("/api/auth/sign-up", { email, password });
}

async function signInStatus(email: string, password: string): Promise<number> {
  return (await Browser.of(app).post("/api/auth/sign-in", { email, password })).status;
}

async function storedHash(email: string): Promise<string> {
  return (await db.one<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = $1`, [email])).password_hash;
}

function parameters(hash: string): { variant: string; m: number; t: number; p: number } {
  const match = /^\$(argon2(?:id|i|d))\$v=\d+\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/.exec(hash);
  if (!match) throw new Error(`not an argon2 PHC string: ${hash.slice(0, 30)}…`);
  const values = Object.fromEntries(match[2]!.split(",").map((pair) => pair.split("=") as [string, string]));
  return { variant: match[1]!, m: Number(values.m), t: Number(values.t), p: Number(values.p) };
}

const emoji = (n: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x1f600 + (i % 64))).join("");

describeWithDatabase(REQUIREMENTS.passwords.argon2id, () => {
  it("a new password is stored as argon2id with at least m=19456 KiB, t=2, p=1", async () => {
    const account = await signUp(Browser.of(app));
    const hash = await storedHash(account.email);
    const { variant, m, t, p } = parameters(hash);
    expect(variant).toBe("argon2id");
    expect(m).toBeGreaterThanOrEqual(19456);
    expect(t).toBeGreaterThanOrEqual(2);
    expect(p).toBeGreaterThanOrEqual(1);
    expect(hash).not.toContain(account.password);
  });

  it.each([
    ["argon2id with m=4096, t=1", { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 }],
    ["argon2i at OWASP cost", { type: argon2.argon2i, memoryCost: 19456, timeCost: 2, parallelism: 1 }],
    ["argon2d with p=2, t=1", { type: argon2.argon2d, memoryCost: 8192, timeCost: 1, parallelism: 2 }],
  ] as const)("a hash made with weaker parameters (%s) is upgraded at the next successful sign-in, not at a failed one", async (_label, options) => {
    const account = await signUp(Browser.of(app));
    const old = await argon2.hash(account.password, { ...options, hashLength: 32 });
    await db.timeTravel(`UPDATE users SET password_hash = $2 WHERE email = $1`, [account.email, old]);
    expect(await signInStatus(account.email, "not the password at all")).toBe(401);
    expect(await storedHash(account.email)).toBe(old);
    expect(await signInStatus(account.email, account.password)).toBe(200);
    const upgraded = await storedHash(account.email);
    expect(upgraded).not.toBe(old);
    expect(parameters(upgraded)).toEqual({ variant: "argon2id", m: 19456, t: 2, p: 1 });
    expect(await signInStatus(account.email, account.password)).toBe(200);
  });

  it("the parameters cannot be configured below OWASP's minimum: the server refuses to start", async () => {
    for (const [name, value] of [
      ["ARGON2_MEMORY_KIB", "4096"],
      ["ARGON2_TIME_COST", "1"],
    ]) {
      const attempt = startApp({ databaseUrl: app.databaseUrl, smtp: app.smtp, env: { [name!]: value } });
      await expect(attempt).rejects.toThrow(new RegExp(name!));
    }
  });
});

describeWithDatabase(REQUIREMENTS.passwords.length, () => {
  it("the minimum of 8 counts code points, not bytes or UTF-16 units", async () => {
    expect(weak(await trySignUp("x7Kq2pL"))).toMatch(/8/);
    // 7 emoji: 14 UTF-16 units, 28 bytes, still 7 characters.
    expect(weak(await trySignUp(emoji(7)))).toMatch(/8/);
    // 7 characters written with combining accents (14 code points) are 7 after NFKC.
    expect(weak(await trySignUp("e\u0301".repeat(3) + "a\u0300".repeat(4)))).toMatch(/8/);
    expectStatus(await trySignUp(emoji(8)), 201);
  });

  it("the maximum of 128 code points: 128 emoji (512 bytes) pass, 129 characters are refused with 400", async () => {
    expectStatus(await trySignUp(emoji(128)), 201);
    expectStatus(await trySignUp("k".repeat(60) + "Zq".repeat(34)), 201);
    expect(weak(await trySignUp(emoji(129)))).toMatch(/128/);
    expect(weak(await trySignUp("q".repeat(129)))).toMatch(/128/);
  });

  it("never truncated: a 129th character is refused at sign-in (400), a prefix of the password is wrong (401)", async () => {
    const password = Array.from({ length: 128 }, (_, i) => "abcdefghijklmnopqrstuvwxyz0123456789"[(i * 7) % 36]).join("");
    const account = await signUp(Browser.of(app), uniqueEmail("long"), password);
    expect(await signInStatus(account.email, password)).toBe(200);
    const longer = await Browser.of(app).post("/api/auth/sign-in", { email: account.email, password: `${password}x` });
    expect(longer.status).toBe(400);
    expect(await signInStatus(account.email, password.slice(0, 127))).toBe(401);
    // The 72-byte cut of bcrypt-style hashing: the first 72 characters alone must not open the account.
    expect(await signInStatus(account.email, password.slice(0, 72))).toBe(401);
    expect(await signInStatus(account.email, password.slice(0, 72) + "0".repeat(56))).toBe(401);
  });

  it("no composition rules: lower-case words, digits only, emoji only and spaces are all fine", async () => {
    for (const password of ["quietly orbiting lanterns", "8391027465019283", emoji(10), "tea for two in the morning"]) {
      expectStatus(await trySignUp(password), 201);
    }
  });

  it("the minimum is configurable: PASSWORD_MIN_LENGTH=15 refuses 14 characters and accepts 15", async () => {
    const strict = await startApp({ env: { PASSWORD_MIN_LENGTH: "15" } });
    try {
      const tooShort = await Browser.of(strict).post("/api/auth/sign-up", { email: uniqueEmail(), password: "fourteen chars" });
      expect(weak(tooShort)).toMatch(/15/);
      expectStatus(await Browser.of(strict).post("/api/auth/sign-up", { email: uniqueEmail(), password: "fifteen chars!!" }), 201);
    } finally {
      await strict.stop();
    }
  });
});

describeWithDatabase(REQUIREMENTS.passwords.policy, () => {
  const list = readFileSync(join(__dirname, "../../src/infrastructure/security/common-passwords.txt"), "utf8")
    .split(/\r?\n/)
    .filter(Boolean);

  it("the shipped blocklist holds at least 3,000 common passwords that fit the length rule", () => {
    const fitting = list.filter((p) => [...p].length >= 8 && [...p].length <= 128);
    expect(new Set(fitting).size).toBeGreaterThanOrEqual(3000);
  });

  it("sign-up refuses common passwords from across the first 3,000, in any case, with a reason", async () => {
    const fitting = list.filter((p) => [...p].length >= 8).slice(0, 3000);
    const sample = fitting.filter((_, i) => i % 25 === 0 || i < 10);
    for (const [i, password] of sample.entries()) {
      const variant = i % 3 === 0 ? password.toUpperCase() : i % 3 === 1 ? password[0]!.toUpperCase() + password.slice(1) : password;
      expect(weak(await trySignUp(variant))).toMatch(/common/i);
    }
  });

  it("the user's own e-mail address is refused as a password, with a reason", async () => {
    const email = uniqueEmail("ownaddress");
    for (const password of [email, email.toUpperCase(), `my ${email} pass`, email.slice(0, email.indexOf("@"))]) {
      expect(weak(await trySignUp(password, email))).toMatch(/e-mail/i);
    }
  });

  it("a password change applies the same policy (common, own e-mail, too short, too long) and keeps the old password", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    for (const newPassword of [list[0]!, account.email, "short", "z".repeat(129)]) {
      const response = await browser.post("/api/auth/change-password", { currentPassword: account.password, newPassword });
      weak(response, "newPassword");
    }
    expect(await signInStatus(account.email, account.password)).toBe(200);
  });

  it("a reset applies the same policy, and a refused choice does not spend the link", async () => {
    const account = await signUp(Browser.of(app));
    const token = await requestReset(app, account.email);
    const anonymous = Browser.of(app);
    for (const password of [list[1]!, account.email, "short", "z".repeat(129)]) {
      weak(await anonymous.post("/api/auth/password-reset/confirm", { token, password }));
    }
    expectStatus(await anonymous.post("/api/auth/password-reset/confirm", { token, password: "a sound new passphrase 1" }), 200);
    expect(await signInStatus(account.email, "a sound new passphrase 1")).toBe(200);
  });
});

describeWithDatabase(REQUIREMENTS.passwords.normalisation, () => {
  const equivalent: Array<[string, string, string]> = [
    ["a ligature and its letters", "\uFB01nally \uFB01xed passphrase", "finally fixed passphrase"],
    ["full-width and ASCII", "\uFF43\uFF4F\uFF52\uFF52\uFF45\uFF43\uFF54 \uFF48\uFF4F\uFF52\uFF53\uFF45 \uFF19", "correct horse 9"],
    ["composed and decomposed accents", "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e", "cafe\u0301 cre\u0300me bru\u0302le\u0301e"],
    ["superscript digits and digits", "power of two\u00b2\u00b3", "power of two23"],
  ];

  it.each(equivalent)("NFKC on set and verify: %s are the same password, both ways", async (_label, set, typed) => {
    const account = await signUp(Browser.of(app), uniqueEmail("nfkc"), set);
    expect(await signInStatus(account.email, typed)).toBe(200);
    expect(await signInStatus(account.email, set)).toBe(200);
    const other = await signUp(Browser.of(app), uniqueEmail("nfkc"), typed);
    expect(await signInStatus(other.email, set)).toBe(200);
  });

  it("nothing else is normalised: case, surrounding or doubled spaces, invisible characters all make another password", async () => {
    const password = "Exactly As Typed 42";
    const account = await signUp(Browser.of(app), uniqueEmail("exact"), password);
    for (const typed of ["exactly as typed 42", "EXACTLY AS TYPED 42", ` ${password}`, `${password} `, "Exactly  As Typed 42", "Exactly As\u200bTyped 42", `${password}\n`, "Exactly\u00a0As Typed 42".normalize("NFC")]) {
      // NBSP becomes a plain space under NFKC: that one is the same password, as documented.
      const expected = typed === "Exactly\u00a0As Typed 42" ? 200 : 401;
      expect([typed, await signInStatus(account.email, typed)]).toEqual([typed, expected]);
    }
    expect(await signInStatus(account.email, password)).toBe(200);
  });

  it("text that is not valid Unicode (unpaired surrogates) is refused, never folded into another password", async () => {
    const raw = (password: string) => `{"email":"${uniqueEmail("surrogate")}","password":"${password}"}`;
    for (const password of ["\\ud800".repeat(10), "abcdefgh\\udc00", "\\udfff\\ud800abcdefgh"]) {
      const response = await request(app.url, "/api/auth/sign-up", { method: "POST", raw: raw(password), headers: { Origin: app.url, "Content-Type": "application/json" } });
      expect(response.status).toBe(400);
    }
    // U+FFFD is what an unpaired surrogate turns into in UTF-8: such a password must not be reachable that way.
    const account = await signUp(Browser.of(app), uniqueEmail("replacement"), "\ufffd".repeat(10));
    const response = await request(app.url, "/api/auth/sign-in", {
      method: "POST",
      raw: `{"email":"${account.email}","password":"${"\\ud800".repeat(10)}"}`,
      headers: { Origin: app.url, "Content-Type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await signInStatus(account.email, "\ufffd".repeat(10))).toBe(200);
  });
});

describeWithDatabase(REQUIREMENTS.passwords.oversized, () => {
  /** Sends raw bytes and resolves with the status line and the time it took, closing after the answer. */
  function raw(head: string, body: Buffer | string, { finish = true } = {}): Promise<{ status: number; ms: number }> {
    const url = new URL(app.url);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let answer = "";
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error("no answer within 10 s"));
      }, 10_000);
      socket.on("data", (chunk) => {
        answer += chunk.toString("latin1");
        const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
        if (match) {
          clearTimeout(timer);
          socket.destroy();
          resolve({ status: Number(match[1]), ms: performance.now() - started });
        }
      });
      socket.on("error", (error) => {
        clearTimeout(timer);
        if (answer === "") reject(error);
      });
      socket.write(head);
      socket.write(body);
      if (finish) socket.end();
    });
  }

  it("a body over the limit is refused with 413 PAYLOAD_TOO_LARGE on every JSON route, declared or streamed", async () => {
    const big = JSON.stringify({ email: uniqueEmail(), password: "p".repeat(40_000) });
    for (const path of ["/api/auth/sign-up", "/api/auth/sign-in", "/api/auth/password-reset/confirm", "/api/auth/change-password", "/api/account"]) {
      const declared = await Browser.of(app).call(path === "/api/account" ? "DELETE" : "POST", path, { raw: big, headers: { "Content-Type": "application/json" } });
      expect(declared.status).toBe(413);
      expect(isErrorBody(declared.json) && declared.json.error.code).toBe("PAYLOAD_TOO_LARGE");
      const streamed = await Browser.of(app).call(path === "/api/account" ? "DELETE" : "POST", path, {
        raw: big,
        headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
      });
      expect(streamed.status).toBe(413);
    }
  });

  it("a declared Content-Length of 1 GB is answered 413 at once, before the body arrives", async () => {
    const url = new URL(app.url);
    const head =
      `POST /api/auth/sign-up HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${app.url}\r\nContent-Type: application/json\r\n` +
      `Content-Length: 1000000000\r\nConnection: close\r\n\r\n`;
    const { status, ms } = await raw(head, '{"email":"', { finish: false });
    expect(status).toBe(413);
    expect(ms).toBeLessThan(3000);
  });

  it("an over-long password is refused before hashing: far faster than a wrong password that is hashed", async () => {
    const account = await signUp(Browser.of(app));
    const tooLong = "L".repeat(129);
    const hashedTimes: number[] = [];
    const refusedTimes: number[] = [];
    const browser = Browser.of(app);
    for (let i = 0; i < 3; i++) await browser.post("/api/auth/sign-in", { email: account.email, password: tooLong }); // warm-up
    for (let i = 0; i < 12; i++) {
      const refused = await browser.post("/api/auth/sign-in", { email: account.email, password: tooLong });
      expect(refused.status).toBe(400);
      refusedTimes.push(refused.ms);
      const hashed = await browser.post("/api/auth/sign-in", { email: account.email, password: `wrong password ${i}` });
      expect(hashed.status).toBe(401);
      hashedTimes.push(hashed.ms);
    }
    // Coarse on purpose (2 shared cores): argon2id at 19 MiB costs ~20 ms, a refusal ~1–3 ms.
    expect(median(refusedTimes)).toBeLessThan(median(hashedTimes) * 0.6);
    expect(await signInStatus(account.email, account.password)).toBe(200);
  });
});
