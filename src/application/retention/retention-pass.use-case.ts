import { ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import { RETENTION_RULES, type RetentionRule } from "./retention-store.port";
import type { RetentionStores } from "./retention-stores";

/** The lease every instance competes for; one pass at a time across all of them. */
export const RETENTION_LEASE = "retention";
/** Renewed after every batch, so only an instance that died mid-pass lets it run out. */
const LEASE_SECONDS = 120;

export interface RetentionPassInput {
  /** Checked between batches: a stopping process finishes the batch in flight and stops. */
  readonly signal?: { readonly aborted: boolean };
  /** How the pass rests between batches (default: a timer); tests pass their own. */
  readonly rest?: (ms: number) => Promise<void>;
}

const restOnTimer = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export interface RetentionReport {
  /** False when another instance holds the lease: this one deleted nothing. */
  readonly ran: boolean;
  readonly deleted: Readonly<Record<RetentionRule, number>>;
  readonly total: number;
  readonly batches: number;
}

/**
 * One retention pass: under the lease, each rule deletes its dead rows batch by batch (each batch
 * bounded and committed on its own) until a batch comes back short. Cutoffs are fixed at the start,
 * so a pass always ends, however fast rows die meanwhile.
 */
export class RetentionPass {
  /** Stands for this process while it holds the lease. */
  private readonly holder: string;

  constructor(
    private readonly stores: RetentionStores,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
  ) {
    this.holder = randomTokens.newId();
  }

  async execute(input: RetentionPassInput = {}): Promise<Result<RetentionReport>> {
    const store = this.stores.retention;
    const now = this.clock.now();
    const deleted = Object.fromEntries(RETENTION_RULES.map((rule) => [rule, 0])) as Record<RetentionRule, number>;
    let batches = 0;
    if (!(await this.claim(now))) return ok({ ran: false, deleted, total: 0, batches });

    const { batchSize, pauseRatio } = this.settings.retention;
    const rest = input.rest ?? restOnTimer;
    try {
      rules: for (const rule of RETENTION_RULES) {
        const cutoff = this.cutoff(rule, now);
        for (;;) {
          if (input.signal?.aborted) break rules;
          // Wall time of the statement (not the injected clock): what the database spent on it.
          const started = performance.now();
          const count = await store.deleteBatch(rule, cutoff, batchSize);
          deleted[rule] += count;
          batches++;
          if (count < batchSize) break;
          if (pauseRatio > 0) await rest((performance.now() - started) * pauseRatio);
          // Lost only when this process stalled past the lease and another took over: leave it the work.
          if (!(await this.claim(this.clock.now()))) break rules;
        }
      }
    } finally {
      await store.releaseLease(RETENTION_LEASE, this.holder);
    }
    const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    return ok({ ran: true, deleted, total, batches });
  }

  private claim(now: Date): Promise<boolean> {
    const until = new Date(now.getTime() + LEASE_SECONDS * 1000);
    return this.stores.retention.acquireLease({ name: RETENTION_LEASE, holder: this.holder, now, until });
  }

  private cutoff(rule: RetentionRule, now: Date): Date {
    if (rule !== "authEvents.old") return now;
    return new Date(now.getTime() - this.settings.retention.authEventRetentionDays * 86_400_000);
  }
}
