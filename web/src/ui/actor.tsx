/** Who took an action, as the timeline, reports and extension decisions show it. */
import type { Actor } from '../api/types';
import { nameOf } from '../api/data';
import { useI18n, word, type Lang } from '../i18n';

/** "Nguyễn Văn A (Văn thư) — Sở Thông tin và Truyền thông"; the admin is named by its role only. */
export function actorWords(lang: Lang, by: Actor): string {
  const role = word(lang, `role_${by.role}`);
  const who = by.kind === 'admin' ? role : `${by.name} (${role})`;
  return by.unitCode ? `${who} — ${nameOf(by.unitCode)}` : who;
}

/** The actor, with the person's position (chức vụ) on hover; nothing when nobody is named. */
export function ActorText({ by }: { by: Actor | null | undefined }) {
  const { lang } = useI18n();
  if (!by) return null;
  return (
    <span class="actor" data-testid="actor" title={by.position ?? undefined}>
      {actorWords(lang, by)}
    </span>
  );
}
