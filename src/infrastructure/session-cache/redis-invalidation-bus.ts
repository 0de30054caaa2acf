import Redis from "ioredis";
import { BrokerInvalidationBus, type BrokerBusOptions } from "./broker-invalidation-bus";
import type { InvalidationBus } from "./invalidation-bus";

/**
 * Cache invalidations over Redis pub/sub: one subscriber connection (a subscribed Redis connection
 * can do nothing else) and one publisher. ioredis reconnects both by itself; we resubscribe on every
 * `ready` ourselves so we know when the subscription is back, and the heartbeat, sent through the
 * publisher and heard on the subscriber, proves the whole path before the cache is trusted again.
 */
export class RedisInvalidationBus extends BrokerInvalidationBus {
  private readonly subscriber: Redis;
  private readonly publisher: Redis;

  constructor(url: string, options: BrokerBusOptions = {}) {
    super(options);
    const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 6), 5000);
    this.subscriber = new Redis(url, {
      autoResubscribe: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      retryStrategy,
      connectionName: `${this.connectionName}-sub`,
    });
    // No offline queue: a publish while disconnected must fail fast into our own resend queue.
    this.publisher = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy,
      connectionName: `${this.connectionName}-pub`,
    });
    this.subscriber.on("message", (channel: string, payload: string) => {
      if (channel === this.channel) this.received(payload);
    });
    this.subscriber.on("ready", () => {
      this.subscriber.subscribe(this.channel).then(
        () => this.subscribed(),
        (error: unknown) => this.unsubscribed(error instanceof Error ? error.message : String(error)),
      );
    });
    for (const event of ["close", "end", "reconnecting"] as const) {
      this.subscriber.on(event, () => this.unsubscribed(`redis subscriber ${event}`));
    }
    // ioredis emits `error` on every failed reconnect; the state change is reported by `close`.
    this.subscriber.on("error", () => undefined);
    this.publisher.on("error", () => undefined);
  }

  protected async send(payload: string): Promise<void> {
    await this.publisher.publish(this.channel, payload);
  }

  protected restart(): void {
    this.subscriber.disconnect(true);
  }

  protected async disconnect(): Promise<void> {
    this.subscriber.disconnect(false);
    this.publisher.disconnect(false);
  }
}

export function createRedisInvalidationBus(url: string, options?: BrokerBusOptions): InvalidationBus {
  return new RedisInvalidationBus(url, options);
}
