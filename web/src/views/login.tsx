/**
 * Signing in: people with their official account through the sign-in provider (the
 * button, when the API offers sign-in), machines and the administrator with an access
 * token (kept in sessionStorage for the browser session). A refused sign-in comes back as
 * `?signin=<reason>`, explained here.
 */
import { useState } from 'preact/hooks';
import { tokenStore } from '../api/client';
import { loadSession } from '../api/data';
import type { Session } from '../api/types';
import { useI18n, type MessageId } from '../i18n';
import { ErrorBox } from '../ui/common';

const REASONS = ['UNAVAILABLE', 'EXPIRED', 'CANCELLED', 'NO_UNIT', 'NO_ROLE', 'NOT_RECORDED', 'NO_EMAIL', 'FAILED'] as const;

function refusal(): MessageId | null {
  const reason = new URLSearchParams(location.search).get('signin');
  if (!reason) return null;
  return `signInFailed_${(REASONS as readonly string[]).includes(reason) ? reason : 'FAILED'}` as MessageId;
}

export function Login({ onSignedIn, signIn }: { onSignedIn: (s: Session) => void; signIn: boolean }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const refused = refusal();
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
  const tokenForm = (
    <form class="login-token" onSubmit={submit}>
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
  return (
    <section class="card login">
      <h1>{t('signIn')}</h1>
      {refused ? (
        <p class="error" role="alert" data-testid="signin-refused">
          {t(refused)}
        </p>
      ) : null}
      {signIn ? (
        <>
          <p class="muted">{t('signInHelp')}</p>
          <a class="button" href="/auth/login" data-testid="sign-in-oidc">
            {t('signInWithAccount')}
          </a>
          <details class="token-sign-in">
            <summary>{t('useToken')}</summary>
            {tokenForm}
          </details>
        </>
      ) : (
        tokenForm
      )}
    </section>
  );
}
