/** /api/v1/directives: issue, read, amend, revoke, and the unit actions on assignments. */
import { defineRoute, type Reply, type Route, type RouteDeps } from '../route-registry';
import {
  acknowledgeSchema,
  amendmentSchema,
  anyObjectSchema,
  assignmentDetailSchema,
  assignmentFilterSchema,
  assignmentParams,
  assignmentViewSchema,
  concretizeSchema,
  decisionParams,
  directiveParams,
  directiveListFilterSchema,
  directiveListSchema,
  directiveStatusSchema,
  escalationFilterSchema,
  extensionDecisionSchema,
  extensionRequestedSchema,
  extensionRequestSchema,
  issueDirectiveSchema,
  issuedSchema,
  reportSchema,
  retriedSchema,
  taskParams,
  taskPartViewSchema,
  taskReportSchema,
  revokeSchema,
} from '../schemas';
import { exportDirectiveEdxml } from '../use-cases/export-edxml';
import { exportProgressWorkbook } from '../use-cases/export-progress';
import { retryAssignment } from '../use-cases/retry-assignment';
import { reportOnTask } from '../use-cases/task-report';
import { issueDirective, type IssueDeps } from '../use-cases/issue-directive';
import { listDirectives } from '../use-cases/list-directives';
import { amendDirective, revokeDirective } from '../use-cases/directive-lifecycle';
import { getAssignment, getDirective, listAssignments, listEscalations } from '../use-cases/read-directive';
import * as actions from '../use-cases/unit-actions';

/** What a unit action (and a task report) needs: the Update's deadline comes from the configuration. */
const actionDeps = ({ store, client, config, issueLimits }: RouteDeps) => ({
  store,
  client,
  limits: issueLimits,
  updateTimeoutMs: config.UPDATE_TIMEOUT_MS,
});

const issueDeps = ({ store, client, config, issueLimits }: RouteDeps): IssueDeps => ({
  store,
  client,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  maxFanout: config.CASCADE_MAX_FANOUT,
  startWave: config.CASCADE_START_WAVE,
  limits: issueLimits,
});

/** A repeat of an action already done changed nothing: 200, whatever the route's success status. */
const actionReply = (out: actions.ActionResult<unknown>): Reply =>
  out.changed ? { body: out.result } : { status: 200, body: out.result };

export const directiveRoutes: Route[] = [
  defineRoute(
    {
      method: 'post',
      path: '/directives',
      action: 'issue',
      summary: 'Issue a directive and start its cascade (issuer or admin)',
      errors: [404, 409],
      body: issueDirectiveSchema,
      status: 201,
      response: issuedSchema,
      idempotent: true,
    },
    async ({ deps, principal, body }) => {
      const out = await issueDirective(issueDeps(deps), principal, body);
      return { status: out.created ? 201 : 200, body: { id: out.id, number: out.number, status: out.status } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives',
      summary:
        'Directives and implementing documents, newest first: by issuer, status, number or title text, basedOn, issue dates; a unit sees what it issued and what reached it',
      query: directiveListFilterSchema,
      response: directiveListSchema,
    },
    async ({ deps, principal, query }) => ({ body: await listDirectives(deps.store, principal, query) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}',
      summary:
        "The directive and its progress: totals by stage and level, overdue count; for an implementing document, the document and its chain (its cascade's progress is under rootId)",
      params: directiveParams,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params }) => ({ body: await getDirective(deps.store, principal, params.id) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/export.edxml',
      summary:
        'The directive or implementing document as an edXML package (QCVN 102:2016 envelope as public implementations build it): number, notation, date, kind, subject, issuer, recipients; the text as a plain-text attachment',
      params: directiveParams,
      produces: 'application/xml',
    },
    async ({ deps, principal, params }) => {
      const { data, filename } = await exportDirectiveEdxml(deps.store, principal, params.id);
      return { file: { data, filename, contentType: 'application/xml' } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/export.xlsx',
      summary:
        "The cascade's progress as an Excel workbook: the four official counts overall, by level and by province; one row per unit (stage, dates, official status, escalation rung); one row per task part. A unit with an assignment gets its subtree's rows",
      params: directiveParams,
      produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    async ({ deps, principal, params }) => {
      const { data, filename } = await exportProgressWorkbook(deps.store, principal, params.id);
      return { file: { data, filename, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/assignments',
      summary: 'Assignments, filtered and paginated',
      params: directiveParams,
      query: assignmentFilterSchema,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params, query }) => ({ body: await listAssignments(deps.store, principal, params.id, query) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/units/{code}',
      summary: 'One assignment: stage, deadlines, timeline, documents chain, children rollup; who took each action (by)',
      params: assignmentParams,
      response: assignmentDetailSchema,
    },
    async ({ deps, principal, params }) => ({ body: await getAssignment(deps.store, principal, params.id, params.code) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/acknowledge',
      action: 'acknowledge',
      errors: [503],
      summary: 'Acknowledge (the unit)',
      params: assignmentParams,
      body: acknowledgeSchema,
      response: assignmentViewSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) =>
      actionReply(await actions.acknowledge(actionDeps(deps), principal, params.id, params.code, body)),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/concretize',
      action: 'concretize',
      errors: [503],
      summary: "Issue the unit's implementing document and forward it",
      params: assignmentParams,
      body: concretizeSchema,
      response: assignmentViewSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) =>
      actionReply(await actions.concretize(actionDeps(deps), principal, params.id, params.code, body)),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/reports',
      action: 'report',
      errors: [503],
      summary: 'Report for a cycle',
      params: assignmentParams,
      body: reportSchema,
      response: assignmentViewSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) =>
      actionReply(await actions.report(actionDeps(deps), principal, params.id, params.code, body)),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/extension-requests',
      action: 'requestExtension',
      errors: [503],
      summary: 'Ask the unit above for a later deadline',
      params: assignmentParams,
      body: extensionRequestSchema,
      status: 201,
      response: extensionRequestedSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) =>
      actionReply(await actions.requestExtension(actionDeps(deps), principal, params.id, params.code, body)),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/extension-requests/{requestId}/decision',
      action: 'decideExtension',
      errors: [503],
      summary: 'The unit above approves or rejects',
      params: decisionParams,
      body: extensionDecisionSchema,
      response: assignmentViewSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) =>
      actionReply(
        await actions.decideExtension(actionDeps(deps), principal, params.id, params.code, params.requestId, body),
      ),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/escalations',
      summary: 'Escalation events, open and resolved',
      params: directiveParams,
      query: escalationFilterSchema,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params, query }) => ({ body: await listEscalations(deps.store, principal, params.id, query) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/amendments',
      action: 'issue',
      summary: 'Issuer: amend (new version to acknowledge)',
      params: directiveParams,
      body: amendmentSchema,
      response: directiveStatusSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) => ({ body: await amendDirective(deps, principal, params.id, body) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/revoke',
      action: 'issue',
      summary: 'Issuer: revoke; closes every open assignment',
      params: directiveParams,
      body: revokeSchema,
      response: directiveStatusSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) => ({ body: await revokeDirective(deps, principal, params.id, body) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/retry',
      errors: [409],
      summary: 'Admin: retry a FAILED assignment (an incident) as a new attempt of its workflow',
      params: assignmentParams,
      status: 202,
      response: retriedSchema,
    },
    async ({ deps, principal, params }) => ({ body: await retryAssignment(deps, principal, params.id, params.code) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/tasks/{task}/units/{code}/report',
      action: 'reportOnTask',
      errors: [503],
      summary: "A task's lead unit reports on it, or a coordinating unit on its contribution (task t1, or HN~t2 of a unit's plan)",
      params: taskParams,
      body: taskReportSchema,
      response: taskPartViewSchema,
      idempotent: true,
    },
    async ({ deps, principal, params, body }) => ({
      body: await reportOnTask(actionDeps(deps), principal, params.id, params.task, params.code, body),
    }),
  ),
];
