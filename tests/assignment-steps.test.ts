/** What happens next to an assignment (workflows/assignment-steps.ts), pure: no Temporal. */
import * as sm from '../workflows/assignment-state';
import { acknowledgeOutcome, continuesAsNew, nextStep, relayMode, relaysOnDelivery, type Pending } from '../workflows/assignment-steps';
import { Stage, type ReportCycle } from '../contract/definitions';

const DEADLINE = '2026-11-25T10:00:00.000Z';
const RUNG = '2026-11-27T10:00:00.000Z';
const CYCLES: ReportCycle[] = [
  { cycle: 1, dueAt: '2026-12-31T10:00:00.000Z' },
  { cycle: 2, dueAt: '2027-06-30T10:00:00.000Z' },
];

type Shape = 'leaf' | 'concretizing' | 'relaying';

function state(shape: Shape, cycles: ReportCycle[] = []): sm.AssignmentState {
  const s = sm.initialState({
    isLeaf: shape === 'leaf',
    mustConcretize: shape === 'concretizing',
    directiveVersion: 1,
    reportCycles: cycles,
  });
  s.ladder = { obligation: 'ack@1', deadline: DEADLINE, times: [DEADLINE, RUNG], fired: 0 };
  return s;
}

const quiet: Pending = { incident: false, revocation: false, amendment: false, relay: false, cycleClosed: false, historyLong: false };

describe('nextStep', () => {
  const open = () => state('leaf', CYCLES);
  const closed = () => Object.assign(state('leaf'), { stage: Stage.COMPLETED });
  const acked = () => {
    const s = state('leaf', CYCLES);
    sm.applyAcknowledge(s);
    return s;
  };
  const done = () => {
    const s = state('leaf');
    sm.applyAcknowledge(s);
    return s;
  };
  const reportedOnce = () => {
    const s = acked();
    sm.applyReport(s, 1);
    return s;
  };

  test.each<[string, () => sm.AssignmentState, Partial<Pending>, ReturnType<typeof nextStep>['kind']]>([
    ['when the assignment is closed then the loop ends, whatever waits', closed, { revocation: true, incident: true }, 'closed'],
    ['when an incident was noticed then it fails before any message', open, { incident: true, revocation: true }, 'fail'],
    ['when a revocation waits then it is applied before an amendment', open, { revocation: true, amendment: true }, 'revoke'],
    ['when an amendment waits then it is applied before the relay', open, { amendment: true, relay: true }, 'amend'],
    ['when the relay is owed then it runs before continue-as-new', reportedOnce, { relay: true, cycleClosed: true }, 'relay'],
    ['when a cycle closed with cycles left then the run continues as new', reportedOnce, { cycleClosed: true }, 'continue-as-new'],
    ['when the history is long and duties remain then the run continues as new', open, { historyLong: true }, 'continue-as-new'],
    ['when every duty is done then it completes, even with a long history', done, { historyLong: true }, 'complete'],
    ['when what is owed has no ladder then a deadline is planned', acked, {}, 'plan-deadline'],
    ['when what is owed has its ladder then the loop waits', open, {}, 'wait'],
  ])('%s', (_title, make, pending, kind) => {
    expect(nextStep(make(), { ...quiet, ...pending }).kind).toBe(kind);
  });

  test('when the loop waits then it waits for the ladder’s next rung, and without end once every rung fired', () => {
    const s = open();
    expect(nextStep(s, quiet)).toEqual({ kind: 'wait', obligation: 'ack@1', at: DEADLINE });
    s.ladder!.fired = 1;
    expect(nextStep(s, quiet)).toEqual({ kind: 'wait', obligation: 'ack@1', at: RUNG });
    s.ladder!.fired = 2;
    expect(nextStep(s, quiet)).toEqual({ kind: 'wait', obligation: 'ack@1', at: undefined });
  });

  test('when a deadline is to be planned then the step names the obligation owed', () => {
    expect(nextStep(acked(), quiet)).toEqual({ kind: 'plan-deadline', obligation: 'report#1' });
  });
});

describe('continuesAsNew', () => {
  test('when the last cycle was reported then the run does not continue as new (it completes)', () => {
    const s = state('leaf', CYCLES.slice(0, 1));
    sm.applyAcknowledge(s);
    sm.applyReport(s, 1);
    expect(continuesAsNew(s, { cycleClosed: true, historyLong: true })).toBe(false);
  });

  test('when nothing closed a cycle and the history is short then the run goes on', () => {
    expect(continuesAsNew(state('leaf', CYCLES), { cycleClosed: false, historyLong: false })).toBe(false);
  });
});

describe('acknowledgeOutcome', () => {
  const ackd = (shape: Shape, cycles: ReportCycle[] = [], forwarded = false) => {
    const s = state(shape, cycles);
    s.forwarded = forwarded;
    sm.applyAcknowledge(s);
    return s;
  };

  test.each<[string, sm.AssignmentState, 'on_acknowledge' | 'on_delivery', { completes: boolean; relayNext: boolean }]>([
    ['when a leaf owes no report then the acknowledgement completes it', ackd('leaf'), 'on_acknowledge', { completes: true, relayNext: false }],
    ['when a leaf owes reports then it does not complete', ackd('leaf', CYCLES), 'on_acknowledge', { completes: false, relayNext: false }],
    ['when a concretizing level acknowledges then it still owes its document', ackd('concretizing'), 'on_acknowledge', { completes: false, relayNext: false }],
    ['when a relaying level relays on acknowledgement then it relays next', ackd('relaying'), 'on_acknowledge', { completes: false, relayNext: true }],
    ['when a relaying level relayed on delivery then the acknowledgement completes it', ackd('relaying', [], true), 'on_delivery', { completes: true, relayNext: false }],
    ['when a relaying level already forwarded then it does not relay again', ackd('relaying', [], true), 'on_acknowledge', { completes: true, relayNext: false }],
  ])('%s', (_title, s, mode, outcome) => {
    expect(acknowledgeOutcome(s, mode)).toEqual(outcome);
  });
});

describe('relaying', () => {
  test('when a policy names no relay moment then the level relays on acknowledgement, as the API defaults', () => {
    expect(relayMode({})).toBe('on_acknowledge');
    expect(relayMode({ relay: 'on_delivery' })).toBe('on_delivery');
  });

  test('when a level relays on delivery then only a relaying level passes the document on at delivery', () => {
    expect(relaysOnDelivery(state('relaying'), 'on_delivery')).toBe(true);
    expect(relaysOnDelivery(state('relaying'), 'on_acknowledge')).toBe(false);
    expect(relaysOnDelivery(state('concretizing'), 'on_delivery')).toBe(false);
    expect(relaysOnDelivery(state('leaf'), 'on_delivery')).toBe(false);
  });
});
