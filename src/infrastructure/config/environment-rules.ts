// The validation rules and parsers behind Environment's properties: each rule names the variable and
// the fix in its message.

export const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function parseBoolean(value: string): boolean | null {
  const v = value.toLowerCase();
  if (["true", "1", "yes", "on"].includes(v)) return true;
  if (["false", "0", "no", "off"].includes(v)) return false;
  return null;
}

/** Comma-separated, blanks dropped. */
export function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

export function bytes(value: string): number {
  return Buffer.byteLength(value, "utf8");
}




export function protocolIn(value: string, protocols: string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname.length > 0;
  } catch {
    return false;
  }
}


/** What is wrong with APP_URL, or null. */
export function appUrlProblem(value: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https:// or http://";
  if (url.username || url.password) return "must not contain a user or password";
  if (url.pathname !== "/" || url.search || url.hash) return "must be an origin only, without path, query or fragment";
  // Secure cookies and the origin check need https; plain http only on this machine.
  if (production && url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) return "must use https:// in production";
  return null;
}

/** `a@b.c` or `Name <a@b.c>`, on one line (a line break would inject headers). */
export function isMailbox(value: string): boolean {
  if (/[\r\n]/.test(value)) return false;
  const angle = /^[^<>@]*<([^<>\s]+)>$/.exec(value);
  const address = angle ? angle[1] : value;
  return /^[^\s@<>"]+@[^\s@<>"]+$/.test(address);
}

/** `id=Display name,…`: ids of letters, digits, `-`, `_`, `.`; names of 1–60 printable characters. Null when malformed. */
export function parseDeviceClients(value: string): Array<{ id: string; name: string }> | null {
  const clients: Array<{ id: string; name: string }> = [];
  for (const entry of value.split(",")) {
    const at = entry.indexOf("=");
    if (at < 0) return null;
    const id = entry.slice(0, at).trim();
    const name = entry.slice(at + 1).trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id) || name.length === 0 || name.length > 60 || /[\u0000-\u001f\u007f<>]/.test(name)) return null;
    if (clients.some((client) => client.id === id)) return null;
    clients.push({ id, name });
  }
  return clients.length > 0 ? clients : null;
}
