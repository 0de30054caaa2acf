/**
 * Longest suites first, so no worker is left with a long suite at the end of the run while the
 * other sits idle. Jest orders by the durations of an earlier run on this machine when it has them,
 * else by file size, which says little here (a short file can start two servers and wait out a
 * session's lifetime). A clean clone, as in CI, has no earlier run: the expected seconds below,
 * measured on a 2-core CI-like run, order the long suites; the rest follow in Jest's order.
 */
const { relative } = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

const EXPECTED_SECONDS = {
  "test/fuzz/json-routes.test.ts": 206,
  "test/first-run/first-run.test.ts": 111,
  "test/http/session-lifetime.test.ts": 107,
  "test/http/mfa.test.ts": 88,
  "test/e2e/accessibility.test.ts": 86,
  "test/e2e/refusals.test.ts": 76,
  "test/e2e/device-approval.test.ts": 73,
  "test/e2e/account-journeys.test.ts": 42,
  "test/http/billing.test.ts": 29,
  "test/e2e/passkeys.test.ts": 25,
};

class SuiteOrder extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const expected = (test) => EXPECTED_SECONDS[relative(test.context.config.rootDir, test.path)] ?? 0;
    return [...sorted].sort((a, b) => expected(b) - expected(a));
  }
}

module.exports = SuiteOrder;
