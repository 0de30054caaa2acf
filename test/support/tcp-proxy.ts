/**
 * A TCP proxy the test controls, put between the app and a backing service (PostgreSQL, SMTP) to play
 * its failures without touching the real server, which other suites keep using:
 *
 * - `forward`: a plain pipe.
 * - `refuse`: the port stops listening, so a connect fails at once with ECONNREFUSED (a stopped server).
 * - `reset`: connections are accepted and reset at once (a server that crashes on every connect).
 * - `blackhole`: connections are accepted and never answered (a partition, a hung host): only the
 *   client's own timeouts end them.
 *
 * A mode applies to new connections; `cutAll()` ends the established ones (a server restart),
 * `freezeAll()` stops moving bytes on them without closing them (a partition after connecting) and
 * `thawAll()` lets them carry on (the partition heals).
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export type ProxyMode = "forward" | "refuse" | "reset" | "blackhole";

interface Link {
  readonly client: Socket;
  upstream: Socket | null;
  frozen: boolean;
}

export class TcpProxy {
  private server: Server | null = null;
  private currentPort = 0;
  private currentMode: ProxyMode = "forward";
  private readonly links = new Set<Link>();
  /** Connections accepted so far, in every mode. */
  accepted = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = "127.0.0.1",
  ) {}

  get port(): number {
    return this.currentPort;
  }

  get mode(): ProxyMode {
    return this.currentMode;
  }

  /** Connections currently open through the proxy. */
  get open(): number {
    return this.links.size;
  }

  /** Listens on `port` (a free one when 0) and answers the port. */
  async start(port = 0): Promise<number> {
    await this.listen(port);
    return this.currentPort;
  }

  async setMode(mode: ProxyMode): Promise<void> {
    const previous = this.currentMode;
    this.currentMode = mode;
    if (mode === "refuse" && previous !== "refuse") await this.unlisten();
    if (mode !== "refuse" && previous === "refuse") await this.listen(this.currentPort);
  }

  /** Ends every established connection, both sides, as a server restart would. */
  cutAll(): void {
    for (const link of [...this.links]) this.close(link);
  }

  /** Established connections stop carrying bytes but stay open, as in a network partition. */
  freezeAll(): void {
    for (const link of this.links) {
      link.frozen = true;
      link.client.unpipe();
      link.upstream?.unpipe();
      link.client.pause();
      link.upstream?.pause();
    }
  }

  /** Frozen connections carry bytes again: the partition has healed and TCP delivers what was held back. */
  thawAll(): void {
    for (const link of this.links) {
      if (!link.frozen || !link.upstream) continue;
      link.frozen = false;
      link.client.pipe(link.upstream);
      link.upstream.pipe(link.client);
      link.client.resume();
      link.upstream.resume();
    }
  }

  async stop(): Promise<void> {
    this.cutAll();
    await this.unlisten();
  }

  private listen(port: number): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        this.server = server;
        this.currentPort = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /** Stops accepting at once; established connections live on until cut (close's callback would wait for them). */
  private unlisten(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.once("close", () => undefined);
      server.close();
      setImmediate(resolve);
    });
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    client.on("error", () => undefined);
    const link: Link = { client, upstream: null, frozen: false };
    switch (this.currentMode) {
      case "reset":
        client.resetAndDestroy();
        return;
      case "blackhole":
      case "refuse": // a connection that raced the listener's close
        this.links.add(link);
        client.on("close", () => this.links.delete(link));
        client.pause();
        return;
      case "forward":
        break;
    }
    this.links.add(link);
    const upstream = createConnection({ port: this.targetPort, host: this.targetHost });
    link.upstream = upstream;
    upstream.on("error", () => this.close(link));
    client.on("close", () => this.close(link));
    upstream.on("close", () => this.close(link));
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private close(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.destroy();
    link.upstream?.destroy();
  }
}
