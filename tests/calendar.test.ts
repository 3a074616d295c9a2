import { z } from 'zod';
import { addDuration, subtractDuration } from '../domain/calendar/calendar';
import {
  InvalidDurationError,
  durationToMs,
  isIsoDuration,
  parseIsoDuration,
} from '../domain/calendar/duration';
import {
  builtInVnHolidays,
  createVnCalendar,
  isWorkingDay,
  parseVnOverrides,
  toVnLocalDate,
  vnCalendar,
} from '../domain/calendar/vn-holidays';

/** An instant written as Vietnamese local time, which is how the expectations read. */
const vn = (local: string): Date => new Date(`${local}+07:00`);
const VN = 'vn-working-days' as const;

describe('ISO-8601 durations', () => {
  test('when every supported form is parsed then each component lands in its field', () => {
    const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
    expect(parseIsoDuration('PT30S')).toEqual({ ...zero, seconds: 30 });
    expect(parseIsoDuration('P2D')).toEqual({ ...zero, days: 2 });
    expect(parseIsoDuration('P1DT12H')).toEqual({ ...zero, days: 1, hours: 12 });
    expect(parseIsoDuration('P6M')).toEqual({ ...zero, months: 6 });
    expect(parseIsoDuration('P1Y')).toEqual({ ...zero, years: 1 });
    expect(parseIsoDuration('P2W')).toEqual({ ...zero, weeks: 2 });
    expect(parseIsoDuration('PT1M')).toEqual({ ...zero, minutes: 1 });
    expect(parseIsoDuration('PT1.5S')).toEqual({ ...zero, seconds: 1.5 });
    expect(parseIsoDuration('P1Y2M3W4DT5H6M7S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
  });

  test.each([
    ['', /empty/],
    ['P', /no component/],
    ['PT', /no component/],
    ['P1DT', /'T' must be followed/],
    ['2D', /must start with 'P'/],
    ['p2d', /upper case/],
    ['-P1D', /sign/],
    ['P1H', /after 'T'/],
    ['P1.5D', /only the seconds/],
    ['PT1.5M', /only the seconds/],
    ['P2X', /unknown or misplaced/],
    ['P1D2Y', /unknown or misplaced/],
    ['P 2D', /unknown or misplaced/],
  ])('when %j is parsed then it is rejected with a message saying why', (input, why) => {
    expect(() => parseIsoDuration(input)).toThrow(InvalidDurationError);
    expect(() => parseIsoDuration(input)).toThrow(why);
    expect(() => parseIsoDuration(input)).toThrow(
      `Invalid ISO-8601 duration ${JSON.stringify(input)}`,
    );
    expect(isIsoDuration(input)).toBe(false);
  });

  test('when isIsoDuration refines a Zod string then valid durations pass and others fail', () => {
    const schema = z.string().refine(isIsoDuration, 'must be an ISO-8601 duration such as P2D');
    expect(schema.safeParse('P2D').success).toBe(true);
    expect(schema.safeParse('2 days').success).toBe(false);
    expect(isIsoDuration(42)).toBe(false);
  });

  test('when a duration without years or months is measured then durationToMs gives exact milliseconds', () => {
    expect(durationToMs('PT30S')).toBe(30_000);
    expect(durationToMs('PT1.5S')).toBe(1_500);
    expect(durationToMs('P1DT12H')).toBe(36 * 3_600_000);
    expect(durationToMs('P2W')).toBe(14 * 86_400_000);
  });

  test('when a duration with months or years is measured then durationToMs refuses it', () => {
    expect(() => durationToMs('P6M')).toThrow(/no fixed length/);
    expect(() => durationToMs('P1Y')).toThrow(InvalidDurationError);
  });
});

describe("calendar 'none' (plain time, UTC)", () => {
  test('when PT30S is added then the deadline is 30 seconds later on any day', () => {
    const saturday = new Date('2025-03-08T10:00:00Z');
    expect(addDuration(saturday, 'PT30S').toISOString()).toBe('2025-03-08T10:00:30.000Z');
    expect(addDuration(saturday, 'PT30S', 'none').toISOString()).toBe('2025-03-08T10:00:30.000Z');
  });

  test('when P2D is added from a Friday then weekends count like any day', () => {
    expect(addDuration(new Date('2025-03-07T10:00:00Z'), 'P2D').toISOString()).toBe(
      '2025-03-09T10:00:00.000Z',
    );
  });

  test('when P1M is added to January 31 then the day is clamped to the end of February', () => {
    expect(addDuration(new Date('2025-01-31T10:00:00Z'), 'P1M').toISOString()).toBe(
      '2025-02-28T10:00:00.000Z',
    );
    expect(addDuration(new Date('2024-01-31T10:00:00Z'), 'P1M').toISOString()).toBe(
      '2024-02-29T10:00:00.000Z',
    );
    // Years and months are added as one count of months, so there is a single clamp.
    expect(addDuration(new Date('2024-01-31T10:00:00Z'), 'P1Y1M').toISOString()).toBe(
      '2025-02-28T10:00:00.000Z',
    );
    expect(addDuration(new Date('2024-02-29T00:00:00Z'), 'P1Y').toISOString()).toBe(
      '2025-02-28T00:00:00.000Z',
    );
  });

  test('when P6M is added from mid-year then the result crosses the year end on the same day', () => {
    expect(addDuration(new Date('2025-08-15T03:00:00Z'), 'P6M').toISOString()).toBe(
      '2026-02-15T03:00:00.000Z',
    );
  });

  test('when a duration is subtracted then months are clamped the same way', () => {
    expect(subtractDuration(new Date('2025-03-31T10:00:00Z'), 'P1M').toISOString()).toBe(
      '2025-02-28T10:00:00.000Z',
    );
    expect(subtractDuration(new Date('2025-03-10T10:00:00Z'), 'P2D').toISOString()).toBe(
      '2025-03-08T10:00:00.000Z',
    );
  });

  test('when the input Date is used then it is not modified', () => {
    const from = new Date('2025-01-31T10:00:00Z');
    addDuration(from, 'P1M');
    expect(from.toISOString()).toBe('2025-01-31T10:00:00.000Z');
  });
});

describe("calendar 'vn-working-days'", () => {
  test('when P2D is added from a Friday 10:00 then the deadline is the next Tuesday 10:00', () => {
    expect(addDuration(vn('2025-03-07T10:00:00'), 'P2D', VN)).toEqual(vn('2025-03-11T10:00:00'));
    expect(addDuration(vn('2025-03-07T10:00:00'), 'P1D', VN)).toEqual(vn('2025-03-10T10:00:00'));
  });

  test('when P5D is added just before Tết 2026 then the 14–22 February break is skipped', () => {
    // Friday 13 Feb 09:00 → Mon 23 (1), Tue 24, Wed 25, Thu 26, Fri 27 (5).
    expect(addDuration(vn('2026-02-13T09:00:00'), 'P5D', VN)).toEqual(vn('2026-02-27T09:00:00'));
    expect(addDuration(vn('2026-02-13T09:00:00'), 'P5D', 'none')).toEqual(
      vn('2026-02-18T09:00:00'),
    );
  });

  test('when a swapped working Saturday lies ahead then it counts as a working day', () => {
    // 2025: Fri 2 May off in exchange for Sat 26 April worked; 30/4–4/5 off.
    expect(isWorkingDay('2025-04-26')).toBe(true);
    expect(isWorkingDay('2025-05-02')).toBe(false);
    expect(addDuration(vn('2025-04-25T10:00:00'), 'P1D', VN)).toEqual(vn('2025-04-26T10:00:00'));
    // Sat 26 (1), Mon 28 (2), Tue 29 (3), then 30/4–4/5 off, Mon 5 May (4).
    expect(addDuration(vn('2025-04-25T10:00:00'), 'P4D', VN)).toEqual(vn('2025-05-05T10:00:00'));
  });

  test('when the start falls on a weekend then counting starts at 00:00 of the next working day', () => {
    // Saturday 15:00 + P1D: all of Monday is given, due when Tuesday starts.
    expect(addDuration(vn('2025-03-08T15:00:00'), 'P1D', VN)).toEqual(vn('2025-03-11T00:00:00'));
  });

  test('when the start is late Friday in UTC but Saturday in Vietnam then the Vietnamese date decides', () => {
    const instant = new Date('2025-03-07T18:00:00Z'); // Saturday 01:00 in Vietnam
    expect(toVnLocalDate(instant)).toBe('2025-03-08');
    expect(addDuration(instant, 'P1D', VN)).toEqual(vn('2025-03-11T00:00:00'));
  });

  test('when P1W is added then it counts five working days', () => {
    expect(addDuration(vn('2025-03-05T10:00:00'), 'P1W', VN)).toEqual(vn('2025-03-12T10:00:00'));
    expect(addDuration(vn('2025-03-05T10:00:00'), 'P2W', VN)).toEqual(vn('2025-03-19T10:00:00'));
  });

  test('when only a time part is given then it is plain elapsed time, even on a weekend', () => {
    expect(addDuration(vn('2025-03-08T15:00:00'), 'PT30S', VN)).toEqual(vn('2025-03-08T15:00:30'));
    // Day part first (Fri → Mon 10:00), then 12 h of plain time.
    expect(addDuration(vn('2025-03-07T10:00:00'), 'P1DT12H', VN)).toEqual(
      vn('2025-03-10T22:00:00'),
    );
  });

  test('when months land on a non-working day then the deadline moves to the next working day', () => {
    // 2025-03-15 is a Saturday → Monday 17 March, same time.
    expect(addDuration(vn('2025-02-15T10:00:00'), 'P1M', VN)).toEqual(vn('2025-03-17T10:00:00'));
    expect(addDuration(vn('2025-01-13T10:00:00'), 'P1M', VN)).toEqual(vn('2025-02-13T10:00:00'));
  });

  test('when working days are subtracted then the count runs backwards over weekends', () => {
    expect(subtractDuration(vn('2025-03-10T10:00:00'), 'P1D', VN)).toEqual(
      vn('2025-03-07T10:00:00'),
    );
    // A Saturday start counts as the end of Friday, so one working day back is Friday 00:00.
    expect(subtractDuration(vn('2025-03-08T15:00:00'), 'P1D', VN)).toEqual(
      vn('2025-03-07T00:00:00'),
    );
    expect(subtractDuration(vn('2026-02-23T09:00:00'), 'P1D', VN)).toEqual(
      vn('2026-02-13T09:00:00'),
    );
  });
});

describe('Vietnamese holiday data', () => {
  test('when a year has an override then exactly its decreed days are off', () => {
    const y2025 = vnCalendar.yearCalendar(2025);
    expect(y2025.source).toBe('override');
    expect(y2025.workingSaturdays).toEqual(['2025-04-26']);
    for (const d of ['2025-01-27', '2025-01-31', '2025-04-07', '2025-09-01', '2025-09-02']) {
      expect(isWorkingDay(d)).toBe(false);
    }
    // Built-in rules would make Monday 3 Feb a compensatory day; the decree does not.
    expect(isWorkingDay('2025-02-03')).toBe(true);
  });

  test('when a year has no override then the built-in rules give five days of Tết and compensatory days', () => {
    // Tết Đinh Mùi: mùng 1 on Sat 6 Feb 2027; eve Fri 5 → mùng 4 Tue 9; Sat/Sun → Wed 10, Thu 11.
    expect(vnCalendar.yearCalendar(2027).source).toBe('built-in');
    for (const d of ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11']) {
      expect(isWorkingDay(d)).toBe(false);
    }
    expect(isWorkingDay('2027-02-04')).toBe(true);
    expect(isWorkingDay('2027-02-12')).toBe(true);
    // Quốc khánh on Thursday 2 Sep 2027: the adjacent day is Friday 3 Sep.
    expect(isWorkingDay('2027-09-03')).toBe(false);
    // Giỗ Tổ Hùng Vương 10/3 lunar = Friday 16 April 2027.
    expect(isWorkingDay('2027-04-16')).toBe(false);
  });

  test('when the built-in rules are applied to past years then they match the decreed breaks', () => {
    // 2022: 1/1 Sat → Mon 3/1; Hùng Kings Sun 10/4 → Mon 11/4; 30/4–1/5 weekend → 2/5, 3/5.
    expect(builtInVnHolidays(2022)).toEqual(
      expect.arrayContaining([
        '2022-01-03',
        '2022-04-11',
        '2022-05-02',
        '2022-05-03',
        '2022-09-01',
      ]),
    );
    // 2023: 2/9 Saturday → Fri 1/9 adjacent, Mon 4/9 compensatory.
    expect(builtInVnHolidays(2023)).toEqual(expect.arrayContaining(['2023-09-01', '2023-09-04']));
  });

  test('when an override file has mistakes then parsing names each of them', () => {
    const bad = {
      years: [
        { year: 2030, holidays: ['2030-02-30', '2031-01-01'], workingSaturdays: ['2030-01-07'] },
        { year: 2030, holidays: [], workingSaturdays: [] },
      ],
    };
    const attempt = () => parseVnOverrides(bad);
    expect(attempt).toThrow(/2030-02-30 is not a real date/);
    expect(attempt).toThrow(/2031-01-01 is not in 2030/);
    expect(attempt).toThrow(/2030-01-07 is not a Saturday/);
    expect(attempt).toThrow(/listed twice/);
    expect(() => parseVnOverrides({ years: [{ year: 2030, holidays: ['1/1/2030'] }] })).toThrow(
      /YYYY-MM-DD/,
    );
  });

  test('when a custom override adds a working Saturday then that calendar counts it', () => {
    const cal = createVnCalendar(
      parseVnOverrides({
        years: [{ year: 2030, holidays: ['2030-01-01'], workingSaturdays: ['2030-01-05'] }],
      }),
    );
    expect(cal.isWorkingDay('2030-01-05')).toBe(true);
    expect(cal.isWorkingDay('2030-01-01')).toBe(false);
    expect(isWorkingDay('2030-01-05')).toBe(false);
  });

  test('when a date is malformed or outside the data then isWorkingDay throws instead of guessing', () => {
    expect(() => isWorkingDay('2025-13-01')).toThrow(RangeError);
    expect(() => isWorkingDay('2025/01/01')).toThrow(/YYYY-MM-DD/);
    expect(() => isWorkingDay('2300-01-02')).toThrow(/No Vietnamese calendar data/);
  });
});
