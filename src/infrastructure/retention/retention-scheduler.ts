import type { RetentionPass, RetentionReport } from "../../application/retention";

export interface RetentionSchedulerOptions {
  readonly pass: Pick<RetentionPass, "execute">;
  /** Between the starts of two passes of this process. */
  readonly intervalMs: number;
  /** Before the first pass: the process has just started, let it serve first (default: a minute, or the interval if shorter). */
  readonly firstDelayMs?: number;
  readonly log?: Pick<Console, "info" | "warn" | "error">;
}

/**
 * Runs the retention pass on a timer in every instance; the pass's lease makes all but one of them
 * skip each round. Never two passes at once in one process, and the timer never keeps it alive.
 */
export class RetentionScheduler {
  private readonly log: Pick<Console, "info" | "warn" | "error">;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private readonly abort = { aborted: false };

  constructor(private readonly options: RetentionSchedulerOptions) {
    this.log = options.log ?? console;
  }

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.abort.aborted = false;
    const first = this.options.firstDelayMs ?? Math.min(60_000, this.options.intervalMs);
    this.timer = setTimeout(() => {
      this.runOnce();
      this.timer = setInterval(() => this.runOnce(), this.options.intervalMs);
      this.timer.unref();
    }, first);
    this.timer.unref();
  }

  /** Stops the timer; a pass in progress finishes its batch and stops, and is waited for. */
  async stop(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      clearInterval(this.timer);
    }
    this.timer = null;
    this.abort.aborted = true;
    await this.inFlight;
  }

  /** One pass now, unless one is already running here; resolves with its report (null when skipped or failed). */
  runOnce(): Promise<RetentionReport | null> {
    if (this.inFlight) return Promise.resolve(null);
    const running = this.options.pass
      .execute({ signal: this.abort })
      .then((result) => {
        if (!result.ok) return null;
        const report = result.value;
        if (report.ran && report.total > 0) this.log.info(`retention: deleted ${report.total} row(s) in ${report.batches} batch(es) ${summary(report)}`);
        return report;
      })
      .catch((error: unknown) => {
        this.log.warn(`retention: pass failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        return null;
      })
      .finally(() => {
        this.inFlight = null;
      });
    this.inFlight = running;
    return running;
  }
}

function summary(report: RetentionReport): string {
  const parts = Object.entries(report.deleted)
    .filter(([, count]) => count > 0)
    .map(([rule, count]) => `${rule}=${count}`);
  return `(${parts.join(", ")})`;
}
