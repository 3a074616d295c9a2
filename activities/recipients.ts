/**
 * Whom a unit's implementing document goes to, and who may hold its tasks: the rules are
 * the read model's (read-model/recipients.ts); here a problem becomes a business rejection,
 * so the unit's Update fails with the reason.
 */
import type { Db } from '../read-model/db';
import type { UnitRef } from '../contract/activities';
import type { TaskInput } from '../contract/definitions';
import { resolveRecipients, unitsOutside } from '../read-model/recipients';
import { businessRejection } from './errors';

/** The named descendants of the unit, or its children. */
export async function forwardRecipients(db: Db, unitCode: string, codes?: string[]): Promise<UnitRef[]> {
  const r = await resolveRecipients(db, unitCode, codes);
  if ('noChildren' in r) throw businessRejection(`${unitCode} has no units below it to forward to`);
  if ('outside' in r) throw businessRejection(`not units below ${unitCode}: ${r.outside.slice(0, 10).join(', ')}`);
  return r;
}

/** A task's lead and coordinating units must be the unit itself or units below it. */
export async function checkTaskUnits(db: Db, unitCode: string, tasks: TaskInput[] = []): Promise<void> {
  const named = tasks.flatMap((t) => [...(t.leadUnitCode ? [t.leadUnitCode] : []), ...(t.coordinatingUnits ?? [])]);
  const outside = await unitsOutside(db, unitCode, named);
  if (outside.length) {
    throw businessRejection(`a task's lead or coordinating units must be ${unitCode} or below it: ${outside.slice(0, 10).join(', ')}`);
  }
}
