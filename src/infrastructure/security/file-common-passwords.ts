import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CommonPasswords } from "../../domain/identity/password";

const FILE_NAME = "common-passwords.txt";
const loaded = new Map<string, ReadonlySet<string>>();

/**
 * The shipped blocklist (one lower-cased password a line), read once per process and kept as a set.
 * The file sits beside this module; bundlers move modules, so the path from the working directory is
 * tried as well.
 */
export class FileCommonPasswords implements CommonPasswords {
  private readonly passwords: ReadonlySet<string>;

  constructor(filePath: string = FileCommonPasswords.locate()) {
    let set = loaded.get(filePath);
    if (!set) {
      const lines = readFileSync(filePath, "utf8").split(/\r?\n/);
      set = new Set(lines.map((line) => line.trim().normalize("NFKC").toLowerCase()).filter((line) => line.length > 0));
      loaded.set(filePath, set);
    }
    this.passwords = set;
  }

  static locate(): string {
    // `__dirname` is missing when the module runs as ESM.
    const here = typeof __dirname === "string" ? [join(__dirname, FILE_NAME)] : [];
    const candidates = [
      ...here,
      join(process.cwd(), "src", "infrastructure", "security", FILE_NAME),
      join(process.cwd(), "..", "src", "infrastructure", "security", FILE_NAME),
    ];
    const found = candidates.find((candidate) => existsSync(candidate));
    if (!found) throw new Error(`${FILE_NAME} not found (looked in ${candidates.join(", ")})`);
    return found;
  }

  get size(): number {
    return this.passwords.size;
  }

  contains(normalisedPassword: string): boolean {
    return this.passwords.has(normalisedPassword.toLowerCase());
  }
}
