import { useQuery } from '@tanstack/react-query';
import type { MailboxHealth } from '../../api/types.ts';
import { formatDateTime } from '../../format.ts';
import { channelMailboxQuery } from './admin-api.ts';

/** Why polling a mailbox fails, in words an admin can act on: never the mail server's own answer. */
const FAILURE_WORDS: Record<NonNullable<MailboxHealth['failure']>, string> = {
  connect: 'the mail server cannot be reached',
  auth: 'the mail server refused the sign-in: check the user name and password, then connect the account again',
  fetch: 'reading the mailbox failed',
  store: 'storing a mail failed',
  module_not_loaded: 'Bluelamp could not load what reads mail and needs a restart',
};

/**
 * An email account's mailbox health under its status (decision 0175): when it was last read, or
 * since when and why reading it fails. Nothing shows for an account no poll of which is stored.
 */
export function MailboxHealthNote({ accountId, label }: { accountId: string; label: string }) {
  const health = useQuery(channelMailboxQuery(accountId));
  const mailbox = health.data;
  if (!mailbox) return null;
  if (mailbox.failingSince && mailbox.failure) {
    return (
      <p className="hint" data-testid="mailbox-health" data-failing="true">
        <span className="status status--failed">Mailbox not read</span> Failing since {formatDateTime(mailbox.failingSince)}: {FAILURE_WORDS[mailbox.failure]}.
        {mailbox.lastSuccessAt ? ` Last read ${formatDateTime(mailbox.lastSuccessAt)}.` : ` ${label} has not been read yet.`}
      </p>
    );
  }
  return (
    <p className="hint" data-testid="mailbox-health" data-failing="false">
      Mailbox last read {formatDateTime(mailbox.lastSuccessAt)}.
    </p>
  );
}
