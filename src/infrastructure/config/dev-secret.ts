import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./config-error";
import { bytes, MIN_SECRET_BYTES } from "./environment";

export const DEV_SECRET_FILE = "dev-secret";

/**
 * The development session secret: generated once from the CSPRNG and kept in `${dataDir}/dev-secret`
 * (owner-only), so sessions survive restarts without any setup. Never used in production.
 */
export function readOrCreateDevSecret(dataDir: string): string {
  const file = join(dataDir, DEV_SECRET_FILE);
  const existing = readSecret(file);
  if (existing !== null) return existing;

  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(temporary, `${randomBytes(48).toString("base64url")}\n`, { mode: 0o600 });
    try {
      // link() fails if the file exists: when two processes start at once, exactly one secret wins
      // and both read it, complete, from the file.
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(temporary);
    }
  } catch (error) {
    throw new ConfigError(
      "DATA_DIR",
      `DATA_DIR (${dataDir}) is not writable (${(error as NodeJS.ErrnoException).code ?? "error"}): make it writable, point DATA_DIR elsewhere, or set AUTH_JWT_SECRET`,
    );
  }
  const created = readSecret(file);
  if (created === null) throw new ConfigError("AUTH_JWT_SECRET", `${file} could not be read back: set AUTH_JWT_SECRET`);
  return created;
}

function readSecret(file: string): string | null {
  let content: string;
  try {
    content = readFileSync(file, "utf8").trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Not there yet (or DATA_DIR is not a folder: creating it reports that).
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new ConfigError("AUTH_JWT_SECRET", `${file} cannot be read (${code}): fix its permissions, or set AUTH_JWT_SECRET`);
  }
  if (bytes(content) < MIN_SECRET_BYTES) {
    throw new ConfigError(
      "AUTH_JWT_SECRET",
      `${file} holds a secret shorter than ${MIN_SECRET_BYTES} bytes: delete the file to generate a new one, or set AUTH_JWT_SECRET`,
    );
  }
  try {
    chmodSync(file, 0o600); // a copy or an unpack may have widened it
  } catch {
    // Not ours to fix (e.g. a read-only mount); the secret still works.
  }
  return content;
}
