import { CONFUSABLES } from "./confusables-data";

let prototypes: ReadonlyMap<number, string> | null = null;

/** The generated table, read once on first use: code point → its prototype. */
function prototypeTable(): ReadonlyMap<number, string> {
  if (prototypes) return prototypes;
  const table = new Map<number, string>();
  for (const group of CONFUSABLES.split(";")) {
    const [target, sources] = group.split(":");
    const prototype = String.fromCodePoint(...target.split("+").map((hex) => Number.parseInt(hex, 16)));
    for (const source of sources.split(".")) table.set(Number.parseInt(source, 16), prototype);
  }
  prototypes = table;
  return table;
}

/**
 * What a canonical address looks like, after UTS #39's skeleton: NFD, each character replaced by the
 * prototype Unicode's confusables data gives it, NFD again, then lower case as canonical addresses
 * are. Two addresses with one skeleton are read as the same address, so only one of them may be an
 * account's: an all-Cyrillic "раураl@example.com" has the skeleton of "paypal@example.com", an
 * all-Greek "ορεν@example.com" that of "open@example.com".
 *
 * One deliberate departure from UTS #39: ASCII characters are left as they are, and only the others
 * are mapped. The full skeleton also maps "m" to "rn", "1" and "I" to "l" and "0" to "O", so
 * "modem@x" and "modern@x", or "j0hn@x" and "john@x", would count as one address, and ordinary
 * people with distinct addresses would be refused. Here an all-ASCII address is its own skeleton,
 * so two different ASCII addresses never collide, while a look-alike needs at least one character
 * outside ASCII, which is what this check is for. The data maps such characters to the ASCII
 * character they imitate ("ｍ"-like letters to "m", not "rn"), so they meet the ASCII addresses
 * people actually have.
 */
export function emailSkeleton(canonical: string): string {
  const table = prototypeTable();
  let mapped = "";
  for (const char of canonical.normalize("NFD")) {
    const codePoint = char.codePointAt(0)!;
    mapped += codePoint < 0x80 ? char : (table.get(codePoint) ?? char);
  }
  return mapped.normalize("NFD").toLowerCase();
}
