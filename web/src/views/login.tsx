/** The token is entered once and kept in sessionStorage for the browser session. */
import { useState } from 'preact/hooks';
import { tokenStore } from '../api/client';
import { loadSession } from '../api/data';
import type { Session } from '../api/types';
import { useI18n } from '../i18n';
import { ErrorBox } from '../ui/common';

export function Login({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await loadSession(token.trim());
      tokenStore.set(token.trim());
      onSignedIn(session);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card login" onSubmit={submit}>
      <h1>{t('signIn')}</h1>
      <label>
        {t('tokenLabel')}
        <input
          type="password"
          name="token"
          autoComplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
      </label>
      <p class="muted">{t('tokenHelp')}</p>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy || !token.trim()}>
        {t('signIn')}
      </button>
    </form>
  );
}
