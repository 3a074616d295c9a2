/** Small pieces shared by the views. */
import type { ComponentChildren } from 'preact';
import type { OfficialCounts, Stage } from '../api/types';
import { STAGE_ORDER } from '../api/types';
import { plainError } from '../errors';
import { recoveringIn } from '../recovering';
import { useI18n, word } from '../i18n';

export function ErrorBox({ error }: { error: unknown }) {
  const { lang } = useI18n();
  if (!error) return null;
  // Not an error to act on: the page retries by itself (hooks.ts, actions.tsx).
  if (recoveringIn(error) !== undefined) {
    return (
      <p class="notice recovering" role="status" data-testid="recovering">
        {plainError(error, lang)}
      </p>
    );
  }
  return (
    <p class="error" role="alert">
      {plainError(error, lang)}
    </p>
  );
}

export function Section(props: {
  title: string;
  id?: string;
  right?: ComponentChildren;
  /** 1 for the section that is the page itself (its one level-one heading); default 2. */
  level?: 1 | 2;
  children: ComponentChildren;
}) {
  return (
    <section class="card" id={props.id}>
      <header class="card-head">
        {props.level === 1 ? <h1 class="section-title">{props.title}</h1> : <h2>{props.title}</h2>}
        {props.right}
      </header>
      {props.children}
    </section>
  );
}

/** The four official counts as badges (plus incidents when any). */
export function FourCounts(props: {
  counts: OfficialCounts;
  failed?: number;
  note?: string;
  big?: boolean;
}) {
  const { t } = useI18n();
  const c = props.counts;
  return (
    <div class={props.big ? 'counts big' : 'counts'} data-testid="four-counts">
      <span class="count on-time" title={t('onTime')}>
        <b>{c.onTime}</b> {t('onTime')}
      </span>
      <span class="count late" title={t('late')}>
        <b>{c.late}</b> {t('late')}
      </span>
      <span class="count open" title={t('openOnTime')}>
        <b>{c.open}</b> {t('openOnTime')}
      </span>
      <span class="count overdue" title={t('overdue')}>
        <b>{c.overdue}</b> {t('overdue')}
      </span>
      {props.failed ? (
        <span class="count failed" title={t('failed')}>
          <b>{props.failed}</b> {t('failed')}
        </span>
      ) : null}
      {props.note ? <small class="muted">{props.note}</small> : null}
    </div>
  );
}

export function StageBadge({ stage, overdue }: { stage: Stage | string; overdue?: boolean }) {
  const { lang, t } = useI18n();
  return (
    <span class={`stage stage-${stage.toLowerCase()}`}>
      {word(lang, stage)}
      {overdue ? <span class="badge-overdue"> · {t('overdue')}</span> : null}
    </span>
  );
}

/** A stacked bar of assignments by stage. */
export function StageBar({ byStage, total }: { byStage: Record<string, number>; total: number }) {
  const { lang } = useI18n();
  if (!total) return <span class="muted">—</span>;
  return (
    <div
      class="stagebar"
      role="img"
      aria-label={STAGE_ORDER.map((s) => `${word(lang, s)} ${byStage[s] ?? 0}`).join(', ')}
    >
      {STAGE_ORDER.filter((s) => byStage[s]).map((s) => (
        <span
          class={`seg stage-${s.toLowerCase()}`}
          style={{ width: `${((byStage[s] ?? 0) / total) * 100}%` }}
          title={`${word(lang, s)}: ${byStage[s]}`}
        />
      ))}
    </div>
  );
}

export function StageLegend() {
  const { lang } = useI18n();
  return (
    <div class="legend">
      {STAGE_ORDER.map((s) => (
        <span>
          <i class={`swatch stage-${s.toLowerCase()}`} /> {word(lang, s)}
        </span>
      ))}
    </div>
  );
}

/** A link into the Temporal UI (operators' view of the workflow). */
export function TemporalLink({ url }: { url: string }) {
  const { t } = useI18n();
  if (!url) return null;
  return (
    <a class="temporal-link" href={url} target="_blank" rel="noopener noreferrer">
      {t('temporal')} ↗
    </a>
  );
}

export function LiveBadge({
  at,
  paused,
  onToggle,
}: {
  at: Date | undefined;
  paused: boolean;
  onToggle: () => void;
}) {
  const { lang, t } = useI18n();
  const time = at
    ? at.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour12: false })
    : '…';
  return (
    <button
      type="button"
      class={paused ? 'live paused' : 'live'}
      onClick={onToggle}
      data-testid="live"
    >
      <i /> {paused ? t('paused') : t('live')} · {t('updatedAt', { time })}
    </button>
  );
}
