import { randomBytes } from "node:crypto";
import {
  parseWireMessage,
  toWireMessages,
  type InvalidationBus,
  type InvalidationListener,
  type InvalidationNotice,
} from "./invalidation-bus";
import { PeerAcknowledgements } from "./peer-acknowledgements";

export interface BrokerBusOptions {
  /** Name of the PostgreSQL channel / Redis pub-sub channel every instance shares. */
  readonly channel?: string;
  /**
   * How often the bus sends itself a heartbeat through the broker. A connection that died silently
   * (no FIN, no error) is noticed after about 2.5 of these, and the cache is bypassed from then on.
   */
  readonly heartbeatMs?: number;
  /** How long `publish` waits for the broker before queueing the notice for a resend. */
  readonly publishTimeoutMs?: number;
  /**
   * How long a confirmed publish waits for the other instances' acknowledgements. An instance that
   * does not answer in time is either slow (it applies the notice a little later) or cut off from
   * the broker (then its own cache is bypassed), so the wait is short.
   */
  readonly ackTimeoutMs?: number;
  /** Notices kept for a resend while the broker is unreachable. */
  readonly maxPending?: number;
  /** How the bus's connections name themselves to the server (PostgreSQL application_name, Redis CLIENT SETNAME). */
  readonly connectionName?: string;
  /** Where connection trouble is reported; one line each, never a payload. */
  readonly warn?: (message: string) => void;
}

export const DEFAULT_CHANNEL = "auth_session_cache";

/**
 * What PostgreSQL LISTEN/NOTIFY and Redis pub/sub have in common: an origin id so an instance ignores
 * its own notices, a heartbeat that must make the round trip through the broker before the cache is
 * trusted (and again every few seconds), and a small queue of notices to resend after an outage.
 */
export abstract class BrokerInvalidationBus implements InvalidationBus {
  protected readonly origin = randomBytes(12).toString("base64url");
  protected readonly channel: string;
  protected readonly heartbeatMs: number;
  protected readonly warn: (message: string) => void;
  protected readonly connectionName: string;
  private readonly publishTimeoutMs: number;
  private readonly acks: PeerAcknowledgements;
  private noticeSeq = 0;
  private readonly maxPending: number;
  private readonly listeners = new Set<InvalidationListener>();
  private readonly pending: string[] = [];
  private readonly liveWaiters = new Set<() => void>();
  private isLive = false;
  private lastEchoAt = 0;
  /** When the current subscription was made; 0 while there is none. */
  private subscribedAt = 0;
  private heartbeatSeq = 0;
  private flushing = false;
  private timer: NodeJS.Timeout | null = null;
  protected closed = false;

  protected constructor(options: BrokerBusOptions) {
    this.channel = options.channel ?? DEFAULT_CHANNEL;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.channel)) throw new RangeError(`invalid channel name ${this.channel}`);
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 1000;
    this.maxPending = options.maxPending ?? 1000;
    this.connectionName = options.connectionName ?? "session-cache-bus";
    this.warn = options.warn ?? ((message) => console.warn(`[session-cache] ${message}`));
    this.acks = new PeerAcknowledgements(this.heartbeatMs, options.ackTimeoutMs ?? 500, this.warn);
  }

  /** Hands one payload to the broker; rejects when the connection is not usable. */
  protected abstract send(payload: string): Promise<void>;
  /** Drops the connection(s) and reconnects (the heartbeat found them silently dead). */
  protected abstract restart(): void;
  protected abstract disconnect(): Promise<void>;

  get live(): boolean {
    return this.isLive;
  }

  subscribe(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    listener.onLive(this.isLive);
    return () => this.listeners.delete(listener);
  }

  async publish(notice: InvalidationNotice): Promise<void> {
    if (this.closed) return;
    // Acknowledgements can only come back over a live subscription, and only from instances we know.
    const peers = notice.confirm && this.isLive ? this.acks.live() : [];
    const messages = toWireMessages(this.origin, notice).map((message) =>
      peers.length > 0 ? { ...message, n: `${this.origin}.${++this.noticeSeq}`, k: true } : message,
    );
    const acks = messages.map((message) => (message.n ? this.acks.await(message.n, peers) : Promise.resolve()));
    await Promise.all(messages.map((message) => this.deliver(JSON.stringify(message))));
    await Promise.all(acks);
  }

  whenLive(timeoutMs = 10_000): Promise<void> {
    if (this.isLive) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.liveWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.liveWaiters.delete(done);
        reject(new Error(`invalidation bus not live after ${timeoutMs} ms`));
      }, timeoutMs);
      this.liveWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    // Best effort, so the others stop waiting for our acknowledgements now rather than at a timeout.
    await this.withTimeout(this.send(JSON.stringify({ o: this.origin, bye: true }))).catch(() => undefined);
    this.closed = true;
    this.acks.releaseAll();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.setLive(false);
    this.listeners.clear();
    await this.disconnect();
  }

  /** The subscription is in place: resend what was queued and prove the round trip. */
  protected subscribed(): void {
    if (this.closed) return;
    this.subscribedAt = Date.now();
    this.startTimer();
    void this.flushPending();
    void this.sendHeartbeat();
  }

  /** The subscription is gone: notices may be missed from now on. */
  protected unsubscribed(reason: string): void {
    this.subscribedAt = 0;
    if (this.isLive) this.warn(`invalidation bus lost (${reason}); bypassing the cache until resubscribed`);
    this.setLive(false);
  }

  protected received(payload: string | undefined): void {
    const message = parseWireMessage(payload);
    if (message === null) {
      // Someone wrote something we cannot read on our channel: forget everything rather than guess.
      this.emit({ all: true });
      return;
    }
    if (message.o === this.origin) {
      if (message.hb !== undefined) {
        this.lastEchoAt = Date.now();
        this.setLive(true);
      }
      return;
    }
    const sender = message.o;
    if (sender !== undefined) {
      if (message.bye) {
        this.acks.forget(sender);
        return;
      }
      const isNew = this.acks.heard(sender);
      // A newcomer learns about us at once, not at our next heartbeat, so it waits for us too.
      if (isNew && message.hb !== undefined) void this.sendHeartbeat();
    }
    if (message.ack !== undefined) {
      if (message.to === this.origin && sender !== undefined) this.acks.acknowledged(message.ack, sender);
      return;
    }
    if (message.hb !== undefined) return;
    // Applied (synchronously, by the cache) before it is acknowledged.
    this.emit({ sessions: message.s, users: message.u, all: message.a });
    if (message.k && message.n !== undefined && sender !== undefined) {
      void this.withTimeout(this.send(JSON.stringify({ o: this.origin, ack: message.n, to: sender }))).catch(() => undefined);
    }
  }

  private emit(notice: InvalidationNotice): void {
    for (const listener of this.listeners) listener.onNotice(notice);
  }

  private setLive(live: boolean): void {
    if (live === this.isLive) return;
    this.isLive = live;
    for (const listener of this.listeners) listener.onLive(live);
    if (live) for (const waiter of [...this.liveWaiters]) waiter();
  }

  private startTimer(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.tick(), this.heartbeatMs);
    this.timer.unref();
  }

  private tick(): void {
    const silentFor = Date.now() - Math.max(this.lastEchoAt, this.subscribedAt);
    if (this.subscribedAt > 0 && silentFor > this.heartbeatMs * 2.5) {
      this.unsubscribed(`no heartbeat for ${silentFor} ms`);
      this.restart();
      return;
    }
    void this.flushPending();
    void this.sendHeartbeat();
  }

  private async sendHeartbeat(): Promise<void> {
    try {
      await this.withTimeout(this.send(JSON.stringify({ o: this.origin, hb: ++this.heartbeatSeq })));
    } catch {
      // The missing echo is what counts; `tick` acts on it.
    }
  }

  private async deliver(payload: string): Promise<void> {
    try {
      await this.withTimeout(this.send(payload));
    } catch {
      this.queue(payload);
    }
  }

  private queue(payload: string): void {
    if (this.pending.length >= this.maxPending) {
      // Other instances then rely on their entry TTL for the notices dropped here.
      this.pending.shift();
      this.warn("too many unsent invalidation notices; dropping the oldest");
    }
    this.pending.push(payload);
  }

  private async flushPending(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0 && !this.closed) {
        const payload = this.pending[0]!;
        await this.withTimeout(this.send(payload));
        this.pending.shift();
      }
    } catch {
      // Still unreachable; the next heartbeat tick tries again.
    } finally {
      this.flushing = false;
    }
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("broker timeout")), this.publishTimeoutMs);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
