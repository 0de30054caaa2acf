import type { BillingNotConfigured, BillingProviderUnavailable, InvalidSignature } from "../../domain/billing/billing-errors";
import { isNotOlder } from "../../domain/billing/subscription";
import { ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { BillingProvider } from "./billing-provider.port";
import type { BillingStores } from "./billing-stores";

export interface ApplyBillingEventInput {
  /** The request body exactly as received: the signature covers these bytes, not a re-serialisation. */
  readonly payload: string;
  readonly signature: string | null;
}

/**
 * What became of a verified event: applied; a duplicate (already applied once); stale (older than
 * the state stored); ignored (a type we do not act on, or a team that no longer exists).
 */
export type ApplyBillingEventOutcome = "applied" | "duplicate" | "stale" | "ignored";

/**
 * A provider event, verified and applied at most once, and never over newer state. Providers deliver
 * at least once and out of order; the event id is recorded in the same transaction as the change.
 */
export class ApplyBillingEvent {
  constructor(
    private readonly uow: UnitOfWork<BillingStores>,
    private readonly billing: BillingProvider,
    private readonly clock: Clock,
  ) {}

  async execute(
    input: ApplyBillingEventInput,
  ): Promise<Result<ApplyBillingEventOutcome, InvalidSignature | BillingNotConfigured | BillingProviderUnavailable>> {
    const verified = await this.billing.verifyEvent(input.payload, input.signature);
    if (!verified.ok) return verified;
    const event = verified.value;
    if (event.kind === "ignored") return ok("ignored");
    const now = this.clock.now();
    const outcome = await this.uow.run(async (stores): Promise<ApplyBillingEventOutcome> => {
      if (!(await stores.billingEvents.recordApplied(event.id, now))) return "duplicate";
      const state = event.subscription;
      const teamId = state.teamId ?? (await stores.subscriptions.findTeamByCustomer(state.customerId));
      // A team deleted since it subscribed (or an id that is not ours): nothing here to update.
      if (!teamId || !(await stores.teams.findById(teamId))) return "ignored";
      const current = await stores.subscriptions.findByTeam(teamId);
      if (!isNotOlder(event.occurredAt, current)) return "stale";
      const saved = await stores.subscriptions.saveIfNotOlder({
        teamId,
        plan: state.plan,
        status: state.status,
        currentPeriodEnd: state.currentPeriodEnd,
        cancelAtPeriodEnd: state.cancelAtPeriodEnd,
        customerId: state.customerId,
        subscriptionId: state.subscriptionId,
        lastEventAt: event.occurredAt,
        updatedAt: now,
      });
      return saved ? "applied" : "stale";
    });
    return ok(outcome);
  }
}
