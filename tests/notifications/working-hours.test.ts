/** Office hours on the Vietnamese working calendar: when an e-mail to people may go out. */
import { nextOfficeMoment, parseOfficeHours } from '../../domain/notifications/working-hours';

const hours = parseOfficeHours('07:30-17:00');
const at = (iso: string) => nextOfficeMoment(new Date(iso), 'vn-working-days', hours).toISOString();

describe('nextOfficeMoment', () => {
  test.each([
    ['a Saturday night waits for Monday 07:30', '2026-11-28T15:00:00Z', '2026-11-30T00:30:00.000Z'],
    ['a Friday 16:59 goes at once', '2026-11-27T09:59:00Z', '2026-11-27T09:59:00.000Z'],
    ['a Friday 17:00 waits for Monday 07:30', '2026-11-27T10:00:00Z', '2026-11-30T00:30:00.000Z'],
    ['a Friday 06:00 waits for 07:30 that day', '2026-11-26T23:00:00Z', '2026-11-27T00:30:00.000Z'],
    ['the eve of National Day (1 and 2 September 2026 off) waits for 3 September', '2026-09-01T12:00:00Z', '2026-09-03T00:30:00.000Z'],
    ['an evening before the Tết 2027 break waits for the first working day after it', '2027-02-04T12:00:00Z', '2027-02-12T00:30:00.000Z'],
  ])('when it fires %s', (_what, fired, expected) => {
    expect(at(fired)).toBe(expected);
  });

  test('when the policy has no working calendar (plain time) then a message goes out when it fires', () => {
    expect(nextOfficeMoment(new Date('2026-11-28T15:00:00Z'), 'none', hours).toISOString()).toBe('2026-11-28T15:00:00.000Z');
  });

  test('when office hours are configured otherwise then they apply', () => {
    const late = parseOfficeHours('13:00-21:00');
    expect(nextOfficeMoment(new Date('2026-11-27T02:00:00Z'), 'vn-working-days', late).toISOString()).toBe('2026-11-27T06:00:00.000Z');
  });

  test('when office hours are malformed or end before they start then they are refused', () => {
    expect(() => parseOfficeHours('7:30-17:00')).toThrow(RangeError);
    expect(() => parseOfficeHours('17:00-07:30')).toThrow(RangeError);
  });
});
