/** /api/v1/people and a unit's people: thin routes over use-cases/people. */
import { defineRoute, type Route } from '../route-registry';
import { anyObjectSchema, personParams, personSchema, unitParams } from '../schemas';
import { addPerson, replacePerson, unitPeople } from '../use-cases/people';

export const peopleRoutes: Route[] = [
  defineRoute(
    {
      method: 'post',
      path: '/people',
      summary: 'Admin: add a person to a unit with roles (clerk, officer, leader), or a system admin',
      body: personSchema,
      status: 201,
      response: anyObjectSchema,
      errors: [409],
    },
    async ({ deps, principal, body }) => ({ body: await addPerson(deps.store, principal, body) }),
  ),
  defineRoute(
    {
      method: 'put',
      path: '/people/{id}',
      summary: "Admin: replace a person's details, unit and roles",
      params: personParams,
      body: personSchema,
      response: anyObjectSchema,
      errors: [409],
    },
    async ({ deps, principal, params, body }) => ({ body: await replacePerson(deps.store, principal, params.id, body) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/units/{code}/people',
      summary: "A unit's people with their roles and notification preferences",
      params: unitParams,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params }) => ({ body: await unitPeople(deps.store, principal, params.code) }),
  ),
];
