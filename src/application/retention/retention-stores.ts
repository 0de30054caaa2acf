import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { RetentionStore } from "./retention-store.port";

/** What the retention pass uses: the shared stores and the deleting store. */
export interface RetentionStores extends SharedStores {
  readonly retention: RetentionStore;
}

export type RetentionPorts = UseCasePorts<RetentionStores>;
