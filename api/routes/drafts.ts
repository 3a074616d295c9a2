/** A unit's drafts in a cascade: thin routes over use-cases/drafts. */
import { defineRoute, type Route, type RouteDeps } from '../route-registry';
import { anyObjectSchema, assignmentParams, draftIssueSchema, draftParams, draftSchema } from '../schemas';
import { issueDraft, listDrafts, saveDraft, type DraftDeps } from '../use-cases/drafts';

const draftDeps = ({ store, client, config, issueLimits }: RouteDeps): DraftDeps => ({
  store,
  drafts: store.drafts,
  client,
  limits: issueLimits,
  updateTimeoutMs: config.UPDATE_TIMEOUT_MS,
});

export const draftRoutes: Route[] = [
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/drafts',
      action: 'draft',
      summary: "An officer drafts the unit's implementing document or a report, for the leader to issue",
      params: assignmentParams,
      body: draftSchema,
      status: 201,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params, body }) => ({ body: await saveDraft(draftDeps(deps), principal, params.id, params.code, body) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/units/{code}/drafts',
      summary: "The unit's drafts in the cascade, newest first, issued ones included",
      params: assignmentParams,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params }) => ({ body: await listDrafts(draftDeps(deps), principal, params.id, params.code) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/units/{code}/drafts/{draftId}/issue',
      action: 'concretize',
      summary: 'The leader issues a draft as it is, or edited (`document` or `report` replaces its content): a concretize or a report',
      params: draftParams,
      body: draftIssueSchema,
      response: anyObjectSchema,
      errors: [409, 503],
    },
    async ({ deps, principal, params, body }) => ({
      body: await issueDraft(draftDeps(deps), principal, params.id, params.code, params.draftId, body),
    }),
  ),
];
