import type { Clock } from "../../application/shared/ports/clock.port";
import type { OutgoingMail } from "../../application/shared/ports/outbox.port";
import type { Mailer, RenderedMail } from "./mailer";
import { MailRenderError } from "./mail-templates";
import type { OutboxQueue, QueuedMail } from "./outbox-queue";

/** What turns an outbox entry into a mail; `MailTemplates` is one. */
export interface MailRenderer {
  render(mail: OutgoingMail): RenderedMail;
}

/** The few log calls the dispatcher makes; `console` fits. */
export interface DispatcherLog {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** What the dispatcher counts (see observability/prometheus-metrics.ts). */
export interface DispatcherMetrics {
  mailSent(template: string): void;
  mailRetried(template: string): void;
  mailFailed(template: string, reason: "permanent" | "expired"): void;
}

export interface RetryPolicy {
  /** Wait after the first failure; doubles with every further one. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface OutboxDispatcherOptions {
  readonly queue: OutboxQueue;
  readonly mailer: Mailer;
  readonly renderer: MailRenderer;
  readonly clock: Clock;
  readonly log?: DispatcherLog;
  /** How often `start()` polls the queue. */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** Must outlast one batch of sends (bounded by the SMTP timeouts), or another instance sends it too. */
  readonly leaseSeconds?: number;
  readonly retry?: Partial<RetryPolicy>;
  /**
   * A mail still failing this long after it was queued ends as failed instead of being retried
   * (MAIL_MAX_RETRY_AGE; default five days, as MTAs keep a deferred message).
   */
  readonly maxRetryAgeMs?: number;
  readonly metrics?: DispatcherMetrics;
  /** In [0, 1); replaceable so tests can pin the jitter. */
  readonly random?: () => number;
}

export interface TickResult {
  readonly sent: number;
  readonly failed: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 1000, maxDelayMs: 5 * 60 * 1000 };
export const DEFAULT_MAX_RETRY_AGE_MS = 5 * 86400 * 1000;
const MAX_REASON_LENGTH = 200;

/**
 * Moves mail from the transactional outbox to the mailer: claims due mails under a lease, renders,
 * sends, marks them sent (erasing the token), or schedules a retry with capped exponential backoff
 * and jitter, so an SMTP outage delays mail instead of losing it and recovering instances do not
 * all retry at the same instant.
 */
export class OutboxDispatcher {
  private readonly log: DispatcherLog;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseSeconds: number;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly maxRetryAgeMs: number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;

  constructor(private readonly options: OutboxDispatcherOptions) {
    this.log = options.log ?? console;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 10;
    this.leaseSeconds = options.leaseSeconds ?? 120;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.maxRetryAgeMs = options.maxRetryAgeMs ?? DEFAULT_MAX_RETRY_AGE_MS;
  }

  /** Polls in the background; the timer never keeps the process alive on its own. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.pollOnce(), this.pollIntervalMs);
    this.timer.unref();
    this.pollOnce();
  }

  /** Stops polling and waits for a batch in progress to finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** One pass: claims a batch of due mails and tries each once. */
  async tick(): Promise<TickResult> {
    const { queue, clock } = this.options;
    const batch = await queue.claimDue(clock.now(), this.batchSize, this.leaseSeconds);
    let sent = 0;
    let failed = 0;
    for (const item of batch) {
      if (await this.deliver(item)) sent++;
      else failed++;
    }
    return { sent, failed };
  }

  /** Ticks until nothing is due any more (failed mails wait for their retry time). For tests and shutdown. */
  async drain(maxTicks = 1000): Promise<TickResult> {
    let sent = 0;
    let failed = 0;
    for (let i = 0; i < maxTicks; i++) {
      const result = await this.tick();
      if (result.sent + result.failed === 0) break;
      sent += result.sent;
      failed += result.failed;
    }
    return { sent, failed };
  }

  /** Wait before the next attempt, after `attempts` attempts (the one that just failed included). */
  retryDelayMs(attempts: number): number {
    const exponent = Math.min(Math.max(0, attempts - 1), 30);
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** exponent);
    // "Equal jitter": at least half the ceiling, so retries spread out but never come back at once.
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  private pollOnce(): void {
    if (this.inFlight) return; // a slow batch is still running: never two at once in one process
    this.inFlight = this.tick()
      .catch((error) => this.log.error(`outbox: polling failed: ${describe(error)}`))
      .finally(() => {
        this.inFlight = null;
      });
  }

  private async deliver(item: QueuedMail): Promise<boolean> {
    const { queue, mailer, renderer, clock, metrics } = this.options;
    const template = item.mail.template;
    try {
      await mailer.send(renderer.render(item.mail));
    } catch (error) {
      const reason = redact(describe(error), item.mail);
      const now = clock.now();
      const ending = isPermanent(error) ? "permanent" : now.getTime() - item.createdAt.getTime() >= this.maxRetryAgeMs ? "expired" : null;
      const fields = { event: ending ? "mail.failed" : "mail.retry", template, mailId: item.id, attempt: item.attempts };
      try {
        if (ending) {
          // A permanent refusal (5xx: no such mailbox, policy) will not change by trying again.
          this.log.error(`outbox: ${template} mail ${item.id} failed for good after ${item.attempts} attempt(s) (${reason})`, { ...fields, reason: ending });
          await queue.markDead(item.id, reason, now);
          metrics?.mailFailed(template, ending);
        } else {
          const delay = this.retryDelayMs(item.attempts);
          this.log.warn(`outbox: ${template} mail ${item.id} attempt ${item.attempts} failed (${reason}); next try in ${Math.ceil(delay / 1000)} s`, fields);
          await queue.markFailed(item.id, reason, new Date(now.getTime() + delay));
          metrics?.mailRetried(template);
        }
      } catch (markError) {
        // The lease runs out and the mail is claimed again: late, not lost.
        this.log.error(`outbox: could not record the failure of mail ${item.id}: ${describe(markError)}`, fields);
      }
      return false;
    }
    metrics?.mailSent(template);
    try {
      await queue.markSent(item.id, clock.now());
      this.log.info(`outbox: ${template} mail ${item.id} sent`, { event: "mail.sent", template, mailId: item.id });
    } catch (error) {
      // Sent but not recorded: after the lease it may go out twice, the lesser evil against losing it.
      this.log.error(`outbox: mail ${item.id} was sent but could not be marked sent: ${describe(error)}`);
    }
    return true;
  }
}

/**
 * Whether trying again cannot help: a mail we cannot render, or an SMTP reply in the 5xx range
 * (RFC 5321 §4.2.1: permanent negative completion, e.g. `550 5.1.1 Recipient address rejected`).
 * 4xx replies and connection errors are temporary.
 */
export function isPermanent(error: unknown): boolean {
  if (error instanceof MailRenderError) return true;
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.split("\n")[0];
    return (typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message).slice(0, MAX_REASON_LENGTH);
  }
  return String(error).slice(0, MAX_REASON_LENGTH);
}

/**
 * A server's error reply may quote the message (or, on a reused connection, another one); never let a
 * token or a link reach a log or the outbox row.
 */
function redact(text: string, mail: OutgoingMail): string {
  let result = text;
  for (const value of Object.values(mail.params ?? {})) {
    if (typeof value === "string" && value.length >= 8) {
      result = result.split(value).join("[redacted]").split(encodeURIComponent(value)).join("[redacted]");
    }
  }
  return result
    .replace(/https?:\/\/[^\s"'<>]+/gi, "[link]")
    .replace(/token=[^\s&"'<>]+/gi, "token=[redacted]")
    // Our tokens are 43 base64url characters; no useful reason holds such a run.
    .replace(/[A-Za-z0-9_-]{32,}/g, "[redacted]");
}
