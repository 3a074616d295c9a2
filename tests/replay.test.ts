/**
 * Replays recorded histories (tests/histories/*.json) against today's workflow code: a
 * change that would break running workflows fails here as a DeterminismViolation or
 * ReplayError.
 *
 * The histories come from representative runs of tests/workflow-deadlines.test.ts (full
 * lifecycle with concretize + forward + report, escalation ladder with an approved
 * extension, revocation, amendment, continue-as-new between report cycles) and of
 * tests/cascade-relay.e2e.test.ts (relays). They stand for workflows running in
 * production: never re-record or edit one. A new path gets a new file:
 *
 *   RECORD_HISTORIES=1 npx jest <test file> -t '<test name>'
 *
 * which writes only histories that do not exist yet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
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
      expect.arrayContaining([
        'amendment.json',
        'carried-revocation.json',
        'child-policy-only.json',
        'continue-as-new.json',
        'escalation-with-extension.json',
        'full-lifecycle.json',
        'incident-delivery.json',
        'local-records-amendment.json',
        'local-records-continue-as-new.json',
        'local-records-escalation-with-extension.json',
        'local-records-full-lifecycle.json',
        'local-records-revocation.json',
        'local-record.json',
        'pre-v2-child-policy-only.json',
        'pre-v2-relay-after-answer.json',
        'parents-queue-relays.json',
        'relay-after-answer.json',
        'relay-on-acknowledge.json',
        'relays.json',
        'revocation.json',
        'revoke-during-fanout.json',
        'run-start-v2-child-policy-only.json',
        'run-start-v2-relay-after-answer.json',
        'run-start-v4-amendment.json',
        'run-start-v4-continue-as-new.json',
        'run-start-v4-escalation-with-extension.json',
        'run-start-v4-full-lifecycle.json',
        'run-start-v4-revocation.json',
        'run-start-v5-amendment.json',
        'run-start-v5-continue-as-new.json',
        'run-start-v5-escalation-with-extension.json',
        'run-start-v5-full-lifecycle.json',
        'run-start-v5-relays.json',
        'run-start-v5-revocation.json',
        'run-start-v6-amendment.json',
        'run-start-v6-continue-as-new.json',
        'run-start-v6-escalation-with-extension.json',
        'run-start-v6-full-lifecycle.json',
        'run-start-v6-parent-continue-as-new.json',
        'run-start-v6-relays.json',
        'run-start-v6-revocation.json',
        'run-start-v7-ack-during-fanout.json',
        'run-start-v7-amendment.json',
        'run-start-v7-continue-as-new.json',
        'run-start-v7-escalation-with-extension.json',
        'run-start-v7-full-lifecycle.json',
        'run-start-v7-parent-continue-as-new.json',
        'run-start-v7-relays.json',
        'run-start-v7-revocation.json',
        'run-start-v8-ack-during-fanout.json',
        'run-start-v8-adaptive-waves.json',
        'run-start-v8-amendment.json',
        'run-start-v8-continue-as-new.json',
        'run-start-v8-escalation-with-extension.json',
        'run-start-v8-full-lifecycle.json',
        'run-start-v8-parent-continue-as-new.json',
        'run-start-v8-relays.json',
        'run-start-v8-revocation.json',
        'run-start-v9-ack-during-fanout.json',
        'run-start-v9-adaptive-waves.json',
        'run-start-v9-amendment.json',
        'run-start-v9-continue-as-new.json',
        'run-start-v9-escalation-with-extension.json',
        'run-start-v9-full-lifecycle.json',
        'run-start-v9-parent-continue-as-new.json',
        'run-start-v9-relays.json',
        'run-start-v9-revocation.json',
        'task-parts.json',
      ]),
    );
  });

  test('when every recorded history is replayed against the current workflow code then none fails', async () => {
    const histories = files.flatMap((file) =>
      load(file).map((h) => ({ file, workflowId: h.workflowId, runId: h.runId, history: temporal.api.history.v1.History.fromObject(h.history as object) })),
    );
    expect(histories.length).toBeGreaterThanOrEqual(226);
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: require.resolve('../workflows') },
      histories.map(({ workflowId, history }) => ({ workflowId, history })),
    )) {
      replayed++;
      if (result.error) {
        failures.push(`${result.workflowId} (${result.runId}): ${result.error.name}: ${result.error.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  }, 60_000);
});
