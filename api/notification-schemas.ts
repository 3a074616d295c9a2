/**
 * Zod schemas of who is told: contacts, e-mail deliveries, the units nobody is told about,
 * calendar feeds (docs/notifications.md).
 */
import { z } from 'zod';
import { CONTACT_DELIVERIES, CONTACT_LANGUAGES, DeliveryStatus } from '../domain/notifications/deliveries';
import { pagedSchema, pageSchema, unitCodeSchema } from './schemas';

const timestamp = z.iso.datetime().openapi({ format: 'date-time' });

const contactFields = {
  name: z.string().trim().min(1).max(200).openapi({ example: 'Văn thư Sở TT&TT Vĩnh Phúc' }),
  email: z
    .email({ error: 'must be an e-mail address such as van.thu@vinhphuc.gov.vn' })
    .max(254)
    .openapi({ example: 'van.thu@vinhphuc.gov.vn' }),
  language: z.enum(CONTACT_LANGUAGES).describe('vi (default) or en: the language of the e-mails'),
  delivery: z
    .enum(CONTACT_DELIVERIES)
    .describe('each: every message; digest: the daily digest only; both'),
  personId: z
    .string()
    .min(1)
    .max(200)
    .nullable()
    .describe('The signed-in person this contact is, when people have accounts'),
};

export const contactInputSchema = z
  .strictObject({
    name: contactFields.name,
    email: contactFields.email,
    language: contactFields.language.default('vi'),
    delivery: contactFields.delivery.default('each'),
    personId: contactFields.personId.optional(),
  })
  .openapi('ContactInput');
export type ContactInput = z.output<typeof contactInputSchema>;

export const contactPatchSchema = z
  .strictObject({
    name: contactFields.name.optional(),
    email: contactFields.email.optional(),
    language: contactFields.language.optional(),
    delivery: contactFields.delivery.optional(),
    personId: contactFields.personId.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' })
  .openapi('ContactPatch');
export type ContactPatch = z.output<typeof contactPatchSchema>;

export const contactParams = z.strictObject({ code: unitCodeSchema, id: z.uuid() });

export const contactSchema = z
  .object({
    id: z.string(),
    unitCode: z.string(),
    name: z.string(),
    email: z.string(),
    language: z.enum(CONTACT_LANGUAGES),
    delivery: z.enum(CONTACT_DELIVERIES),
    personId: z.string().nullable(),
    createdAt: timestamp,
  })
  .openapi('Contact');
export const contactListSchema = z.object({ unitCode: z.string(), items: z.array(contactSchema) }).openapi('ContactList');

export const unreachableFilterSchema = pageSchema.extend({
  under: unitCodeSchema.optional().describe("Only this unit's subtree (default: the caller's own; the admin's: every unit)"),
});
export const unreachableListSchema = pagedSchema(
  z.object({ code: z.string(), name: z.string(), level: z.string(), parentCode: z.string().nullable() }),
)
  .openapi('UnreachableUnits');

export const deliveryFilterSchema = pageSchema.extend({
  status: z.enum(DeliveryStatus).optional().describe('PENDING, SENT, FAILED (refused for good) or NO_RECIPIENT'),
});
export const deliveryListSchema = pagedSchema(
  z.object({
    id: z.string(),
    messageId: z.string(),
    contactId: z.string().nullable(),
    unitCode: z.string().nullable(),
    directiveId: z.string().nullable().describe('Null for a digest, which covers many directives'),
    kind: z.string(),
    email: z.string().nullable(),
    status: z.enum(DeliveryStatus),
    attempts: z.number().int(),
    firedAt: timestamp,
    notBefore: timestamp,
    nextAttemptAt: timestamp,
    sentAt: timestamp.nullable(),
    lastError: z.string().nullable(),
  }),
)
  .openapi('EmailDeliveries');

export const calendarFeedIssuedSchema = z
  .object({
    unitCode: z.string(),
    key: z.string().describe('Shown once; only its sha256 is stored'),
    url: z.string().describe('The feed, path and key, to paste into a calendar application'),
  })
  .openapi('CalendarFeedIssued');

export const calendarFeedQuerySchema = z.strictObject({
  key: z.string().min(1).max(200).describe("The unit's feed secret (POST /units/{code}/calendar-feed), never an API token"),
});
