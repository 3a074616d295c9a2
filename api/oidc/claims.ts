/**
 * Who signed in, read from the provider's claims (ID token and userinfo) with the claim
 * names the configuration gives: the person by e-mail, their name and position, and, when
 * people come from the provider's claims, their unit and roles. Pure, so that every
 * provider's shape (a flat `roles`, Keycloak's `realm_access.roles`) is tested without one.
 */
import { z } from 'zod';
import type { Config } from '../../runtime/config';
import { ROLES, type Role } from '../roles';

export type ClaimNames = Pick<
  Config,
  'OIDC_CLAIM_EMAIL' | 'OIDC_CLAIM_NAME' | 'OIDC_CLAIM_POSITION' | 'OIDC_CLAIM_UNIT' | 'OIDC_CLAIM_ROLES' | 'OIDC_ADMIN_ROLE'
>;

export interface SignedInIdentity {
  email: string;
  name: string;
  position: string | null;
  /** From the claims; null when the provider names none (a system admin, or people from records). */
  unitCode: string | null;
  /** The unit roles among the claimed ones (clerk, officer, leader). */
  roles: Role[];
  admin: boolean;
}

/** The value at a dotted path ("realm_access.roles") of the claims. */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const email = z.string().trim().toLowerCase().pipe(z.email());
const text = z.string().trim().min(1).max(200);
/** A list of role names, or one name, or a space- or comma-separated string of them. */
const roleList = z
  .union([z.array(z.string()), z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean))])
  .catch([]);

/** Why a sign-in cannot be accepted, in words for the person (and a code for the page). */
export class SignInRefused extends Error {
  constructor(
    readonly code: 'NO_EMAIL' | 'NO_UNIT' | 'NO_ROLE' | 'NOT_RECORDED',
    message: string,
  ) {
    super(message);
    this.name = 'SignInRefused';
  }
}

export function identityFromClaims(claims: Record<string, unknown>, names: ClaimNames): SignedInIdentity {
  const mail = email.safeParse(claimAt(claims, names.OIDC_CLAIM_EMAIL));
  if (!mail.success) throw new SignInRefused('NO_EMAIL', `the provider gave no e-mail address in the claim "${names.OIDC_CLAIM_EMAIL}"`);
  const name = text.safeParse(claimAt(claims, names.OIDC_CLAIM_NAME));
  const position = text.safeParse(claimAt(claims, names.OIDC_CLAIM_POSITION));
  const unit = text.safeParse(claimAt(claims, names.OIDC_CLAIM_UNIT));
  const claimed = roleList.parse(claimAt(claims, names.OIDC_CLAIM_ROLES));
  return {
    email: mail.data,
    name: name.success ? name.data : mail.data,
    position: position.success ? position.data : null,
    unitCode: unit.success ? unit.data : null,
    roles: ROLES.filter((r) => claimed.includes(r)),
    admin: claimed.includes(names.OIDC_ADMIN_ROLE),
  };
}
