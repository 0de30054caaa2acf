import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { deviceTokenFor } from "../devices/device-flow";

async function setUp() {
  const auth = createInMemoryAuth();
  const ann = await auth.registerUser({ email: "ann@example.com", context: { ip: "203.0.113.7", userAgent: null } });
  return { auth, ann };
}

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? "OK" : result.error!.code);

describe("AuthenticateRequest, the edges", () => {
  it("names a session opened without a user agent \"Browser session\", and hands back a new token when it rotates", async () => {
    const { auth, ann } = await setUp();
    const first = await auth.useCases.authenticateRequest.execute({ sessionToken: ann.token });
    expect(first.ok && first.value.credential).toEqual({ kind: "session", id: ann.session.id, name: "Browser session" });
    expect(first.ok && "token" in first.value).toBe(false);

    auth.clock.advance({ seconds: auth.settings.session.rotateAfterSeconds + 1 });
    const rotated = await auth.useCases.authenticateRequest.execute({ sessionToken: ann.token });
    if (!rotated.ok) throw new Error(rotated.error.code);
    expect(rotated.value.token).toEqual(expect.any(String));
    expect(rotated.value.session?.id).not.toBe(ann.session.id);
  });

  it("records a device token's last use at most once a minute", async () => {
    const { auth, ann } = await setUp();
    const token = await deviceTokenFor(auth, ann);
    const lastUse = async () => [...auth.db.tables.deviceTokens.values()][0]!.lastUsedAt;
    const first = auth.clock.now();
    expect(codeOf(await auth.useCases.authenticateRequest.execute({ bearer: token }))).toBe("OK");
    auth.clock.advance({ seconds: 30 });
    await auth.useCases.authenticateRequest.execute({ bearer: token });
    expect(await lastUse()).toEqual(first);
    auth.clock.advance({ seconds: 31 });
    await auth.useCases.authenticateRequest.execute({ bearer: token });
    expect(await lastUse()).toEqual(auth.clock.now());
  });

  it("refuses an API key or device token whose account is gone", async () => {
    const { auth, ann } = await setUp();
    const device = await deviceTokenFor(auth, ann);
    const created = await auth.useCases.createApiKey.execute({ userId: ann.user.id, sessionId: ann.session.id, name: "deploy" });
    if (!created.ok) throw new Error(created.error.code);
    auth.db.tables.users.delete(ann.user.id);
    expect(codeOf(await auth.useCases.authenticateRequest.execute({ bearer: created.value.secret }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await auth.useCases.authenticateRequest.execute({ bearer: device }))).toBe("UNAUTHENTICATED");
  });
});
