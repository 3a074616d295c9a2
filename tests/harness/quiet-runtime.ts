/** Keeps the SDK's per-worker INFO lines (state changes, bundle stats) out of test output. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger(process.env.TEMPORAL_TEST_LOG === '1' ? 'INFO' : 'WARN') });
} catch {
  // Already installed by an earlier test file in this process.
}
