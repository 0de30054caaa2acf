export { ConfigError } from "./config-error";
export { loadConfig, type AppConfig, DEFAULT_APP_URL, DEFAULT_DATA_DIR, DEFAULT_MAIL_FROM } from "./load-config";
export { VARIABLES, type VariableName } from "./environment";
