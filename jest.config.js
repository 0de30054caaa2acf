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

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.(t|j)sx?$": swc },
  transformIgnorePatterns: ["/node_modules/(?!(inversify|@inversifyjs|jose)/)"],
  setupFiles: ["reflect-metadata"],
  // Builds the app once per run, only when HTTP or browser suites are selected and the build is stale.
  globalSetup: "<rootDir>/test/support/next-build.global-setup.ts",
  collectCoverageFrom: ["src/domain/**/*.ts", "src/application/**/*.ts"],
  coverageReporters: ["text-summary", "text"],
  coverageThreshold: { global: { branches: 90 } },
  testTimeout: 30000,
};
