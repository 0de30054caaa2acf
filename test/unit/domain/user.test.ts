import { Email } from "../../../src/domain/identity/email";
import type { PasswordHash } from "../../../src/domain/identity/password";
import { User } from "../../../src/domain/identity/user";

const created = new Date("2030-01-01T00:00:00Z");
const later = new Date("2030-01-02T00:00:00Z");

function newUser(): User {
  return User.create({ id: "u1", email: Email.restore("ann@example.com"), passwordHash: "h1" as PasswordHash }, created);
}

describe("User", () => {
  it("starts unverified with its password set at creation", () => {
    const user = newUser();
    expect(user.emailVerified).toBe(false);
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.passwordChangedAt).toEqual(created);
    expect(user.createdAt).toEqual(created);
    expect(user.email).toBe("ann@example.com");
  });

  it("keeps the first verification time", () => {
    const user = newUser();
    user.markEmailVerified(created);
    user.markEmailVerified(later);
    expect(user.emailVerified).toBe(true);
    expect(user.emailVerifiedAt).toEqual(created);
  });

  it("distinguishes a password change from a hash upgrade", () => {
    const user = newUser();
    user.upgradePasswordHash("h2" as PasswordHash);
    expect(user.passwordHash).toBe("h2");
    expect(user.passwordChangedAt).toEqual(created);
    user.changePassword("h3" as PasswordHash, later);
    expect(user.passwordHash).toBe("h3");
    expect(user.passwordChangedAt).toEqual(later);
  });

  it("round-trips through a snapshot without sharing state", () => {
    const user = newUser();
    const copy = User.restore(user.toSnapshot());
    copy.markEmailVerified(later);
    expect(user.emailVerified).toBe(false);
    expect(copy.id).toBe("u1");
  });
});
