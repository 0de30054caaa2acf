import type { UserRepository } from "../../../application/shared/ports/user-repository.port";
import { EmailTaken } from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { Email } from "../../../domain/identity/email";
import { emailSkeleton } from "../../../domain/identity/email-skeleton";
import { User } from "../../../domain/identity/user";
import type { TableAccess } from "./in-memory-database";

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly access: TableAccess) {}

  async findById(id: string): Promise<User | null> {
    const row = this.access.get("users", id);
    return row ? User.restore(row) : null;
  }

  async findByEmail(email: Email): Promise<User | null> {
    const row = this.access.rows("users").find((user) => user.email === email.value);
    return row ? User.restore(row) : null;
  }

  async findLookAlike(email: Email): Promise<User | null> {
    const skeleton = email.skeleton;
    const row = this.access.rows("users").find((user) => emailSkeleton(user.email) === skeleton);
    return row ? User.restore(row) : null;
  }

  /** The unique indexes on the canonical e-mail and on its skeleton. */
  private holdsAddress(email: string, exceptId: string | null): boolean {
    const skeleton = emailSkeleton(email);
    return this.access.rows("users").some((row) => row.id !== exceptId && (row.email === email || emailSkeleton(row.email) === skeleton));
  }

  async insert(user: User): Promise<Result<void, EmailTaken>> {
    const snapshot = user.toSnapshot();
    if (this.access.has("users", snapshot.id)) throw new Error(`duplicate user id ${snapshot.id}`);
    // The unique indexes, checked in the same synchronous step as the write.
    if (this.holdsAddress(snapshot.email, null)) return fail(new EmailTaken());
    this.access.set("users", snapshot.id, snapshot);
    return ok();
  }

  async save(user: User): Promise<void> {
    const snapshot = user.toSnapshot();
    if (!this.access.has("users", snapshot.id)) return;
    if (this.access.rows("users").some((row) => row.email === snapshot.email && row.id !== snapshot.id)) {
      throw new Error("unique violation: users.email");
    }
    this.access.set("users", snapshot.id, snapshot);
  }

  async saveNewEmail(user: User): Promise<Result<void, EmailTaken>> {
    const snapshot = user.toSnapshot();
    if (this.holdsAddress(snapshot.email, snapshot.id)) return fail(new EmailTaken());
    if (this.access.has("users", snapshot.id)) this.access.set("users", snapshot.id, snapshot);
    return ok();
  }

  async delete(id: string): Promise<void> {
    if (!this.access.has("users", id)) return;
    // Foreign keys with ON DELETE CASCADE in the database; spelled out here.
    for (const session of this.access.rows("sessions")) if (session.userId === id) this.access.delete("sessions", session.id);
    for (const token of this.access.rows("tokens")) if (token.userId === id) this.access.delete("tokens", token.id);
    for (const key of this.access.rows("apiKeys")) if (key.userId === id) this.access.delete("apiKeys", key.id);
    for (const passkey of this.access.rows("passkeys")) if (passkey.userId === id) this.access.delete("passkeys", passkey.id);
    for (const c of this.access.rows("passkeyChallenges")) if (c.userId === id) this.access.delete("passkeyChallenges", c.challenge);
    for (const m of this.access.rows("memberships")) if (m.userId === id) this.access.delete("memberships", `${m.teamId} ${m.userId}`);
    for (const inv of this.access.rows("invitations")) {
      if (inv.invitedBy === id) this.access.set("invitations", inv.id, { ...inv, invitedBy: null });
    }
    for (const token of this.access.rows("deviceTokens")) if (token.userId === id) this.access.delete("deviceTokens", token.id);
    for (const code of this.access.rows("deviceAuthorizations")) if (code.userId === id) this.access.delete("deviceAuthorizations", code.id);
    this.access.delete("totpFactors", id);
    for (const code of this.access.rows("recoveryCodes")) if (code.userId === id) this.access.delete("recoveryCodes", code.id);
    for (const row of this.access.rows("events")) if (row.event.userId === id) this.access.delete("events", row.event.id);
    this.access.delete("users", id);
  }
}
