import type { EmailTaken } from "../../../domain/shared/domain-error";
import type { Result } from "../../../domain/shared/result";
import type { Email } from "../../../domain/identity/email";
import type { User } from "../../../domain/identity/user";

export interface UserRepository {
  findById(id: string): Promise<User | null>;
  findByEmail(email: Email): Promise<User | null>;
  /** Uniqueness of the canonical e-mail is the store's (a unique index), not a check-then-insert. */
  insert(user: User): Promise<Result<void, EmailTaken>>;
  save(user: User): Promise<void>;
  /** Saves a user whose address changed; EmailTaken when another account holds it now (the unique index decides). */
  saveNewEmail(user: User): Promise<Result<void, EmailTaken>>;
  /** Removes the user; sessions, tokens, API keys and events of theirs go with it. */
  delete(id: string): Promise<void>;
}
