/**
 * A short, human description of a User-Agent header for the session list ("Firefox on Windows").
 * Only recognisable names are shown; the raw header is attacker-chosen text and is never echoed whole.
 */
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|\bChrome\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/^curl\//i, "curl"],
  [/^Wget\//i, "Wget"],
  [/\bnode(?:-fetch)?\b|\bundici\b/i, "Node.js"],
  [/^python-requests\//i, "Python requests"],
  [/^PostmanRuntime\//, "Postman"],
];

const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent || userAgent.trim() === "") return "Unknown device";
  const ua = userAgent.slice(0, 512);
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  const headless = /\bHeadlessChrome\//.test(ua);
  const name = headless ? "Headless Chrome" : browser;
  if (name && system) return `${name} on ${system}`;
  if (name) return name;
  if (system) return `Browser on ${system}`;
  return "Unknown device";
}
