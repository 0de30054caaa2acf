import { ContainerModule } from "inversify";
import type { Stores, UnitOfWork } from "../../persistence/stores";
import type { OutboxQueue } from "../../mail/outbox-queue";
import { TOKENS } from "../tokens";
import { typedBind } from "./bind";

/** What the database layer hands the container once it is connected (and, when embedded, migrated). */
export interface Persistence {
  readonly stores: Stores;
  readonly uow: UnitOfWork;
  readonly outbox: OutboxQueue;
}

export function persistenceModule(persistence: Persistence): ContainerModule {
  return new ContainerModule((options) => {
    const bind = typedBind(options);
    bind(TOKENS.Stores).toConstantValue(persistence.stores);
    bind(TOKENS.UnitOfWork).toConstantValue(persistence.uow);
    bind(TOKENS.OutboxQueue).toConstantValue(persistence.outbox);
  });
}
