/**
 * Presets from the regulations (domain/policy-presets.ts) on real dates: the Decree 30
 * acknowledgement deadline, the Decree 09 reporting regimes, and how they expand into the
 * ordinary policy fields the planner and the deliveries use. Pure, no stack needed.
 */
import { cyclesForDepth, planLadder } from '../domain/deadlines';
import { planDirective, type PolicyToPlan } from '../domain/directive-plan';
import {
  deadlineAfter,
  decree30AckDeadline,
  expandPolicyPresets,
  reportRegimeCycles,
  type ReportRegime,
} from '../domain/policy-presets';

/** An instant written as Vietnamese local time, which is how the expectations read. */
const vn = (local: string): string => new Date(`${local}+07:00`).toISOString();
const VN = 'vn-working-days' as const;
const ack = (deliveredLocal: string) => decree30AckDeadline(new Date(vn(deliveredLocal))).toISOString();

describe('Decree 30 acknowledgement deadline (ackWithin "decree-30")', () => {
  test('when a document arrives on a working day then it is due by the end of the next working day', () => {
    expect(ack('2026-11-23T10:00:00')).toBe(vn('2026-11-24T23:59:59')); // Mon → Tue
    expect(ack('2026-11-23T00:00:00')).toBe(vn('2026-11-24T23:59:59'));
    expect(ack('2026-11-23T23:59:00')).toBe(vn('2026-11-24T23:59:59'));
    expect(ack('2026-11-27T16:00:00')).toBe(vn('2026-11-30T23:59:59')); // Fri → Mon
  });

  test('when a document arrives on a day off then the first working day is the day of receipt', () => {
    expect(ack('2026-11-28T09:00:00')).toBe(vn('2026-12-01T23:59:59')); // Sat → received Mon → Tue
    expect(ack('2026-11-29T22:00:00')).toBe(vn('2026-12-01T23:59:59')); // Sun
  });

  test('when the local date differs from the UTC date then the Vietnamese day counts', () => {
    // 17:30 UTC on Monday is 00:30 on Tuesday in Vietnam: received Tuesday, due Wednesday.
    expect(decree30AckDeadline(new Date('2026-11-23T17:30:00Z')).toISOString()).toBe(vn('2026-11-25T23:59:59'));
  });

  test('when a public holiday follows the day of receipt then the deadline moves past it', () => {
    // Tết Bính Ngọ: the break is Sat 14/2 – Sun 22/2/2026.
    expect(ack('2026-02-12T10:00:00')).toBe(vn('2026-02-13T23:59:59')); // Thu → Fri, the last day before Tết
    expect(ack('2026-02-13T10:00:00')).toBe(vn('2026-02-23T23:59:59')); // Fri → Mon after Tết
    expect(ack('2026-02-16T10:00:00')).toBe(vn('2026-02-24T23:59:59')); // during Tết → received Mon 23/2
    // 30/4 – 3/5/2026: Wednesday 29/4 → Monday 4/5.
    expect(ack('2026-04-29T15:00:00')).toBe(vn('2026-05-04T23:59:59'));
  });

  test('when a deadline is asked for a preset or a duration then each is computed by its own rule', () => {
    const from = new Date(vn('2026-11-23T10:00:00'));
    expect(deadlineAfter(from, 'decree-30', 'none').toISOString()).toBe(vn('2026-11-24T23:59:59'));
    expect(deadlineAfter(from, 'P1D', VN).toISOString()).toBe(vn('2026-11-24T10:00:00'));
    expect(deadlineAfter(from, 'P1D', 'none').toISOString()).toBe(vn('2026-11-24T10:00:00'));
  });

  test('when a delivery plans its acknowledgement with the preset then the ladder counts from the Decree 30 deadline', () => {
    const plan = planLadder({
      from: vn('2026-02-13T10:00:00'),
      within: 'decree-30',
      escalation: [
        { after: 'PT0S', action: 'remind' },
        { after: 'P1D', action: 'notify_parent' },
      ],
      calendar: VN,
    });
    expect(plan).toEqual({
      deadline: vn('2026-02-23T23:59:59'),
      times: [vn('2026-02-23T23:59:59'), vn('2026-02-23T23:59:59'), vn('2026-02-24T23:59:59')],
    });
  });
});

describe('Decree 09 reporting regimes (reportRegime)', () => {
  const cycles = (regime: ReportRegime, issuedLocal: string, untilLocal: string, levelsBelow: number) =>
    reportRegimeCycles({ regime, issuedAt: vn(issuedLocal), until: vn(untilLocal), levelsBelow, levelLeadTime: 'P1D' });

  test('when six-monthly over the two-level 2025 tree then communes submit the first working day after 14/6 and 14/12, provinces one working day later', () => {
    expect(cycles('decree-09-six-monthly', '2026-11-23T08:00:00', '2028-06-30T23:59:59', 2)).toEqual([
      { cycle: 1, closesOn: '2026-12-14', lowestLevelDueAt: vn('2026-12-15T23:59:59'), dueAt: vn('2026-12-16T23:59:59') },
      // 14/6/2027 is a Monday.
      { cycle: 2, closesOn: '2027-06-14', lowestLevelDueAt: vn('2027-06-15T23:59:59'), dueAt: vn('2027-06-16T23:59:59') },
      { cycle: 3, closesOn: '2027-12-14', lowestLevelDueAt: vn('2027-12-15T23:59:59'), dueAt: vn('2027-12-16T23:59:59') },
      { cycle: 4, closesOn: '2028-06-14', lowestLevelDueAt: vn('2028-06-15T23:59:59'), dueAt: vn('2028-06-16T23:59:59') },
    ]);
  });

  test('when a closing date or a lead time meets a weekend then the deadlines skip it', () => {
    // 14/6/2026 is a Sunday: communes submit Monday 15/6. 14/12/2028 is a Thursday: communes
    // Friday 15/12, districts Monday 18/12, provinces Tuesday 19/12 (the 2019 tree's depth).
    const annual = cycles('decree-09-annual', '2026-06-01T08:00:00', '2028-12-31T23:59:59', 3);
    expect(annual.map((c) => [c.closesOn, c.lowestLevelDueAt, c.dueAt])).toEqual([
      ['2026-12-14', vn('2026-12-15T23:59:59'), vn('2026-12-17T23:59:59')],
      ['2027-12-14', vn('2027-12-15T23:59:59'), vn('2027-12-17T23:59:59')],
      ['2028-12-14', vn('2028-12-15T23:59:59'), vn('2028-12-19T23:59:59')],
    ]);
    const first = cycles('decree-09-six-monthly', '2026-06-01T08:00:00', '2026-06-30T23:59:59', 2);
    expect(first).toEqual([
      { cycle: 1, closesOn: '2026-06-14', lowestLevelDueAt: vn('2026-06-15T23:59:59'), dueAt: vn('2026-06-16T23:59:59') },
    ]);
  });

  test('when the directive is issued after a closing date then that period is not reported; on the closing day it is', () => {
    expect(cycles('decree-09-six-monthly', '2027-06-15T08:00:00', '2027-12-31T23:59:59', 2).map((c) => c.closesOn)).toEqual([
      '2027-12-14',
    ]);
    expect(cycles('decree-09-six-monthly', '2027-06-14T08:00:00', '2027-12-31T23:59:59', 2).map((c) => c.closesOn)).toEqual([
      '2027-06-14',
      '2027-12-14',
    ]);
  });

  test('when until falls between a closing date and its recipients\' due date then that report is left out', () => {
    expect(cycles('decree-09-annual', '2026-11-23T08:00:00', '2027-12-15T23:59:59', 2).map((c) => c.closesOn)).toEqual([
      '2026-12-14',
    ]);
  });
});

describe('presets expanded into the ordinary policy fields', () => {
  test('when a policy names a preset and no calendar then it counts Vietnamese working days, and a regime one working day per level', () => {
    expect(expandPolicyPresets({ ackWithin: 'decree-30' })).toEqual({
      policy: { ackWithin: 'decree-30', calendar: VN },
      problems: [],
    });
    expect(expandPolicyPresets({ ackWithin: 'P2D', reportRegime: 'decree-09-annual' as const })).toEqual({
      policy: { ackWithin: 'P2D', reportRegime: 'decree-09-annual', calendar: VN, levelLeadTime: 'P1D' },
      problems: [],
    });
    expect(
      expandPolicyPresets({ ackWithin: 'P2D', reportRegime: 'decree-09-annual' as const, levelLeadTime: 'P2D' }).policy
        .levelLeadTime,
    ).toBe('P2D');
    expect(expandPolicyPresets({ ackWithin: 'P2D' }).policy.calendar).toBe('none');
  });

  test('when a preset comes with calendar none then the calendar field is the problem', () => {
    expect(expandPolicyPresets({ ackWithin: 'decree-30', calendar: 'none' as const }).problems).toEqual([
      { field: 'calendar', message: expect.stringMatching(/ackWithin "decree-30" count Vietnamese working days/) },
    ]);
  });

  const regimePolicy = (over: Partial<PolicyToPlan> = {}): PolicyToPlan => ({
    escalation: [{ after: 'P1D', action: 'remind' }],
    until: vn('2027-12-31T23:59:59'),
    ...expandPolicyPresets({ ackWithin: 'decree-30', reportRegime: 'decree-09-six-monthly' as const }).policy,
    ...over,
  });

  test('when a directive is planned with both presets then every level owes each report one working day before the level above', () => {
    const issuedAt = vn('2026-11-23T08:00:00');
    const p = planDirective({ issuedAt, now: issuedAt, levelsBelow: 2, policy: regimePolicy() });

    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.levels).toEqual([
      [
        { cycle: 1, dueAt: vn('2026-12-16T23:59:59') },
        { cycle: 2, dueAt: vn('2027-06-16T23:59:59') },
        { cycle: 3, dueAt: vn('2027-12-16T23:59:59') },
      ],
      [
        { cycle: 1, dueAt: vn('2026-12-15T23:59:59') },
        { cycle: 2, dueAt: vn('2027-06-15T23:59:59') },
        { cycle: 3, dueAt: vn('2027-12-15T23:59:59') },
      ],
    ]);
    // What a commune's delivery computes is what was planned.
    expect(cyclesForDepth(p.cycles, 'P1D', 2, VN)).toEqual(p.levels[1]);
  });

  test('when no report of the regime falls due by until then the plan names policy.until', () => {
    const issuedAt = vn('2026-11-23T08:00:00');
    const p = planDirective({
      issuedAt,
      now: issuedAt,
      levelsBelow: 2,
      policy: regimePolicy({ until: vn('2026-12-01T23:59:59') }),
    });
    expect(p.ok ? [] : p.problems.map((x) => x.field)).toEqual(['policy.until']);
  });
});
