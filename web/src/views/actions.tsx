/**
 * The unit's actions on its assignment, through the same endpoints as any client:
 * acknowledge, concretize (own document with tasks, lead and coordinating units), report,
 * ask for an extension; and, for the unit above, decide a pending extension request.
 * Each is offered only to a caller holding the role it needs (the clerk acknowledges, the
 * officer drafts the implementing document and reports on task parts, the leader issues);
 * an officer's draft is listed for the leader, who issues it. Each form shows the API's
 * refusal in plain words.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { actions, loadDrafts, loadUnit, type ConcretizeBody, type TaskForm } from '../api/data';
import { OPEN_STAGES, type AssignmentDetail, type TaskProgress } from '../api/types';
import { dateToIso, fmtDateTime, localToIso, todayVn } from '../format';
import { useLoad } from '../hooks';
import { obligationWords, useI18n, word } from '../i18n';
import { RecipientsFieldset, UnitPicker, useRecipients } from '../ui/recipients';
import { canActAs, canActFor, holds, useSession } from '../session';
import { ErrorBox, Section } from '../ui/common';
import { recoveringText, retryWhileRecovering } from '../recovering';

const value = (e: Event) => (e.target as HTMLInputElement).value;

/**
 * A form that sends once, shows "recorded" or the refusal, and refreshes the assignment;
 * through an outage it says the system is recovering and sends again when the API says.
 */
function ActionForm(props: {
  title: string;
  testId: string;
  submitLabel: string;
  send: () => Promise<unknown>;
  onDone: () => void;
  children?: ComponentChildren;
  disabled?: boolean;
}) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  // Seconds until the next attempt while the system recovers from an outage (503).
  const [retryIn, setRetryIn] = useState<number | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await retryWhileRecovering(props.send, setRetryIn);
      setDone(true);
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="action" data-testid={props.testId} onSubmit={submit}>
      <h3>{props.title}</h3>
      {props.children}
      <ErrorBox error={error} />
      {retryIn !== null ? (
        <p class="notice recovering" role="status" data-testid="recovering">
          {recoveringText(retryIn, lang)}
        </p>
      ) : null}
      {done ? (
        <p class="ok" role="status">
          {t('done')}
        </p>
      ) : null}
      <button type="submit" disabled={busy || props.disabled}>
        {props.submitLabel}
      </button>
    </form>
  );
}

function AcknowledgeForm({
  directiveId,
  unit,
  onDone,
}: {
  directiveId: string;
  unit: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  return (
    <ActionForm
      title={t('acknowledge')}
      testId="form-acknowledge"
      submitLabel={t('acknowledge')}
      send={() => actions.acknowledge(directiveId, unit, note.trim() || undefined)}
      onDone={onDone}
    >
      <label>
        {t('note')}
        <input name="note" value={note} onInput={(e) => setNote(value(e))} />
      </label>
    </ActionForm>
  );
}

/** The implementing document: issued by the leader, or saved as a draft by an officer. */
function ConcretizeForm({
  directiveId,
  unit,
  onDone,
  mode,
}: {
  directiveId: string;
  unit: string;
  onDone: () => void;
  mode: 'issue' | 'draft';
}) {
  const { t } = useI18n();
  const children = useLoad(
    (signal) => loadUnit(unit, { signal }).then((u) => u.children),
    `children:${unit}`,
  );
  const kids = children.data ?? [];
  const [number, setNumber] = useState('');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(todayVn());
  const [body, setBody] = useState('');
  const [tasks, setTasks] = useState<Array<TaskForm & { due: string }>>([]);
  const recipients = useRecipients();
  const setTask = (i: number, patch: Partial<TaskForm & { due: string }>) =>
    setTasks(tasks.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const document = (): ConcretizeBody => ({
      number: number.trim(),
      title: title.trim(),
      issuedAt: dateToIso(date),
      ...(body.trim() ? { body: body.trim() } : {}),
      ...(tasks.length
        ? {
            tasks: tasks.map(({ due, ...task }) => ({
              title: task.title.trim(),
              ...(task.leadUnitCode ? { leadUnitCode: task.leadUnitCode } : {}),
              ...(task.coordinatingUnits?.length
                ? { coordinatingUnits: task.coordinatingUnits }
                : {}),
              ...(due ? { dueAt: dateToIso(due) } : {}),
            })),
          }
        : {}),
      ...recipients.request(),
    });
  const send = () =>
    mode === 'issue' ? actions.concretize(directiveId, unit, document()) : actions.draftDocument(directiveId, unit, document());

  return (
    <ActionForm
      title={mode === 'issue' ? t('concretize') : t('draftDocument')}
      testId={mode === 'issue' ? 'form-concretize' : 'form-draft'}
      submitLabel={mode === 'issue' ? t('concretize') : t('saveDraft')}
      send={send}
      onDone={onDone}
    >
      <p class="muted small">{mode === 'issue' ? t('concretizeHelp') : t('draftHelp')}</p>
      <div class="row">
        <label>
          {t('docNumber')}
          <input
            name="number"
            required
            value={number}
            onInput={(e) => setNumber(value(e))}
            placeholder="145/KH-STTTT"
          />
        </label>
        <label>
          {t('docDate')}
          <input
            name="issuedAt"
            type="date"
            required
            value={date}
            onInput={(e) => setDate(value(e))}
          />
        </label>
      </div>
      <label>
        {t('docTitle')}
        <input name="title" required value={title} onInput={(e) => setTitle(value(e))} />
      </label>
      <label>
        {t('body')}
        <textarea name="body" rows={3} value={body} onInput={(e) => setBody(value(e))} />
      </label>
      <fieldset>
        <legend>{t('tasks')}</legend>
        {tasks.map((task, i) => (
          <div class="task" data-testid={`task-${i}`}>
            <div class="row">
              <label class="grow">
                {t('taskTitle')}
                <input
                  name={`task-${i}-title`}
                  required
                  value={task.title}
                  onInput={(e) => setTask(i, { title: value(e) })}
                />
              </label>
              <label>
                {t('dueAt')}
                <input
                  name={`task-${i}-due`}
                  type="date"
                  value={task.due}
                  onInput={(e) => setTask(i, { due: value(e) })}
                />
              </label>
            </div>
            <label>
              {t('lead')}
              <select
                name={`task-${i}-lead`}
                value={task.leadUnitCode ?? ''}
                onChange={(e) => setTask(i, { leadUnitCode: value(e) || undefined })}
              >
                <option value="">—</option>
                {kids.map((u) => (
                  <option value={u.code}>{u.name}</option>
                ))}
              </select>
            </label>
            <div>
              {t('coordinating')}
              <UnitPicker
                name={`task-${i}-coordinating`}
                units={kids.filter((u) => u.code !== task.leadUnitCode)}
                selected={task.coordinatingUnits ?? []}
                onChange={(codes) => setTask(i, { coordinatingUnits: codes })}
              />
            </div>
            <button
              type="button"
              class="secondary small"
              onClick={() => setTasks(tasks.filter((_, j) => j !== i))}
            >
              {t('removeTask')}
            </button>
          </div>
        ))}
        <button
          type="button"
          class="secondary small"
          onClick={() => setTasks([...tasks, { title: '', due: '' }])}
        >
          + {t('addTask')}
        </button>
      </fieldset>
      <RecipientsFieldset units={kids} {...recipients.field} />
    </ActionForm>
  );
}

function ReportForm({
  directiveId,
  unit,
  onDone,
}: {
  directiveId: string;
  unit: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [cycle, setCycle] = useState('');
  const [summary, setSummary] = useState('');
  const [completion, setCompletion] = useState('100');
  return (
    <ActionForm
      title={t('report')}
      testId="form-report"
      submitLabel={t('report')}
      send={() =>
        actions.report(directiveId, unit, {
          ...(cycle ? { cycle: Number(cycle) } : {}),
          summary: summary.trim(),
          completion: Number(completion),
        })
      }
      onDone={onDone}
    >
      <div class="row">
        <label>
          {t('cycle')}
          <input
            name="cycle"
            type="number"
            min={1}
            placeholder={t('cycleAuto')}
            value={cycle}
            onInput={(e) => setCycle(value(e))}
          />
        </label>
        <label>
          {t('completion')}
          <input
            name="completion"
            type="number"
            min={0}
            max={100}
            required
            value={completion}
            onInput={(e) => setCompletion(value(e))}
          />
        </label>
      </div>
      <label>
        {t('summary')}
        <textarea
          name="summary"
          rows={2}
          required
          value={summary}
          onInput={(e) => setSummary(value(e))}
        />
      </label>
    </ActionForm>
  );
}

function ExtensionForm({
  directiveId,
  row,
  onDone,
}: {
  directiveId: string;
  row: AssignmentDetail;
  onDone: () => void;
}) {
  const { lang, t } = useI18n();
  const [deadline, setDeadline] = useState('');
  const [reason, setReason] = useState('');
  return (
    <ActionForm
      title={`${t('askExtension')} (${obligationWords(lang, row.waitingFor)})`}
      testId="form-extension"
      submitLabel={t('askExtension')}
      send={() =>
        actions.requestExtension(directiveId, row.unitCode, {
          requestedDeadline: localToIso(deadline),
          reason: reason.trim(),
        })
      }
      onDone={onDone}
    >
      <label>
        {t('requestedDeadline')}
        <input
          name="requestedDeadline"
          type="datetime-local"
          required
          value={deadline}
          onInput={(e) => setDeadline(value(e))}
        />
      </label>
      <label>
        {t('reason')}
        <input name="reason" required value={reason} onInput={(e) => setReason(value(e))} />
      </label>
    </ActionForm>
  );
}

function DecisionForm({
  directiveId,
  row,
  requestId,
  onDone,
}: {
  directiveId: string;
  row: AssignmentDetail;
  requestId: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [approve, setApprove] = useState(true);
  return (
    <ActionForm
      title={t('decide')}
      testId="form-decision"
      submitLabel={t('send')}
      send={() =>
        actions.decideExtension(directiveId, row.unitCode, requestId, {
          approve,
          ...(note.trim() ? { note: note.trim() } : {}),
        })
      }
      onDone={onDone}
    >
      <div class="row">
        <label class="check">
          <input
            type="radio"
            name={`decision-${requestId}`}
            checked={approve}
            onChange={() => setApprove(true)}
          />{' '}
          {t('approve')}
        </label>
        <label class="check">
          <input
            type="radio"
            name={`decision-${requestId}`}
            checked={!approve}
            onChange={() => setApprove(false)}
          />{' '}
          {t('reject')}
        </label>
      </div>
      <label>
        {t('note')}
        <input name="note" value={note} onInput={(e) => setNote(value(e))} />
      </label>
    </ActionForm>
  );
}

/** A lead's report on its task, or a coordinating unit's on its contribution. */
function TaskReportForm(props: {
  directiveId: string;
  unit: string;
  task: TaskProgress;
  role: string;
  onDone: () => void;
}) {
  const { lang, t } = useI18n();
  const [summary, setSummary] = useState('');
  const [completion, setCompletion] = useState('100');
  return (
    <ActionForm
      title={`${t('report')}: ${props.task.title ?? props.task.taskRef} (${word(lang, props.role)})`}
      testId={`form-task-${props.task.taskRef}`}
      submitLabel={t('report')}
      send={() =>
        actions.reportOnTask(props.directiveId, props.task.taskRef, props.unit, {
          summary: summary.trim(),
          completion: Number(completion),
        })
      }
      onDone={props.onDone}
    >
      <label>
        {t('completion')}
        <input
          name="completion"
          type="number"
          min={0}
          max={100}
          required
          value={completion}
          onInput={(e) => setCompletion(value(e))}
        />
      </label>
      <label>
        {t('summary')}
        <textarea
          name="summary"
          rows={2}
          required
          value={summary}
          onInput={(e) => setSummary(value(e))}
        />
      </label>
    </ActionForm>
  );
}

/** The unit's drafts of its implementing document, for the leader to issue as they are. */
function DraftsToIssue({ directiveId, unit, onDone }: { directiveId: string; unit: string; onDone: () => void }) {
  const { t, lang } = useI18n();
  const drafts = useLoad((signal) => loadDrafts(directiveId, unit, { signal }), `drafts:${directiveId}:${unit}`);
  const open = (drafts.data?.items ?? []).filter((d) => d.status === 'DRAFT' && d.kind === 'implementing_document');
  if (!open.length) return null;
  return (
    <>
      {open.map((d) => (
        <ActionForm
          title={t('draftToIssue')}
          testId="form-issue-draft"
          submitLabel={t('issueDraft')}
          send={() => actions.issueDraft(directiveId, unit, d.id)}
          onDone={() => {
            drafts.reload();
            onDone();
          }}
        >
          <p>
            <strong>{d.content.number}</strong> — {d.content.title}
          </p>
          <p class="muted small">
            {t('draftedAt', { at: fmtDateTime(lang, d.createdAt) })}
            {d.content.tasks?.length ? ` · ${t('tasks')}: ${d.content.tasks.length}` : ''}
          </p>
        </ActionForm>
      ))}
    </>
  );
}

export interface TaskPart {
  task: TaskProgress;
  part: TaskProgress['parts'][number];
}

export function ActionPanel(props: {
  directiveId: string;
  row: AssignmentDetail;
  taskParts: TaskPart[];
  onDone: () => void;
}) {
  const { directiveId, row, onDone } = props;
  const { t } = useI18n();
  const session = useSession();
  const open = OPEN_STAGES.includes(row.stage);
  const mine = canActFor(session, row.unitCode);
  const above = canActFor(session, row.parentUnitCode);
  const pending = row.extensionRequests.filter((x) => x.status === 'PENDING');
  // The request id is the row id's suffix (keys.extensionRequest(assignmentId, requestId)).
  const requestIdOf = (rowId: string) => rowId.slice(row.id.length + 1);
  if (session.kind === 'unit' && !session.unit) return null; // the session is still being read
  const forms: ComponentChildren[] = [];
  const as = (role: 'clerk' | 'officer' | 'leader') => canActAs(session, row.unitCode, role);
  if (open && mine) {
    if ((row.stage === 'DELIVERED' || row.ackVersion < row.directiveVersion) && as('clerk')) {
      forms.push(<AcknowledgeForm directiveId={directiveId} unit={row.unitCode} onDone={onDone} />);
    }
    if (row.mustConcretize && !row.implementingDirectiveId && row.stage !== 'DELIVERED') {
      if (as('leader')) {
        forms.push(<DraftsToIssue directiveId={directiveId} unit={row.unitCode} onDone={onDone} />);
        forms.push(<ConcretizeForm directiveId={directiveId} unit={row.unitCode} onDone={onDone} mode="issue" />);
      } else if (as('officer')) {
        forms.push(<ConcretizeForm directiveId={directiveId} unit={row.unitCode} onDone={onDone} mode="draft" />);
      }
    }
    if (row.stage !== 'DELIVERED' && !(row.mustConcretize && !row.implementingDirectiveId) && as('leader')) {
      forms.push(<ReportForm directiveId={directiveId} unit={row.unitCode} onDone={onDone} />);
    }
    if (row.waitingFor && !pending.some((x) => x.obligation === row.waitingFor) && as('officer')) {
      forms.push(<ExtensionForm directiveId={directiveId} row={row} onDone={onDone} />);
    }
  }
  if (mine && holds(session, 'officer')) {
    for (const { task, part } of props.taskParts) {
      if (part.doneAt || part.status === 'CANCELLED') continue;
      forms.push(
        <TaskReportForm
          directiveId={directiveId}
          unit={row.unitCode}
          task={task}
          role={part.role}
          onDone={onDone}
        />,
      );
    }
  }
  if (open && above && holds(session, 'leader')) {
    for (const x of pending)
      forms.push(
        <DecisionForm
          directiveId={directiveId}
          row={row}
          requestId={requestIdOf(x.id)}
          onDone={onDone}
        />,
      );
  }
  if (!forms.length) {
    if (open && !mine && session.kind === 'unit') {
      return (
        <Section title={t('actions')}>
          <p class="muted">{t('notYourUnit', { unit: row.unitCode })}</p>
        </Section>
      );
    }
    if (open && mine) {
      return (
        <Section title={t('actions')}>
          <p class="muted" data-testid="nothing-for-role">{t('nothingForYourRole')}</p>
        </Section>
      );
    }
    return null;
  }
  return (
    <Section title={t('actions')} id="actions">
      <div class="actions">{forms}</div>
    </Section>
  );
}
