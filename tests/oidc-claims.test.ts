/** Claims → the person signing in, for the providers' shapes (flat, Keycloak's), and the refusals. */
import { SignInRefused, identityFromClaims, type ClaimNames } from '../api/oidc/claims';
import { loadConfig } from '../runtime/config';

const defaults: ClaimNames = loadConfig({});

test('the local provider shape: a flat roles list, unit_code and position', () => {
  expect(
    identityFromClaims(
      { sub: 'x', email: 'Vanthu.Xa@Demo.gov.vn', name: 'Vũ Thị Mai', unit_code: 'VP-LT-QS', roles: ['clerk', 'uma_authorization'], position: 'Văn thư' },
      defaults,
    ),
  ).toEqual({ email: 'vanthu.xa@demo.gov.vn', name: 'Vũ Thị Mai', position: 'Văn thư', unitCode: 'VP-LT-QS', roles: ['clerk'], admin: false });
});

test("Keycloak's shape: roles under realm_access.roles, the unit in a user attribute, configured by dotted paths", () => {
  const names = { ...defaults, OIDC_CLAIM_ROLES: 'realm_access.roles', OIDC_CLAIM_UNIT: 'attributes.unit', OIDC_CLAIM_NAME: 'preferred_username' };
  const who = identityFromClaims(
    { email: 'lanhdao@so.gov.vn', preferred_username: 'lanhdao', realm_access: { roles: ['leader', 'offline_access'] }, attributes: { unit: 'STTTT-VP' } },
    names,
  );
  expect(who).toMatchObject({ unitCode: 'STTTT-VP', roles: ['leader'], name: 'lanhdao', position: null, admin: false });
});

test('roles given as one space-separated string, and the admin role', () => {
  expect(identityFromClaims({ email: 'a@b.vn', roles: 'officer admin' }, defaults)).toMatchObject({ roles: ['officer'], admin: true, unitCode: null });
});

test('without an e-mail claim the sign-in is refused, naming the claim; without a name the e-mail stands in', () => {
  expect(() => identityFromClaims({ sub: 'x', name: 'A' }, defaults)).toThrow(SignInRefused);
  expect(() => identityFromClaims({ sub: 'x', email: 'not-an-email' }, defaults)).toThrow(/claim "email"/);
  expect(identityFromClaims({ email: 'a@b.vn' }, defaults).name).toBe('a@b.vn');
});

test('a roles claim of another type grants nothing', () => {
  expect(identityFromClaims({ email: 'a@b.vn', roles: { leader: true } }, defaults).roles).toEqual([]);
});
