// Retention: deleting the rows that no longer serve anyone (expired and revoked sessions, spent tokens,
// sent mail, ended rate-limit windows, old security events), by one instance at a time.
import type { UseCaseRegistry } from "../shared/use-case-ports";
import { RetentionPass } from "./retention-pass.use-case";
import type { RetentionPorts } from "./retention-stores";

/** The retention use cases, each built from its ports: the one place they are registered. */
export const retentionUseCases = {
  retentionPass: (p: RetentionPorts) => new RetentionPass(p.stores, p.randomTokens, p.clock, p.settings),
} satisfies UseCaseRegistry<RetentionPorts>;

export { RetentionPass };
export type { RetentionPassInput, RetentionReport } from "./retention-pass.use-case";
export type { RetentionStores, RetentionPorts } from "./retention-stores";
export { RETENTION_RULES, type LeaseClaim, type RetentionRule, type RetentionStore } from "./retention-store.port";
