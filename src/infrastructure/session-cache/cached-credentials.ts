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
abstract class CachedCredentials<T extends { readonly userId: string; toSnapshot(): S }, S> {
  constructor(
    private readonly kind: string,
    protected readonly cache: SessionCache | null,
    protected readonly report: WriteReport,
  ) {}

  protected abstract restore(snapshot: S): T;
  protected abstract read(prefix: string): Promise<T | null>;

  async findByPrefix(prefix: string): Promise<T | null> {
    if (!this.cache) return this.read(prefix);
    const key = `${this.kind}:${prefix}`;
    const cached = this.cache.getCredential<S>(key);
    if (cached) return this.restore(cached.snapshot);
    const ticket = this.cache.beginRead();
    const found = await this.read(prefix);
    if (found) this.cache.fillCredential(ticket, key, { userId: found.userId, snapshot: found.toSnapshot() });
    return found;
  }

  protected remember(prefix: string, id: string, at: Date): void {
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
  /** Prefix by id, for the last-use refresh (the port names the key by id there). */
  private readonly prefixes = new Map<string, string>();

  constructor(
    private readonly inner: ApiKeyRepository,
    cache: SessionCache | null,
    report: WriteReport,
  ) {
    super("api-key", cache, report);
  }

  protected restore(snapshot: ApiKeySnapshot): ApiKey {
    return ApiKey.restore(snapshot);
  }
  protected read(prefix: string): Promise<ApiKey | null> {
    return this.inner.findByPrefix(prefix);
  }
  override async findByPrefix(prefix: string): Promise<ApiKey | null> {
    const key = await super.findByPrefix(prefix);
    if (key && this.prefixes.size < 10_000) this.prefixes.set(key.id, key.prefix);
    return key;
  }

  insert(key: ApiKey): Promise<void> {
    return this.inner.insert(key);
  }
  listForUser(userId: string): Promise<ApiKey[]> {
    return this.inner.listForUser(userId);
  }
  async recordUse(id: string, at: Date, notBefore: Date): Promise<void> {
    await this.inner.recordUse(id, at, notBefore);
    const prefix = this.prefixes.get(id);
    if (prefix) this.remember(prefix, id, at);
  }
  revoke(id: string, userId: string, at: Date): Promise<boolean> {
    return this.revoked(() => this.inner.revoke(id, userId, at), userId);
  }
}

export class CachedDeviceTokenRepository extends CachedCredentials<DeviceToken, DeviceTokenSnapshot> implements DeviceTokenRepository {
  private readonly prefixes = new Map<string, string>();

  constructor(
    private readonly inner: DeviceTokenRepository,
    cache: SessionCache | null,
    report: WriteReport,
  ) {
    super("device", cache, report);
  }

  protected restore(snapshot: DeviceTokenSnapshot): DeviceToken {
    return DeviceToken.restore(snapshot);
  }
  protected read(prefix: string): Promise<DeviceToken | null> {
    return this.inner.findByPrefix(prefix);
  }
  override async findByPrefix(prefix: string): Promise<DeviceToken | null> {
    const token = await super.findByPrefix(prefix);
    if (token && this.prefixes.size < 10_000) this.prefixes.set(token.id, token.prefix);
    return token;
  }

  insert(token: DeviceToken): Promise<void> {
    return this.inner.insert(token);
  }
  listActiveForUser(userId: string, now: Date): Promise<DeviceToken[]> {
    return this.inner.listActiveForUser(userId, now);
  }
  async recordUse(id: string, at: Date, notBefore: Date): Promise<void> {
    await this.inner.recordUse(id, at, notBefore);
    const prefix = this.prefixes.get(id);
    if (prefix) this.remember(prefix, id, at);
  }
  revoke(id: string, userId: string, at: Date): Promise<boolean> {
    return this.revoked(() => this.inner.revoke(id, userId, at), userId);
  }
  revokeAllForUser(userId: string, at: Date): Promise<number> {
    return this.revoked(() => this.inner.revokeAllForUser(userId, at), userId);
  }
}
