/** One unit's open assignments across directives, soonest deadline first. */
import { loadInbox, loadNames, nameOf } from '../api/data';
import { fmtDateTime, fmtSpan } from '../format';
import { useLoad, useNow } from '../hooks';
import { obligationWords, useI18n } from '../i18n';
import { href } from '../router';
import { ErrorBox, Section, StageBadge } from '../ui/common';

export function InboxView({ unit }: { unit: string }) {
  const { lang, t } = useI18n();
  const now = useNow(5000);
  const inbox = useLoad(
    async (signal) => {
      const page = await loadInbox(unit, { signal });
      await loadNames([unit, ...page.items.map((i) => i.directive?.issuerCode ?? '')], { signal });
      return page;
    },
    `inbox:${unit}`,
    5000,
  );
  const items = inbox.data?.items ?? [];
  return (
    <Section level={1} title={`${t('inbox')} — ${nameOf(unit)}`}>
      <ErrorBox error={inbox.error} />
      {inbox.data && !items.length ? <p class="muted">{t('inboxEmpty')}</p> : null}
      {items.length ? (
        // On a phone the table scrolls sideways inside its own region, reachable by keyboard.
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('inbox')}>
          <table class="list" data-testid="inbox">
            <thead>
              <tr>
                <th>{t('number')}</th>
                <th>{t('title')}</th>
                <th>{t('issuer')}</th>
                <th>{t('stage')}</th>
                <th>{t('waitingFor')}</th>
                <th>{t('deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => {
                const left = a.nextDeadline ? Date.parse(a.nextDeadline) - now : null;
                return (
                  <tr class={a.overdue ? 'row-overdue' : ''}>
                    <td>
                      <a href={href.assignment(a.directiveId, a.unitCode)}>
                        {a.directive?.number ?? a.directiveId}
                      </a>
                    </td>
                    <td>{a.directive?.title ?? ''}</td>
                    <td>{nameOf(a.directive?.issuerCode)}</td>
                    <td>
                      <StageBadge stage={a.stage} overdue={a.overdue} />
                    </td>
                    <td>{obligationWords(lang, a.waitingFor)}</td>
                    <td>
                      {fmtDateTime(lang, a.nextDeadline)}
                      {left !== null ? (
                        <small class="muted">
                          {' '}
                          (
                          {left >= 0
                            ? t('inTime', { n: fmtSpan(lang, left) })
                            : t('ago', { n: fmtSpan(lang, -left) })}
                          )
                        </small>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}
