export { ConfigError } from "./config-error";
export type { BillingConfig, StripeConfig } from "./billing-config";
export { loadConfig, type AppConfig, DEFAULT_APP_URL, DEFAULT_DATA_DIR, DEFAULT_MAIL_FROM } from "./load-config";
export { VARIABLES, type VariableName } from "./environment";
