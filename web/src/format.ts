/** Dates and durations as offices read them: Vietnam time, day first. */
import type { Lang } from './i18n';

const TZ = 'Asia/Ho_Chi_Minh';
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}:${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: TZ,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

export const fmtDate = (lang: Lang, iso: string | null | undefined): string =>
  iso ? formatter(lang, false).format(new Date(iso)) : '—';
export const fmtDateTime = (lang: Lang, iso: string | null | undefined): string =>
  iso ? formatter(lang, true).format(new Date(iso)) : '—';

/** "3 phút" / "2 h 5 min": a span in the largest two units. */
export function fmtSpan(lang: Lang, ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const units: Array<[number, string, string]> = [
    [86_400, 'ngày', 'd'],
    [3600, 'giờ', 'h'],
    [60, 'phút', 'min'],
    [1, 'giây', 's'],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [size, viName, enName] of units) {
    if (rest >= size || (size === 1 && parts.length === 0)) {
      const n = Math.floor(rest / size);
      rest -= n * size;
      parts.push(`${n} ${lang === 'vi' ? viName : enName}`);
      if (parts.length === 2) break;
    }
  }
  return parts.join(' ');
}

/** Today as YYYY-MM-DD in Vietnam. */
export const todayVn = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());

/** A date input (YYYY-MM-DD) as the API's datetime: 08:00 that day in Vietnam. */
export const dateToIso = (date: string): string => `${date}T08:00:00+07:00`;

/** A datetime-local input (Vietnam time) as an ISO datetime with the +07:00 offset. */
export const localToIso = (local: string): string =>
  `${local.length === 16 ? `${local}:00` : local}+07:00`;
