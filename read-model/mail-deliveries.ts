/**
 * E-mail deliveries: the outbox expanded into one row per message and contact, then drained
 * as a leased queue (read-model/leased-queue.ts), ending SENT or FAILED. Expansion is
 * idempotent: delivery ids are deterministic and inserted with ON CONFLICT DO NOTHING in the
 * same statement that marks the message expanded, so two senders expanding the same message
 * write the same rows once.
 */
import type { CalendarName } from '../domain/calendar/calendar';
import type { ContactForDelivery, ExpandableMessage, PlannedDelivery } from '../domain/notifications/deliveries';
import type { MailDirective } from '../domain/notifications/templates';
import type { Db } from './db';
import { leasedQueue, type Claim } from './leased-queue';
import { Prisma } from './generated/prisma';
import type { Page } from './page';

/** An outbox message not yet expanded, with what expansion and rendering need. */
export interface UnexpandedMessage extends ExpandableMessage {
  payload: Record<string, unknown>;
}

/** Outbox messages not yet expanded into e-mail deliveries, oldest first. */
export async function unexpandedMessages(db: Db, limit: number): Promise<UnexpandedMessage[]> {
  const rows = await db.$queryRaw<Array<{ id: string; directiveId: string | null; kind: string; recipientUnit: string | null; payload: unknown; createdAt: Date }>>`
    SELECT id, "directiveId", kind, "recipientUnit", payload, "createdAt" FROM "OutboxMessage"
     WHERE "mailExpandedAt" IS NULL ORDER BY "createdAt", id LIMIT ${limit}`;
  return rows.map((r) => {
    const payload = (r.payload && typeof r.payload === 'object' ? r.payload : {}) as Record<string, unknown>;
    const at = typeof payload.at === 'string' ? new Date(payload.at) : r.createdAt;
    return { id: r.id, directiveId: r.directiveId, kind: r.kind, recipientUnit: r.recipientUnit, payload, firedAt: Number.isNaN(at.getTime()) ? r.createdAt : at };
  });
}

/** The contacts of these units. */
export async function contactsOfUnits(db: Db, unitCodes: string[]): Promise<ContactForDelivery[]> {
  if (unitCodes.length === 0) return [];
  return db.contact.findMany({
    where: { unitCode: { in: unitCodes } },
    select: { id: true, unitCode: true, email: true, language: true, delivery: true },
    orderBy: { id: 'asc' },
  });
}

/** The policy calendar of each of these directives that exists (root directives carry it). */
export async function calendarsOf(db: Db, directiveIds: string[]): Promise<Map<string, CalendarName>> {
  if (directiveIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ id: string; calendar: string | null }>>`
    SELECT d.id, COALESCE(d.policy->>'calendar', r.policy->>'calendar') AS calendar
      FROM "Directive" d LEFT JOIN "Directive" r ON r.id = d."rootId"
     WHERE d.id IN (${Prisma.join(directiveIds)})`;
  return new Map(rows.map((r) => [r.id, r.calendar === 'none' ? 'none' : 'vn-working-days']));
}

/**
 * Writes a message's deliveries and marks it expanded, in one statement (a data-modifying
 * CTE runs whether or not the outer statement reads it).
 */
export async function recordExpansion(db: Db, messageId: string, deliveries: PlannedDelivery[]): Promise<void> {
  const values = deliveries.map(
    (d) => Prisma.sql`(${d.id}, ${d.messageId}, ${d.contactId}, ${d.unitCode}, ${d.directiveId}, ${d.kind}, ${d.email},
      ${d.language}, ${d.status}, ${d.firedAt}, ${d.notBefore}, ${d.notBefore})`,
  );
  await db.$executeRaw`
    WITH ins AS (
      INSERT INTO "EmailDelivery" (id, "messageId", "contactId", "unitCode", "directiveId", kind, email, language, status,
                                   "firedAt", "notBefore", "nextAttemptAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    UPDATE "OutboxMessage" SET "mailExpandedAt" = now() AT TIME ZONE 'UTC'
     WHERE id = ${messageId} AND "mailExpandedAt" IS NULL`;
}

/** A delivery claimed for one attempt: who, and the message it carries. */
export interface ClaimedDelivery extends Claim {
  messageId: string;
  contactId: string;
  email: string;
  language: string;
  kind: string;
  directiveId: string | null;
}

/** The e-mail deliveries as a leased queue. */
export const mailQueue = leasedQueue<ClaimedDelivery>({
  table: 'EmailDelivery',
  returning: ['messageId', 'contactId', 'email', 'language', 'kind', 'directiveId'],
  doneStatus: 'SENT',
  doneAtColumn: 'sentAt',
});

/** What rendering a delivery's e-mail reads: the message, the directive, names. */
export interface MailMaterial {
  payload: Record<string, unknown>;
  directive: MailDirective | null;
  unitNames: Record<string, string>;
  recipientName: string;
}

/** Collects the unit codes a payload names (its unit, a digest's items). */
function unitCodesIn(payload: Record<string, unknown>): string[] {
  const codes = new Set<string>();
  if (typeof payload.unitCode === 'string') codes.add(payload.unitCode);
  for (const g of Array.isArray(payload.groups) ? (payload.groups as Array<{ items?: Array<{ unitCode?: unknown }> }>) : []) {
    for (const i of g.items ?? []) if (typeof i.unitCode === 'string') codes.add(i.unitCode);
  }
  return [...codes];
}

export async function mailMaterial(db: Db, d: ClaimedDelivery): Promise<MailMaterial> {
  const [message, directive, contact] = await Promise.all([
    db.outboxMessage.findUnique({ where: { id: d.messageId }, select: { payload: true } }),
    d.directiveId ? db.directive.findUnique({ where: { id: d.directiveId }, select: { id: true, number: true, title: true } }) : null,
    db.contact.findUnique({ where: { id: d.contactId }, select: { name: true } }),
  ]);
  const payload = (message?.payload ?? {}) as Record<string, unknown>;
  const codes = unitCodesIn(payload);
  const units = codes.length ? await db.unit.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } }) : [];
  return {
    payload,
    directive,
    unitNames: Object.fromEntries(units.map((u) => [u.code, u.name])),
    recipientName: contact?.name ?? d.email,
  };
}

/** A delivery as the API shows it. */
export interface DeliveryRecord {
  id: string;
  messageId: string;
  contactId: string | null;
  unitCode: string | null;
  directiveId: string | null;
  kind: string;
  email: string | null;
  status: string;
  attempts: number;
  firedAt: Date;
  notBefore: Date;
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

const deliverySelect = {
  id: true,
  messageId: true,
  contactId: true,
  unitCode: true,
  directiveId: true,
  kind: true,
  email: true,
  status: true,
  attempts: true,
  firedAt: true,
  notBefore: true,
  nextAttemptAt: true,
  sentAt: true,
  lastError: true,
} as const;

/** A unit's deliveries, newest first, optionally of one status. */
export async function unitDeliveries(
  db: Db,
  unitCode: string,
  f: { status?: string; limit: number; offset: number },
): Promise<Page<DeliveryRecord>> {
  const where = { unitCode, ...(f.status ? { status: f.status } : {}) };
  const [total, items] = await Promise.all([
    db.emailDelivery.count({ where }),
    db.emailDelivery.findMany({ where, select: deliverySelect, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: f.limit, skip: f.offset }),
  ]);
  return { total, limit: f.limit, offset: f.offset, items };
}

/** Notifications one timeline event may carry (its outbox ids end /0, /1, …). */
const MESSAGES_PER_EVENT = 4;

/** The deliveries of the messages of these timeline events ("<assignmentId>#<seq>"), by event id. */
export async function deliveriesOfEvents(db: Db, eventIds: string[]): Promise<Map<string, DeliveryRecord[]>> {
  const out = new Map<string, DeliveryRecord[]>();
  const byMessage = new Map<string, string>();
  for (const e of eventIds) for (let i = 0; i < MESSAGES_PER_EVENT; i++) byMessage.set(`${e}/${i}`, e);
  if (byMessage.size === 0) return out;
  const rows = await db.emailDelivery.findMany({
    where: { messageId: { in: [...byMessage.keys()] } },
    select: deliverySelect,
    orderBy: [{ messageId: 'asc' }, { id: 'asc' }],
  });
  for (const d of rows) {
    const eventId = byMessage.get(d.messageId)!;
    out.set(eventId, [...(out.get(eventId) ?? []), d]);
  }
  return out;
}
