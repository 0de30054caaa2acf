import { ContainerModule } from "inversify";
import type { AppConfig } from "../../config";
import type { AppLog, Telemetry } from "../../observability";
import { TOKENS } from "../tokens";
import { typedBind } from "./bind";

export function configModule(config: AppConfig, log: AppLog, telemetry: Telemetry): ContainerModule {
  return new ContainerModule((options) => {
    const bind = typedBind(options);
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.AuthSettings).toConstantValue(config.auth);
    bind(TOKENS.Log).toConstantValue(log);
    bind(TOKENS.Telemetry).toConstantValue(telemetry);
    bind(TOKENS.AuthMetrics).toConstantValue(telemetry);
  });
}
