/**
 * What the dashboard reads besides the general endpoints: who the caller is, a cascade
 * rolled up by subtrees (the map), its tree of implementing documents, and unit names.
 * The same visibility rules as the rest of the API (api/permissions.ts).
 */
import type { Config } from '../../runtime/config';
import type { UnitRef } from '../../read-model/dashboard';
import type { Store } from '../../read-model/repositories';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { ROLES, type Role } from '../roles';
import { onBranch, readScope, requireInSubtree } from '../permissions';
import { rootDirective } from './read-directive';

export interface DashboardSession {
  kind: Principal['kind'];
  /** The caller's unit (null for the admin). */
  unit: UnitRef | null;
  /** Base of the links to workflows: `<temporalUi>/workflows/<workflowId>`. */
  temporalUi: string;
  /** The signed-in person (null for a bearer token). */
  person: { name: string; position: string | null } | null;
  /** The roles held in the unit (the dashboard offers only the actions they allow); every one for the admin. */
  roles: Role[];
}

/** Where the Temporal Web UI shows the configured namespace. */
export function temporalUiBase(config: Config): string {
  const base = (config.TEMPORAL_UI_URL ?? `http://localhost:${config.TEMPORAL_UI_PORT}`).replace(
    /\/+$/,
    '',
  );
  return `${base}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}`;
}

/** What the dashboard's reads use. */
export type DashboardStore = Pick<Store, 'units' | 'directives' | 'assignments'>;

export async function session(store: Pick<Store, 'units'>, config: Config, p: Principal): Promise<DashboardSession> {
  const temporalUi = temporalUiBase(config);
  const person = p.person ? { name: p.person.name, position: p.person.position } : null;
  if (p.kind === 'admin') return { kind: 'admin', unit: null, temporalUi, person, roles: [...ROLES] };
  const unit = await store.units.withPath(p.unitCode);
  return {
    kind: 'unit',
    person,
    roles: p.roles,
    unit: unit
      ? { code: unit.code, name: unit.name, level: unit.level }
      : { code: p.unitCode, name: p.unitCode, level: '' },
    temporalUi,
  };
}

/**
 * The cascade rolled up by the units directly below `parentCode` (default: where the
 * caller's view starts: the issuer, or the caller's own unit when it only sees its subtree).
 */
export async function directiveMap(store: DashboardStore, p: Principal, id: string, parentCode?: string) {
  const directive = await rootDirective(store, id);
  const scope = await readScope(store, p, directive);
  const rootCode = scope.unitCodes && p.kind === 'unit' ? p.unitCode : directive.issuerCode;
  const root = await store.units.withPath(rootCode);
  if (!root) throw new ApiError(404, 'NOT_FOUND', `unit ${rootCode} not found`);
  const parent = parentCode && parentCode !== rootCode ? await store.units.withPath(parentCode) : root;
  // An unknown unit and one outside the view get the same answer: the map cannot probe codes.
  if (!parent || !parent.path.startsWith(root.path)) {
    throw new ApiError(403, 'FORBIDDEN', `${parentCode} is outside this view of the cascade (below ${root.code})`);
  }
  if (p.kind === 'unit' && scope.unitCodes) requireInSubtree(p, parent.code, parent.path);
  return store.assignments.map(id, parent, root.code);
}

/** One level of the cascade's document tree: the root, or the documents based on `parentId`. */
export async function directiveDocuments(store: DashboardStore, p: Principal, id: string, parentId?: string) {
  const directive = await rootDirective(store, id);
  const scope = await readScope(store, p, directive);
  const items = await store.directives.level(
    id,
    parentId ?? null,
    (path) => !scope.unitCodes || onBranch(p, path),
  );
  return { parentId: parentId ?? null, items };
}

/** Names of units the caller may see: its subtree and the units above it (the admin: all). */
export async function unitNames(store: Pick<Store, 'units'>, p: Principal, codes: string[]) {
  const rows = await store.units.named([...new Set(codes)]);
  return { units: rows.filter((u) => onBranch(p, u.path)).map(({ path: _path, ...u }) => u) };
}
