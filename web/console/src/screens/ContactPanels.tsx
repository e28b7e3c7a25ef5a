// Read-only panels of the contact screen (but for Try again on a failed download). All public
// text is rendered as React text nodes.
import { useState } from 'react';
import type { ContactMessage, ContactRecord, Person, TimelineEntry, Triage } from '../api/types.ts';
import { PriorityBadge, SmsOptedOutNote } from '../components.tsx';
import { channelLabel, formatDateTime, formatPlace, humanize, languageLabel, messageAuthorLabel, placeMapHref, placeSourceLabel, sentTimeToShow } from '../format.ts';
import { segmentBody } from '../highlight.ts';
import { categoryLabel } from '../labels.ts';
import { contactHref } from '../router.ts';
import { RetryAttachmentButton } from './AttachmentRetry.tsx';

/**
 * Where and when, first on the screen: the place and time in the person's words, any position a
 * channel gave (AML, a shared location), and the language they chose.
 */
export function WhereAndWhen({ contact }: { contact: ContactRecord }) {
  const language = languageLabel(contact.language);
  const { place } = contact;
  return (
    <dl className="facts facts--where-when" data-testid="where-and-when">
      <div>
        <dt>Where</dt>
        <dd className="break" data-testid="contact-where">
          {contact.location ?? <span className="muted">Not given</span>}
        </dd>
      </div>
      {place && (
        <div>
          <dt>Position</dt>
          <dd data-testid="contact-place">
            {formatPlace(place)}
            <br />
            <span className="muted">
              {placeSourceLabel(place.source)}
              {place.at && (
                <>
                  {' · '}
                  <time dateTime={place.at}>{formatDateTime(place.at)}</time>
                </>
              )}
            </span>{' '}
            <a href={placeMapHref(place)} target="_blank" rel="noreferrer noopener">
              Open in a map (new tab)
            </a>
          </dd>
        </div>
      )}
      <div>
        <dt>When</dt>
        <dd className="break" data-testid="contact-when">
          {contact.occurredText ?? <span className="muted">Not given</span>}
        </dd>
      </div>
      <div>
        <dt>Language</dt>
        <dd data-testid="contact-language">{language ?? <span className="muted">Not known</span>}</dd>
      </div>
    </dl>
  );
}

/** When a message reached us, and when the person sent it where that differs by more than a minute (decision 0172). */
function MessageTimes({ message }: { message: ContactMessage }) {
  const sentAt = sentTimeToShow(message);
  const received = <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>;
  if (!sentAt) return received;
  return (
    <span data-testid="message-sent-received">
      sent <time dateTime={sentAt}>{formatDateTime(sentAt)}</time>, received {received}
    </span>
  );
}

/** Whose message a "Reply to this message" button answers, for its accessible name. */
function whoseMessage(m: ContactMessage): string {
  if (m.author === 'public') return 'the person’s message';
  if (m.author === 'staff') return `our reply from ${m.authorName ?? 'staff'}`;
  return 'our automatic message';
}

/**
 * The thread in the order the server gives, the order its messages were sent (decision 0191); a
 * live message refetches it, so one that arrives late stands where it was sent.
 * `retryFor`: the contact, when the member of staff may try a failed download again (they may
 * reply to it). `onQuote`: offered on each message the channel can quote, when they may reply.
 */
export function MessageThread({ messages, retryFor, onQuote }: { messages: ContactMessage[]; retryFor?: string; onQuote?: (message: ContactMessage) => void }) {
  if (messages.length === 0) return <p className="empty">No messages.</p>;
  return (
    <ol className="thread">
      {messages.map((m) => (
        <li key={m.id} className={`msg msg--${m.direction}${m.author === 'system' ? ' msg--system' : ''}`} data-author={m.author}>
          <p className="msg__meta">
            <span className="msg__who">{messageAuthorLabel(m)}</span>
            {' · '}
            {channelLabel(m.channel, m.medium)}
            {' · '}
            <MessageTimes message={m} />
            {m.deliveryStatus && (
              <>
                {' · '}
                <span className={`delivery delivery--${m.deliveryStatus}`}>{humanize(m.deliveryStatus)}</span>
              </>
            )}
          </p>
          {m.editOf && <EditNote editOf={m.editOf} messages={messages} />}
          {m.forwarded && (
            <p className="msg__forwarded" data-testid="message-forwarded">
              {m.forwarded === 'frequently' ? 'Forwarded many times' : 'Forwarded'}
            </p>
          )}
          {m.quotes && <QuoteNote quotes={m.quotes} />}
          <p className="msg__body">{m.body}</p>
          {m.attachments.length > 0 && <AttachmentList attachments={m.attachments} retryFor={retryFor} />}
          {m.deliveryError && (
            <p className="msg__error" data-testid="delivery-error">
              {deliveryNoteOf(m.deliveryStatus, m.deliveryError)}
            </p>
          )}
          {onQuote && m.canBeQuoted && (
            <button
              type="button"
              className="button button--secondary button--small msg__quote-action"
              data-testid="message-reply-to"
              aria-label={`Reply to this message: ${whoseMessage(m)} of ${formatDateTime(m.createdAt)}`}
              onClick={() => onQuote(m)}
            >
              Reply to this message
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Says which earlier message a person's edit changes; the earlier text stays on the thread as sent. */
function EditNote({ editOf, messages }: { editOf: NonNullable<ContactMessage['editOf']>; messages: ContactMessage[] }) {
  const original = messages.find((other) => other.id === editOf.messageId);
  const which = editOf.number !== null ? ` (edit ${editOf.number})` : '';
  return (
    <p className="msg__edit" data-testid="message-edit">
      {original ? (
        <>
          Edited their message of <time dateTime={original.createdAt}>{formatDateTime(original.createdAt)}</time>
          {which}. What they first wrote is kept above.
        </>
      ) : (
        <>Edited a message that did not reach us{which}.</>
      )}
    </p>
  );
}

/** Says which earlier message a reply (the person's, or ours) quotes: its first words as text, or that it never reached us. */
function QuoteNote({ quotes }: { quotes: NonNullable<ContactMessage['quotes']> }) {
  return (
    <p className="msg__quote" data-testid="message-quote">
      {quotes.excerpt !== null ? (
        <>
          Replying to{quotes.direction === 'outbound' ? ' our message' : ''}: <q>{quotes.excerpt}</q>
        </>
      ) : (
        <>Replying to a message that is not in this conversation.</>
      )}
    </p>
  );
}

const KIND_LABELS: Record<string, string> = {
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'image/gif': 'GIF image',
  'application/pdf': 'PDF',
  'application/zip': 'ZIP archive',
  'video/mp4': 'MP4 video',
  'application/x-msdownload': 'Windows program',
  'text/html': 'web page',
};

/** A file's size as people read it: 512 bytes, 14 KB, 2.3 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The files sent with a message. Nothing is shown until someone chooses to open it (a photo may be
 * distressing); images open in a new tab, anything else downloads. Each opening is recorded.
 */
function AttachmentList({ attachments, retryFor }: { attachments: ContactMessage['attachments']; retryFor?: string | undefined }) {
  const [status, setStatus] = useState('');
  return (
    <>
      <ul className="attachments" aria-label="Attachments" data-testid="attachments">
        {attachments.map((a) => {
          const kind = a.contentType ? (KIND_LABELS[a.contentType] ?? a.contentType) : 'unrecognised file';
          const name = a.filename ?? (a.isShownInPlace ? 'Photo' : 'File');
          const fingerprint = a.sha256 ? <span className="muted" title={`SHA-256 ${a.sha256}`}> · SHA-256 {a.sha256.slice(0, 12)}…</span> : null;
          return (
            <li key={a.id} data-testid="attachment" data-state={a.state}>
              {a.state === 'stored' ? (
                <a href={`/api/attachments/${a.id}`} target="_blank" rel="noopener noreferrer">
                  {a.isShownInPlace ? 'Open' : 'Download'} <span className="break">{name}</span>
                  <span className="visually-hidden"> (opens in a new tab; the opening is recorded)</span>
                </a>
              ) : (
                <span className="break">{name}</span>
              )}{' '}
              <span className="muted">
                ({a.state === 'fetching' ? 'being fetched from the provider' : a.state === 'refused' ? 'not downloaded' : `${kind}, ${formatBytes(a.sizeBytes)}`})
              </span>
              {a.state === 'too_large' && <span className="muted"> · over 10 MB: only its fingerprint was kept</span>}
              {a.state === 'refused' && <span className="muted break"> · {a.refusal}</span>}
              {fingerprint}
              {a.canRetry && retryFor !== undefined && (
                <>
                  {' '}
                  <RetryAttachmentButton contactId={retryFor} attachmentId={a.id} name={name} onStatus={setStatus} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      {/* Always there, so what a try did is announced when it changes. */}
      <p role="status" aria-live="polite" className={status ? 'muted' : 'visually-hidden'} data-testid="attachment-status">
        {status}
      </p>
    </>
  );
}

export function TriagePanel({ triage, messages }: { triage: Triage | null; messages: ContactMessage[] }) {
  if (!triage) return <p className="empty">This contact has not been triaged.</p>;
  const inbound = messages.filter((m) => m.direction === 'inbound');
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Score</dt>
          <dd className="num">{triage.score}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>
            <PriorityBadge priority={triage.priority} label={triage.priorityLabel} />
          </dd>
        </div>
        <div>
          <dt>Rule set</dt>
          <dd>Version {triage.ruleSetVersion}</dd>
        </div>
      </dl>

      <h3>Score contributions</h3>
      {triage.contributions.length === 0 ? (
        <p className="empty">No contributions.</p>
      ) : (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col" className="num">
                Points
              </th>
            </tr>
          </thead>
          <tbody>
            {triage.contributions.map((c, i) => (
              <tr key={`${c.label}-${i}`}>
                <td>{c.label}</td>
                <td className="num">{c.points > 0 ? `+${c.points}` : c.points}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total score</th>
              <td className="num">{triage.score}</td>
            </tr>
          </tfoot>
        </table>
      )}

      <h3>Explanation</h3>
      {triage.explanation.length === 0 ? (
        <p className="empty">No explanation recorded.</p>
      ) : (
        <ul className="explanation">
          {triage.explanation.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}

      <h3>Matched text</h3>
      {triage.matches.length === 0 && <p className="empty">No rule phrases matched.</p>}
      {inbound.map((m) => {
        const matches = triage.matches.filter((x) => x.messageId === m.id);
        if (matches.length === 0) return null;
        return (
          <div key={m.id} className="highlighted" data-testid="triage-highlight" data-message-id={m.id}>
            {segmentBody(m.body, matches).map((seg, i) =>
              seg.match ? (
                <mark key={i} title={seg.match.category} data-category={seg.match.category} data-rule-id={seg.match.ruleId}>
                  {seg.text}
                </mark>
              ) : (
                <span key={i}>{seg.text}</span>
              ),
            )}
          </div>
        );
      })}
      {triage.matches.length > 0 && (
        <table className="table table--compact">
          <caption>Matched rules</caption>
          <thead>
            <tr>
              <th scope="col">Phrase</th>
              <th scope="col">Category</th>
              <th scope="col" className="num">
                Weight
              </th>
            </tr>
          </thead>
          <tbody>
            {triage.matches.map((x, i) => (
              <tr key={`${x.ruleId}-${x.messageId}-${x.start}-${i}`}>
                <td>{x.phrase}</td>
                <td>{categoryLabel(x.category)}</td>
                <td className="num">{x.weight}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function PersonPanel({ person }: { person: Person | null }) {
  if (!person) return <p className="empty">No person linked to this contact.</p>;
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Name</dt>
          <dd>{person.name ?? <span className="muted">Not given</span>}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd className="break">{person.email ?? <span className="muted">Not given</span>}</dd>
        </div>
      </dl>
      {person.identities.map((identity) =>
        identity.kind === 'phone' && identity.smsOptedOutAt ? <SmsOptedOutNote key={identity.value} number={identity.value} at={identity.smsOptedOutAt} source={identity.smsOptOutSource} /> : null,
      )}
      <h3>Earlier contacts ({person.earlierContacts.length})</h3>
      {person.earlierContacts.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ul className="earlier">
          {person.earlierContacts.map((c) => (
            <li key={c.id}>
              <a href={contactHref(c.id)} className="ref">
                {c.reference}
              </a>{' '}
              <span className="muted">
                {channelLabel(c.channel)} · {humanize(c.status)} · <time dateTime={c.receivedAt}>{formatDateTime(c.receivedAt)}</time>
              </span>
              <br />
              {c.summary}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="empty">No events.</p>;
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  return (
    <ol className="timeline">
      {sorted.map((e) => (
        <li key={e.seq}>
          <p className="timeline__meta">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {humanize(e.type)} · {e.actor}
          </p>
          <p className="timeline__summary">{e.summary}</p>
        </li>
      ))}
    </ol>
  );
}

/**
 * What staff read under an outbound message: why it failed or is being tried again, or, for one
 * that went, what to know of how (sent as the force's WhatsApp template, say).
 */
function deliveryNoteOf(status: string | null, error: string): string {
  if (status === 'failed') return `Not delivered: ${error}`;
  if (status === 'sent' || status === 'delivered' || status === 'read') return error;
  return `Not delivered yet: ${error}`;
}
