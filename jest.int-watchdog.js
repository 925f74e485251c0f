// A reporter of the integration tests (jest.preset.js): a test file still running after OTS_INT_FILE_LIMIT_MS
// (default 10 minutes; the longest file takes about 1.5) ends the run, saying where it was and what it held open,
// rather than leaving the CI run to hang until CI's own limit. Jest's test and hook timeouts end a wait that never
// settles inside a test or hook; this also catches what they do not, such as Jest itself waiting after one.
// Integration test files run in band (maxWorkers 1), so this timer lives in the process that runs the tests.
class IntTestWatchdog {
  constructor() {
    this.limitMs = Number(process.env.OTS_INT_FILE_LIMIT_MS ?? 600_000);
    this.timer = undefined;
    this.where = '';
  }

  onTestFileStart(test) {
    clearTimeout(this.timer);
    this.where = 'before its first test (module load or beforeAll)';
    this.timer = setTimeout(() => this.fire(test.path), this.limitMs);
    this.timer.unref();
  }

  onTestCaseStart(_test, testCase) {
    this.where = `in "${testCase.fullName}"`;
  }

  onTestCaseResult(_test, testCase) {
    this.where = `after "${testCase.fullName}" (${testCase.status}): in a hook or teardown`;
  }

  onTestFileResult() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  fire(path) {
    process.stderr.write(
      `\nint-test watchdog: ${path} is still running after ${this.limitMs / 1000} s, ${this.where}; ` +
        `open: ${process.getActiveResourcesInfo().join(', ')}. Ending the run.\n`,
    );
    process.exit(1);
  }
}

module.exports = IntTestWatchdog;
