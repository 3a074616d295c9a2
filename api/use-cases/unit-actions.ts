/**
 * Unit actions: each is an Update on the unit's assignment workflow, so the caller learns
 * at once whether it was accepted. The read model is checked first (404s); a rejected
 * Update is a 409 with the workflow's reason — unless the assignment shows the very same
 * action already done, in which case the repeat is answered 200 with the current view.
 */
import crypto from 'node:crypto';
import { status as grpcStatus } from '@grpc/grpc-js';
import type { Client } from '@temporalio/client';
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Db } from '../../read-model/db';
import {
  acknowledgeUpdate,
  concretizeUpdate,
  decideExtensionUpdate,
  reportUpdate,
  requestExtensionUpdate,
  stateQuery,
  type AssignmentView,
} from '../../contract/definitions';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { actorFor } from '../permissions';
import * as repo from '../../read-model/assignments';
import { findDirective, findRootDirective } from '../../read-model/directives';
import type { z } from 'zod';
import type {
  acknowledgeSchema,
  concretizeSchema,
  extensionDecisionSchema,
  extensionRequestSchema,
  reportSchema,
} from '../schemas';
import { workflowIds } from '../../contract/ids';
import { log } from '../../runtime/log';

export interface ActionDeps {
  db: Db;
  client: Client;
  /** How long an action waits for the workflow before answering 503. */
  updateTimeoutMs?: number;
}

export interface ActionResult<T = AssignmentView> {
  /** False when the same action had already been done: nothing changed. */
  changed: boolean;
  result: T;
}

/** The assignment in the read model, or 404 naming what is missing. */
async function assignmentOr404(db: Db, directiveId: string, unitCode: string): Promise<repo.AssignmentRow> {
  const row = await repo.findAssignment(db, directiveId, unitCode);
  if (row) return row;
  if (!(await findRootDirective(db, directiveId))) throw new ApiError(404, 'NOT_FOUND', `directive ${directiveId} not found`);
  throw new ApiError(404, 'NOT_FOUND', `${unitCode} has no assignment in directive ${directiveId}`);
}

/**
 * The workflow's own view when it answers, else the read model's as it is now: `row` was
 * read before the Update, and the action being repeated may have been written since (a
 * first attempt that outlasted its caller's deadline, completed while the repeat waited).
 */
async function currentView(deps: ActionDeps, row: repo.AssignmentRow): Promise<AssignmentView> {
  try {
    return await deps.client.workflow.getHandle(workflowIds.assignment(row.directiveId, row.unitCode)).query(stateQuery);
  } catch {
    const now = await repo.findAssignment(deps.db, row.directiveId, row.unitCode);
    return repo.assignmentViewFromReadModel(deps.db, now ?? row);
  }
}

/**
 * Runs the Update. On rejection, `alreadyDone` decides whether this is a repeat of an
 * action that succeeded before (200, unchanged) or a real conflict (409 with the reason).
 */
async function runUpdate<Arg>(
  deps: ActionDeps,
  row: repo.AssignmentRow,
  update: UpdateDefinition<AssignmentView, [Arg]>,
  arg: Arg,
  alreadyDone: (view: AssignmentView) => Promise<boolean> | boolean,
): Promise<ActionResult> {
  const handle = deps.client.workflow.getHandle(workflowIds.assignment(row.directiveId, row.unitCode));
  let reason: string;
  try {
    // Bounded: with no worker polling, an Update would wait for as long as the caller does.
    const result = await deps.client.withDeadline(Date.now() + (deps.updateTimeoutMs ?? 20_000), () =>
      handle.executeUpdate(update, { args: [arg] }),
    );
    return { changed: true, result };
  } catch (err) {
    if (isDeadline(err)) {
      throw new ApiError(503, 'ENGINE_UNAVAILABLE', 'the workflow engine did not answer in time; retry later');
    }
    if (isBusy(err)) {
      // Too many actions waiting on this one workflow (the server admits 10 in flight), e.g.
      // retries piling up while a relay is still starting hundreds of units below.
      throw new ApiError(503, 'ENGINE_BUSY', 'the workflow engine is busy with this assignment; retry later');
    }
    if (err instanceof WorkflowUpdateFailedError) {
      reason = (err.cause as Error | undefined)?.message ?? err.message;
    } else if (err instanceof WorkflowNotFoundError) {
      // The read model has the assignment, so its workflow ran and has closed.
      reason = `the assignment is ${row.stage}`;
    } else if (err instanceof ServiceError) {
      // Any other refusal by the Temporal service (e.g. FAILED_PRECONDITION "Unable to perform
      // workflow execution update due to unexpected workflow task failure": the workflow task
      // carrying the Update timed out on an overloaded worker) is the engine's, not the
      // caller's: the action was not applied, and a retry is safe (a repeat is detected).
      log('warn', 'update refused by the workflow service', {
        workflowId: handle.workflowId,
        status: grpcName((err.cause as { code?: unknown } | undefined)?.code),
        error: (err.cause as Error | undefined)?.message ?? err.message,
      });
      throw new ApiError(503, 'ENGINE_UNAVAILABLE', 'the workflow engine could not take the action now; retry later');
    } else {
      throw err;
    }
  }
  const view = await currentView(deps, row);
  if (await alreadyDone(view)) return { changed: false, result: view };
  throw new ApiError(409, 'CONFLICT', reason);
}

export async function acknowledge(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof acknowledgeSchema>,
): Promise<ActionResult> {
  const actorUnitCode = actorFor(p, unitCode);
  const row = await assignmentOr404(deps.db, directiveId, unitCode);
  return runUpdate(deps, row, acknowledgeUpdate, { actorUnitCode, ...body }, async (view) => {
    if (view.ackVersion < view.directiveVersion || view.ackVersion === 0) return false;
    const recorded = await repo.acknowledgementOf(deps.db, row.id, view.ackVersion);
    if (recorded === null) {
      // The workflow has the acknowledgement but the read model not yet (an earlier attempt
      // was applied while its answer timed out, and its write is still being retried): which
      // note it carried is unknown, so this is neither a proven repeat nor a conflict.
      throw new ApiError(503, 'ENGINE_BUSY', 'the acknowledgement is still being recorded; retry later');
    }
    return (recorded.note ?? null) === (body.note ?? null);
  });
}

export async function concretize(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof concretizeSchema>,
): Promise<ActionResult> {
  const actorUnitCode = actorFor(p, unitCode);
  const row = await assignmentOr404(deps.db, directiveId, unitCode);
  return runUpdate(deps, row, concretizeUpdate, { actorUnitCode, ...body }, async (view) => {
    if (!view.implementingDirectiveId) return false;
    const doc = await findDirective(deps.db, view.implementingDirectiveId);
    return doc !== null && doc.number === body.number && doc.title === body.title;
  });
}

export async function report(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof reportSchema>,
): Promise<ActionResult> {
  const actorUnitCode = actorFor(p, unitCode);
  const row = await assignmentOr404(deps.db, directiveId, unitCode);
  return runUpdate(deps, row, reportUpdate, { actorUnitCode, ...body }, async () => {
    const reports = await repo.reportsOf(deps.db, row.id);
    const same = body.cycle === undefined ? reports.at(-1) : reports.find((r) => r.cycle === body.cycle);
    return (
      same !== undefined &&
      same.summary === body.summary &&
      same.completion === body.completion &&
      JSON.stringify(same.metrics ?? null) === JSON.stringify(body.metrics ?? null)
    );
  });
}

/** The API chooses the request id, so the unit can refer to it in the decision. */
export async function requestExtension(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof extensionRequestSchema>,
): Promise<ActionResult<{ requestId: string; assignment: AssignmentView }>> {
  const actorUnitCode = actorFor(p, unitCode);
  const row = await assignmentOr404(deps.db, directiveId, unitCode);
  const requestId = crypto.randomUUID();
  const { result } = await runUpdate(deps, row, requestExtensionUpdate, { actorUnitCode, requestId, ...body }, () => false);
  return { changed: true, result: { requestId, assignment: result } };
}

/** Decided by the unit above (the assignment's parentUnitCode); the admin decides as that unit. */
export async function decideExtension(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  requestId: string,
  body: z.infer<typeof extensionDecisionSchema>,
): Promise<ActionResult> {
  const row = await assignmentOr404(deps.db, directiveId, unitCode);
  const parent = row.parentUnitCode;
  if (!parent) throw new ApiError(409, 'CONFLICT', 'this assignment has no unit above it to decide');
  const actorUnitCode = actorFor(p, parent);
  if (!(await repo.findExtensionRequest(deps.db, row.id, requestId))) {
    throw new ApiError(404, 'NOT_FOUND', `no extension request ${requestId} for ${unitCode}`);
  }
  const wanted = body.approve ? 'APPROVED' : 'REJECTED';
  return runUpdate(deps, row, decideExtensionUpdate, { actorUnitCode, requestId, ...body }, (view) =>
    view.extensions.some((x) => x.requestId === requestId && x.status === wanted && (x.note ?? null) === (body.note ?? null)),
  );
}

/** The server refused the Update for load (too many in flight) or was unreachable. */
function isBusy(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
  return code === grpcStatus.RESOURCE_EXHAUSTED || code === grpcStatus.UNAVAILABLE;
}

/** `FAILED_PRECONDITION` for 9: the gRPC status name, for the log. */
function grpcName(code: unknown): string {
  return (typeof code === 'number' ? grpcStatus[code] : undefined) ?? `gRPC status ${String(code)}`;
}

function isDeadline(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  return code === grpcStatus.DEADLINE_EXCEEDED;
}
