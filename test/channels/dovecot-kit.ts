import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

const DOVECOT = '/usr/sbin/dovecot';

/** Whether a real IMAP server can run here: Dovecot installed (apt-get install dovecot-imapd) and root. */
export const canRunDovecot = existsSync(DOVECOT) && process.getuid?.() === 0;

/** Why Dovecot cannot run here, for CI, which must not skip the tests that need it. */
export const dovecotMissing = `Dovecot cannot run here: it needs ${DOVECOT} (apt-get install dovecot-imapd) and root`;

/** A port nothing listens on at the moment it is returned. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const free = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(free));
    });
  });
}

export type Dovecot = {
  port: number;
  /** Appends mails to the user's INBOX. */
  append(sources: Buffer[]): Promise<void>;
  /** The UIDs of the INBOX's unseen mails. */
  unseen(): Promise<number[]>;
  stop(): Promise<void>;
};

/** Starts Dovecot on a free local port, plain IMAP, with one user and its password, and waits until it accepts connections. */
export async function startDovecot(user: string, password: string): Promise<Dovecot> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'bl-dovecot-'));
  // Dovecot's own users read the password file and write the mail.
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'mail'));
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  writeFileSync(
    path.join(dir, 'dovecot.conf'),
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'first_valid_uid = 1',
      // A refused login is answered at once (Dovecot waits 2 s by default).
      'auth_failure_delay = 0',
      `log_path = ${dir}/dovecot.log`,
      `mail_location = maildir:${dir}/mail/%u`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${dir}/passwd\n}`,
      `userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=${dir}/mail/%u\n}`,
      `service imap-login {\n  inet_listener imap {\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve, reject) => {
    const chown = spawn('chown', ['-R', 'dovecot:dovecot', path.join(dir, 'mail')]);
    chown.on('exit', (status) => (status === 0 ? resolve() : reject(new Error('chown failed'))));
  });
  const server: ChildProcess = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  // Wait until it accepts connections.
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
      socket.unref();
      setTimeout(() => socket.destroy(), 200);
    });
    if (open) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const client = async () => {
    const imap = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    imap.on('error', () => undefined);
    await imap.connect();
    return imap;
  };
  return {
    port,
    async append(sources) {
      const imap = await client();
      for (const source of sources) await imap.append('INBOX', source);
      await imap.logout();
    },
    async unseen() {
      const imap = await client();
      const lock = await imap.getMailboxLock('INBOX');
      const uids = (await imap.search({ seen: false }, { uid: true })) || [];
      lock.release();
      await imap.logout();
      return uids;
    },
    async stop() {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
