import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, fetchSession, logout, setCsrfToken, setMyPresence, setUnauthorizedHandler, toUiError, type UiError } from './api';
import { ErrorSummary, PageHeading, focusById } from './components';
import { humanize } from './format';
import { useHeartbeat } from './hooks';
import { LiveClient, LiveContext, liveUrl, type LiveContextValue, type LiveStatus } from './live';
import { routeHref, useRoute, type Route } from './router';
import { AlertsBanner } from './screens/Alerts';
import { AuditScreen } from './screens/Audit';
import { ChangePasswordScreen, ForcedPasswordChangeScreen } from './screens/ChangePassword';
import { ContactScreen } from './screens/Contact';
import { JobsScreen } from './screens/Jobs';
import { LoginScreen } from './screens/Login';
import { OutboxScreen } from './screens/Outbox';
import { PresenceControl } from './screens/Presence';
import { QueueScreen } from './screens/Queue';
import { RulesScreen } from './screens/Rules';
import { StaffScreen } from './screens/Staff';
import { SupervisorScreen } from './screens/Supervisor';
import { can, hasPermission, type Permission, type Session, type StaffUser } from './types';

type AuthState =
  | { kind: 'loading' }
  | { kind: 'unavailable'; error: UiError }
  | { kind: 'signedOut'; notice: string | null }
  | { kind: 'signedIn'; session: Session };

export function App() {
  const [auth, setAuth] = useState<AuthState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setAuth({ kind: 'signedOut', notice: 'Your session has ended. Sign in again.' });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    fetchSession(controller.signal).then(
      (session) => {
        setCsrfToken(session.csrfToken);
        setAuth({ kind: 'signedIn', session });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) setAuth({ kind: 'signedOut', notice: null });
        else setAuth({ kind: 'unavailable', error: toUiError(err) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const onLogin = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setAuth({ kind: 'signedIn', session });
  }, []);

  const onLogout = useCallback(async () => {
    try {
      await logout();
    } catch {
      // The session is dropped locally either way.
    }
    setCsrfToken(null);
    setAuth({ kind: 'signedOut', notice: 'You have signed out.' });
  }, []);

  if (auth.kind === 'loading') {
    return (
      <main id="main-content" className="login" tabIndex={-1}>
        <p className="loading">Loading…</p>
      </main>
    );
  }
  if (auth.kind === 'unavailable') {
    return (
      <main id="main-content" className="login" tabIndex={-1}>
        <div className="login__panel">
          <h1 className="page-heading">Console unavailable</h1>
          <ErrorSummary error={auth.error} />
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (auth.kind === 'signedOut') return <LoginScreen onLogin={onLogin} notice={auth.notice} />;
  if (auth.session.user.mustChangePassword) {
    // The server refuses everything else until the one-time password is changed.
    return <ForcedPasswordChangeScreen name={auth.session.user.name} onChanged={() => setAttempt((n) => n + 1)} onSignOut={() => void onLogout()} />;
  }
  return <SignedIn user={auth.session.user} onLogout={onLogout} />;
}

/** How long signing out waits to set the person offline before it goes ahead anyway. */
const SIGN_OUT_OFFLINE_TIMEOUT_MS = 3_000;

function SignedIn({ user, onLogout }: { user: StaffUser; onLogout: () => Promise<void> }) {
  const route = useRoute();
  const client = useMemo(() => new LiveClient(liveUrl()), [user.id]);
  const [status, setStatus] = useState<LiveStatus>(client.status);
  const worksQueue = can(user, 'queue:work');
  useHeartbeat(worksQueue);

  // Someone who signs out is no longer there to take work: going offline returns what they hold
  // to the queue at once, rather than when their silent console is noticed.
  const signOut = useCallback(async () => {
    if (worksQueue) {
      try {
        await setMyPresence('offline', AbortSignal.timeout(SIGN_OUT_OFFLINE_TIMEOUT_MS));
      } catch {
        // Best effort: signing out must not depend on it.
      }
    }
    await onLogout();
  }, [worksQueue, onLogout]);

  useEffect(() => {
    const off = client.onStatus(setStatus);
    client.start();
    setStatus(client.status);
    return () => {
      off();
      client.stop();
    };
  }, [client]);

  const subscribe = useCallback<LiveContextValue['subscribe']>((listener) => client.subscribe(listener), [client]);
  const live = useMemo<LiveContextValue>(() => ({ status, subscribe }), [status, subscribe]);

  return (
    <LiveContext.Provider value={live}>
      <a
        href="#main-content"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          focusById('main-content');
        }}
      >
        Skip to main content
      </a>
      <Header user={user} status={status} onLogout={signOut} route={route} />
      {can(user, 'routing:supervise') && <AlertsBanner />}
      <main id="main-content" tabIndex={-1} className="main">
        <Screen route={route} user={user} />
      </main>
    </LiveContext.Provider>
  );
}

const NAV: ReadonlyArray<{ route: Route; label: string; permission: Permission }> = [
  { route: { name: 'queue' }, label: 'Queue', permission: 'contacts:read' },
  { route: { name: 'supervisor' }, label: 'Supervisor', permission: 'routing:supervise' },
  { route: { name: 'outbox' }, label: 'Outbox', permission: 'outbox:read' },
  { route: { name: 'jobs' }, label: 'Jobs', permission: 'jobs:manage' },
  { route: { name: 'audit' }, label: 'Audit', permission: 'audit:verify' },
];

const RULES_PATH = '/admin/rules';
const RULES_HREF = `#${RULES_PATH}`;
// Like the rules screen, these live without a Route of their own (router.ts is shared).
const STAFF_PATH = '/admin/staff';
const PASSWORD_PATH = '/account/password';

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

function Header({
  user,
  status,
  route,
  onLogout,
}: {
  user: StaffUser;
  status: LiveStatus;
  route: Route;
  onLogout: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const current = route.name === 'contact' ? 'queue' : route.name;
  return (
    <header className="site-header">
      <div className="site-header__bar">
        <p className="brand">
          Bluelamp <span className="brand__sub">Staff console</span>
        </p>
        <span className={`live live--${status}`} data-testid="live-status" data-state={status} title="Live queue updates">
          <span className="live__dot" aria-hidden="true" />
          {LIVE_TEXT[status]}
        </span>
        {can(user, 'queue:work') && <PresenceControl />}
        <p className="user" data-testid="current-user">
          <span className="user__name">{user.name}</span>
          <span className="user__detail">
            {humanize(user.role)} · {user.forceName} · <a href={`#${PASSWORD_PATH}`}>Change password</a>
          </span>
        </p>
        <button
          type="button"
          className="button button--header"
          aria-disabled={busy}
          onClick={() => {
            if (busy) return;
            setBusy(true);
            void onLogout();
          }}
        >
          Sign out
        </button>
      </div>
      <nav aria-label="Main" className="nav">
        <ul>
          {NAV.filter((item) => can(user, item.permission)).map((item) => (
            <li key={item.route.name}>
              <a href={routeHref(item.route)} aria-current={current === item.route.name ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
          {hasPermission(user, 'rules:manage') && (
            <li>
              <a href={RULES_HREF} aria-current={route.name === 'notFound' && route.path === RULES_PATH ? 'page' : undefined}>
                Triage rules
              </a>
            </li>
          )}
          {can(user, 'staff:manage') && (
            <li>
              <a href={`#${STAFF_PATH}`} aria-current={route.name === 'notFound' && route.path === STAFF_PATH ? 'page' : undefined}>
                Staff
              </a>
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}

function Screen({ route, user }: { route: Route; user: StaffUser }) {
  switch (route.name) {
    case 'queue':
      return can(user, 'contacts:read') ? <QueueScreen /> : <NoAccess />;
    case 'contact':
      return can(user, 'contacts:read') ? <ContactScreen key={route.id} id={route.id} user={user} /> : <NoAccess />;
    case 'supervisor':
      return can(user, 'routing:supervise') ? <SupervisorScreen /> : <NoAccess />;
    case 'outbox':
      return can(user, 'outbox:read') ? <OutboxScreen /> : <NoAccess />;
    case 'jobs':
      return can(user, 'jobs:manage') ? <JobsScreen /> : <NoAccess />;
    case 'audit':
      return can(user, 'audit:verify') ? <AuditScreen /> : <NoAccess />;
    case 'notFound':
      // The rules screen lives at #/admin/rules without a Route of its own (router.ts is shared).
      if (route.path === RULES_PATH) return hasPermission(user, 'rules:manage') ? <RulesScreen /> : <NoAccess />;
      if (route.path === STAFF_PATH) return can(user, 'staff:manage') ? <StaffScreen currentUserId={user.id} /> : <NoAccess />;
      if (route.path === PASSWORD_PATH) return <ChangePasswordScreen />;
      return (
        <>
          <PageHeading title="Page not found">Page not found</PageHeading>
          <p>
            There is no page at this address. <a href="#/queue">Go to the queue</a>.
          </p>
        </>
      );
  }
}

function NoAccess() {
  return (
    <>
      <PageHeading title="No access">You do not have access to this page</PageHeading>
      <p>Your role does not include permission to view this page. Ask your force administrator if you need it.</p>
    </>
  );
}
