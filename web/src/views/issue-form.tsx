/**
 * Issue a directive and start its cascade (POST /directives): the issuer's own unit (the
 * admin names the issuer), recipients among its children (default: all), and a policy with
 * the acknowledgement and concretization deadlines, the report due date and the escalation
 * ladder. Refusals (a duplicate number, a deadline below the server's minimum) in plain words.
 */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, request } from '../api/client';
import { loadUnit } from '../api/data';
import { dateToIso, todayVn } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { href } from '../router';
import { useSession } from '../session';
import { ErrorBox } from '../ui/common';
import { RecipientsFieldset, useRecipients } from '../ui/recipients';

const KINDS = [
  'Công văn',
  'Kế hoạch',
  'Chỉ thị',
  'Quyết định',
  'Hướng dẫn',
  'Kết luận',
  'Thông báo',
];
const value = (e: Event) => (e.target as HTMLInputElement).value;

export function IssueForm() {
  const { t } = useI18n();
  const session = useSession();
  const [issuer, setIssuer] = useState(session.unit?.code ?? '');
  const children = useLoad(
    (signal) =>
      issuer ? loadUnit(issuer, { signal }).then((u) => u.children) : Promise.resolve([]),
    `issue-children:${issuer}`,
  );
  const kids = children.data ?? [];
  const [f, setF] = useState({
    number: '',
    kind: KINDS[0]!,
    title: '',
    date: todayVn(),
    basedOn: '',
    body: '',
    ackWithin: 'P2D',
    concretizeWithin: 'P10D',
    reportDue: '',
    calendar: 'vn-working-days',
    remind: 'PT0S',
    notifyParent: 'P2D',
    toIssuer: 'P5D',
  });
  const recipients = useRecipients();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: value(e) });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const ladder = [
      { after: f.remind, action: 'remind' },
      { after: f.notifyParent, action: 'notify_parent' },
      { after: f.toIssuer, action: 'escalate_to_issuer' },
    ].filter((s) => s.after.trim());
    try {
      const out = await request<{ id: string }>('/directives', {
        method: 'POST',
        idempotencyKey: newIdempotencyKey(),
        body: {
          number: f.number.trim(),
          kind: f.kind,
          title: f.title.trim(),
          issuerCode: issuer.trim(),
          issuedAt: dateToIso(f.date),
          basedOn: f.basedOn
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          ...(f.body.trim() ? { body: f.body.trim() } : {}),
          ...recipients.request(),
          policy: {
            ackWithin: f.ackWithin.trim(),
            ...(f.concretizeWithin.trim() ? { concretizeWithin: f.concretizeWithin.trim() } : {}),
            ...(f.reportDue ? { reportDueAt: f.reportDue } : {}),
            calendar: f.calendar,
            escalation: ladder.map((s) => ({ ...s, after: s.after.trim() })),
          },
        },
      });
      location.hash = href.directive(out.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="action issue" data-testid="form-issue" onSubmit={submit}>
      <div class="row">
        {session.kind === 'admin' ? (
          <label>
            {t('issuer')}
            <input
              name="issuerCode"
              required
              value={issuer}
              onInput={(e) => setIssuer(value(e))}
              placeholder="TTCS"
            />
          </label>
        ) : null}
        <label>
          {t('docNumber')}
          <input
            name="number"
            required
            value={f.number}
            onInput={set('number')}
            placeholder="523/TTCS-TT"
          />
        </label>
        <label>
          {t('kind')}
          <select name="kind" value={f.kind} onChange={set('kind')}>
            {KINDS.map((k) => (
              <option value={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          {t('docDate')}
          <input name="issuedAt" type="date" required value={f.date} onInput={set('date')} />
        </label>
      </div>
      <label>
        {t('docTitle')}
        <input name="title" required value={f.title} onInput={set('title')} />
      </label>
      <label>
        {t('basedOn')}
        <input
          name="basedOn"
          value={f.basedOn}
          onInput={set('basedOn')}
          placeholder="164-HD/BTGTW, 70-KL/TW"
        />
      </label>
      <label>
        {t('body')}
        <textarea name="body" rows={2} value={f.body} onInput={set('body')} />
      </label>
      <fieldset>
        <legend>{t('policy')}</legend>
        <div class="row">
          <label>
            {t('ackWithin')}
            <input name="ackWithin" required value={f.ackWithin} onInput={set('ackWithin')} />
          </label>
          <label>
            {t('concretizeWithin')}
            <input
              name="concretizeWithin"
              value={f.concretizeWithin}
              onInput={set('concretizeWithin')}
            />
          </label>
          <label>
            {t('reportDue')}
            <input name="reportDueAt" type="date" value={f.reportDue} onInput={set('reportDue')} />
          </label>
          <label>
            {t('calendar')}
            <select name="calendar" value={f.calendar} onChange={set('calendar')}>
              <option value="vn-working-days">{t('workingDays')}</option>
              <option value="none">{t('plainTime')}</option>
            </select>
          </label>
        </div>
        <div class="row">
          <label>
            {t('ladderRemind')}
            <input name="remind" value={f.remind} onInput={set('remind')} />
          </label>
          <label>
            {t('ladderParent')}
            <input name="notifyParent" value={f.notifyParent} onInput={set('notifyParent')} />
          </label>
          <label>
            {t('ladderIssuer')}
            <input name="toIssuer" value={f.toIssuer} onInput={set('toIssuer')} />
          </label>
        </div>
        <p class="muted small">{t('durationsHelp')}</p>
      </fieldset>
      <RecipientsFieldset units={kids} {...recipients.field} />
      <ErrorBox error={error} />
      <button type="submit" disabled={busy}>
        {t('issue')}
      </button>
    </form>
  );
}
