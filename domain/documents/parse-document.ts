/**
 * Reads an administrative document into a draft directive. Pure: the text and the
 * issuer's subtree in, fields with their source lines and confidences, the draft that
 * `POST /api/v1/directives` takes once completed, and what a person must settle, out.
 * Nothing is guessed silently: a blank number, an unknown unit, a date that is not a day
 * are listed in `unresolved`, and the draft leaves them out.
 */
import { readHeader } from './header';
import { logicalLines, type LogicalLine } from './lines';
import { readRecipients } from './recipients';
import { readReferences } from './references';
import { readReports } from './reports';
import { readSigner } from './signer';
import { readTasks } from './tasks';
import type { DirectiveDraft, ParsedDocument, UnitRef, Unresolved } from './types';
import { UnitIndex } from './unit-names';

export interface ParseDocumentInput {
  text: string;
  /** The issuing unit: recipients and task units are matched below it. */
  issuer: UnitRef;
  /** The issuer's subtree (the issuer may be among them). */
  units: UnitRef[];
}

/** The longest body the API keeps with a directive. */
const MAX_BODY = 100_000;

export function parseDocument(input: ParseDocumentInput): ParsedDocument {
  const lines = logicalLines(input.text);
  const unresolved: Unresolved[] = [];
  const units = new UnitIndex(input.issuer, input.units);
  const header = readHeader(lines);
  unresolved.push(...header.unresolved);

  const rest = lines.slice(header.bodyStart);
  const recipients = readRecipients(rest, { units, unresolved });
  const end = recipients.copyListAt >= 0 ? recipients.copyListAt : rest.length;
  const body = rest.slice(0, end).filter((_, i) => !recipients.consumed.has(i));
  const basisLines = new Set<LogicalLine>(header.title ? lines.filter((l) => l.line === header.title!.line) : []);
  const references = readReferences([...lines.slice(0, header.bodyStart), ...body], basisLines, header.number?.value);
  const tasks = readTasks(body, { units, unresolved });
  const reports = readReports(body);
  const signer = readSigner(rest, Math.max(0, end - 5));

  const recipientCodes = [...new Set(recipients.entries.filter((e) => e.value.role === 'recipient').flatMap((e) => e.value.units))];
  if (recipientCodes.length === 0) {
    unresolved.push({ field: 'recipients', message: 'no recipient matched a unit below the issuer: choose them (none means the issuer\'s units directly below)' });
  }
  if (reports?.value.regime) {
    unresolved.push({ field: 'policy.until', line: reports.line, message: 'periodic reports without an end: write until when they are due', text: reports.value.text });
  }
  unresolved.push({ field: 'policy.ackWithin', message: 'the document sets no acknowledgement deadline: the Decree 30/2020 rule (next working day) is proposed' });

  const draft: DirectiveDraft = {
    ...(header.number ? { number: header.number.value } : {}),
    ...(header.kind ? { kind: header.kind.value } : {}),
    ...(header.title ? { title: header.title.value.slice(0, 1000) } : {}),
    issuerCode: input.issuer.code,
    ...(header.issuedAt ? { issuedAt: header.issuedAt.value } : {}),
    basedOn: references.filter((r) => r.value.role === 'basis').map((r) => r.value.number),
    body: input.text.slice(0, MAX_BODY),
    ...(recipientCodes.length ? { recipients: recipientCodes } : {}),
    tasks: tasks.map(({ value: t }) => {
      const coordinating = [...new Set(t.coordinating.flatMap((c) => (c.code && c.code !== t.lead?.code ? [c.code] : [])))];
      return {
        title: t.title,
        ...(t.lead?.code ? { leadUnitCode: t.lead.code } : {}),
        ...(coordinating.length ? { coordinatingUnits: coordinating } : {}),
        ...(t.dueAt ? { dueAt: t.dueAt } : {}),
        ...(t.recurrence ? { recurrence: t.recurrence } : {}),
      };
    }),
    policy: {
      ackWithin: 'decree-30',
      ...(reports?.value.regime ? { reportRegime: reports.value.regime } : {}),
      ...(reports?.value.dueAt ? { reportDueAt: reports.value.dueAt } : {}),
    },
  };
  return {
    fields: {
      ...(header.issuerName ? { issuerName: header.issuerName } : {}),
      ...(header.number ? { number: header.number } : {}),
      ...(header.notation ? { notation: header.notation } : {}),
      ...(header.place ? { place: header.place } : {}),
      ...(header.issuedAt ? { issuedAt: header.issuedAt } : {}),
      ...(header.kind ? { kind: header.kind } : {}),
      ...(header.title ? { title: header.title } : {}),
      references,
      recipients: recipients.entries,
      tasks,
      ...(reports ? { reports } : {}),
      ...(signer ? { signer } : {}),
    },
    draft,
    unresolved,
  };
}
