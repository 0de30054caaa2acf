import type { EmailTaken } from "../../../domain/shared/domain-error";
import type { Result } from "../../../domain/shared/result";
import type { Email } from "../../../domain/identity/email";
import type { User } from "../../../domain/identity/user";

export interface UserRepository {
  findById(id: string): Promise<User | null>;
  findByEmail(email: Email): Promise<User | null>;
  /**
   * The account whose address looks like this one (the same skeleton, see `emailSkeleton`): the
   * account of this very address, or of a look-alike of it written in another script.
   */
  findLookAlike(email: Email): Promise<User | null>;
  /**
   * Uniqueness of the canonical e-mail and of its skeleton is the store's (unique indexes), not a
   * check-then-insert: a look-alike of an account's address is as taken as the address itself.
   */
  insert(user: User): Promise<Result<void, EmailTaken>>;
  save(user: User): Promise<void>;
  /** Saves a user whose address changed; EmailTaken when another account holds it or a look-alike of it (the unique indexes decide). */
  saveNewEmail(user: User): Promise<Result<void, EmailTaken>>;
  /** Removes the user; sessions, tokens, API keys and events of theirs go with it. */
  delete(id: string): Promise<void>;
}
