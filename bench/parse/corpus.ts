/**
 * The document corpus (tests/fixtures/documents): each document read against the corpus
 * unit tree and scored field by field against its expected fields. Shared by
 * `npm run bench:parse` and the corpus test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from '../../domain/documents/parse-document';
import type { ParsedDocument, UnitRef } from '../../domain/documents/types';
import { corpusUnits } from '../../tests/fixtures/documents/units';

export const CORPUS_DIR = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'documents');

export interface ExpectedTask {
  ref: string;
  lead: string | null;
  coordinating: string[];
  dueAt: string | null;
  recurrence: string | null;
}

export interface ExpectedDocument {
  file: string;
  issuerCode: string;
  number: string | null;
  kind: string;
  title: string;
  place: string;
  issuedAt: string | null;
  basedOn: string[];
  recipients: string[];
  reportTo: string[];
  tasks: ExpectedTask[];
  report: { regime?: string; dueAt?: string } | null;
  signer: { competence: string | null; title: string | null; name: string | null };
  /** Draft fields the parser must list for a person (task indexes dropped: "tasks.dueAt"). */
  unresolved: string[];
}

export function loadCorpus(): ExpectedDocument[] {
  return (JSON.parse(readFileSync(path.join(CORPUS_DIR, 'corpus.json'), 'utf8')) as { documents: ExpectedDocument[] }).documents;
}

/** The issuer's subtree in the corpus tree. */
function subtreeOf(code: string): { issuer: UnitRef; units: UnitRef[] } {
  const all = corpusUnits();
  const inside = new Set([code]);
  // Parents come before children in the list, so one pass collects the subtree.
  for (const u of all) if (u.parentCode && inside.has(u.parentCode)) inside.add(u.code);
  const units = all.filter((u) => inside.has(u.code));
  return { issuer: units.find((u) => u.code === code)!, units };
}

export function parseCorpusDocument(doc: ExpectedDocument): { parsed: ParsedDocument; text: string } {
  const text = readFileSync(path.join(CORPUS_DIR, doc.file), 'utf8');
  return { parsed: parseDocument({ text, ...subtreeOf(doc.issuerCode) }), text };
}

/** Counts for one field: true positives, what was predicted, what was expected. */
export interface Score {
  tp: number;
  predicted: number;
  expected: number;
}

const scalar = (got: string | null | undefined, want: string | null | undefined): Score => ({
  tp: got != null && got === want ? 1 : 0,
  predicted: got != null ? 1 : 0,
  expected: want != null ? 1 : 0,
});

function set(got: Iterable<string>, want: Iterable<string>): Score {
  const g = new Set(got);
  const w = new Set(want);
  return { tp: [...g].filter((x) => w.has(x)).length, predicted: g.size, expected: w.size };
}

/** The fields scored, each as precision and recall over the corpus. */
export function scoreDocument(doc: ExpectedDocument, parsed: ParsedDocument): Record<string, Score> {
  const f = parsed.fields;
  const tasks = f.tasks.map((t) => t.value);
  const per = (pick: (t: { ref: string } & Record<string, unknown>) => string | null | undefined, list: Array<{ ref: string } & Record<string, unknown>>) =>
    list.flatMap((t) => {
      const v = pick(t);
      return v ? [`${t.ref}=${v}`] : [];
    });
  const exp = doc.tasks as unknown as Array<{ ref: string } & Record<string, unknown>>;
  const got = tasks as unknown as Array<{ ref: string } & Record<string, unknown>>;
  const regimeOrDate = (r: { regime?: string; dueAt?: string } | null | undefined) => (r ? (r.regime ?? r.dueAt ?? null) : null);
  return {
    number: scalar(f.number?.value, doc.number),
    kind: scalar(f.kind?.value, doc.kind),
    title: scalar(f.title?.value, doc.title),
    place: scalar(f.place?.value, doc.place),
    issuedAt: scalar(f.issuedAt?.value, doc.issuedAt),
    basedOn: set(parsed.draft.basedOn, doc.basedOn),
    recipients: set(parsed.draft.recipients ?? [], doc.recipients),
    reportTo: set(f.recipients.filter((r) => r.value.role === 'report-to').map((r) => r.value.text), doc.reportTo),
    tasks: set(tasks.map((t) => t.ref), doc.tasks.map((t) => t.ref)),
    'task.lead': set(per((t) => (t.lead as { code?: string } | undefined)?.code, got), per((t) => t.lead as string | null, exp)),
    'task.coordinating': set(
      tasks.flatMap((t) => t.coordinating.flatMap((c) => (c.code ? [`${t.ref}=${c.code}`] : []))),
      doc.tasks.flatMap((t) => t.coordinating.map((c) => `${t.ref}=${c}`)),
    ),
    'task.dueAt': set(per((t) => t.dueAt as string | undefined, got), per((t) => t.dueAt as string | null, exp)),
    'task.recurrence': set(per((t) => t.recurrence as string | undefined, got), per((t) => t.recurrence as string | null, exp)),
    report: scalar(regimeOrDate(f.reports?.value), regimeOrDate(doc.report)),
    'signer.competence': scalar(f.signer?.value.competence, doc.signer.competence),
    'signer.title': scalar(f.signer?.value.title, doc.signer.title),
    'signer.name': scalar(f.signer?.value.name, doc.signer.name),
    unresolved: set(
      parsed.unresolved.map((u) => u.field.replace(/\.\d+\./, '.')).filter((u) => u !== 'policy.ackWithin'),
      doc.unresolved,
    ),
  };
}

/** Sums scores field by field. */
export function addScores(into: Record<string, Score>, add: Record<string, Score>): Record<string, Score> {
  for (const [k, s] of Object.entries(add)) {
    const t = (into[k] ??= { tp: 0, predicted: 0, expected: 0 });
    t.tp += s.tp;
    t.predicted += s.predicted;
    t.expected += s.expected;
  }
  return into;
}

export const precision = (s: Score) => (s.predicted ? s.tp / s.predicted : 1);
export const recall = (s: Score) => (s.expected ? s.tp / s.expected : 1);
