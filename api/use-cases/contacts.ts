/** Who is told: a unit's contacts, its e-mail deliveries, and the units nobody is told about. */
import type { Store } from '../../read-model/repositories';
import { DuplicateContactError } from '../../read-model/contacts';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { actorFor, requireVisibleUnit } from '../permissions';
import type { ContactInput, ContactPatch } from '../notification-schemas';

export type ContactStore = Pick<Store, 'units' | 'contacts'>;

/** The unit exists and the caller may change its contacts (the admin, or the unit itself). */
async function requireOwnUnit(store: ContactStore, p: Principal, code: string): Promise<void> {
  actorFor(p, code, 'manageNotifications');
  if (!(await store.units.pathOf(code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
}

const duplicate = (err: unknown): never => {
  if (err instanceof DuplicateContactError) throw new ApiError(409, 'DUPLICATE_CONTACT', err.message);
  throw err;
};

/** A unit's contacts: readable by the unit and the units above it. */
export async function listUnitContacts(store: ContactStore, p: Principal, code: string) {
  requireVisibleUnit(p, code, await store.units.pathOf(code));
  return { unitCode: code, items: await store.contacts.list(code) };
}

export async function addContact(store: ContactStore, p: Principal, code: string, input: ContactInput) {
  await requireOwnUnit(store, p, code);
  return store.contacts.create(code, input).catch(duplicate);
}

export async function changeContact(store: ContactStore, p: Principal, code: string, id: string, patch: ContactPatch) {
  await requireOwnUnit(store, p, code);
  const changed = await store.contacts.update(code, id, patch).catch(duplicate);
  if (!changed) throw new ApiError(404, 'NOT_FOUND', `contact ${id} of ${code} not found`);
  return changed;
}

export async function removeContact(store: ContactStore, p: Principal, code: string, id: string): Promise<void> {
  await requireOwnUnit(store, p, code);
  if (!(await store.contacts.delete(code, id))) throw new ApiError(404, 'NOT_FOUND', `contact ${id} of ${code} not found`);
}

/**
 * Units nobody would be told about (no contact receiving every message), in the subtree of
 * `under`, by default the caller's own (the admin's: the whole tree).
 */
export async function unreachableUnits(store: ContactStore, p: Principal, f: { under?: string; limit: number; offset: number }) {
  let root = p.kind === 'unit' ? p.unitPath : '/';
  if (f.under) {
    const path = await store.units.pathOf(f.under);
    requireVisibleUnit(p, f.under, path);
    root = path!;
  }
  return store.contacts.unreachable(root, { limit: f.limit, offset: f.offset });
}

/** A unit's e-mail deliveries, newest first: what was sent, refused, waiting, or had nobody to go to. */
export async function unitDeliveries(store: ContactStore, p: Principal, code: string, f: { status?: string; limit: number; offset: number }) {
  requireVisibleUnit(p, code, await store.units.pathOf(code));
  return store.contacts.deliveries(code, f);
}
