import { EntitySchema } from "typeorm";
import type { PasswordHash } from "../../../../domain/identity/password";
import { emailSkeleton } from "../../../../domain/identity/email-skeleton";
import { User } from "../../../../domain/identity/user";

export interface UserRow {
  id: string;
  email: string;
  /**
   * What the address looks like (`emailSkeleton`), unique: a whole-script look-alike of an account's
   * address cannot become a second account. Null only for a pre-existing look-alike left as it was
   * when the column was added (see the EmailSkeleton migration).
   */
  emailSkeleton: string | null;
  passwordHash: string;
  emailVerifiedAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
}

// Explicit names and types everywhere: tsx emits no decorator metadata and minifiers rename classes.
export const UserSchema = new EntitySchema<UserRow>({
  name: "User",
  tableName: "users",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "users_pkey" },
    email: { type: "text" },
    emailSkeleton: { type: "text", name: "email_skeleton", nullable: true },
    passwordHash: { type: "text", name: "password_hash" },
    emailVerifiedAt: { type: "timestamptz", name: "email_verified_at", nullable: true },
    passwordChangedAt: { type: "timestamptz", name: "password_changed_at" },
    createdAt: { type: "timestamptz", name: "created_at" },
  },
  indices: [
    { name: "users_email_key", columns: ["email"], unique: true },
    { name: "users_email_skeleton_key", columns: ["emailSkeleton"], unique: true },
  ],
});

export function toUser(row: UserRow): User {
  return User.restore({
    id: row.id,
    email: row.email,
    passwordHash: row.passwordHash as PasswordHash,
    emailVerifiedAt: row.emailVerifiedAt,
    passwordChangedAt: row.passwordChangedAt,
    createdAt: row.createdAt,
  });
}

export function toUserRow(user: User): UserRow {
  const snapshot = user.toSnapshot();
  return { ...snapshot, emailSkeleton: emailSkeleton(snapshot.email) };
}
