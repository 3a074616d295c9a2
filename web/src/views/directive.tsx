/**
 * One directive: the four counts, progress by level, the map of provinces (drilling down to
 * communes), the overdue list, escalations and the chain of implementing documents. Every
 * part refreshes from the read model while the page is visible.
 */
import { useEffect, useState } from 'preact/hooks';
import { download } from '../api/client';
import { officialCounts, officialPart } from '../api/counts';
import {
  directiveWorkflowId,
  loadDirective,
  loadMap,
  loadNames,
  nameOf,
  rememberNames,
  workflowUrl,
} from '../api/data';
import type { Directive, Progress } from '../api/types';
import { fmtDate } from '../format';
import { useLoad } from '../hooks';
import { useI18n, word } from '../i18n';
import { useSession } from '../session';
import {
  ErrorBox,
  FourCounts,
  LiveBadge,
  Section,
  StageBar,
  StageLegend,
  TemporalLink,
} from '../ui/common';
import { DocumentTree } from './documents';
import { EscalationList, OverdueList } from './overdue';
import { CascadeMapView } from './map';

/** How often the directive view re-reads the read model while the page is visible. */
export const REFRESH_MS = 3000;

const LEVEL_ORDER = ['central', 'province', 'district', 'commune'];
const levelRank = (l: string) => LEVEL_ORDER.indexOf(l) + 1 || 99;

function LevelTable({ progress }: { progress: Progress }) {
  const { lang, t } = useI18n();
  const levels = Object.keys(progress.byLevel).sort(
    (a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b),
  );
  return (
    <table class="list levels" data-testid="levels">
      <thead>
        <tr>
          <th>{t('level')}</th>
          <th class="num">{t('total')}</th>
          <th class="wide">{t('byStage')}</th>
          <th>
            {t('onTime')} · {t('late')} · {t('openOnTime')} · {t('overdue')}
          </th>
        </tr>
      </thead>
      <tbody>
        {levels.map((l) => {
          const row = progress.byLevel[l]!;
          const official = officialPart(progress, 'byLevel', l) ?? officialCounts(row);
          return (
            <tr>
              <td>{word(lang, l)}</td>
              <td class="num">{row.total}</td>
              <td>
                <StageBar byStage={row.byStage} total={row.total} />
              </td>
              <td>
                {official ? (
                  <FourCounts counts={official} />
                ) : (
                  <span class="count overdue">
                    <b>{row.overdue}</b> {t('overdue')}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Tasks({ directive }: { directive: Directive }) {
  const { lang, t } = useI18n();
  if (!directive.tasks.length) return null;
  const progressOf = (title: string) => directive.progress.tasks?.find((x) => x.title === title);
  return (
    <Section title={t('tasks')}>
      <table class="list">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('taskTitle')}</th>
            <th>{t('lead')}</th>
            <th>{t('coordinating')}</th>
            <th>{t('dueAt')}</th>
            <th>{t('status')}</th>
          </tr>
        </thead>
        <tbody>
          {directive.tasks.map((task) => (
            <tr>
              <td>{task.seq}</td>
              <td>{task.title}</td>
              <td>{nameOf(task.leadUnitCode)}</td>
              <td>{task.coordinatingUnits.map(nameOf).join(', ') || '—'}</td>
              <td>{task.dueAt ? fmtDate(lang, task.dueAt) : (task.recurrence ?? '—')}</td>
              <td>
                {(progressOf(task.title)?.parts ?? []).map((part) => (
                  <div
                    class={
                      progressOf(task.title)?.late.includes(part.unitCode)
                        ? 'part late-part'
                        : 'part'
                    }
                  >
                    {nameOf(part.unitCode)} ({word(lang, part.role)}): {word(lang, part.status)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function DirectiveView({ id, mapParent }: { id: string; mapParent?: string }) {
  const { lang, t } = useI18n();
  const session = useSession();
  const [paused, setPaused] = useState(false);
  const every = paused ? undefined : REFRESH_MS;
  const directive = useLoad((signal) => loadDirective(id, { signal }), `d:${id}`, every);
  const map = useLoad(
    (signal) => loadMap(id, mapParent, { signal }),
    `m:${id}:${mapParent ?? ''}`,
    every,
  );
  const d = directive.data;
  // The whole cascade's unit counts, only when the map shows a subtree and the API gives no
  // official counts (an older server).
  const needRoot = !!mapParent && !!d && !officialCounts(d.progress);
  const rootMap = useLoad(
    (signal) => (needRoot ? loadMap(id, undefined, { signal }) : Promise.resolve(null)),
    `r:${id}:${needRoot ? mapParent : ''}`,
    needRoot ? every : undefined,
  );
  const painted = !!d && !!map.data;

  useEffect(() => {
    if (map.data) rememberNames([...map.data.trail, ...map.data.cells]);
  }, [map.data]);
  const codes = d
    ? [
        d.issuerCode,
        ...d.tasks.flatMap((x) => [x.leadUnitCode ?? '', ...x.coordinatingUnits]),
      ].filter(Boolean)
    : [];
  const names = useLoad((signal) => loadNames(codes, { signal }), `n:${codes.join(',')}`);

  useEffect(() => {
    if (!painted) return;
    // First paint with data, for `npm run bench:dashboard` and the browser tests.
    requestAnimationFrame(() => {
      if (!document.body.dataset.directivePainted) {
        performance.mark('directive-painted');
        document.body.dataset.directivePainted = '1';
      }
    });
  }, [painted]);

  if (!d) {
    return (
      <>
        <ErrorBox error={directive.error} />
        {!directive.error ? <p class="muted">{t('loading')}</p> : null}
      </>
    );
  }
  const official = officialCounts(d.progress);
  const unitTotals = (mapParent ? rootMap.data?.totals : map.data?.totals) ?? null;
  const counts = official ?? unitTotals;
  void names.data; // names fill nameOf()'s cache; re-render when they arrive

  return (
    <div class="directive" data-testid="directive-view">
      <section class="card head">
        <div class="head-row">
          <div>
            <p class="kind">
              {d.kind} · {word(lang, d.status)}
              {d.version > 1 ? ` · ${t('version')} ${d.version}` : ''}
            </p>
            <h1>
              <span data-testid="directive-number">{d.number}</span> — {d.title}
            </h1>
            <p class="muted">
              {t('issuer')}: {nameOf(d.issuerCode)} · {t('issuedAt')}: {fmtDate(lang, d.issuedAt)}
              {d.basedOn.length ? ` · ${d.basedOn.join(', ')}` : ''}
            </p>
          </div>
          <div class="head-side">
            <LiveBadge at={directive.at} paused={paused} onToggle={() => setPaused(!paused)} />
            <TemporalLink url={workflowUrl(session, directiveWorkflowId(id))} />
            <button
              type="button"
              class="link"
              data-testid="export-xlsx"
              onClick={() => void download(`/directives/${encodeURIComponent(id)}/export.xlsx`, `tien-do-${d.number.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.xlsx`)}
            >
              {t('exportXlsx')}
            </button>
          </div>
        </div>
        {counts ? (
          <FourCounts
            big
            counts={counts}
            failed={d.progress.failed ?? unitTotals?.failed}
            note={`${official ? t('obligationsCounted') : t('unitsCounted')} · ${t('total')} ${d.progress.total} ${t('units')} · ${t('openEscalations')}: ${d.progress.openEscalations}`}
          />
        ) : null}
        <ErrorBox error={directive.error} />
      </section>

      <div class="two">
        <Section title={t('map')} id="map">
          <CascadeMapView directiveId={id} map={map.data} error={map.error} progress={d.progress} />
        </Section>
        <Section title={t('progressByLevel')}>
          <LevelTable progress={d.progress} />
          <StageLegend />
        </Section>
      </div>

      <Tasks directive={d} />
      <OverdueList directiveId={id} policy={d.policy} every={every} />
      <EscalationList directiveId={id} policy={d.policy} every={every} />
      <DocumentTree directiveId={id} />
    </div>
  );
}
