/**
 * What changed, as far as the session cache cares: session ids whose row was written (a revoke also
 * ends predecessors still inside their rotation grace, so those go with it), and user ids whose row
 * was written or deleted (all of that user's cached sessions go with them).
 */
export interface InvalidationNotice {
  readonly sessions?: readonly string[];
  readonly users?: readonly string[];
  /** Forget everything (an unreadable message, or an operator's `NOTIFY … '{"a":true}'`). */
  readonly all?: boolean;
  /**
   * Publishing waits until every other live instance has applied the notice (or a short timeout):
   * for revocations, so the response that confirms one is only sent once no instance still serves
   * the old row. Left off for writes nobody needs to wait for (a session's last-seen time).
   */
  readonly confirm?: boolean;
}

/**
 * Called by a bus. `onNotice` carries another instance's writes (a bus never echoes the notices of
 * its own instance: those were evicted locally already). `onLive(false)` means notices may be lost
 * from now on, so the cache must be cleared and bypassed; `onLive(true)` means the subscription is
 * confirmed again (a heartbeat made the round trip) and anything missed meanwhile must be forgotten.
 */
export interface InvalidationListener {
  onNotice(notice: InvalidationNotice): void;
  onLive(live: boolean): void;
}

/** Fans cache invalidations out to every instance of the app that shares the database. */
export interface InvalidationBus {
  /** Whether notices from other instances are known to arrive right now. */
  readonly live: boolean;
  subscribe(listener: InvalidationListener): () => void;
  /**
   * Sends a notice to the other instances. Resolves once it is handed to the broker and, when
   * `notice.confirm` is set, every other live instance has acknowledged applying it, or after a short
   * timeout (an undelivered notice is queued and resent when the connection is back). Never rejects,
   * so a write that already committed is never reported as failed because of the fan-out.
   */
  publish(notice: InvalidationNotice): Promise<void>;
  /** Resolves when live, or rejects after `timeoutMs`. */
  whenLive(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * For a single instance (the embedded PGlite database can only be opened by one process, and the
 * in-memory store lives in one): local eviction is all there is to do, and it is always live.
 */
export function createLocalInvalidationBus(): InvalidationBus {
  const listeners = new Set<InvalidationListener>();
  return {
    live: true,
    subscribe(listener) {
      listeners.add(listener);
      listener.onLive(true);
      return () => listeners.delete(listener);
    },
    async publish() {},
    async whenLive() {},
    async close() {
      listeners.clear();
    },
  };
}

/** The wire format shared by both brokers and by the database trigger (which sends no origin). */
export interface WireMessage {
  /** The instance that sent it; absent when a trigger in the database sent it. */
  readonly o?: string;
  readonly s?: readonly string[];
  readonly u?: readonly string[];
  readonly a?: boolean;
  /** A heartbeat: its sender proves its subscription, the others learn that it is alive. */
  readonly hb?: number;
  /** The notice's id, when its sender waits for acknowledgements (`k`). */
  readonly n?: string;
  readonly k?: boolean;
  /** An acknowledgement of notice `ack`, meant for instance `to`. */
  readonly ack?: string;
  readonly to?: string;
  /** The sender is shutting down: stop waiting for its acknowledgements. */
  readonly bye?: boolean;
}

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; ids are short, so chunks of 100 stay well below. */
export const IDS_PER_MESSAGE = 100;

export function toWireMessages(origin: string, notice: InvalidationNotice): WireMessage[] {
  const sessions = [...(notice.sessions ?? [])];
  const users = [...(notice.users ?? [])];
  const messages: WireMessage[] = notice.all ? [{ o: origin, a: true }] : [];
  while (sessions.length > 0 || users.length > 0) {
    const s = sessions.splice(0, IDS_PER_MESSAGE);
    const u = users.splice(0, IDS_PER_MESSAGE);
    messages.push({ o: origin, ...(s.length ? { s } : {}), ...(u.length ? { u } : {}) });
  }
  return messages;
}

/** Null when the payload is not ours or malformed: the caller then fails safe and clears the cache. */
export function parseWireMessage(payload: string | undefined): WireMessage | null {
  if (!payload) return null;
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    const message = value as Record<string, unknown>;
    const ids = (x: unknown) => x === undefined || (Array.isArray(x) && x.every((id) => typeof id === "string"));
    if (!ids(message.s) || !ids(message.u)) return null;
    if (message.o !== undefined && typeof message.o !== "string") return null;
    if (message.hb !== undefined && typeof message.hb !== "number") return null;
    if (message.a !== undefined && typeof message.a !== "boolean") return null;
    for (const key of ["n", "ack", "to"] as const) if (message[key] !== undefined && typeof message[key] !== "string") return null;
    for (const key of ["k", "bye"] as const) if (message[key] !== undefined && typeof message[key] !== "boolean") return null;
    return message as WireMessage;
  } catch {
    return null;
  }
}
