import { getMetadataStorage, validate } from "class-validator";
import { edgeErrorResponse } from "./error-table";
import type { Guarded } from "./request-guards";

/**
 * Turns a parsed JSON value into a validated request DTO. Strict: the body must be a plain object, and
 * any field the DTO does not declare (`__proto__`, `constructor`, `role`…) is refused with 400 rather
 * than copied, so nothing unexpected is ever stored and no prototype can be reached. Only declared
 * fields are copied onto a fresh instance, then class-validator checks their types.
 */
export async function parseDto<T extends object>(dto: new () => T, body: unknown): Promise<Guarded<T>> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, response: edgeErrorResponse("VALIDATION_FAILED", "The request body must be a JSON object.") };
  }
  const declared = declaredFields(dto);
  const fields: [string, string][] = [];
  const instance = new dto() as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!declared.has(key)) fields.push([key, "This field is not allowed."]);
    else instance[key] = (body as Record<string, unknown>)[key];
  }
  const errors = await validate(instance, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  for (const error of errors) {
    // A wrong type explains itself better than the length rule it also breaks.
    const constraints = error.constraints ?? {};
    const message = constraints.isString ?? Object.values(constraints)[0];
    fields.push([error.property, message ?? "This field is invalid."]);
  }
  if (fields.length > 0) {
    // fromEntries defines own properties, so a "__proto__" key stays a plain key in the answer.
    return { ok: false, response: edgeErrorResponse("VALIDATION_FAILED", "Some fields are missing or invalid.", Object.fromEntries(fields)) };
  }
  return { ok: true, value: instance as T };
}

const cache = new Map<Function, ReadonlySet<string>>();

function declaredFields(dto: Function): ReadonlySet<string> {
  let names = cache.get(dto);
  if (!names) {
    names = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, "", true, false).map((m) => m.propertyName));
    cache.set(dto, names);
  }
  return names;
}
