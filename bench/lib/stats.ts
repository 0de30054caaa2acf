/** Small statistics and table printing for the benchmarks. Figures are reported, never asserted. */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function ratio(a: number, b: number): number {
  return b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? NaN : a / b;
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toFixed(digits);
}

export function fmtRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";
}

/** A Markdown table (it reads fine in a terminal too), so results paste straight into the README. */
export function table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The list started at a different element each round, so no variant always runs right after the same other. */
export function rotated<T>(list: readonly T[], round: number): T[] {
  const shift = round % Math.max(1, list.length);
  return [...list.slice(shift), ...list.slice(0, shift)];
}

/** One load run of a page with the server's CPU per answer (P1, P8). */
export interface PageRun {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly okPerSecond: number;
  readonly cpuMsPerRequest: number;
}

export interface PageSummary {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly okShare: number;
  readonly cpu: number;
}

/** The medians over the rounds of each variant's runs. */
export function summarizePageRuns(runs: ReadonlyMap<string, readonly PageRun[]>): Record<string, PageSummary> {
  return Object.fromEntries(
    [...runs].map(([key, list]) => [
      key,
      {
        rps: median(list.map((r) => r.rps)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        okShare: median(list.map((r) => r.okPerSecond / r.rps)),
        cpu: median(list.map((r) => r.cpuMsPerRequest)),
      },
    ]),
  );
}
