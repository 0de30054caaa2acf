import { ConfigError } from "../config";
import { getConfig, getLogger } from "./runtime";

/**
 * Validates the configuration when the server starts, so a bad or missing value stops the process at
 * once with one line naming the variable and the fix, instead of failing the first request. Only the
 * configuration: the database is still connected lazily, on first use.
 */
export function checkConfigurationAtStart(): void {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      getLogger().error(`Configuration error: ${error.message}`, { event: "start" });
      process.exit(1);
    }
    throw error;
  }
}
