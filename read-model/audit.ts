/** The API's audit trail: one AuditEvent per accepted mutating request, and per refused request (401, 403). */
import type { Db } from './db';
import type { Prisma } from './generated/prisma';
import type { Page } from './page';

export interface AuditInput {
  id: string;
  requestId: string;
  /** `anonymous`: a refused request without a valid token. */
  actor: 'admin' | 'unit' | 'anonymous';
  tokenId: string | null;
  actorUnitCode: string | null;
  forUnitCode: string | null;
  method: string;
  route: string;
  params: Record<string, string>;
  status: number;
  /** The signed-in person behind the request, when there was one. */
  personId: string | null;
  personName: string | null;
  /** The role the request was made in (clerk, officer, leader; admin), when known. */
  role: string | null;
}

/** A recorded audit event. */
export interface AuditRecord extends Omit<AuditInput, 'actor' | 'params'> {
  actor: string;
  params: unknown;
  at: Date;
}

export async function recordAudit(db: Db, event: AuditInput): Promise<void> {
  // Every accepted unit action writes one: a raw statement, no Prisma query compilation on
  // the API's hot path (like the token and assignment reads).
  await db.$executeRaw`
    INSERT INTO "AuditEvent" (id, "requestId", actor, "tokenId", "actorUnitCode", "forUnitCode", method, route, params, status,
                              "personId", "personName", role)
    VALUES (${event.id}, ${event.requestId}, ${event.actor}, ${event.tokenId}, ${event.actorUnitCode}, ${event.forUnitCode},
            ${event.method}, ${event.route}, ${JSON.stringify(event.params)}::jsonb, ${event.status},
            ${event.personId}, ${event.personName}, ${event.role})`;
}

/** The newest events first, optionally those acting for one unit. */
export async function listAudit(db: Db, f: { unitCode?: string; limit: number; offset: number }): Promise<Page<AuditRecord>> {
  const where: Prisma.AuditEventWhereInput = f.unitCode ? { forUnitCode: f.unitCode } : {};
  const [total, items] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'asc' }], take: f.limit, skip: f.offset }),
  ]);
  return { total, limit: f.limit, offset: f.offset, items };
}
