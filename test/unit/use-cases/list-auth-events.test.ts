import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

describe("ListAuthEvents", () => {
  async function setup() {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    await auth.registerUser({ email: "bob@example.com" });
    for (let i = 0; i < 3; i++) {
      auth.clock.advance({ minutes: 1 });
      await auth.useCases.signIn.execute({ email: "ann@example.com", password: i === 1 ? "wrong-guess" : TEST_PASSWORD, context: TEST_CONTEXT });
    }
    return { auth, ann };
  }

  it("shows the user's recent security activity, newest first, without secrets", async () => {
    const { auth, ann } = await setup();
    const result = await auth.useCases.listAuthEvents.execute({ userId: ann.user.id });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.map((event) => event.type)).toEqual([
      "sign-in.succeeded",
      "sign-in.failed",
      "sign-in.succeeded",
      "email.verified",
      "sign-up",
    ]);
    expect(result.value.every((event) => event.userId === ann.user.id)).toBe(true);
    expect(result.value[0]).toMatchObject({ ip: TEST_CONTEXT.ip, userAgent: TEST_CONTEXT.userAgent });
    expect(JSON.stringify(result.value)).not.toMatch(/Vivid-Lantern|wrong-guess|st_/);
  });

  it.each([
    [2, 2],
    [0, 1],
    [-5, 1],
    [1000, 5],
    [Number.NaN, 5],
  ])("clamps a limit of %p to %p events here", async (limit, count) => {
    const { auth, ann } = await setup();
    const result = await auth.useCases.listAuthEvents.execute({ userId: ann.user.id, limit });
    expect(result.ok && result.value).toHaveLength(count);
  });
});
