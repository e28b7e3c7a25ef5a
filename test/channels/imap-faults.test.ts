import { randomBytes, randomUUID } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce } from '../../src/platform/db/database.ts';
import { findEmailAccount, type EmailAccount } from '../../src/capabilities/channels/email/email.ingest.ts';
import { pollMailbox, startImapPoller } from '../../src/capabilities/channels/email/imap.poller.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { emailChannel } from '../../src/capabilities/channels/email/email.channel.ts';
import { MAILBOX, deliver, fixture, openMailApp, type MailApp } from './email-kit.ts';
import { startFakeImap } from './fake-imap.ts';

// What a mailbox's worst mails and servers must not do: block the mails behind them, or hold
// the poller (and every other force's mailbox) for ever.

/** A real-world mail made unique by `id` (its Message-ID is `<id@newyork.example.com>`). */
const goodMail = (id: string) => Buffer.from(fixture('rfc8601-comprehensive.eml').toString('latin1').replace('12345.abc', id), 'latin1');

/** A mail from `from`, to the demo mailbox. */
const mailFrom = (from: string, id: string) =>
  Buffer.from([`From: <${from}>`, `To: ${MAILBOX}`, 'Subject: hello', `Message-ID: <${id}@example.net>`, 'Date: Mon, 1 Jan 2024 10:00:00 +0000', '', 'Body', ''].join('\r\n'));

/** A From address of about 3,200 characters: more than any mail server takes, and than the identities index holds. */
const hugeAddress = () => `${randomBytes(2400).toString('base64').replace(/[+/=]/g, 'x')}@example.net`;

describe('email channel: hostile mail and mailbox servers', () => {
  let mail: MailApp;
  let account: EmailAccount;
  beforeAll(async () => {
    mail = await openMailApp();
    const found = await findEmailAccount(mail.kit.deps, MAILBOX);
    if (!found) throw new Error('no demo mailbox');
    account = found;
  });
  afterAll(() => mail.close());

  const imapAt = (port: number) => ({ host: '127.0.0.1', port, secure: false, user: MAILBOX, password: 'imap-secret', mailbox: 'INBOX', pollSeconds: 10 });
  /** The requests stored for one mail of a mailbox. */
  const requestsFor = (port: number, uid: number) =>
    withForce(mail.app.database.db, mail.app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['status', 'error']).where('url', '=', `imap://127.0.0.1:${port}/INBOX;UID=${uid}`).execute(),
    );

  it('keeps-mails-it-cannot-store-and-stores-the-ones-behind-them', async () => {
    // The database refuses the first new person once, as it refused a From address too long for its index.
    let refusals = 1;
    const refuseOnePerson: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'InsertQueryNode' && args.node.into?.table.identifier.name === 'identities' && refusals > 0) {
          refusals -= 1;
          throw new Error('index row size 3248 exceeds btree version 4 maximum 2704 for index "identities_force_id_kind_value_key"');
        }
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const deps = { ...mail.kit.deps, db: mail.kit.deps.db.withPlugin(refuseOnePerson) };
    const server = await startFakeImap([
      { uid: 1, source: mailFrom(`${randomUUID()}@example.net`, 'refused-by-db'), seen: false },
      { uid: 2, source: mailFrom(hugeAddress(), 'huge-from'), seen: false },
      { uid: 3, source: goodMail('behind.poison'), seen: false },
    ]);
    try {
      expect(await pollMailbox(deps, account, imapAt(server.port))).toEqual({ processed: 3, quarantined: 2 });
      expect(await mail.kit.messagesWithId('behind.poison@newyork.example.com')).toHaveLength(1);
      expect(server.mails.map((m) => m.seen)).toEqual([true, true, true]);
      expect(await requestsFor(server.port, 1)).toEqual([{ status: 'rejected', error: expect.stringContaining('could not be stored: index row size') as string }]);
      expect(await requestsFor(server.port, 2)).toEqual([{ status: 'rejected', error: expect.stringContaining('From address is') as string }]);
    } finally {
      await server.close();
    }
  });

  it('accepts-a-mail-from-an-address-too-long-over-smtp-and-keeps-it-as-rejected', async () => {
    // A 451 would have the sending server retry it for days, each time failing the same way.
    const info = await deliver(mail.port, mailFrom(hugeAddress(), 'huge-from-smtp'));
    expect(info.response).toMatch(/^250 /);
    const stored = await withForce(mail.app.database.db, mail.app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['status', 'error']).where('method', '=', 'SMTP').where('status', '=', 'rejected').execute(),
    );
    expect(stored).toEqual([{ status: 'rejected', error: expect.stringContaining('an address has at most 254') as string }]);
  });

  it('ends-a-poll-a-server-keeps-alive-past-its-deadline', async () => {
    // An untagged line every 50 ms resets every idle timeout; only the poll's own deadline ends it.
    const server = await startFakeImap([{ uid: 1, source: goodMail('trickled.1'), seen: false }], { onFetch: { uid: 1, mode: 'trickle' }, trickleMs: 50 });
    try {
      await expect(pollMailbox(mail.kit.deps, account, imapAt(server.port), { deadlineMs: 300 })).rejects.toThrow('the poll passed its deadline');
      expect(server.mails[0]?.seen).toBe(false);
    } finally {
      await server.close();
    }
  }, 5_000);

  it('polls-other-mailboxes-while-one-is-stuck-and-closes-without-waiting-for-it', async () => {
    const stuck = await startFakeImap([{ uid: 1, source: goodMail('stuck.1'), seen: false }], { onFetch: { uid: 1, mode: 'trickle' }, trickleMs: 50 });
    const healthy = await startFakeImap([{ uid: 1, source: goodMail('healthy.1'), seen: false }]);
    const connect = (address: string, port: number) =>
      connectChannelAccount(mail.kit.deps, mail.app.demoForceId, emailChannel as AnyChannelAdapter, {
        label: address,
        config: { address, displayName: 'Demo Constabulary', imap: { ...imapAt(port), user: address } },
        actor: { type: 'system', id: null },
      });
    await connect(MAILBOX, stuck.port);
    await connect('second@demo.police.uk', healthy.port);
    // The default deadline (minutes) never passes here: the stuck poll ends only by close().
    const poller = startImapPoller(mail.kit.deps, { tickMs: 20 });
    try {
      for (let i = 0; i < 60 && !healthy.mails[0]?.seen; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await mail.kit.messagesWithId('healthy.1@newyork.example.com')).toHaveLength(1);
    } finally {
      await poller.close();
      await Promise.all([stuck.close(), healthy.close()]);
    }
    expect(stuck.mails[0]?.seen).toBe(false);
  }, 8_000);
});
