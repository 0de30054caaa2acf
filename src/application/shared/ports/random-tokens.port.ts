export interface RandomTokens {
  /** A new identifier with ≥ 128 bits from a CSPRNG, URL-safe. */
  newId(): string;
  /** A new secret with 256 bits from a CSPRNG, URL-safe; shown once, stored only hashed. */
  newSecret(): string;
  /** SHA-256 of a secret, lower-case hex. */
  hash(secret: string): string;
}
