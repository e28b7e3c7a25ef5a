import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../api/errors.ts';
import { contactQuery } from '../api/queries.ts';
import type { ContactMessage, StaffUser } from '../api/types.ts';
import { useNow } from '../clock.ts';
import { ErrorSummary, focusById, Loading, PageHeading, PriorityBadge, StatusMessage, ThreatToLifeBadge } from '../components.tsx';
import { channelLabel, formatDateTime, formatWaiting, humanize } from '../format.ts';
import { hasPermission } from '../permissions.ts';
import { dispatchHref } from './dispatch/dispatch-routes.ts';
import { LinkToIncident } from './dispatch/LinkToIncident.tsx';
import { canOfferNewIncident, describeContactIncident, type ContactIncident } from './dispatch/contact-incidents.ts';
import { CaseAction, CloseForm, ReopenForm, ReplyForm } from './ContactActions.tsx';
import { MessageThread, PersonPanel, Timeline, TriagePanel, WhereAndWhen } from './ContactPanels.tsx';
import { RoutingPanel } from './RoutingPanel.tsx';
import { CallBackPanel } from './CallBackPanel.tsx';
import { answerModeOf } from '../call-back.ts';
import { ThriveAndGradePanels } from './ThrivePanel.tsx';
import { PrivateReplyNotice, ReplyWindowNotice } from './ReplyWindowNotice.tsx';

/** One contact; live messages about it refetch it (api/live-sync.ts), and so do the moves made here. */
export function ContactScreen({ id, user }: { id: string; user: StaffUser }) {
  const detail = useQuery(contactQuery(id));
  const [notice, setNotice] = useState<string | null>(null);
  // The message staff chose to answer, shown above the reply box until sent or dismissed.
  const [quoting, setQuoting] = useState<ContactMessage | null>(null);
  const now = useNow(30_000);
  const error = toUiError(detail.error);

  const data = detail.data;
  if (!data) {
    return (
      <>
        <p>
          <a href="#/queue" className="back">
            Back to queue
          </a>
        </p>
        {detail.isPending ? <Loading what="contact" /> : <PageHeading title="Contact not available">Contact not available</PageHeading>}
        <ErrorSummary error={error} focus={false} />
      </>
    );
  }

  const { contact, messages, triage, person, timeline, routing } = data;
  const open = contact.status === 'open';
  // Closing a contact or creating a case removes the button that had focus: move focus to the confirmation.
  // The change itself is refetched by the mutation that made it.
  const done = (message: string, moveFocus = false) => {
    setNotice(message);
    if (moveFocus) focusById('contact-notice');
  };

  return (
    <>
      <p>
        <a href="#/queue" className="back">
          Back to queue
        </a>
      </p>
      <div className="page-header">
        <PageHeading title={`Contact ${contact.reference}`}>
          Contact <span className="ref">{contact.reference}</span>
        </PageHeading>
        <PriorityBadge priority={contact.priority} label={contact.priorityLabel} />
        {routing.isThreatToLife && <ThreatToLifeBadge />}
        <span className={`status status--${contact.status}`} data-testid="contact-status">
          {humanize(contact.status)}
        </span>
      </div>
      <p className="contact-meta">
        {channelLabel(contact.channel)} · received <time dateTime={contact.receivedAt}>{formatDateTime(contact.receivedAt)}</time>
        {open && <> · waiting {formatWaiting(contact.receivedAt, now)}</>} · {contact.assignedToName ? `assigned to ${contact.assignedToName}` : 'unassigned'}
        {contact.closedAt && (
          <>
            {' '}
            · closed <time dateTime={contact.closedAt}>{formatDateTime(contact.closedAt)}</time>
          </>
        )}
        {contact.outcome && <> · outcome: {humanize(contact.outcome)}</>}
      </p>
      <StatusMessage message={notice} id="contact-notice" />
      <ErrorSummary error={error} focus={false} />

      <div className="contact-layout">
        <div className="contact-main">
          <section aria-labelledby="h-where-when" className="panel panel--where-when">
            <h2 id="h-where-when">Where and when</h2>
            <WhereAndWhen contact={contact} />
          </section>

          <section aria-labelledby="h-messages" className="panel">
            <h2 id="h-messages">Messages ({messages.length})</h2>
            <MessageThread
              messages={messages}
              retryFor={hasPermission(user, 'contacts:reply') ? contact.id : undefined}
              onQuote={
                open && answerModeOf(data) === 'write' && hasPermission(user, 'contacts:reply')
                  ? (message) => {
                      setQuoting(message);
                      focusById('reply-body');
                    }
                  : undefined
              }
            />
          </section>

          {answerModeOf(data) === 'call_back' && <CallBackPanel detail={data} user={user} />}

          {open && answerModeOf(data) === 'write' && hasPermission(user, 'contacts:reply') && (
            <section aria-labelledby="h-reply" className="panel">
              <h2 id="h-reply">Reply</h2>
              {contact.privateReply?.refusal ? <PrivateReplyNotice privateReply={contact.privateReply} /> : <ReplyWindowNotice window={contact.replyWindow} now={now} />}
              <ReplyForm
                contactId={contact.id}
                quoting={quoting}
                onStopQuoting={() => setQuoting(null)}
                onSent={(quoteNote) => done(quoteNote ? `Reply sent. ${quoteNote}` : 'Reply sent.')}
              />
            </section>
          )}

          <section aria-labelledby="h-case" className="panel">
            <h2 id="h-case">Case and incident</h2>
            <CaseAction
              contactId={contact.id}
              caseReference={contact.caseReference}
              canCreate={hasPermission(user, 'cases:create')}
              onCreated={(reference) => done(`Case ${reference} created.`, true)}
            />
            <ContactIncidents
              contactId={contact.id}
              contactReference={contact.reference}
              place={contact.place}
              incidents={data.incidents}
              canCreate={hasPermission(user, 'incidents:write')}
              canOpen={hasPermission(user, 'incidents:read')}
              onLinked={(reference) => done(`Contact linked to incident ${reference}.`, true)}
            />
          </section>

          {open && hasPermission(user, 'contacts:close') && (
            <section aria-labelledby="h-close" className="panel">
              <h2 id="h-close">Close contact</h2>
              <CloseForm contactId={contact.id} onClosed={(label) => done(`Contact closed: ${label}.`, true)} />
            </section>
          )}

          {!open && hasPermission(user, 'contacts:close') && (
            <section aria-labelledby="h-reopen" className="panel">
              <h2 id="h-reopen">Reopen contact</h2>
              <ReopenForm contactId={contact.id} onReopened={() => done('Contact reopened: it is back in its queue.', true)} />
            </section>
          )}
        </div>

        <div className="contact-side">
          <RoutingPanel
            contactId={contact.id}
            reference={contact.reference}
            isOpen={open}
            routing={routing}
            user={user}
            onChanged={done}
          />
          <ThriveAndGradePanels contactId={contact.id} isOpen={open} user={user} />
          <section aria-labelledby="h-triage" className="panel">
            <h2 id="h-triage">Triage</h2>
            <TriagePanel triage={triage} messages={messages} />
          </section>
          <section aria-labelledby="h-person" className="panel">
            <h2 id="h-person">Person</h2>
            <PersonPanel person={person} />
          </section>
          <section aria-labelledby="h-timeline" className="panel">
            <h2 id="h-timeline">Timeline</h2>
            <Timeline entries={timeline} />
          </section>
        </div>
      </div>
    </>
  );
}

/** The incident the contact is on, linked; or, for a contact on none, the offer to create one or link it to a live one. */
function ContactIncidents(props: { contactId: string; contactReference: string; place: { lat: number; lon: number } | null; incidents: readonly ContactIncident[]; canCreate: boolean; canOpen: boolean; onLinked: (reference: string) => void }) {
  const { contactId, incidents, canCreate, canOpen } = props;
  if (canOfferNewIncident(incidents, canCreate)) {
    return (
      <>
        <p>
          <a href={dispatchHref({ name: 'newIncident', contactId })} data-testid="incident-from-contact">
            Create an incident from this contact
          </a>
        </p>
        {canOpen && <LinkToIncident contactId={contactId} contactReference={props.contactReference} place={props.place} onLinked={props.onLinked} />}
      </>
    );
  }
  if (incidents.length === 0) return <p>Not on an incident.</p>;
  return (
    <ul data-testid="contact-incidents">
      {incidents.map((incident) => (
        <li key={incident.id} data-testid="contact-incident" data-reference={incident.reference}>
          On incident {canOpen ? <a href={dispatchHref({ name: 'incident', id: incident.id })}>{incident.reference}</a> : <strong>{incident.reference}</strong>} ({describeContactIncident(incident)}), linked{' '}
          <time dateTime={incident.linkedAt}>{formatDateTime(incident.linkedAt)}</time>
        </li>
      ))}
    </ul>
  );
}
