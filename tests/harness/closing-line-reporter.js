/**
 * Ends every Jest run with one plain line, `tests: N passed, N failed[, N skipped]`, after
 * Jest's own summary. CI tools that do not know Jest's summary format (`Tests: 312 passed,
 * 312 total`) read the closing line to tell a run that executed tests from one that
 * executed none. Suites that failed to load count as failed, so a broken file never reads
 * as "0 failed". Written when the process exits: Jest prints its summary after every
 * custom reporter, and the global teardown after that. No other line of a run may look like
 * a known runner's closing line (schemathesis's pytest-style summary is prefixed for that).
 */
class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // On stdout (Jest's own output goes to stderr): the last line of the run's output either
    // way. Pipes and files are written synchronously on exit, so the line is not lost.
    process.once('exit', () => process.stdout.write(`${line}\n`));
  }
}

module.exports = ClosingLineReporter;
