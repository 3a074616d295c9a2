/**
 * Replays the production histories (tests/histories/*.json) against today's workflow code:
 * a change that would break running workflows fails here as a DeterminismViolation or
 * ReplayError.
 *
 * The 1.0 baseline holds one history per representative path, recorded from the 1.0 code
 * by the tests that run it (tests/workflow-*.test.ts, tests/cascade-relay.e2e.test.ts,
 * tests/api/tasks.http.test.ts). They stand for workflows running in production: never
 * re-record or edit one. A new path gets a new file (docs/changing-a-workflow.md):
 *
 *   RECORD_HISTORIES=1 npx jest <test file> -t '<test name>'
 *
 * which writes only histories that do not exist yet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import { workflowTracingInterceptorsModule, tracingWorkerOptions } from '../runtime/temporal-tracing';
import { HISTORIES_DIR, type RecordedHistory } from './harness/cascade-test-env';

const files = fs
  .readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function load(file: string): RecordedHistory[] {
  return JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as RecordedHistory[];
}

describe('replay of recorded histories', () => {
  test('when the histories are listed then every representative run is there', () => {
    expect(files).toEqual(
      expect.arrayContaining(
        [
          'ack-during-fanout',
          'adaptive-waves',
          'amendment',
          'carried-revocation',
          'continue-as-new',
          'escalation-with-extension',
          'full-lifecycle',
          'incident-delivery',
          'parent-continue-as-new',
          'relay-on-acknowledge',
          'relay-on-delivery',
          'relays',
          'reminders-before-deadline',
          'revocation',
          'revoke-during-fanout',
          'task-parts',
        ].map((name) => `${name}.json`),
      ),
    );
  });

  const histories = () =>
    files.flatMap((file) =>
      load(file).map((h) => ({ file, workflowId: h.workflowId, runId: h.runId, history: temporal.api.history.v1.History.fromObject(h.history as object) })),
    );

  /** Replays every history with `options`; the failures, and how many were replayed. */
  async function replayAll(options: ReplayWorkerOptions, all: ReturnType<typeof histories>) {
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(options, all.map(({ workflowId, history }) => ({ workflowId, history })))) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId} (${result.runId}): ${result.error.name}: ${result.error.message}`);
    }
    return { failures, replayed };
  }

  test('when every recorded history is replayed against the current workflow code then none fails', async () => {
    const all = histories();
    expect(all.length).toBeGreaterThanOrEqual(49);
    const { failures, replayed } = await replayAll({ workflowsPath: require.resolve('../workflows') }, all);
    expect(failures).toEqual([]);
    expect(replayed).toBe(all.length);
  }, 60_000);

  test('when every history is replayed with the OpenTelemetry interceptors (tracing on) then none fails, and replay exports no span', async () => {
    const all = histories();
    const exporter = new InMemorySpanExporter();
    const tracing = { spanProcessor: new SimpleSpanProcessor(exporter), resource: new Resource({ 'service.name': 'replay' }), shutdown: async () => undefined };
    const { sinks } = tracingWorkerOptions(tracing);
    const { failures, replayed } = await replayAll(
      { workflowsPath: require.resolve('../workflows'), interceptors: { workflowModules: [workflowTracingInterceptorsModule] }, sinks },
      all,
    );
    expect(failures).toEqual([]);
    expect(replayed).toBe(all.length);
    // Spans are made while a workflow runs, not when its history is replayed.
    expect(exporter.getFinishedSpans()).toEqual([]);
  }, 120_000);
});
