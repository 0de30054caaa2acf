import { createHash, randomBytes } from "node:crypto";
import type { RandomTokens } from "../../application/shared/ports/random-tokens.port";

/** Ids and secrets straight from the operating system's CSPRNG; no UUIDs (their 122 bits and fixed shape). */
export class NodeRandomTokens implements RandomTokens {
  newId(): string {
    return randomBytes(16).toString("base64url");
  }

  newSecret(): string {
    return randomBytes(32).toString("base64url");
  }

  hash(secret: string): string {
    return createHash("sha256").update(secret, "utf8").digest("hex");
  }
}
