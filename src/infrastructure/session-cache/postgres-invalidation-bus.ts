import { Client } from "pg";
import { BrokerInvalidationBus, type BrokerBusOptions } from "./broker-invalidation-bus";
import type { InvalidationBus } from "./invalidation-bus";

/**
 * Cache invalidations over PostgreSQL LISTEN/NOTIFY on one dedicated connection per instance, which
 * both listens and sends (a session receives its own notifications, which is what the heartbeat
 * relies on). Reconnects with a growing delay; while disconnected the bus is not live, so caches
 * built on it are cleared and bypassed.
 *
 * Not for the embedded PGlite server: PGlite is a single backend session behind pglite-socket, and
 * a notification reaches the socket that ran NOTIFY, not the one that ran LISTEN (checked with
 * pglite-socket 0.2.17). One process owns that database anyway, so a local bus is enough there.
 */
export class PostgresInvalidationBus extends BrokerInvalidationBus {
  private client: Client | null = null;
  private readonly dead = new WeakSet<Client>();
  private retryDelayMs = 100;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** The last command sent on the connection: the next one waits for it (see `send`). */
  private lastSend: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly url: string,
    options: BrokerBusOptions = {},
  ) {
    super(options);
    void this.connect();
  }

  /**
   * One command at a time on the connection: publishes, heartbeats and acknowledgements can all be
   * due at once, and pg only queues a query sent while another runs with a deprecation warning (pg 9
   * drops that). A dead connection fails its command, so the chain moves on after `lost` ends it.
   */
  protected send(payload: string): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error("not connected"));
    const sent = this.lastSend.then(async () => {
      if (this.client !== client) throw new Error("not connected");
      await client.query("SELECT pg_notify($1, $2)", [this.channel, payload]);
    });
    this.lastSend = sent.catch(() => undefined);
    return sent;
  }

  protected restart(): void {
    if (this.client) this.lost(this.client, "restart");
  }

  protected async disconnect(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      this.dead.add(client);
      await client.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    if (this.closed) return;
    // Bounded connect: a host that never answers must fail the attempt, so the reconnect loop goes on.
    const client = new Client({ connectionString: this.url, keepAlive: true, application_name: this.connectionName, connectionTimeoutMillis: 5_000 });
    client.on("error", (error) => this.lost(client, error.message));
    client.on("end", () => this.lost(client, "connection ended"));
    client.on("notification", (message) => {
      if (message.channel === this.channel && !this.dead.has(client)) this.received(message.payload);
    });
    try {
      await client.connect();
      // The channel name is checked against a strict identifier pattern in the base class.
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      this.lost(client, error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.dead.has(client) || this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.lastSend = Promise.resolve(); // nothing sent on the new connection waits for the old one
    this.retryDelayMs = 100;
    this.subscribed();
  }

  private lost(client: Client, reason: string): void {
    if (this.dead.has(client)) return;
    this.dead.add(client);
    if (this.client === client) this.client = null;
    this.unsubscribed(reason);
    // A socket that died silently may never answer `end`; destroy it so nothing waits on it.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    client.end().catch(() => undefined);
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => void this.connect(), this.retryDelayMs);
    this.reconnectTimer.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5000);
  }
}

export function createPostgresInvalidationBus(url: string, options?: BrokerBusOptions): InvalidationBus {
  return new PostgresInvalidationBus(url, options);
}
