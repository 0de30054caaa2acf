const { execFileSync } = require("node:child_process");
const { existsSync } = require("node:fs");

/** @type {import('jest').Config} */
const swc = [
  "@swc/jest",
  {
    jsc: {
      target: "es2022",
      parser: { syntax: "typescript", decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: "automatic" } },
    },
    module: { type: "commonjs" },
  },
];

const CI = process.env.CI === "true" || process.env.CI === "1";
const DATABASE_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function postgresAnswers() {
  const script =
    'const {Client}=require("pg");const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});' +
    "c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));";
  try {
    execFileSync(process.execPath, ["-e", script, DATABASE_URL], { cwd: __dirname, stdio: "ignore", timeout: 8000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * On a workstation, suites whose server is missing are left out with a printed notice. With CI=true
 * nothing is left out: every suite runs and one whose server is missing fails loudly.
 */
function leftOut() {
  if (CI) return [];
  const patterns = [];
  if (!postgresAnswers()) {
    console.warn(`notice: PostgreSQL is not reachable at ${DATABASE_URL} (set TEST_DATABASE_URL): the HTTP, security, browser and several-instance suites do not run.`);
    patterns.push("<rootDir>/test/(http|security|fuzz|faults|e2e|first-run|multi-instance)/", "<rootDir>/test/integration/(session-cache|di)/");
  }
  if (!existsSync(CHROMIUM)) {
    console.warn(`notice: Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH): the browser suites do not run.`);
    patterns.push("<rootDir>/test/(e2e|first-run)/");
  }
  return patterns;
}

module.exports = {
  // Jest's default is one worker fewer than the cores, so one worker on a two-core machine. Most suites
  // spend their time waiting on a server, a browser or the database rather than on the CPU: with two
  // workers the CPUs of a 2-core CI machine were still idle a third of the time (vmstat over a whole
  // run), so a third worker takes up that slack. Every suite has its own database, ports and server.
  maxWorkers: 3,
  testPathIgnorePatterns: ["/node_modules/", ...leftOut()],
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.(t|j)sx?$": swc },
  transformIgnorePatterns: ["/node_modules/(?!(inversify|@inversifyjs|jose|otplib|@otplib|@scure|@noble)/)"],
  setupFiles: ["reflect-metadata"],
  // Builds the app once per run, only when HTTP or browser suites are selected and the build is stale.
  globalSetup: "<rootDir>/test/support/next-build.global-setup.ts",
  collectCoverageFrom: ["src/domain/**/*.ts", "src/application/**/*.ts"],
  coverageReporters: ["text-summary", "text"],
  // 90 % of branches in src/domain and src/application. The unit and contract suites alone reach about
  // 92 %; the HTTP and browser suites add nothing here, as they run the app in another process.
  coverageThreshold: { global: { branches: 90 } },
  testTimeout: 30000,
  testSequencer: "<rootDir>/test/support/suite-order.sequencer.js",
  reporters: ["default", "<rootDir>/test/support/suite-times.reporter.js"],
};
