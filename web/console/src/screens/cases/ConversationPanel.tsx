import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { caseConversationQuery, useReplyToVictim, type ConversationThread } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, Loading, StatusMessage, fieldMessage } from '../../components.tsx';
import { formatDateTime, sentTimeToShow } from '../../format.ts';
import { contactHref } from '../../router.ts';

// The victims' secure messages on the case, as one conversation per victim's thread. A victim's
// words are public input: they are rendered as React text (escaped), never as markup.

function ReplyForm({ caseId, thread }: { caseId: string; thread: ConversationThread }) {
  const reply = useReplyToVictim(caseId);
  const [body, setBody] = useState('');
  // One id per reply meant: a double click or a retry of the same words sends it once; new words are a new reply.
  const [submissionId, setSubmissionId] = useState(() => crypto.randomUUID());
  const [sent, setSent] = useState<string | null>(null);
  const error = reply.error ? toUiError(reply.error) : null;
  const fieldId = `reply-${thread.contactId}`;
  const errorId = `${fieldId}-error`;
  const bodyError = fieldMessage(error, 'body');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reply.isPending) return;
    setSent(null);
    reply.mutate(
      { contactId: thread.contactId, body, submissionId },
      {
        onSuccess: () => {
          setBody('');
          setSubmissionId(crypto.randomUUID());
          setSent(`Reply sent to ${thread.victim.name ?? 'the victim'}. It is on their case page; they are told a message is waiting by the channels they chose.`);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary error={error} fieldIds={{ body: fieldId }} />
      <StatusMessage message={sent} />
      <label htmlFor={fieldId}>Reply to {thread.victim.name ?? 'the victim'}</label>
      <InlineError id={errorId} message={bodyError} />
      <textarea id={fieldId} rows={3} value={body} onChange={(e) => {
          setBody(e.target.value);
          setSubmissionId(crypto.randomUUID());
        }} aria-describedby={bodyError ? errorId : undefined} aria-invalid={bodyError ? true : undefined} />
      <button type="submit" className="button" data-testid="send-victim-reply" aria-disabled={reply.isPending}>
        {reply.isPending ? 'Sending…' : 'Send reply'}
      </button>
    </form>
  );
}

/** Every victim's secure-message thread on the case, with a reply form for those who investigate it. */
export function ConversationPanel({ caseId, canReply }: { caseId: string; canReply: boolean }) {
  const conversation = useQuery(caseConversationQuery(caseId));
  const threads = conversation.data ?? [];
  return (
    <section aria-labelledby="h-case-conversation">
      <h2 id="h-case-conversation">Messages from victims</h2>
      {conversation.isError && <ErrorSummary error={toUiError(conversation.error)} focus={false} />}
      {conversation.isPending ? (
        <Loading what="messages from victims" />
      ) : threads.length === 0 ? (
        <p>No victim has sent a secure message on this case.</p>
      ) : (
        threads.map((thread) => (
          <article key={thread.contactId} className="case-thread" data-testid="case-thread" data-contact-id={thread.contactId} aria-labelledby={`thread-${thread.contactId}`}>
            <h3 id={`thread-${thread.contactId}`}>
              {thread.victim.name ?? 'Victim'} · contact <a href={contactHref(thread.contactId)}>{thread.contactReference}</a> ({thread.contactStatus === 'open' ? 'open' : 'closed'})
            </h3>
            <ol className="case-timeline">
              {thread.messages.map((message) => (
                <li key={message.id} data-testid="conversation-message" data-from={message.from}>
                  <strong>{message.from === 'victim' ? (thread.victim.name ?? 'Victim') : (message.authorName ?? 'Staff')}</strong>{' '}
                  <span className="hint">
                    <ConversationTimes message={message} />
                  </span>
                  <p className="case-thread__body">{message.body}</p>
                </li>
              ))}
            </ol>
            {canReply && <ReplyForm caseId={caseId} thread={thread} />}
          </article>
        ))
      )}
    </section>
  );
}

/**
 * When a message reached us, and when the victim sent it where that differs by more than a minute:
 * the thread is in the order they sent them (decision 0186), as a contact's thread shows both (0172).
 */
function ConversationTimes({ message }: { message: ConversationThread['messages'][number] }) {
  const received = <time dateTime={message.at}>{formatDateTime(message.at)}</time>;
  const sentAt = sentTimeToShow({ sentAt: message.sentAt, createdAt: message.at });
  if (!sentAt) return received;
  return (
    <span data-testid="message-sent-received">
      sent <time dateTime={sentAt}>{formatDateTime(sentAt)}</time>, received {received}
    </span>
  );
}
