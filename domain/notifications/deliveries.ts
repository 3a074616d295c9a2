/**
 * Who receives one outbox message by e-mail, and from when: one delivery per contact of the
 * recipient unit who wants this kind of message (a digest goes to contacts who chose the
 * digest, every other message to those who chose every message), or one "no recipient"
 * delivery when there is none, so that nobody is skipped silently. Each delivery waits for
 * office hours on the policy's calendar. Pure: contacts, calendar and "now" are passed in.
 */
import type { CalendarName } from '../calendar/calendar';
import { nextOfficeMoment, type OfficeHours } from './working-hours';

export const CONTACT_DELIVERIES = ['each', 'digest', 'both'] as const;
export type ContactDelivery = (typeof CONTACT_DELIVERIES)[number];
export const CONTACT_LANGUAGES = ['vi', 'en'] as const;

export enum DeliveryStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Refused for good by the mail server (5xx, a bad address). */
  FAILED = 'FAILED',
  /** The unit had no contact for this kind of message. */
  NO_RECIPIENT = 'NO_RECIPIENT',
}

export interface ExpandableMessage {
  id: string;
  /** Null for a digest, which covers many directives. */
  directiveId: string | null;
  kind: string;
  recipientUnit: string | null;
  /** When it fired: the payload's `at`, else when it was written. */
  firedAt: Date;
}

export interface ContactForDelivery {
  id: string;
  unitCode: string;
  email: string;
  language: string;
  delivery: string;
}

export interface PlannedDelivery {
  id: string;
  messageId: string;
  contactId: string | null;
  unitCode: string | null;
  directiveId: string | null;
  kind: string;
  email: string | null;
  language: string | null;
  status: DeliveryStatus.PENDING | DeliveryStatus.NO_RECIPIENT;
  firedAt: Date;
  notBefore: Date;
}

/** The delivery id of a message to a contact (none: the "no recipient" row). */
export const deliveryId = (messageId: string, contactId: string | null): string => `${messageId}>${contactId ?? '-'}`;

/** Whether a contact with `delivery` wants a message of `kind`. */
export function wants(delivery: string, kind: string): boolean {
  return kind === 'digest' ? delivery === 'digest' || delivery === 'both' : delivery === 'each' || delivery === 'both';
}

/**
 * The deliveries of `message` to the recipient unit's `contacts`. Office hours count from
 * the later of firing and `now`: a message expanded late (the sender was down) still waits
 * for office hours.
 */
export function planDeliveries(
  message: ExpandableMessage,
  contacts: readonly ContactForDelivery[],
  calendar: CalendarName,
  hours: OfficeHours,
  now: Date,
): PlannedDelivery[] {
  const from = new Date(Math.max(message.firedAt.getTime(), now.getTime()));
  const base = {
    messageId: message.id,
    unitCode: message.recipientUnit,
    directiveId: message.directiveId,
    kind: message.kind,
    firedAt: message.firedAt,
    notBefore: nextOfficeMoment(from, calendar, hours),
  };
  const chosen = contacts.filter((c) => c.unitCode === message.recipientUnit && wants(c.delivery, message.kind));
  if (chosen.length === 0) {
    return [{ ...base, id: deliveryId(message.id, null), contactId: null, email: null, language: null, status: DeliveryStatus.NO_RECIPIENT }];
  }
  return chosen.map((c) => ({
    ...base,
    id: deliveryId(message.id, c.id),
    contactId: c.id,
    email: c.email,
    language: c.language,
    status: DeliveryStatus.PENDING,
  }));
}
