/**
 * The map-like overview: one cell per unit directly below the map's parent (the provinces,
 * then a province's communes), coloured by the share of its subtree that is overdue.
 */
import type { CascadeMap, MapCell, OfficialCounts, Progress } from '../api/types';
import { officialPart, overdueShare } from '../api/counts';
import { useI18n, word } from '../i18n';
import { href } from '../router';
import { ErrorBox } from '../ui/common';

/** Green (none overdue) through amber to red (half or more overdue); grey when nothing is open or closed. */
export function shareColour(share: number, empty: boolean): string {
  if (empty) return 'hsl(0 0% 90%)';
  const s = Math.min(1, share * 2);
  return `hsl(${Math.round(130 - 130 * s)} ${55 + Math.round(20 * s)}% ${88 - Math.round(18 * s)}%)`;
}

function Cell({
  directiveId,
  cell,
  official,
}: {
  directiveId: string;
  cell: MapCell;
  official: OfficialCounts | null;
}) {
  const { lang, t } = useI18n();
  const c = cell.counts;
  const share = overdueShare(c);
  const empty = c.onTime + c.late + c.open + c.overdue === 0;
  const target = cell.hasChildren
    ? href.directive(directiveId, cell.code)
    : href.assignment(directiveId, cell.code);
  const pct = Math.round(share * 100);
  return (
    <a
      class={`cell${c.overdue ? ' has-overdue' : ''}`}
      href={target}
      style={{ background: shareColour(share, empty) }}
      data-code={cell.code}
      data-overdue={c.overdue}
      title={`${cell.name}: ${c.overdue}/${c.total} ${t('overdue').toLowerCase()} (${pct}%)`}
    >
      <span class="cell-name">{cell.name}</span>
      <span class="cell-main">
        <b>{c.overdue}</b>/{c.total} {t('overdue').toLowerCase()}
      </span>
      <span class="cell-counts">
        <span class="on-time" title={t('onTime')}>
          ✓{c.onTime}
        </span>
        <span class="late" title={t('late')}>
          △{c.late}
        </span>
        <span class="open" title={t('openOnTime')}>
          ○{c.open}
        </span>
        {c.failed ? (
          <span class="failed" title={t('failed')}>
            !{c.failed}
          </span>
        ) : null}
      </span>
      {official ? (
        <span class="cell-counts" title={t('obligationsCounted')} data-testid="cell-obligations">
          {t('obligations')}: ✓{official.onTime} △{official.late} ○{official.open}{' '}
          <span class="late">✗{official.overdue}</span>
        </span>
      ) : null}
      {cell.assignment ? <span class="cell-stage">{word(lang, cell.assignment.stage)}</span> : null}
    </a>
  );
}

export function CascadeMapView(props: {
  directiveId: string;
  map: CascadeMap | undefined;
  error: unknown;
  progress?: Progress;
}) {
  const { lang, t } = useI18n();
  const { map, directiveId } = props;
  if (!map)
    return props.error ? <ErrorBox error={props.error} /> : <p class="muted">{t('loading')}</p>;
  return (
    <div data-testid="cascade-map">
      <nav class="trail" aria-label="breadcrumb">
        {map.trail.map((u, i) => (
          <span>
            {i > 0 ? ' › ' : ''}
            {i === map.trail.length - 1 ? (
              <b>{u.name}</b>
            ) : (
              <a href={href.directive(directiveId, i === 0 ? undefined : u.code)}>{u.name}</a>
            )}
          </span>
        ))}
        {map.trail.length > 1 ? (
          <a class="secondary-link" href={href.assignment(directiveId, map.parent.code)}>
            {' '}
            · {word(lang, map.parent.level)} {map.parent.name} →
          </a>
        ) : null}
      </nav>
      <p class="muted small">{t('mapHelp')}</p>
      <ErrorBox error={props.error} />
      <div class={map.cells.length > 60 ? 'grid dense' : 'grid'}>
        {map.cells.map((cell) => (
          <Cell
            key={cell.code}
            directiveId={directiveId}
            cell={cell}
            official={officialPart(props.progress, 'byProvince', cell.code)}
          />
        ))}
      </div>
      <div class="legend">
        <span>{t('overdueShare')}:</span>
        {[0, 0.1, 0.25, 0.5].map((s) => (
          <span>
            <i class="swatch" style={{ background: shareColour(s, false) }} />{' '}
            {s === 0.5 ? '≥ 50%' : `${s * 100}%`}
          </span>
        ))}
        <span>
          ✓ {t('onTime')} · △ {t('late')} · ○ {t('openOnTime')} · ✗ {t('overdue')}
        </span>
      </div>
    </div>
  );
}
