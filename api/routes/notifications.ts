/** Who is told: contacts, e-mail deliveries, unreachable units, calendar feeds. Thin routes over use-cases. */
import { z } from 'zod';
import { defineRoute, type Route } from '../route-registry';
import { unitParams } from '../schemas';
import {
  calendarFeedIssuedSchema,
  calendarFeedQuerySchema,
  contactInputSchema,
  contactListSchema,
  contactParams,
  contactPatchSchema,
  contactSchema,
  deliveryFilterSchema,
  deliveryListSchema,
  unreachableFilterSchema,
  unreachableListSchema,
} from '../notification-schemas';
import { addContact, changeContact, listUnitContacts, removeContact, unitDeliveries, unreachableUnits } from '../use-cases/contacts';
import { calendarFeed, revokeCalendarFeed, rotateCalendarFeed } from '../use-cases/calendar-feed';
import { dashboardBaseUrl } from '../../runtime/config';

export const notificationRoutes: Route[] = [
  defineRoute(
    {
      method: 'get',
      path: '/units/{code}/contacts',
      summary: "A unit's contacts: who is told, in which language, every message or a daily digest",
      params: unitParams,
      response: contactListSchema,
    },
    async ({ deps, principal, params }) => ({ body: await listUnitContacts(deps.store, principal, params.code) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/units/{code}/contacts',
      action: 'manageNotifications',
      summary: 'The unit or the admin: add a contact (an invalid address is a 400 naming the field)',
      params: unitParams,
      body: contactInputSchema,
      status: 201,
      response: contactSchema,
      errors: [409],
    },
    async ({ deps, principal, params, body }) => ({ body: await addContact(deps.store, principal, params.code, body) }),
  ),
  defineRoute(
    {
      method: 'put',
      path: '/units/{code}/contacts/{id}',
      action: 'manageNotifications',
      summary: 'The unit or the admin: change a contact',
      params: contactParams,
      body: contactPatchSchema,
      response: contactSchema,
      errors: [409],
    },
    async ({ deps, principal, params, body }) => ({ body: await changeContact(deps.store, principal, params.code, params.id, body) }),
  ),
  defineRoute(
    {
      method: 'delete',
      path: '/units/{code}/contacts/{id}',
      action: 'manageNotifications',
      summary: 'The unit or the admin: remove a contact (its past deliveries stay on record)',
      params: contactParams,
      status: 204,
    },
    async ({ deps, principal, params }) => {
      await removeContact(deps.store, principal, params.code, params.id);
      return {};
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/units/{code}/deliveries',
      summary: "A unit's e-mail deliveries, newest first: sent, waiting for office hours or a retry, refused (FAILED), or with no recipient",
      params: unitParams,
      query: deliveryFilterSchema,
      response: deliveryListSchema,
    },
    async ({ deps, principal, params, query }) => ({ body: await unitDeliveries(deps.store, principal, params.code, query) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/contacts/unreachable',
      summary: "Units nobody is told about (no contact receiving every message), in the caller's subtree",
      query: unreachableFilterSchema,
      response: unreachableListSchema,
      errors: [404],
    },
    async ({ deps, principal, query }) => ({ body: await unreachableUnits(deps.store, principal, query) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/units/{code}/calendar-feed',
      action: 'manageNotifications',
      summary: "The unit or the admin: issue the unit's calendar feed secret (shown once), revoking the previous one",
      params: unitParams,
      status: 201,
      response: calendarFeedIssuedSchema,
    },
    async ({ deps, principal, params }) => ({ body: await rotateCalendarFeed(deps.store, principal, params.code) }),
  ),
  defineRoute(
    {
      method: 'delete',
      path: '/units/{code}/calendar-feed',
      action: 'manageNotifications',
      summary: "The unit or the admin: revoke the unit's calendar feed",
      params: unitParams,
      status: 204,
    },
    async ({ deps, principal, params }) => {
      await revokeCalendarFeed(deps.store, principal, params.code);
      return {};
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/units/{code}/calendar.ics',
      summary: "The unit's open deadlines as an iCalendar feed (RFC 5545), each with an alarm a day before; authenticated by the feed secret alone",
      params: unitParams,
      query: calendarFeedQuerySchema,
      response: z.string(),
      produces: 'text/calendar',
      public: true,
      errors: [400, 401, 404, 503],
    },
    async ({ deps, params, query }) => ({
      body: await calendarFeed(deps.store, params.code, query.key, dashboardBaseUrl(deps.config)),
    }),
  ),
];
