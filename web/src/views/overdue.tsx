/** Who is late (escalation rung, since when) and the escalations, open and resolved. */
import { useState } from 'preact/hooks';
import { loadEscalations, loadNames, loadOverdue, nameOf } from '../api/data';
import { fmtDateTime, fmtSpan } from '../format';
import { useLoad, useNow } from '../hooks';
import { obligationWords, useI18n, word, type Lang } from '../i18n';
import { href } from '../router';
import { ErrorBox, Section } from '../ui/common';

/** "2 · Báo cấp trên": the rung and what the policy's ladder does at it. */
export function rungWords(lang: Lang, policy: unknown, rung: number): string {
  if (!rung) return '0';
  const steps = (policy as { escalation?: Array<{ action?: string; after?: string }> } | null)?.escalation ?? [];
  // Rung n is the n-th step past the deadline; reminders (`before`) are not rungs.
  const action = steps.filter((step) => step.after !== undefined)[rung - 1]?.action;
  return action ? `${rung} · ${word(lang, action)}` : String(rung);
}

export function OverdueList(props: { directiveId: string; policy: unknown; every?: number }) {
  const { lang, t } = useI18n();
  const now = useNow(5000);
  const [limit, setLimit] = useState(50);
  const list = useLoad(
    async (signal) => {
      const page = await loadOverdue(props.directiveId, limit, { signal });
      await loadNames(
        page.items.map((a) => a.unitCode),
        { signal },
      );
      return page;
    },
    `o:${props.directiveId}:${limit}`,
    props.every,
  );
  const items = list.data?.items ?? [];
  return (
    <Section title={`${t('overdueList')}${list.data ? ` (${list.data.total})` : ''}`} id="overdue">
      <ErrorBox error={list.error} />
      {list.data && items.length === 0 ? <p class="muted">{t('noOverdue')}</p> : null}
      {items.length ? (
        <table class="list" data-testid="overdue-list">
          <thead>
            <tr>
              <th>{t('unit')}</th>
              <th>{t('level')}</th>
              <th>{t('waitingFor')}</th>
              <th>{t('since')}</th>
              <th>{t('rung')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr data-unit={a.unitCode}>
                <td>
                  <a href={href.assignment(props.directiveId, a.unitCode)}>{nameOf(a.unitCode)}</a>{' '}
                  <small class="muted">{a.unitCode}</small>
                </td>
                <td>{word(lang, a.level)}</td>
                <td>{obligationWords(lang, a.waitingFor)}</td>
                <td>
                  {fmtDateTime(lang, a.nextDeadline)}
                  {a.nextDeadline ? (
                    <small class="muted">
                      {' '}
                      ({t('ago', { n: fmtSpan(lang, now - Date.parse(a.nextDeadline)) })})
                    </small>
                  ) : null}
                </td>
                <td>{rungWords(lang, props.policy, a.escalationRung)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.total > items.length ? (
        <button type="button" class="secondary" onClick={() => setLimit(limit + 50)}>
          {t('more')}
        </button>
      ) : null}
    </Section>
  );
}

export function EscalationList(props: { directiveId: string; policy: unknown; every?: number }) {
  const { lang, t } = useI18n();
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const [limit, setLimit] = useState(50);
  const list = useLoad(
    async (signal) => {
      const page = await loadEscalations(props.directiveId, status, limit, { signal });
      await loadNames(
        page.items.flatMap((e) => [e.unitCode, e.targetUnitCode ?? '']),
        { signal },
      );
      return page;
    },
    `e:${props.directiveId}:${status}:${limit}`,
    props.every,
  );
  const items = list.data?.items ?? [];
  return (
    <Section
      title={t('escalations')}
      id="escalations"
      right={
        <div class="tabs" role="tablist">
          {(['open', 'resolved'] as const).map((s) => (
            <button
              type="button"
              role="tab"
              class={status === s ? 'on' : ''}
              onClick={() => setStatus(s)}
            >
              {s === 'open' ? t('openEsc') : t('resolvedEsc')}
            </button>
          ))}
        </div>
      }
    >
      <ErrorBox error={list.error} />
      {list.data && items.length === 0 ? <p class="muted">{t('noEscalations')}</p> : null}
      {items.length ? (
        <table class="list" data-testid="escalation-list">
          <thead>
            <tr>
              <th>{t('unit')}</th>
              <th>{t('waitingFor')}</th>
              <th>{t('rung')}</th>
              <th>{t('target')}</th>
              <th>{t('deadline')}</th>
              <th>{t('firedAt')}</th>
              {status === 'resolved' ? <th>{t('resolvedAt')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr>
                <td>
                  <a href={href.assignment(props.directiveId, e.unitCode)}>{nameOf(e.unitCode)}</a>
                </td>
                <td>{obligationWords(lang, e.obligation)}</td>
                <td>
                  {e.rung} · {word(lang, e.action)}
                </td>
                <td>{e.targetUnitCode ? nameOf(e.targetUnitCode) : '—'}</td>
                <td>{fmtDateTime(lang, e.deadline)}</td>
                <td>{fmtDateTime(lang, e.firedAt)}</td>
                {status === 'resolved' ? (
                  <td>
                    {fmtDateTime(lang, e.resolvedAt)}{' '}
                    {e.resolution ? <small class="muted">({e.resolution})</small> : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.total > items.length ? (
        <button type="button" class="secondary" onClick={() => setLimit(limit + 50)}>
          {t('more')}
        </button>
      ) : null}
    </Section>
  );
}
