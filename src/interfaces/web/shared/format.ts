/**
 * Dates as people read them. Pages render on the server, which does not know the reader's time
 * zone, so absolute times say "UTC" explicitly; "5 minutes ago" needs no zone at all.
 */
const ABSOLUTE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatDateTime(at: Date): string {
  return `${ABSOLUTE.format(at)} UTC`;
}

export function formatRelative(at: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  let text: string;
  if (s < 60) return future ? "in less than a minute" : "just now";
  if (s < 3600) text = plural(Math.floor(s / 60), "minute");
  else if (s < 86400) text = plural(Math.floor(s / 3600), "hour");
  else text = plural(Math.floor(s / 86400), "day");
  return future ? `in ${text}` : `${text} ago`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** "7 days", "12 hours", "30 minutes": a configured length of time. */
export function describeDuration(seconds: number): string {
  if (seconds % 86400 === 0) return plural(seconds / 86400, "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}
