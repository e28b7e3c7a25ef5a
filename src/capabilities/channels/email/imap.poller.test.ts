import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers.ts';
import { MAILBOX, emailKit, fixture, movableClock } from '../../../../test/channels/email-kit.ts';
import { canRunDovecot, dovecotMissing, startDovecot, type Dovecot } from '../../../../test/channels/dovecot-kit.ts';
import { withForce } from '../../../platform/db/database.ts';
import { ModuleLoadError, loadOnFirstUse } from '../../../platform/load-on-first-use.ts';
import { createLogger } from '../../../platform/logging/logger.ts';
import { findEmailAccount, type EmailDeps } from './email.ingest.ts';
import { pollMailbox, processImapMessage, startImapPoller } from './imap.poller.ts';

describe('email channel: IMAP mailboxes', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let deps: EmailDeps;

  beforeAll(async () => {
    app = await createTestApp();
    kit = emailKit(app);
    deps = kit.deps;
  });
  afterAll(() => app.close());

  const messagesWithId = (providerId: string) => kit.messagesWithId(providerId);
  const connectMailbox = (config: Parameters<typeof kit.connectMailbox>[0]) => kit.connectMailbox(config);

  describe('IMAP polling', () => {
    const imap = { host: 'imap.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-password', mailbox: 'INBOX', pollSeconds: 60 };
    const account = async () => {
      const found = await findEmailAccount(deps, MAILBOX);
      if (!found) throw new Error('no demo mailbox');
      return found;
    };

    it('stores a fetched mail like the listener does, once however often it is fetched', async () => {
      const source = fixture('lying-attachment.eml', {}).toString('latin1').replace('a1b2c3d4-0001', 'imap-0001');
      const message = { uid: 7, source: Buffer.from(source, 'latin1'), size: source.length };
      const first = await processImapMessage(deps, await account(), imap, message);
      const again = await processImapMessage(deps, await account(), imap, message);
      expect(first.status).toBe('stored');
      expect(again).toMatchObject({ status: 'stored', results: [{ isDuplicate: true }] });
      expect(await messagesWithId('imap-0001-4e5f-9a8b-112233445566@example.net')).toHaveLength(1);
      const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('inbound_requests').selectAll().where('method', '=', 'IMAP').orderBy('received_at').executeTakeFirstOrThrow(),
      );
      expect(stored).toMatchObject({ url: 'imap://imap.example.net:993/INBOX;UID=7', status: 'processed' });
      expect(stored.headers['x-bluelamp-rcpt']).toBe(MAILBOX);
    });

    it('quarantines a mail it cannot parse, and one over the size limit, instead of failing', async () => {
      const malformed = await processImapMessage(deps, await account(), imap, { uid: 8, source: fixture('malformed.eml'), size: 134 });
      expect(malformed).toMatchObject({ status: 'quarantined', reason: 'the mail has no From address' });
      const big = fixture('rfc8601-comprehensive.eml');
      const oversized = await processImapMessage(deps, await account(), imap, { uid: 9, source: big, size: 50_000_000 });
      expect(oversized).toMatchObject({ status: 'quarantined' });
      expect(oversized.status === 'quarantined' && oversized.reason).toContain('over the');
    });
  });

  // A real IMAP server when Dovecot is installed (apt-get install dovecot-imapd) and we may run it.
  // CI installs Dovecot (.ci/run), so there a missing one fails the run instead of skipping the test.
  it.runIf(process.env.CI === 'true' && !canRunDovecot)('has-dovecot-to-test-imap-polling-in-ci', () => {
    expect.fail(`CI=true but ${dovecotMissing}`);
  });
  describe.skipIf(!canRunDovecot)('IMAP polling against Dovecot', () => {
    let dovecot: Dovecot;
    let port: number;
    const imapConfig = () => ({ host: '127.0.0.1', port, secure: false, user: MAILBOX, password: 'imap-pass', mailbox: 'INBOX', pollSeconds: 10 });

    beforeAll(async () => {
      dovecot = await startDovecot(MAILBOX, 'imap-pass');
      port = dovecot.port;
      await connectMailbox({ imap: imapConfig() });
    }, 30_000);
    afterAll(async () => {
      await connectMailbox({ imap: null });
      await dovecot.stop();
    });

    const append = (sources: Buffer[]) => dovecot.append(sources);
    const unseen = () => dovecot.unseen();

    it('fetches unseen mail, stores it, quarantines what does not parse, and marks all of it seen', async () => {
      const good = Buffer.from(fixture('outlook-quoted-printable.eml').toString('latin1').replaceAll('AM9PR01MB1234A1B2', 'DOVECOT0001'), 'latin1');
      await append([good, fixture('malformed.eml'), good]);
      const found = await findEmailAccount(deps, MAILBOX);
      if (!found?.config.imap) throw new Error('no IMAP configuration');
      const result = await pollMailbox(deps, found, found.config.imap);
      expect(result).toEqual({ processed: 3, quarantined: 1 });
      expect(await messagesWithId('DOVECOT0001C3D4E5F6A7B8C9D0E1F2A@AM9PR01MB1234.eurprd01.prod.exchangelabs.com')).toHaveLength(1);
      expect(await unseen()).toEqual([]);
    });

    it('runs on a schedule and keeps going after a failed login', async () => {
      await append([Buffer.from(fixture('rfc8601-comprehensive.eml').toString('latin1').replace('12345.abc', 'scheduled.1'), 'latin1')]);
      const poller = startImapPoller(deps, { tickMs: 50 });
      try {
        // A real poller against a real server: wait for its result (up to a minute on a busy machine).
        for (let i = 0; i < 1200 && (await messagesWithId('scheduled.1@newyork.example.com')).length === 0; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(await messagesWithId('scheduled.1@newyork.example.com')).toHaveLength(1);
      } finally {
        await poller.close();
      }
      // A wrong password is reported as an error, nothing more.
      const found = await findEmailAccount(deps, MAILBOX);
      if (!found?.config.imap) throw new Error('no IMAP configuration');
      await expect(pollMailbox(deps, found, { ...found.config.imap, password: 'wrong' })).rejects.toThrow();
    });

    it('leaves mail unseen and not rejected while the mail parser will not load, and stores it once when it does', async () => {
      const mail = (id: string) => Buffer.from(fixture('rfc8601-comprehensive.eml').toString('latin1').replace('12345.abc', id), 'latin1');
      await append([mail('parser.missing.1'), mail('parser.missing.2')]);
      const waiting = await unseen();
      const first = Math.min(...waiting);
      // The installation's mail parser, missing until it is installed, through the loader every mail read uses.
      let installed = false;
      const loadMailParser = loadOnFirstUse('the mail parser (mailparser)', async () => {
        if (!installed) throw Object.assign(new Error("Cannot find package 'mailparser'"), { code: 'ERR_MODULE_NOT_FOUND' });
        return import('mailparser');
      });
      // What the poller logs, and a wait for a line: its polls run on its own timer.
      const lines: string[] = [];
      const waiters: { text: string; resolve: (line: string) => void }[] = [];
      const write = (chunk: Buffer, _encoding: unknown, done: () => void) => {
        const line = chunk.toString();
        lines.push(line);
        for (const waiter of waiters.filter((w) => line.includes(w.text))) waiter.resolve(line);
        done();
      };
      const logger = createLogger('info', new Writable({ write }));
      const logged = (text: string) => new Promise<string>((resolve) => waiters.push({ text, resolve }));
      const requests = () =>
        withForce(app.database.db, app.demoForceId, (tx) =>
          tx
            .selectFrom('inbound_requests')
            .select(['status', 'error'])
            .where('url', 'in', waiting.map((uid) => `imap://127.0.0.1:${port}/INBOX;UID=${uid}`))
            .execute(),
        );
      const time = movableClock();
      const found = await findEmailAccount(deps, MAILBOX);
      if (!found?.config.imap) throw new Error('no IMAP configuration');

      // One poll: it fails, and neither mail is rejected or marked seen.
      await expect(pollMailbox(deps, found, found.config.imap, { loadMailParser })).rejects.toBeInstanceOf(ModuleLoadError);
      expect(await unseen()).toEqual(waiting);
      expect(await requests()).toEqual([]);

      // The running poller reports it as it reports a failed login, and tries again at the next poll.
      const failed = logged('polling a mailbox failed');
      const polled = logged('mailbox polled');
      const poller = startImapPoller({ ...deps, logger, clock: time.clock }, { tickMs: 50, loadMailParser });
      try {
        const line = JSON.parse(await failed) as Record<string, unknown>;
        expect(line).toMatchObject({ level: 40, account: found.id, err: expect.stringMatching(/^the mail parser \(mailparser\) could not be loaded: Cannot find package 'mailparser'; /) });
        expect(line.err).toContain(`the mail with UID ${first} and those behind it are left unseen for the next poll`);
        // Neither the mail nor an address: not the sender's, not the mailbox's.
        expect(lines.join('')).not.toMatch(/@|sample|newyork|parser\.missing/);
        expect(await unseen()).toEqual(waiting);
        expect(await requests()).toEqual([]);

        installed = true;
        time.advance(found.config.imap.pollSeconds * 1000);
        expect(JSON.parse(await polled)).toMatchObject({ account: found.id, processed: 2, quarantined: 0 });
      } finally {
        await poller.close();
      }
      expect(await kit.messagesWithId('parser.missing.1@newyork.example.com')).toHaveLength(1);
      expect(await kit.messagesWithId('parser.missing.2@newyork.example.com')).toHaveLength(1);
      expect(await requests()).toEqual([
        { status: 'processed', error: null },
        { status: 'processed', error: null },
      ]);
      expect(await unseen()).toEqual([]);
    });
  });
});
