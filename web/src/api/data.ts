/**
 * Every read and action of the dashboard, typed. Reads come from the read model only (the
 * API never asks Temporal for them), so polling them is cheap.
 */
import { csrfHeader, newIdempotencyKey, qs, request } from './client';
import type {
  AssignmentDetail,
  Contact,
  EmailDelivery,
  UnreachableUnit,
  AssignmentRow,
  CascadeMap,
  Directive,
  DirectiveListItem,
  DocumentNode,
  Escalation,
  InboxItem,
  Page,
  Session,
  UnitRef,
  UnitWithChildren,
} from './types';

const enc = encodeURIComponent;
type Opt = { signal?: AbortSignal };

/** Whether sign-in is offered and this browser is signed in (/auth/session, outside the API). */
export async function signInStatus(): Promise<{ signIn: boolean; signedIn: boolean; csrfToken?: string }> {
  const res = await fetch('/auth/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) return { signIn: false, signedIn: false };
  return (await res.json()) as { signIn: boolean; signedIn: boolean; csrfToken?: string };
}

/** Ends the session; where the provider ends its own, if it says. */
export async function signOutSession(): Promise<string | null> {
  const res = await fetch('/auth/logout', { method: 'POST', headers: csrfHeader() });
  if (!res.ok) return null;
  return ((await res.json()) as { endSessionUrl?: string | null }).endSessionUrl ?? null;
}

export const loadSession = (token?: string) =>
  request<Session>('/dashboard/session', token ? { token } : {});

export interface DirectiveQuery {
  issuer?: string;
  /** Text in number or title. */
  q?: string;
  limit: number;
  offset: number;
}

/** GET /directives (the list being added to the API); its filters are passed as given. */
export const loadDirectives = (f: DirectiveQuery, o: Opt = {}) =>
  request<Page<DirectiveListItem>>(
    `/directives${qs({ issuer: f.issuer, q: f.q, limit: f.limit, offset: f.offset })}`,
    o,
  );

export const loadDirective = (id: string, o: Opt = {}) =>
  request<Directive>(`/directives/${enc(id)}`, o);

export const loadMap = (id: string, parent: string | undefined, o: Opt = {}) =>
  request<CascadeMap>(`/dashboard/directives/${enc(id)}/map${qs({ parent })}`, o);

export const loadOverdue = (id: string, limit: number, o: Opt = {}) =>
  request<Page<AssignmentRow>>(
    `/directives/${enc(id)}/assignments${qs({ overdue: true, limit })}`,
    o,
  );

export const loadEscalations = (
  id: string,
  status: 'open' | 'resolved',
  limit: number,
  o: Opt = {},
) => request<Page<Escalation>>(`/directives/${enc(id)}/escalations${qs({ status, limit })}`, o);

export const loadDocuments = (id: string, parent: string | undefined, o: Opt = {}) =>
  request<{ parentId: string | null; items: DocumentNode[] }>(
    `/dashboard/directives/${enc(id)}/documents${qs({ parent })}`,
    o,
  );

export const loadAssignment = (id: string, unit: string, o: Opt = {}) =>
  request<AssignmentDetail>(`/directives/${enc(id)}/units/${enc(unit)}`, o);

export const loadInbox = (unit: string, o: Opt = {}) =>
  request<Page<InboxItem>>(`/units/${enc(unit)}/inbox${qs({ limit: 200 })}`, o);

export const loadContacts = (unit: string, o: Opt = {}) =>
  request<{ unitCode: string; items: Contact[] }>(`/units/${enc(unit)}/contacts`, o);

export const loadDeliveries = (unit: string, o: Opt = {}) =>
  request<Page<EmailDelivery>>(`/units/${enc(unit)}/deliveries${qs({ limit: 20 })}`, o);

export const loadUnreachable = (under: string | undefined, o: Opt = {}) =>
  request<Page<UnreachableUnit>>(`/contacts/unreachable${qs({ under, limit: 200 })}`, o);

export const addContact = (
  unit: string,
  c: Pick<Contact, 'name' | 'email' | 'language' | 'delivery'>,
) => request<Contact>(`/units/${enc(unit)}/contacts`, { method: 'POST', body: c });

export const removeContact = (unit: string, id: string) =>
  request<void>(`/units/${enc(unit)}/contacts/${enc(id)}`, { method: 'DELETE' });

export const loadUnit = (code: string, o: Opt = {}) =>
  request<UnitWithChildren>(`/units/${enc(code)}`, o);

// ---- unit names, cached for the page's life ----

const names = new Map<string, UnitRef>();

/** Names for `codes` (those the caller may see); cached. */
export async function loadNames(
  codes: Iterable<string>,
  o: Opt = {},
): Promise<Map<string, UnitRef>> {
  const missing = [...new Set(codes)].filter((c) => c && !names.has(c));
  for (let i = 0; i < missing.length; i += 500) {
    const batch = missing.slice(i, i + 500);
    const res = await request<{ units: UnitRef[] }>(
      `/dashboard/unit-names${qs({ codes: batch.join(',') })}`,
      o,
    );
    for (const u of res.units) names.set(u.code, u);
    for (const c of batch) if (!names.has(c)) names.set(c, { code: c, name: c, level: '' });
  }
  return names;
}

export const rememberNames = (units: UnitRef[]): void => units.forEach((u) => names.set(u.code, u));
export const nameOf = (code: string | null | undefined): string =>
  code ? (names.get(code)?.name ?? code) : '—';

// ---- unit actions (through the same endpoints as any client) ----

const act = <T>(id: string, unit: string, action: string, body: unknown) =>
  request<T>(`/directives/${enc(id)}/units/${enc(unit)}/${action}`, {
    method: 'POST',
    body,
    idempotencyKey: newIdempotencyKey(),
  });

export interface TaskForm {
  title: string;
  leadUnitCode?: string;
  coordinatingUnits?: string[];
  dueAt?: string;
}

/** An implementing document as the concretize action (and a draft of it) takes it. */
export interface ConcretizeBody {
  number: string;
  title: string;
  issuedAt: string;
  body?: string;
  tasks?: TaskForm[];
  recipients?: string[];
}

/** A unit's draft in a cascade (GET …/drafts). */
export interface DraftItem {
  id: string;
  kind: 'implementing_document' | 'report';
  status: 'DRAFT' | 'ISSUED';
  /** The implementing document (or the report) as drafted. */
  content: ConcretizeBody;
  draftedBy: string;
  createdAt: string;
}

export const loadDrafts = (id: string, unit: string, o: Opt = {}) =>
  request<{ items: DraftItem[] }>(`/directives/${enc(id)}/units/${enc(unit)}/drafts`, o);

export const actions = {
  acknowledge: (id: string, unit: string, note?: string) =>
    act(id, unit, 'acknowledge', note ? { note } : {}),
  concretize: (id: string, unit: string, doc: ConcretizeBody) => act(id, unit, 'concretize', doc),
  /** An officer's draft of the implementing document, for the unit's leader to issue. */
  draftDocument: (id: string, unit: string, doc: ConcretizeBody) =>
    act(id, unit, 'drafts', { kind: 'implementing_document', document: doc }),
  issueDraft: (id: string, unit: string, draftId: string) => act(id, unit, `drafts/${enc(draftId)}/issue`, {}),
  report: (id: string, unit: string, r: { cycle?: number; summary: string; completion: number }) =>
    act(id, unit, 'reports', r),
  requestExtension: (id: string, unit: string, r: { requestedDeadline: string; reason: string }) =>
    act(id, unit, 'extension-requests', r),
  reportOnTask: (
    id: string,
    taskRef: string,
    unit: string,
    r: { summary: string; completion: number },
  ) =>
    request(`/directives/${enc(id)}/tasks/${enc(taskRef)}/units/${enc(unit)}/report`, {
      method: 'POST',
      body: r,
      idempotencyKey: newIdempotencyKey(),
    }),
  decideExtension: (
    id: string,
    unit: string,
    requestId: string,
    d: { approve: boolean; note?: string },
  ) => act(id, unit, `extension-requests/${enc(requestId)}/decision`, d),
};

/** The Temporal UI page of a workflow. */
export const workflowUrl = (session: Session, workflowId: string): string =>
  session.temporalUi ? `${session.temporalUi}/workflows/${enc(workflowId)}` : '';
export const assignmentWorkflowId = (directiveId: string, unit: string) =>
  `cascade/${directiveId}/${unit}`;
export const directiveWorkflowId = (directiveId: string) => `cascade/${directiveId}`;
