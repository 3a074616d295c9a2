/**
 * The pieces every workflow test file on the time-skipping server shares: one environment
 * with the cascade's search attributes registered, one workflow bundle, and recording of
 * histories for the replay test.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { searchAttributeTypes } from '../../contract/search-attributes';
import { createTimeSkippingEnv } from './time-skipping';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const typeOf = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
} as const;

/**
 * The Java test server rejects upserting an unregistered custom search attribute (the
 * workflow task fails with "search attribute UnitLevel is not defined" and retries for
 * ever), and ignores the CLI's `--search-attribute` flags: register them through its
 * OperatorService, which it implements.
 */
export async function registerSearchAttributes(env: TestWorkflowEnvironment, namespace = 'default'): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.entries(searchAttributeTypes).map(([name, type]) => [name, typeOf[type]]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}

/** A time-skipping environment ready for the cascade's workflows, and their bundle (built once). */
export async function createCascadeTestEnv(): Promise<{ env: TestWorkflowEnvironment; workflowBundle: WorkflowBundleWithSourceMap }> {
  const [env, workflowBundle] = await Promise.all([
    createTimeSkippingEnv(),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger }),
  ]);
  await registerSearchAttributes(env);
  return { env, workflowBundle };
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');
export const recordingHistories = process.env.RECORD_HISTORIES === '1';

/** One recorded execution, as stored in tests/histories/<name>.json. */
export interface RecordedHistory {
  workflowId: string;
  runId: string;
  /**
   * The History message as protobufjs JSON (`History.toJSON()`); read it back with
   * `History.fromObject`. (`historyToJSON` from @temporalio/common/lib/proto-utils throws
   * "type must be a Type" under jest's module registry.)
   */
  history: unknown;
}

/**
 * When RECORD_HISTORIES=1, writes the closed executions of `handles` (every run of each,
 * following continue-as-new) to tests/histories/<name>.json for tests/replay.test.ts.
 * A history already recorded is never overwritten: the committed histories stand for
 * workflows running in production, so a new path gets a new file.
 */
export async function maybeRecordHistories(
  client: Client,
  name: string,
  handles: WorkflowHandle[],
): Promise<void> {
  if (!recordingHistories) return;
  const file = path.join(HISTORIES_DIR, `${name}.json`);
  if (fs.existsSync(file)) return;
  const out: RecordedHistory[] = [];
  for (const handle of handles) {
    // Every run, oldest first: follow continue-as-new from the first run.
    // A handle from getHandle(id) has no first run id: then only the latest run is recorded.
    let runId: string | undefined = (handle as { firstExecutionRunId?: string }).firstExecutionRunId;
    let first = true;
    while (first || runId) {
      first = false;
      const run = client.workflow.getHandle(handle.workflowId, runId);
      const history = await run.fetchHistory();
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      out.push({
        workflowId: handle.workflowId,
        runId: runId ?? started?.originalExecutionRunId ?? '',
        history: temporal.api.history.v1.History.fromObject(history).toJSON(),
      });
      const last = history.events?.[history.events.length - 1];
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
  }
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
}
