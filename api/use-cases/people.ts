/**
 * People of the units (the admin keeps them): who they are, their roles in their unit, and
 * their notification preferences as one of its contacts. A unit's people are readable by
 * the units whose subtree holds it.
 */
import type { Store } from '../../read-model/repositories';
import type { PersonInput, PersonRow } from '../../read-model/people';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { requireAdmin, requireVisibleUnit } from '../permissions';
import type { PersonBody } from '../schemas';

type PeopleStore = Pick<Store, 'people' | 'units'>;

/** 400 naming unitCode when the person's unit does not exist. */
async function checkedInput(store: PeopleStore, body: PersonBody): Promise<PersonInput> {
  if (body.unitCode !== undefined && (await store.units.pathOf(body.unitCode)) === null) {
    throw new ApiError(400, 'UNKNOWN_UNIT', `unit ${body.unitCode} does not exist`, [
      { code: 'unknown_unit', path: ['unitCode'], message: `unit ${body.unitCode} does not exist` },
    ]);
  }
  return body;
}

const taken = (email: string) => new ApiError(409, 'CONFLICT', `${email} is already someone's e-mail`);

export async function addPerson(store: PeopleStore, p: Principal, body: PersonBody): Promise<PersonRow> {
  requireAdmin(p);
  const created = await store.people.create(await checkedInput(store, body));
  if (!created) throw taken(body.email);
  return created;
}

export async function replacePerson(store: PeopleStore, p: Principal, id: string, body: PersonBody): Promise<PersonRow> {
  requireAdmin(p);
  const replaced = await store.people.replace(id, await checkedInput(store, body));
  if (replaced === 'missing') throw new ApiError(404, 'NOT_FOUND', `person ${id} not found`);
  if (replaced === 'taken') throw taken(body.email);
  return replaced;
}

export async function unitPeople(store: PeopleStore, p: Principal, unitCode: string): Promise<{ items: PersonRow[] }> {
  requireVisibleUnit(p, unitCode, await store.units.pathOf(unitCode));
  return { items: await store.people.ofUnit(unitCode) };
}
