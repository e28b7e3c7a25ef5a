// The force admin's screens, one address each under #/admin/ (router.ts is shared, so these are
// matched here from the path the router could not place).
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { sessionQuery } from '../../api/queries.ts';
import type { Permission, StaffUser } from '../../api/types.ts';
import { hasPermission } from '../../permissions.ts';
import { ChannelsAdminScreen } from './ChannelsAdmin.tsx';
import { QueuesAdminScreen } from './QueuesAdmin.tsx';
import { QueueRulesAdminScreen } from './QueueRulesAdmin.tsx';
import { SettingsAdminScreen } from './SettingsAdmin.tsx';
import { SmsOptOutsAdminScreen } from './SmsOptOutsAdmin.tsx';
import { TemplatesAdminScreen } from './TemplatesAdmin.tsx';
import { JourneyRulesAdminScreen } from './JourneyRulesAdmin.tsx';
import { UnitsAdminScreen } from './UnitsAdmin.tsx';
import { AreasAdminScreen } from './AreasAdmin.tsx';

type AdminPage = 'queues' | 'queue-rules' | 'channels' | 'templates' | 'journey-rules' | 'settings' | 'sms-opt-outs' | 'units' | 'areas';

/**
 * Each page opens for `permission`; it is linked (here and in the main navigation) for
 * `linkedFor`, when that is narrower. The units page opens read-only for anyone who sees the
 * control room, which is every role, but is linked only for those who manage units: a call
 * handler's navigation should not gain Administration for a list the unit board already shows.
 * The queue rules open read-only for anyone who reads contacts (as the queues' API allows), and
 * are linked for those who change them.
 */
export const ADMIN_PAGES: ReadonlyArray<{ page: AdminPage; path: string; label: string; permission: Permission; linkedFor?: Permission }> = [
  { page: 'queues', path: '/admin/queues', label: 'Queues and SLA targets', permission: 'routing:manage' },
  { page: 'queue-rules', path: '/admin/queue-rules', label: 'Queue rules', permission: 'contacts:read', linkedFor: 'routing:manage' },
  { page: 'channels', path: '/admin/channels', label: 'Channel accounts', permission: 'channels:manage' },
  { page: 'templates', path: '/admin/templates', label: 'Message templates', permission: 'force:settings' },
  { page: 'journey-rules', path: '/admin/journey-rules', label: 'Journey rules', permission: 'journeys:read' },
  { page: 'settings', path: '/admin/settings', label: 'Force settings', permission: 'force:settings' },
  { page: 'sms-opt-outs', path: '/admin/sms-opt-outs', label: 'Texts opted out', permission: 'outbox:read' },
  { page: 'units', path: '/admin/units', label: 'Units', permission: 'incidents:read', linkedFor: 'units:manage' },
  { page: 'areas', path: '/admin/areas', label: 'Areas', permission: 'areas:manage' },
];

const isLinkedFor = (user: StaffUser, page: (typeof ADMIN_PAGES)[number]) => hasPermission(user, page.linkedFor ?? page.permission);

/** The first admin page this person may open, for the main navigation; null for none. */
export function firstAdminPath(user: StaffUser): string | null {
  return ADMIN_PAGES.find((p) => isLinkedFor(user, p))?.path ?? null;
}

/** Whether a path is one of the admin pages (for the main navigation's current page). */
export function isAdminPath(path: string): boolean {
  return ADMIN_PAGES.some((p) => p.path === path);
}

/** The admin screen at `path`, or undefined when the path is not an admin page. */
export function adminScreenAt(path: string, user: StaffUser, noAccess: ReactNode): ReactNode | undefined {
  const page = ADMIN_PAGES.find((p) => p.path === path);
  if (!page) return undefined;
  if (!hasPermission(user, page.permission)) return noAccess;
  switch (page.page) {
    case 'queues':
      return <QueuesAdminScreen />;
    case 'queue-rules':
      return <QueueRulesAdminScreen canChange={hasPermission(user, 'routing:manage')} />;
    case 'channels':
      return <ChannelsAdminScreen />;
    case 'templates':
      return <TemplatesAdminScreen />;
    case 'journey-rules':
      return <JourneyRulesAdminScreen canChange={hasPermission(user, 'force:settings')} />;
    case 'settings':
      return <SettingsAdminScreen />;
    case 'sms-opt-outs':
      return <SmsOptOutsAdminScreen canManage={hasPermission(user, 'sms_opt_outs:manage')} />;
    case 'units':
      return <UnitsAdminScreen canManage={hasPermission(user, 'units:manage')} />;
    case 'areas':
      return <AreasAdminScreen />;
  }
}

/**
 * Links between the admin pages this person may open (a page they may not would only say so);
 * the permissions come from the session the App already holds.
 */
export function AdminNav({ current }: { current: AdminPage }) {
  const user = useQuery(sessionQuery).data?.user;
  const pages = ADMIN_PAGES.filter((p) => p.page === current || (user !== undefined && isLinkedFor(user, p)));
  return (
    <nav aria-label="Administration" className="subnav">
      <ul>
        {pages.map((p) => (
          <li key={p.page}>
            <a href={`#${p.path}`} aria-current={p.page === current ? 'page' : undefined}>
              {p.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
