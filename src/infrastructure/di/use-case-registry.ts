import { billingUseCases, type BillingPorts } from "../../application/billing";
import { apiKeyUseCases } from "../../application/api-keys";
import { credentialUseCases } from "../../application/credentials";
import { deviceUseCases } from "../../application/devices";
import { identityUseCases } from "../../application/identity";
import { mfaUseCases } from "../../application/mfa";
import { passkeyUseCases, type PasskeyOwnPorts } from "../../application/passkeys";
import { retentionUseCases } from "../../application/retention";
import { sessionUseCases } from "../../application/sessions";
import type { UseCasePorts } from "../../application/shared/use-case-ports";
import { teamUseCases } from "../../application/teams";
import type { Stores } from "../persistence/stores";

/** What the composition root builds every use case from: the ports, with every capability's stores and own ports. */
export type Ports = UseCasePorts<Stores> & PasskeyOwnPorts & Omit<BillingPorts, keyof UseCasePorts>;

/**
 * Every capability's registry, joined. A new use case is one line in its capability's registry; its
 * token (`TOKENS.CreateTeam` for `createTeam`), its container binding, its place in the in-memory kit
 * and its web accessor all follow from here.
 */
export const USE_CASES = joinRegistries(
  identityUseCases,
  sessionUseCases,
  apiKeyUseCases,
  credentialUseCases,
  deviceUseCases,
  teamUseCases,
  mfaUseCases,
  passkeyUseCases,
  retentionUseCases,
  billingUseCases,
);

export type UseCaseName = keyof typeof USE_CASES & string;
export type UseCaseOf<K extends UseCaseName> = ReturnType<(typeof USE_CASES)[K]>;
/** Every use case by name, built. */
export type UseCases = { readonly [K in UseCaseName]: UseCaseOf<K> };

/** Builds every use case from one set of ports (the in-memory kit, tools). */
export function buildUseCases(ports: Ports): UseCases {
  const built: Record<string, object> = {};
  for (const [name, make] of Object.entries(USE_CASES)) built[name] = (make as (ports: Ports) => object)(ports);
  return built as UseCases;
}

/** `signUp` → `SignUp`: the name of a use case's container token. */
export function tokenName<K extends UseCaseName>(name: K): Capitalize<K> {
  return (name.charAt(0).toUpperCase() + name.slice(1)) as Capitalize<K>;
}

type Union<R extends readonly object[]> = R extends readonly [infer H, ...infer T extends readonly object[]] ? H & Union<T> : unknown;

/** Two capabilities may not register the same name: the second would silently replace the first. */
function joinRegistries<R extends readonly object[]>(...registries: R): Union<R> {
  const joined: Record<string, unknown> = {};
  for (const registry of registries) {
    for (const [name, make] of Object.entries(registry)) {
      if (name in joined) throw new Error(`The use case "${name}" is registered by two capabilities.`);
      joined[name] = make;
    }
  }
  return joined as Union<R>;
}
