import { Email } from "../../domain/identity/email";
import {
  EmailNotVerified,
  InvalidInput,
  LookAlikeEmail,
  NotFound,
  Unauthenticated,
  type InvalidEmail,
  type RateLimited,
} from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Invitation } from "../../domain/team/invitation";
import { AlreadyMember, type Forbidden } from "../../domain/team/team-errors";
import { isTeamRole, TeamRules, type TeamRole } from "../../domain/team/team-role";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { rateLimitKeys, RateLimiter } from "../shared/services/rate-limiter";
import type { TeamStores } from "./team-stores";

export interface InviteMemberInput {
  readonly userId: string;
  readonly teamId: string;
  readonly email: string;
  readonly role: string;
  readonly context?: RequestContext;
}

export type InviteMemberError =
  | Unauthenticated
  | EmailNotVerified
  | NotFound
  | Forbidden
  | AlreadyMember
  | InvalidEmail
  | InvalidInput
  | LookAlikeEmail
  | RateLimited;

/**
 * Mails an invitation link: 256 random bits, only their SHA-256 stored, expiring after
 * `inviteTokenTtlSeconds`. A sensitive action: the inviter's address must be verified, as stored now.
 * Inviting the same address again voids the older link, so only the newest one works (this is also
 * how a link is re-sent). Each invitation mails an address of the inviter's choosing, so inviting is
 * limited per inviter and per client IP like the other mail-sending actions. An address that only
 * looks like an existing account's (another script, the same skeleton) is refused: that person's
 * invitation would otherwise go to a look-alike mailbox.
 */
export class InviteMember {
  private readonly events: AuthEvents;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly uow: UnitOfWork<TeamStores>,
    private readonly randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
  }

  async execute(input: InviteMemberInput): Promise<Result<Invitation, InviteMemberError>> {
    if (!isTeamRole(input.role)) {
      const message = "Choose the role: owner, admin or member.";
      return fail(new InvalidInput(message, { role: message }));
    }
    const role: TeamRole = input.role;
    const email = Email.create(input.email);
    // Counted before the unit of work: the counters are another store, and on the embedded database a
    // second connection taken while the transaction holds the only one would wait for ever.
    const limits = this.settings.rateLimits;
    const ip = input.context?.ip ?? null;
    const perIp = await this.limiter.consume(ip === null ? null : rateLimitKeys.emailIp(ip), limits.emailPerIp, this.clock.now());
    if (!perIp.ok) return perIp;
    const perUser = await this.limiter.consume(rateLimitKeys.invitationsUser(input.userId), limits.invitationsPerUser, this.clock.now());
    if (!perUser.ok) return perUser;
    return this.uow.run(async (stores) => {
      const inviter = await stores.users.findById(input.userId);
      if (!inviter) return fail(new Unauthenticated());
      const team = await stores.teams.lock(input.teamId);
      const actor = team && (await stores.teams.findMembership(team.id, inviter.id));
      if (!team || !actor) return fail(new NotFound("Team"));
      if (!inviter.emailVerified) return fail(new EmailNotVerified());
      const allowed = TeamRules.mayInvite(actor.role, role);
      if (!allowed.ok) return allowed;
      if (!email.ok) return email;

      const existing = await stores.users.findByEmail(email.value);
      if (existing && (await stores.teams.findMembership(team.id, existing.id))) return fail(new AlreadyMember());
      if (!existing) {
        const lookAlike = await stores.users.findLookAlike(email.value);
        if (lookAlike && lookAlike.email !== email.value.value) return fail(new LookAlikeEmail());
      }

      const now = this.clock.now();
      const secret = this.randomTokens.newSecret();
      const invitation = Invitation.create(
        {
          id: this.randomTokens.newId(),
          teamId: team.id,
          email: email.value,
          role,
          tokenHash: this.randomTokens.hash(secret),
          invitedBy: inviter.id,
          ttlSeconds: this.settings.inviteTokenTtlSeconds,
        },
        now,
      );
      await stores.invitations.voidOpen(team.id, invitation.email, now);
      await stores.invitations.insert(invitation);
      await stores.outbox.enqueue({
        to: invitation.email,
        template: "team-invitation",
        params: { token: secret, teamName: team.name, invitedBy: inviter.email, expiresAt: invitation.expiresAt.toISOString() },
      });
      await this.events.record(stores.events, "team.invited", inviter.id, input.context, {
        teamId: team.id,
        invitationId: invitation.id,
        email: invitation.email,
        role,
      });
      return ok(invitation);
    });
  }
}
