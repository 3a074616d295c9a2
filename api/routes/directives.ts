/** /api/v1/directives: issue, read, amend, revoke, and the unit actions on assignments. */
import { Router, type Response } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../../read-model/db';
import type { Config } from '../../runtime/config';
import { principalOf } from '../auth';
import { idempotency } from '../middleware/idempotency';
import {
  acknowledgeSchema,
  amendmentSchema,
  assignmentFilterSchema,
  assignmentParams,
  concretizeSchema,
  decisionParams,
  directiveParams,
  escalationFilterSchema,
  extensionDecisionSchema,
  extensionRequestSchema,
  issueDirectiveSchema,
  reportSchema,
  revokeSchema,
} from '../schemas';
import { issueDirective } from '../use-cases/issue-directive';
import { requireIssuer } from '../permissions';
import { amendDirective, revokeDirective } from '../use-cases/directive-lifecycle';
import { getAssignment, getDirective, listAssignments, listEscalations } from '../use-cases/read-directive';
import * as actions from '../use-cases/unit-actions';
import { parse } from './validate';

export function directiveRoutes(deps: { db: Db; client: Client; config: Config }): Router {
  const { db, client, config } = deps;
  const r = Router();
  const once = idempotency(db);
  const send = (res: Response, out: actions.ActionResult<unknown>, createdStatus = 200) =>
    res.status(out.changed ? createdStatus : 200).json(out.result);

  r.post('/directives', once, async (req, res) => {
    const input = parse(issueDirectiveSchema, req.body);
    requireIssuer(principalOf(res), input.issuerCode);
    const out = await issueDirective(
      { db, client, taskQueue: config.TEMPORAL_TASK_QUEUE, maxFanout: config.CASCADE_MAX_FANOUT },
      input,
    );
    res.status(out.created ? 201 : 200).json({ id: out.id, number: out.number, status: out.status });
  });

  r.get('/directives/:id', async (req, res) => {
    const { id } = parse(directiveParams, req.params);
    res.json(await getDirective(db, principalOf(res), id));
  });
  r.get('/directives/:id/assignments', async (req, res) => {
    const { id } = parse(directiveParams, req.params);
    res.json(await listAssignments(db, principalOf(res), id, parse(assignmentFilterSchema, req.query)));
  });
  r.get('/directives/:id/escalations', async (req, res) => {
    const { id } = parse(directiveParams, req.params);
    res.json(await listEscalations(db, principalOf(res), id, parse(escalationFilterSchema, req.query)));
  });
  r.get('/directives/:id/units/:code', async (req, res) => {
    const { id, code } = parse(assignmentParams, req.params);
    res.json(await getAssignment(db, principalOf(res), id, code));
  });

  r.post('/directives/:id/amendments', once, async (req, res) => {
    const { id } = parse(directiveParams, req.params);
    res.json(await amendDirective({ db, client }, principalOf(res), id, parse(amendmentSchema, req.body)));
  });
  r.post('/directives/:id/revoke', once, async (req, res) => {
    const { id } = parse(directiveParams, req.params);
    res.json(await revokeDirective({ db, client }, principalOf(res), id, parse(revokeSchema, req.body)));
  });

  const deps2 = { db, client, updateTimeoutMs: config.UPDATE_TIMEOUT_MS };
  r.post('/directives/:id/units/:code/acknowledge', once, async (req, res) => {
    const { id, code } = parse(assignmentParams, req.params);
    send(res, await actions.acknowledge(deps2, principalOf(res), id, code, parse(acknowledgeSchema, req.body)));
  });
  r.post('/directives/:id/units/:code/concretize', once, async (req, res) => {
    const { id, code } = parse(assignmentParams, req.params);
    send(res, await actions.concretize(deps2, principalOf(res), id, code, parse(concretizeSchema, req.body)));
  });
  r.post('/directives/:id/units/:code/reports', once, async (req, res) => {
    const { id, code } = parse(assignmentParams, req.params);
    send(res, await actions.report(deps2, principalOf(res), id, code, parse(reportSchema, req.body)));
  });
  r.post('/directives/:id/units/:code/extension-requests', once, async (req, res) => {
    const { id, code } = parse(assignmentParams, req.params);
    const body = parse(extensionRequestSchema, req.body);
    send(res, await actions.requestExtension(deps2, principalOf(res), id, code, body), 201);
  });
  r.post('/directives/:id/units/:code/extension-requests/:requestId/decision', once, async (req, res) => {
    const { id, code, requestId } = parse(decisionParams, req.params);
    const body = parse(extensionDecisionSchema, req.body);
    send(res, await actions.decideExtension(deps2, principalOf(res), id, code, requestId, body));
  });
  return r;
}
