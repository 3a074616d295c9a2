/** The assignment state machine (workflows/assignment-state.ts), pure: no Temporal, no database. */
import * as sm from '../workflows/assignment-state';
import { nextLadderTime } from '../workflows/ladder';
import { Stage, type ReportCycle } from '../contract/definitions';

const CYCLES: ReportCycle[] = [
  { cycle: 1, dueAt: '2026-12-31T10:00:00.000Z' },
  { cycle: 2, dueAt: '2027-06-30T10:00:00.000Z' },
];
const DEADLINE = '2026-11-25T10:00:00.000Z';
const ids = { assignmentId: 'd/U', directiveId: 'd', unitCode: 'U' };

function state(opts: Partial<Parameters<typeof sm.initialState>[0]> = {}): sm.AssignmentState {
  const s = sm.initialState({ isLeaf: false, mustConcretize: true, directiveVersion: 1, reportCycles: CYCLES, ...opts });
  s.ladder = { obligation: 'ack@1', deadline: DEADLINE, times: [DEADLINE, DEADLINE], fired: 0 };
  return s;
}
const ack = (s: sm.AssignmentState) => {
  expect(sm.validateAcknowledge(s, 'U', { actorUnitCode: 'U' })).toBeNull();
  sm.applyAcknowledge(s);
};
const concretize = (over: Partial<Parameters<typeof sm.validateConcretize>[2]> = {}) => ({
  actorUnitCode: 'U',
  number: '12/KH',
  title: 'Kế hoạch',
  issuedAt: '2026-11-22T00:00:00Z',
  ...over,
});
const report = (over: Partial<Parameters<typeof sm.validateReport>[2]> = {}) => ({
  actorUnitCode: 'U',
  summary: 'xong',
  completion: 50,
  ...over,
});
const extension = (over: Partial<Parameters<typeof sm.validateExtensionRequest>[2]> = {}) => ({
  actorUnitCode: 'U',
  requestId: 'x1',
  requestedDeadline: '2026-11-30T10:00:00.000Z',
  reason: 'lũ lụt',
  ...over,
});

describe('obligations', () => {
  test('when a concretizing unit goes through its duties then it owes ack, concretize, each report cycle, then nothing', () => {
    const s = state();
    expect(sm.currentObligation(s)).toEqual({ key: 'ack@1', kind: 'ack' });
    ack(s);
    expect(s.stage).toBe(Stage.ACKNOWLEDGED);
    expect(sm.currentObligation(s)).toEqual({ key: 'concretize', kind: 'concretize' });
    sm.applyConcretize(s, 'd~U');
    expect(s.stage).toBe(Stage.CONCRETIZED);
    sm.applyForwarded(s);
    expect(s.stage).toBe(Stage.FORWARDED);
    expect(sm.currentObligation(s)).toEqual({ key: 'report#1', kind: 'report', cycle: 1, dueAt: CYCLES[0]!.dueAt });
    sm.applyReport(s, 1);
    expect(sm.currentObligation(s)).toMatchObject({ key: 'report#2', cycle: 2 });
    expect(sm.dutiesDone(s)).toBe(false);
    sm.applyReport(s, 2);
    expect(s.stage).toBe(Stage.REPORTED);
    expect(sm.currentObligation(s)).toBeNull();
    expect(sm.dutiesDone(s)).toBe(true);
  });

  test('when the unit is a leaf then it skips concretize and owes its report right after acknowledging', () => {
    const s = state({ isLeaf: true, mustConcretize: true });
    expect(s.mustConcretize).toBe(false);
    expect(sm.relays(s)).toBe(false);
    ack(s);
    expect(sm.currentObligation(s)?.key).toBe('report#1');
    expect(sm.validateConcretize(s, 'U', concretize())).toBe('a unit with no units below it does not concretize');
  });

  test('when a leaf has no report cycles then acknowledging is its last duty', () => {
    const s = state({ isLeaf: true, reportCycles: [] });
    ack(s);
    expect(sm.dutiesDone(s)).toBe(true);
  });

  test('when a level need not concretize then it relays on delivery and moves to FORWARDED on acknowledging', () => {
    const s = state({ mustConcretize: false });
    expect(sm.relays(s)).toBe(true);
    sm.applyForwarded(s);
    expect(s.stage).toBe(Stage.DELIVERED); // forwarded before acknowledging
    ack(s);
    expect(s.stage).toBe(Stage.FORWARDED);
    expect(sm.currentObligation(s)?.key).toBe('report#1');
    expect(sm.validateConcretize(s, 'U', concretize())).toBe('the policy does not ask this level to concretize');
  });

  test('when the assignment is closed then it owes nothing and every action is rejected', () => {
    for (const stage of [Stage.COMPLETED, Stage.REVOKED]) {
      const s = state();
      s.stage = stage;
      expect(sm.currentObligation(s)).toBeNull();
      expect(sm.dutiesDone(s)).toBe(false);
      expect(sm.validateAcknowledge(s, 'U', { actorUnitCode: 'U' })).toBe(`the assignment is ${stage}`);
      expect(sm.validateReport(s, 'U', report())).toBe(`the assignment is ${stage}`);
      expect(sm.applyAmendment(s, 2)).toBe(false);
    }
  });
});

describe('validators', () => {
  test('when another unit acts then every unit action is rejected', () => {
    const s = state();
    expect(sm.validateAcknowledge(s, 'U', { actorUnitCode: 'X' })).toBe('unit X cannot act for U');
    expect(sm.validateConcretize(s, 'U', concretize({ actorUnitCode: 'X' }))).toBe('unit X cannot act for U');
    expect(sm.validateReport(s, 'U', report({ actorUnitCode: 'X' }))).toBe('unit X cannot act for U');
    expect(sm.validateExtensionRequest(s, 'U', extension({ actorUnitCode: 'X' }))).toBe('unit X cannot act for U');
  });

  test('when an action comes at the wrong stage then it is rejected with what is owed first', () => {
    const s = state();
    expect(sm.validateConcretize(s, 'U', concretize())).toBe('acknowledge the directive before concretizing it');
    expect(sm.validateReport(s, 'U', report())).toBe('acknowledge the directive before reporting');
    ack(s);
    expect(sm.validateAcknowledge(s, 'U', { actorUnitCode: 'U' })).toBe('version 1 is already acknowledged');
    expect(sm.validateReport(s, 'U', report())).toBe('concretize the directive before reporting');
    sm.applyConcretize(s, 'd~U');
    expect(sm.validateConcretize(s, 'U', concretize())).toBe('already concretized');
    expect(sm.validateReport(s, 'U', report({ cycle: 2 }))).toBe('the next report owed is cycle 1');
    sm.applyReport(s, 1);
    expect(sm.validateReport(s, 'U', report({ cycle: 1 }))).toBe('cycle 1 is already reported');
    sm.applyReport(s, 2);
    expect(sm.validateReport(s, 'U', report())).toBe('every report cycle is already reported');
    const noReports = state({ isLeaf: true, reportCycles: [] });
    ack(noReports);
    expect(sm.validateReport(noReports, 'U', report())).toBe('this directive asks for no report');
  });

  test('when the payload is invalid then it is rejected', () => {
    const s = state();
    ack(s);
    expect(sm.validateConcretize(s, 'U', concretize({ number: ' ' }))).toBe('number and title are required');
    expect(sm.validateConcretize(s, 'U', concretize({ issuedAt: 'hôm qua' }))).toBe('issuedAt must be a date');
    expect(sm.validateConcretize(s, 'U', concretize({ recipients: ['A', 'U'] }))).toBe('a unit cannot forward to itself');
    expect(sm.validateConcretize(s, 'U', concretize())).toBeNull();
    sm.applyConcretize(s, 'd~U');
    expect(sm.validateReport(s, 'U', report({ completion: 101 }))).toBe('completion must be between 0 and 100');
    expect(sm.validateReport(s, 'U', report({ completion: Number.NaN }))).toBe('completion must be between 0 and 100');
    expect(sm.validateReport(s, 'U', report({ summary: '  ' }))).toBe('summary is required');
    expect(sm.validateReport(s, 'U', report({ cycle: 1 }))).toBeNull();
    expect(sm.validateExtensionRequest(s, 'U', extension({ reason: '' }))).toBe('reason is required');
  });

  test('when an extension request is malformed, early or duplicated then it is rejected', () => {
    const s = state();
    expect(sm.validateExtensionRequest(s, 'U', extension({ requestedDeadline: 'sau Tết' }))).toBe(
      'requestedDeadline must be a date',
    );
    expect(sm.validateExtensionRequest(s, 'U', extension({ requestedDeadline: DEADLINE }))).toBe(
      'requestedDeadline must be later than the current deadline',
    );
    const noLadder = state();
    noLadder.ladder = null;
    expect(sm.validateExtensionRequest(noLadder, 'U', extension())).toBe('nothing is due');
    expect(sm.validateExtensionRequest(s, 'U', extension())).toBeNull();
    s.extensions.push({ requestId: 'x1', obligation: 'ack@1', currentDeadline: DEADLINE, requestedDeadline: '2026-11-30T10:00:00.000Z', reason: 'r', status: 'PENDING' });
    expect(sm.validateExtensionRequest(s, 'U', extension())).toBe('request x1 already exists');
    expect(sm.validateExtensionRequest(s, 'U', extension({ requestId: 'x2' }))).toBe('an extension request is already pending');
    expect(sm.validateExtensionDecision(s, 'P', { actorUnitCode: 'U', requestId: 'x1', approve: true })).toBe(
      'only P, the unit above, decides this extension',
    );
    expect(sm.validateExtensionDecision(s, 'P', { actorUnitCode: 'P', requestId: 'nope', approve: true })).toBe(
      'no extension request nope',
    );
    expect(sm.validateExtensionDecision(s, 'P', { actorUnitCode: 'P', requestId: 'x1', approve: false })).toBeNull();
    sm.applyExtensionDecision(s, { actorUnitCode: 'P', requestId: 'x1', approve: false });
    expect(sm.validateExtensionDecision(s, 'P', { actorUnitCode: 'P', requestId: 'x1', approve: true })).toBe(
      'request x1 is already REJECTED',
    );
  });
});

describe('amendments, extensions and the ladder', () => {
  test('when the directive is amended then the unit owes an acknowledgement of the new version, and an old version is ignored', () => {
    const s = state({ mustConcretize: false });
    sm.applyForwarded(s); // a relay level forwards on delivery
    ack(s);
    expect(sm.currentObligation(s)?.key).toBe('report#1');
    expect(sm.applyAmendment(s, 2)).toBe(true);
    expect(sm.currentObligation(s)).toEqual({ key: 'ack@2', kind: 'ack' });
    expect(sm.applyAmendment(s, 2)).toBe(false);
    expect(sm.applyAmendment(s, 1)).toBe(false);
    expect(sm.validateReport(s, 'U', report())).toBe('acknowledge the directive before reporting');
    ack(s);
    expect(s.ackVersion).toBe(2);
    expect(s.stage).toBe(Stage.FORWARDED); // an amendment does not move the stage back
    expect(sm.view(s, ids)).toMatchObject({ waitingFor: 'report#1', directiveVersion: 2, ackVersion: 2 });
  });

  test('when an overdue ladder fires then overdue and the rung follow, and they clear once the unit moves on or closes', () => {
    const s = state({ isLeaf: true });
    s.ladder = { obligation: 'ack@1', deadline: DEADLINE, times: [DEADLINE, DEADLINE, '2026-11-27T10:00:00.000Z'], fired: 0 };
    expect(nextLadderTime(s.ladder)).toBe(DEADLINE);
    expect([sm.isOverdue(s), sm.escalationRung(s)]).toEqual([false, 0]);
    s.ladder.fired = 1;
    expect([sm.isOverdue(s), sm.escalationRung(s)]).toEqual([true, 0]);
    s.ladder.fired = 3;
    expect([sm.isOverdue(s), sm.escalationRung(s)]).toEqual([true, 2]);
    expect(nextLadderTime(s.ladder)).toBeUndefined();
    expect(sm.view(s, ids)).toMatchObject({ overdue: true, escalationRung: 2, deadline: DEADLINE });
    expect(sm.describeWaiting(s, 'Xã A')).toContain('OVERDUE, escalation rung 2');
    ack(s); // the ladder is for ack@1; the unit now owes report#1
    expect([sm.isOverdue(s), sm.escalationRung(s)]).toEqual([false, 0]);
    expect(sm.view(s, ids).deadline).toBeNull(); // not planned yet
    s.stage = Stage.REVOKED;
    expect([sm.isOverdue(s), sm.escalationRung(s)]).toEqual([false, 0]);
  });

  test('when an extension is approved then the deadline moves for that obligation and the ladder is cleared to be planned again', () => {
    const s = state();
    s.ladder!.fired = 2;
    s.extensions.push({ requestId: 'x1', obligation: 'ack@1', currentDeadline: DEADLINE, requestedDeadline: '2026-11-30T10:00:00.000Z', reason: 'r', status: 'PENDING' });
    const decided = sm.applyExtensionDecision(s, { actorUnitCode: 'P', requestId: 'x1', approve: true, note: 'ok' });
    expect(decided).toMatchObject({ status: 'APPROVED', note: 'ok' });
    expect(s.deadlineOverride).toEqual({ 'ack@1': '2026-11-30T10:00:00.000Z' });
    expect(s.ladder).toBeNull();
    expect([sm.isOverdue(s), sm.escalationRung(s)]).toEqual([false, 0]);
  });

  test('when an extension is rejected then the deadline and the ladder stay', () => {
    const s = state();
    s.ladder!.fired = 2;
    const ladder = { ...s.ladder! };
    s.extensions.push({ requestId: 'x1', obligation: 'ack@1', currentDeadline: DEADLINE, requestedDeadline: '2026-11-30T10:00:00.000Z', reason: 'r', status: 'PENDING' });
    expect(sm.applyExtensionDecision(s, { actorUnitCode: 'P', requestId: 'x1', approve: false }).status).toBe('REJECTED');
    expect(s.deadlineOverride).toEqual({});
    expect(s.ladder).toEqual(ladder);
    expect(sm.isOverdue(s)).toBe(true);
  });

  test('when children are still open after the duties are done then the description says the unit waits for them', () => {
    const s = state({ isLeaf: true, reportCycles: [] });
    ack(s);
    s.stage = Stage.COMPLETED;
    s.openChildren = ['a', 'b'];
    expect(sm.describeWaiting(s, 'Xã A')).toBe('COMPLETED; waiting for 2 units below to close');
    expect(sm.view(s, ids)).toMatchObject({ waitingFor: null, openChildren: 2 });
  });
});
