/** The shell: sign-in gate, header (who, language, navigation) and the routed view. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { setCsrfToken, setUnauthorizedHandler, tokenStore } from './api/client';
import { loadSession, signInStatus, signOutSession } from './api/data';
import type { Session } from './api/types';
import { LangContext, saveLang, savedLang, translator, word, type Lang } from './i18n';
import { href, useRoute } from './router';
import { SessionContext } from './session';
import { ErrorBox } from './ui/common';
import { AssignmentView } from './views/assignment';
import { DirectiveList } from './views/directive-list';
import { DirectiveView } from './views/directive';
import { DocumentReader } from './views/document-reader';
import { InboxView } from './views/inbox';
import { PeopleView } from './views/people';
import { Login } from './views/login';

/** The session while it is being read: no unit, so no action is offered yet. */
const PENDING: Session = { kind: 'unit', unit: null, temporalUi: '' };

export function App() {
  const [lang, setLang] = useState<Lang>(savedLang);
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  // With a stored token the view renders at once (its reads start in parallel with the
  // session's); until the session answers, nobody may act and the header is blank. Without
  // one, the sign-in session (cookie) is asked for first.
  const [session, setSession] = useState<Session | null>(() => (tokenStore.get() ? PENDING : null));
  const [checking, setChecking] = useState(() => !tokenStore.get());
  const [signIn, setSignIn] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const route = useRoute();

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('appTitle');
  }, [lang]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      tokenStore.clear();
      setSession(null);
    });
    const failed = (err: unknown) => {
      setError(err);
      setSession(null);
    };
    if (tokenStore.get()) {
      loadSession().then(setSession, failed);
      return;
    }
    signInStatus()
      .then(async (status) => {
        setSignIn(status.signIn);
        if (!status.signedIn) return;
        setCsrfToken(status.csrfToken ?? null);
        setSession(await loadSession());
      })
      .catch(failed)
      .finally(() => setChecking(false));
  }, []);

  const switchLang = (next: Lang) => {
    saveLang(next);
    setLang(next);
  };
  const signOut = async () => {
    if (tokenStore.get()) {
      tokenStore.clear();
      setSession(null);
      location.hash = '#/';
      return;
    }
    // The provider's own session ends too, or the next sign-in would not ask for a password.
    const endSession = await signOutSession();
    setCsrfToken(null);
    setSession(null);
    location.href = endSession ?? '/dashboard/';
  };
  const t = i18n.t;

  return (
    <LangContext.Provider value={i18n}>
      <header class="top">
        <a class="brand" href={href.directives()}>
          {t('appTitle')}
        </a>
        {session ? (
          <nav>
            <a href={href.directives()}>{t('directives')}</a>
            {session.unit ? <a href={href.inbox(session.unit.code)}>{t('inbox')}</a> : null}
            <a href={href.people(session.unit?.code)}>{t('notifications')}</a>
            <a href={href.read()}>{t('readDocument')}</a>
          </nav>
        ) : null}
        <span class="spacer" />
        <span class="langs" role="group" aria-label="Ngôn ngữ / Language">
          <button type="button" class={lang === 'vi' ? 'on' : ''} onClick={() => switchLang('vi')}>
            Tiếng Việt
          </button>
          <button type="button" class={lang === 'en' ? 'on' : ''} onClick={() => switchLang('en')}>
            English
          </button>
        </span>
        {session && session !== PENDING ? (
          <span class="who" data-testid="who">
            {session.person ? (
              <span data-testid="person">
                {session.person.name}
                {session.roles?.length && session.kind === 'unit'
                  ? ` (${session.roles.includes('leader') ? word(lang, 'role_leader') : session.roles.map((r) => word(lang, `role_${r}`)).join(', ')})`
                  : ''}
                {' · '}
              </span>
            ) : null}
            {session.unit ? `${session.unit.name} (${word(lang, session.unit.level)})` : t('admin')}
            <button type="button" class="link" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          </span>
        ) : null}
      </header>
      <main>
        {checking ? (
          <p class="muted">{t('loading')}</p>
        ) : !session ? (
          <>
            <ErrorBox error={error} />
            <Login onSignedIn={(s) => setSession(s)} signIn={signIn} />
          </>
        ) : (
          <SessionContext.Provider value={session}>
            {route.name === 'directive' ? (
              <DirectiveView id={route.id} mapParent={route.mapParent} />
            ) : route.name === 'assignment' ? (
              <AssignmentView id={route.id} unit={route.unit} />
            ) : route.name === 'inbox' ? (
              <InboxView unit={route.unit} />
            ) : route.name === 'people' ? (
              <PeopleView unit={route.unit} />
            ) : route.name === 'read' ? (
              <DocumentReader />
            ) : (
              <DirectiveList />
            )}
          </SessionContext.Provider>
        )}
      </main>
    </LangContext.Provider>
  );
}
