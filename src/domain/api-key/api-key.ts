export interface ApiKeySnapshot {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** Public, indexed part of the key, used to find it; shown in lists. */
  readonly prefix: string;
  /** SHA-256 of the whole secret, hex. A key is random and long, so a fast hash is the right one. */
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export const API_KEY_NAME_MAX_LENGTH = 100;

/** Hex, so the prefix never contains the `_` that separates the parts of a key. */
export const API_KEY_PREFIX_LENGTH = 16;

/** Parses `ak_<prefix>_<secret>` into the prefix used to find the key; null when malformed. */
export function apiKeyPrefixOf(presented: string): string | null {
  const match = /^ak_([0-9a-f]{16})_[A-Za-z0-9_-]{16,}$/.exec(presented);
  return match ? match[1]! : null;
}

export class ApiKey {
  private constructor(private state: ApiKeySnapshot) {}

  static create(
    props: { id: string; userId: string; name: string; prefix: string; secretHash: string },
    now: Date,
  ): ApiKey {
    const name = props.name.trim();
    if (name.length === 0 || name.length > API_KEY_NAME_MAX_LENGTH) {
      throw new RangeError(`API key name must be 1–${API_KEY_NAME_MAX_LENGTH} characters`);
    }
    return new ApiKey({ ...props, name, createdAt: now, lastUsedAt: null, revokedAt: null });
  }

  static restore(snapshot: ApiKeySnapshot): ApiKey {
    return new ApiKey({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get userId(): string {
    return this.state.userId;
  }
  get name(): string {
    return this.state.name;
  }
  get prefix(): string {
    return this.state.prefix;
  }
  get secretHash(): string {
    return this.state.secretHash;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get lastUsedAt(): Date | null {
    return this.state.lastUsedAt;
  }
  get revokedAt(): Date | null {
    return this.state.revokedAt;
  }
  get isRevoked(): boolean {
    return this.state.revokedAt !== null;
  }

  revoke(at: Date): void {
    if (this.state.revokedAt === null) this.state = { ...this.state, revokedAt: at };
  }

  toSnapshot(): ApiKeySnapshot {
    return { ...this.state };
  }
}
