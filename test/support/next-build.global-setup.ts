/**
 * Jest globalSetup: builds the app once, before any worker starts, when the run includes HTTP tests
 * and the build is missing or older than a source file. Workers then use that build as it is, so an
 * edit made while tests run never rebuilds under a server that is serving.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { BUILD_FROZEN_ENV, ensureNextBuild, ensureTemplate, postgresReachable, ROOT } from "./next-server";

interface PatternExecutor {
  isSet(): boolean;
  isMatch(path: string): boolean;
}
interface GlobalConfigLike {
  readonly rootDir: string;
  readonly testPathPatterns?: { toExecutor(options: { rootDir: string }): PatternExecutor };
}

const SERVER_TEST_DIRS = ["test/http", "test/e2e"];

function selectsServerTests(config: GlobalConfigLike): boolean {
  const executor = config.testPathPatterns?.toExecutor({ rootDir: config.rootDir });
  if (!executor || !executor.isSet()) return true;
  return SERVER_TEST_DIRS.some((dir) => {
    let files: string[] = [];
    try {
      files = readdirSync(join(ROOT, dir), { recursive: true }).map(String);
    } catch {
      return false;
    }
    return files.some((file) => file.endsWith(".test.ts") && executor.isMatch(join(ROOT, dir, file)));
  });
}

export default async function globalSetup(config: GlobalConfigLike): Promise<void> {
  if (!selectsServerTests(config)) return;
  await ensureNextBuild();
  // The template every server's database is copied from, made here once rather than by several
  // workers racing to make it as their first suites start.
  if (postgresReachable()) await ensureTemplate();
  // Inherited by the workers, which are started after this.
  process.env[BUILD_FROZEN_ENV] = "1";
}
