import type { StaffUser } from '../../api/types.ts';
import { PageHeading } from '../../components.tsx';
import { hasPermission } from '../../permissions.ts';
import type { CaseRoute } from './case-routes.ts';
import { CaseScreen } from './CaseScreen.tsx';
import { MyCasesScreen } from './MyCases.tsx';
import { NewCaseScreen } from './NewCase.tsx';
import './cases.css';

/** The investigator's screens, each behind the permission it needs (the API checks again). */
export function CasesScreens({ route, user }: { route: CaseRoute; user: StaffUser }) {
  const canInvestigate = hasPermission(user, 'cases:investigate');
  if (!hasPermission(user, 'cases:read') || (route.name === 'newCase' && !canInvestigate)) {
    return (
      <>
        <PageHeading title="No access">You do not have access to this page</PageHeading>
        <p>Your role does not include permission to view this page. Ask your force administrator if you need it.</p>
      </>
    );
  }
  switch (route.name) {
    case 'list':
      return <MyCasesScreen key={route.which} which={route.which} canRecord={canInvestigate} />;
    case 'case':
      return <CaseScreen key={route.id} id={route.id} user={user} canInvestigate={canInvestigate} />;
    case 'newCase':
      return <NewCaseScreen />;
  }
}
