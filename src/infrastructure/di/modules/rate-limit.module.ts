import { ContainerModule } from "inversify";
import type { RateLimitStore } from "../../../application/shared/ports/rate-limit-store.port";
import { TOKENS } from "../tokens";
import { typedBind } from "./bind";

/** The shared counters: Redis when REDIS_URL is set, else the PostgreSQL table. */
export function rateLimitModule(store: RateLimitStore): ContainerModule {
  return new ContainerModule((options) => {
    typedBind(options)(TOKENS.RateLimitStore).toConstantValue(store);
  });
}
