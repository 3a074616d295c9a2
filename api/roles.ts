/**
 * Duties inside a unit (Decree 30/2020's office work): the clerk (văn thư) receives and
 * registers documents, the officer (chuyên viên) drafts the implementing document and the
 * reports, reports on task parts and asks for extensions, the leader (lãnh đạo) does all
 * of that and issues: concretizes, sends a report up, issues, amends and revokes a
 * directive, decides the extension requests of the units below.
 */
export const ROLES = ['clerk', 'officer', 'leader'] as const;
export type Role = (typeof ROLES)[number];

/** What each unit action asks of the caller. */
export const ACTION_ROLE = {
  acknowledge: 'clerk',
  concretize: 'leader',
  report: 'leader',
  reportOnTask: 'officer',
  requestExtension: 'officer',
  decideExtension: 'leader',
  issue: 'leader',
  draft: 'officer',
  /** Who the unit's notifications reach: its contacts and calendar feed. */
  manageNotifications: 'leader',
} as const satisfies Record<string, Role>;
export type Action = keyof typeof ACTION_ROLE;

/**
 * The roles a token or a person holds in effect: none recorded means every role (a unit
 * token issued before roles existed keeps working); a leader holds every role.
 */
export function effectiveRoles(recorded: readonly string[]): Role[] {
  const known = recorded.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return known.length === 0 || known.includes('leader') ? [...ROLES] : known;
}
