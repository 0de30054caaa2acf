import { NotFound } from "../../domain/shared/domain-error";
import { TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { ApiKeyBody } from "./shared/dtos";
import { body, failure, handler, type Handler, noBody, param, signedIn } from "./shared/handler";
import { presentApiKey } from "./shared/presenters";
import { empty, json } from "./shared/responses";

const createApiKey = handler(async (request) => {
  const input = await body(request, ApiKeyBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.CreateApiKey).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      name: input.name,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error);
    const { id, name, prefix, createdAt } = presentApiKey(result.value.apiKey);
    return json(201, { apiKey: { id, name, prefix, createdAt }, secret: result.value.secret });
  });
});

const listApiKeys = handler(async (request) =>
  signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ListApiKeys).execute({ userId: who.user.id });
    if (!result.ok) return failure(result.error);
    return json(200, { apiKeys: result.value.map(presentApiKey) });
  }),
);

const deleteApiKey = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await param(context, "id");
    if (!id) return failure(new NotFound("API key"));
    const result = await auth.resolve(TOKENS.RevokeApiKey).execute({ userId: who.user.id, apiKeyId: id, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

/** The API-key routes: issue, list, revoke. */
export const apiKeyHandlers = {
  createApiKey,
  listApiKeys,
  deleteApiKey,
} satisfies Record<string, Handler>;
