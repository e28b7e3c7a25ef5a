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
 * since when and why reading it fails; or that no mailbox is polled, as its settings stand now
 * (decision 0181). Nothing shows while no poll of the mailbox its settings name is stored. A
 * health stored before Bluelamp noted which mailbox it is of says so (decision 0188): it is true of
 * then, and the next poll says how the mailbox is now.
 */
export function MailboxHealthNote({ accountId, label }: { accountId: string; label: string }) {
  const health = useQuery(channelMailboxQuery(accountId));
  if (health.data?.notPolled === 'no_mailbox_settings') {
    return (
      <p className="hint" data-testid="mailbox-health" data-failing="false">
        No mailbox is polled: without IMAP settings, mail reaches {label} through the mail listener only.
      </p>
    );
  }
  if (health.data?.notPolled === 'settings_unreadable') {
    return (
      <p className="hint" data-testid="mailbox-health" data-failing="true">
        <span className="status status--failed">Mailbox not read</span> Its settings can no longer be read: connect the account again.
      </p>
    );
  }
  // A switched-off account is not polled, and its status already says so.
  const mailbox = health.data?.mailbox;
  if (!mailbox) return null;
  const beforeUpgrade = mailbox.isFromBeforeUpgrade ? ' As stored before Bluelamp was upgraded: the next poll says how it is now.' : '';
  if (mailbox.failingSince && mailbox.failure) {
    return (
      <p className="hint" data-testid="mailbox-health" data-failing="true">
        <span className="status status--failed">Mailbox not read</span> Failing since {formatDateTime(mailbox.failingSince)}: {FAILURE_WORDS[mailbox.failure]}.
        {mailbox.lastSuccessAt ? ` Last read ${formatDateTime(mailbox.lastSuccessAt)}.` : ` ${label} has not been read yet.`}
        {beforeUpgrade}
      </p>
    );
  }
  return (
    <p className="hint" data-testid="mailbox-health" data-failing="false">
      Mailbox last read {formatDateTime(mailbox.lastSuccessAt)}.{beforeUpgrade}
    </p>
  );
}
