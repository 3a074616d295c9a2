/** The shell: sign-in gate, header (who, language, navigation) and the routed view. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { setUnauthorizedHandler, tokenStore } from './api/client';
import { loadSession } from './api/data';
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
  // session's); until the session answers, nobody may act and the header is blank.
  const [session, setSession] = useState<Session | null>(() => (tokenStore.get() ? PENDING : null));
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
    if (!tokenStore.get()) return;
    loadSession().then(setSession, (err: unknown) => {
      setError(err);
      setSession(null);
    });
  }, []);

  const switchLang = (next: Lang) => {
    saveLang(next);
    setLang(next);
  };
  const signOut = () => {
    tokenStore.clear();
    setSession(null);
    location.hash = '#/';
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
            {session.unit ? `${session.unit.name} (${word(lang, session.unit.level)})` : t('admin')}
            <button type="button" class="link" onClick={signOut}>
              {t('signOut')}
            </button>
          </span>
        ) : null}
      </header>
      <main>
        {!session ? (
          <>
            <ErrorBox error={error} />
            <Login onSignedIn={(s) => setSession(s)} />
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
