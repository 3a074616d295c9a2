/**
 * Who a unit's notifications reach: its e-mail contacts (added and removed here by the unit
 * or the admin), its recent e-mails with their status, and the units in the caller's subtree
 * nobody is told about ("not reachable").
 */
import { useState } from 'preact/hooks';
import {
  addContact,
  loadContacts,
  loadDeliveries,
  loadNames,
  loadUnreachable,
  nameOf,
  removeContact,
} from '../api/data';
import type { Contact, EmailDelivery, MailStatus } from '../api/types';
import { fmtDateTime } from '../format';
import { useLoad } from '../hooks';
import { useI18n, word, type MessageId } from '../i18n';
import { href } from '../router';
import { canActAs, useSession } from '../session';
import { ErrorBox, Section } from '../ui/common';

const value = (e: Event) => (e.target as HTMLInputElement).value;

/** "đã gửi 07:30 25/11/2026", "chờ gửi, từ …", "bị từ chối: 550 …". */
export function MailStatusText({
  d,
}: {
  d: Pick<EmailDelivery, 'status' | 'sentAt' | 'notBefore' | 'lastError'>;
}) {
  const { lang, t } = useI18n();
  const time = fmtDateTime(lang, d.status === 'SENT' ? d.sentAt : d.notBefore);
  const text = t(`mail_${d.status as MailStatus}` as MessageId, { time });
  return (
    <span class={`mail mail-${d.status.toLowerCase()}`}>
      {text}
      {d.lastError && d.status !== 'SENT' ? <small class="muted"> ({d.lastError})</small> : null}
    </span>
  );
}

function ContactForm({ unit, onDone }: { unit: string; onDone: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    name: '',
    email: '',
    language: 'vi' as Contact['language'],
    delivery: 'each' as Contact['delivery'],
  });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await addContact(unit, form);
      setForm({ ...form, name: '', email: '' });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="action" data-testid="form-contact" onSubmit={submit}>
      <h3>{t('addContact')}</h3>
      <label>
        {t('contactName')}
        <input
          name="name"
          required
          value={form.name}
          onInput={(e) => setForm({ ...form, name: value(e) })}
        />
      </label>
      <label>
        {t('email')}
        <input
          name="email"
          type="email"
          required
          value={form.email}
          onInput={(e) => setForm({ ...form, email: value(e) })}
        />
      </label>
      <label>
        {t('language')}
        <select
          name="language"
          value={form.language}
          onChange={(e) => setForm({ ...form, language: value(e) as Contact['language'] })}
        >
          <option value="vi">Tiếng Việt</option>
          <option value="en">English</option>
        </select>
      </label>
      <label>
        {t('deliveryMode')}
        <select
          name="delivery"
          value={form.delivery}
          onChange={(e) => setForm({ ...form, delivery: value(e) as Contact['delivery'] })}
        >
          {(['each', 'digest', 'both'] as const).map((d) => (
            <option value={d}>{t(`delivery_${d}`)}</option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      <button type="submit">{t('addContact')}</button>
    </form>
  );
}

function Contacts({ unit }: { unit: string }) {
  const { t } = useI18n();
  const session = useSession();
  const contacts = useLoad(async (signal) => {
    const [list] = await Promise.all([
      loadContacts(unit, { signal }),
      loadNames([unit], { signal }),
    ]);
    return list;
  }, `contacts:${unit}`);
  const [error, setError] = useState<unknown>(null);
  const mayChange = canActAs(session, unit, 'leader');
  const items = contacts.data?.items ?? [];
  return (
    <Section title={`${t('contacts')} — ${nameOf(unit)}`}>
      <ErrorBox error={contacts.error ?? error} />
      {contacts.data && !items.length ? (
        <p class="warn" data-testid="no-contacts">
          {t('contactsEmpty')}
        </p>
      ) : null}
      {items.length ? (
        <table class="list" data-testid="contacts">
          <thead>
            <tr>
              <th>{t('contactName')}</th>
              <th>{t('email')}</th>
              <th>{t('language')}</th>
              <th>{t('deliveryMode')}</th>
              {mayChange ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr>
                <td>{c.name}</td>
                <td>{c.email}</td>
                <td>{c.language === 'en' ? 'English' : 'Tiếng Việt'}</td>
                <td>{t(`delivery_${c.delivery}`)}</td>
                {mayChange ? (
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick={() => removeContact(unit, c.id).then(contacts.reload, setError)}
                    >
                      {t('remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {mayChange ? <ContactForm unit={unit} onDone={contacts.reload} /> : null}
    </Section>
  );
}

function Deliveries({ unit }: { unit: string }) {
  const { lang, t } = useI18n();
  const deliveries = useLoad(
    (signal) => loadDeliveries(unit, { signal }),
    `deliveries:${unit}`,
    10_000,
  );
  const items = deliveries.data?.items ?? [];
  return (
    <Section title={t('deliveries')}>
      <ErrorBox error={deliveries.error} />
      {deliveries.data && !items.length ? <p class="muted">{t('deliveriesEmpty')}</p> : null}
      {items.length ? (
        <table class="list" data-testid="deliveries">
          <thead>
            <tr>
              <th>{t('fired')}</th>
              <th>{t('mailKind')}</th>
              <th>{t('email')}</th>
              <th>{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr>
                <td>{fmtDateTime(lang, d.firedAt)}</td>
                <td>{word(lang, d.kind)}</td>
                <td>{d.email ?? '—'}</td>
                <td>
                  <MailStatusText d={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

function Unreachable({ under }: { under?: string }) {
  const { lang, t } = useI18n();
  const list = useLoad(
    (signal) => loadUnreachable(under, { signal }),
    `unreachable:${under ?? ''}`,
    30_000,
  );
  const items = list.data?.items ?? [];
  return (
    <Section title={`${t('unreachable')}${list.data ? ` (${list.data.total})` : ''}`}>
      <p class="muted">{t('unreachableHelp')}</p>
      <ErrorBox error={list.error} />
      {list.data && !items.length ? <p class="ok">{t('unreachableNone')}</p> : null}
      {items.length ? (
        <ul class="unreachable" data-testid="unreachable">
          {items.map((u) => (
            <li>
              <a href={href.people(u.code)}>{u.name}</a>{' '}
              <small class="muted">({word(lang, u.level)})</small>
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

export function PeopleView({ unit }: { unit?: string }) {
  return (
    <>
      {unit ? <Contacts unit={unit} /> : null}
      {unit ? <Deliveries unit={unit} /> : null}
      <Unreachable {...(unit ? { under: unit } : {})} />
    </>
  );
}
