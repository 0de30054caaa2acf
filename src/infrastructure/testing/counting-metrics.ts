import type { AuthMetrics } from "../../application/shared/ports/metrics.port";

/** The metrics port kept as plain counts, for unit tests: `metrics.count("throttled", "sign-in:ip")`. */
export class CountingMetrics implements AuthMetrics {
  private readonly counts = new Map<string, number>();

  attempt(kind: "sign-in" | "sign-up", outcome: string): void {
    this.add(`attempt:${kind}`, outcome);
  }

  throttled(limit: string): void {
    this.add("throttled", limit);
  }

  locked(limit: string): void {
    this.add("locked", limit);
  }

  count(family: "attempt:sign-in" | "attempt:sign-up" | "throttled" | "locked", label: string): number {
    return this.counts.get(`${family}|${label}`) ?? 0;
  }

  private add(family: string, label: string): void {
    const key = `${family}|${label}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
