import type { InvalidationBus, InvalidationListener, InvalidationNotice } from "../../../../src/infrastructure/session-cache";

/**
 * An in-process stand-in for PostgreSQL/Redis fan-out between "instances" in one test, with the
 * failure modes a real broker has: a connection that goes down, and notices that are lost.
 */
export class MemoryBroker {
  private readonly buses = new Set<MemoryBus>();
  /** While true, published notices vanish (a broker that accepted them but never delivered). */
  dropping = false;

  bus(): MemoryBus {
    const bus = new MemoryBus(this);
    this.buses.add(bus);
    return bus;
  }

  deliver(from: MemoryBus, notice: InvalidationNotice): void {
    if (this.dropping) return;
    for (const bus of this.buses) if (bus !== from) bus.receive(notice);
  }
}

export class MemoryBus implements InvalidationBus {
  private readonly listeners = new Set<InvalidationListener>();
  private isLive = true;
  published = 0;

  constructor(private readonly broker: MemoryBroker) {}

  get live(): boolean {
    return this.isLive;
  }

  setLive(live: boolean): void {
    this.isLive = live;
    for (const listener of this.listeners) listener.onLive(live);
  }

  receive(notice: InvalidationNotice): void {
    if (!this.isLive) return;
    for (const listener of this.listeners) listener.onNotice(notice);
  }

  subscribe(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    listener.onLive(this.isLive);
    return () => this.listeners.delete(listener);
  }

  async publish(notice: InvalidationNotice): Promise<void> {
    this.published++;
    this.broker.deliver(this, notice);
  }

  async whenLive(): Promise<void> {}

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
