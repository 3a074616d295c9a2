/**
 * Zod schemas of the HTTP API: the single source of validation, TypeScript types and the
 * OpenAPI document.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { TASK_ROLES } from '../contract/tasks';
import { ROLES } from './roles';
import { actorSchema } from '../contract/actor';
import { z } from 'zod';
import { CALENDAR_NAMES, ESCALATION_ACTIONS, RELAY_MODES, Stage, type AssignmentView } from '../contract/definitions';
import { isIsoDuration } from '../domain/calendar/duration';
import { endOfVnDay, startOfVnDay } from '../domain/calendar/document-date';
import { ACK_PRESETS, REPORT_REGIMES, expandPolicyPresets, isAckPreset } from '../domain/policy-presets';
import { DIRECTIVE_STATUSES } from '../read-model/directives';
import { DIRECTIVE_ID_PATTERN, UNIT_CODE_PATTERN } from '../contract/ids';

extendZodWithOpenApi(z);

/**
 * domain/calendar/duration's grammar as one regular expression (no look-arounds, so that
 * the OpenAPI document's `pattern` means the same to every client): a date part, a time
 * part or both; each component at most once and in order; a fraction on seconds only.
 */
export const ISO_DURATION_PATTERN = (() => {
  // At most 15 digits a component: the parser refuses one past 2^53.
  const n = String.raw`\d{1,15}`;
  const s = `${n}(?:[.,]${n})?S`;
  const date = `(?:${n}Y(?:${n}M)?(?:${n}W)?(?:${n}D)?|${n}M(?:${n}W)?(?:${n}D)?|${n}W(?:${n}D)?|${n}D)`;
  const time = `T(?:${n}H(?:${n}M)?(?:${s})?|${n}M(?:${s})?|${s})`;
  return new RegExp(`^P(?:${date}(?:${time})?|${time})$`);
})();
const isoDuration = z
  .string()
  .max(40)
  .regex(ISO_DURATION_PATTERN, 'must be an ISO-8601 duration such as PT30S, P2D or P6M')
  .refine(isIsoDuration, 'must be an ISO-8601 duration such as PT30S, P2D or P6M')
  .openapi({ example: 'P2D' });
const isoDateTime = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-22T08:00:00+07:00' });
const dateOrDateTime = (plainDateMeans: string) =>
  z.union([z.iso.date().openapi({ example: '2026-11-22' }), isoDateTime], {
    error: `must be a date YYYY-MM-DD (${plainDateMeans}) or an ISO-8601 datetime with Z or an offset`,
  });
/** The day a document was issued on: a plain date is 00:00 that day in Vietnam (domain/calendar/document-date). */
const documentDate = dateOrDateTime('00:00 that day in Asia/Ho_Chi_Minh')
  .transform(startOfVnDay)
  .openapi({
    example: '2026-11-22',
    description: 'YYYY-MM-DD (that day in Asia/Ho_Chi_Minh, 00:00 +07:00) or an ISO-8601 datetime',
  });
/** A day something is due by: a plain date is the end of that day in Vietnam (23:59:59 +07:00). */
const dueDate = dateOrDateTime('the end of that day in Asia/Ho_Chi_Minh')
  .transform(endOfVnDay)
  .openapi({
    example: '2026-12-15',
    description: 'YYYY-MM-DD (due by the end of that day in Asia/Ho_Chi_Minh, 23:59:59 +07:00) or an ISO-8601 datetime',
  });
const code = z.string().min(1).max(64).regex(UNIT_CODE_PATTERN, 'letters, digits, ".", "_" and "-" only');
/** A unit code, as every route takes it. */
export const unitCodeSchema = code;

/**
 * A document's number (số ký hiệu, e.g. 12/KH-UBND). The workflows write it into what the
 * Temporal UI renders as Markdown, so it may hold none of the characters that make links,
 * images, HTML or code there (`[ ] ( ) < > ! * \` | { } ~ : # @`, line breaks), nor `www.`.
 */
const documentNumber = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\[\]()<>!*`\\|{}~:#@\r\n\t]+$/, 'letters, digits, spaces and / - . , _ + and the like; none of [ ] ( ) < > ! * ` \\ | { } ~ : # @')
  .refine((v) => !/www\./i.test(v), 'must not contain "www."')
  .openapi({ example: '12/KH-UBND' });
/** The deepest a page may start: beyond it, filter instead. */
const MAX_OFFSET = 1_000_000;

/** An ISO duration, or a named deadline rule from the regulations (domain/policy-presets). */
const ackWithinSchema = z
  .string()
  .max(40)
  .refine(
    (v) => (ISO_DURATION_PATTERN.test(v) && isIsoDuration(v)) || isAckPreset(v),
    `must be an ISO-8601 duration such as PT30S, P2D or P6M, or a preset: ${ACK_PRESETS.join(', ')}`,
  )
  .openapi({
    // The refinement above, in the document's terms.
    anyOf: [
      { type: 'string', maxLength: 40, pattern: ISO_DURATION_PATTERN.source },
      { type: 'string', enum: [...ACK_PRESETS] },
    ],
    example: 'decree-30',
    description:
      'An ISO-8601 duration from delivery, at least CASCADE_MIN_DEADLINE (default PT1M, else 400 INVALID_POLICY naming policy.ackWithin), or "decree-30" (Decree 30/2020: due by the end of the first working day after the day of receipt)',
  });

/** How many times a step may repeat: "until the unit acts" always has a bound. */
export const MAX_STEP_REPEATS = 20;

const escalationStepSchema = z
  .strictObject({
    after: isoDuration
      .optional()
      .describe(
        'A rung this long after the deadline. Each rung at least CASCADE_MIN_LADDER_STEP (default PT1M) after the one before it, else 400 INVALID_POLICY naming policy.escalation.<i>.after',
      ),
    before: isoDuration
      .optional()
      .describe(
        'Instead of `after`: a reminder this long before the deadline, on the policy calendar ("P1D": one working day on vn-working-days). It may not fall before issuedAt, else 400 INVALID_POLICY naming policy.escalation.<i>.before. A policy with no `before` step gets one reminder one day before each deadline',
      ),
    action: z.enum(ESCALATION_ACTIONS),
    every: isoDuration
      .optional()
      .describe('Repeat the step this often until the unit acts (a reminder until the deadline, a rung until the next rung); needs `times`'),
    times: z.number().int().min(1).max(MAX_STEP_REPEATS).optional().describe('How many times at most the step repeats'),
  })
  .superRefine((step, ctx) => {
    if ((step.after === undefined) === (step.before === undefined)) {
      ctx.addIssue({ code: 'custom', path: [step.after === undefined ? 'after' : 'before'], message: 'give exactly one of after and before' });
    }
    if (step.every !== undefined && step.times === undefined) {
      ctx.addIssue({ code: 'custom', path: ['times'], message: `a repeat needs a bound: times (1-${MAX_STEP_REPEATS})` });
    }
    if (step.times !== undefined && step.every === undefined) {
      ctx.addIssue({ code: 'custom', path: ['every'], message: 'times needs every' });
    }
  });

const policySchema = z
  .strictObject({
    ackWithin: ackWithinSchema,
    concretizeWithin: isoDuration
      .optional()
      .describe('At least CASCADE_MIN_DEADLINE (default PT1M), else 400 INVALID_POLICY naming policy.concretizeWithin'),
    reportDueAt: dueDate
      .optional()
      .describe('After issuedAt, and a date the calendar can plan, else 400 INVALID_POLICY naming policy.reportDueAt'),
    reportEvery: isoDuration
      .optional()
      .describe('At least CASCADE_MIN_DEADLINE (default PT1M), else 400 INVALID_POLICY naming policy.reportEvery'),
    until: dueDate.optional().describe('With reportEvery or reportRegime: the last report is due by then'),
    reportRegime: z
      .enum(REPORT_REGIMES)
      .optional()
      .describe(
        'Decree 09/2019 periodic reports until `until`: six-monthly (data closing 14/6 and 14/12) or annual (14/12); the lowest level submits by the end of the first working day after the closing, each level above one levelLeadTime (default P1D) later',
      ),
    levelLeadTime: isoDuration
      .optional()
      .describe(
        'How much earlier each level reports than the one above it: whole days on vn-working-days, and no level may owe a report before issuedAt, else 400 INVALID_POLICY naming policy.levelLeadTime',
      ),
    escalation: z
      .array(escalationStepSchema)
      .max(10)
      .default([])
      .describe(
        'Reminders (`before`) and rungs (`after`, in order, each at least CASCADE_MIN_LADDER_STEP (default PT1M) after the one before it)',
      ),
    calendar: z
      .enum(CALENDAR_NAMES)
      .optional()
      .describe('Default: vn-working-days with a decree-30 or reportRegime preset, else none'),
    concretizeLevels: z
      .array(z.string().min(1).max(50))
      .max(20)
      .optional()
      .describe('Override: exactly these levels concretize. Absent: every level with units below concretizes, except relayLevels'),
    relayLevels: z.array(z.string().min(1).max(50)).max(20).optional().describe('Levels exempted from concretizing: they pass the document on'),
    relay: z
      .enum(RELAY_MODES)
      .default('on_acknowledge')
      .describe('When a relaying level passes the document on: when it acknowledges (default) or at once on delivery'),
    coordinatorLeadTime: isoDuration
      .optional()
      .describe("How much earlier than a task's lead unit its coordinating units owe their contribution (default P2D)"),
  })
  .refine((p) => !(p.reportDueAt && p.reportEvery), {
    message: 'give reportDueAt or reportEvery + until, not both',
    path: ['reportEvery'],
  })
  .refine((p) => !(p.concretizeLevels && p.relayLevels), {
    message: 'give concretizeLevels (an override) or relayLevels (exemptions), not both',
    path: ['relayLevels'],
  })
  .refine((p) => !(p.reportRegime && (p.reportDueAt || p.reportEvery)), {
    message: 'give reportRegime, reportDueAt or reportEvery + until, not two of them',
    path: ['reportRegime'],
  })
  .refine((p) => !(p.reportEvery || p.reportRegime) === !p.until, {
    message: 'until goes with reportEvery or reportRegime',
    path: ['until'],
  })
  // Presets from the regulations become ordinary fields (calendar, levelLeadTime).
  .transform((p, ctx) => {
    const { policy, problems } = expandPolicyPresets(p);
    for (const problem of problems) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
    return policy;
  })
  // The refinements above, in the document's terms.
  .openapi('Policy', {
    allOf: [
      { not: { required: ['reportDueAt', 'reportEvery'] } },
      { not: { anyOf: [{ required: ['reportRegime', 'reportDueAt'] }, { required: ['reportRegime', 'reportEvery'] }] } },
      {
        anyOf: [
          { required: ['reportEvery', 'until'] },
          { required: ['reportRegime', 'until'] },
          { not: { anyOf: [{ required: ['reportEvery'] }, { required: ['reportRegime'] }, { required: ['until'] }] } },
        ],
      },
      { not: { required: ['concretizeLevels', 'relayLevels'] } },
    ],
  });

const taskSchema = z.strictObject({
  title: z.string().min(1).max(500),
  leadUnitCode: code.optional(),
  coordinatingUnits: z.array(code).max(100).optional(),
  dueAt: dueDate.optional(),
  recurrence: isoDuration.optional(),
});

export const issueDirectiveSchema = z
  .strictObject({
    number: documentNumber,
    kind: z.string().min(1).max(50),
    title: z.string().min(1).max(1000),
    issuerCode: code,
    issuedAt: documentDate,
    basedOn: z.array(z.string().min(1).max(200)).max(50).default([]),
    body: z.string().max(100_000).optional(),
    recipients: z.array(code).min(1).max(20_000).optional(),
    tasks: z.array(taskSchema).max(200).default([]),
    policy: policySchema,
  })
  .openapi('IssueDirective');
export type IssueDirectiveInput = z.infer<typeof issueDirectiveSchema>;

export const parseDocumentSchema = z
  .strictObject({
    issuerCode: code.describe('The issuing unit: recipients and task units are matched in its subtree'),
    text: z.string().max(1_000_000).optional().describe('The document as text (or send a file as multipart/form-data)'),
  })
  .openapi('ParseDocument');

export const keepFileSchema = z
  .strictObject({
    role: z.enum(['original', 'attachment']).default('original').describe('The signed original the document was read from, or an attachment'),
  })
  .openapi('KeepFile');

export const acknowledgeSchema = z.strictObject({ note: z.string().max(2000).optional() }).openapi('Acknowledge');
export const concretizeSchema = z
  .strictObject({
    number: documentNumber,
    title: z.string().min(1).max(1000),
    issuedAt: documentDate,
    body: z.string().max(100_000).optional(),
    tasks: z.array(taskSchema).max(200).optional(),
    recipients: z.array(code).min(1).max(20_000).optional(),
  })
  .openapi('Concretize');
/**
 * A metric name in the document's terms: the generator leaves a record's key schema out,
 * and its metadata type has no `propertyNames` (OpenAPI 3.1 has).
 */
const metricNames = { propertyNames: { type: 'string', minLength: 1, maxLength: 100 } };
export const reportSchema = z
  .strictObject({
    cycle: z.number().int().min(1).max(1000).optional(),
    summary: z.string().min(1).max(20_000),
    completion: z.number().min(0).max(100),
    metrics: z
      .record(z.string().min(1).max(100), z.number())
      .refine((m) => Object.keys(m).length <= 50, 'at most 50 metrics')
      .openapi({ maxProperties: 50, ...metricNames })
      .optional(),
  })
  .openapi('Report');
/** An officer's draft: the body a concretize or a report would take. */
export const draftSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('implementing_document'), document: concretizeSchema }),
    z.strictObject({ kind: z.literal('report'), report: reportSchema }),
  ])
  .openapi('Draft');
export type DraftBody = z.infer<typeof draftSchema>;
/** The leader's edits, if any: the field of the draft's kind replaces its content. */
export const draftIssueSchema = z
  .strictObject({ document: concretizeSchema.optional(), report: reportSchema.optional() })
  .openapi('DraftIssue');
export const extensionRequestSchema = z
  .strictObject({ requestedDeadline: dueDate, reason: z.string().min(1).max(2000) })
  .openapi('ExtensionRequest');
export const extensionDecisionSchema = z
  .strictObject({ approve: z.boolean(), note: z.string().max(2000).optional() })
  .openapi('ExtensionDecision');
export const amendmentSchema = z
  .strictObject({
    note: z.string().min(1).max(2000),
    title: z.string().min(1).max(1000).optional(),
    body: z.string().max(100_000).optional(),
  })
  .openapi('Amendment');
export const revokeSchema = z.strictObject({ reason: z.string().min(1).max(2000) }).openapi('Revoke');
export const taskReportSchema = z
  .strictObject({ summary: z.string().min(1).max(20_000), completion: z.number().min(0).max(100) })
  .openapi('TaskReport');
export type TaskReportBody = z.infer<typeof taskReportSchema>;
export const taskParams = z.strictObject({
  id: z.string().min(1).max(200),
  task: z.string().min(1).max(100).regex(/^([A-Za-z0-9._-]+~)?t\d+$/, 'a task reference such as t1 or HN~t2'),
  code,
});
export const taskPartViewSchema = z
  .object({
    taskRef: z.string(),
    unitCode: z.string(),
    role: z.enum(TASK_ROLES),
    cycle: z.number().int().nullable(),
    deadline: z.string().nullable(),
    nextReminderAt: z.string().nullable(),
    overdue: z.boolean(),
    reported: z.array(z.number().int()),
    closed: z.boolean(),
  })
  .openapi('TaskPart');
export const retriedSchema = z
  .object({ assignmentId: z.string(), unitCode: z.string(), attempt: z.number().int(), status: z.literal('RETRYING') })
  .openapi('Retried');

export const unitsUpsertSchema = z
  .strictObject({
    units: z
      .array(
        z.strictObject({
          code,
          name: z.string().min(1).max(300),
          level: z.string().min(1).max(50),
          parentCode: code
            .nullable()
            .describe(
              'null for a root. Not the unit\'s own code (400 VALIDATION_ERROR naming units.<i>.parentCode); in this batch or already stored (else 400 UNKNOWN_PARENT); no chain of parents may come back to a unit (400 CYCLE)',
            ),
        }),
      )
      .min(1)
      .max(50_000)
      .superRefine((units, ctx) =>
        units.forEach((u, i) => {
          if (u.parentCode === u.code) {
            ctx.addIssue({ code: 'custom', path: [i, 'parentCode'], message: 'must not be the unit\'s own code' });
          }
        }),
      ),
  })
  .openapi('UnitsUpsert');

const roleSet = z
  .array(z.enum(ROLES))
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'each role at most once');

export const tokenRequestSchema = z
  .strictObject({
    label: z.string().max(200).optional(),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe('Lifetime in days (default TOKEN_TTL_DAYS); a longer one than TOKEN_MAX_TTL_DAYS is shortened to it'),
    roles: roleSet
      .optional()
      .describe(
        'The roles the token holds in its unit: clerk (acknowledge), officer (report on task parts, ask for extensions, draft), leader (everything, and issue: concretize, report up, issue, amend and revoke, decide extensions). Absent or empty: every role',
      ),
  })
  .openapi('TokenRequest');

/** A person of a unit (or a system admin), and how they want to be notified as its contact. */
export const personSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).describe('Unique; sign-in finds the person by it'),
    position: z.string().trim().min(1).max(200).optional().describe('Chức vụ, e.g. "Chuyên viên"'),
    unitCode: code.optional().describe('Absent only for a system admin'),
    roles: roleSet.default([]).describe('clerk, officer, leader: at least one for a person of a unit'),
    admin: z.boolean().default(false),
    language: z.enum(['vi', 'en']).default('vi').describe('Of the notifications the person receives as a contact of the unit'),
    delivery: z.enum(['each', 'digest', 'both']).default('each'),
  })
  .refine((p) => p.admin || p.unitCode !== undefined, {
    message: 'a person who is not an admin belongs to a unit',
    path: ['unitCode'],
  })
  .refine((p) => p.unitCode === undefined || p.roles.length > 0, {
    message: 'a person of a unit holds at least one role',
    path: ['roles'],
  })
  .openapi('Person');
export type PersonBody = z.infer<typeof personSchema>;
export const personParams = z.strictObject({ id: z.uuid() });

export const assignmentFilterSchema = z.strictObject({
  stage: z.enum(Stage).optional(),
  level: z.string().min(1).max(50).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  parent: code.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0),
});

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

export type AmendmentInput = z.infer<typeof amendmentSchema>;
export type RevokeInput = z.infer<typeof revokeSchema>;
export type UnitsUpsertInput = z.infer<typeof unitsUpsertSchema>;

// ---- Path and query parameters ----

/**
 * A directive id as the API hands it out: a cascade's UUID, or an implementing document's
 * `<cascade id>~<unit code>` (contract/ids.ts `keys.implementingDirective`), as
 * GET /directives lists them.
 */
const directiveId = z
  .string()
  .min(1)
  .max(200)
  .regex(DIRECTIVE_ID_PATTERN, 'a cascade id, or `<cascade id>~<unit code>`: letters, digits, ".", "_" and "-" around at most one "~"')
  .describe(
    'A cascade (a UUID) or an implementing document (`<cascade id>~<unit code>`), as GET /directives lists them. GET /directives/{id} reads either; the routes below it act on a cascade and answer 404 for an implementing document (use its rootId)',
  );
export const directiveParams = z.strictObject({ id: directiveId });
export const assignmentParams = z.strictObject({ id: directiveId, code });
export const decisionParams = z.strictObject({ id: directiveId, code, requestId: z.uuid() });
export const draftParams = z.strictObject({ id: directiveId, code, draftId: z.uuid() });
export const unitParams = z.strictObject({ code });
export const tokenParams = z.strictObject({ id: z.uuid() });
export const fileParams = z.strictObject({ id: directiveId, fileId: z.uuid() });

export const pageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0),
});
export const auditFilterSchema = pageSchema.extend({ unit: code.optional().describe('Only requests acting for this unit') });
export const escalationFilterSchema = pageSchema.extend({ status: z.enum(['open', 'resolved']).optional() });

/** One page of a list: `items` of `item`, with the page's place in the whole. */
export function pagedSchema<T extends z.ZodType>(item: T) {
  return z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(item) });
}

/** GET /directives: every filter given must hold; a plain date range covers whole days in Vietnam. */
export const directiveListFilterSchema = pageSchema
  .extend({
    issuer: code.optional().describe('Issued by this unit'),
    status: z.enum(DIRECTIVE_STATUSES).optional().describe('ACTIVE or REVOKED (a cascade), IMPLEMENTING (a unit\'s own implementing document)'),
    q: z.string().trim().min(1).max(200).optional().describe('Contained in the number or the title, ignoring case'),
    basedOn: z.string().min(1).max(200).optional().describe('One of its references (basedOn), exactly as written, e.g. 164-HD/BTGTW'),
    from: dateOrDateTime('from 00:00 that day in Asia/Ho_Chi_Minh')
      .transform(startOfVnDay)
      .optional()
      .describe('Issued at or after: YYYY-MM-DD (from 00:00 that day in Asia/Ho_Chi_Minh) or a datetime'),
    to: dateOrDateTime('up to the end of that day in Asia/Ho_Chi_Minh')
      .transform(endOfVnDay)
      .optional()
      .describe(
        'Issued at or before: YYYY-MM-DD (up to the end of that day in Asia/Ho_Chi_Minh) or a datetime. Not before `from`, else 400 VALIDATION_ERROR naming to',
      ),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), {
    message: 'must not be before from',
    path: ['to'],
  });
export type DirectiveListQuery = z.infer<typeof directiveListFilterSchema>;

// ---- Responses (for the OpenAPI document) ----

/** A JSON object whose shape the document does not spell out. */
export const anyObjectSchema = z.record(z.string(), z.unknown());

/**
 * Passes `schema` through, and compiles only when its output and `T` are assignable both
 * ways: a response schema that drifts from the contract type it documents is a type error.
 */
const describing =
  <T>() =>
  <S extends z.ZodType<T>>(schema: S & ([T] extends [z.output<S>] ? unknown : never)): S =>
    schema;

/** What the unit actions answer: the assignment workflow's `stateQuery` view. */
export const assignmentViewSchema = describing<AssignmentView>()(
  z
  .object({
    assignmentId: z.string(),
    directiveId: z.string(),
    unitCode: z.string(),
    stage: z.enum(Stage),
    waitingFor: z.string().nullable().openapi({ example: 'ack@1' }),
    deadline: z.string().nullable(),
    nextReminderAt: z.string().nullable().openapi({ description: 'When the next reminder about what the unit owes is sent (null when none is planned)' }),
    overdue: z.boolean(),
    escalationRung: z.number().int(),
    directiveVersion: z.number().int(),
    ackVersion: z.number().int(),
    reportsSubmitted: z.array(z.number().int()),
    implementingDirectiveId: z.string().nullable(),
    extensions: z.array(
      z.object({
        requestId: z.string(),
        obligation: z.string(),
        currentDeadline: z.string(),
        requestedDeadline: z.string(),
        reason: z.string(),
        status: z.enum(['PENDING', 'APPROVED', 'REJECTED']),
        note: z.string().optional(),
      }),
    ),
    openChildren: z.number().int(),
  })
  .openapi('AssignmentView'),
);

/** Who took an action (contract/actor.ts). */
// Built here, after extendZodWithOpenApi, from the stored shape: one definition of an actor.
export const actorViewSchema = z.strictObject(actorSchema.shape).openapi('Actor', {
  description:
    'Who took an action: a signed-in person (kind person, with position), a unit token (named by its label, else "token <first 8 of its id>") or the admin; role is the role the action was taken in (admin for the admin). unitCode is the unit the actor belongs to (null for the admin)',
});

/** One assignment (GET /directives/{id}/units/{code}): its row and history; who acted is `by`. */
export const assignmentDetailSchema = z
  .looseObject({
    timeline: z.array(
      z.looseObject({
        type: z.string(),
        at: z.string().openapi({ format: 'date-time' }),
        data: z.record(z.string(), z.unknown()).nullable(),
        by: actorViewSchema.nullable().describe('Who took the action the event records; null for events nobody took (deadlines, escalations) and those recorded before actors existed'),
      }),
    ),
    reports: z.array(z.looseObject({ cycle: z.number().int(), by: actorViewSchema.nullable().describe('Who reported') })),
    extensionRequests: z.array(
      z.looseObject({
        status: z.string(),
        decidedBy: z.string().nullable().describe('The deciding unit'),
        requestedBy: actorViewSchema.nullable().describe('Who asked'),
        decisionBy: actorViewSchema.nullable().describe('Who decided (null while pending)'),
      }),
    ),
  })
  .openapi('AssignmentDetail');

export const issuedSchema = z
  .object({ id: z.string(), number: z.string(), status: z.string() })
  .openapi('Issued');
export const directiveStatusSchema = z
  .object({ id: z.string(), number: z.string(), status: z.string(), version: z.number().int() })
  .openapi('DirectiveStatus');
export const tokenIssuedSchema = z
  .object({
    id: z.string(),
    token: z.string(),
    unitCode: z.string(),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    roles: z.array(z.enum(ROLES)).describe('As issued: empty means every role'),
  })
  .openapi('TokenIssued');
const timestamp = z.iso.datetime();
export const tokenListSchema = pagedSchema(
  z.object({
    id: z.string(),
    unitCode: z.string(),
    label: z.string().nullable(),
    createdAt: timestamp,
    expiresAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
    roles: z.array(z.string()).describe('As issued: empty means every role'),
  }),
)
  .openapi('TokenList');
export const tokensRevokedSchema = z.object({ unitCode: z.string(), revoked: z.number().int() }).openapi('TokensRevoked');
export const extensionRequestedSchema = z
  .object({ requestId: z.string(), assignment: assignmentViewSchema })
  .openapi('ExtensionRequested');
export const directiveListSchema = pagedSchema(
  z.object({
    id: z
      .string()
      .describe(
        'GET /directives/{id} reads a cascade or an implementing document; the assignments, escalations and actions of an implementing document are those of its cascade, rootId',
      ),
    number: z.string(),
    kind: z.string(),
    title: z.string(),
    issuerCode: z.string(),
    issuedAt: z.string().openapi({ format: 'date-time' }),
    basedOn: z.array(z.string()),
    status: z.enum(DIRECTIVE_STATUSES),
    version: z.number().int(),
    rootId: z.string(),
    parentId: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  }),
)
  .openapi('DirectiveList');
export const healthSchema = z
  .object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()) })
  .openapi('Health');
