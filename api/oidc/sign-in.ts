/**
 * The person a sign-in is for. With OIDC_PEOPLE_FROM=claims the provider is the source of
 * truth: the person is recorded at the first sign-in and updated at each one after (unit,
 * roles, name, position; their notification preferences are kept). With `records` only a
 * person the admin recorded may sign in, with the unit and roles recorded for them.
 * Either way a person needs a unit and at least one role there, or to be a system admin:
 * nobody is let in with every role by omission.
 */
import type { Db } from '../../read-model/db';
import { createPerson, personByEmail, replacePerson, type PersonRow } from '../../read-model/people';
import { getUnit } from '../../read-model/units';
import type { Config } from '../../runtime/config';
import { SignInRefused, type SignedInIdentity } from './claims';

export async function personForSignIn(
  db: Db,
  config: Pick<Config, 'OIDC_PEOPLE_FROM'>,
  who: SignedInIdentity,
): Promise<PersonRow> {
  const recorded = await personByEmail(db, who.email);
  if (config.OIDC_PEOPLE_FROM === 'records') {
    if (!recorded) throw new SignInRefused('NOT_RECORDED', `${who.email} is not recorded as a person of any unit; ask the administrator`);
    return usable(recorded);
  }
  if (!who.admin) {
    if (!who.unitCode) throw new SignInRefused('NO_UNIT', `the provider names no unit for ${who.email}`);
    if ((await getUnit(db, who.unitCode)) === null) throw new SignInRefused('NO_UNIT', `unit ${who.unitCode} of ${who.email} is not in the unit tree`);
  }
  const input = {
    name: who.name,
    email: who.email,
    position: who.position ?? undefined,
    unitCode: who.unitCode ?? undefined,
    roles: who.roles,
    admin: who.admin,
    language: recorded?.language ?? 'vi',
    delivery: recorded?.delivery ?? 'each',
  };
  const saved = recorded ? await replacePerson(db, recorded.id, input) : await createPerson(db, input);
  // Two first sign-ins of one person at once: the other one recorded them.
  const person = typeof saved === 'object' && saved !== null ? saved : await personByEmail(db, who.email);
  if (!person) throw new Error(`could not record ${who.email}`);
  return usable(person);
}

function usable(person: PersonRow): PersonRow {
  if (person.admin) return person;
  if (!person.unitCode) throw new SignInRefused('NO_UNIT', `${person.email} belongs to no unit`);
  if (person.roles.length === 0) throw new SignInRefused('NO_ROLE', `${person.email} holds no role (clerk, officer, leader) in ${person.unitCode}`);
  return person;
}
