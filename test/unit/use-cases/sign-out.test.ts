import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

const ROTATE = 3600;

async function setup() {
  const auth = createInMemoryAuth({ settings: { session: { rotateAfterSeconds: ROTATE, rotationGraceSeconds: 30 } } });
  const signedUp = await auth.registerUser({ email: "ann@example.com" });
  return { auth, ...signedUp };
}

describe("SignOut", () => {
  it("ends the session the cookie names and records it", async () => {
    const { auth, token, user } = await setup();
    const other = await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });

    expect((await auth.useCases.signOut.execute({ token, context: TEST_CONTEXT })).ok).toBe(true);

    expect((await auth.useCases.authenticateSession.execute({ token })).ok).toBe(false);
    expect((await auth.useCases.authenticateSession.execute({ token: other.ok ? other.value.token : "" })).ok).toBe(true);
    expect((await auth.stores.events.listForUser(user.id, 1))[0]?.type).toBe("sign-out");
  });

  it("also ends a predecessor still inside its rotation grace", async () => {
    const { auth, token } = await setup();
    auth.clock.advance({ seconds: ROTATE });
    const rotated = await auth.useCases.authenticateSession.execute({ token });
    const newToken = rotated.ok ? rotated.value.token! : "";

    await auth.useCases.signOut.execute({ token: newToken });

    expect((await auth.useCases.authenticateSession.execute({ token })).ok).toBe(false);
    expect((await auth.useCases.authenticateSession.execute({ token: newToken })).ok).toBe(false);
  });

  it("with an old cookie inside the grace, also ends the successor", async () => {
    const { auth, token } = await setup();
    auth.clock.advance({ seconds: ROTATE });
    const rotated = await auth.useCases.authenticateSession.execute({ token });
    const newToken = rotated.ok ? rotated.value.token! : "";

    await auth.useCases.signOut.execute({ token });

    expect((await auth.useCases.authenticateSession.execute({ token: newToken })).ok).toBe(false);
  });

  it.each([
    ["no cookie", undefined],
    ["a forged cookie", "st_nonsense"],
  ])("succeeds with %s, so the client can always clear it", async (_label, token) => {
    const { auth } = await setup();
    expect((await auth.useCases.signOut.execute({ token })).ok).toBe(true);
  });

  it("records nothing for a session already ended", async () => {
    const { auth, token, user } = await setup();
    await auth.useCases.signOut.execute({ token });
    await auth.useCases.signOut.execute({ token });
    expect(auth.stores.events.all().filter((e) => e.type === "sign-out" && e.userId === user.id)).toHaveLength(1);
  });
});
