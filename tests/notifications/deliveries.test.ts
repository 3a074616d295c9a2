/** Who receives one outbox message by e-mail, and from when (pure). */
import { DeliveryStatus, planDeliveries, type ContactForDelivery } from '../../domain/notifications/deliveries';
import { parseOfficeHours } from '../../domain/notifications/working-hours';

const hours = parseOfficeHours('07:30-17:00');
const contact = (id: string, delivery: string, unitCode = 'PT'): ContactForDelivery => ({ id, unitCode, email: `${id}@x.vn`, language: 'vi', delivery });
const contacts = [contact('each', 'each'), contact('digest', 'digest'), contact('both', 'both'), contact('other', 'each', 'BN')];
const saturdayNight = new Date('2026-11-28T15:00:00Z');
const message = (kind: string, recipientUnit: string | null = 'PT') => ({ id: 'm1', directiveId: 'd1', kind, recipientUnit, firedAt: saturdayNight });

describe('planDeliveries', () => {
  test.each([
    ['escalation_remind', ['each', 'both']],
    ['reminder_due', ['each', 'both']],
    ['digest', ['digest', 'both']],
  ])('when a %s goes to a unit then it reaches that unit’s contacts who want it: %j', (kind, expected) => {
    const planned = planDeliveries(message(kind as string), contacts, 'none', hours, saturdayNight);
    expect(planned.map((d) => d.contactId)).toEqual(expected);
    expect(planned.map((d) => d.id)).toEqual((expected as string[]).map((c) => `m1>${c}`));
    expect(planned.every((d) => d.status === DeliveryStatus.PENDING)).toBe(true);
  });

  test('when the unit has no contact for the message then one NO_RECIPIENT delivery records it', () => {
    const planned = planDeliveries(message('escalation_remind', 'VP'), contacts, 'none', hours, saturdayNight);
    expect(planned).toEqual([expect.objectContaining({ id: 'm1>-', contactId: null, email: null, unitCode: 'VP', status: DeliveryStatus.NO_RECIPIENT })]);
  });

  test('when the message fires on Saturday night on working days then it is due Monday 07:30; on plain time at once', () => {
    expect(planDeliveries(message('escalation_remind'), contacts, 'vn-working-days', hours, saturdayNight)[0]!.notBefore.toISOString()).toBe(
      '2026-11-30T00:30:00.000Z',
    );
    expect(planDeliveries(message('escalation_remind'), contacts, 'none', hours, saturdayNight)[0]!.notBefore).toEqual(saturdayNight);
  });

  test('when a message is expanded late (the sender was down) then office hours count from the expansion', () => {
    const fridayAfternoon = { ...message('escalation_remind'), firedAt: new Date('2026-11-27T08:00:00Z') };
    const [d] = planDeliveries(fridayAfternoon, contacts, 'vn-working-days', hours, saturdayNight);
    expect(d!.firedAt.toISOString()).toBe('2026-11-27T08:00:00.000Z');
    expect(d!.notBefore.toISOString()).toBe('2026-11-30T00:30:00.000Z');
  });
});
