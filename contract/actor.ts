/**
 * Who performed an action: a signed-in person, a unit's API token (a machine) or the admin,
 * with the role the action was taken in. The API builds it (api/actor.ts) and passes it in
 * the action's Update input (`by`); the workflow carries it into the event it records, and
 * the read model keeps it with the event, the report and the extension request. Inputs
 * recorded before actors existed have none: everything that reads one accepts its absence.
 */
import { z } from 'zod';

export const ACTOR_KINDS = ['person', 'token', 'admin'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The unit roles (api/roles.ts ROLES) and the system admin's. */
export const ACTOR_ROLES = ['clerk', 'officer', 'leader', 'admin'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export interface Actor {
  kind: ActorKind;
  /** Person.id, ApiToken.id, or "admin". */
  id: string;
  /** The person's name; a token's label (or "token <first 8 of its id>"); "admin". */
  name: string;
  role: ActorRole;
  /** Chức vụ, for a person (null when none is recorded); absent for a token or the admin. */
  position?: string | null;
  /** The unit the actor belongs to; null for the admin. */
  unitCode: string | null;
}

/** Bounds as stored: a name or position longer than this is cut, never refused. */
export const ACTOR_TEXT_MAX = 200;

export const actorSchema = z.strictObject({
  kind: z.enum(ACTOR_KINDS),
  id: z.string().min(1).max(ACTOR_TEXT_MAX),
  name: z.string().min(1).max(ACTOR_TEXT_MAX),
  role: z.enum(ACTOR_ROLES),
  position: z.string().max(ACTOR_TEXT_MAX).nullable().optional(),
  unitCode: z.string().max(ACTOR_TEXT_MAX).nullable(),
});

/**
 * An actor read back from a JSON column or an event's data: null when there is none (a row
 * recorded before actors existed) or when what is stored is not an actor.
 */
export function storedActor(value: unknown): Actor | null {
  if (value === null || value === undefined) return null;
  const parsed = actorSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
