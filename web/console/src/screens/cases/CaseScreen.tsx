import { useQuery } from '@tanstack/react-query';
import { caseCataloguesQuery, caseQuery, type CaseView } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import type { StaffUser } from '../../api/types.ts';
import { ErrorSummary, Loading, PageHeading } from '../../components.tsx';
import { formatDateTime } from '../../format.ts';
import { contactHref } from '../../router.ts';
import { AppointmentsPanel, MessagesPanel } from './CasePanels.tsx';
import { hasPermission } from '../../permissions.ts';
import { ConversationPanel } from './ConversationPanel.tsx';
import { ACTOR_LABELS, CASE_STATUS_LABELS, SUSPECT_LABELS, milestoneDetailsText, timelineEntryLabel } from './case-text.ts';
import { MilestoneForm } from './MilestoneForm.tsx';
import { CasesNav, useCrimeTypeLabel } from './MyCases.tsx';
import { CasePeoplePanel } from './CasePeoplePanel.tsx';
import { CaseVictimUpdatesPanel } from './CaseVictimUpdatesPanel.tsx';

/** The officer in case's name, from the latest allocation that named one (the case row keeps only the id). */
function officerName(view: CaseView, user: StaffUser): string {
  if (!view.officerInCase) return 'Not allocated to an officer';
  if (view.officerInCase === user.id) return `${user.name} (you)`;
  const allocation = view.timeline.findLast((entry) => entry.type === 'case.allocated' && entry.details.officerInCase === view.officerInCase);
  return allocation?.details.officerName ?? 'Another officer';
}

export function CaseScreen({ id, user, canInvestigate }: { id: string; user: StaffUser; canInvestigate: boolean }) {
  const found = useQuery(caseQuery(id));
  const catalogues = useQuery(caseCataloguesQuery);
  const crimeTypeLabel = useCrimeTypeLabel();
  const outcomeLabel = (code: string) => {
    const outcome = catalogues.data?.outcomeTypes.find((t) => t.code === code);
    return outcome ? `${outcome.code}: ${outcome.label}` : code;
  };

  if (!found.data) {
    return (
      <>
        <PageHeading title="Case">Case</PageHeading>
        <CasesNav current={null} canRecord={canInvestigate} />
        {found.isError ? <ErrorSummary error={toUiError(found.error)} focus={false} /> : <Loading what="the case" />}
      </>
    );
  }
  const view = found.data;
  return (
    <>
      <PageHeading title={`Case ${view.reference}`}>Case {view.reference}</PageHeading>
      <CasesNav current={null} canRecord={canInvestigate} />
      <section aria-labelledby="h-case-summary">
        <h2 id="h-case-summary">Summary</h2>
        <dl className="case-facts" data-testid="case-summary">
          <dt>Crime type</dt>
          <dd>{crimeTypeLabel(view.crimeType)}</dd>
          <dt>Status</dt>
          <dd data-testid="case-status">{CASE_STATUS_LABELS[view.status]}</dd>
          <dt>Suspect</dt>
          <dd>
            {SUSPECT_LABELS[view.suspect]}
            {view.charged ? '; charged' : ''}
          </dd>
          <dt>Officer in case</dt>
          <dd>{officerName(view, user)}</dd>
          <dt>Team</dt>
          <dd>{view.team ?? 'No team'}</dd>
          {view.outcomeCode && (
            <>
              <dt>Outcome</dt>
              <dd>{outcomeLabel(view.outcomeCode)}</dd>
            </>
          )}
          {view.closedReason && (
            <>
              <dt>Why it was closed</dt>
              <dd>{view.closedReason}</dd>
            </>
          )}
          <dt>What happened</dt>
          <dd>{view.summary || 'No summary'}</dd>
          {view.recordsReference && (
            <>
              <dt>Records system reference</dt>
              <dd>{view.recordsReference}</dd>
            </>
          )}
          {view.contactId && (
            <>
              <dt>From contact</dt>
              <dd>
                <a href={contactHref(view.contactId)}>Open the contact</a>
              </dd>
            </>
          )}
          <dt>Recorded</dt>
          <dd>{formatDateTime(view.createdAt)}</dd>
          <dt>Last changed</dt>
          <dd>{formatDateTime(view.updatedAt)}</dd>
        </dl>
      </section>

      <CasePeoplePanel view={view} canInvestigate={canInvestigate} />
      <CaseVictimUpdatesPanel caseId={view.id} />

      {canInvestigate && <MilestoneForm view={view} user={user} />}

      <section aria-labelledby="h-case-timeline">
        <h2 id="h-case-timeline">Timeline</h2>
        {view.olderEventsLeftOut > 0 && (
          <p className="hint" data-testid="timeline-older-left-out">
            The newest {view.timeline.length} events are shown; {view.olderEventsLeftOut} older {view.olderEventsLeftOut === 1 ? 'one is' : 'ones are'} not.
          </p>
        )}
        <ol className="case-timeline" data-testid="case-timeline">
          {view.timeline.map((entry, i) => {
            const details = milestoneDetailsText(entry, outcomeLabel, crimeTypeLabel);
            return (
              <li key={`${entry.at}-${i}`} data-testid="timeline-entry" data-type={entry.type}>
                <strong>{timelineEntryLabel(entry)}</strong> <span className="hint">{formatDateTime(entry.at)} · {ACTOR_LABELS[entry.actor] ?? entry.actor}</span>
                {details.length > 0 && <p>{details.join(' · ')}</p>}
                {entry.note && <p>{entry.note}</p>}
              </li>
            );
          })}
        </ol>
      </section>

      <ConversationPanel caseId={view.id} canReply={canInvestigate} />
      <AppointmentsPanel caseId={view.id} />
      <MessagesPanel caseId={view.id} canWithdraw={hasPermission(user, 'outbox:withdraw')} />
    </>
  );
}
