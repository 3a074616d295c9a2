/**
 * A time-skipping Temporal test environment backed by the Java SDK's in-memory test server
 * (provisioned from Maven Central by stack/java-test-server.ts, since the SDK's own binary
 * download cannot be reached here). One environment per test file; call `teardown()` in
 * afterAll. Time skipping is global to the environment: run its workflows one at a time.
 */
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { ensureJavaTestServer } from '../../stack/java-test-server';

/** First use on a machine resolves the server with Maven (about a minute); give beforeAll this long. */
export const TIME_SKIPPING_SETUP_TIMEOUT_MS = 5 * 60_000;

export async function createTimeSkippingEnv(
  opts: Omit<TimeSkippingTestWorkflowEnvironmentOptions, 'server'> & { extraArgs?: string[] } = {},
): Promise<TestWorkflowEnvironment> {
  const { extraArgs, ...rest } = opts;
  const path = await ensureJavaTestServer();
  return TestWorkflowEnvironment.createTimeSkipping({
    ...rest,
    server: { executable: { type: 'existing-path', path }, extraArgs },
  });
}
