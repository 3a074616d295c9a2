/**
 * Read a document into a draft (POST /documents/parse) and issue it: the text on one side
 * with the recognised parts highlighted (hover names the field), the draft on the other
 * with what must be settled first; edit, then issue (POST /directives), keeping an uploaded
 * file with the new directive as its original. Nothing is issued before the person presses Issue.
 */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, request } from '../api/client';
import { useI18n } from '../i18n';
import { href } from '../router';
import { holds, useSession } from '../session';
import { ErrorBox } from '../ui/common';

interface Field {
  value: unknown;
  line: number;
  endLine: number;
  confidence: number;
}
interface Unresolved {
  field: string;
  message: string;
  line?: number;
  text?: string;
}
interface Draft {
  number?: string;
  kind?: string;
  title?: string;
  issuerCode: string;
  issuedAt?: string;
  basedOn: string[];
  body: string;
  recipients?: string[];
  tasks: Array<{ title: string; leadUnitCode?: string; coordinatingUnits?: string[]; dueAt?: string; recurrence?: string }>;
  policy: Record<string, unknown>;
}
interface Parsed {
  draft: Draft;
  fields: Record<string, Field | Field[] | undefined>;
  unresolved: Unresolved[];
  source: { kind: string; text: string };
}

const value = (e: Event) => (e.target as HTMLInputElement).value;
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Which fields each source line carries, for the highlights. */
function fieldsByLine(fields: Parsed['fields']): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [name, f] of Object.entries(fields)) {
    for (const one of Array.isArray(f) ? f : f ? [f] : []) {
      for (let l = one.line; l <= one.endLine; l++) out.set(l, [...(out.get(l) ?? []), name]);
    }
  }
  return out;
}

function SourceText({ parsed }: { parsed: Parsed }) {
  const marks = fieldsByLine(parsed.fields);
  const problems = new Set(parsed.unresolved.flatMap((u) => (u.line ? [u.line] : [])));
  return (
    <ol class="source-text" data-testid="source-text">
      {parsed.source.text.split(/\r\n|\r|\n/).map((line, i) => {
        const n = i + 1;
        const names = marks.get(n);
        const cls = problems.has(n) ? 'src-line unresolved' : names ? 'src-line recognised' : 'src-line';
        return (
          <li id={`src-${n}`} class={cls} data-fields={names?.join(' ') ?? ''} title={names?.join(', ') ?? ''}>
            {line || ' '}
          </li>
        );
      })}
    </ol>
  );
}

export function DocumentReader() {
  const { t } = useI18n();
  const session = useSession();
  const [issuer, setIssuer] = useState(session.unit?.code ?? '');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const read = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let out: Parsed;
      if (file) {
        const form = new FormData();
        form.set('issuerCode', issuer.trim());
        form.set('file', file, file.name);
        out = await request<Parsed>('/documents/parse', { method: 'POST', form });
      } else {
        out = await request<Parsed>('/documents/parse', { method: 'POST', body: { issuerCode: issuer.trim(), text } });
      }
      setParsed(out);
      setDraft(out.draft);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const issue = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      const policy = { ...draft.policy, ...(until ? { until } : {}) };
      const out = await request<{ id: string }>('/directives', {
        method: 'POST',
        idempotencyKey: newIdempotencyKey(),
        body: { ...draft, policy, ...(draft.recipients?.length ? {} : { recipients: undefined }) },
      });
      // The file the draft was read from is kept with the directive as its original.
      if (file) {
        const form = new FormData();
        form.set('role', 'original');
        form.set('file', file, file.name);
        await request(`/directives/${encodeURIComponent(out.id)}/files`, { method: 'POST', form });
      }
      location.hash = href.directive(out.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const set = (k: keyof Draft) => (e: Event) => draft && setDraft({ ...draft, [k]: value(e) || undefined });

  return (
    <section class="document-reader">
      <h1>{t('readDocument')}</h1>
      <p class="muted">{t('readDocumentHelp')}</p>
      <form onSubmit={read} class="reader-input">
        {session.unit ? null : (
          <label>
            {t('issuer')}
            <input name="issuerCode" value={issuer} onInput={(e) => setIssuer(value(e))} required />
          </label>
        )}
        <label>
          {t('pasteText')}
          <textarea name="text" rows={8} value={text} onInput={(e) => setText(value(e))} />
        </label>
        <label>
          {t('chooseFile')}
          <input type="file" name="file" accept=".txt,.docx,.pdf,.edxml" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
        </label>
        <button type="submit" disabled={busy}>
          {t('read')}
        </button>
      </form>
      <ErrorBox error={error} />
      {parsed && draft ? (
        <div class="reader-columns">
          <div>
            <h2>{t('sourceText')}</h2>
            <SourceText parsed={parsed} />
          </div>
          <form onSubmit={issue} data-testid="draft">
            <h2>{t('unresolvedTitle')}</h2>
            {parsed.unresolved.length ? (
              <ul class="unresolved" data-testid="unresolved">
                {parsed.unresolved.map((u) => (
                  <li data-field={u.field}>
                    <strong>{u.field}</strong>: {u.message}
                    {u.line ? (
                      <>
                        {' '}
                        (<a href={`#src-${u.line}`} onClick={(e) => { e.preventDefault(); document.getElementById(`src-${u.line}`)?.scrollIntoView(); }}>{t('lineRef')} {u.line}</a>)
                      </>
                    ) : null}
                    {u.text ? <q>{u.text}</q> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">{t('noUnresolved')}</p>
            )}
            <h2>{t('draftTitle')}</h2>
            <label>
              {t('number')}
              <input name="number" value={draft.number ?? ''} onInput={set('number')} required />
            </label>
            <label>
              {t('kind')}
              <input name="kind" value={draft.kind ?? ''} onInput={set('kind')} required />
            </label>
            <label>
              {t('titleField')}
              <textarea name="title" rows={2} value={draft.title ?? ''} onInput={set('title')} required />
            </label>
            <label>
              {t('issuedAt')}
              <input name="issuedAt" type="date" value={draft.issuedAt ?? ''} onInput={set('issuedAt')} required />
            </label>
            <label>
              {t('basedOnField')}
              <input name="basedOn" value={draft.basedOn.join(', ')} onInput={(e) => setDraft({ ...draft, basedOn: list(value(e)) })} />
            </label>
            <label>
              {t('recipientsField')}
              <input name="recipients" value={(draft.recipients ?? []).join(', ')} onInput={(e) => setDraft({ ...draft, recipients: list(value(e)) })} />
            </label>
            {draft.policy.reportRegime ? (
              <label>
                {t('untilField')}
                <input name="until" type="date" value={until} onInput={(e) => setUntil(value(e))} required />
              </label>
            ) : null}
            <h3>{t('tasksField')}</h3>
            <ol class="draft-tasks" data-testid="draft-tasks">
              {draft.tasks.map((task) => (
                <li>
                  {task.title}
                  {task.leadUnitCode ? <span class="muted"> — {task.leadUnitCode}</span> : null}
                  {task.dueAt ? <span class="muted"> — {task.dueAt}</span> : null}
                  {task.recurrence ? <span class="muted"> — {task.recurrence}</span> : null}
                </li>
              ))}
            </ol>
            <button type="submit" disabled={busy || !holds(session, 'leader')} data-testid="issue">
              {t('issue')}
            </button>
          </form>
        </div>
      ) : null}
    </section>
  );
}
