import type { TeamBilling } from "../../application/billing";
import { NotFound } from "../../domain/shared/domain-error";
import { getAuth, TOKENS } from "../../infrastructure/di";
import { PlanBody } from "./shared/dtos";
import { edgeErrorResponse } from "./shared/error-table";
import { body, failure, handler, type Handler, noBody, param, type RouteContext, signedIn } from "./shared/handler";
import { readLimited } from "./shared/request-guards";
import { json } from "./shared/responses";

/** Far above any Stripe event (a subscription event is a few KiB), far below what would hurt. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

const presentBilling = (b: TeamBilling) => ({
  plan: b.plan,
  status: b.status,
  currentPeriodEnd: b.currentPeriodEnd?.toISOString() ?? null,
  cancelAtPeriodEnd: b.cancelAtPeriodEnd,
});

const teamNotFound = () => failure(new NotFound("Team"));
const teamId = (context: RouteContext | undefined) => param(context, "id");

const getBilling = handler(async (request, context) =>
  signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    if (!id) return teamNotFound();
    const result = await auth.resolve(TOKENS.GetTeamBilling).execute({ userId: who.user.id, teamId: id });
    if (!result.ok) return failure(result.error);
    return json(200, presentBilling(result.value));
  }),
);

const startCheckout = handler(async (request, context) => {
  const input = await body(request, PlanBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    if (!id) return teamNotFound();
    const result = await auth.resolve(TOKENS.StartCheckout).execute({ userId: who.user.id, sessionId: who.session.id, teamId: id, plan: input.plan });
    if (!result.ok) return failure(result.error);
    return json(200, { url: result.value.url });
  });
});

const openPortal = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    if (!id) return teamNotFound();
    const result = await auth.resolve(TOKENS.OpenBillingPortal).execute({ userId: who.user.id, sessionId: who.session.id, teamId: id });
    if (!result.ok) return failure(result.error);
    return json(200, { url: result.value.url });
  });
});

/**
 * The provider's signed events. No cookie and no origin: the signature over the raw bytes is the only
 * credential, so the body is read as bytes and handed on untouched (a parsed and re-serialised body
 * would no longer match its signature). 200 for anything verified, applied or not, so the provider
 * stops retrying; 400 when the signature fails, and then nothing has changed.
 */
const webhook = handler(async (request) => {
  const read = await readLimited(request, MAX_WEBHOOK_BYTES);
  if (!read.ok) return read.response;
  let payload: string;
  try {
    payload = new TextDecoder("utf-8", { fatal: true }).decode(read.value);
  } catch {
    return edgeErrorResponse("INVALID_SIGNATURE", "The event's signature could not be verified.");
  }
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.ApplyBillingEvent).execute({ payload, signature: request.headers.get("stripe-signature") });
  if (!result.ok) return failure(result.error);
  return json(200, { received: true, outcome: result.value });
});

export const billingHandlers = { getBilling, startCheckout, openPortal, webhook } satisfies Record<string, Handler>;
