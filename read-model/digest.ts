/**
 * The morning digest in the outbox: one message per unit that has a contact asking for the
 * digest and something overdue, due today or due soon, its items grouped by directive. One
 * statement over the open obligations (indexed by their unit and deadline), so a national
 * morning is one query, not one per unit. The message id is the unit and the date: a retried
 * or repeated run the same day adds nothing, and a unit with nothing due gets no message.
 * The sender (worker/outbox-sender.ts) sends it to the unit's digest contacts only.
 */
import type { Db } from './db';
import type { DigestWindow } from '../domain/digest-window';

export interface DigestOutcome {
  date: string;
  /** Digests written by this run (0 when they were already written today). */
  messages: number;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
/** Parameter `n`, an ISO instant, as the columns store time: UTC without a zone. */
const utc = (n: number) => `($${n}::timestamptz AT TIME ZONE 'UTC')`;

export async function enqueueDigests(db: Db, window: DigestWindow): Promise<DigestOutcome> {
  const rows = await db.$queryRawUnsafe<Array<{ messages: bigint }>>(
    `WITH due AS (
       SELECT o."unitCode", o."directiveId", d.number, d.title, o.key, o.deadline,
              CASE WHEN o.deadline < ${utc(2)} THEN 'overdue' WHEN o.deadline < ${utc(3)} THEN 'due_today' ELSE 'due_soon' END AS status
         FROM "Obligation" o
         JOIN "Directive" d ON d.id = o."directiveId"
        WHERE o."doneAt" IS NULL AND o."cancelledAt" IS NULL AND o.deadline < ${utc(4)}
          AND o."unitCode" IN (SELECT "unitCode" FROM "Contact" WHERE delivery IN ('digest', 'both'))
     ), groups AS (
       SELECT "unitCode", "directiveId", min(deadline) AS first,
              jsonb_build_object(
                'directiveId', "directiveId", 'number', min(number), 'title', min(title),
                'items', jsonb_agg(jsonb_build_object(
                  'assignmentId', "directiveId" || '/' || "unitCode", 'unitCode', "unitCode", 'obligation', key,
                  'deadline', to_char(deadline, ${ISO}), 'status', status) ORDER BY deadline, key)) AS grp
         FROM due GROUP BY "unitCode", "directiveId"
     ), digests AS (
       SELECT "unitCode", jsonb_agg(grp ORDER BY first, "directiveId") AS groups FROM groups GROUP BY "unitCode"
     ), written AS (
       INSERT INTO "OutboxMessage" (id, "directiveId", kind, "recipientUnit", payload)
       SELECT 'digest/' || $1::text || '/' || "unitCode", NULL, 'digest', "unitCode",
              jsonb_build_object('id', 'digest/' || $1::text || '/' || "unitCode", 'kind', 'digest', 'at', to_char(${utc(2)}, ${ISO}),
                                 'unitCode', "unitCode", 'date', $1::text, 'groups', groups)
         FROM digests
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
     SELECT count(*) AS messages FROM written`,
    window.date,
    window.now.toISOString(),
    window.endOfToday.toISOString(),
    window.until.toISOString(),
  );
  return { date: window.date, messages: Number(rows[0]?.messages ?? 0) };
}
