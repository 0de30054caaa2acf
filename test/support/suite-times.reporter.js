/**
 * Prints, after a run, the suites that took longest and how busy the workers were, so a slower
 * `npm test` says where its time went (npm run bench reports the total as P5).
 */
class SuiteTimesReporter {
  constructor(globalConfig) {
    this.workers = globalConfig.maxWorkers;
    this.started = Date.now();
  }

  onRunComplete(_contexts, results) {
    const suites = results.testResults
      .map((suite) => ({ path: suite.testFilePath.replace(`${process.cwd()}/`, ""), seconds: (suite.perfStats.end - suite.perfStats.start) / 1000 }))
      .filter((suite) => Number.isFinite(suite.seconds))
      .sort((a, b) => b.seconds - a.seconds);
    const busy = suites.reduce((sum, suite) => sum + suite.seconds, 0);
    const wall = (Date.now() - this.started) / 1000;
    const lines = suites.slice(0, 15).map((suite) => `  ${suite.seconds.toFixed(1).padStart(7)} s  ${suite.path}`);
    console.log(
      `\nSuite times: ${suites.length} suites, ${busy.toFixed(0)} s in suites over ${wall.toFixed(0)} s of wall time ` +
        `with ${this.workers} workers (${((busy / (wall * this.workers)) * 100).toFixed(0)} % of worker time); the longest:\n${lines.join("\n")}`,
    );
  }
}

module.exports = SuiteTimesReporter;
