/** The escalation ladder (workflows/ladder.ts): one answer to "who is told at each rung". */
import { nextLadderStep, nextLadderTime, nextReminder, reminderRecord, rungLabel, rungRecord, rungTarget, taskPartAbove, type Ladder } from '../workflows/ladder';
import { planLadder } from '../domain/deadlines';
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

describe('reminders between the rungs', () => {
  const withSteps = (escalation: EscalationStep[], from = '2026-11-20T10:00:00.000Z', dueAt = '2026-11-25T10:00:00.000Z') =>
    planLadder({ from, dueAt, escalation, calendar: 'none', reminders: true });

  test('when a policy names no reminder then one is planned a day before the deadline', () => {
    expect(withSteps(steps).reminders).toEqual([
      { at: '2026-11-24T10:00:00.000Z', action: 'remind', before: true, rung: 0, repeat: 0 },
    ]);
  });

  test('when the deadline is closer than the reminder then none is planned', () => {
    expect(withSteps(steps, '2026-11-24T12:00:00.000Z').reminders).toEqual([]);
  });

  test('when runs have not taken the reminders patch then the plan has no reminders and the rungs are as before', () => {
    const plan = planLadder({ from: '2026-11-20T10:00:00.000Z', dueAt: '2026-11-25T10:00:00.000Z', escalation: steps, calendar: 'none' });
    expect(plan.reminders).toBeUndefined();
    expect(plan.times).toEqual(ladder(0).times);
  });

  test('when a reminder repeats and a rung repeats then each series stops at the deadline or the next rung, by time', () => {
    const plan = withSteps([
      { before: 'P1D', action: 'remind', every: 'PT12H', times: 5 },
      { after: 'PT0S', action: 'remind', every: 'P1D', times: 5 },
      { after: 'P2D', action: 'notify_parent' },
    ]);
    expect(plan.times).toEqual(['2026-11-25T10:00:00.000Z', '2026-11-25T10:00:00.000Z', '2026-11-27T10:00:00.000Z']);
    expect(plan.reminders!.map((r) => [r.at.slice(5, 13), r.before, r.rung, r.repeat])).toEqual([
      ['11-24T10', true, 0, 0],
      ['11-24T22', true, 0, 1],
      ['11-26T10', false, 1, 1],
    ]);
  });

  test('when the calendar is vn-working-days then a day before a Monday deadline is the Friday', () => {
    // 30 Nov 2026 is a Monday and a working day; 27 Nov a working Friday.
    const plan = planLadder({
      from: '2026-11-20T03:00:00.000Z',
      dueAt: '2026-11-30T03:00:00.000Z',
      escalation: steps,
      calendar: 'vn-working-days',
      reminders: true,
    });
    expect(plan.reminders!.map((r) => r.at)).toEqual(['2026-11-27T03:00:00.000Z']);
  });

  test('when the next step is a reminder then it comes before the rung, and a stale one before the deadline is passed over', () => {
    const l: Ladder = {
      ...ladder(0),
      reminders: [{ at: '2026-11-24T10:00:00.000Z', action: 'remind', before: true, rung: 0, repeat: 0 }],
      remindersFired: 0,
    };
    expect(nextLadderStep(l)).toEqual({ at: '2026-11-24T10:00:00.000Z', reminder: l.reminders![0] });
    expect(rungLabel(l)).toBe('reminder before ack@1');
    const sent = reminderRecord(l, l.reminders![0]!, parties, { directiveId: 'D' }, Date.parse('2026-11-24T10:00:01Z'));
    expect(sent).toEqual({
      type: 'REMINDED',
      extra: {
        data: { obligation: 'ack@1', action: 'remind', target: 'XA-1', deadline: l.deadline, rung: 0, repeat: 0, before: true },
        notify: [
          {
            kind: 'reminder_due',
            recipientUnit: 'XA-1',
            payload: { directiveId: 'D', obligation: 'ack@1', deadline: l.deadline, action: 'remind', rung: 0, repeat: 0 },
          },
        ],
      },
    });
    expect(reminderRecord(l, l.reminders![0]!, parties, {}, Date.parse(l.deadline))).toBeUndefined();
    l.remindersFired = 1;
    expect(nextLadderStep(l)).toEqual({ at: l.deadline });
    expect(nextReminder(l)).toBeUndefined();
  });

  test('when a rung repeats then its repeat tells whom the rung told, as that rung’s message', () => {
    const l = ladder(3);
    const repeat = { at: '2026-11-28T10:00:00.000Z', action: 'notify_parent' as const, before: false, rung: 2, repeat: 1 };
    expect(reminderRecord(l, repeat, parties, {}, Date.parse(repeat.at))!.extra.notify).toEqual([
      { kind: 'escalation_notify_parent', recipientUnit: 'TINH-1', payload: expect.objectContaining({ rung: 2, repeat: 1 }) },
    ]);
  });

  test('when the policy has reminders then rung n is still the n-th step with `after`', () => {
    const mixed: EscalationStep[] = [{ before: 'P1D', action: 'notify_parent' }, ...steps];
    expect(rungRecord(ladder(2), mixed, parties, {}).extra.escalation).toMatchObject({ rung: 2, action: 'notify_parent' });
  });
});
