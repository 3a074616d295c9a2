/**
 * Drafts inside a unit: an officer drafts the implementing document (with its tasks and
 * recipients) or a report; the unit's leader lists the drafts and issues one as it is or
 * edited, which is then exactly a concretize or a report by the leader.
 */
import type { z } from 'zod';
import type { DraftRow } from '../../read-model/drafts';
import type { Store } from '../../read-model/repositories';
import type { AssignmentView } from '../../contract/definitions';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { actorFor } from '../permissions';
import { actorOf } from '../actor';
import type { concretizeSchema, DraftBody, draftIssueSchema, reportSchema } from '../schemas';
import { concretize, report, type ActionDeps } from './unit-actions';

export type DraftDeps = ActionDeps & { drafts: Store['drafts'] };

export async function saveDraft(deps: DraftDeps, p: Principal, directiveId: string, unitCode: string, body: DraftBody) {
  actorFor(p, unitCode, 'draft');
  if (!(await deps.store.assignments.find(directiveId, unitCode))) {
    throw new ApiError(404, 'NOT_FOUND', `${unitCode} has no assignment in directive ${directiveId}`);
  }
  const content = body.kind === 'report' ? body.report : body.document;
  return deps.drafts.create({ directiveId, unitCode, kind: body.kind, content, draftedBy: p.id, drafter: actorOf(p, 'draft') });
}

/** The unit's drafts in the cascade: for the unit itself (any role) and the admin. */
export async function listDrafts(deps: DraftDeps, p: Principal, directiveId: string, unitCode: string) {
  if (p.kind === 'unit' && p.unitCode !== unitCode) {
    throw new ApiError(403, 'FORBIDDEN', `the drafts of ${unitCode} are its own`);
  }
  return { items: await deps.drafts.of(directiveId, unitCode) };
}

export async function issueDraft(
  deps: DraftDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  draftId: string,
  edits: z.infer<typeof draftIssueSchema>,
): Promise<{ draft: DraftRow; assignment: AssignmentView }> {
  actorFor(p, unitCode, 'concretize');
  const draft = await deps.drafts.find(draftId);
  if (!draft || draft.directiveId !== directiveId || draft.unitCode !== unitCode) {
    throw new ApiError(404, 'NOT_FOUND', `no draft ${draftId} of ${unitCode} in directive ${directiveId}`);
  }
  if (draft.status !== 'DRAFT') throw new ApiError(409, 'CONFLICT', `draft ${draftId} was already issued`);
  const isReport = draft.kind === 'report';
  const wrong = isReport ? edits.document : edits.report;
  if (wrong !== undefined) {
    const field = isReport ? 'document' : 'report';
    throw new ApiError(400, 'VALIDATION_ERROR', `this draft is a ${draft.kind}: edit it with ${isReport ? 'report' : 'document'}`, [
      { code: 'wrong_kind', path: [field], message: `not a field of a ${draft.kind} draft` },
    ]);
  }
  const edited = isReport ? edits.report : edits.document;
  const outcome = isReport
    ? await report(deps, p, directiveId, unitCode, (edited ?? draft.content) as z.infer<typeof reportSchema>)
    : await concretize(deps, p, directiveId, unitCode, (edited ?? draft.content) as z.infer<typeof concretizeSchema>);
  await deps.drafts.markIssued(draftId, { by: p.id, issuer: actorOf(p, isReport ? 'report' : 'concretize') }, edited ?? null);
  return { draft: (await deps.drafts.find(draftId))!, assignment: outcome.result };
}
