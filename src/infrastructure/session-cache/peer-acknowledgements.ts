/**
 * Which other instances share the channel, and which of them still owe an acknowledgement for a
 * confirmed notice. Kept apart from the bus so the transport (send, heartbeat, resend) reads on its own.
 */
export class PeerAcknowledgements {
  /** Other instances on the channel → when they were last heard from. */
  private readonly peers = new Map<string, number>();
  /** Notice id → instances whose acknowledgement is still awaited, and what to call when none is. */
  private readonly awaiting = new Map<string, { peers: Set<string>; done: () => void }>();

  constructor(
    private readonly heartbeatMs: number,
    private readonly ackTimeoutMs: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** Records that `peer` was heard from; true when it was not known before. */
  heard(peer: string): boolean {
    const known = this.peers.has(peer);
    this.peers.set(peer, Date.now());
    return !known;
  }

  /** Other instances heard from within the last three heartbeats. */
  live(): string[] {
    const since = Date.now() - this.heartbeatMs * 3;
    const alive: string[] = [];
    for (const [origin, seenAt] of this.peers) {
      if (seenAt >= since) alive.push(origin);
      else this.peers.delete(origin);
    }
    return alive;
  }

  /** Resolves once every one of `peers` acknowledged notice `id`, or after the acknowledgement timeout. */
  await(id: string, peers: readonly string[]): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        const waiting = this.awaiting.get(id);
        if (waiting) this.warn(`no acknowledgement from ${waiting.peers.size} instance(s) within ${this.ackTimeoutMs} ms`);
        done();
      }, this.ackTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.awaiting.delete(id);
        resolve();
      };
      this.awaiting.set(id, { peers: new Set(peers), done });
    });
  }

  acknowledged(id: string, peer: string): void {
    const waiting = this.awaiting.get(id);
    if (!waiting) return;
    waiting.peers.delete(peer);
    if (waiting.peers.size === 0) waiting.done();
  }

  /** The peer said goodbye: nothing more is awaited from it. */
  forget(peer: string): void {
    this.peers.delete(peer);
    for (const id of [...this.awaiting.keys()]) this.acknowledged(id, peer);
  }

  /** Stops every wait (closing). */
  releaseAll(): void {
    for (const waiting of [...this.awaiting.values()]) waiting.done();
  }
}
