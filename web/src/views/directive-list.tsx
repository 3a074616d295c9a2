/** Directives: issued by my unit / received by it (the admin sees all), with the four counts. */
import { useState } from 'preact/hooks';
import { ApiFailure } from '../api/client';
import { officialCounts } from '../api/counts';
import { loadDirectives, loadMap } from '../api/data';
import type { DirectiveListItem } from '../api/types';
import { fmtDate } from '../format';
import { useLoad } from '../hooks';
import { useI18n, word } from '../i18n';
import { href } from '../router';
import { holds, useSession } from '../session';
import { ErrorBox, FourCounts, Section } from '../ui/common';
import { IssueForm } from './issue-form';

const PAGE = 20;
type Tab = 'issued' | 'received' | 'all';

/**
 * The cascade a listed document belongs to, and where in it: my own implementing document
 * opens at my branch; a document that reached me opens where my view of the cascade starts.
 */
const cascadeOf = (d: DirectiveListItem, mine?: string): { rootId: string; branch?: string } => {
  const rootId = typeof d.rootId === 'string' ? d.rootId : d.id;
  return rootId !== d.id && d.issuerCode === mine ? { rootId, branch: mine } : { rootId };
};

/**
 * The four counts of a row: from the list when it carries them, else the map's totals of
 * the cascade (for an implementing document: of its issuer's branch), counted by unit.
 */
function RowCounts({ item, mine }: { item: DirectiveListItem; mine?: string }) {
  const { t } = useI18n();
  const inline = officialCounts(item.progress ?? item.counts ?? item);
  const { rootId, branch } = cascadeOf(item, mine);
  const map = useLoad(
    (signal) => (inline ? Promise.resolve(null) : loadMap(rootId, branch, { signal })),
    `counts:${rootId}:${branch ?? ''}`,
  );
  const counts = inline ?? map.data?.totals;
  if (!counts)
    return map.error ? <span class="muted">—</span> : <span class="muted">{t('loading')}</span>;
  return <FourCounts counts={counts} />;
}

export function DirectiveList() {
  const { lang, t } = useI18n();
  const session = useSession();
  const mine = session.unit?.code;
  const [chosen, setTab] = useState<Tab | null>(null);
  const tab: Tab = chosen ?? (mine ? 'issued' : 'all');
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [openId, setOpenId] = useState('');

  const list = useLoad(
    (signal) =>
      loadDirectives(
        { issuer: tab === 'issued' ? mine : undefined, q: query || undefined, limit, offset: 0 },
        { signal },
      ),
    `list:${tab}:${query}:${limit}`,
    10_000,
  );
  const missing = list.error instanceof ApiFailure && list.error.status === 404;
  const items = (list.data?.items ?? []).filter((d) =>
    tab === 'received' ? d.issuerCode !== mine : true,
  );

  return (
    <>
      <Section
        level={1}
        title={t('directives')}
        right={
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              setQuery(q.trim());
            }}
          >
            <input
              type="search"
              placeholder={t('search')}
              value={q}
              onInput={(e) => setQ((e.target as HTMLInputElement).value)}
            />
          </form>
        }
      >
        {mine ? (
          <div class="tabs" role="tablist">
            {(['issued', 'received'] as Tab[]).map((k) => (
              <button
                type="button"
                role="tab"
                class={tab === k ? 'on' : ''}
                onClick={() => setTab(k)}
              >
                {k === 'issued' ? t('issuedByMe') : t('reachedMe')}
              </button>
            ))}
          </div>
        ) : null}
        {missing ? <p class="notice">{t('listUnavailable')}</p> : <ErrorBox error={list.error} />}
        {list.data ? (
          items.length === 0 ? (
            <p class="muted">{t('none')}</p>
          ) : (
            <table class="list" data-testid="directive-list">
              <thead>
                <tr>
                  <th>{t('number')}</th>
                  <th>{t('title')}</th>
                  <th>{t('issuer')}</th>
                  <th>{t('issuedAt')}</th>
                  <th>{t('status')}</th>
                  <th>{t('progressCounts')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr>
                    <td>
                      <a
                        href={href.directive(cascadeOf(d, mine).rootId, cascadeOf(d, mine).branch)}
                      >
                        {d.number}
                      </a>
                    </td>
                    <td>
                      <span class="kind">{d.kind}</span> {d.title}
                    </td>
                    <td>{(d.issuerName as string | undefined) ?? d.issuerCode}</td>
                    <td>{fmtDate(lang, d.issuedAt)}</td>
                    <td>{word(lang, d.status)}</td>
                    <td>
                      <RowCounts item={d} mine={mine} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : list.loading ? (
          <p class="muted">{t('loading')}</p>
        ) : null}
        {list.data && list.data.total > limit ? (
          <button type="button" class="secondary" onClick={() => setLimit(limit + PAGE)}>
            {t('more')}
          </button>
        ) : null}
      </Section>
      {holds(session, 'leader') ? (
        <details class="card" data-testid="issue-new">
          <summary>
            <h2>{t('issueNew')}</h2>
          </summary>
          <IssueForm />
        </details>
      ) : null}
      <Section title={t('openById')}>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (openId.trim()) location.hash = href.directive(openId.trim());
          }}
        >
          <input
            name="directive-id"
            placeholder="id"
            value={openId}
            onInput={(e) => setOpenId((e.target as HTMLInputElement).value)}
          />
          <button type="submit">{t('open')}</button>
        </form>
      </Section>
    </>
  );
}
