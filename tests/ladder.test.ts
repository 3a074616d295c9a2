/** The escalation ladder (workflows/ladder.ts): one answer to "who is told at each rung". */
import { nextLadderTime, rungLabel, rungRecord, rungTarget, taskPartAbove, type Ladder } from '../workflows/ladder';
import type { EscalationStep } from '../contract/definitions';

const parties = { unit: 'XA-1', above: 'TINH-1', issuer: 'TW' };
const steps: EscalationStep[] = [
  { after: 'PT0S', action: 'remind' },
  { after: 'P2D', action: 'notify_parent' },
  { after: 'P5D', action: 'escalate_to_issuer' },
];
const ladder = (fired: number): Ladder => ({
  obligation: 'ack@1',
  deadline: '2026-11-25T10:00:00.000Z',
  times: ['2026-11-25T10:00:00.000Z', '2026-11-25T10:00:00.000Z', '2026-11-27T10:00:00.000Z', '2026-11-30T10:00:00.000Z'],
  fired,
});

describe('rungTarget', () => {
  test.each([
    ['remind', 'XA-1'],
    ['notify_parent', 'TINH-1'],
    ['escalate_to_issuer', 'TW'],
  ] as const)('when the step is %s then %s is told', (action, target) => {
    expect(rungTarget(action, parties)).toBe(target);
  });

  test('when a task part is late then the unit above is the lead for a coordinator and the assigner for the lead', () => {
    expect(taskPartAbove({ role: 'coordinator', leadUnitCode: 'LEAD', assignerUnitCode: 'ASSIGNER' })).toBe('LEAD');
    expect(taskPartAbove({ role: 'lead', leadUnitCode: 'LEAD', assignerUnitCode: 'ASSIGNER' })).toBe('ASSIGNER');
  });
});

describe('rungRecord', () => {
  test('when the deadline passes (rung 0) then OVERDUE is recorded and nobody is messaged', () => {
    const { type, extra } = rungRecord(ladder(0), steps, parties, { directiveId: 'd' });
    expect(type).toBe('OVERDUE');
    expect(extra.notify).toBeUndefined();
    expect(extra.data).toEqual({ obligation: 'ack@1', deadline: '2026-11-25T10:00:00.000Z' });
  });

  test.each([
    [1, 'remind', 'XA-1'],
    [2, 'notify_parent', 'TINH-1'],
    [3, 'escalate_to_issuer', 'TW'],
  ] as const)('when rung %i fires then it is the policy step %s and tells %s', (rung, action, target) => {
    const { type, extra } = rungRecord(ladder(rung), steps, parties, { directiveId: 'd', unitCode: 'XA-1' });
    expect(type).toBe('ESCALATED');
    expect(extra.escalation).toMatchObject({ obligation: 'ack@1', rung, action, targetUnitCode: target });
    expect(extra.notify).toEqual([
      {
        kind: `escalation_${action}`,
        recipientUnit: target,
        payload: { directiveId: 'd', unitCode: 'XA-1', obligation: 'ack@1', rung, deadline: '2026-11-25T10:00:00.000Z' },
      },
    ]);
  });

  test('when a rung past the policy’s steps is asked for then it is refused', () => {
    expect(() => rungRecord(ladder(4), steps, parties, {})).toThrow(RangeError);
  });
});

describe('timing', () => {
  test('when rungs fire then the next time and the timer’s label follow, and end with the ladder', () => {
    expect(nextLadderTime(ladder(0))).toBe('2026-11-25T10:00:00.000Z');
    expect(rungLabel(ladder(0))).toBe('deadline for ack@1');
    expect(nextLadderTime(ladder(2))).toBe('2026-11-27T10:00:00.000Z');
    expect(rungLabel(ladder(2))).toBe('escalation rung 2 for ack@1');
    expect(nextLadderTime(ladder(4))).toBeUndefined();
  });
});
