import { createRequire } from "node:module";

/** The parts of autocannon's options and result the benchmarks use (the package ships no types). */
export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  readonly overallRate?: number;
  readonly timeout?: number;
}

export interface LoadResult {
  /** Answers per second, any status. */
  readonly rps: number;
  /** 2xx answers per second. */
  readonly okPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  readonly duration: number;
}

interface RawResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  "2xx": number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (options: Record<string, unknown>) => Promise<RawResult>;
const autocannon = createRequire(__filename)("autocannon") as Autocannon;

export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    method: options.method ?? "GET",
    headers: options.headers ?? {},
    body: options.body,
    overallRate: options.overallRate,
    timeout: options.timeout ?? 10,
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count;
  const seconds = result.duration || options.duration;
  return {
    rps: result.requests.total / seconds,
    okPerSecond: result["2xx"] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    duration: seconds,
  };
}
