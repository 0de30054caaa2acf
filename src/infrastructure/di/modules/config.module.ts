import { ContainerModule } from "inversify";
import type { AppConfig } from "../../config";
import { TOKENS } from "../tokens";
import { typedBind } from "./bind";

export function configModule(config: AppConfig): ContainerModule {
  return new ContainerModule((options) => {
    const bind = typedBind(options);
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.AuthSettings).toConstantValue(config.auth);
  });
}
