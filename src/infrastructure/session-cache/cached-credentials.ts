import type { ApiKeyRepository } from "../../application/api-keys/api-key-repository.port";
import type { DeviceTokenRepository } from "../../application/devices/device-repositories.port";
import { ApiKey, type ApiKeySnapshot } from "../../domain/api-key/api-key";
import { DeviceToken, type DeviceTokenSnapshot } from "../../domain/device/device-token";
import type { WriteReport } from "./cached-repositories";
import type { SessionCache } from "./session-cache";

/**
 * Bearer credentials (API keys, device tokens) read by prefix on every bearer request, served from
 * the session cache and invalidated through the same bus as sessions. A credential is cached under its
 * owner: a revocation publishes the owner's user id, which every instance's cache applies by
 * forgetting that user's row, sessions and credentials (and the confirmed publish waits for every live
 * instance to have done so before the revoking request is answered). Evicting a user's sessions along
 * with a key costs one cache miss each; it spares a third kind of id on the wire and in the trigger.
 *
 * The last-use time is written through (at most once a minute per credential and instance) and kept in
 * this instance's copy; other instances need not learn it.
 */
interface Credential<S> {
  readonly id: string;
  readonly userId: string;
  readonly prefix: string;
  toSnapshot(): S;
}

/** What the cached stores read through: the store's own lookup by prefix and last-use write. */
interface CredentialReads<T> {
  findByPrefix(prefix: string): Promise<T | null>;
  recordUse(id: string, at: Date, notBefore: Date): Promise<void>;
}

abstract class CachedCredentials<T extends Credential<S>, S> {
  /** Prefix by id, for the last-use refresh (the port names the credential by id there). */
  private readonly prefixes = new Map<string, string>();

  constructor(
    private readonly kind: string,
    private readonly reads: CredentialReads<T>,
    protected readonly cache: SessionCache | null,
    protected readonly report: WriteReport,
  ) {}

  protected abstract restore(snapshot: S): T;

  async findByPrefix(prefix: string): Promise<T | null> {
    const found = await this.lookUp(prefix);
    if (found && this.prefixes.size < 10_000) this.prefixes.set(found.id, found.prefix);
    return found;
  }

  async recordUse(id: string, at: Date, notBefore: Date): Promise<void> {
    await this.reads.recordUse(id, at, notBefore);
    const prefix = this.prefixes.get(id);
    if (prefix) this.remember(prefix, id, at);
  }

  private async lookUp(prefix: string): Promise<T | null> {
    if (!this.cache) return this.reads.findByPrefix(prefix);
    const key = `${this.kind}:${prefix}`;
    const cached = this.cache.getCredential<S>(key);
    if (cached) return this.restore(cached.snapshot);
    const ticket = this.cache.beginRead();
    const found = await this.reads.findByPrefix(prefix);
    if (found) this.cache.fillCredential(ticket, key, { userId: found.userId, snapshot: found.toSnapshot() });
    return found;
  }

  private remember(prefix: string, id: string, at: Date): void {
    if (!this.cache) return;
    const key = `${this.kind}:${prefix}`;
    const cached = this.cache.getCredential<S & { id: string; lastUsedAt: Date | null }>(key);
    if (cached && cached.snapshot.id === id) this.cache.refreshCredential(key, { ...cached, snapshot: { ...cached.snapshot, lastUsedAt: at } });
  }

  protected async revoked<R>(work: () => Promise<R>, userId: string): Promise<R> {
    try {
      return await work();
    } finally {
      await this.report.wrote({ users: [userId], confirm: true });
    }
  }
}

export class CachedApiKeyRepository extends CachedCredentials<ApiKey, ApiKeySnapshot> implements ApiKeyRepository {
  constructor(
    private readonly inner: ApiKeyRepository,
    cache: SessionCache | null,
    report: WriteReport,
  ) {
    super("api-key", inner, cache, report);
  }

  protected restore(snapshot: ApiKeySnapshot): ApiKey {
    return ApiKey.restore(snapshot);
  }

  insert(key: ApiKey): Promise<void> {
    return this.inner.insert(key);
  }
  listForUser(userId: string): Promise<ApiKey[]> {
    return this.inner.listForUser(userId);
  }
  revoke(id: string, userId: string, at: Date): Promise<boolean> {
    return this.revoked(() => this.inner.revoke(id, userId, at), userId);
  }
}

export class CachedDeviceTokenRepository extends CachedCredentials<DeviceToken, DeviceTokenSnapshot> implements DeviceTokenRepository {
  constructor(
    private readonly inner: DeviceTokenRepository,
    cache: SessionCache | null,
    report: WriteReport,
  ) {
    super("device", inner, cache, report);
  }

  protected restore(snapshot: DeviceTokenSnapshot): DeviceToken {
    return DeviceToken.restore(snapshot);
  }

  insert(token: DeviceToken): Promise<void> {
    return this.inner.insert(token);
  }
  listActiveForUser(userId: string, now: Date): Promise<DeviceToken[]> {
    return this.inner.listActiveForUser(userId, now);
  }
  revoke(id: string, userId: string, at: Date): Promise<boolean> {
    return this.revoked(() => this.inner.revoke(id, userId, at), userId);
  }
  revokeAllForUser(userId: string, at: Date): Promise<number> {
    return this.revoked(() => this.inner.revokeAllForUser(userId, at), userId);
  }
}
