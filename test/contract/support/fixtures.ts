import { ApiKey } from "../../../src/domain/api-key/api-key";
import type { AuthEvent, AuthEventType } from "../../../src/domain/shared/auth-event";
import { Session } from "../../../src/domain/session/session";
import { SessionPolicy } from "../../../src/domain/session/session-policy";
import { VerificationToken, type TokenPurpose } from "../../../src/domain/identity/verification-token";
import { Email } from "../../../src/domain/identity/email";
import type { PasswordHash } from "../../../src/domain/identity/password";
import { User } from "../../../src/domain/identity/user";
import { Invitation } from "../../../src/domain/team/invitation";
import { Team } from "../../../src/domain/team/team";
import type { TeamRole } from "../../../src/domain/team/team-role";

let counter = 0;
/** Unique within the run and shaped like the real ids (opaque, URL-safe). */
export function newId(kind = "id"): string {
  counter += 1;
  return `${kind}_${counter.toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

export const policy = new SessionPolicy();

export function email(raw: string): Email {
  const result = Email.create(raw);
  if (!result.ok) throw new Error(`test e-mail ${raw} is invalid`);
  return result.value;
}

export function aUser(now: Date, address = `${newId("user")}@example.com`): User {
  return User.create({ id: newId("usr"), email: email(address), passwordHash: "$argon2id$v=19$test" as PasswordHash }, now);
}

export function aSession(userId: string, now: Date, extra: { userAgent?: string | null; ip?: string | null } = {}): Session {
  return Session.create(
    { id: newId("ses"), userId, userAgent: extra.userAgent ?? "jest", ip: extra.ip ?? "127.0.0.1" },
    policy,
    now,
  );
}

export function aToken(
  userId: string,
  now: Date,
  options: { purpose?: TokenPurpose; ttlSeconds?: number; email?: string } = {},
): VerificationToken {
  return VerificationToken.create(
    {
      id: newId("tok"),
      userId,
      purpose: options.purpose ?? "verify-email",
      tokenHash: newId("hash").padEnd(64, "0"),
      email: options.email ?? "someone@example.com",
      ttlSeconds: options.ttlSeconds ?? 3600,
    },
    now,
  );
}

export function anApiKey(userId: string, now: Date, name = "ci"): ApiKey {
  return ApiKey.create({ id: newId("key"), userId, name, prefix: newId("pfx"), secretHash: newId("sh").padEnd(64, "0") }, now);
}

export function anEvent(
  userId: string | null,
  at: Date,
  type: AuthEventType = "sign-in.succeeded",
  detail: Record<string, string> = {},
): AuthEvent {
  return { id: newId("evt"), type, userId, at, ip: "203.0.113.9", userAgent: "jest", detail };
}

export function seconds(at: Date, n: number): Date {
  return new Date(at.getTime() + n * 1000);
}

export function aTeam(now: Date, name = "Rockets"): Team {
  return Team.create({ id: newId("team"), name }, now);
}

export function anInvitation(
  teamId: string,
  invitedBy: string,
  now: Date,
  options: { email?: string; role?: TeamRole; ttlSeconds?: number } = {},
): Invitation {
  return Invitation.create(
    {
      id: newId("inv"),
      teamId,
      email: email(options.email ?? "invitee@example.com"),
      role: options.role ?? "member",
      tokenHash: newId("ih").padEnd(64, "0"),
      invitedBy,
      ttlSeconds: options.ttlSeconds ?? 3600,
    },
    now,
  );
}
