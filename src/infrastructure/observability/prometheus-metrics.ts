import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AuthMetrics } from "../../application/shared/ports/metrics.port";

/** What the outbox reports at scrape time. */
export interface OutboxStats {
  readonly depth: number;
  /** Age of the oldest unsent mail, 0 when there is none. */
  readonly oldestAgeSeconds: number;
}

/** Live readings the telemetry asks for at scrape time; set once the product has booted. */
export interface TelemetrySources {
  hashing?(): { readonly running: number; readonly queued: number; readonly refused: number };
  sessionChecks?(): { readonly hits: number; readonly misses: number; readonly bypasses: number };
  busConnected?(): boolean;
  outbox?(): Promise<OutboxStats>;
}

/** What the mail dispatcher and the outbox count. */
export interface MailMetrics {
  mailQueued(template: string): void;
  mailSent(template: string): void;
  /** A temporary failure: the mail is tried again later. */
  mailRetried(template: string): void;
  /** Ended as failed: refused for good, or still undelivered after the longest retry age. */
  mailFailed(template: string, reason: "permanent" | "expired"): void;
}

/** Everything that records into the metrics, one per process; prom-client never leaves this file. */
export interface Telemetry extends AuthMetrics, MailMetrics {
  /** A finished HTTP request; `route` is a template (`/api/teams/:id`), never a raw path. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** How long an invalidation took to reach the other instances (confirmed or timed out). */
  fanOut(seconds: number): void;
  watch(sources: TelemetrySources): void;
  /** The Prometheus text exposition of this process's registry. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
}

const OUTBOX_READ_TIMEOUT_MS = 1_000;

/**
 * prom-client with a registry of this process's own (not the library's global one), so two
 * products in one process, or a test's product, never mix their counts; each instance of the app
 * is scraped on its own.
 */
export class PrometheusTelemetry implements Telemetry {
  private readonly registry = new Registry();
  private sources: TelemetrySources = {};
  private readonly signIns: Counter<"outcome">;
  private readonly signUps: Counter<"outcome">;
  private readonly throttles: Counter<"limit">;
  private readonly locks: Counter<"limit">;
  private readonly mails: Counter<"template" | "result">;
  private readonly requests: Histogram<"method" | "route" | "status">;
  private readonly fanOuts: Histogram;

  constructor(options: { readonly defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const self = () => this.sources;
    this.signIns = new Counter({ name: "nextauth_sign_ins_total", help: "Sign-in attempts by outcome (success or the refusal's code).", labelNames: ["outcome"], registers });
    this.signUps = new Counter({ name: "nextauth_sign_ups_total", help: "Sign-up attempts by outcome (success or the refusal's code).", labelNames: ["outcome"], registers });
    this.throttles = new Counter({ name: "nextauth_throttled_total", help: "Requests refused by a rate limit, by limit.", labelNames: ["limit"], registers });
    this.locks = new Counter({ name: "nextauth_locked_total", help: "Sign-ins refused because the account is locked until a password reset, by limit.", labelNames: ["limit"], registers });
    this.mails = new Counter({
      name: "nextauth_mails_total",
      help: "Outbox mails by what happened: queued, sent, retried (temporary failure), failed_permanent, failed_expired.",
      labelNames: ["template", "result"],
      registers,
    });
    new Gauge({
      name: "nextauth_outbox_depth",
      help: "Mails in the outbox not sent and not failed.",
      registers,
      async collect() {
        const stats = await readOutbox(self());
        if (stats) this.set(stats.depth);
      },
    });
    new Gauge({
      name: "nextauth_outbox_oldest_age_seconds",
      help: "Age of the oldest mail waiting in the outbox (0 when none).",
      registers,
      async collect() {
        const stats = await readOutbox(self());
        if (stats) this.set(stats.oldestAgeSeconds);
      },
    });
    new Gauge({
      name: "nextauth_password_hashing_in_flight",
      help: "Password hashes running now.",
      registers,
      collect() {
        this.set(self().hashing?.().running ?? 0);
      },
    });
    new Gauge({
      name: "nextauth_password_hashing_queued",
      help: "Password hashes waiting for a slot.",
      registers,
      collect() {
        this.set(self().hashing?.().queued ?? 0);
      },
    });
    new Counter({
      name: "nextauth_password_hashing_refused_total",
      help: "Password hashes refused (queue full or waited too long): answered 503 OVERLOADED.",
      registers,
      collect() {
        this.reset();
        this.inc(self().hashing?.().refused ?? 0);
      },
    });
    new Counter({
      name: "nextauth_session_checks_total",
      help: "Session and credential reads by path: hit (from the cache), miss (read and cached), bypassed (read, not cacheable).",
      labelNames: ["path"],
      registers,
      collect() {
        const stats = self().sessionChecks?.() ?? { hits: 0, misses: 0, bypasses: 0 };
        this.reset();
        this.inc({ path: "hit" }, stats.hits);
        this.inc({ path: "miss" }, stats.misses);
        this.inc({ path: "bypassed" }, stats.bypasses);
      },
    });
    new Gauge({
      name: "nextauth_invalidation_bus_connected",
      help: "1 while cache invalidations from other instances are known to arrive, else 0 (the cache is then bypassed).",
      registers,
      collect() {
        this.set(self().busConnected?.() ? 1 : 0);
      },
    });
    this.fanOuts = new Histogram({
      name: "nextauth_invalidation_fanout_seconds",
      help: "Time to hand an invalidation to the other instances (until confirmed, for revocations).",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.requests = new Histogram({
      name: "nextauth_http_request_duration_seconds",
      help: "HTTP requests by method, route template and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "nextauth_" });
  }

  attempt(kind: "sign-in" | "sign-up", outcome: string): void {
    (kind === "sign-in" ? this.signIns : this.signUps).inc({ outcome: outcome.toLowerCase() });
  }

  throttled(limit: string): void {
    this.throttles.inc({ limit });
  }

  locked(limit: string): void {
    this.locks.inc({ limit });
  }

  mailQueued(template: string): void {
    this.mails.inc({ template, result: "queued" });
  }

  mailSent(template: string): void {
    this.mails.inc({ template, result: "sent" });
  }

  mailRetried(template: string): void {
    this.mails.inc({ template, result: "retried" });
  }

  mailFailed(template: string, reason: "permanent" | "expired"): void {
    this.mails.inc({ template, result: `failed_${reason}` });
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  fanOut(seconds: number): void {
    this.fanOuts.observe(seconds);
  }

  watch(sources: TelemetrySources): void {
    this.sources = { ...this.sources, ...sources };
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** A scrape must not hang on an unreachable database: the outbox gauges then keep their last value. */
async function readOutbox(sources: TelemetrySources): Promise<OutboxStats | null> {
  if (!sources.outbox) return { depth: 0, oldestAgeSeconds: 0 };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      sources.outbox(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), OUTBOX_READ_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
