import type { Build, BuildVariant, Database, Instance, InstanceOptions } from "./app";

export interface BenchOptions {
  /** Rounds per figure; each figure is the median over them. */
  readonly rounds: number;
  /** Seconds per load run. */
  readonly duration: number;
  /** Connections of the page load (P1, P4). */
  readonly connections: number;
  /** Concurrent sign-ins (P2) and the raw argon2 concurrency they are compared with. */
  readonly signInConnections: number;
  /** Sign-in flood of P4: connections and requests per second over all of them. */
  readonly floodConnections: number;
  readonly floodRate: number;
  /** Revocations measured per round in P3. */
  readonly propagationSamples: number;
  /** Rounds of P5 (each runs the whole test suite). */
  readonly p5Rounds: number;
  readonly redisUrl: string | null;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** Markdown: a table and a line or two on how to read it. */
  readonly text: string;
  readonly data: unknown;
}

export interface BenchContext {
  readonly options: BenchOptions;
  readonly database: Database;
  readonly smtpUrl: string;
  log(line: string): void;
  build(variant: BuildVariant): Promise<Build>;
  /** Starts an instance that is stopped when its scenario ends. */
  start(options: Omit<InstanceOptions, "databaseUrl" | "smtpUrl">): Promise<Instance>;
}
