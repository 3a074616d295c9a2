/**
 * Concretize by default, on the time-skipping server with mocked activities: every level
 * with units below concretizes unless the policy exempts it; a relaying level passes the
 * document on when it acknowledges (also when the policy names no relay moment), or at
 * once with `relay: "on_delivery"`.
 */
import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { revokeSignal, Stage, stateQuery, type CascadePolicy } from '../contract/definitions';
import { workflowIds } from '../contract/ids';
import { maybeRecordHistories } from './harness/cascade-test-env';
import { mockActivities } from './harness/mock-activities';
import { TIME_SKIPPING_SETUP_TIMEOUT_MS } from './harness/time-skipping';
import { createWorkflowKit, waitFor, type WorkflowKit } from './harness/workflow-kit';
import { nextWaveSize } from '../workflows/start-pace';

jest.setTimeout(60_000);

/** A province with as many communes as one workflow starts itself (the kit's maxFanout, 50). */
const bigCommunes = Array.from({ length: 48 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
const mock = mockActivities({
  PROV: { level: 'province', children: ['C1', 'C2'] },
  C1: { level: 'commune' },
  C2: { level: 'commune' },
  BIG: { level: 'province', children: bigCommunes },
  ...Object.fromEntries(bigCommunes.map((c) => [c, { level: 'commune' }])),
});

let kit: WorkflowKit;
let testNo = 0;
beforeAll(async () => {
  kit = await createWorkflowKit(mock);
}, TIME_SKIPPING_SETUP_TIMEOUT_MS);
afterAll(() => kit?.teardown());

const base: CascadePolicy = { ackWithin: 'P1D', concretizeWithin: 'P3D', escalation: [], calendar: 'none' };
const delivered = (d: string) => mock.log.filter((e) => e.kind === 'deliver' && e.directiveId === d).map((e) => e.unitCode);
const stateOf = (d: string, unit: string) => kit.assignment(d, unit).query(stateQuery);

async function run(
  name: string,
  policy: CascadePolicy,
  body: (d: string) => Promise<void>,
  province = 'PROV',
  startWave?: number,
): Promise<void> {
  const d = `${name}-${++testNo}`;
  const q = `relay-${testNo}`;
  await kit.withWorker(q, async () => {
    const root = await kit.startDirective(q, d, [province], policy, startWave);
    await waitFor(() => stateOf(d, province), (v) => !!v.stage, `${province} delivered`);
    await body(d);
    await root.terminate('test over').catch(() => undefined);
  });
}

/** Revokes the cascade so that every run closes, then records its histories (RECORD_HISTORIES=1). */
async function closeAndRecord(d: string, names: string[], units: string[]): Promise<void> {
  const root = kit.env.client.workflow.getHandle(workflowIds.directive(d));
  await root.signal(revokeSignal, { reason: 'closing the recorded run' });
  await root.result();
  for (const name of names) await maybeRecordHistories(kit.env.client, name, [root, ...units.map((u) => kit.assignment(d, u))]);
}

test('when the policy names no levels then a province with units below must concretize', () =>
  run('default', { ...base, relay: 'on_acknowledge' }, async (d) => {
    const view = await kit.ack(d, 'PROV');
    expect(view).toMatchObject({ stage: Stage.ACKNOWLEDGED, waitingFor: 'concretize' });
    expect(delivered(d)).toEqual(['PROV']);
  }));

test('when the province is exempted with relayLevels then it passes the document on when it acknowledges, not before, after answering', () =>
  run('relay-on-ack', { ...base, relayLevels: ['province'], relay: 'on_acknowledge' }, async (d) => {
    // Delivered and not acknowledged: nothing below yet.
    await new Promise((r) => setTimeout(r, 500));
    expect(delivered(d)).toEqual(['PROV']);
    expect(await stateOf(d, 'PROV')).toMatchObject({ stage: Stage.DELIVERED, openChildren: 0 });
    // The answer comes before the fan-out (a province's would wait for hundreds of starts).
    const view = await kit.ack(d, 'PROV');
    expect(view).toMatchObject({ stage: Stage.ACKNOWLEDGED, openChildren: 0 });
    await waitFor(() => delivered(d), (units) => units.length === 3, 'the communes reached');
    await waitFor(() => stateOf(d, 'PROV'), (v) => v.stage === Stage.COMPLETED && v.openChildren === 2, 'PROV relayed');
    expect(mock.persisted(`${d}/PROV`).map((e) => e.type)).toEqual(['ACKNOWLEDGED', 'FORWARDED', 'COMPLETED']);
    const events = (await kit.assignment(d, 'PROV').fetchHistory()).events ?? [];
    const answered = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    const firstStart = events.findIndex((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(answered).toBeGreaterThan(0);
    expect(firstStart).toBeGreaterThan(answered);
    await closeAndRecord(d, ['relay-on-acknowledge'], ['PROV', 'C1']);
  }));

test('when the policy says relay on_delivery then the province passes the document on before acknowledging', () =>
  run('relay-on-delivery', { ...base, relayLevels: ['province'], relay: 'on_delivery' }, async (d) => {
    await waitFor(() => delivered(d), (units) => units.length === 3, 'the communes reached');
    expect(await kit.ack(d, 'PROV')).toMatchObject({ stage: Stage.COMPLETED });
    // Each transition once, whatever wakes the wait loop meanwhile.
    await kit.ack(d, 'C1');
    await kit.ack(d, 'C2');
    const root = kit.env.client.workflow.getHandle(workflowIds.directive(d));
    await root.result();
    expect(mock.persisted(`${d}/PROV`).map((e) => e.type)).toEqual(['FORWARDED', 'ACKNOWLEDGED', 'COMPLETED']);
    await maybeRecordHistories(kit.env.client, 'relay-on-delivery', [root, ...['PROV', 'C1'].map((u) => kit.assignment(d, u))]);
  }));

test('when the policy names no relay moment then a relaying level passes the document on when it acknowledges', () =>
  run('relay-unnamed', { ...base, concretizeLevels: [] }, async (d) => {
    await new Promise((r) => setTimeout(r, 500));
    expect(delivered(d)).toEqual(['PROV']);
    await kit.ack(d, 'PROV');
    await waitFor(() => delivered(d), (units) => units.length === 3, 'the communes reached');
  }));

test('when a province relaying on delivery acknowledges during its fan-out then the answer does not wait for the rest of the fan-out', () =>
  run(
    'ack-during-fanout',
    { ...base, relayLevels: ['province'], relay: 'on_delivery' },
    async (d) => {
      // Sent as soon as the province is delivered: its 48 communes start one at a time after.
      const view = await waitFor(() => kit.ack(d, 'BIG'), () => true, 'BIG acknowledged');
      expect(view).toMatchObject({ stage: Stage.COMPLETED });
      await waitFor(() => delivered(d), (units) => units.length === 49, 'the communes reached');
      await waitFor(() => stateOf(d, 'BIG'), (v) => v.openChildren === 48, 'BIG forwarded');
      const events = (await kit.assignment(d, 'BIG').fetchHistory()).events ?? [];
      const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      const answered = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
      const starts = events.flatMap((e, i) => (e.startChildWorkflowExecutionInitiatedEventAttributes ? [i] : []));
      expect(starts).toHaveLength(48);
      // The acknowledgement reached the province while its fan-out still had starts to make…
      expect(accepted).toBeLessThan(starts[starts.length - 1]!);
      // …and was answered before them, not after the last one.
      expect(answered).toBeLessThan(starts[starts.length - 1]!);
      // Recorded once each, the acknowledgement (the province's last duty) in the middle.
      expect(mock.persisted(`${d}/BIG`).map((e) => e.type)).toEqual(['ACKNOWLEDGED', 'COMPLETED', 'FORWARDED']);
      await closeAndRecord(d, ['ack-during-fanout'], ['BIG', 'B48']);
    },
    'BIG',
  ));

/**
 * The waves of child starts in a history: how many starts each workflow task issued, and how
 * long, in workflow time, until the workflow saw the last of them started (the time of the
 * first workflow task after it, which is when the workflow code learns of it).
 */
function startWaves(events: temporal.api.history.v1.IHistoryEvent[]): Array<{ size: number; tookMs: number }> {
  const waves: Array<{ size: number; issuedAt: number; pending: number; tookMs: number }> = [];
  const waveOf = new Map<string, (typeof waves)[number]>();
  let taskStartedAt = 0;
  let current: (typeof waves)[number] | null = null;
  const resolved: Array<(typeof waves)[number]> = [];
  for (const e of events) {
    if (e.workflowTaskStartedEventAttributes) {
      taskStartedAt = tsToMs(e.eventTime);
      for (const w of resolved.splice(0)) w.tookMs = taskStartedAt - w.issuedAt;
    } else if (e.workflowTaskCompletedEventAttributes) {
      current = null;
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      if (!current) waves.push((current = { size: 0, issuedAt: taskStartedAt, pending: 0, tookMs: -1 }));
      current.size += 1;
      current.pending += 1;
      waveOf.set(String(e.eventId), current);
    } else if (e.childWorkflowExecutionStartedEventAttributes) {
      const w = waveOf.get(String(e.childWorkflowExecutionStartedEventAttributes.initiatedEventId))!;
      if (--w.pending === 0) resolved.push(w);
    }
  }
  return waves.map(({ size, tookMs }) => ({ size, tookMs }));
}

test('when a province fans out with waves of up to 8 then each wave is sized by how fast the one before was started', () =>
  run(
    'adaptive-waves',
    { ...base, relayLevels: ['province'], relay: 'on_delivery' },
    async (d) => {
      await waitFor(() => stateOf(d, 'BIG'), (v) => v.openChildren === 48, 'BIG forwarded');
      const waves = startWaves((await kit.assignment(d, 'BIG').fetchHistory()).events ?? []);
      expect(waves.reduce((n, w) => n + w.size, 0)).toBe(48);
      // From one start, then as the rule says (start-pace.ts: growing by one), never past 8.
      expect(waves[0]!.size).toBe(1);
      let left = 48 - waves[0]!.size;
      for (let k = 1; k < waves.length; k++) {
        const before = waves[k - 1]!;
        expect(before.tookMs).toBeGreaterThanOrEqual(0);
        expect(waves[k]!.size).toBe(Math.min(left, nextWaveSize(before.size, 8, before.tookMs)));
        left -= waves[k]!.size;
      }
      expect(Math.max(...waves.map((w) => w.size))).toBeLessThanOrEqual(8);
      // The timeline's FORWARDED event tells the same pacing, wave by wave (its times are the
      // workflow's clock, which the history's task times approach to a few ms).
      const [forwarded] = mock.persisted(`${d}/BIG`, 'FORWARDED');
      expect((forwarded!.data!.waves as Array<[number, number]>).map(([size]) => size)).toEqual(waves.map((w) => w.size));
      await closeAndRecord(d, ['adaptive-waves'], ['BIG', 'B48']);
    },
    'BIG',
    8,
  ));
