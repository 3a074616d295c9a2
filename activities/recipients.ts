/**
 * Whom a unit's implementing document goes to, and who may hold its tasks: the rules are
 * the read model's (read-model/recipients.ts); here a problem becomes a business rejection,
 * so the unit's Update fails with the reason.
 */
import type { UnitRef } from '../contract/activities';
import type { TaskInput } from '../contract/definitions';
import type { UnitRepository } from '../read-model/repositories';
import { businessRejection } from './errors';

/** The named descendants of the unit, or its children. */
export async function forwardRecipients(
  units: Pick<UnitRepository, 'recipients'>,
  unitCode: string,
  codes?: string[],
): Promise<UnitRef[]> {
  const r = await units.recipients(unitCode, codes);
  if ('noChildren' in r) throw businessRejection(`${unitCode} has no units below it to forward to`);
  if ('outside' in r) throw businessRejection(`not units below ${unitCode}: ${r.outside.slice(0, 10).join(', ')}`);
  return r;
}

/** A task's lead and coordinating units must be the unit itself or units below it. */
export async function checkTaskUnits(
  units: Pick<UnitRepository, 'outside'>,
  unitCode: string,
  tasks: TaskInput[] = [],
): Promise<void> {
  const named = tasks.flatMap((t) => [...(t.leadUnitCode ? [t.leadUnitCode] : []), ...(t.coordinatingUnits ?? [])]);
  const outside = await units.outside(unitCode, named);
  if (outside.length) {
    throw businessRejection(`a task's lead or coordinating units must be ${unitCode} or below it: ${outside.slice(0, 10).join(', ')}`);
  }
}
