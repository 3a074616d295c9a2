/**
 * Issue-time planning (domain/directive-plan.ts) and the per-level report due dates that
 * deliveries compute (domain/deadlines.ts cyclesForDepth): pure, no stack needed.
 */
import { cyclesForDepth } from '../domain/deadlines';
import {
  planDirective,
  type PlanDirectiveInput,
  type PolicyToPlan,
} from '../domain/directive-plan';
import { isOnWorkingDay } from '../domain/calendar/calendar';

/** An instant written as Vietnamese local time, which is how the expectations read. */
const vn = (local: string): string => new Date(`${local}+07:00`).toISOString();
const VN = 'vn-working-days' as const;

const policy = (over: Partial<PolicyToPlan> = {}): PolicyToPlan => ({
  ackWithin: 'P2D',
  escalation: [{ after: 'PT0S', action: 'remind' }],
  calendar: 'none',
  ...over,
});
const plan = (over: Partial<PolicyToPlan>, input: Partial<PlanDirectiveInput> = {}) =>
  planDirective({
    issuedAt: vn('2026-11-23T08:00:00'),
    now: vn('2026-11-23T08:00:00'),
    levelsBelow: 3,
    ...input,
    policy: policy(over),
  });
const fields = (p: ReturnType<typeof planDirective>) =>
  p.ok ? [] : p.problems.map((x) => x.field);
const dueDates = (p: ReturnType<typeof planDirective>) =>
  p.ok ? p.levels.map((l) => l.map((c) => c.dueAt)) : null;

describe('report due dates per level (cyclesForDepth)', () => {
  test('when the lead time is a month then each level reports a calendar month before its parent', () => {
    const base = [{ cycle: 1, dueAt: vn('2027-06-30T17:00:00') }];
    expect(cyclesForDepth(base, 'P1M', 2)).toEqual([
      { cycle: 1, dueAt: vn('2027-05-30T17:00:00') },
    ]);
    expect(cyclesForDepth(base, 'P1M', 3)).toEqual([
      { cycle: 1, dueAt: vn('2027-04-30T17:00:00') },
    ]);
    // Day-based lead time on the plain calendar is unchanged: 24 h per day per level.
    expect(cyclesForDepth(base, 'P2D', 3, 'none')).toEqual([
      { cycle: 1, dueAt: vn('2027-06-26T17:00:00') },
    ]);
  });

  test('when the parent is due on a Monday on vn-working-days then a P2D lead counts working days back over the weekend', () => {
    const base = [{ cycle: 1, dueAt: vn('2025-03-10T10:00:00') }];
    // Plain 48 h would be Saturday 8 March; two working days back is Thursday 6 March.
    expect(cyclesForDepth(base, 'P2D', 2, VN)).toEqual([
      { cycle: 1, dueAt: vn('2025-03-06T10:00:00') },
    ]);
    expect(cyclesForDepth(base, 'P2D', 3, VN)).toEqual([
      { cycle: 1, dueAt: vn('2025-03-04T10:00:00') },
    ]);
  });

  test('when the parent is due just after Tết 2026 then the level below is due before the break', () => {
    const base = [{ cycle: 1, dueAt: vn('2026-02-23T09:00:00') }];
    // Plain 24 h would be Sunday 22 February, inside the 14–22 February break.
    expect(cyclesForDepth(base, 'P1D', 2, VN)).toEqual([
      { cycle: 1, dueAt: vn('2026-02-13T09:00:00') },
    ]);
  });

  test('when the parent is due on a Sunday and there is no lead time then the level below is due at the end of Friday', () => {
    const base = [{ cycle: 1, dueAt: vn('2025-03-09T17:00:00') }];
    expect(cyclesForDepth(base, undefined, 2, VN)).toEqual([
      { cycle: 1, dueAt: vn('2025-03-07T23:59:59') },
    ]);
    // The recipients of the issuer keep the date the issuer wrote.
    expect(cyclesForDepth(base, undefined, 1, VN)).toEqual(base);
    expect(cyclesForDepth(base, undefined, 2, 'none')).toEqual(base);
  });
});

describe('planning a directive at issue time', () => {
  test('when a month lead time leaves every level after the issue date then the plan lists each level', () => {
    const p = plan({ reportDueAt: vn('2027-06-30T17:00:00'), levelLeadTime: 'P1M' });
    expect(dueDates(p)).toEqual([
      [vn('2027-06-30T17:00:00')],
      [vn('2027-05-30T17:00:00')],
      [vn('2027-04-30T17:00:00')],
    ]);
  });

  test('when the lowest level would report before the issue date then the plan names policy.levelLeadTime', () => {
    const p = plan({ reportDueAt: vn('2026-12-31T17:00:00'), levelLeadTime: 'P1M' });
    expect(fields(p)).toEqual(['policy.levelLeadTime']);
    expect(p.ok ? '' : p.problems[0]!.message).toMatch(
      /3 levels below the issuer would owe report 1 on .* not after the issue date/,
    );
    // Two levels fit: a shallower subtree can take the same policy.
    expect(
      plan({ reportDueAt: vn('2026-12-31T17:00:00'), levelLeadTime: 'P1M' }, { levelsBelow: 2 }).ok,
    ).toBe(true);
  });

  test('when every level is planned on vn-working-days then every lower level falls on a working day after the issue date', () => {
    const p = plan(
      { calendar: VN, reportEvery: 'P1M', until: vn('2027-12-31T23:00:00'), levelLeadTime: 'P3D' },
      { issuedAt: vn('2026-12-20T08:00:00'), now: vn('2026-12-20T08:00:00') },
    );
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.levels).toHaveLength(3);
    for (const level of p.levels.slice(1)) {
      for (const c of level) {
        expect(isOnWorkingDay(new Date(c.dueAt), VN)).toBe(true);
        expect(Date.parse(c.dueAt)).toBeGreaterThan(Date.parse(vn('2026-12-20T08:00:00')));
      }
    }
    // What a delivery computes at each depth is what was planned.
    for (let relDepth = 1; relDepth <= 3; relDepth += 1) {
      expect(cyclesForDepth(p.cycles, 'P3D', relDepth, VN)).toEqual(p.levels[relDepth - 1]);
    }
  });

  test('when a lead time has no day on vn-working-days then the plan names policy.levelLeadTime', () => {
    const p = plan({ calendar: VN, reportDueAt: vn('2027-06-30T17:00:00'), levelLeadTime: 'PT5M' });
    expect(fields(p)).toEqual(['policy.levelLeadTime']);
    expect(
      plan({ calendar: 'none', reportDueAt: vn('2027-06-30T17:00:00'), levelLeadTime: 'PT5M' }).ok,
    ).toBe(true);
  });

  test('when a duration reaches past the Vietnamese calendar data then the plan names that field', () => {
    expect(fields(plan({ calendar: VN, ackWithin: 'P300Y' }))).toEqual(['policy.ackWithin']);
    expect(fields(plan({ calendar: VN, concretizeWithin: 'P200Y' }))).toEqual([
      'policy.concretizeWithin',
    ]);
    expect(
      fields(
        plan({
          calendar: VN,
          escalation: [
            { after: 'PT0S', action: 'remind' },
            { after: 'P180Y', action: 'escalate_to_issuer' },
          ],
        }),
      ),
    ).toEqual(['policy.escalation.1.after']);
    expect(fields(plan({ calendar: VN, reportDueAt: vn('2250-01-01T08:00:00') }))).toEqual([
      'policy.reportDueAt',
    ]);
    expect(
      fields(plan({ calendar: VN, reportEvery: 'P100Y', until: vn('2300-01-01T00:00:00') })),
    ).toEqual(['policy.until']);
    const message = (p: ReturnType<typeof planDirective>) => (p.ok ? '' : p.problems[0]!.message);
    expect(message(plan({ calendar: VN, ackWithin: 'P300Y' }))).toMatch(
      /outside the calendar's supported range/,
    );
    // The plain calendar counts years the Vietnamese data does not cover.
    expect(plan({ calendar: 'none', ackWithin: 'P300Y' }).ok).toBe(true);
  });

  test('when the reporting policy yields no cycle, too many, or one before the issue date then the plan names the field', () => {
    expect(fields(plan({ reportDueAt: vn('2026-11-01T08:00:00') }))).toEqual([
      'policy.reportDueAt',
    ]);
    expect(fields(plan({ reportEvery: 'P6M', until: vn('2027-01-01T00:00:00') }))).toEqual([
      'policy.until',
    ]);
    expect(fields(plan({ reportEvery: 'PT1S', until: vn('2027-01-01T00:00:00') }))).toEqual([
      'policy.reportEvery',
    ]);
    expect(fields(plan({ reportEvery: 'PT0S', until: vn('2027-01-01T00:00:00') }))).toEqual([
      'policy.reportEvery',
    ]);
  });

  test('when cycles repeat every six months from the 31st then month ends do not drift', () => {
    const p = plan(
      { reportEvery: 'P6M', until: '2027-09-01T00:00:00Z' },
      { issuedAt: '2026-08-31T10:00:00.000Z', now: '2026-08-31T10:00:00.000Z', levelsBelow: 1 },
    );
    expect(p.ok && p.cycles).toEqual([
      { cycle: 1, dueAt: '2027-02-28T10:00:00.000Z' },
      { cycle: 2, dueAt: '2027-08-31T10:00:00.000Z' },
    ]);
  });

  test('when the policy asks for no report then only its deadlines and ladders are planned', () => {
    const p = plan({
      ackWithin: 'P1M',
      concretizeWithin: 'P1Y',
      escalation: [{ after: 'P1M', action: 'notify_parent' }],
    });
    expect(p).toEqual({ ok: true, cycles: [], levels: [] });
  });
});

describe('reminders before a deadline', () => {
  test('when a reminder would fall before the issue date then the plan names the step', () => {
    // Acknowledgement due two days after issue: a reminder three days ahead comes too early.
    const p = plan({ escalation: [{ before: 'P3D', action: 'remind' }, { after: 'PT0S', action: 'remind' }] });
    expect(fields(p)).toEqual(['policy.escalation.0.before']);
  });

  test('when a reminder falls after the issue date then the plan is accepted', () => {
    expect(plan({ escalation: [{ before: 'P1D', action: 'remind', every: 'PT6H', times: 2 }] }).ok).toBe(true);
  });
});
