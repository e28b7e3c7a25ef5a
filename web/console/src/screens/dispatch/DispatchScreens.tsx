import type { StaffUser } from '../../api/types.ts';
import { PageHeading } from '../../components.tsx';
import { hasPermission } from '../../permissions.ts';
import { DispatchBoardScreen } from './DispatchBoard.tsx';
import type { DispatchRoute } from './dispatch-routes.ts';
import { IncidentScreen } from './IncidentScreen.tsx';
import { NewIncidentScreen } from './NewIncident.tsx';
import { UnitBoardScreen } from './UnitBoard.tsx';

/** The dispatcher's screens, each behind the permission it needs (the API checks again). */
export function DispatchScreens({ route, user }: { route: DispatchRoute; user: StaffUser }) {
  const canRead = hasPermission(user, 'incidents:read');
  if (!canRead || (route.name === 'newIncident' && !hasPermission(user, 'incidents:write'))) {
    return (
      <>
        <PageHeading title="No access">You do not have access to this page</PageHeading>
        <p>Your role does not include permission to view this page. Ask your force administrator if you need it.</p>
      </>
    );
  }
  switch (route.name) {
    case 'board':
      return <DispatchBoardScreen canCreate={hasPermission(user, 'incidents:write')} />;
    case 'units':
      return <UnitBoardScreen canCreate={hasPermission(user, 'incidents:write')} canMove={hasPermission(user, 'dispatch:act')} />;
    case 'incident':
      return <IncidentScreen key={route.id} id={route.id} canDispatch={hasPermission(user, 'dispatch:act')} canWrite={hasPermission(user, 'incidents:write')} />;
    case 'newIncident':
      return <NewIncidentScreen key={route.contactId ?? 'direct'} contactId={route.contactId} />;
  }
}
