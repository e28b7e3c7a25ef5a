import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { setSessionEndedHandler } from './api/client.ts';
import { toUiError } from './api/errors.ts';
import { syncQueriesWithLive } from './api/live-sync.ts';
import { sessionQuery } from './api/queries.ts';
import { endSession, useSignOut } from './api/session-mutations.ts';
import type { Permission, StaffUser } from './api/types.ts';
import { ErrorSummary, PageHeading, focusById } from './components.tsx';
import { humanize } from './format.ts';
import { useHeartbeat } from './heartbeat.ts';
import { KeyboardShortcuts } from './keyboard/Shortcuts.tsx';
import { LiveClient, LiveContext, liveUrl, type LiveContextValue, type LiveStatus } from './live.ts';
import { hasPermission } from './permissions.ts';
import { routeHref, useRoute, type Route } from './router.ts';
import { adminScreenAt, firstAdminPath, isAdminPath } from './screens/admin/AdminNav.tsx';
import { AlertsBanner } from './screens/Alerts.tsx';
import { AuditScreen } from './screens/Audit.tsx';
import { ChangePasswordScreen, ForcedPasswordChangeScreen } from './screens/ChangePassword.tsx';
import { ContactScreen } from './screens/Contact.tsx';
import { FindContactsScreen } from './screens/FindContacts.tsx';
import { JobsScreen } from './screens/Jobs.tsx';
import { LoginScreen } from './screens/Login.tsx';
import { OutboxScreen } from './screens/Outbox.tsx';
import { PresenceControl } from './screens/Presence.tsx';
import { QueueScreen } from './screens/Queue.tsx';
import { RulesScreen } from './screens/Rules.tsx';
import { StaffScreen } from './screens/Staff.tsx';
import { ONLINE_REPORTS_PATH, OnlineReportsScreen } from './screens/online-reports/OnlineReports.tsx';
import { SupervisorScreen } from './screens/Supervisor.tsx';
import { VICTIM_UPDATES_PATH, VictimUpdatesScreen } from './screens/VictimUpdates.tsx';
import { PrintQueueScreen } from './screens/print-queue/PrintQueue.tsx';
import { PRINT_QUEUE_PATH, parsePrintQueuePath } from './screens/print-queue/print-queue-routes.ts';
import { parseDispatchPath } from './screens/dispatch/dispatch-routes.ts';
import { parseCasePath } from './screens/cases/case-routes.ts';
import { RESPONSE_REPORT_PATH, ResponseReportScreen } from './screens/reports/ResponseReport.tsx';
import { CasesScreens } from './screens/cases/CasesScreens.tsx';
import { landingHash } from './screens/cases/landing.ts';
import { DispatchScreens } from './screens/dispatch/DispatchScreens.tsx';

/** Signs out; `goOffline` first sets the person offline, for someone who works the queue. */
type SignOut = (goOffline: boolean) => Promise<void>;

export function App() {
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery);
  const signOutMutation = useSignOut();
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    setSessionEndedHandler(() => {
      endSession(queryClient);
      setNotice('Your session has ended. Sign in again.');
    });
    return () => setSessionEndedHandler(null);
  }, [queryClient]);

  const { mutateAsync: signOutAsync } = signOutMutation;
  const signOut = useCallback<SignOut>(
    async (goOffline) => {
      await signOutAsync({ goOffline });
      setNotice('You have signed out.');
    },
    [signOutAsync],
  );

  if (session.data === undefined) {
    if (session.isPending) {
      return (
        <main id="main-content" className="login" tabIndex={-1}>
          <p className="loading">Loading…</p>
        </main>
      );
    }
    return (
      <main id="main-content" className="login" tabIndex={-1}>
        <div className="login__panel">
          <h1 className="page-heading">Console unavailable</h1>
          <ErrorSummary error={toUiError(session.error)} />
          <button type="button" className="button" onClick={() => void session.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (session.data === null) return <LoginScreen notice={notice} />;
  const { user } = session.data;
  if (user.mustChangePassword) {
    // The server refuses everything else until the one-time password is changed.
    return <ForcedPasswordChangeScreen name={user.name} onSignOut={() => void signOut(false)} />;
  }
  // A different person signing in starts afresh: their own live socket, nothing of the last one's.
  return <SignedIn key={user.id} user={user} onSignOut={signOut} />;
}

function SignedIn({ user, onSignOut }: { user: StaffUser; onSignOut: SignOut }) {
  // Before the first route is read: someone whose day is not the queue lands on their own screen.
  useState(() => landingHash(user));
  const route = useRoute();
  const queryClient = useQueryClient();
  const [client] = useState(() => new LiveClient(liveUrl()));
  const [status, setStatus] = useState<LiveStatus>(client.status);
  const worksQueue = hasPermission(user, 'queue:work');
  useHeartbeat(worksQueue);

  useEffect(() => {
    const off = client.onStatus(setStatus);
    const stopSync = syncQueriesWithLive(client, queryClient);
    client.start();
    setStatus(client.status);
    return () => {
      stopSync();
      off();
      client.stop();
    };
  }, [client, queryClient]);

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
      <Header user={user} status={status} onSignOut={() => onSignOut(worksQueue)} route={route} />
      {hasPermission(user, 'routing:supervise') && <AlertsBanner />}
      <main id="main-content" tabIndex={-1} className="main">
        <Screen route={route} user={user} />
      </main>
      <KeyboardShortcuts user={user} route={route} />
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
const FIND_PATH = '/contacts';

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
  onSignOut,
}: {
  user: StaffUser;
  status: LiveStatus;
  route: Route;
  onSignOut: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const current = route.name === 'contact' ? 'queue' : route.name;
  const adminPath = firstAdminPath(user);
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
        {hasPermission(user, 'queue:work') && <PresenceControl />}
        <p className="user" data-testid="current-user">
          <span className="user__name">{user.name}</span>
          <span className="user__detail">
            {humanize(user.role)} · {user.forceName} · <a href={`#${PASSWORD_PATH}`}>Change password</a> · press <kbd>?</kbd> for
            keyboard shortcuts
          </span>
        </p>
        <button
          type="button"
          className="button button--header"
          aria-disabled={busy}
          onClick={() => {
            if (busy) return;
            setBusy(true);
            void onSignOut();
          }}
        >
          Sign out
        </button>
      </div>
      <nav aria-label="Main" className="nav">
        <ul>
          {NAV.filter((item) => hasPermission(user, item.permission)).map((item) => (
            <li key={item.route.name}>
              <a href={routeHref(item.route)} aria-current={current === item.route.name ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
          {hasPermission(user, 'cases:read') && (
            <li>
              <a href={`#${VICTIM_UPDATES_PATH}`} aria-current={route.name === 'notFound' && route.path === VICTIM_UPDATES_PATH ? 'page' : undefined}>
                Victim updates due
              </a>
            </li>
          )}
          {hasPermission(user, 'incidents:read') && (
            <li>
              <a href="#/dispatch" aria-current={route.name === 'notFound' && parseDispatchPath(route.path) ? 'page' : undefined}>
                Dispatch
              </a>
            </li>
          )}
          {hasPermission(user, 'cases:read') && (
            <li>
              <a href="#/cases" aria-current={route.name === 'notFound' && parseCasePath(route.path) ? 'page' : undefined}>
                My cases
              </a>
            </li>
          )}
          {hasPermission(user, 'contacts:read') && (
            <li>
              <a href={`#${FIND_PATH}`} aria-current={route.name === 'notFound' && route.path === FIND_PATH ? 'page' : undefined}>
                Find contacts
              </a>
            </li>
          )}
          {hasPermission(user, 'cases:read') && (
            <li>
              <a href={`#${ONLINE_REPORTS_PATH}`} aria-current={route.name === 'notFound' && route.path === ONLINE_REPORTS_PATH ? 'page' : undefined}>
                Online reports
              </a>
            </li>
          )}
          {hasPermission(user, 'cases:read') && (
            <li>
              <a href={`#${PRINT_QUEUE_PATH}`} aria-current={route.name === 'notFound' && parsePrintQueuePath(route.path) ? 'page' : undefined}>
                Print queue
              </a>
            </li>
          )}
          {hasPermission(user, 'rules:manage') && (
            <li>
              <a href={RULES_HREF} aria-current={route.name === 'notFound' && route.path === RULES_PATH ? 'page' : undefined}>
                Triage rules
              </a>
            </li>
          )}
          {hasPermission(user, 'staff:manage') && (
            <li>
              <a href={`#${STAFF_PATH}`} aria-current={route.name === 'notFound' && route.path === STAFF_PATH ? 'page' : undefined}>
                Staff
              </a>
            </li>
          )}
          {hasPermission(user, 'reports:read') && (
            <li>
              <a href={`#${RESPONSE_REPORT_PATH}`} aria-current={route.name === 'notFound' && route.path.split('?')[0] === RESPONSE_REPORT_PATH ? 'page' : undefined}>
                Response report
              </a>
            </li>
          )}
          {adminPath && (
            <li>
              <a href={`#${adminPath}`} aria-current={route.name === 'notFound' && isAdminPath(route.path) ? 'page' : undefined}>
                Administration
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
      return hasPermission(user, 'contacts:read') ? <QueueScreen /> : <NoAccess />;
    case 'contact':
      return hasPermission(user, 'contacts:read') ? <ContactScreen key={route.id} id={route.id} user={user} /> : <NoAccess />;
    case 'supervisor':
      return hasPermission(user, 'routing:supervise') ? <SupervisorScreen /> : <NoAccess />;
    case 'outbox':
      return hasPermission(user, 'outbox:read') ? <OutboxScreen canSendAgain={hasPermission(user, 'outbox:send_again')} canWithdraw={hasPermission(user, 'outbox:withdraw')} /> : <NoAccess />;
    case 'jobs':
      return hasPermission(user, 'jobs:manage') ? <JobsScreen /> : <NoAccess />;
    case 'audit':
      return hasPermission(user, 'audit:verify') ? <AuditScreen /> : <NoAccess />;
    case 'notFound': {
      // The rules screen lives at #/admin/rules without a Route of its own (router.ts is shared).
      if (route.path === RULES_PATH) return hasPermission(user, 'rules:manage') ? <RulesScreen /> : <NoAccess />;
      if (route.path === STAFF_PATH) return hasPermission(user, 'staff:manage') ? <StaffScreen currentUserId={user.id} /> : <NoAccess />;
      if (route.path === PASSWORD_PATH) return <ChangePasswordScreen />;
      if (route.path === ONLINE_REPORTS_PATH) return hasPermission(user, 'cases:read') ? <OnlineReportsScreen canAct={hasPermission(user, 'cases:investigate')} /> : <NoAccess />;
      if (route.path === FIND_PATH) return hasPermission(user, 'contacts:read') ? <FindContactsScreen /> : <NoAccess />;
      if (route.path.split('?')[0] === RESPONSE_REPORT_PATH) return hasPermission(user, 'reports:read') ? <ResponseReportScreen /> : <NoAccess />;
      if (route.path === VICTIM_UPDATES_PATH) return hasPermission(user, 'cases:read') ? <VictimUpdatesScreen /> : <NoAccess />;
      const printQueue = parsePrintQueuePath(route.path);
      if (printQueue) {
        return hasPermission(user, 'cases:read') ? (
          <PrintQueueScreen route={printQueue} canMark={hasPermission(user, 'cases:investigate')} canWithdraw={hasPermission(user, 'outbox:withdraw')} />
        ) : (
          <NoAccess />
        );
      }
      const admin = adminScreenAt(route.path, user, <NoAccess />);
      if (admin !== undefined) return admin;
      return <DispatchOrNotFound path={route.path} user={user} />;
    }
  }
}

/** The dispatcher's screens (#/dispatch, #/incidents/…) parse their own paths; anything else is not found. */
function DispatchOrNotFound({ path, user }: { path: string; user: StaffUser }) {
  const dispatch = parseDispatchPath(path);
  if (dispatch) return <DispatchScreens route={dispatch} user={user} />;
  const cases = parseCasePath(path);
  if (cases) return <CasesScreens route={cases} user={user} />;
  return (
    <>
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>
        There is no page at this address. <a href="#/queue">Go to the queue</a>.
      </p>
    </>
  );
}

function NoAccess() {
  return (
    <>
      <PageHeading title="No access">You do not have access to this page</PageHeading>
      <p>Your role does not include permission to view this page. Ask your force administrator if you need it.</p>
    </>
  );
}
