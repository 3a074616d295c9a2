/**
 * One assignment: what it waits for and until when, the action buttons, its timeline,
 * documents chain, reports, extension requests and its children's rollup.
 */
import {
  assignmentWorkflowId,
  loadAssignment,
  loadDirective,
  loadNames,
  nameOf,
  workflowUrl,
} from '../api/data';
import type { AssignmentDetail } from '../api/types';
import { fmtDate, fmtDateTime, fmtSpan } from '../format';
import { useLoad, useNow } from '../hooks';
import { obligationWords, useI18n, word } from '../i18n';
import { href } from '../router';
import { useSession } from '../session';
import { ActorText } from '../ui/actor';
import { ErrorBox, Section, StageBadge, TemporalLink } from '../ui/common';
import { ActionPanel } from './actions';
import { rungWords } from './overdue';
import { MailStatusText } from './people';

function eventDetail(data: Record<string, unknown> | null): string {
  if (!data) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === null || v === undefined || typeof v === 'object') continue;
    parts.push(`${k}: ${String(v)}`);
  }
  return parts.join(' · ');
}

function Timeline({ a }: { a: AssignmentDetail }) {
  const { lang, t } = useI18n();
  return (
    <Section title={t('timeline')}>
      <ol class="timeline" data-testid="timeline">
        {a.timeline.map((e) => (
          <li class={`ev ev-${e.type.toLowerCase()}`}>
            <time>{fmtDateTime(lang, e.at)}</time> <b>{word(lang, e.type)}</b>{' '}
            {e.by ? (
              <>
                — <ActorText by={e.by} />{' '}
              </>
            ) : null}
            <small class="muted">{eventDetail(e.data)}</small>
            {e.deliveries?.length ? (
              <ul class="mails" data-testid="event-mails">
                {e.deliveries.map((d) => (
                  <li>
                    ✉ {d.email ?? nameOf(d.unitCode)}: <MailStatusText d={d} />
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </Section>
  );
}

export function AssignmentView({ id, unit }: { id: string; unit: string }) {
  const { lang, t } = useI18n();
  const session = useSession();
  const now = useNow(1000);
  const a = useLoad(
    async (signal) => {
      const detail = await loadAssignment(id, unit, { signal });
      await loadNames(
        [
          unit,
          detail.parentUnitCode ?? '',
          ...detail.documents.map((d) => d.issuerCode),
          ...detail.escalations.map((e) => e.targetUnitCode ?? ''),
          // The units of whoever acted: a decision is taken by the unit above.
          ...[
            ...detail.timeline.map((e) => e.by),
            ...detail.reports.map((r) => r.by),
            ...detail.extensionRequests.flatMap((x) => [x.requestedBy, x.decisionBy]),
          ].map((by) => by?.unitCode ?? ''),
        ],
        { signal },
      );
      return detail;
    },
    `a:${id}:${unit}`,
    3000,
  );
  const directive = useLoad((signal) => loadDirective(id, { signal }), `ad:${id}`);
  const row = a.data;
  if (!row) return a.error ? <ErrorBox error={a.error} /> : <p class="muted">{t('loading')}</p>;
  const left = row.nextDeadline ? Date.parse(row.nextDeadline) - now : null;
  const taskParts = (directive.data?.progress.tasks ?? []).flatMap((task) =>
    task.parts.filter((part) => part.unitCode === unit).map((part) => ({ task, part })),
  );

  return (
    <div class="assignment" data-testid="assignment-view">
      <section class="card head">
        <div class="head-row">
          <div>
            <p class="kind">
              <a href={href.directive(id)}>← {directive.data?.number ?? t('backToDirective')}</a>{' '}
              {directive.data ? `— ${directive.data.title}` : ''}
            </p>
            <h1>
              {nameOf(unit)} <small class="muted">{unit}</small>
            </h1>
            <p>
              <StageBadge stage={row.stage} overdue={row.overdue} /> · {word(lang, row.level)}
              {row.parentUnitCode ? ` · ${t('above')}: ${nameOf(row.parentUnitCode)}` : ''}
            </p>
            {row.waitingFor ? (
              <p class={row.overdue ? 'waiting overdue' : 'waiting'} data-testid="waiting">
                {t('waitingFor')}: <b>{obligationWords(lang, row.waitingFor)}</b> · {t('deadline')}:{' '}
                <b>{fmtDateTime(lang, row.nextDeadline)}</b>
                {left !== null
                  ? ` (${left >= 0 ? t('inTime', { n: fmtSpan(lang, left) }) : t('ago', { n: fmtSpan(lang, -left) })})`
                  : ''}
                {row.overdue
                  ? ` · ${t('rung')} ${rungWords(lang, directive.data?.policy, row.escalationRung)}`
                  : ''}
                {row.nextReminderAt ? (
                  <span data-testid="next-reminder">
                    {' '}
                    · {t('nextReminder')}: {fmtDateTime(lang, row.nextReminderAt)}
                  </span>
                ) : null}
              </p>
            ) : null}
            {row.stage === 'FAILED' && row.failureReason ? (
              <p class="error">{t('incident', { reason: row.failureReason })}</p>
            ) : null}
          </div>
          <div class="head-side">
            <TemporalLink url={workflowUrl(session, assignmentWorkflowId(id, unit))} />
            {!row.isLeaf ? <a href={href.directive(id, unit)}>{t('viewMap')} →</a> : null}
          </div>
        </div>
        <ErrorBox error={a.error} />
      </section>

      <ActionPanel
        directiveId={id}
        row={row}
        taskParts={taskParts}
        onDone={() => {
          a.reload();
          directive.reload();
        }}
      />

      {row.obligations?.length || taskParts.length ? (
        <Section title={t('obligations')}>
          <table class="list" data-testid="obligations">
            <thead>
              <tr>
                <th>{t('obligations')}</th>
                <th>{t('deadline')}</th>
                <th>{t('status')}</th>
                <th>{t('doneAt')}</th>
              </tr>
            </thead>
            <tbody>
              {[...(row.obligations ?? []), ...taskParts.map(({ part }) => part)].map((o) => (
                <tr class={`official-${o.status.toLowerCase()}`}>
                  <td>{obligationWords(lang, o.key)}</td>
                  <td>{fmtDateTime(lang, o.deadline)}</td>
                  <td>
                    <span class="official">{word(lang, o.status)}</span>
                  </td>
                  <td>{o.doneAt ? fmtDateTime(lang, o.doneAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}

      <div class="two">
        <Timeline a={row} />
        <div>
          <Section title={t('documents')}>
            <ol class="chain">
              {row.documents.map((doc) => (
                <li>
                  <b>{doc.number}</b> <span class="kind">{doc.kind}</span> {doc.title}{' '}
                  <small class="muted">
                    — {nameOf(doc.issuerCode)}, {fmtDate(lang, doc.issuedAt)}
                  </small>
                </li>
              ))}
            </ol>
          </Section>
          {row.childrenRollup.some((r) => r.children > 0) ? (
            <Section title={t('childrenRollup')}>
              <table class="list">
                <thead>
                  <tr>
                    <th>{t('cycle')}</th>
                    <th class="num">{t('children')}</th>
                    <th class="num">{t('onTime')}</th>
                    <th class="num">{t('late')}</th>
                    <th class="num">{t('missing')}</th>
                    <th class="num">{t('avgCompletion')}</th>
                  </tr>
                </thead>
                <tbody>
                  {row.childrenRollup.map((r) => (
                    <tr>
                      <td>{r.cycle}</td>
                      <td class="num">{r.children}</td>
                      <td class="num">{r.onTime}</td>
                      <td class="num">{r.late}</td>
                      <td class="num">{r.missing}</td>
                      <td class="num">{r.averageCompletion ?? '—'}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
          ) : null}
          {row.reports.length ? (
            <Section title={t('reports')}>
              <ul class="plain">
                {row.reports.map((r) => (
                  <li>
                    {t('cycle')} {r.cycle}: {r.completion}% — {r.summary}{' '}
                    <small class="muted">
                      {fmtDateTime(lang, r.submittedAt)} · {r.onTime ? t('onTime') : t('late')}
                      {r.by ? (
                        <>
                          {' '}
                          · <ActorText by={r.by} />
                        </>
                      ) : null}
                    </small>
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          {row.extensionRequests.length ? (
            <Section title={t('extensionRequests')}>
              <ul class="plain">
                {row.extensionRequests.map((x) => (
                  <li>
                    {obligationWords(lang, x.obligation)}: {fmtDateTime(lang, x.currentDeadline)} →{' '}
                    {fmtDateTime(lang, x.requestedDeadline)} — {x.reason}{' '}
                    <b>{word(lang, x.status)}</b>{' '}
                    {x.decisionNote ? <small class="muted">({x.decisionNote})</small> : null}
                    {x.requestedBy ? (
                      <small class="muted" data-testid="requested-by">
                        {' '}
                        · {t('requestedBy')}: <ActorText by={x.requestedBy} />
                      </small>
                    ) : null}
                    {x.decisionBy ? (
                      <small class="muted" data-testid="decided-by">
                        {' '}
                        · {t('decidedBy')}: <ActorText by={x.decisionBy} />
                      </small>
                    ) : null}
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
        </div>
      </div>
    </div>
  );
}
