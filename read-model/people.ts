/** People: civil servants of a unit with roles there, or system admins (Person). */
import crypto from 'node:crypto';
import type { Db } from './db';
import { Prisma } from './generated/prisma';

export interface PersonInput {
  name: string;
  email: string;
  position?: string | undefined;
  unitCode?: string | undefined;
  roles: string[];
  admin: boolean;
  language: string;
  delivery: string;
}

export interface PersonRow extends Omit<PersonInput, 'position' | 'unitCode'> {
  id: string;
  position: string | null;
  unitCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const fields = (p: PersonInput) => ({
  name: p.name,
  email: p.email.toLowerCase(),
  position: p.position ?? null,
  unitCode: p.unitCode ?? null,
  roles: p.roles,
  admin: p.admin,
  language: p.language,
  delivery: p.delivery,
});

type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/**
 * A person of a unit is a notification contact of that unit, with the person's own language
 * and delivery (one model of who is told): the contact `person-<id>` follows every change of
 * the person, moves with them to another unit, and takes the place of a contact typed by
 * hand with the same address there.
 */
async function syncContact(tx: Tx, person: PersonRow): Promise<void> {
  await tx.contact.deleteMany({ where: { personId: person.id } });
  if (!person.unitCode) return;
  await tx.contact.deleteMany({ where: { unitCode: person.unitCode, email: person.email } });
  await tx.contact.create({
    data: {
      id: `person-${person.id}`,
      unitCode: person.unitCode,
      name: person.name,
      email: person.email,
      language: person.language,
      delivery: person.delivery,
      personId: person.id,
    },
  });
}

/** The new person, or null when the e-mail is already someone's. */
export async function createPerson(db: Db, p: PersonInput): Promise<PersonRow | null> {
  try {
    return await db.$transaction(async (tx) => {
      const person = await tx.person.create({ data: { id: crypto.randomUUID(), ...fields(p) } });
      await syncContact(tx, person);
      return person;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return null;
    throw err;
  }
}

/** Replaces a person's fields: 'missing' without such a person, 'taken' when the e-mail is another's. */
export async function replacePerson(db: Db, id: string, p: PersonInput): Promise<PersonRow | 'missing' | 'taken'> {
  try {
    return await db.$transaction(async (tx) => {
      const person = await tx.person.update({ where: { id }, data: fields(p) });
      await syncContact(tx, person);
      return person;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025') return 'missing';
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return 'taken';
    throw err;
  }
}

export async function findPerson(db: Db, id: string): Promise<PersonRow | null> {
  return db.person.findUnique({ where: { id } });
}

/** The person with this e-mail (ignoring case), or null: how a sign-in finds its person. */
export async function personByEmail(db: Db, email: string): Promise<PersonRow | null> {
  return db.person.findUnique({ where: { email: email.toLowerCase() } });
}

/** A unit's people, by name. */
export async function peopleOf(db: Db, unitCode: string): Promise<PersonRow[]> {
  return db.person.findMany({ where: { unitCode }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 1000 });
}

/** What a request made with a session needs of its person: who, their unit's path, roles. */
export interface SessionPerson {
  id: string;
  name: string;
  position: string | null;
  unitCode: string | null;
  /** Unit.path of their unit; null for a system admin without one. */
  unitPath: string | null;
  roles: string[];
  admin: boolean;
}

/** The person of a session, as recorded now (a moved or demoted person acts as they are now). */
export async function sessionPerson(db: Db, id: string): Promise<SessionPerson | null> {
  // Every request made with a session passes here: one statement, person and unit.
  const [row] = await db.$queryRaw<SessionPerson[]>`
    SELECT p.id, p.name, p.position, p."unitCode", u.path AS "unitPath", p.roles, p.admin
      FROM "Person" p LEFT JOIN "Unit" u ON u.code = p."unitCode"
     WHERE p.id = ${id}`;
  return row ?? null;
}
