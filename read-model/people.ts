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

/** The new person, or null when the e-mail is already someone's. */
export async function createPerson(db: Db, p: PersonInput): Promise<PersonRow | null> {
  try {
    return await db.person.create({ data: { id: crypto.randomUUID(), ...fields(p) } });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return null;
    throw err;
  }
}

/** Replaces a person's fields: 'missing' without such a person, 'taken' when the e-mail is another's. */
export async function replacePerson(db: Db, id: string, p: PersonInput): Promise<PersonRow | 'missing' | 'taken'> {
  try {
    return await db.person.update({ where: { id }, data: fields(p) });
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
